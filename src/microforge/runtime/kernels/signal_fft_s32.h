/* microforge runtime: KISS FFT's FIXED_POINT=32 arithmetic for signal_fft_template.h: Q31
 * products in int64 rounded ((a * b + 2^30) >> 31), int32 sums wrapping (two's complement,
 * computed in uint32 where C++ would overflow). */
#ifndef MF_SIGNAL_FFT_S32_H
#define MF_SIGNAL_FFT_S32_H

#include "signal_fft.h"

/* only inside the kernel file instantiating the template (model.c includes every kernel
 * header; the arithmetic of several types must not meet there) */
#ifdef MF_FFT_IMPLEMENTATION

#define MF_FFT_T int32_t

typedef struct {
    int32_t r;
    int32_t i;
} mf_fft_cpx_t;

static inline int32_t mf_fft_wrap(uint32_t x) {
    return x < 0x80000000u ? (int32_t)x : (int32_t)(x - 0x80000000u) - INT32_MAX - 1;
}

static inline int32_t mf_fft_round(int64_t x) {
    return (int32_t)((int64_t)((uint64_t)x + ((uint64_t)1 << 30)) >> 31);
}

static inline mf_fft_cpx_t mf_fft_div(mf_fft_cpx_t a, int64_t reciprocal) {
    mf_fft_cpx_t out;
    out.r = mf_fft_round((int64_t)a.r * reciprocal);
    out.i = mf_fft_round((int64_t)a.i * reciprocal);
    return out;
}

static inline mf_fft_cpx_t mf_fft_mul(mf_fft_cpx_t a, mf_fft_cpx_t b) {
    mf_fft_cpx_t out;
    out.r = mf_fft_round((int64_t)((uint64_t)((int64_t)a.r * b.r) -
                                   (uint64_t)((int64_t)a.i * b.i)));
    out.i = mf_fft_round((int64_t)((uint64_t)((int64_t)a.r * b.i) +
                                   (uint64_t)((int64_t)a.i * b.r)));
    return out;
}

#define MF_FFT_DIV(c, radix) mf_fft_div((c), 2147483647 / (radix))
#define MF_FFT_MUL(a, b) mf_fft_mul((a), (b))
#define MF_FFT_ADD(a, b) mf_fft_wrap((uint32_t)(a) + (uint32_t)(b))
#define MF_FFT_SUB(a, b) mf_fft_wrap((uint32_t)(a) - (uint32_t)(b))
#define MF_FFT_NEG(a) mf_fft_wrap(0u - (uint32_t)(a))
#define MF_FFT_HALF_SUM(a, b) (MF_FFT_ADD((a), (b)) >> 1)
#define MF_FFT_HALF_DIFF(a, b) (MF_FFT_SUB((a), (b)) >> 1)

#endif /* MF_FFT_IMPLEMENTATION */

#endif /* MF_SIGNAL_FFT_S32_H */
