/* microforge runtime: CONV_2D int8 over small receptive fields for cores with the DSP extension
 * (variant of mf_conv2d_s8, same signature and results; chosen by codegen/variants.py). */
#ifndef MF_CONV2D_S8_DSP_H
#define MF_CONV2D_S8_DSP_H

#include "conv2d_s8.h"

/* filter_h * filter_w * in_c of the variant at most (its int8 patch sits on the stack) */
#define MF_CONV2D_S8_DSP_PATCH_MAX 128
/* Scratch bytes: the receptive fields of six output pixels widened to int16. */
#define MF_CONV2D_S8_DSP_SCRATCH(patch_len) (48 * (((patch_len) + 3) / 4))

/* The variant's scratch bytes for these params, 0 where it does not apply (groups, a longer
 * receptive field, shapes the portable kernel runs in place); the compiler plans the larger of
 * this and mf_conv2d_s8_scratch_bytes. */
int32_t mf_conv2d_s8_dsp_scratch_bytes(const mf_conv2d_s8_params *p);

/* As mf_conv2d_s8 for one group (filter_in_c == in_c), patch length <= PATCH_MAX, shapes that
 * cannot run in place;
 * `scratch` (MF_CONV2D_S8_DSP_SCRATCH bytes, 4-byte aligned) replaces the row scratch. */
void mf_conv2d_s8_dsp(const mf_conv2d_s8_params *p, const int8_t *input, const int8_t *filter,
                      const int32_t *bias, int8_t *output, int8_t *scratch);

#endif /* MF_CONV2D_S8_DSP_H */
