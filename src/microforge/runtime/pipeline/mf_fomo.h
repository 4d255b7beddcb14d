/* microforge: FOMO heatmap -> centroids, the C twin of microforge.postprocess.fomo.
 * heatmap: int8 [rows][cols][classes], class 0 the background. An object of class k >= 1 is a
 * cell whose score reaches `threshold` (an int8 value) and is the maximum of class k over its
 * 3x3 neighbourhood (a neighbour earlier in raster order with the same score wins).
 * Centroids in input pixels: ((col + 0.5) * cell, (row + 0.5) * cell), times 2 to stay
 * integer (x2, y2). Returns the number of objects found (at most max_objects are written). */
#ifndef MF_FOMO_H
#define MF_FOMO_H

#include <stdint.h>

typedef struct {
    int32_t label; /* class index >= 1 */
    int32_t x2;    /* 2 * centroid x, input pixels */
    int32_t y2;    /* 2 * centroid y */
    int8_t score;  /* the cell's int8 score */
} mf_fomo_object;

uint32_t mf_fomo_centroids(const int8_t *heatmap, uint32_t rows, uint32_t cols,
                           uint32_t classes, int8_t threshold, uint32_t cell,
                           mf_fomo_object *objects, uint32_t max_objects);

#endif /* MF_FOMO_H */
