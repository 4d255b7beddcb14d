/* microforge runtime: hybrid FULLY_CONNECTED with the input quantization and float order of
 * TFLite's reference kernels (portable tensor utils). */
#include <stddef.h>
#include "fully_connected_hybrid.h"
#include "hybrid_quantize.h"

void mf_fully_connected_hybrid(const mf_fully_connected_hybrid_params *p, const float *input,
                               const int8_t *weights, const float *bias, float *output,
                               int8_t *scratch) {
    int32_t b, c, d;
    for (b = 0; b < p->batches; ++b) {
        const float *in = input + (size_t)b * (size_t)p->in_depth;
        float *out = output + (size_t)b * (size_t)p->out_depth;
        int32_t zp = 0;
        float batch_scale = p->asymmetric
            ? mf_hybrid_quantize_asymmetric(in, p->in_depth, scratch, &zp)
            : mf_hybrid_quantize_symmetric(in, p->in_depth, scratch);
        if (!p->per_channel) {
            batch_scale *= p->weight_scale[0];
        }
        for (c = 0; c < p->out_depth; ++c) {
            const int8_t *w = weights + (size_t)c * (size_t)p->in_depth;
            const float scale = p->per_channel ? batch_scale * p->weight_scale[c] : batch_scale;
            float value = bias != NULL ? bias[c] : 0.0f;
            int32_t dot = 0;
            for (d = 0; d < p->in_depth; ++d) {
                dot += (int32_t)w[d] * (int32_t)scratch[d];
            }
            if (p->asymmetric) {
                dot = (int32_t)((float)dot - (float)p->row_sums[c] * (float)zp);
            }
            value += (float)dot * scale;
            value = value < p->act_min ? p->act_min : value;
            out[c] = value > p->act_max ? p->act_max : value;
        }
    }
}

int32_t mf_fully_connected_hybrid_scratch_bytes(const mf_fully_connected_hybrid_params *p) {
    return p->in_depth;
}
