/* microforge runtime: CUMSUM along one axis (TFLite's reference CumSum, float32 and int8). */
#ifndef MF_CUMSUM_H
#define MF_CUMSUM_H

#include "mf_common.h"

typedef struct {
    int32_t before;     /* product of the dimensions before the axis */
    int32_t depth;      /* the axis */
    int32_t after;      /* product of the dimensions after it */
    int32_t exclusive;  /* each output leaves its own input out */
    int32_t reverse;    /* sums from the end */
    /* int8 only: ADD-style rescaling (left shift 20) */
    int32_t input_offset;
    int32_t left_shift;
    int32_t input_multiplier;
    int32_t input_shift;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t output_offset;
} mf_cumsum_params;

void mf_cumsum_f32(const mf_cumsum_params *p, const float *input, float *output);
/* as TFLite: each sum starts from the rescaled input offset */
void mf_cumsum_s8(const mf_cumsum_params *p, const int8_t *input, int8_t *output);

#endif /* MF_CUMSUM_H */
