/* microforge runtime: L2_NORMALIZATION float32 over the last axis (TFLite's reference). */
#ifndef MF_L2_NORMALIZATION_F32_H
#define MF_L2_NORMALIZATION_F32_H

#include "mf_common.h"

/* per row of `depth` values: out = x / max(sqrtf(sum(x * x)), 1e-6f); output may be input. */
void mf_l2_normalization_f32(int32_t outer, int32_t depth, const float *input, float *output);

#endif /* MF_L2_NORMALIZATION_F32_H */
