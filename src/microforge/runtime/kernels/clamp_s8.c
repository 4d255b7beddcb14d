/* microforge runtime: int8 clamp. */
#include "clamp_s8.h"

void mf_clamp_s8(int32_t size, int8_t lower, int8_t upper, const int8_t *input, int8_t *output) {
    int32_t i;
    for (i = 0; i < size; ++i) {
        const int8_t v = input[i];
        output[i] = v > upper ? upper : (v < lower ? lower : v);
    }
}

void mf_clamp_s16(int32_t size, int16_t lower, int16_t upper, const int16_t *input,
                  int16_t *output) {
    int32_t i;
    for (i = 0; i < size; ++i) {
        const int16_t v = input[i];
        output[i] = v > upper ? upper : (v < lower ? lower : v);
    }
}
