/* microforge runtime: AVERAGE_POOL_2D, int16 (16x8, input and output share scale and zero point). */
#ifndef MF_AVERAGE_POOL2D_S16_H
#define MF_AVERAGE_POOL2D_S16_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, channels;
    int32_t out_h, out_w;
    int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
    int32_t act_min, act_max;
} mf_average_pool2d_s16_params;

void mf_average_pool2d_s16(const mf_average_pool2d_s16_params *p, const int16_t *input,
                          int16_t *output);

#endif /* MF_AVERAGE_POOL2D_S16_H */
