/* microforge runtime: LOG_SOFTMAX float32 over the last axis (TFLite's reference formula). */
#ifndef MF_LOG_SOFTMAX_F32_H
#define MF_LOG_SOFTMAX_F32_H

#include "mf_common.h"

/* per row of `depth` values: out = x - max - logf(sum(expf(x - max))); output may be input. */
void mf_log_softmax_f32(int32_t outer, int32_t depth, const float *input, float *output);

#endif /* MF_LOG_SOFTMAX_F32_H */
