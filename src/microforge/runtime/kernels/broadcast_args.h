/* microforge runtime: BROADCAST_ARGS, the broadcast shape of two shape vectors (TFLite's
 * reference, aligned from the last dimension, missing ones read as 1). */
#ifndef MF_BROADCAST_ARGS_H
#define MF_BROADCAST_ARGS_H

#include "mf_common.h"

/* Incompatible dimensions (TFLM aborts) give 0 in that position. */
void mf_broadcast_args_s32(int32_t n1, const int32_t *shape1, int32_t n2, const int32_t *shape2,
                           int32_t n_out, int32_t *output);
void mf_broadcast_args_s64(int32_t n1, const int64_t *shape1, int32_t n2, const int64_t *shape2,
                           int32_t n_out, int64_t *output);

#endif /* MF_BROADCAST_ARGS_H */
