/* microforge runtime: SOFTMAX with int16 input and output (16x8), TFLite's SoftmaxInt16. */
#ifndef MF_SOFTMAX_S16_H
#define MF_SOFTMAX_S16_H

#include "mf_common.h"

typedef struct {
    int32_t rows;
    int32_t depth;
    int32_t input_multiplier; /* in_scale * beta / (10 / 65535), QuantizeMultiplier */
    int32_t input_left_shift;
    const int16_t *exp_lut;   /* 513 entries: exp on [-10, 0] (ops/softmax_s16_tables.py) */
    const int16_t *recip_lut; /* 513 entries: 1 / (1 + x) on [0, 1] */
} mf_softmax_s16_params;

/* Per row: exp(x - max) from the table (interpolated), the Q16.15 sum, its reciprocal from
 * the second table, and the products rounded to Q0.15 (output scale 2^-15, zero point 0).
 * The exponentials are kept in the output row, as TFLite does; in place is safe. */
void mf_softmax_s16(const mf_softmax_s16_params *p, const int16_t *input, int16_t *output);

#endif /* MF_SOFTMAX_S16_H */
