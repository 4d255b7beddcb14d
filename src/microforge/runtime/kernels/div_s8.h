/* microforge runtime: DIV int8, TFLite's DivElementwise (the divisor's reciprocal from a
 * compile-time table of GetReciprocal for |divisor| = 1..255, a headroom shift per element),
 * with TFLite broadcasting and the fused activation. */
#ifndef MF_DIV_S8_H
#define MF_DIV_S8_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

typedef struct {
    mf_broadcast_shape shape;
    int32_t input1_offset;
    int32_t input2_offset;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t output_offset;
    int32_t act_min;
    int32_t act_max;
    const int32_t *reciprocal;       /* [256]: GetReciprocal(d, 31) for d = 0..255 */
    const int8_t *reciprocal_shift;  /* [256]: its num_bits_over_unit */
} mf_div_s8_params;

/* A divisor equal to its zero point (division by zero, undefined in TFLM) gives the output
 * zero point, clamped to the activation range. */
void mf_div_s8(const mf_div_s8_params *p, const int8_t *input1, const int8_t *input2,
               int8_t *output);

#endif /* MF_DIV_S8_H */
