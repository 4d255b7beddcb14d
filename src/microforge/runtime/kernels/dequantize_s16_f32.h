/* microforge runtime: DEQUANTIZE int16 -> float32. */
#ifndef MF_DEQUANTIZE_S16_F32_H
#define MF_DEQUANTIZE_S16_F32_H

#include "mf_common.h"

/* out = scale * (in - zero_point). TFLite multiplies in double and rounds to float once; the
 * exact product of a float (24-bit significand) and a 17-bit integer fits a double, so one
 * float multiply rounds to the same value. */
void mf_dequantize_s16_f32(int32_t size, float scale, int32_t zero_point, const int16_t *input,
                           float *output);

#endif /* MF_DEQUANTIZE_S16_F32_H */
