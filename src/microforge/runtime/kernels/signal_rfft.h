/* microforge runtime: TFLM's SignalRfft for int16 (a fixed-point real FFT, the KISS FFT 1.3.0
 * arithmetic TFLM builds with FIXED_POINT=16): each frame zero-padded to fft_length, the
 * complex spectrum of fft_length / 2 + 1 bins as interleaved (re, im) int16. */
#ifndef MF_SIGNAL_RFFT_H
#define MF_SIGNAL_RFFT_H

#include "mf_common.h"

#define MF_RFFT_MAX_STAGES 16

typedef struct {
    int32_t fft_length;     /* even; fft_length / 2 a power of two */
    int32_t input_length;   /* samples of one frame (<= fft_length) */
    int32_t input_size;     /* samples of the whole input (frames x input_length) */
    int32_t output_length;  /* complex bins per output frame */
    int32_t n_stages;
    int32_t factors[2 * MF_RFFT_MAX_STAGES];  /* (radix, remaining length) per stage: 4s, a 2 */
    /* (re, im) int16 pairs: fft_length / 2 twiddles exp(-2 pi i k / (fft_length / 2)), then
     * fft_length / 4 super twiddles of the real-FFT split, Q15 */
    const int16_t *twiddles;
    const int16_t *super_twiddles;
} mf_signal_rfft_params;

/* scratch: fft_length / 2 complex int16 (the half-length complex FFT), 2 * fft_length bytes. */
void mf_signal_rfft(const mf_signal_rfft_params *p, const int16_t *input, int16_t *output,
                    void *scratch);

#endif /* MF_SIGNAL_RFFT_H */
