/* microforge runtime: FULLY_CONNECTED float32 with weights re-laid-out at compile time in
 * blocks of MF_FC_F32_BLOCK output units, so the units of a block are computed side by side
 * (SIMD lanes on the host, registers on a Cortex-M). Each unit keeps TFLite's reference
 * summation order: results are bit-identical with mf_fully_connected_f32. */
#ifndef MF_FULLY_CONNECTED_F32_BLOCKED_H
#define MF_FULLY_CONNECTED_F32_BLOCKED_H

#include "fully_connected_f32.h"

#define MF_FC_F32_BLOCK 8 /* two 4-float vectors in the kernel */

/* blocked: out_depth / MF_FC_F32_BLOCK blocks, block k holding [in_depth][MF_FC_F32_BLOCK]
 * (element [d][j] = weights[k * MF_FC_F32_BLOCK + j][d]), then the remaining
 * out_depth % MF_FC_F32_BLOCK rows of weights as they are. bias may be NULL. */
void mf_fully_connected_f32_blocked(const mf_fully_connected_f32_params *p, const float *input,
                                    const float *blocked, const float *bias, float *output);

#endif /* MF_FULLY_CONNECTED_F32_BLOCKED_H */
