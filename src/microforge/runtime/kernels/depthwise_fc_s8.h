/* microforge runtime: DEPTHWISE_CONV_2D -> FULLY_CONNECTED fused, int8 (bit-exact with the two
 * ops run one after the other). The depthwise output never exists in full: each output row is
 * computed into a scratch row and accumulated into the fully connected units at once. */
#ifndef MF_DEPTHWISE_FC_S8_H
#define MF_DEPTHWISE_FC_S8_H

#include "mf_common.h"
#include "depthwise_conv2d_s8.h"
#include "fully_connected_s8.h"

/* Scratch bytes: fc->out_depth int32 accumulators, then one depthwise output row. */
#define MF_DEPTHWISE_FC_S8_SCRATCH(out_depth, row_bytes) (4 * (out_depth) + (row_bytes))

/* dw: the depthwise op (batches as the fully connected op's); fc: the fully connected op whose
 * input is the whole depthwise output of one batch (fc->in_depth = out_h * out_w * out_c).
 * scratch: MF_DEPTHWISE_FC_S8_SCRATCH bytes, 4-byte aligned. */
void mf_depthwise_fc_s8(const mf_depthwise_conv2d_s8_params *dw,
                        const mf_fully_connected_s8_params *fc, const int8_t *input,
                        const int8_t *dw_filter, const int32_t *dw_bias,
                        const int8_t *fc_weights, const int32_t *fc_bias_folded, int8_t *output,
                        void *scratch);

#endif /* MF_DEPTHWISE_FC_S8_H */
