/* microforge runtime: TRANSPOSE_CONV (NHWC, weights [out_c][kh][kw][in_c]), TFLite's reference
 * scatter: every input element adds its products to the outputs it touches, then bias and
 * activation (float32), or bias, per-channel requantization and clamp of an int32
 * accumulator (int8), or of an int64 one (int16 activations, int8 weights: 16x8). */
#ifndef MF_TRANSPOSE_CONV_H
#define MF_TRANSPOSE_CONV_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
    float act_min, act_max;
} mf_transpose_conv_f32_params;

/* bias may be NULL; output must not overlap input. */
void mf_transpose_conv_f32(const mf_transpose_conv_f32_params *p, const float *input,
                           const float *weights, const float *bias, float *output);

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t filter_h, filter_w, stride_h, stride_w, pad_h, pad_w;
    int32_t input_offset, output_offset, act_min, act_max;
    const int32_t *multiplier;  /* per output channel */
    const int8_t *shift;
} mf_transpose_conv_s8_params;

/* bias may be NULL; scratch: out_h x out_w x out_c x batches int32. */
void mf_transpose_conv_s8(const mf_transpose_conv_s8_params *p, const int8_t *input,
                          const int8_t *weights, const int32_t *bias, int8_t *output,
                          int32_t *scratch);

/* 16x8 (TFLM's int16 TransposeConv): the int8 struct, input_offset / output_offset unused
 * (TFLM applies none), int64 bias (an int16 bias is widened at compile time, as TFLM does at
 * run time) or NULL; scratch: mf_transpose_conv_s16_scratch_bytes(p) bytes, int64 aligned. */
void mf_transpose_conv_s16(const mf_transpose_conv_s8_params *p, const int16_t *input,
                           const int8_t *weights, const int64_t *bias, int16_t *output,
                           int64_t *scratch);
int32_t mf_transpose_conv_s16_scratch_bytes(const mf_transpose_conv_s8_params *p);

#endif /* MF_TRANSPOSE_CONV_H */
