/* microforge runtime: ARG_MAX / ARG_MIN over one axis of a [outer, axis, inner] view, as TFLM:
 * strict comparison (the first index wins ties; with plain float `>`/`<` a NaN in the lead is
 * never replaced), int32 indices. */
#ifndef MF_ARG_MIN_MAX_H
#define MF_ARG_MIN_MAX_H

#include "mf_common.h"

void mf_arg_max_f32(const float *in, int32_t *out, int32_t outer, int32_t axis, int32_t inner);
void mf_arg_min_f32(const float *in, int32_t *out, int32_t outer, int32_t axis, int32_t inner);
void mf_arg_max_s8(const int8_t *in, int32_t *out, int32_t outer, int32_t axis, int32_t inner);
void mf_arg_min_s8(const int8_t *in, int32_t *out, int32_t outer, int32_t axis, int32_t inner);

#endif /* MF_ARG_MIN_MAX_H */
