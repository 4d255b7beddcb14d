/* microforge runtime: SignalFilterBankSpectralSubtraction, as TFLM's
 * FilterbankSpectralSubtraction (uint32 wrapping shifts, uint64 products). */
#include "signal_spectral_subtraction.h"

void mf_signal_spectral_subtraction(const mf_signal_spectral_subtraction_params *p,
                                    const uint32_t *input, uint32_t *noise_state,
                                    uint32_t *output, uint32_t *noise_output) {
    int32_t i;
    for (i = 0; i < p->num_channels; ++i) {
        const int odd = (i & 1) != 0;
        const uint32_t smoothing = odd ? p->alternate_smoothing : p->smoothing;
        const uint32_t keep = odd ? p->alternate_one_minus_smoothing : p->one_minus_smoothing;
        const uint32_t signal = input[i] << p->smoothing_bits;
        uint32_t estimate;
        uint32_t floor_value;
        uint32_t subtracted;
        noise_state[i] = (uint32_t)(((uint64_t)signal * smoothing +
                                     (uint64_t)noise_state[i] * keep) >> p->subtraction_bits);
        estimate = noise_state[i];
        if (estimate > signal) {
            estimate = signal;
            if (p->clamping) {
                noise_state[i] = estimate;
            }
        }
        floor_value = (uint32_t)(((uint64_t)input[i] * p->min_signal_remaining) >>
                                 p->subtraction_bits);
        subtracted = (signal - estimate) >> p->smoothing_bits;
        output[i] = subtracted > floor_value ? subtracted : floor_value;
        noise_output[i] = noise_state[i];
    }
}
