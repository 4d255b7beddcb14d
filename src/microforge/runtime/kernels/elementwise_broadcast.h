/* microforge runtime: the 4-D broadcast walk shared by the binary elementwise kernels.
 * Header only: the shape and strides are computed at compile time (ops/broadcast.py). */
#ifndef MF_ELEMENTWISE_BROADCAST_H
#define MF_ELEMENTWISE_BROADCAST_H

#include "mf_common.h"

/* Output dims, outermost first, and each input's element stride per dim (0: broadcast).
 * Same-shape inputs are one flat dim: {1, 1, 1, n} with strides {0, 0, 0, 1}. */
typedef struct {
    int32_t dims[4];
    int32_t stride1[4];
    int32_t stride2[4];
} mf_broadcast_shape;

/* out[o] = FN(CTX, a[i1], b[i2]) for every output element o, in order. The output may be the
 * same buffer as an input whose shape equals the output's (in-place). */
#define MF_BROADCAST_APPLY(S, A, B, OUT, FN, CTX)                                          \
    do {                                                                                   \
        int32_t d0_, d1_, d2_, d3_;                                                        \
        size_t o_ = 0;                                                                     \
        for (d0_ = 0; d0_ < (S)->dims[0]; ++d0_) {                                         \
            for (d1_ = 0; d1_ < (S)->dims[1]; ++d1_) {                                     \
                for (d2_ = 0; d2_ < (S)->dims[2]; ++d2_) {                                 \
                    const ptrdiff_t a0_ = (ptrdiff_t)d0_ * (S)->stride1[0] +               \
                        (ptrdiff_t)d1_ * (S)->stride1[1] + (ptrdiff_t)d2_ * (S)->stride1[2]; \
                    const ptrdiff_t b0_ = (ptrdiff_t)d0_ * (S)->stride2[0] +               \
                        (ptrdiff_t)d1_ * (S)->stride2[1] + (ptrdiff_t)d2_ * (S)->stride2[2]; \
                    const ptrdiff_t as_ = (S)->stride1[3];                                 \
                    const ptrdiff_t bs_ = (S)->stride2[3];                                 \
                    for (d3_ = 0; d3_ < (S)->dims[3]; ++d3_) {                             \
                        (OUT)[o_++] = FN((CTX), (A)[a0_ + (ptrdiff_t)d3_ * as_],           \
                                         (B)[b0_ + (ptrdiff_t)d3_ * bs_]);                 \
                    }                                                                      \
                }                                                                          \
            }                                                                              \
        }                                                                                  \
    } while (0)

#endif /* MF_ELEMENTWISE_BROADCAST_H */
