/* microforge runtime: DEPTHWISE_CONV_2D -> FULLY_CONNECTED fused, int8. */
#include "depthwise_fc_s8.h"
#include "mf_requantize.h"

void mf_depthwise_fc_s8(const mf_depthwise_conv2d_s8_params *dw,
                        const mf_fully_connected_s8_params *fc, const int8_t *input,
                        const int8_t *dw_filter, const int32_t *dw_bias,
                        const int8_t *fc_weights, const int32_t *fc_bias_folded, int8_t *output,
                        void *scratch) {
    const int32_t units = fc->out_depth;
    const int32_t n = fc->in_depth;
    const int32_t row_len = dw->out_w * dw->in_c * dw->depth_multiplier;
    const size_t in_batch = (size_t)(dw->in_h * dw->in_w * dw->in_c);
    int32_t *acc = (int32_t *)scratch;
    int8_t *row = (int8_t *)(acc + units);
    int32_t b, oy, c, d;
    for (b = 0; b < fc->batches; ++b) {
        const int8_t *in_b = input + (size_t)b * in_batch;
        for (c = 0; c < units; ++c) {
            acc[c] = fc_bias_folded[c];
        }
        for (oy = 0; oy < dw->out_h; ++oy) {
            const size_t column = (size_t)oy * (size_t)row_len;
            const int32_t first = MF_MAX(0, oy * dw->stride_h - dw->pad_h);
            mf_depthwise_conv2d_s8_rows(dw, in_b + (size_t)first * (size_t)(dw->in_w * dw->in_c),
                                        first, oy, 1, dw_filter, dw_bias, row);
            for (c = 0; c < units; ++c) {
                const int8_t *w = fc_weights + (size_t)c * (size_t)n + column;
                int32_t sum = 0;
                for (d = 0; d < row_len; ++d) {
                    sum += ((int32_t)w[d] + fc->filter_offset) * (int32_t)row[d];
                }
                acc[c] += sum;
            }
        }
        for (c = 0; c < units; ++c) {
            const int32_t q = fc->per_channel ? c : 0;
            int32_t v = mf_add_wrap(mf_requantize(acc[c], fc->multiplier[q], fc->shift[q]),
                                    fc->output_offset);
            output[(size_t)b * (size_t)units + (size_t)c] = (int8_t)MF_CLAMP(v, fc->act_min,
                                                                               fc->act_max);
        }
    }
}
