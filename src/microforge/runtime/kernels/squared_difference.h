/* microforge runtime: SQUARED_DIFFERENCE, float32, int32, int8 and int16 (TFLite reference
 * arithmetic, bit-exact), with TFLite broadcasting. */
#ifndef MF_SQUARED_DIFFERENCE_H
#define MF_SQUARED_DIFFERENCE_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

/* out = (a - b) * (a - b) */
void mf_squared_difference_f32(const mf_broadcast_shape *shape, const float *input1,
                               const float *input2, float *output);

/* int32 (unquantized): (a - b)^2 modulo 2^32 (TFLite's C++ int32 overflow, without UB) */
void mf_squared_difference_s32(const mf_broadcast_shape *shape, const int32_t *input1,
                               const int32_t *input2, int32_t *output);

typedef struct {
    mf_broadcast_shape shape;
    int32_t input1_offset; /* -zero point */
    int32_t input2_offset;
    int32_t output_offset; /* output zero point */
    int32_t left_shift;    /* 7 (int8), 0 (int16) */
    int32_t input1_multiplier;
    int32_t input1_shift;  /* <= 0 */
    int32_t input2_multiplier;
    int32_t input2_shift;
    int32_t output_multiplier;
    int32_t output_shift;
} mf_squared_difference_s8_params;

void mf_squared_difference_s8(const mf_squared_difference_s8_params *p, const int8_t *input1,
                              const int8_t *input2, int8_t *output);
/* int16, zero points 0 (TFLM's Prepare), left_shift 0, the same parameters. */
void mf_squared_difference_s16(const mf_squared_difference_s8_params *p, const int16_t *input1,
                               const int16_t *input2, int16_t *output);

#endif /* MF_SQUARED_DIFFERENCE_H */
