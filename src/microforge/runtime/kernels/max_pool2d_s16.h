/* microforge runtime: MAX_POOL_2D, int16 (16x8, input and output share scale and zero point, as TFLM requires), NHWC. */
#ifndef MF_MAX_POOL2D_S16_H
#define MF_MAX_POOL2D_S16_H

#include "mf_common.h"

typedef struct {
    int32_t batches;
    int32_t in_h, in_w, depth;
    int32_t out_h, out_w;
    int32_t stride_h, stride_w;
    int32_t filter_h, filter_w;
    int32_t pad_h, pad_w; /* padding before the first row / column (TFLite's padding_values) */
    int32_t act_min, act_max;
} mf_max_pool2d_s16_params;

/* Maximum over each window clipped to the input (padding never wins), then the fused
 * activation clamp: TFLite's reference MaxPool. */
void mf_max_pool2d_s16(const mf_max_pool2d_s16_params *p, const int16_t *input, int16_t *output);

#endif /* MF_MAX_POOL2D_S16_H */
