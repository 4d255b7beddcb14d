/* microforge runtime: QUANTIZE with int16 activations (see quantize_s16.h). */
#include <math.h>

#include "quantize_s16.h"

void mf_quantize_f32_s16(int32_t size, float scale, int32_t zero_point, const float *input,
                         int16_t *output) {
    int32_t i;
    for (i = 0; i < size; ++i) {
        const float r = roundf(input[i] / scale);
        /* saturate before the int conversion (out of int32 range is undefined in C);
         * NaN goes to the minimum */
        const float lo = (float)(-32768 - zero_point);
        const float hi = (float)(32767 - zero_point);
        const float c = r >= lo ? (r <= hi ? r : hi) : lo;
        output[i] = (int16_t)((int32_t)c + zero_point);
    }
}

static int32_t mf_requantize_one(const mf_requantize_s16_params *p, int32_t value) {
    return mf_add_wrap(p->output_zero_point, mf_multiply_by_quantized_multiplier(
        value - p->input_zero_point, p->multiplier, p->shift));
}

void mf_requantize_s16_s16(const mf_requantize_s16_params *p, const int16_t *input,
                           int16_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = mf_requantize_one(p, input[i]);
        output[i] = (int16_t)MF_CLAMP(v, -32768, 32767);
    }
}

void mf_requantize_s16_s8(const mf_requantize_s16_params *p, const int16_t *input,
                          int8_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = mf_requantize_one(p, input[i]);
        output[i] = (int8_t)MF_CLAMP(v, -128, 127);
    }
}

void mf_requantize_s8_s16(const mf_requantize_s16_params *p, const int8_t *input,
                          int16_t *output) {
    int32_t i;
    for (i = 0; i < p->size; ++i) {
        const int32_t v = mf_requantize_one(p, input[i]);
        output[i] = (int16_t)MF_CLAMP(v, -32768, 32767);
    }
}
