/* microforge runtime: CONV_2D with int16 activations and int8 weights (16x8), as TFLite's
 * reference_integer_ops::ConvPerChannel for int16 (zero points 0, groups, dilation). */
#ifndef MF_CONV2D_S16_H
#define MF_CONV2D_S16_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, out_c;
    int32_t filter_h, filter_w, filter_in_c;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t acc32;            /* 1: TFLite's int32 accumulator (int32 bias) and int32 rescale */
    const int32_t *multiplier; /* per output channel */
    const int8_t *shift;
    int32_t act_min;
    int32_t act_max;
} mf_conv2d_s16_params;

/* NHWC input/output, OHWI filter, bias int64 per output channel (int32 values when acc32)
 * or NULL. Padding taps are skipped (zero point 0). pixel_scratch: NULL, or (in place:
 * output == input, a 1x1 stride-1 convolution without groups and out_c <= in_c, so output
 * pixel q reads input pixel q only) one output pixel, copied over the input once computed. */
void mf_conv2d_s16(const mf_conv2d_s16_params *p, const int16_t *input, const int8_t *filter,
                   const int64_t *bias, int16_t *output, int16_t *pixel_scratch);

/* Bytes of pixel_scratch an in-place run needs (0: none for these shapes). */
int32_t mf_conv2d_s16_scratch_bytes(const mf_conv2d_s16_params *p);

#endif /* MF_CONV2D_S16_H */
