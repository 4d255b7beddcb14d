/* microforge runtime: CONV_2D float32 (no groups) with the filter re-laid-out at compile time
 * in blocks of MF_CONV_F32_BLOCK output channels computed side by side (SIMD lanes on the
 * host). Each output keeps TFLite's reference summation order (fy, fx, input channel):
 * results are bit-identical with mf_conv2d_f32. */
#ifndef MF_CONV2D_F32_BLOCKED_H
#define MF_CONV2D_F32_BLOCKED_H

#include "conv2d_f32.h"

#define MF_CONV_F32_BLOCK 8 /* two 4-float vectors in the kernel */

/* blocked: out_c / MF_CONV_F32_BLOCK blocks, block k holding [filter_h][filter_w][in_c]
 * [MF_CONV_F32_BLOCK] (element [fy][fx][i][j] = filter[k * MF_CONV_F32_BLOCK + j][fy][fx][i]),
 * then the remaining out_c % MF_CONV_F32_BLOCK filters as they are (OHWI). Needs
 * filter_in_c == in_c. bias may be NULL; row_scratch as for mf_conv2d_f32. */
void mf_conv2d_f32_blocked(const mf_conv2d_f32_params *p, const float *input,
                           const float *blocked, const float *bias, float *output,
                           float *row_scratch);

/* Output rows [oy, oy + rows) of one batch into `output`, the input pointer at input row
 * `first` (<= the first row they read; MF_CONV_ROWS_VIEW): the per-row entry point fusions
 * compose (same arithmetic as the whole run). */
void mf_conv2d_f32_blocked_rows(const mf_conv2d_f32_params *p, const float *input, int32_t first,
                                int32_t oy, int32_t rows, const float *filter_blocked,
                                const float *bias, float *output);

#endif /* MF_CONV2D_F32_BLOCKED_H */
