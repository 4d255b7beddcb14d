/* microforge runtime: FULLY_CONNECTED float32. Each output keeps TFLite's reference summation
 * order; four outputs share one pass over the input. */
#include <stddef.h>
#include "mf_common.h"
#include "fully_connected_f32.h"

void mf_fully_connected_f32(const mf_fully_connected_f32_params *p, const float *input,
                            const float *weights, const float *bias, float *output) {
    const int32_t n = p->in_depth;
    int32_t b, c, d;
    for (b = 0; b < p->batches; ++b) {
        const float *in = input + (size_t)b * (size_t)n;
        float *out = output + (size_t)b * (size_t)p->out_depth;
        for (c = 0; c + 4 <= p->out_depth; c += 4) {
            const float *w0 = weights + (size_t)c * (size_t)n;
            const float *w1 = w0 + n;
            const float *w2 = w1 + n;
            const float *w3 = w2 + n;
            float t0 = 0.0f, t1 = 0.0f, t2 = 0.0f, t3 = 0.0f;
            for (d = 0; d < n; ++d) {
                const float v = in[d];
                t0 += v * w0[d];
                t1 += v * w1[d];
                t2 += v * w2[d];
                t3 += v * w3[d];
            }
            out[c] = mf_bias_clamp_f32(t0, bias, c, p->act_min, p->act_max);
            out[c + 1] = mf_bias_clamp_f32(t1, bias, c + 1, p->act_min, p->act_max);
            out[c + 2] = mf_bias_clamp_f32(t2, bias, c + 2, p->act_min, p->act_max);
            out[c + 3] = mf_bias_clamp_f32(t3, bias, c + 3, p->act_min, p->act_max);
        }
        for (; c < p->out_depth; ++c) {
            const float *w = weights + (size_t)c * (size_t)n;
            float total = 0.0f;
            for (d = 0; d < n; ++d) {
                total += in[d] * w[d];
            }
            out[c] = mf_bias_clamp_f32(total, bias, c, p->act_min, p->act_max);
        }
    }
}
