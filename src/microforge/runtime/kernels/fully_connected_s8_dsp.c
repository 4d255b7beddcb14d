/* microforge runtime: FULLY_CONNECTED int8 on the DSP extension. Four output units per pass
 * over the input: per four inputs one word, split by SXTB16 into int16 pairs shared by the four
 * units (the input offset is folded in the bias), then the four units' weight words, which the
 * compiler laid out side by side, one load, two SXTB16 and two SMLAD each (one asm loop); each
 * unit's sum requantized with the folded rounding of mf_dsp.h (one SSAT for the full range). */
#include "fully_connected_s8_dsp.h"
#include "mf_dsp.h"

#if MF_DSP_AVAILABLE
static inline int8_t mf_fc_dsp_out(const mf_fully_connected_s8_params *p, int32_t acc,
                                   int32_t c, const mf_dsp_out *o, int full_range) {
    const int32_t q = p->per_channel ? c : 0;
    const mf_dsp_channel ch = mf_dsp_channel_of(p->multiplier[q], p->shift[q]);
    if (full_range && ch.shift < 0) {
        return (int8_t)__ssat(mf_add_wrap(mf_dsp_requantize_right(acc, &ch), o->offset), 8);
    }
    return mf_dsp_output(acc, &ch, o);
}

/* Four inputs (one word, post-incremented) times the four units' words that follow in the
 * re-laid-out weights: 23 instructions per 16 MACs, 11 registers. */
#define MF_FC_DSP_STEP                                                                        \
    "ldr %[x], [%[in]], #4\n\t"                                                             \
    "sxtb16 %[xe], %[x]\n\t"                                                                \
    "sxtb16 %[x], %[x], ror #8\n\t"                                                         \
    MF_FC_DSP_UNIT(a0) MF_FC_DSP_UNIT(a1) MF_FC_DSP_UNIT(a2) MF_FC_DSP_UNIT(a3)
#define MF_FC_DSP_UNIT(acc)                                                                   \
    "ldr %[v], [%[w]], #4\n\t"                                                              \
    "sxtb16 %[ve], %[v]\n\t"                                                                \
    "sxtb16 %[v], %[v], ror #8\n\t"                                                         \
    "smlad %[" #acc "], %[xe], %[ve], %[" #acc "]\n\t"                                      \
    "smlad %[" #acc "], %[x], %[v], %[" #acc "]\n\t"

void mf_fully_connected_s8_dsp(const mf_fully_connected_s8_params *p, const int8_t *input,
                               const int8_t *weights, const int32_t *bias_folded,
                               int8_t *output) {
    const int32_t n = p->in_depth;
    const int full_range = p->act_min == -128 && p->act_max == 127;
    const int8_t *w = weights;
    mf_dsp_out o;
    int32_t b, c;
    o.offset = p->output_offset;
    o.act_min = p->act_min;
    o.act_max = p->act_max;
    for (b = 0; b < p->batches; ++b) {
        const int8_t *in_b = input + (size_t)b * (size_t)n;
        int8_t *out = output + (size_t)b * (size_t)p->out_depth;
        w = weights;
        for (c = 0; c < p->out_depth; c += 4) {
            int32_t a0 = bias_folded[c], a1 = bias_folded[c + 1];
            int32_t a2 = bias_folded[c + 2], a3 = bias_folded[c + 3];
            const int8_t *in = in_b;
            const int8_t *const end = in_b + n;
            uint32_t x, xe, v, ve;
            if ((n >> 2) & 1) { /* an odd count of input words: one step first */
                __asm__(MF_FC_DSP_STEP
                        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                          [in] "+r"(in), [w] "+r"(w), [x] "=&r"(x), [xe] "=&r"(xe),
                          [v] "=&r"(v), [ve] "=&r"(ve)
                        :
                        : "memory");
            }
            if (in < end) { /* two steps per iteration: the loop test on 32 MACs */
                __asm__("1:\n\t" MF_FC_DSP_STEP MF_FC_DSP_STEP
                        "cmp %[in], %[end]\n\t"
                        "blo 1b\n\t"
                        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3),
                          [in] "+r"(in), [w] "+r"(w), [x] "=&r"(x), [xe] "=&r"(xe),
                          [v] "=&r"(v), [ve] "=&r"(ve)
                        : [end] "r"(end)
                        : "cc", "memory");
            }
            out[c] = mf_fc_dsp_out(p, a0, c, &o, full_range);
            out[c + 1] = mf_fc_dsp_out(p, a1, c + 1, &o, full_range);
            out[c + 2] = mf_fc_dsp_out(p, a2, c + 2, &o, full_range);
            out[c + 3] = mf_fc_dsp_out(p, a3, c + 3, &o, full_range);
        }
    }
}
#else
/* Built only for cores with the DSP extension (codegen/variants.py selects it there). */
typedef int mf_fully_connected_s8_dsp_unavailable;
#endif
