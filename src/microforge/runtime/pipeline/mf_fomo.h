/* microforge: FOMO heatmap -> centroids, the C twin of microforge.postprocess.fomo.
 * heatmap: int8 [rows][cols][classes], class 0 the background. An object of class k >= 1 is a
 * cell whose score reaches `threshold` (an int8 value) and is the maximum of class k over its
 * 3x3 neighbourhood (a neighbour earlier in raster order with the same score wins).
 * Centroids in input pixels: ((col + 0.5) * cell, (row + 0.5) * cell), times 2 to stay
 * integer (x2, y2). Returns the number of objects found (at most max_objects are written).
 * frame_x/frame_y: the centroid in the camera frame's pixels, set by mf_fomo_to_frame (the
 * image block's crop/letterbox/resize undone); mf_fomo_centroids sets them to the input
 * pixel rounded half up ((x2 + 1) / 2). */
#ifndef MF_FOMO_H
#define MF_FOMO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int32_t label;   /* class index >= 1 */
    int32_t x2;      /* 2 * centroid x, the model's input pixels */
    int32_t y2;      /* 2 * centroid y */
    int32_t frame_x; /* centroid x in the camera frame's pixels (0 .. frame width - 1) */
    int32_t frame_y; /* centroid y in the camera frame's pixels */
    int8_t score;    /* the cell's int8 score */
} mf_fomo_object;

/* One axis of the image block's fit: the frame's pixels [src_start, src_start + src_len)
 * are resampled onto the input's pixels [dst_start, dst_start + dst_len). */
typedef struct {
    int32_t src_start;
    int32_t src_len;
    int32_t dst_start;
    int32_t dst_len;
} mf_fomo_axis;

uint32_t mf_fomo_centroids(const int8_t *heatmap, uint32_t rows, uint32_t cols,
                           uint32_t classes, int8_t threshold, uint32_t cell,
                           mf_fomo_object *objects, uint32_t max_objects);

/* frame = src_start + round_half_up((v2 / 2 - dst_start) * src_len / dst_len), clamped to
 * [src_start, src_start + src_len - 1] (a centroid in letterbox padding goes to the edge). */
int32_t mf_fomo_frame_coordinate(int32_t v2, const mf_fomo_axis *axis);

/* Sets frame_x / frame_y of n objects through the two axes. */
void mf_fomo_to_frame(mf_fomo_object *objects, uint32_t n, const mf_fomo_axis *x_axis,
                      const mf_fomo_axis *y_axis);

#ifdef __cplusplus
}
#endif

#endif /* MF_FOMO_H */
