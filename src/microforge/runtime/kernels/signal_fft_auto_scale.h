/* microforge runtime: TFLM's SignalFftAutoScale (int16): shift the frame left as far as its
 * largest magnitude allows; the shift is the second output. */
#ifndef MF_SIGNAL_FFT_AUTO_SCALE_H
#define MF_SIGNAL_FFT_AUTO_SCALE_H

#include "mf_common.h"

void mf_signal_fft_auto_scale(int32_t size, const int16_t *input, int16_t *output,
                              int32_t *scale_bits);

#endif /* MF_SIGNAL_FFT_AUTO_SCALE_H */
