/* mf_feature_quant: float features -> the model's int8 or int16 input, q = f / scale +
 * zero_point in float32, rounded half away from zero (TFLite QUANTIZE) or toward zero (MLPerf
 * Tiny's evaluation), clipped to [-128, 127] (int8) or [-32768, 32767] (int16, a 16x8
 * network); NaN becomes zero_point. Part of microforge. */
#ifndef MF_FEATURE_QUANT_H
#define MF_FEATURE_QUANT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MF_ROUND_NEAREST 0
#define MF_ROUND_TRUNCATE 1

/* out: n int8_t values (bytes = 1) or n int16_t values (bytes = 2) */
void mf_quantize_features(const float *features, uint32_t n, float scale, int32_t zero_point,
                          int32_t rounding, uint32_t bytes, void *out);

#ifdef __cplusplus
}
#endif

#endif /* MF_FEATURE_QUANT_H */
