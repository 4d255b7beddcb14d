/* microforge runtime: a float32 residual block streamed row by row:
 * out = act(x + conv2(conv1(x))), both convolutions stride 1 with the output size of their
 * input (SAME), no groups, filters blocked as for mf_conv2d_f32_blocked. Only a band of conv1
 * rows and one conv2 row exist at a time; out may be x itself (each x row is overwritten once
 * no conv1 row still to compute reads it). Bit-identical with the three ops one by one. */
#ifndef MF_RESIDUAL_BLOCK_F32_H
#define MF_RESIDUAL_BLOCK_F32_H

#include "conv2d_f32_blocked.h"

/* Band rows of conv1 output kept at a time: max(filter_h of conv2, pad_h1 + pad_h2 + 1), at
 * most conv1's out_h. */
int32_t mf_residual_block_f32_band_rows(const mf_conv2d_f32_params *c1,
                                        const mf_conv2d_f32_params *c2);

/* scratch: band_rows * out_w * c1->out_c + out_w * c2->out_c floats. */
void mf_residual_block_f32(const mf_conv2d_f32_params *c1, const mf_conv2d_f32_params *c2,
                           float add_min, float add_max, const float *x, const float *w1,
                           const float *b1, const float *w2, const float *b2, float *out,
                           float *scratch);

/* out = act(other + conv(x)) row by row (a residual shortcut convolution fused with its ADD):
 * conv is any no-group float convolution with blocked filters; out may be `other` itself.
 * scratch: one conv output row (out_w * out_c floats). */
void mf_conv_add_f32(const mf_conv2d_f32_params *conv, float add_min, float add_max,
                     const float *x, const float *w, const float *bias, const float *other,
                     float *out, float *scratch);

#endif /* MF_RESIDUAL_BLOCK_F32_H */
