/* microforge runtime: L2_NORMALIZATION int8 over the last axis, TFLite's integer reference:
 * the sum of squares, its inverse square root in gemmlowp fixed point (Newton-Raphson,
 * GetInvSqrtQuantizedMultiplierExp), the output in 1/128 steps. */
#ifndef MF_L2_NORMALIZATION_S8_H
#define MF_L2_NORMALIZATION_S8_H

#include "mf_common.h"

/* output may be the input (each row is read twice before it is written). */
void mf_l2_normalization_s8(int32_t outer, int32_t depth, int32_t input_zero_point,
                            const int8_t *input, int8_t *output);

#endif /* MF_L2_NORMALIZATION_S8_H */
