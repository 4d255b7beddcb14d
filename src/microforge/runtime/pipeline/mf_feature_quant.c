/* mf_feature_quant.c: see mf_feature_quant.h. Part of microforge. */
#include "mf_feature_quant.h"

#include <math.h>

void mf_quantize_features(const float *features, uint32_t n, float scale, int32_t zero_point,
                          int32_t rounding, uint32_t bytes, void *out) {
    const float zero = (float)zero_point;
    const float lo = bytes == 2u ? -32768.0f : -128.0f;
    const float hi = bytes == 2u ? 32767.0f : 127.0f;
    int8_t *out8 = (int8_t *)out;
    int16_t *out16 = (int16_t *)out;
    uint32_t i;
    for (i = 0; i < n; ++i) {
        float v = features[i] / scale + zero;
        float r;
        if (v != v) {
            r = zero;
        } else {
            if (rounding == MF_ROUND_TRUNCATE) {
                r = truncf(v);
            } else {
                r = floorf(fabsf(v) + 0.5f);
                r = v < 0.0f ? -r : r;
            }
            r = r < lo ? lo : (r > hi ? hi : r);
        }
        if (bytes == 2u) {
            out16[i] = (int16_t)r;
        } else {
            out8[i] = (int8_t)r;
        }
    }
}
