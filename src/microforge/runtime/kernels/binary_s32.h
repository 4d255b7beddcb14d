/* microforge runtime: int32 ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM (unquantized, TFLite
 * broadcasting), as TFLM's int32 paths: wrapping add/sub/mul, truncating division, then the
 * activation range. */
#ifndef MF_BINARY_S32_H
#define MF_BINARY_S32_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

enum { MF_BINARY_S32_ADD = 0, MF_BINARY_S32_SUB = 1, MF_BINARY_S32_MUL = 2,
       MF_BINARY_S32_DIV = 3, MF_BINARY_S32_MAX = 4, MF_BINARY_S32_MIN = 5 };

typedef struct {
    mf_broadcast_shape shape;
    int32_t op;       /* MF_BINARY_S32_* */
    int32_t act_min;  /* activation range (INT32_MIN/INT32_MAX when none) */
    int32_t act_max;
} mf_binary_s32_params;

void mf_binary_s32(const mf_binary_s32_params *p, const int32_t *input1, const int32_t *input2,
                   int32_t *output);

#endif /* MF_BINARY_S32_H */
