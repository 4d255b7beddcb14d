/* microforge runtime: RESIZE_BILINEAR (NHWC), TFLite's reference: float32 with float weights
 * (ResizeBilinear<float>) and int8 in 10-bit fixed point (ResizeBilinearInteger). The rows,
 * columns and weights of every output row / column are computed at compile time
 * (ops/resize_bilinear.py). */
#ifndef MF_RESIZE_BILINEAR_H
#define MF_RESIZE_BILINEAR_H

#include "mf_common.h"

typedef struct {
    int32_t batches, in_h, in_w, out_h, out_w, depth;
} mf_resize_bilinear_params;

/* rows: [out_h][2] (y0, y1), cols: [out_w][2] (x0, x1); weights wy[out_h][2], wx[out_w][2]
 * (float: 1 - t and t, t = position - lower index). */
void mf_resize_bilinear_f32(const mf_resize_bilinear_params *p, const int32_t *rows,
                            const int32_t *cols, const float *wy, const float *wx,
                            const float *input, float *output);
/* wy[out_h], wx[out_w]: the position's offset from 1024 x the lower index (Q10). */
void mf_resize_bilinear_s8(const mf_resize_bilinear_params *p, const int32_t *rows,
                           const int32_t *cols, const int32_t *wy, const int32_t *wx,
                           const int8_t *input, int8_t *output);

#endif /* MF_RESIZE_BILINEAR_H */
