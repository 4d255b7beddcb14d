/* microforge runtime: DEPTHWISE_CONV_2D, int8 activations, int8 per-channel weights, int32 bias. */
#ifndef MF_DEPTHWISE_CONV2D_S8_H
#define MF_DEPTHWISE_CONV2D_S8_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, in_c;
    int32_t out_h, out_w, depth_multiplier; /* out_c = in_c * depth_multiplier */
    int32_t filter_h, filter_w;
    int32_t stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    int32_t input_offset;  /* -input zero point */
    int32_t output_offset; /* output zero point */
    const int32_t *multiplier; /* per output channel */
    const int8_t *shift;      /* per-channel shifts fit in int8 */
    int32_t act_min, act_max;
} mf_depthwise_conv2d_s8_params;

/* NHWC input/output, 1HWO filter. bias may be NULL.
 * In place (output == input) when row_scratch holds (pad_h + 1) output rows; this needs
 * stride 1, depth multiplier 1 and out_w == in_w. Or, strided (stride_h > 1), one output row:
 * each row is copied over input rows no later output row reads (one batch, multiplier 1; the
 * compiler checks the geometry, DepthwiseParams.strided_in_place). Otherwise pass NULL. */
void mf_depthwise_conv2d_s8(const mf_depthwise_conv2d_s8_params *p, const int8_t *input,
                            const int8_t *filter, const int32_t *bias, int8_t *output,
                            int8_t *row_scratch);

/* Bytes of row_scratch an in-place run needs (0: none for these shapes). */
int32_t mf_depthwise_conv2d_s8_scratch_bytes(const mf_depthwise_conv2d_s8_params *p);

/* Output rows [oy, oy + rows) of one batch into `output`, the input pointer at input row
 * `first` (<= the first row they read; MF_CONV_ROWS_VIEW): the per-row entry point fusions
 * compose (same arithmetic as the whole run). */
void mf_depthwise_conv2d_s8_rows(const mf_depthwise_conv2d_s8_params *p, const int8_t *input,
                                 int32_t first, int32_t oy, int32_t rows, const int8_t *filter,
                                 const int32_t *bias, int8_t *output);

#endif /* MF_DEPTHWISE_CONV2D_S8_H */
