/* microforge runtime: float32 elementwise math (ABS, NEG, SQUARE, SQRT, RSQRT, EXP, LOG, SIN,
 * COS, FLOOR, CEIL, ROUND,
 * ELU) with the formulas of TFLM's reference kernels (std:: float overloads -> <math.h> *f). */
#ifndef MF_UNARY_F32_H
#define MF_UNARY_F32_H

#include "mf_common.h"

/* output[i] = f(input[i]); output may be input (in-place). */
void mf_abs_f32(int32_t size, const float *input, float *output);
void mf_neg_f32(int32_t size, const float *input, float *output);
void mf_square_f32(int32_t size, const float *input, float *output);
void mf_sqrt_f32(int32_t size, const float *input, float *output);
void mf_rsqrt_f32(int32_t size, const float *input, float *output);
void mf_exp_f32(int32_t size, const float *input, float *output);
void mf_log_f32(int32_t size, const float *input, float *output);
void mf_sin_f32(int32_t size, const float *input, float *output);
void mf_cos_f32(int32_t size, const float *input, float *output);
void mf_floor_f32(int32_t size, const float *input, float *output);
void mf_ceil_f32(int32_t size, const float *input, float *output);
/* halves to even, as TFLite's RoundToNearest */
void mf_round_f32(int32_t size, const float *input, float *output);

/* x < 0 ? expm1f(x) : x */
void mf_elu_f32(int32_t size, const float *input, float *output);

#endif /* MF_UNARY_F32_H */
