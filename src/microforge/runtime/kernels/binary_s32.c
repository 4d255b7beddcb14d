/* microforge runtime: int32 binary elementwise ops. Overflow wraps (two's complement, the
 * result TFLM's WrappingMul and its plain int32 add give); a division by zero gives 0 and
 * INT32_MIN / -1 gives INT32_MIN, where TFLM's C++ is undefined. */
#include "binary_s32.h"

static inline int32_t mf_s32_activate(const mf_binary_s32_params *p, int32_t x) {
    return MF_CLAMP(x, p->act_min, p->act_max);
}

static inline int32_t mf_add_one_s32(const mf_binary_s32_params *p, int32_t a, int32_t b) {
    return mf_s32_activate(p, (int32_t)((uint32_t)a + (uint32_t)b));
}

static inline int32_t mf_sub_one_s32(const mf_binary_s32_params *p, int32_t a, int32_t b) {
    return mf_s32_activate(p, (int32_t)((uint32_t)a - (uint32_t)b));
}

static inline int32_t mf_mul_one_s32(const mf_binary_s32_params *p, int32_t a, int32_t b) {
    return mf_s32_activate(p, (int32_t)((uint32_t)a * (uint32_t)b));
}

static inline int32_t mf_div_one_s32(const mf_binary_s32_params *p, int32_t a, int32_t b) {
    int32_t q;
    if (b == 0) {
        q = 0;
    } else if (b == -1 && a == INT32_MIN) {
        q = INT32_MIN;
    } else {
        q = a / b;
    }
    return mf_s32_activate(p, q);
}

static inline int32_t mf_max_one_s32(const mf_binary_s32_params *p, int32_t a, int32_t b) {
    (void)p;
    return a > b ? a : b;
}

static inline int32_t mf_min_one_s32(const mf_binary_s32_params *p, int32_t a, int32_t b) {
    (void)p;
    return a < b ? a : b;
}

void mf_binary_s32(const mf_binary_s32_params *p, const int32_t *input1, const int32_t *input2,
                   int32_t *output) {
    switch (p->op) {
    case MF_BINARY_S32_ADD:
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_add_one_s32, p);
        break;
    case MF_BINARY_S32_SUB:
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_sub_one_s32, p);
        break;
    case MF_BINARY_S32_MUL:
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_mul_one_s32, p);
        break;
    case MF_BINARY_S32_DIV:
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_div_one_s32, p);
        break;
    case MF_BINARY_S32_MAX:
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_max_one_s32, p);
        break;
    default:
        MF_BROADCAST_APPLY(&p->shape, input1, input2, output, mf_min_one_s32, p);
        break;
    }
}
