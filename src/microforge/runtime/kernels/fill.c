/* microforge runtime: fill a buffer with one value. */
#include <string.h>

#include "fill.h"

void mf_fill_s8(int8_t *dst, int32_t count, int8_t value) {
    if (count > 0) {
        memset(dst, (unsigned char)value, (size_t)count);
    }
}

void mf_fill_f32(float *dst, int32_t count, float value) {
    int32_t i;
    for (i = 0; i < count; ++i) {
        dst[i] = value;
    }
}

void mf_fill_s32(int32_t *dst, int32_t count, int32_t value) {
    int32_t i;
    for (i = 0; i < count; ++i) {
        dst[i] = value;
    }
}

void mf_fill_s16(int16_t *dst, int32_t count, int16_t value) {
    int32_t i;
    for (i = 0; i < count; ++i) {
        dst[i] = value;
    }
}
