/* microforge runtime: CONV_2D, int8 activations, int8 per-channel weights, int32 bias. */
#ifndef MF_CONV2D_S8_H
#define MF_CONV2D_S8_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t filter_h, filter_w, filter_in_c; /* filter_in_c < in_c: grouped convolution */
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t input_offset;  /* -input zero point */
    int32_t output_offset; /* output zero point */
    const int32_t *multiplier; /* per output channel */
    const int8_t *shift;      /* per-channel shifts fit in int8 */
    int32_t act_min, act_max;
} mf_conv2d_s8_params;

/* NHWC input/output, OHWI filter. bias may be NULL.
 * In place (output == input) when row_scratch holds mf_conv2d_s8_ring_pixels(p) output
 * pixels (stride 1, same width and channels in and out), else (pad_h + 1) output rows (stride
 * 1 and an output row no larger than an input row). Otherwise pass NULL. */
/* Ring pixels of the in-place pixel ring (pad_h * out_w + pad_w + 1), or 0 when the row ring
 * is used: stride != 1, width or channels change, or pad_w >= out_w. */
int32_t mf_conv2d_s8_ring_pixels(const mf_conv2d_s8_params *p);

void mf_conv2d_s8(const mf_conv2d_s8_params *p, const int8_t *input, const int8_t *filter,
                  const int32_t *bias, int8_t *output, int8_t *row_scratch);

/* 1x1 filter, stride 1, no padding, no groups: a matrix product per pixel.
 * bias_folded[oc] = bias[oc] + input_offset * sum(filter[oc]) (computed at compile time).
 * In place (output == input) when pixel_scratch (MF_CONV2D_S8_1X1_SCRATCH(out_c) bytes) is
 * given: out_c <= in_c pixel by pixel forwards; out_c > in_c (expanding: the input fills the
 * start of the output's memory) last pixel first. */
#define MF_CONV2D_S8_1X1_SCRATCH(out_c) (2 * (out_c)) /* two pixels (SIMD32 path) */
void mf_conv2d_s8_1x1(const mf_conv2d_s8_params *p, const int8_t *input, const int8_t *filter,
                      const int32_t *bias_folded, int8_t *output, int8_t *pixel_scratch);

/* The scratch an in-place run needs, in bytes (0: no in-place run for these shapes), for
 * mf_conv2d_s8 and mf_conv2d_s8_1x1. The compiler plans the same sizes
 * (ops/conv2d.py memory; tests/ops/test_scratch_sizes.py checks that they agree). */
int32_t mf_conv2d_s8_scratch_bytes(const mf_conv2d_s8_params *p);
int32_t mf_conv2d_s8_1x1_scratch_bytes(const mf_conv2d_s8_params *p);

#endif /* MF_CONV2D_S8_H */
