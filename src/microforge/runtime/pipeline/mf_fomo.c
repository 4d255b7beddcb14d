/* mf_fomo.c: see mf_fomo.h. Part of microforge. */
#include "mf_fomo.h"

static int mf_fomo_is_peak(const int8_t *heatmap, uint32_t rows, uint32_t cols,
                           uint32_t classes, uint32_t row, uint32_t col, uint32_t label) {
    int8_t value = heatmap[(row * cols + col) * classes + label];
    int32_t dy, dx;
    for (dy = -1; dy <= 1; ++dy) {
        for (dx = -1; dx <= 1; ++dx) {
            int32_t y = (int32_t)row + dy, x = (int32_t)col + dx;
            int8_t other;
            if ((dy == 0 && dx == 0) || y < 0 || x < 0 || y >= (int32_t)rows ||
                x >= (int32_t)cols) {
                continue;
            }
            other = heatmap[((uint32_t)y * cols + (uint32_t)x) * classes + label];
            if (other > value || (other == value && (dy < 0 || (dy == 0 && dx < 0)))) {
                return 0;
            }
        }
    }
    return 1;
}

uint32_t mf_fomo_centroids(const int8_t *heatmap, uint32_t rows, uint32_t cols,
                           uint32_t classes, int8_t threshold, uint32_t cell,
                           mf_fomo_object *objects, uint32_t max_objects) {
    uint32_t row, col, label, found = 0;
    for (row = 0; row < rows; ++row) {
        for (col = 0; col < cols; ++col) {
            for (label = 1; label < classes; ++label) {
                int8_t value = heatmap[(row * cols + col) * classes + label];
                if (value < threshold ||
                    !mf_fomo_is_peak(heatmap, rows, cols, classes, row, col, label)) {
                    continue;
                }
                if (found < max_objects) {
                    objects[found].label = (int32_t)label;
                    objects[found].x2 = (int32_t)((2u * col + 1u) * cell);
                    objects[found].y2 = (int32_t)((2u * row + 1u) * cell);
                    objects[found].frame_x = (objects[found].x2 + 1) / 2;
                    objects[found].frame_y = (objects[found].y2 + 1) / 2;
                    objects[found].score = value;
                }
                ++found;
            }
        }
    }
    return found;
}

int32_t mf_fomo_frame_coordinate(int32_t v2, const mf_fomo_axis *axis) {
    int32_t offset2 = v2 - 2 * axis->dst_start; /* 2 * (v - dst_start) */
    int32_t offset;
    if (offset2 <= 0 || axis->dst_len <= 0) {
        return axis->src_start;
    }
    offset = (offset2 * axis->src_len + axis->dst_len) / (2 * axis->dst_len);
    if (offset > axis->src_len - 1) {
        offset = axis->src_len - 1;
    }
    return axis->src_start + offset;
}

void mf_fomo_to_frame(mf_fomo_object *objects, uint32_t n, const mf_fomo_axis *x_axis,
                      const mf_fomo_axis *y_axis) {
    uint32_t i;
    for (i = 0; i < n; ++i) {
        objects[i].frame_x = mf_fomo_frame_coordinate(objects[i].x2, x_axis);
        objects[i].frame_y = mf_fomo_frame_coordinate(objects[i].y2, y_axis);
    }
}
