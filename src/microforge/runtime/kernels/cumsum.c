/* microforge runtime: CUMSUM (see cumsum.h); TFLite's loop order and index arithmetic. */
#include "cumsum.h"

static int32_t mf_cumsum_index(const mf_cumsum_params *p, int32_t b, int32_t d, int32_t a) {
    const int32_t bb = p->reverse ? p->before - 1 - b : b;
    const int32_t dd = p->reverse ? p->depth - 1 - d : d;
    const int32_t aa = p->reverse ? p->after - 1 - a : a;
    return bb * p->depth * p->after + dd * p->after + aa;
}

void mf_cumsum_f32(const mf_cumsum_params *p, const float *input, float *output) {
    int32_t a, b, d;
    for (a = 0; a < p->after; ++a) {
        for (b = 0; b < p->before; ++b) {
            float sum = 0.0f;
            for (d = 0; d < p->depth; ++d) {
                const int32_t i = mf_cumsum_index(p, b, d, a);
                if (p->exclusive) {
                    output[i] = sum;
                    sum += input[i];
                } else {
                    sum += input[i];
                    output[i] = sum;
                }
            }
        }
    }
}

static int32_t mf_cumsum_scaled(const mf_cumsum_params *p, int32_t value) {
    const int32_t shifted = (int32_t)((uint32_t)value << p->left_shift);
    return mf_multiply_by_quantized_multiplier(shifted, p->input_multiplier, p->input_shift);
}

void mf_cumsum_s8(const mf_cumsum_params *p, const int8_t *input, int8_t *output) {
    const int32_t start = mf_cumsum_scaled(p, p->input_offset);
    int32_t a, b, d;
    for (a = 0; a < p->after; ++a) {
        for (b = 0; b < p->before; ++b) {
            int32_t sum = start;
            for (d = 0; d < p->depth; ++d) {
                const int32_t i = mf_cumsum_index(p, b, d, a);
                const int32_t scaled = mf_cumsum_scaled(p, p->input_offset + input[i]);
                int32_t out, raw;
                if (p->exclusive) {
                    out = sum;
                    sum = mf_add_wrap(sum, scaled);
                } else {
                    sum = mf_add_wrap(sum, scaled);
                    out = sum;
                }
                raw = mf_add_wrap(mf_multiply_by_quantized_multiplier(out, p->output_multiplier,
                                                                      p->output_shift),
                                  p->output_offset);
                output[i] = (int8_t)MF_CLAMP(raw, -128, 127);
            }
        }
    }
}
