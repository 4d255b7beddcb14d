/* microforge runtime: L2_POOL_2D, float32 (TFLite's reference L2Pool: the square root of the
 * mean of the squares over the part of the window inside the input). Uses <math.h>. */
#ifndef MF_L2_POOL2D_F32_H
#define MF_L2_POOL2D_F32_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, channels;
    int32_t out_h, out_w;
    int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
    float act_min, act_max;
} mf_l2_pool2d_f32_params;

void mf_l2_pool2d_f32(const mf_l2_pool2d_f32_params *p, const float *input, float *output);

#endif /* MF_L2_POOL2D_F32_H */
