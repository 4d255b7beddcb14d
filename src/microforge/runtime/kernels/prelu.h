/* microforge runtime: PRELU, float32, int8 and int16 with int8 alpha (TFLite reference arithmetic, bit-exact), with
 * TFLite broadcasting of alpha against the input. */
#ifndef MF_PRELU_H
#define MF_PRELU_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

/* out = x >= 0 ? x : x * alpha */
void mf_prelu_f32(const mf_broadcast_shape *shape, const float *input, const float *alpha,
                  float *output);

typedef struct {
    mf_broadcast_shape shape;
    int32_t input_offset;        /* -input zero point */
    int32_t alpha_offset;        /* -alpha zero point */
    int32_t output_offset;       /* output zero point */
    int32_t output_multiplier_1; /* s_in / s_out: x >= 0 */
    int32_t output_shift_1;
    int32_t output_multiplier_2; /* s_in * s_alpha / s_out: x < 0 */
    int32_t output_shift_2;
} mf_prelu_s8_params;

void mf_prelu_s8(const mf_prelu_s8_params *p, const int8_t *input, const int8_t *alpha,
                 int8_t *output);
/* int16 input and output, int8 alpha (TFLM's 16x8 PRELU), the same parameters. */
void mf_prelu_s16(const mf_prelu_s8_params *p, const int16_t *input, const int8_t *alpha,
                  int16_t *output);

#endif /* MF_PRELU_H */
