/* microforge runtime: CONV_2D int8 on the DSP extension, for small receptive fields (the first
 * layer of an audio or image model, 1xK convolutions of 1-D models). Six output pixels per
 * pass: the receptive field of each is gathered once (padding = the input zero point, which
 * adds 0) and widened with the input offset to int16 pairs in the scratch (mf_dsp.h); every
 * filter is then one word load and two SXTB16 per four values, shared by the six pixels
 * (LDRD + 2 SMLAD each), and its channel's requantization constants are read once. */
#include "conv2d_s8_dsp.h"
#include "mf_dsp.h"

int32_t mf_conv2d_s8_dsp_scratch_bytes(const mf_conv2d_s8_params *p) {
    const int32_t len = p->filter_h * p->filter_w * p->filter_in_c;
    /* shapes the portable kernel can run in place keep its ring (mf_conv2d_s8_scratch_bytes) */
    return p->filter_in_c == p->in_c && len <= MF_CONV2D_S8_DSP_PATCH_MAX
            && mf_conv2d_s8_scratch_bytes(p) == 0
        ? MF_CONV2D_S8_DSP_SCRATCH(len) : 0;
}

#if MF_DSP_AVAILABLE
/* The receptive field of output pixel (oy, ox) as `len` int8 values, then zero-point padded to a
 * multiple of four. */
static void mf_conv_dsp_gather(const mf_conv2d_s8_params *p, const int8_t *in_b, int32_t oy,
                               int32_t ox, int32_t len, int8_t *patch) {
    const int32_t in_c = p->in_c;
    const int8_t zero_point = (int8_t)(-p->input_offset);
    const int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
    int32_t fy, fx, c;
    int8_t *dst = patch;
    for (fy = 0; fy < p->filter_h; ++fy) {
        const int32_t y = y0 + fy * p->dilation_h;
        const int row_inside = y >= 0 && y < p->in_h;
        for (fx = 0; fx < p->filter_w; ++fx) {
            const int32_t x = x0 + fx * p->dilation_w;
            if (row_inside && x >= 0 && x < p->in_w) {
                const int8_t *src = in_b + ((size_t)y * (size_t)p->in_w + (size_t)x) * (size_t)in_c;
                for (c = 0; c < in_c; ++c) {
                    dst[c] = src[c];
                }
            } else {
                for (c = 0; c < in_c; ++c) {
                    dst[c] = zero_point;
                }
            }
            dst += in_c;
        }
    }
    for (c = len; c & 3; ++c) {
        patch[c] = zero_point;
    }
}

void mf_conv2d_s8_dsp(const mf_conv2d_s8_params *p, const int8_t *input, const int8_t *filter,
                      const int32_t *bias, int8_t *output, int8_t *scratch) {
    const int32_t len = p->filter_h * p->filter_w * p->in_c;
    const int32_t groups = len >> 2, all_groups = (len + 3) >> 2, tail = len & 3;
    const int32_t out_c = p->out_c, pixels = p->out_h * p->out_w;
    mf_dsp_out o;
    const int16x2_t io2 = mf_dsp_pair(p->input_offset, p->input_offset);
    int16x2_t *cols = (int16x2_t *)(void *)scratch;
    int8_t patch[MF_CONV2D_S8_DSP_PATCH_MAX + 4];
    int32_t b, px, oc, k;
    o.offset = p->output_offset;
    o.act_min = p->act_min;
    o.act_max = p->act_max;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in_b = input + (size_t)b * (size_t)(p->in_h * p->in_w * p->in_c);
        int8_t *out_b = output + (size_t)b * (size_t)pixels * (size_t)out_c;
        for (px = 0; px < pixels; px += MF_DSP_PIXELS) {
            const int32_t n = MF_MIN(MF_DSP_PIXELS, pixels - px);
            const int8_t *w = filter;
            int8_t *out = out_b + (size_t)px * (size_t)out_c;
            for (k = 0; k < n; ++k) {
                mf_conv_dsp_gather(p, in_b, (px + k) / p->out_w, (px + k) % p->out_w, len, patch);
                mf_dsp_widen(cols, k, patch, all_groups, io2);
            }
            for (; k < MF_DSP_PIXELS; ++k) {
                mf_dsp_zero(cols, k, all_groups);
            }
            for (oc = 0; oc < out_c; ++oc) {
                const mf_dsp_channel ch = mf_dsp_channel_of(p->multiplier[oc], p->shift[oc]);
                int32_t acc[MF_DSP_PIXELS];
                mf_dsp_fill(acc, bias != NULL ? bias[oc] : 0);
                mf_dsp_dot(cols, w, groups, acc);
                if (tail) { /* the last 1-3 values: their weights as pairs, zeros beyond */
                    const int8_t *wt = w + 4 * groups;
                    const int16x2_t we = mf_dsp_pair(wt[0], tail > 2 ? wt[2] : 0);
                    const int16x2_t wo = mf_dsp_pair(tail > 1 ? wt[1] : 0, 0);
                    const int16x2_t *ct = cols + 2 * MF_DSP_PIXELS * groups;
                    for (k = 0; k < MF_DSP_PIXELS; ++k) {
                        acc[k] = __smlad(ct[2 * k + 1], wo, __smlad(ct[2 * k], we, acc[k]));
                    }
                }
                w += len;
                mf_dsp_store(acc, &ch, &o, out + oc, (size_t)out_c, n);
            }
        }
    }
}
#endif
