/* microforge runtime: DEPTHWISE_CONV_2D with int16 activations and int8 weights (16x8), as
 * TFLite's reference_integer_ops::DepthwiseConvPerChannel for int16 (int64 bias, zero
 * points 0, any depth multiplier, dilation). */
#ifndef MF_DEPTHWISE_CONV2D_S16_H
#define MF_DEPTHWISE_CONV2D_S16_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c, out_h, out_w, depth_multiplier;
    int32_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    const int32_t *multiplier; /* per output channel */
    const int8_t *shift;
    int32_t act_min;
    int32_t act_max;
} mf_depthwise_conv2d_s16_params;

/* NHWC input/output, 1HWO filter (output channel = in channel * multiplier + m), int64 bias
 * or NULL; int64 accumulator and TFLite's int64 MultiplyByQuantizedMultiplier.
 * row_scratch: NULL, or (in place: output == input; stride 1, multiplier 1, same width) a
 * ring of pad_h + 1 output rows (mf_rows_through_ring in mf_common.h). */
void mf_depthwise_conv2d_s16(const mf_depthwise_conv2d_s16_params *p, const int16_t *input,
                             const int8_t *filter, const int64_t *bias, int16_t *output,
                             int16_t *row_scratch);

/* Bytes of row_scratch an in-place run needs (0: none for these shapes). */
int32_t mf_depthwise_conv2d_s16_scratch_bytes(const mf_depthwise_conv2d_s16_params *p);

#endif /* MF_DEPTHWISE_CONV2D_S16_H */
