/* microforge runtime: CONV_2D, float32. */
#ifndef MF_CONV2D_F32_H
#define MF_CONV2D_F32_H

#include <stdint.h>

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t filter_h, filter_w, filter_in_c;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    float act_min, act_max;
} mf_conv2d_f32_params;

/* NHWC input/output, OHWI filter. bias may be NULL.
 * In place (output == input) when row_scratch holds (pad_h + 1) output rows; this needs
 * stride 1 and an output row no larger than an input row. Otherwise pass NULL. */
void mf_conv2d_f32(const mf_conv2d_f32_params *p, const float *input, const float *filter,
                   const float *bias, float *output, float *row_scratch);

/* Bytes of row_scratch an in-place run needs (0: none for these shapes); also for
 * mf_conv2d_f32_blocked. Checked against the compiler's plan (tests/ops/test_scratch_sizes.py). */
int32_t mf_conv2d_f32_scratch_bytes(const mf_conv2d_f32_params *p);

#endif /* MF_CONV2D_F32_H */
