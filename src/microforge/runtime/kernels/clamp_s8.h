/* microforge runtime: int8 clamp to [lower, upper] and int16 clamp (RELU6 int8 / int16: TFLM clamps
 * the raw values). */
#ifndef MF_CLAMP_S8_H
#define MF_CLAMP_S8_H

#include "mf_common.h"

void mf_clamp_s8(int32_t size, int8_t lower, int8_t upper, const int8_t *input, int8_t *output);
void mf_clamp_s16(int32_t size, int16_t lower, int16_t upper, const int16_t *input,
                  int16_t *output);

#endif /* MF_CLAMP_S8_H */
