/* microforge runtime: BROADCAST_ARGS (see broadcast_args.h). */
#include "broadcast_args.h"

#define MF_BROADCAST_ARGS_BODY                                                  \
    int32_t i;                                                                  \
    for (i = 0; i < n_out; ++i) {                                               \
        const int32_t k1 = n1 - 1 - i, k2 = n2 - 1 - i;                         \
        const int64_t a = k1 >= 0 ? (int64_t)shape1[k1] : 1;                    \
        const int64_t b = k2 >= 0 ? (int64_t)shape2[k2] : 1;                    \
        output[n_out - 1 - i] = a == 1 ? b : (b == 1 || a == b ? a : 0);        \
    }

void mf_broadcast_args_s32(int32_t n1, const int32_t *shape1, int32_t n2, const int32_t *shape2,
                           int32_t n_out, int32_t *output) {
    MF_BROADCAST_ARGS_BODY
}

void mf_broadcast_args_s64(int32_t n1, const int64_t *shape1, int32_t n2, const int64_t *shape2,
                           int32_t n_out, int64_t *output) {
    MF_BROADCAST_ARGS_BODY
}
