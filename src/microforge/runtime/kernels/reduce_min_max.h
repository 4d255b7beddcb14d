/* microforge runtime: REDUCE_MAX / REDUCE_MIN over any set of axes, int8 and float32, as
 * TFLM's ReduceGeneric: start at the type's lowest (max) / highest (min) value and replace it
 * when `in > current` (`in < current`), so a NaN never enters a float result. The compiler
 * splits the input's axes into kept ("outer") and reduced ("inner") loop nests with element
 * strides; output elements are written in order. */
#ifndef MF_REDUCE_MIN_MAX_H
#define MF_REDUCE_MIN_MAX_H

#include "mf_common.h"

#define MF_REDUCE_MAX_RANK 6

typedef struct {
    int32_t outer_rank;
    int32_t outer_count[MF_REDUCE_MAX_RANK];
    int32_t outer_stride[MF_REDUCE_MAX_RANK];
    int32_t inner_rank;
    int32_t inner_count[MF_REDUCE_MAX_RANK];
    int32_t inner_stride[MF_REDUCE_MAX_RANK];
} mf_reduce_loops;

void mf_reduce_max_f32(const mf_reduce_loops *p, const float *input, float *output);
void mf_reduce_min_f32(const mf_reduce_loops *p, const float *input, float *output);
void mf_reduce_max_s8(const mf_reduce_loops *p, const int8_t *input, int8_t *output);
void mf_reduce_min_s8(const mf_reduce_loops *p, const int8_t *input, int8_t *output);

#endif /* MF_REDUCE_MIN_MAX_H */
