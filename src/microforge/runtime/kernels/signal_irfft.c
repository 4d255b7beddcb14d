/* microforge runtime: SignalIrfft int16. KISS FFT's kiss_fftri: the spectrum folded into a
 * half-length complex sequence (each bin halved first), then the inverse complex FFT
 * (signal_fft16.c), whose (re, im) pairs are the output samples. */
#include "signal_fft16.h"
#include "signal_irfft.h"

static void mf_irfft_frame(const mf_signal_irfft_params *p, const mf_cpx16 *spectrum,
                           mf_cpx16 *half, int16_t *samples) {
    const int32_t n = p->fft_length / 2;
    const mf_cpx16 *super_twiddles = (const mf_cpx16 *)(const void *)p->super_twiddles;
    int32_t k;
    half[0].r = (int16_t)(spectrum[0].r + spectrum[n].r);
    half[0].i = (int16_t)(spectrum[0].r - spectrum[n].r);
    half[0] = mf_cpx_div(half[0], 32767 / 2);
    for (k = 1; k <= n / 2; ++k) {
        mf_cpx16 fk = spectrum[k];
        mf_cpx16 fnkc, fek, fok, diff;
        fnkc.r = spectrum[n - k].r;
        fnkc.i = (int16_t)-spectrum[n - k].i;
        fk = mf_cpx_div(fk, 32767 / 2);
        fnkc = mf_cpx_div(fnkc, 32767 / 2);
        fek.r = (int16_t)(fk.r + fnkc.r);
        fek.i = (int16_t)(fk.i + fnkc.i);
        diff.r = (int16_t)(fk.r - fnkc.r);
        diff.i = (int16_t)(fk.i - fnkc.i);
        fok = mf_cpx_mul(diff, super_twiddles[k - 1]);
        half[k].r = (int16_t)(fek.r + fok.r);
        half[k].i = (int16_t)(fek.i + fok.i);
        half[n - k].r = (int16_t)(fek.r - fok.r);
        half[n - k].i = (int16_t)(fek.i - fok.i);
        half[n - k].i = (int16_t)(half[n - k].i * -1);
    }
    mf_signal_fft16((mf_cpx16 *)(void *)samples, (const int16_t *)(const void *)half,
                    2 * n, p->factors, p->twiddles, 1);
}

void mf_signal_irfft(const mf_signal_irfft_params *p, const int16_t *input, int16_t *output,
                     void *scratch) {
    int32_t frame;
    for (frame = 0; frame < p->frames; ++frame) {
        mf_irfft_frame(p, (const mf_cpx16 *)(const void *)(input + 2 * (size_t)frame *
                                                           (size_t)p->input_length),
                       (mf_cpx16 *)scratch, output + (size_t)frame * (size_t)p->output_length);
    }
}
