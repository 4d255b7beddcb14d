/* microforge runtime: FULLY_CONNECTED 16x8 (TFLite reference arithmetic, bit-exact). */
#include "fully_connected_s16.h"
#include "mf_requantize64.h"

/* products are below 2^23 in magnitude, so 128 of them fit an int32 partial sum */
#define MF_FC_S16_CHUNK 128

static int64_t mf_fc_s16_dot(const int16_t *in, const int8_t *w, int32_t n, int32_t fo) {
    int64_t acc = 0;
    int32_t d = 0;
    while (d < n) {
        const int32_t end = n - d > MF_FC_S16_CHUNK ? d + MF_FC_S16_CHUNK : n;
        int32_t part = 0;
        for (; d < end; ++d) {
            part += ((int32_t)w[d] + fo) * (int32_t)in[d];
        }
        acc += part;
    }
    return acc;
}

void mf_fully_connected_s16(const mf_fully_connected_s16_params *p, const int16_t *input,
                            const int8_t *weights, const int64_t *bias_folded, int16_t *output) {
    const int32_t n = p->in_depth;
    int32_t b, c;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in = input + (size_t)b * (size_t)n;
        int16_t *out = output + (size_t)b * (size_t)p->out_depth;
        for (c = 0; c < p->out_depth; ++c) {
            const int32_t q = p->per_channel ? c : 0;
            const int64_t acc = bias_folded[c] +
                mf_fc_s16_dot(in, weights + (size_t)c * (size_t)n, n, p->filter_offset);
            int32_t v = p->acc32
                ? mf_multiply_by_quantized_multiplier((int32_t)acc, p->multiplier[q], p->shift[q])
                : mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[q], p->shift[q]);
            v = mf_add_wrap(v, p->output_offset);
            out[c] = (int16_t)MF_CLAMP(v, p->act_min, p->act_max);
        }
    }
}
