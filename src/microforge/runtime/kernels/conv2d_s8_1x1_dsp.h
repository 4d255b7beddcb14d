/* microforge runtime: the 1x1 CONV_2D int8 kernel for cores with the DSP extension (variant of
 * mf_conv2d_s8_1x1, same signature and results; chosen by codegen/variants.py). */
#ifndef MF_CONV2D_S8_1X1_DSP_H
#define MF_CONV2D_S8_1X1_DSP_H

#include "conv2d_s8.h"

/* Scratch bytes: six input pixels widened to int16 (also when not in place). */
#define MF_CONV2D_S8_1X1_DSP_SCRATCH(in_c) (12 * (in_c))

/* The variant's scratch bytes for these params, 0 where it does not apply (in_c % 4 != 0); the
 * compiler plans the larger of this and mf_conv2d_s8_1x1_scratch_bytes (tests/ops/
 * test_scratch_sizes.py). Plain C: defined for every core. */
int32_t mf_conv2d_s8_1x1_dsp_scratch_bytes(const mf_conv2d_s8_params *p);

/* As mf_conv2d_s8_1x1 (in_c a multiple of 4); `scratch` (MF_CONV2D_S8_1X1_DSP_SCRATCH bytes,
 * 4-byte aligned) is always needed. In place (output == input, out_c <= in_c) works too: the
 * six pixels are widened before their outputs overwrite them. */
void mf_conv2d_s8_1x1_dsp(const mf_conv2d_s8_params *p, const int8_t *input,
                          const int8_t *filter, const int32_t *bias_folded, int8_t *output,
                          int8_t *scratch);

#endif /* MF_CONV2D_S8_1X1_DSP_H */
