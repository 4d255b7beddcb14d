/* mf_feature_quant.c: see mf_feature_quant.h. Part of microforge. */
#include "mf_feature_quant.h"

#include <math.h>

void mf_quantize_features(const float *features, uint32_t n, float scale, int32_t zero_point,
                          int32_t rounding, int8_t *out) {
    const float zero = (float)zero_point;
    uint32_t i;
    for (i = 0; i < n; ++i) {
        float v = features[i] / scale + zero;
        float r;
        if (v != v) {
            out[i] = (int8_t)zero_point;
            continue;
        }
        if (rounding == MF_ROUND_TRUNCATE) {
            r = truncf(v);
        } else {
            r = floorf(fabsf(v) + 0.5f);
            r = v < 0.0f ? -r : r;
        }
        r = r < -128.0f ? -128.0f : (r > 127.0f ? 127.0f : r);
        out[i] = (int8_t)r;
    }
}
