/* microforge runtime: SignalFilterBank, as TFLM's FilterbankAccumulateChannels: every bin adds
 * weight x energy to its channel and unweight x energy to the next one. Channel 0 is scratch:
 * it is computed (its unweights start channel 1) but not stored, so no work area is needed.
 * An int16 weight is widened to uint64 as in C++ (a negative one wraps modulo 2^64). */
#include "signal_filter_bank.h"

void mf_signal_filter_bank(const mf_signal_filter_bank_params *p, const uint32_t *input,
                           const int16_t *weights, const int16_t *unweights,
                           const int16_t *freq_starts, const int16_t *weight_starts,
                           const int16_t *widths, uint64_t *output) {
    uint64_t weighted = 0u;
    uint64_t unweighted = 0u;
    int32_t channel;
    for (channel = 0; channel <= p->num_channels; ++channel) {
        const uint32_t *bins = input + freq_starts[channel];
        const int16_t *w = weights + weight_starts[channel];
        const int16_t *u = unweights + weight_starts[channel];
        int32_t j;
        for (j = 0; j < widths[channel]; ++j) {
            weighted += (uint64_t)(int64_t)w[j] * (uint64_t)bins[j];
            unweighted += (uint64_t)(int64_t)u[j] * (uint64_t)bins[j];
        }
        if (channel > 0) {
            output[channel - 1] = weighted;
        }
        weighted = unweighted;
        unweighted = 0u;
    }
}
