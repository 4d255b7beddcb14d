/* microforge runtime: QUANTIZE with int16 activations (TFLite's 16x8 scheme): float32 -> int16
 * and the requantizations int16 -> int16, int16 -> int8, int8 -> int16. */
#ifndef MF_QUANTIZE_S16_H
#define MF_QUANTIZE_S16_H

#include "mf_common.h"

/* out = clamp(round(in / scale) + zero_point, -32768, 32767), the division in float and the
 * rounding half away from zero, like TFLite's AffineQuantize. */
void mf_quantize_f32_s16(int32_t size, float scale, int32_t zero_point, const float *input,
                         int16_t *output);

typedef struct {
    int32_t size;
    int32_t input_zero_point;
    int32_t multiplier; /* QuantizeMultiplier(double(input_scale) / double(output_scale)) */
    int32_t shift;
    int32_t output_zero_point;
} mf_requantize_s16_params;

/* out = clamp(out_zp + MultiplyByQuantizedMultiplier(in - in_zp, m, s)) to the output type,
 * as TFLite's reference Requantize. Forward loops: in place is safe unless the output type is
 * wider than the input (int8 -> int16). */
void mf_requantize_s16_s16(const mf_requantize_s16_params *p, const int16_t *input,
                           int16_t *output);
void mf_requantize_s16_s8(const mf_requantize_s16_params *p, const int16_t *input,
                          int8_t *output);
void mf_requantize_s8_s16(const mf_requantize_s16_params *p, const int8_t *input,
                          int16_t *output);

#endif /* MF_QUANTIZE_S16_H */
