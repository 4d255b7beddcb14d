/* microforge runtime: FULLY_CONNECTED int8 for cores with the DSP extension (variant of
 * mf_fully_connected_s8, same signature and results; chosen by codegen/variants.py). */
#ifndef MF_FULLY_CONNECTED_S8_DSP_H
#define MF_FULLY_CONNECTED_S8_DSP_H

#include "fully_connected_s8.h"

/* As mf_fully_connected_s8 for symmetric weights (filter_offset 0), in_depth and out_depth
 * multiples of 4; `weights` re-laid-out at compile time per group of four units and four
 * inputs: [out / 4][in / 4][4 units][4 inputs] (ops/fully_connected.py:dsp_weights). */
void mf_fully_connected_s8_dsp(const mf_fully_connected_s8_params *p, const int8_t *input,
                               const int8_t *weights, const int32_t *bias_folded,
                               int8_t *output);

#endif /* MF_FULLY_CONNECTED_S8_DSP_H */
