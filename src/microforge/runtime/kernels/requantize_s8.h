/* microforge runtime: int8 -> int8 and int16 -> int16 rescale and clamp (RELU int8 / int16,
 * QUANTIZE int8 -> int8). One params struct for both entry points. */
#ifndef MF_REQUANTIZE_S8_H
#define MF_REQUANTIZE_S8_H

#include "mf_common.h"

typedef struct {
    int32_t size;
    int32_t input_zero_point;
    int32_t multiplier;        /* input_scale / output_scale */
    int32_t shift;
    int32_t output_zero_point;
    int32_t act_min;
    int32_t act_max;
} mf_requantize_s8_params;

/* out = clamp(out_zp + MultiplyByQuantizedMultiplier(in - in_zp, m, s), act_min, act_max). */
void mf_requantize_s8(const mf_requantize_s8_params *p, const int8_t *input, int8_t *output);
void mf_requantize_s16(const mf_requantize_s8_params *p, const int16_t *input, int16_t *output);

#endif /* MF_REQUANTIZE_S8_H */
