/* microforge runtime: TFLM's SignalRfft and SignalIrfft (KISS FFT 1.3.0 as TFLM builds it:
 * FIXED_POINT=16 for int16, FIXED_POINT=32 for int32, float): parameters and entry points.
 * The bodies are signal_fft_template.h, instantiated once per op and type in signal_rfft*.c and
 * signal_irfft*.c. fft_length / 2 is a power of two (stages of radix 4, then one 2). */
#ifndef MF_SIGNAL_FFT_H
#define MF_SIGNAL_FFT_H

#include "mf_common.h"

#define MF_FFT_MAX_STAGES 16

typedef struct {
    int32_t fft_length;
    int32_t input_length;   /* samples of one frame (<= fft_length; the rest is zero padding) */
    int32_t input_size;     /* samples of the whole input (frames x input_length) */
    int32_t output_length;  /* complex bins per output frame */
    int32_t factors[2 * MF_FFT_MAX_STAGES];  /* (radix, remaining length) per stage */
    /* (re, im) pairs of the op's scalar type: fft_length / 2 twiddles, then fft_length / 4
     * super twiddles of the real split (KISS FFT's values, computed by the compiler) */
    const void *twiddles;
    const void *super_twiddles;
} mf_signal_rfft_params;

typedef struct {
    int32_t fft_length;
    int32_t frames;
    int32_t input_length;   /* complex bins per input frame (fft_length / 2 + 1) */
    int32_t output_length;  /* samples per output frame (fft_length) */
    int32_t factors[2 * MF_FFT_MAX_STAGES];
    const void *twiddles;        /* inverse twiddles */
    const void *super_twiddles;
} mf_signal_irfft_params;

/* scratch: fft_length / 2 complex values of the type (2, 4 or 4 x fft_length bytes). */
void mf_signal_rfft(const mf_signal_rfft_params *p, const int16_t *input, int16_t *output,
                    void *scratch);
void mf_signal_rfft_s32(const mf_signal_rfft_params *p, const int32_t *input, int32_t *output,
                        void *scratch);
void mf_signal_rfft_f32(const mf_signal_rfft_params *p, const float *input, float *output,
                        void *scratch);
void mf_signal_irfft(const mf_signal_irfft_params *p, const int16_t *input, int16_t *output,
                     void *scratch);
void mf_signal_irfft_s32(const mf_signal_irfft_params *p, const int32_t *input, int32_t *output,
                         void *scratch);
void mf_signal_irfft_f32(const mf_signal_irfft_params *p, const float *input, float *output,
                         void *scratch);

#endif /* MF_SIGNAL_FFT_H */
