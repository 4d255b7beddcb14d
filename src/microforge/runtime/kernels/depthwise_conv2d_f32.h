/* microforge runtime: DEPTHWISE_CONV_2D, float32. */
#ifndef MF_DEPTHWISE_CONV2D_F32_H
#define MF_DEPTHWISE_CONV2D_F32_H

#include <stdint.h>

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, depth_multiplier; /* out_c = in_c * depth_multiplier */
    int32_t filter_h, filter_w;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    float act_min, act_max;
} mf_depthwise_conv2d_f32_params;

/* NHWC input/output, 1HWO filter. bias may be NULL. */
void mf_depthwise_conv2d_f32(const mf_depthwise_conv2d_f32_params *p, const float *input,
                            const float *filter, const float *bias, float *output);

/* Output rows [oy, oy + rows) of one batch into `output`, the input pointer at input row
 * `first` (<= the first row they read; MF_CONV_ROWS_VIEW): the per-row entry point fusions
 * compose (same arithmetic as the whole run). */
void mf_depthwise_conv2d_f32_rows(const mf_depthwise_conv2d_f32_params *p, const float *input,
                                  int32_t first, int32_t oy, int32_t rows, const float *filter,
                                  const float *bias, float *output);

#endif /* MF_DEPTHWISE_CONV2D_F32_H */
