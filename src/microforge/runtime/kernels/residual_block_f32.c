/* microforge runtime: float32 residual block (conv, conv, ADD) streamed row by row. */
#include <stddef.h>
#include <string.h>
#include "residual_block_f32.h"
#include "mf_common.h"

int32_t mf_residual_block_f32_band_rows(const mf_conv2d_f32_params *c1,
                                        const mf_conv2d_f32_params *c2) {
    return MF_MIN(MF_MAX(c2->filter_h, c1->pad_h + c2->pad_h + 1), c1->out_h);
}

void mf_residual_block_f32(const mf_conv2d_f32_params *c1, const mf_conv2d_f32_params *c2,
                           float add_min, float add_max, const float *x, const float *w1,
                           const float *b1, const float *w2, const float *b2, float *out,
                           float *scratch) {
    const int32_t h = c1->out_h;
    const size_t x_row = (size_t)c1->in_w * (size_t)c1->in_c;
    const size_t y1_row = (size_t)c1->out_w * (size_t)c1->out_c;
    const size_t y2_row = (size_t)c2->out_w * (size_t)c2->out_c;
    const size_t x_batch = (size_t)c1->in_h * x_row;
    float *band = scratch;
    float *y2 = scratch + (size_t)mf_residual_block_f32_band_rows(c1, c2) * y1_row;
    int32_t b, r, lo, hi, need_lo, need_hi, first;
    size_t i;
    for (b = 0; b < c1->batches; ++b) {
        const float *xb = x + (size_t)b * x_batch;
        float *ob = out + (size_t)b * x_batch;
        lo = 0; /* conv1 rows lo..hi-1 are in the band, row lo first */
        hi = 0;
        for (r = 0; r < c2->out_h; ++r) {
            need_lo = MF_MAX(0, r - c2->pad_h);
            need_hi = MF_MIN(h, MF_MAX(r - c2->pad_h + c2->filter_h, r + c1->pad_h + 1));
            if (need_lo >= hi) {
                lo = hi = need_lo;
            } else if (need_lo > lo) {
                memmove(band, band + (size_t)(need_lo - lo) * y1_row,
                        (size_t)(hi - need_lo) * y1_row * sizeof(float));
                lo = need_lo;
            }
            for (; hi < need_hi; ++hi) {
                /* conv1 row hi reads x rows >= hi - pad_h1 >= r: none overwritten yet */
                first = MF_MAX(0, hi * c1->stride_h - c1->pad_h);
                mf_conv2d_f32_blocked_rows(c1, xb + (size_t)first * x_row, first, hi, 1, w1, b1,
                                           band + (size_t)(hi - lo) * y1_row);
            }
            mf_conv2d_f32_blocked_rows(c2, band, lo, r, 1, w2, b2, y2);
            /* x row r has no reader left: the sum may replace it */
            for (i = 0; i < y2_row; ++i) {
                const float v = xb[(size_t)r * x_row + i] + y2[i];
                const float lower = v < add_min ? add_min : v;
                ob[(size_t)r * x_row + i] = lower > add_max ? add_max : lower;
            }
        }
    }
}

void mf_conv_add_f32(const mf_conv2d_f32_params *conv, float add_min, float add_max,
                     const float *x, const float *w, const float *bias, const float *other,
                     float *out, float *scratch) {
    const size_t x_row = (size_t)conv->in_w * (size_t)conv->in_c;
    const size_t row = (size_t)conv->out_w * (size_t)conv->out_c;
    const size_t x_batch = (size_t)conv->in_h * x_row;
    const size_t out_batch = (size_t)conv->out_h * row;
    int32_t b, r, first;
    size_t i;
    for (b = 0; b < conv->batches; ++b) {
        const float *xb = x + (size_t)b * x_batch;
        for (r = 0; r < conv->out_h; ++r) {
            const float *o = other + (size_t)b * out_batch + (size_t)r * row;
            float *dst = out + (size_t)b * out_batch + (size_t)r * row;
            first = MF_MAX(0, r * conv->stride_h - conv->pad_h);
            mf_conv2d_f32_blocked_rows(conv, xb + (size_t)first * x_row, first, r, 1, w, bias,
                                       scratch);
            for (i = 0; i < row; ++i) { /* element i of `other` is read before it is written */
                const float v = o[i] + scratch[i];
                const float lower = v < add_min ? add_min : v;
                dst[i] = lower > add_max ? add_max : lower;
            }
        }
    }
}
