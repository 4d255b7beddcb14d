/* microforge runtime: DEPTHWISE_CONV_2D -> MAX_POOL_2D fused, float32. */
#include "depthwise_max_pool_f32.h"

void mf_depthwise_max_pool_f32(const mf_depthwise_conv2d_f32_params *dw,
                               const mf_max_pool2d_f32_params *pool, const float *input,
                               const float *filter, const float *bias, float *output,
                               float *band) {
    const size_t row_len = (size_t)(dw->out_w * dw->in_c * dw->depth_multiplier);
    const size_t in_row = (size_t)(dw->in_w * dw->in_c);
    const size_t in_batch = (size_t)dw->in_h * in_row;
    const size_t out_row = (size_t)(pool->out_w * pool->depth);
    int32_t b, py, r;
    for (b = 0; b < dw->batches; ++b) {
        const float *in_b = input + (size_t)b * in_batch;
        float *out_b = output + (size_t)b * (size_t)pool->out_h * out_row;
        for (py = 0; py < pool->out_h; ++py) {
            const int32_t y0 = py * pool->stride_h - pool->pad_h;
            const int32_t first = MF_MAX(0, y0);
            const int32_t last = MF_MIN(dw->out_h, y0 + pool->filter_h);
            mf_max_pool2d_f32_params one = *pool;
            for (r = first; r < last; ++r) {
                const int32_t in_first = MF_MAX(0, r * dw->stride_h - dw->pad_h);
                mf_depthwise_conv2d_f32_rows(dw, in_b + (size_t)in_first * in_row, in_first, r, 1,
                                             filter, bias, band + (size_t)(r - first) * row_len);
            }
            one.batches = 1;
            one.out_h = 1;
            one.in_h = MF_MAX(0, last - first);
            one.pad_h = first - y0;
            mf_max_pool2d_f32(&one, band, out_b + (size_t)py * out_row);
        }
    }
}
