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

static int16_t mf_fc_s16_out(const mf_fully_connected_s16_params *p, int64_t acc, int32_t c) {
    const int32_t q = p->per_channel ? c : 0;
    int32_t v = p->acc32
        ? mf_multiply_by_quantized_multiplier((int32_t)acc, p->multiplier[q], p->shift[q])
        : mf_multiply_by_quantized_multiplier_s64(acc, p->multiplier[q], p->shift[q]);
    v = mf_add_wrap(v, p->output_offset);
    return (int16_t)MF_CLAMP(v, p->act_min, p->act_max);
}

void mf_fully_connected_s16(const mf_fully_connected_s16_params *p, const int16_t *input,
                            const int8_t *weights, const int64_t *bias_folded, int16_t *output) {
    const int32_t n = p->in_depth;
    const int32_t fo = p->filter_offset;
    int32_t b, c, d, end;
    for (b = 0; b < p->batches; ++b) {
        const int16_t *in = input + (size_t)b * (size_t)n;
        int16_t *out = output + (size_t)b * (size_t)p->out_depth;
        c = 0;
        if (fo == 0) {
            /* four output units per pass over the input (the same integer sums) */
            for (; c + 4 <= p->out_depth; c += 4) {
                const int8_t *w0 = weights + (size_t)c * (size_t)n;
                const int8_t *w1 = w0 + n, *w2 = w1 + n, *w3 = w2 + n;
                int64_t a0 = bias_folded[c], a1 = bias_folded[c + 1];
                int64_t a2 = bias_folded[c + 2], a3 = bias_folded[c + 3];
                for (d = 0; d < n; d = end) {
                    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    end = n - d > MF_FC_S16_CHUNK ? d + MF_FC_S16_CHUNK : n;
                    for (; d < end; ++d) {
                        const int32_t x = in[d];
                        s0 += x * w0[d];
                        s1 += x * w1[d];
                        s2 += x * w2[d];
                        s3 += x * w3[d];
                    }
                    a0 += s0;
                    a1 += s1;
                    a2 += s2;
                    a3 += s3;
                }
                out[c] = mf_fc_s16_out(p, a0, c);
                out[c + 1] = mf_fc_s16_out(p, a1, c + 1);
                out[c + 2] = mf_fc_s16_out(p, a2, c + 2);
                out[c + 3] = mf_fc_s16_out(p, a3, c + 3);
            }
        }
        for (; c < p->out_depth; ++c) {
            const int64_t acc = bias_folded[c] +
                mf_fc_s16_dot(in, weights + (size_t)c * (size_t)n, n, fo);
            out[c] = mf_fc_s16_out(p, acc, c);
        }
    }
}
