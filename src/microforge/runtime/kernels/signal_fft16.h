/* microforge runtime: the int16 complex FFT shared by SignalRfft and SignalIrfft (KISS FFT
 * 1.3.0 fixed-point arithmetic, as TFLM builds it). */
#ifndef MF_SIGNAL_FFT16_H
#define MF_SIGNAL_FFT16_H

#include "mf_common.h"

typedef struct {
    int16_t r;
    int16_t i;
} mf_cpx16;

/* (x + 2^14) >> 15: KISS FFT's sround */
static inline int16_t mf_q15_round(int32_t x) {
    return (int16_t)((x + (1 << 14)) >> 15);
}

/* a * (32767 / radix) rounded: KISS FFT's C_FIXDIV, given the reciprocal 32767 / radix */
static inline mf_cpx16 mf_cpx_div(mf_cpx16 a, int32_t reciprocal) {
    mf_cpx16 out;
    out.r = mf_q15_round((int32_t)a.r * reciprocal);
    out.i = mf_q15_round((int32_t)a.i * reciprocal);
    return out;
}

/* KISS FFT's C_MUL in Q15 */
static inline mf_cpx16 mf_cpx_mul(mf_cpx16 a, mf_cpx16 b) {
    mf_cpx16 out;
    out.r = mf_q15_round((int32_t)a.r * b.r - (int32_t)a.i * b.i);
    out.i = mf_q15_round((int32_t)a.r * b.i + (int32_t)a.i * b.r);
    return out;
}

/* out = FFT (inverse: unnormalized inverse FFT) of the n = factors' product complex values
 * read as (re, im) pairs from `in`; samples at or past `length` read as 0 (zero padding).
 * factors: (radix, remaining length) per stage, radices 4 and 2; twiddles: n (re, im) Q15
 * pairs exp(-+2 pi i k / n). out must not overlap in. */
void mf_signal_fft16(mf_cpx16 *out, const int16_t *in, int32_t length, const int32_t *factors,
                     const int16_t *twiddles, int inverse);

#endif /* MF_SIGNAL_FFT16_H */
