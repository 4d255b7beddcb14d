/* microforge runtime: FULLY_CONNECTED int8 (TFLite reference arithmetic, bit-exact). */
#include "fully_connected_s8.h"
#include "mf_requantize.h"
#include "mf_simd32.h"

static int8_t mf_fc_requantize(const mf_fully_connected_s8_params *p, int32_t acc, int32_t c) {
    const int32_t q = p->per_channel ? c : 0;
    acc = mf_requantize(acc, p->multiplier[q], p->shift[q]);
    acc = mf_add_wrap(acc, p->output_offset);
    return (int8_t)MF_CLAMP(acc, p->act_min, p->act_max);
}

void mf_fully_connected_s8(const mf_fully_connected_s8_params *p, const int8_t *input,
                           const int8_t *weights, const int32_t *bias_folded, int8_t *output) {
    const int32_t n = p->in_depth;
    const int32_t fo = p->filter_offset;
    int32_t b, c, d;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in = input + (size_t)b * (size_t)n;
        int8_t *out = output + (size_t)b * (size_t)p->out_depth;
        c = 0;
        if (fo == 0) {
            /* four output units per pass over the input */
            for (; c + 4 <= p->out_depth; c += 4) {
                const int8_t *w0 = weights + (size_t)c * (size_t)n;
                const int8_t *w1 = w0 + n;
                const int8_t *w2 = w1 + n;
                const int8_t *w3 = w2 + n;
                int32_t a0 = bias_folded[c], a1 = bias_folded[c + 1];
                int32_t a2 = bias_folded[c + 2], a3 = bias_folded[c + 3];
                d = 0;
#if MF_SIMD32
                /* per four inputs: one word of inputs and one per unit, split into int16
                 * pairs by SXTB16, two SMLADs per unit (the offset is folded in the bias) */
                for (; d + 4 <= n; d += 4) {
                    const uint32_t x = mf_load_u32(in + d);
                    const int16x2_t xe = __sxtb16((int8x4_t)x), xo = mf_sxtb16_odd(x);
                    a0 = mf_smlad4(xe, xo, w0 + d, a0);
                    a1 = mf_smlad4(xe, xo, w1 + d, a1);
                    a2 = mf_smlad4(xe, xo, w2 + d, a2);
                    a3 = mf_smlad4(xe, xo, w3 + d, a3);
                }
#endif
                for (; d < n; ++d) {
                    const int32_t v = in[d];
                    a0 += v * w0[d];
                    a1 += v * w1[d];
                    a2 += v * w2[d];
                    a3 += v * w3[d];
                }
                out[c] = mf_fc_requantize(p, a0, c);
                out[c + 1] = mf_fc_requantize(p, a1, c + 1);
                out[c + 2] = mf_fc_requantize(p, a2, c + 2);
                out[c + 3] = mf_fc_requantize(p, a3, c + 3);
            }
        }
        for (; c < p->out_depth; ++c) {
            const int8_t *w = weights + (size_t)c * (size_t)n;
            int32_t acc = bias_folded[c];
            for (d = 0; d < n; ++d) {
                acc += ((int32_t)w[d] + fo) * (int32_t)in[d];
            }
            out[c] = mf_fc_requantize(p, acc, c);
        }
    }
}
