/* microforge runtime: float32 FLOOR_DIV and FLOOR_MOD with TFLite broadcasting. */
#ifndef MF_FLOOR_DIV_MOD_F32_H
#define MF_FLOOR_DIV_MOD_F32_H

#include "mf_common.h"
#include "elementwise_broadcast.h"

enum { MF_FLOOR_DIV = 0, MF_FLOOR_MOD = 1 };

typedef struct {
    mf_broadcast_shape shape;
    int32_t op; /* MF_FLOOR_DIV or MF_FLOOR_MOD */
} mf_floor_div_mod_f32_params;

/* FLOOR_DIV: floor(a / b) (float division, then floor). FLOOR_MOD: the remainder of a / b with
 * the sign of b (fmod, moved by b when the signs differ). */
void mf_floor_div_mod_f32(const mf_floor_div_mod_f32_params *p, const float *input1,
                          const float *input2, float *output);

#endif /* MF_FLOOR_DIV_MOD_F32_H */
