/* microforge runtime: DEPTHWISE_CONV_2D int8 for cores with the DSP extension (variant of
 * mf_depthwise_conv2d_s8, same signature and results; chosen by codegen/variants.py). */
#ifndef MF_DEPTHWISE_CONV2D_S8_DSP_H
#define MF_DEPTHWISE_CONV2D_S8_DSP_H

#include "depthwise_conv2d_s8.h"

#define MF_DW_DSP_ZP_MAX 256 /* channels at most (a row of input zero points on the stack) */

/* As mf_depthwise_conv2d_s8 for a 3x3 filter, depth multiplier 1 and a multiple of 4 channels
 * (<= MF_DW_DSP_ZP_MAX), in place with the same row scratch; `filter` re-laid-out per group of
 * four channels: [in_c / 4][9 taps][4] (ops/depthwise_conv2d.py:dsp_filter_3x3). */
void mf_depthwise_conv2d_s8_dsp(const mf_depthwise_conv2d_s8_params *p, const int8_t *input,
                                const int8_t *filter, const int32_t *bias, int8_t *output,
                                int8_t *row_scratch);

#endif /* MF_DEPTHWISE_CONV2D_S8_DSP_H */
