/* microforge runtime: REDUCE_MAX / REDUCE_MIN (see reduce_min_max.h). */
#include <float.h>

#include "reduce_min_max.h"

/* Advance an odometer over `rank` levels; returns 0 once every index wrapped around. */
static int32_t mf_reduce_next(int32_t rank, const int32_t *count, const int32_t *stride,
                              int32_t *index, int32_t *offset) {
    int32_t k;
    for (k = rank - 1; k >= 0; --k) {
        *offset += stride[k];
        if (++index[k] < count[k]) {
            return 1;
        }
        *offset -= stride[k] * count[k];
        index[k] = 0;
    }
    return 0;
}

#define MF_REDUCE_LOOP(NAME, T, INIT, BETTER)                                              \
    void NAME(const mf_reduce_loops *p, const T *input, T *output) {                       \
        int32_t outer_index[MF_REDUCE_MAX_RANK] = {0};                                     \
        int32_t base = 0, o = 0;                                                           \
        do {                                                                               \
            int32_t inner_index[MF_REDUCE_MAX_RANK] = {0};                                 \
            int32_t offset = base;                                                         \
            T acc = (INIT);                                                                \
            do {                                                                           \
                const T v = input[offset];                                                 \
                if (v BETTER acc) {                                                        \
                    acc = v;                                                               \
                }                                                                          \
            } while (mf_reduce_next(p->inner_rank, p->inner_count, p->inner_stride,       \
                                    inner_index, &offset));                                \
            output[o++] = acc;                                                             \
        } while (mf_reduce_next(p->outer_rank, p->outer_count, p->outer_stride, outer_index, \
                                &base));                                                   \
    }

MF_REDUCE_LOOP(mf_reduce_max_f32, float, -FLT_MAX, >)
MF_REDUCE_LOOP(mf_reduce_min_f32, float, FLT_MAX, <)
MF_REDUCE_LOOP(mf_reduce_max_s8, int8_t, INT8_MIN, >)
MF_REDUCE_LOOP(mf_reduce_min_s8, int8_t, INT8_MAX, <)
