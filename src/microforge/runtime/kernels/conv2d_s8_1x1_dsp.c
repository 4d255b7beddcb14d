/* microforge runtime: 1x1 CONV_2D int8 on the DSP extension. Six pixels per pass: their input
 * channels are widened once to int16 pairs in the scratch (mf_dsp.h), then every filter row is
 * one word load and two SXTB16 per four channels, shared by the six pixels (LDRD + 2 SMLAD
 * each); the channel's requantization constants are read once for the six outputs. The input
 * offset is folded into the bias (bias_folded), as in the portable kernel. */
#include "conv2d_s8_1x1_dsp.h"
#include "mf_dsp.h"

int32_t mf_conv2d_s8_1x1_dsp_scratch_bytes(const mf_conv2d_s8_params *p) {
    return p->in_c % 4 == 0 ? MF_CONV2D_S8_1X1_DSP_SCRATCH(p->in_c) : 0;
}

#if MF_DSP_AVAILABLE
void mf_conv2d_s8_1x1_dsp(const mf_conv2d_s8_params *p, const int8_t *input,
                          const int8_t *filter, const int32_t *bias_folded, int8_t *output,
                          int8_t *scratch) {
    const int32_t pixels = p->batches * p->out_h * p->out_w;
    const int32_t in_c = p->in_c, out_c = p->out_c, groups = in_c >> 2;
    mf_dsp_out o;
    int16x2_t *cols = (int16x2_t *)(void *)scratch;
    const int16x2_t zero = mf_dsp_pair(0, 0);
    int32_t px, oc, k;
    o.offset = p->output_offset;
    o.act_min = p->act_min;
    o.act_max = p->act_max;
    for (px = 0; px < pixels; px += MF_DSP_PIXELS) {
        const int32_t n = MF_MIN(MF_DSP_PIXELS, pixels - px);
        const int8_t *in = input + (size_t)px * (size_t)in_c;
        int8_t *out = output + (size_t)px * (size_t)out_c;
        const int8_t *w = filter;
        for (k = 0; k < n; ++k) {
            mf_dsp_widen(cols, k, in + (size_t)k * (size_t)in_c, groups, zero);
        }
        for (; k < MF_DSP_PIXELS; ++k) {
            mf_dsp_zero(cols, k, groups);
        }
        for (oc = 0; oc < out_c; ++oc) {
            const mf_dsp_channel ch = mf_dsp_channel_of(p->multiplier[oc], p->shift[oc]);
            int32_t acc[MF_DSP_PIXELS];
            mf_dsp_fill(acc, bias_folded[oc]);
            mf_dsp_dot(cols, w, groups, acc);
            w += in_c;
            mf_dsp_store(acc, &ch, &o, out + oc, (size_t)out_c, n);
        }
    }
}
#endif
