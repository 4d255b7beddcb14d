/* microforge runtime: fill a buffer with one value (the border of PAD / PADV2, FILL). */
#ifndef MF_FILL_H
#define MF_FILL_H

#include "mf_common.h"

void mf_fill_s8(int8_t *dst, int32_t count, int8_t value);
void mf_fill_f32(float *dst, int32_t count, float value);
void mf_fill_s16(int16_t *dst, int32_t count, int16_t value);
void mf_fill_s32(int32_t *dst, int32_t count, int32_t value);

#endif /* MF_FILL_H */
