/* microforge runtime: ADD/SUB int8 on the DSP extension, same-shape inputs. TFLite's three
 * rescalings per element (each input << left_shift times its multiplier, the sum times the
 * output multiplier) with the folded-rounding requantization of mf_dsp.h (SMLAL and six
 * instructions each), their constants computed once per call; one SSAT clamps the full int8
 * range. Bit-exact with the portable kernel (the same integer operations). */
#include "add_sub_s8_dsp.h"
#include "mf_dsp.h"

#if MF_DSP_AVAILABLE
void mf_add_sub_s8_dsp(const mf_add_sub_s8_params *p, const int8_t *input1,
                       const int8_t *input2, int8_t *output) {
    const int32_t n = p->shape.dims[3];
    const mf_dsp_channel c1 = mf_dsp_channel_of(p->input1_multiplier, p->input1_shift);
    const mf_dsp_channel c2 = mf_dsp_channel_of(p->input2_multiplier, p->input2_shift);
    const mf_dsp_channel co = mf_dsp_channel_of(p->output_multiplier, p->output_shift);
    const int32_t o1 = p->input1_offset, o2 = p->input2_offset, ls = p->left_shift;
    mf_dsp_out o;
    int32_t i;
    o.offset = p->output_offset;
    o.act_min = p->act_min;
    o.act_max = p->act_max;
    if (c1.shift < 0 && c2.shift < 0 && co.shift < 0) { /* the common case: no test inside */
        const int sub = p->subtract != 0;
        const int full_range = p->act_min == -128 && p->act_max == 127;
        for (i = 0; i < n; ++i) {
            const int32_t a = mf_dsp_requantize_right(
                (int32_t)((uint32_t)((int32_t)input1[i] + o1) << ls), &c1);
            const int32_t b = mf_dsp_requantize_right(
                (int32_t)((uint32_t)((int32_t)input2[i] + o2) << ls), &c2);
            const int32_t v = mf_add_wrap(mf_dsp_requantize_right(sub ? a - b : a + b, &co),
                                          o.offset);
            output[i] = full_range ? (int8_t)__ssat(v, 8) : mf_dsp_clamp(v, &o);
        }
        return;
    }
    for (i = 0; i < n; ++i) {
        const int32_t a = mf_dsp_requantize(
            (int32_t)((uint32_t)((int32_t)input1[i] + o1) << ls), &c1);
        const int32_t b = mf_dsp_requantize(
            (int32_t)((uint32_t)((int32_t)input2[i] + o2) << ls), &c2);
        output[i] = mf_dsp_output(p->subtract ? a - b : a + b, &co, &o);
    }
}
#endif
