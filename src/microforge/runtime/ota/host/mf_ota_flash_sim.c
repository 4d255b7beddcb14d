/* Host harness of the power-loss scenario (tests only):
 *   mf_ota_flash_sim POLICY OLD NEW K SEED
 * prints: install S / ops N / reset 0|1 / final STATUS SLOT TRIAL COUNTER UUID CANARY */
#include <stdio.h>
#include <stdlib.h>

#include "mf_ota_sim.h"

static uint8_t *slurp(const char *path, uint32_t *size) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (f == NULL) exit(3);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1u);
    if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) exit(3);
    fclose(f);
    *size = (uint32_t)n;
    return buf;
}

int main(int argc, char **argv) {
    uint32_t n_policy, n_old, n_new;
    uint8_t *policy, *old_b, *new_b;
    mf_sim_result r;
    int i;
    if (argc != 6) return 3;
    policy = slurp(argv[1], &n_policy);
    old_b = slurp(argv[2], &n_old);
    new_b = slurp(argv[3], &n_new);
    if (mf_sim_run(policy, old_b, n_old, new_b, n_new, strtol(argv[4], NULL, 10),
                   strtoul(argv[5], NULL, 10), &r) != 0) {
        return 4;
    }
    printf("install %d\nops %ld\nreset %d\nfinal %d %d %d %lu ", r.install, r.ops, r.reset,
           r.status, r.slot, r.trial, r.counter);
    for (i = 0; i < 16; i++) printf("%02x", r.uuid[i]);
    printf(" %d\n", r.canary);
    free(policy);
    free(old_b);
    free(new_b);
    return 0;
}
