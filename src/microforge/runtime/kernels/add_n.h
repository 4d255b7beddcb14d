/* microforge runtime: ADD_N, the elementwise sum of n same-shaped tensors (TFLite's AddN). */
#ifndef MF_ADD_N_H
#define MF_ADD_N_H

#include "mf_common.h"

typedef struct {
    int32_t size;    /* elements per tensor */
    int32_t count;   /* tensors summed */
    int32_t input_offset;  /* int8: - zero point, shared by the inputs */
    int32_t left_shift;
    int32_t input_multiplier;
    int32_t input_shift;
    int32_t output_multiplier;
    int32_t output_shift;
    int32_t output_offset;
} mf_add_n_params;

/* float32: x = 0, then + each input in order. */
void mf_add_n_f32(const mf_add_n_params *p, const float *const *inputs, float *output);
/* int8: TFLite's reference, which starts its sum from the rescaled input offset. */
void mf_add_n_s8(const mf_add_n_params *p, const int8_t *const *inputs, int8_t *output);

#endif /* MF_ADD_N_H */
