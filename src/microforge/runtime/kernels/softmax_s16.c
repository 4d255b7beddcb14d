/* microforge runtime: SOFTMAX int16 (TFLite reference arithmetic, bit-exact). */
#include "softmax_s16.h"

/* TFLite's int16 LUTLookup: the high 9 bits index the table, the low 7 interpolate. */
static int16_t mf_lut_lookup_s16(int16_t value, const int16_t *lut) {
    const int32_t index = 256 + ((int32_t)value >> 7);
    const int32_t offset = (int32_t)value & 0x7f;
    const int32_t base = lut[index];
    const int32_t slope = (int32_t)lut[index + 1] - base;
    return (int16_t)(base + ((slope * offset + 64) >> 7));
}

void mf_softmax_s16(const mf_softmax_s16_params *p, const int16_t *input, int16_t *output) {
    int32_t r, c;
    for (r = 0; r < p->rows; ++r) {
        const int16_t *in = input + (size_t)r * (size_t)p->depth;
        int16_t *out = output + (size_t)r * (size_t)p->depth;
        int16_t max_in_row = -32768;
        int32_t sum = 0, headroom, shifted_sum, right_shift;
        int16_t reciprocal;
        for (c = 0; c < p->depth; ++c) {
            max_in_row = in[c] > max_in_row ? in[c] : max_in_row;
        }
        for (c = 0; c < p->depth; ++c) {
            const int32_t scaled = mf_multiply_by_quantized_multiplier(
                (int32_t)in[c] - max_in_row, p->input_multiplier, p->input_left_shift);
            const int32_t centred = MF_CLAMP(scaled + 32767, -32768, 32767);
            out[c] = mf_lut_lookup_s16((int16_t)centred, p->exp_lut);
            sum += out[c];
        }
        headroom = mf_clz32((uint32_t)sum);
        shifted_sum = (int32_t)((((int64_t)sum << (headroom - 1)) + (1 << 13)) >> 14);
        shifted_sum = MF_CLAMP(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767);
        reciprocal = mf_lut_lookup_s16((int16_t)shifted_sum, p->recip_lut);
        right_shift = 31 - headroom;
        for (c = 0; c < p->depth; ++c) {
            const int64_t product = (int64_t)out[c] * (int64_t)reciprocal +
                                    ((int64_t)1 << (right_shift - 1));
            const int32_t v = (int32_t)(product >> right_shift);
            out[c] = (int16_t)MF_CLAMP(v, 0, 32767);
        }
    }
}
