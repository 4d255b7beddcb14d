/* microforge runtime: TFLM's SignalEnergy: |X[k]|^2 of an int16 complex spectrum, as uint32. */
#ifndef MF_SIGNAL_ENERGY_H
#define MF_SIGNAL_ENERGY_H

#include "mf_common.h"

typedef struct {
    int32_t start_index;  /* first bin computed */
    int32_t end_index;    /* one past the last bin computed */
    int32_t size;         /* output elements; the bins outside [start, end) are set to 0 */
} mf_signal_energy_params;

void mf_signal_energy(const mf_signal_energy_params *p, const int16_t *spectrum,
                      uint32_t *output);

#endif /* MF_SIGNAL_ENERGY_H */
