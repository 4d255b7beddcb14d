/* microforge runtime: DEPTHWISE_CONV_2D -> MAX_POOL_2D fused, float32 (bit-identical with the
 * two ops run one after the other). The depthwise output never exists in full: for each pooled
 * row, the depthwise rows its window covers are computed into a band and pooled. */
#ifndef MF_DEPTHWISE_MAX_POOL_F32_H
#define MF_DEPTHWISE_MAX_POOL_F32_H

#include "mf_common.h"
#include "depthwise_conv2d_f32.h"
#include "max_pool2d_f32.h"

/* dw: the depthwise op; pool: the max pool reading its output. band: pool->filter_h depthwise
 * output rows (filter_h * out_w * out_c floats). */
void mf_depthwise_max_pool_f32(const mf_depthwise_conv2d_f32_params *dw,
                               const mf_max_pool2d_f32_params *pool, const float *input,
                               const float *filter, const float *bias, float *output,
                               float *band);

#endif /* MF_DEPTHWISE_MAX_POOL_F32_H */
