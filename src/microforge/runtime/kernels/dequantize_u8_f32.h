/* microforge runtime: DEQUANTIZE uint8 -> float32. */
#ifndef MF_DEQUANTIZE_U8_F32_H
#define MF_DEQUANTIZE_U8_F32_H

#include "mf_common.h"

/* out = scale * (in - zero_point). TFLite multiplies in double and rounds to float once; the
 * exact product of a float and a 9-bit integer fits a double, so one float multiply rounds to
 * the same value. */
void mf_dequantize_u8_f32(int32_t size, float scale, int32_t zero_point, const uint8_t *input,
                          float *output);

#endif /* MF_DEQUANTIZE_U8_F32_H */
