/* microforge runtime: MUL with int16 activations (16x8), TFLite broadcasting and fused
 * activation. */
#ifndef MF_MUL_S16_H
#define MF_MUL_S16_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    int32_t input1_offset;     /* -input1 zero point (0: TFLM requires it) */
    int32_t input2_offset;     /* -input2 zero point (0) */
    int32_t output_multiplier; /* s1 * s2 / s_out */
    int32_t output_shift;
    int32_t output_offset;     /* output zero point (0) */
    int32_t act_min;
    int32_t act_max;
} mf_mul_s16_params;

/* TFLite's MulElementwise for int16: the int32 product (at most 2^30) rescaled with the int32
 * MultiplyByQuantizedMultiplier. */
void mf_mul_s16(const mf_mul_s16_params *p, const int16_t *input1, const int16_t *input2,
                int16_t *output);

#endif /* MF_MUL_S16_H */
