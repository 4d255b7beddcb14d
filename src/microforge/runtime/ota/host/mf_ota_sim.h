/* The power-loss scenario of the OTA slots on a simulated NOR flash (tests only; host and
 * emulated cores). mf_sim_run provisions OLD into slot A (confirmed), then updates to NEW:
 * boot, install, boot (trial), canaries on the linked model (mf_canary_model), confirm or
 * reject, boot. With k > 0 the flash "resets" at operation k (that write or erase torn: a
 * random prefix, random bits of the next byte), then the device reboots and settles. */
#ifndef MF_OTA_SIM_H
#define MF_OTA_SIM_H

#include <stdint.h>

#include "mf_ota.h"

typedef struct {
    long ops;      /* flash operations before the reset (all of them when none) */
    int reset;
    int install;   /* status of install_finish (-1: cut off) */
    int status;    /* of the settled boot after it */
    int slot, trial;
    unsigned long counter;
    uint8_t uuid[16];
    int canary;    /* canaries of the model that runs at the end (-1: none runs) */
} mf_sim_result;

int mf_canary_model(void *user, const int8_t *input, int8_t *output); /* linked in */

int mf_sim_run(const uint8_t *policy, const uint8_t *old_b, uint32_t n_old,
               const uint8_t *new_b, uint32_t n_new, long k, unsigned long seed,
               mf_sim_result *out);

#endif
