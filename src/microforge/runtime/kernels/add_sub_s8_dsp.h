/* microforge runtime: ADD/SUB int8 of same-shape inputs for cores with the DSP extension
 * (variant of mf_add_sub_s8, same signature and results; chosen by codegen/variants.py). */
#ifndef MF_ADD_SUB_S8_DSP_H
#define MF_ADD_SUB_S8_DSP_H

#include "add_sub_s8.h"

/* As mf_add_sub_s8 for a flat walk (no broadcasting: shape {1, 1, 1, n}, strides 1). */
void mf_add_sub_s8_dsp(const mf_add_sub_s8_params *p, const int8_t *input1,
                       const int8_t *input2, int8_t *output);

#endif /* MF_ADD_SUB_S8_DSP_H */
