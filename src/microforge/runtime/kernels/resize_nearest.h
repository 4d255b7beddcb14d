/* microforge runtime: RESIZE_NEAREST_NEIGHBOR for any element size (NHWC). The source row and
 * column of every output row/column are computed at compile time (ops/resize_nearest_neighbor.py)
 * with TFLite's GetNearestNeighbor arithmetic. */
#ifndef MF_RESIZE_NEAREST_H
#define MF_RESIZE_NEAREST_H

#include "mf_common.h"

typedef struct {
    int32_t batches;
    int32_t in_h;
    int32_t in_w;
    int32_t out_h;
    int32_t out_w;
    int32_t depth_bytes; /* channels * element size */
} mf_resize_nearest_params;

/* y_map[out_h], x_map[out_w]: source row / column. output must not overlap input. */
void mf_resize_nearest(const mf_resize_nearest_params *p, const int32_t *y_map,
                       const int32_t *x_map, const void *input, void *output);

#endif /* MF_RESIZE_NEAREST_H */
