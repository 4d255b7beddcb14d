/* microforge runtime: EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL with TFLite
 * broadcasting, bool (uint8_t 0/1) output. float32, int32, int64 and bool are compared raw;
 * int8 as TFLM: each input (x - zero point) << 8, rescaled by its own multiplier, compared as
 * int32. */
#ifndef MF_COMPARISONS_H
#define MF_COMPARISONS_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

enum { MF_CMP_EQUAL = 0, MF_CMP_NOT_EQUAL = 1, MF_CMP_GREATER = 2, MF_CMP_GREATER_EQUAL = 3,
       MF_CMP_LESS = 4, MF_CMP_LESS_EQUAL = 5 };

typedef struct {
    mf_broadcast_shape shape;
    int32_t op; /* MF_CMP_* */
} mf_compare_params;

typedef struct {
    mf_broadcast_shape shape;
    int32_t op;
    int32_t input1_offset; /* -zero point */
    int32_t input2_offset;
    int32_t left_shift;
    int32_t input1_multiplier;
    int32_t input1_shift;
    int32_t input2_multiplier;
    int32_t input2_shift;
} mf_compare_s8_params;

void mf_compare_f32(const mf_compare_params *p, const float *input1, const float *input2,
                    uint8_t *output);
void mf_compare_s32(const mf_compare_params *p, const int32_t *input1, const int32_t *input2,
                    uint8_t *output);
void mf_compare_s64(const mf_compare_params *p, const int64_t *input1, const int64_t *input2,
                    uint8_t *output);
void mf_compare_b(const mf_compare_params *p, const uint8_t *input1, const uint8_t *input2,
                  uint8_t *output);
void mf_compare_s8(const mf_compare_s8_params *p, const int8_t *input1, const int8_t *input2,
                   uint8_t *output);

#endif /* MF_COMPARISONS_H */
