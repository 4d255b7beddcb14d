/* microforge runtime: TFLM's SignalPCAN: per-channel energy normalization (automatic gain
 * control from the noise estimate, then a soft compression). */
#ifndef MF_SIGNAL_PCAN_H
#define MF_SIGNAL_PCAN_H

#include "mf_common.h"

typedef struct {
    int32_t num_channels;
    int32_t snr_shift;
} mf_signal_pcan_params;

/* gain_lut: the model's 125-entry gain table (TFLM reads entries up to 4 * 32 - 4). The output
 * may be the input's buffer. */
void mf_signal_pcan(const mf_signal_pcan_params *p, const uint32_t *input,
                    const uint32_t *noise_estimate, const int16_t *gain_lut, uint32_t *output);

#endif /* MF_SIGNAL_PCAN_H */
