/* microforge runtime: SQUARED_DIFFERENCE, float32 and int8 (TFLite reference arithmetic,
 * bit-exact), with TFLite broadcasting. */
#ifndef MF_SQUARED_DIFFERENCE_H
#define MF_SQUARED_DIFFERENCE_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

/* out = (a - b) * (a - b) */
void mf_squared_difference_f32(const mf_broadcast_shape *shape, const float *input1,
                               const float *input2, float *output);

typedef struct {
    mf_broadcast_shape shape;
    int32_t input1_offset; /* -zero point */
    int32_t input2_offset;
    int32_t output_offset; /* output zero point */
    int32_t left_shift;    /* 7 */
    int32_t input1_multiplier;
    int32_t input1_shift;  /* <= 0 */
    int32_t input2_multiplier;
    int32_t input2_shift;
    int32_t output_multiplier;
    int32_t output_shift;
} mf_squared_difference_s8_params;

void mf_squared_difference_s8(const mf_squared_difference_s8_params *p, const int8_t *input1,
                              const int8_t *input2, int8_t *output);

#endif /* MF_SQUARED_DIFFERENCE_H */
