/* microforge runtime: L2_NORMALIZATION float32. */
#include <math.h>

#include "l2_normalization_f32.h"

void mf_l2_normalization_f32(int32_t outer, int32_t depth, const float *input, float *output) {
    const float epsilon = 1e-6f; /* TFLM's hard-coded epsilon */
    int32_t i, c;
    for (i = 0; i < outer; ++i) {
        const float *x = input + (size_t)i * (size_t)depth;
        float *out = output + (size_t)i * (size_t)depth;
        float squared = 0.0f;
        float norm;
        for (c = 0; c < depth; ++c) {
            squared += x[c] * x[c];
        }
        norm = sqrtf(squared);
        norm = norm < epsilon ? epsilon : norm; /* std::max(norm, epsilon) */
        for (c = 0; c < depth; ++c) {
            out[c] = x[c] / norm;
        }
    }
}
