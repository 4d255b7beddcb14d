/* microforge runtime: TFLM's SignalIrfft for int16: the real inverse FFT (KISS FFT 1.3.0's
 * kiss_fftri with FIXED_POINT=16) of every frame of fft_length / 2 + 1 complex bins (re, im
 * interleaved), fft_length samples out. */
#ifndef MF_SIGNAL_IRFFT_H
#define MF_SIGNAL_IRFFT_H

#include "mf_common.h"

#define MF_IRFFT_MAX_STAGES 16

typedef struct {
    int32_t fft_length;     /* even; fft_length / 2 a power of two */
    int32_t frames;
    int32_t input_length;   /* complex bins per input frame */
    int32_t output_length;  /* samples per output frame */
    int32_t factors[2 * MF_IRFFT_MAX_STAGES];
    const int16_t *twiddles;        /* fft_length / 2 inverse twiddles, (re, im) Q15 */
    const int16_t *super_twiddles;  /* fft_length / 4 inverse super twiddles */
} mf_signal_irfft_params;

/* scratch: fft_length / 2 complex int16, 2 * fft_length bytes. */
void mf_signal_irfft(const mf_signal_irfft_params *p, const int16_t *input, int16_t *output,
                     void *scratch);

#endif /* MF_SIGNAL_IRFFT_H */
