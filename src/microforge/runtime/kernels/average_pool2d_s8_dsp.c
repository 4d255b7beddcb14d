/* microforge runtime: AVERAGE_POOL_2D int8 on the DSP extension. Four channels per pass: one word
 * of inputs per pixel of the window, SXTAB16 adding its even and (rotated) odd bytes to two
 * int16 pairs (a window of at most 255 values cannot overflow them); then TFLite's rounding
 * division of each sum by the count of valid pixels, as the portable kernel. */
#include "average_pool2d_s8_dsp.h"
#include "mf_simd32.h"

#if MF_DSP_AVAILABLE
static __attribute__((noinline)) int8_t mf_pool_dsp_average(int32_t acc, int32_t count,
                                                            int32_t lo, int32_t hi) {
    if (count > 0) {
        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
    }
    return (int8_t)MF_CLAMP(acc, lo, hi);
}

void mf_average_pool2d_s8_dsp(const mf_average_pool2d_s8_params *p, const int8_t *input,
                              int8_t *output) {
    const int32_t channels = p->channels;
    int32_t b, oy, ox, c, y, x;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in_b = input + (size_t)b * (size_t)(p->in_h * p->in_w * channels);
        for (oy = 0; oy < p->out_h; ++oy) {
            const int32_t y0 = oy * p->stride_h - p->pad_h;
            const int32_t y_start = MF_MAX(0, y0);
            const int32_t y_end = MF_MIN(p->in_h, y0 + p->filter_h);
            for (ox = 0; ox < p->out_w; ++ox) {
                const int32_t x0 = ox * p->stride_w - p->pad_w;
                const int32_t x_start = MF_MAX(0, x0);
                const int32_t x_end = MF_MIN(p->in_w, x0 + p->filter_w);
                const int32_t count = (y_end - y_start) * (x_end - x_start);
                const size_t row_skip = (size_t)(p->in_w - (x_end - x_start)) * (size_t)channels;
                for (c = 0; c < channels; c += 4) {
                    const int8_t *in = in_b + ((size_t)y_start * (size_t)p->in_w
                                               + (size_t)x_start) * (size_t)channels + c;
                    int16x2_t even = (int16x2_t)0, odd = (int16x2_t)0;
                    for (y = y_start; y < y_end; ++y) {
                        for (x = x_start; x < x_end; ++x) {
                            const uint32_t v = mf_load_u32(in);
                            even = __sxtab16(even, (int8x4_t)v);
                            odd = mf_sxtab16_odd(odd, v);
                            in += channels;
                        }
                        in += row_skip;
                    }
                    *output++ = mf_pool_dsp_average((int16_t)(uint32_t)even, count, p->act_min,
                                                    p->act_max);
                    *output++ = mf_pool_dsp_average((int16_t)(uint32_t)odd, count, p->act_min,
                                                    p->act_max);
                    *output++ = mf_pool_dsp_average((int16_t)((uint32_t)even >> 16), count,
                                                    p->act_min, p->act_max);
                    *output++ = mf_pool_dsp_average((int16_t)((uint32_t)odd >> 16), count,
                                                    p->act_min, p->act_max);
                }
            }
        }
    }
}
#else
/* Built only for cores with the DSP extension (codegen/variants.py selects it there). */
typedef int mf_average_pool2d_s8_dsp_unavailable;
#endif
