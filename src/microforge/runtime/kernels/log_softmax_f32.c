/* microforge runtime: LOG_SOFTMAX float32. */
#include <float.h>
#include <math.h>

#include "log_softmax_f32.h"

void mf_log_softmax_f32(int32_t outer, int32_t depth, const float *input, float *output) {
    int32_t i, c;
    for (i = 0; i < outer; ++i) {
        const float *x = input + (size_t)i * (size_t)depth;
        float *out = output + (size_t)i * (size_t)depth;
        float max = -FLT_MAX;
        float sum = 0.0f;
        float log_sum;
        for (c = 0; c < depth; ++c) {
            max = max < x[c] ? x[c] : max; /* std::max(max, x) */
        }
        for (c = 0; c < depth; ++c) {
            sum += expf(x[c] - max);
        }
        log_sum = logf(sum);
        for (c = 0; c < depth; ++c) {
            out[c] = x[c] - max - log_sum;
        }
    }
}
