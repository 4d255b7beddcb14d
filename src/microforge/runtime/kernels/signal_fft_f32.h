/* microforge runtime: KISS FFT's float arithmetic for signal_fft_template.h (no scaling by
 * the radix; HALF_OF is x * 0.5f as TFLM's patched KISS FFT has it), and TFLM's division of
 * the float inverse by fft_length. */
#ifndef MF_SIGNAL_FFT_F32_H
#define MF_SIGNAL_FFT_F32_H

#include "signal_fft.h"

/* only inside the kernel file instantiating the template (model.c includes every kernel
 * header; the arithmetic of several types must not meet there) */
#ifdef MF_FFT_IMPLEMENTATION

#define MF_FFT_T float

typedef struct {
    float r;
    float i;
} mf_fft_cpx_t;

static inline mf_fft_cpx_t mf_fft_mul(mf_fft_cpx_t a, mf_fft_cpx_t b) {
    mf_fft_cpx_t out;
    out.r = a.r * b.r - a.i * b.i;
    out.i = a.r * b.i + a.i * b.r;
    return out;
}

/* TFLM's IrfftFloatApply: output[i] /= fft_length (KISS FFT's inverse is unnormalized) */
static inline void mf_fft_normalize(float *out, int32_t fft_length) {
    int32_t i;
    for (i = 0; i < fft_length; ++i) {
        out[i] /= (float)fft_length;
    }
}

#define MF_FFT_NORMALIZE_INVERSE(out, n) mf_fft_normalize((out), (n))
#define MF_FFT_DIV(c, radix) (c)
#define MF_FFT_MUL(a, b) mf_fft_mul((a), (b))
#define MF_FFT_ADD(a, b) ((a) + (b))
#define MF_FFT_SUB(a, b) ((a) - (b))
#define MF_FFT_NEG(a) (-(a))
#define MF_FFT_HALF_SUM(a, b) (((a) + (b)) * 0.5f)
#define MF_FFT_HALF_DIFF(a, b) (((a) - (b)) * 0.5f)

#endif /* MF_FFT_IMPLEMENTATION */

#endif /* MF_SIGNAL_FFT_F32_H */
