/* microforge runtime: DEQUANTIZE uint8 -> float32. */
#include "dequantize_u8_f32.h"

void mf_dequantize_u8_f32(int32_t size, float scale, int32_t zero_point, const uint8_t *input,
                          float *output) {
    int32_t i;
    for (i = 0; i < size; ++i) {
        output[i] = scale * (float)((int32_t)input[i] - zero_point);
    }
}
