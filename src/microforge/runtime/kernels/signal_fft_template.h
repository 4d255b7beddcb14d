/* microforge runtime: the body of TFLM's signal-library real FFTs (KISS FFT 1.3.0, the build
 * TFLM uses: FIXED_POINT=16, FIXED_POINT=32 or float), included by one kernel file per op and
 * scalar type (signal_rfft*.c, signal_irfft*.c) after its arithmetic (signal_fft_s16.h,
 * signal_fft_s32.h, signal_fft_f32.h), which defines:
 *   MF_FFT_T, mf_fft_cpx_t    the scalar (int16_t, int32_t, float) and {MF_FFT_T r, i}
 *   MF_FFT_DIV(c, r)          KISS FFT's C_FIXDIV by the radix r (identity in float)
 *   MF_FFT_MUL(a, b)          C_MUL
 *   MF_FFT_ADD, MF_FFT_SUB, MF_FFT_NEG   sum, difference, negation, wrapping as KISS FFT's
 *                             stores into the scalar type wrap
 *   MF_FFT_HALF_SUM(a, b), MF_FFT_HALF_DIFF(a, b)   HALF_OF(a + b), HALF_OF(a - b), the sum
 *                             taken as C takes it (int16 promoted to int, int32 wrapping)
 *   MF_FFT_NORMALIZE_INVERSE(out, n)   optional: what the inverse does to its n samples after
 *                             KISS FFT (TFLM's float Irfft divides them by fft_length)
 * and the file sets MF_FFT_PUBLIC (the entry point's name) and MF_FFT_FORWARD (the real FFT,
 * kiss_fftr) or not (the inverse, kiss_fftri). Decimation in time by radix 4 (and one radix
 * 2); the leaf reads the frame as (re, im) pairs, samples past `length` as 0 (zero padding). */
#include "signal_fft.h"

#ifdef MF_FFT_IMPLEMENTATION /* only in the kernel files (model.c includes every header) */

static void mf_fft_radix2(mf_fft_cpx_t *out, size_t fstride, const mf_fft_cpx_t *tw,
                          int32_t m) {
    mf_fft_cpx_t *out2 = out + m;
    int32_t k;
    for (k = 0; k < m; ++k) {
        mf_fft_cpx_t t;
        out[k] = MF_FFT_DIV(out[k], 2);
        out2[k] = MF_FFT_DIV(out2[k], 2);
        t = MF_FFT_MUL(out2[k], *tw);
        tw += fstride;
        out2[k].r = MF_FFT_SUB(out[k].r, t.r);
        out2[k].i = MF_FFT_SUB(out[k].i, t.i);
        out[k].r = MF_FFT_ADD(out[k].r, t.r);
        out[k].i = MF_FFT_ADD(out[k].i, t.i);
    }
}

static void mf_fft_radix4(mf_fft_cpx_t *out, size_t fstride, const mf_fft_cpx_t *twiddles,
                          int32_t m) {
    const mf_fft_cpx_t *tw1 = twiddles;
    const mf_fft_cpx_t *tw2 = twiddles;
    const mf_fft_cpx_t *tw3 = twiddles;
    int32_t k;
    for (k = 0; k < m; ++k) {
        mf_fft_cpx_t *f = out + k;
        mf_fft_cpx_t s0, s1, s2, s3, s4, s5;
        f[0] = MF_FFT_DIV(f[0], 4);
        f[m] = MF_FFT_DIV(f[m], 4);
        f[2 * m] = MF_FFT_DIV(f[2 * m], 4);
        f[3 * m] = MF_FFT_DIV(f[3 * m], 4);
        s0 = MF_FFT_MUL(f[m], *tw1);
        s1 = MF_FFT_MUL(f[2 * m], *tw2);
        s2 = MF_FFT_MUL(f[3 * m], *tw3);
        s5.r = MF_FFT_SUB(f[0].r, s1.r);
        s5.i = MF_FFT_SUB(f[0].i, s1.i);
        f[0].r = MF_FFT_ADD(f[0].r, s1.r);
        f[0].i = MF_FFT_ADD(f[0].i, s1.i);
        s3.r = MF_FFT_ADD(s0.r, s2.r);
        s3.i = MF_FFT_ADD(s0.i, s2.i);
        s4.r = MF_FFT_SUB(s0.r, s2.r);
        s4.i = MF_FFT_SUB(s0.i, s2.i);
        f[2 * m].r = MF_FFT_SUB(f[0].r, s3.r);
        f[2 * m].i = MF_FFT_SUB(f[0].i, s3.i);
        tw1 += fstride;
        tw2 += fstride * 2;
        tw3 += fstride * 3;
        f[0].r = MF_FFT_ADD(f[0].r, s3.r);
        f[0].i = MF_FFT_ADD(f[0].i, s3.i);
#ifdef MF_FFT_FORWARD
        f[m].r = MF_FFT_ADD(s5.r, s4.i);
        f[m].i = MF_FFT_SUB(s5.i, s4.r);
        f[3 * m].r = MF_FFT_SUB(s5.r, s4.i);
        f[3 * m].i = MF_FFT_ADD(s5.i, s4.r);
#else
        f[m].r = MF_FFT_SUB(s5.r, s4.i);
        f[m].i = MF_FFT_ADD(s5.i, s4.r);
        f[3 * m].r = MF_FFT_ADD(s5.r, s4.i);
        f[3 * m].i = MF_FFT_SUB(s5.i, s4.r);
#endif
    }
}

/* One stage: the radix's sub-FFTs of the decimated input (recursively), then its butterflies.
 * The input is read as complex pairs from pair `first` on, every `fstride` pairs. */
static void mf_fft_stage(mf_fft_cpx_t *out, const MF_FFT_T *frame, int32_t length,
                               size_t first, size_t fstride, const int32_t *factors,
                               const mf_fft_cpx_t *twiddles) {
    const int32_t radix = factors[0];
    const int32_t m = factors[1];
    int32_t q;
    if (m == 1) {
        for (q = 0; q < radix; ++q) {
            const size_t sample = 2 * (first + (size_t)q * fstride);
            out[q].r = sample < (size_t)length ? frame[sample] : (MF_FFT_T)0;
            out[q].i = sample + 1 < (size_t)length ? frame[sample + 1] : (MF_FFT_T)0;
        }
    } else {
        for (q = 0; q < radix; ++q) {
            mf_fft_stage(out + (size_t)q * (size_t)m, frame, length,
                               first + (size_t)q * fstride, fstride * (size_t)radix,
                               factors + 2, twiddles);
        }
    }
    if (radix == 2) {
        mf_fft_radix2(out, fstride, twiddles, m);
    } else {
        mf_fft_radix4(out, fstride, twiddles, m);
    }
}

#ifdef MF_FFT_FORWARD
/* kiss_fftr: the half-length FFT of the (even, odd) pairs, split into the real spectrum. */
void MF_FFT_PUBLIC(const mf_signal_rfft_params *p, const MF_FFT_T *input, MF_FFT_T *output,
                   void *scratch) {
    const int32_t n = p->fft_length / 2;
    const mf_fft_cpx_t *twiddles = (const mf_fft_cpx_t *)p->twiddles;
    const mf_fft_cpx_t *super_twiddles = (const mf_fft_cpx_t *)p->super_twiddles;
    mf_fft_cpx_t *half = (mf_fft_cpx_t *)scratch;
    int32_t in_index;
    int32_t out_index = 0;
    for (in_index = 0; in_index < p->input_size; in_index += p->input_length) {
        mf_fft_cpx_t *spectrum = (mf_fft_cpx_t *)(void *)(output + 2 * out_index);
        mf_fft_cpx_t dc;
        int32_t k;
        mf_fft_stage(half, input + in_index, p->input_length, 0, 1, p->factors, twiddles);
        dc = MF_FFT_DIV(half[0], 2);
        spectrum[0].r = MF_FFT_ADD(dc.r, dc.i);
        spectrum[n].r = MF_FFT_SUB(dc.r, dc.i);
        spectrum[0].i = (MF_FFT_T)0;
        spectrum[n].i = (MF_FFT_T)0;
        for (k = 1; k <= n / 2; ++k) {
            mf_fft_cpx_t fpk = half[k];
            mf_fft_cpx_t fpnk, f1k, f2k, tw;
            fpnk.r = half[n - k].r;
            fpnk.i = MF_FFT_NEG(half[n - k].i);
            fpk = MF_FFT_DIV(fpk, 2);
            fpnk = MF_FFT_DIV(fpnk, 2);
            f1k.r = MF_FFT_ADD(fpk.r, fpnk.r);
            f1k.i = MF_FFT_ADD(fpk.i, fpnk.i);
            f2k.r = MF_FFT_SUB(fpk.r, fpnk.r);
            f2k.i = MF_FFT_SUB(fpk.i, fpnk.i);
            tw = MF_FFT_MUL(f2k, super_twiddles[k - 1]);
            spectrum[k].r = MF_FFT_HALF_SUM(f1k.r, tw.r);
            spectrum[k].i = MF_FFT_HALF_SUM(f1k.i, tw.i);
            spectrum[n - k].r = MF_FFT_HALF_DIFF(f1k.r, tw.r);
            spectrum[n - k].i = MF_FFT_HALF_DIFF(tw.i, f1k.i);
        }
        out_index += p->output_length;
    }
}
#else
/* kiss_fftri: the spectrum folded into a half-length complex sequence, inverse FFT. */
void MF_FFT_PUBLIC(const mf_signal_irfft_params *p, const MF_FFT_T *input, MF_FFT_T *output,
                   void *scratch) {
    const int32_t n = p->fft_length / 2;
    const mf_fft_cpx_t *twiddles = (const mf_fft_cpx_t *)p->twiddles;
    const mf_fft_cpx_t *super_twiddles = (const mf_fft_cpx_t *)p->super_twiddles;
    mf_fft_cpx_t *half = (mf_fft_cpx_t *)scratch;
    int32_t frame;
    for (frame = 0; frame < p->frames; ++frame) {
        const mf_fft_cpx_t *spectrum = (const mf_fft_cpx_t *)(const void *)(
            input + 2 * (size_t)frame * (size_t)p->input_length);
        int32_t k;
        half[0].r = MF_FFT_ADD(spectrum[0].r, spectrum[n].r);
        half[0].i = MF_FFT_SUB(spectrum[0].r, spectrum[n].r);
        half[0] = MF_FFT_DIV(half[0], 2);
        for (k = 1; k <= n / 2; ++k) {
            mf_fft_cpx_t fk = spectrum[k];
            mf_fft_cpx_t fnkc, fek, fok, diff;
            fnkc.r = spectrum[n - k].r;
            fnkc.i = MF_FFT_NEG(spectrum[n - k].i);
            fk = MF_FFT_DIV(fk, 2);
            fnkc = MF_FFT_DIV(fnkc, 2);
            fek.r = MF_FFT_ADD(fk.r, fnkc.r);
            fek.i = MF_FFT_ADD(fk.i, fnkc.i);
            diff.r = MF_FFT_SUB(fk.r, fnkc.r);
            diff.i = MF_FFT_SUB(fk.i, fnkc.i);
            fok = MF_FFT_MUL(diff, super_twiddles[k - 1]);
            half[k].r = MF_FFT_ADD(fek.r, fok.r);
            half[k].i = MF_FFT_ADD(fek.i, fok.i);
            half[n - k].r = MF_FFT_SUB(fek.r, fok.r);
            half[n - k].i = MF_FFT_NEG(MF_FFT_SUB(fek.i, fok.i));
        }
        mf_fft_stage((mf_fft_cpx_t *)(void *)(output + (size_t)frame *
                                                     (size_t)p->output_length),
                           (const MF_FFT_T *)(const void *)half, 2 * n, 0, 1, p->factors,
                           twiddles);
#ifdef MF_FFT_NORMALIZE_INVERSE
        MF_FFT_NORMALIZE_INVERSE(output + (size_t)frame * (size_t)p->output_length,
                                 p->fft_length);
#endif
    }
}
#endif

#endif /* MF_FFT_IMPLEMENTATION */
