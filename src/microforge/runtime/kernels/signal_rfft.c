/* microforge runtime: SignalRfft int16. The complex FFT of half the length (signal_fft16.c)
 * over the frame read as (even, odd) pairs, then KISS FFT's split into the real spectrum. The
 * zero padding to fft_length is read, not stored. */
#include "signal_fft16.h"
#include "signal_rfft.h"

static void mf_rfft_frame(const mf_signal_rfft_params *p, const int16_t *frame,
                          int32_t length, mf_cpx16 *half, mf_cpx16 *spectrum) {
    const int32_t n = p->fft_length / 2;
    mf_cpx16 dc;
    int32_t k;
    const mf_cpx16 *super_twiddles = (const mf_cpx16 *)(const void *)p->super_twiddles;
    mf_signal_fft16(half, frame, length, p->factors, p->twiddles, 0);
    dc = mf_cpx_div(half[0], 32767 / 2);
    spectrum[0].r = (int16_t)(dc.r + dc.i);
    spectrum[n].r = (int16_t)(dc.r - dc.i);
    spectrum[0].i = 0;
    spectrum[n].i = 0;
    for (k = 1; k <= n / 2; ++k) {
        mf_cpx16 fpk = half[k];
        mf_cpx16 fpnk;
        mf_cpx16 f1k, f2k, tw;
        fpnk.r = half[n - k].r;
        fpnk.i = (int16_t)-half[n - k].i;
        fpk = mf_cpx_div(fpk, 32767 / 2);
        fpnk = mf_cpx_div(fpnk, 32767 / 2);
        f1k.r = (int16_t)(fpk.r + fpnk.r);
        f1k.i = (int16_t)(fpk.i + fpnk.i);
        f2k.r = (int16_t)(fpk.r - fpnk.r);
        f2k.i = (int16_t)(fpk.i - fpnk.i);
        tw = mf_cpx_mul(f2k, super_twiddles[k - 1]);
        spectrum[k].r = (int16_t)((f1k.r + tw.r) >> 1);
        spectrum[k].i = (int16_t)((f1k.i + tw.i) >> 1);
        spectrum[n - k].r = (int16_t)((f1k.r - tw.r) >> 1);
        spectrum[n - k].i = (int16_t)((tw.i - f1k.i) >> 1);
    }
}

void mf_signal_rfft(const mf_signal_rfft_params *p, const int16_t *input, int16_t *output,
                    void *scratch) {
    mf_cpx16 *half = (mf_cpx16 *)scratch;
    int32_t in_index;
    int32_t out_index = 0;
    for (in_index = 0; in_index < p->input_size; in_index += p->input_length) {
        mf_rfft_frame(p, input + in_index, p->input_length, half,
                      (mf_cpx16 *)(void *)(output + 2 * out_index));
        out_index += p->output_length;
    }
}
