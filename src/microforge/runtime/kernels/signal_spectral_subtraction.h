/* microforge runtime: TFLM's SignalFilterBankSpectralSubtraction: a per-channel noise estimate
 * (a low-pass filter kept between invokes) subtracted from the filterbank output. */
#ifndef MF_SIGNAL_SPECTRAL_SUBTRACTION_H
#define MF_SIGNAL_SPECTRAL_SUBTRACTION_H

#include "mf_common.h"

typedef struct {
    int32_t num_channels;
    uint32_t smoothing;                      /* even channels; scale 2^subtraction_bits */
    uint32_t one_minus_smoothing;
    uint32_t alternate_smoothing;            /* odd channels */
    uint32_t alternate_one_minus_smoothing;
    uint32_t min_signal_remaining;           /* floor, as a fraction of the signal */
    uint32_t smoothing_bits;                 /* extra fraction bits of the estimate */
    uint32_t subtraction_bits;
    int32_t clamping;                        /* 1: the estimate follows the signal down */
} mf_signal_spectral_subtraction_params;

/* noise_state: the model's persistent estimate (num_channels uint32, 0 after reset);
 * noise_output: the op's second output, a copy of the estimate after this frame. */
void mf_signal_spectral_subtraction(const mf_signal_spectral_subtraction_params *p,
                                    const uint32_t *input, uint32_t *noise_state,
                                    uint32_t *output, uint32_t *noise_output);

#endif /* MF_SIGNAL_SPECTRAL_SUBTRACTION_H */
