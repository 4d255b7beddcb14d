/* mf_feature_quant: float features -> the model's int8 input, q = f / scale + zero_point in
 * float32, rounded half away from zero (TFLite QUANTIZE) or toward zero (MLPerf Tiny's
 * evaluation), clipped to [-128, 127]; NaN becomes zero_point. Part of microforge. */
#ifndef MF_FEATURE_QUANT_H
#define MF_FEATURE_QUANT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MF_ROUND_NEAREST 0
#define MF_ROUND_TRUNCATE 1

void mf_quantize_features(const float *features, uint32_t n, float scale, int32_t zero_point,
                          int32_t rounding, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif /* MF_FEATURE_QUANT_H */
