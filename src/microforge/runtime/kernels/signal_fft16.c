/* microforge runtime: the fixed-point complex FFT of TFLM's signal library (KISS FFT 1.3.0
 * with FIXED_POINT=16), used by SignalRfft and SignalIrfft. Decimation in time by radix 4 (and
 * one radix 2), each butterfly first dividing by its radix (x * (32767 / radix), rounded,
 * >> 15) so nothing overflows; every product rounded as Q15: (a * b + 2^14) >> 15. */
#include "signal_fft16.h"

static void mf_fft16_radix2(mf_cpx16 *out, size_t fstride, const mf_cpx16 *twiddles, int32_t m) {
    mf_cpx16 *out2 = out + m;
    const mf_cpx16 *tw = twiddles;
    int32_t k;
    for (k = 0; k < m; ++k) {
        mf_cpx16 t;
        out[k] = mf_cpx_div(out[k], 32767 / 2);
        out2[k] = mf_cpx_div(out2[k], 32767 / 2);
        t = mf_cpx_mul(out2[k], *tw);
        tw += fstride;
        out2[k].r = (int16_t)(out[k].r - t.r);
        out2[k].i = (int16_t)(out[k].i - t.i);
        out[k].r = (int16_t)(out[k].r + t.r);
        out[k].i = (int16_t)(out[k].i + t.i);
    }
}

static void mf_fft16_radix4(mf_cpx16 *out, size_t fstride, const mf_cpx16 *twiddles, int32_t m,
                           int inverse) {
    const mf_cpx16 *tw1 = twiddles;
    const mf_cpx16 *tw2 = twiddles;
    const mf_cpx16 *tw3 = twiddles;
    int32_t k;
    for (k = 0; k < m; ++k) {
        mf_cpx16 *f = out + k;
        mf_cpx16 s0, s1, s2, s3, s4, s5;
        f[0] = mf_cpx_div(f[0], 32767 / 4);
        f[m] = mf_cpx_div(f[m], 32767 / 4);
        f[2 * m] = mf_cpx_div(f[2 * m], 32767 / 4);
        f[3 * m] = mf_cpx_div(f[3 * m], 32767 / 4);
        s0 = mf_cpx_mul(f[m], *tw1);
        s1 = mf_cpx_mul(f[2 * m], *tw2);
        s2 = mf_cpx_mul(f[3 * m], *tw3);
        s5.r = (int16_t)(f[0].r - s1.r);
        s5.i = (int16_t)(f[0].i - s1.i);
        f[0].r = (int16_t)(f[0].r + s1.r);
        f[0].i = (int16_t)(f[0].i + s1.i);
        s3.r = (int16_t)(s0.r + s2.r);
        s3.i = (int16_t)(s0.i + s2.i);
        s4.r = (int16_t)(s0.r - s2.r);
        s4.i = (int16_t)(s0.i - s2.i);
        f[2 * m].r = (int16_t)(f[0].r - s3.r);
        f[2 * m].i = (int16_t)(f[0].i - s3.i);
        tw1 += fstride;
        tw2 += fstride * 2;
        tw3 += fstride * 3;
        f[0].r = (int16_t)(f[0].r + s3.r);
        f[0].i = (int16_t)(f[0].i + s3.i);
        if (inverse) {
            f[m].r = (int16_t)(s5.r - s4.i);
            f[m].i = (int16_t)(s5.i + s4.r);
            f[3 * m].r = (int16_t)(s5.r + s4.i);
            f[3 * m].i = (int16_t)(s5.i - s4.r);
        } else {
            f[m].r = (int16_t)(s5.r + s4.i);
            f[m].i = (int16_t)(s5.i - s4.r);
            f[3 * m].r = (int16_t)(s5.r - s4.i);
            f[3 * m].i = (int16_t)(s5.i + s4.r);
        }
    }
}

/* One stage: the radix's sub-FFTs of the decimated input (recursively), then its butterflies.
 * The input is the frame read as complex pairs from pair `first` on, every `fstride` pairs;
 * samples at or past `length` are the FFT's zero padding (never copied into a buffer). */
static void mf_fft16_stage(mf_cpx16 *out, const int16_t *frame, int32_t length, size_t first,
                          size_t fstride, const int32_t *factors, const mf_cpx16 *twiddles,
                          int inverse) {
    const int32_t radix = factors[0];
    const int32_t m = factors[1];
    int32_t q;
    if (m == 1) {
        for (q = 0; q < radix; ++q) {
            const size_t sample = 2 * (first + (size_t)q * fstride);
            out[q].r = sample < (size_t)length ? frame[sample] : 0;
            out[q].i = sample + 1 < (size_t)length ? frame[sample + 1] : 0;
        }
    } else {
        for (q = 0; q < radix; ++q) {
            mf_fft16_stage(out + (size_t)q * (size_t)m, frame, length,
                          first + (size_t)q * fstride, fstride * (size_t)radix, factors + 2,
                          twiddles, inverse);
        }
    }
    if (radix == 2) {
        mf_fft16_radix2(out, fstride, twiddles, m);
    } else {
        mf_fft16_radix4(out, fstride, twiddles, m, inverse);
    }
}

void mf_signal_fft16(mf_cpx16 *out, const int16_t *in, int32_t length, const int32_t *factors,
                     const int16_t *twiddles, int inverse) {
    mf_fft16_stage(out, in, length, 0, 1, factors, (const mf_cpx16 *)(const void *)twiddles,
                   inverse);
}
