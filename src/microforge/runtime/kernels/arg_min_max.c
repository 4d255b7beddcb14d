/* microforge runtime: ARG_MAX / ARG_MIN (see arg_min_max.h). */
#include "arg_min_max.h"

#define MF_ARG_LOOP(NAME, T, BETTER)                                                  \
    void NAME(const T *in, int32_t *out, int32_t outer, int32_t axis, int32_t inner) { \
        int32_t o, j, i;                                                              \
        for (o = 0; o < outer; ++o) {                                                 \
            const T *base = in + (size_t)o * (size_t)axis * (size_t)inner;            \
            for (j = 0; j < inner; ++j) {                                             \
                T best = base[j];                                                     \
                int32_t index = 0;                                                    \
                for (i = 1; i < axis; ++i) {                                          \
                    const T v = base[(size_t)i * (size_t)inner + (size_t)j];          \
                    if (v BETTER best) {                                              \
                        best = v;                                                     \
                        index = i;                                                    \
                    }                                                                 \
                }                                                                     \
                out[(size_t)o * (size_t)inner + (size_t)j] = index;                   \
            }                                                                         \
        }                                                                             \
    }

MF_ARG_LOOP(mf_arg_max_f32, float, >)
MF_ARG_LOOP(mf_arg_min_f32, float, <)
MF_ARG_LOOP(mf_arg_max_s8, int8_t, >)
MF_ARG_LOOP(mf_arg_min_s8, int8_t, <)
