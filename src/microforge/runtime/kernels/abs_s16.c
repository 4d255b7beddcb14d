/* microforge runtime: ABS int16. */
#include "abs_s16.h"

void mf_abs_s16(const mf_abs_s16_params *p, const int16_t *input, int16_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t x = input[i];
        int32_t value = x < 0 ? -x : x;
        if (!p->quantized) {
            output[i] = (int16_t)(value > 32767 ? -32768 : value);  /* int16_t(abs(-32768)) */
            continue;
        }
        if (p->needs_rescale) {
            value = mf_multiply_by_quantized_multiplier(value, p->multiplier, p->shift);
        }
        output[i] = (int16_t)MF_CLAMP(value, -32768, 32767);
    }
}
