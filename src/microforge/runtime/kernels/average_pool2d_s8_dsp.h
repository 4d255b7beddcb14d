/* microforge runtime: AVERAGE_POOL_2D int8 for cores with the DSP extension (variant of
 * mf_average_pool2d_s8, same signature and results; chosen by codegen/variants.py). */
#ifndef MF_AVERAGE_POOL2D_S8_DSP_H
#define MF_AVERAGE_POOL2D_S8_DSP_H

#include "average_pool2d_s8.h"

/* As mf_average_pool2d_s8 for a multiple of 4 channels and filter_h * filter_w <= 255 (the sums
 * of one window fit int16). */
void mf_average_pool2d_s8_dsp(const mf_average_pool2d_s8_params *p, const int8_t *input,
                              int8_t *output);

#endif /* MF_AVERAGE_POOL2D_S8_DSP_H */
