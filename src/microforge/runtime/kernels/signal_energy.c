/* microforge runtime: SignalEnergy. re*re + im*im in int32 (at most 2^31, stored as uint32).
 * TFLM leaves the bins outside [start, end) unwritten; here they are 0. */
#include "signal_energy.h"

void mf_signal_energy(const mf_signal_energy_params *p, const int16_t *spectrum,
                      uint32_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        if (i >= p->start_index && i < p->end_index) {
            const int32_t re = spectrum[2 * i];
            const int32_t im = spectrum[2 * i + 1];
            output[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
        } else {
            output[i] = 0u;
        }
    }
}
