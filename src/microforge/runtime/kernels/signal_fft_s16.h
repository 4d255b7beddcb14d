/* microforge runtime: KISS FFT's FIXED_POINT=16 arithmetic for signal_fft_template.h: Q15
 * products rounded ((a * b + 2^14) >> 15), int16 stores wrapping. */
#ifndef MF_SIGNAL_FFT_S16_H
#define MF_SIGNAL_FFT_S16_H

#include "signal_fft.h"

/* only inside the kernel file instantiating the template (model.c includes every kernel
 * header; the arithmetic of several types must not meet there) */
#ifdef MF_FFT_IMPLEMENTATION

#define MF_FFT_T int16_t

typedef struct {
    int16_t r;
    int16_t i;
} mf_fft_cpx_t;

static inline int16_t mf_fft_round(int32_t x) {
    return (int16_t)((x + (1 << 14)) >> 15);
}

static inline mf_fft_cpx_t mf_fft_div(mf_fft_cpx_t a, int32_t reciprocal) {
    mf_fft_cpx_t out;
    out.r = mf_fft_round((int32_t)a.r * reciprocal);
    out.i = mf_fft_round((int32_t)a.i * reciprocal);
    return out;
}

static inline mf_fft_cpx_t mf_fft_mul(mf_fft_cpx_t a, mf_fft_cpx_t b) {
    mf_fft_cpx_t out;
    out.r = mf_fft_round((int32_t)a.r * b.r - (int32_t)a.i * b.i);
    out.i = mf_fft_round((int32_t)a.r * b.i + (int32_t)a.i * b.r);
    return out;
}

#define MF_FFT_DIV(c, radix) mf_fft_div((c), 32767 / (radix))
#define MF_FFT_MUL(a, b) mf_fft_mul((a), (b))
#define MF_FFT_ADD(a, b) ((int16_t)((a) + (b)))
#define MF_FFT_SUB(a, b) ((int16_t)((a) - (b)))
#define MF_FFT_NEG(a) ((int16_t)-(a))
#define MF_FFT_HALF_SUM(a, b) ((int16_t)(((int32_t)(a) + (b)) >> 1))
#define MF_FFT_HALF_DIFF(a, b) ((int16_t)(((int32_t)(a) - (b)) >> 1))

#endif /* MF_FFT_IMPLEMENTATION */

#endif /* MF_SIGNAL_FFT_S16_H */
