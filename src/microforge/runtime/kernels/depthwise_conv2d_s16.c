/* microforge runtime: DEPTHWISE_CONV_2D 16x8 (TFLite reference arithmetic, bit-exact). */
#include "depthwise_conv2d_s16.h"
#include "mf_requantize64.h"

void mf_depthwise_conv2d_s16(const mf_depthwise_conv2d_s16_params *p, const int16_t *input,
                             const int8_t *filter, const int64_t *bias, int16_t *output) {
    const int32_t out_c = p->in_c * p->depth_multiplier;
    int32_t b, oy, ox, ic, m, fy, fx;
    for (b = 0; b < p->batches; ++b) {
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                int16_t *out = output + (((size_t)b * (size_t)p->out_h + (size_t)oy) *
                                         (size_t)p->out_w + (size_t)ox) * (size_t)out_c;
                for (ic = 0; ic < p->in_c; ++ic) {
                    for (m = 0; m < p->depth_multiplier; ++m) {
                        const int32_t oc = ic * p->depth_multiplier + m;
                        /* at most filter_h * filter_w products below 2^22 each; the int64
                         * sum is exact */
                        int64_t acc = bias != NULL ? bias[oc] : 0;
                        int32_t v;
                        for (fy = 0; fy < p->filter_h; ++fy) {
                            const int32_t iy = y0 + p->dilation_h * fy;
                            if (iy < 0 || iy >= p->in_h) {
                                continue;
                            }
                            for (fx = 0; fx < p->filter_w; ++fx) {
                                const int32_t ix = x0 + p->dilation_w * fx;
                                if (ix < 0 || ix >= p->in_w) {
                                    continue;
                                }
                                acc += (int32_t)filter[((size_t)fy * (size_t)p->filter_w +
                                                        (size_t)fx) * (size_t)out_c + (size_t)oc]
                                       * (int32_t)input[(((size_t)b * (size_t)p->in_h +
                                                          (size_t)iy) * (size_t)p->in_w +
                                                         (size_t)ix) * (size_t)p->in_c +
                                                        (size_t)ic];
                            }
                        }
                        v = mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[oc],
                                                                    p->shift[oc]);
                        out[oc] = (int16_t)MF_CLAMP(v, p->act_min, p->act_max);
                    }
                }
            }
        }
    }
}
