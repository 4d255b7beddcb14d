/* microforge runtime: TFLite_Detection_PostProcess, float32 (TFLM's detection_postprocess.cc:
 * the same double-precision decoding, score order and suppression; written here in C99). */
#include <math.h>
#include "detection_postprocess.h"

typedef struct {
    float *decoded;     /* num_boxes x (ymin, xmin, ymax, xmax) */
    float *keep_scores; /* num_boxes */
    int32_t *keep_indices, *sorted, *merge, *selected, *active, *best_class; /* num_boxes */
    float *class_scores;                                                    /* num_boxes */
    int32_t *after_indices, *order, *tmp_indices; /* max_detections + detections_per_class */
    float *after_scores, *tmp_scores;
} mf_dp_scratch;

static int32_t mf_dp_merged(const mf_detection_postprocess_params *p) {
    return p->max_detections + p->detections_per_class;
}

int32_t mf_detection_postprocess_scratch_bytes(const mf_detection_postprocess_params *p) {
    return (int32_t)sizeof(float) * (13 * p->num_boxes + 5 * mf_dp_merged(p));
}

static mf_dp_scratch mf_dp_layout(const mf_detection_postprocess_params *p, void *scratch) {
    mf_dp_scratch s;
    float *f = (float *)scratch;
    int32_t *i;
    const int32_t n = p->num_boxes, m = mf_dp_merged(p);
    s.decoded = f;
    s.keep_scores = f + 4 * n;
    s.class_scores = s.keep_scores + n;
    s.after_scores = s.class_scores + n;
    s.tmp_scores = s.after_scores + m;
    i = (int32_t *)(s.tmp_scores + m);
    s.keep_indices = i;
    s.sorted = i + n;
    s.merge = i + 2 * n;
    s.selected = i + 3 * n;
    s.active = i + 4 * n;
    s.best_class = i + 5 * n;
    s.after_indices = i + 6 * n;
    s.order = s.after_indices + m;
    s.tmp_indices = s.order + m;
    return s;
}

/* a comes before b: the larger value first, equal values in index order (TFLM's sorts) */
static int mf_dp_before(const float *values, int32_t a, int32_t b) {
    return values[a] > values[b] || (values[a] == values[b] && a < b);
}

/* indices[0..n) = 0..n-1 ordered by mf_dp_before (bottom-up merge sort; `merge` n ints) */
static void mf_dp_argsort(const float *values, int32_t n, int32_t *indices, int32_t *merge) {
    int32_t width, lo, i;
    for (i = 0; i < n; ++i) {
        indices[i] = i;
    }
    for (width = 1; width < n; width *= 2) {
        for (lo = 0; lo < n - width; lo += 2 * width) {
            const int32_t mid = lo + width, hi = MF_MIN(lo + 2 * width, n);
            int32_t a = lo, b = mid, k = lo;
            while (a < mid || b < hi) {
                if (b >= hi || (a < mid && !mf_dp_before(values, indices[b], indices[a]))) {
                    merge[k++] = indices[a++];
                } else {
                    merge[k++] = indices[b++];
                }
            }
            memcpy(indices + lo, merge + lo, (size_t)(hi - lo) * sizeof(int32_t));
        }
    }
}

static void mf_dp_decode(const mf_detection_postprocess_params *p, const float *boxes,
                         const float *anchors, float *decoded) {
    int32_t b;
    for (b = 0; b < p->num_boxes; ++b) {
        const float *e = boxes + (size_t)b * (size_t)p->box_stride;
        const float *a = anchors + (size_t)b * 4u;
        const float yc = (float)((double)e[0] / (double)p->y_scale * (double)a[2] + (double)a[0]);
        const float xc = (float)((double)e[1] / (double)p->x_scale * (double)a[3] + (double)a[1]);
        const float hh = (float)(0.5 * exp((double)e[2] / (double)p->h_scale) * (double)a[2]);
        const float hw = (float)(0.5 * exp((double)e[3] / (double)p->w_scale) * (double)a[3]);
        float *d = decoded + (size_t)b * 4u;
        d[0] = yc - hh;
        d[1] = xc - hw;
        d[2] = yc + hh;
        d[3] = xc + hw;
    }
}

static int mf_dp_valid(const mf_detection_postprocess_params *p, const float *decoded) {
    int32_t b;
    for (b = 0; b < p->num_boxes; ++b) {
        const float *d = decoded + (size_t)b * 4u;
        if (d[0] >= d[2] || d[1] >= d[3]) {
            return 0;
        }
    }
    return 1;
}

static float mf_dp_iou(const float *decoded, int32_t i, int32_t j) {
    const float *a = decoded + (size_t)i * 4u, *b = decoded + (size_t)j * 4u;
    const float area_a = (a[2] - a[0]) * (a[3] - a[1]);
    const float area_b = (b[2] - b[0]) * (b[3] - b[1]);
    float ymin, xmin, ymax, xmax, inter;
    if (area_a <= 0 || area_b <= 0) {
        return 0.0f;
    }
    ymin = a[0] > b[0] ? a[0] : b[0];
    xmin = a[1] > b[1] ? a[1] : b[1];
    ymax = a[2] < b[2] ? a[2] : b[2];
    xmax = a[3] < b[3] ? a[3] : b[3];
    inter = (ymax - ymin > 0.0f ? ymax - ymin : 0.0f) * (xmax - xmin > 0.0f ? xmax - xmin : 0.0f);
    return inter / (area_a + area_b - inter);
}

/* TFLM's NonMaxSuppressionSingleClassHelper: the boxes of `box_scores` above the threshold
 * in score order, each suppressing the later ones it overlaps; at most `limit` selected. */
static int32_t mf_dp_nms(const mf_detection_postprocess_params *p, const mf_dp_scratch *s,
                         const float *box_scores, int32_t limit) {
    int32_t kept = 0, selected = 0, active_left, i, j, b;
    for (b = 0; b < p->num_boxes; ++b) {
        if (box_scores[b] >= p->score_threshold) {
            s->keep_scores[kept] = box_scores[b];
            s->keep_indices[kept++] = b;
        }
    }
    mf_dp_argsort(s->keep_scores, kept, s->sorted, s->merge);
    limit = MF_MIN(kept, limit);
    for (i = 0; i < kept; ++i) {
        s->active[i] = 1;
    }
    active_left = kept;
    for (i = 0; i < kept; ++i) {
        const int32_t box = s->keep_indices[s->sorted[i]];
        if (active_left == 0 || selected >= limit) {
            break;
        }
        if (!s->active[i]) {
            continue;
        }
        s->selected[selected++] = box;
        s->active[i] = 0;
        active_left--;
        for (j = i + 1; j < kept; ++j) {
            if (s->active[j] && mf_dp_iou(s->decoded, box, s->keep_indices[s->sorted[j]])
                                    > p->iou_threshold) {
                s->active[j] = 0;
                active_left--;
            }
        }
    }
    return selected;
}

static void mf_dp_write(const float *decoded, int32_t box, float cls, float score, int32_t at,
                        float *out_boxes, float *out_classes, float *out_scores) {
    memcpy(out_boxes + (size_t)at * 4u, decoded + (size_t)box * 4u, 4u * sizeof(float));
    out_classes[at] = cls;
    out_scores[at] = score;
}

static int32_t mf_dp_regular(const mf_detection_postprocess_params *p, const mf_dp_scratch *s,
                             const float *scores, float *out_boxes, float *out_classes,
                             float *out_scores) {
    const int32_t nc = p->num_classes_with_background, offset = nc - p->num_classes;
    int32_t kept = 0, col, row, i;
    for (col = 0; col < p->num_classes; ++col) {
        int32_t selected, total = kept, top;
        for (row = 0; row < p->num_boxes; ++row) {
            s->class_scores[row] = scores[(size_t)row * (size_t)nc + (size_t)(col + offset)];
        }
        selected = mf_dp_nms(p, s, s->class_scores, p->detections_per_class);
        for (i = 0; i < selected; ++i) {
            s->after_indices[total] = s->selected[i] * nc + col + offset;
            s->after_scores[total++] = s->class_scores[s->selected[i]];
        }
        top = MF_MIN(total, p->max_detections);
        mf_dp_argsort(s->after_scores, total, s->order, s->merge);
        for (i = 0; i < top; ++i) {
            s->tmp_indices[i] = s->after_indices[s->order[i]];
            s->tmp_scores[i] = s->after_scores[s->order[i]];
        }
        memcpy(s->after_indices, s->tmp_indices, (size_t)top * sizeof(int32_t));
        memcpy(s->after_scores, s->tmp_scores, (size_t)top * sizeof(float));
        kept = top;
    }
    for (i = 0; i < kept; ++i) {
        const int32_t anchor = s->after_indices[i] / nc;
        mf_dp_write(s->decoded, anchor, (float)(s->after_indices[i] - anchor * nc - offset),
                    s->after_scores[i], i, out_boxes, out_classes, out_scores);
    }
    return kept;
}

static int32_t mf_dp_fast(const mf_detection_postprocess_params *p, const mf_dp_scratch *s,
                          const float *scores, float *out_boxes, float *out_classes,
                          float *out_scores) {
    const int32_t nc = p->num_classes_with_background, offset = nc - p->num_classes;
    int32_t row, c, i, selected;
    for (row = 0; row < p->num_boxes; ++row) { /* the best class of each box (first on ties) */
        const float *box_scores = scores + (size_t)row * (size_t)nc + (size_t)offset;
        int32_t best = 0;
        for (c = 1; c < p->num_classes; ++c) {
            if (box_scores[c] > box_scores[best]) {
                best = c;
            }
        }
        s->best_class[row] = best;
        s->class_scores[row] = box_scores[best];
    }
    selected = mf_dp_nms(p, s, s->class_scores, p->max_detections);
    for (i = 0; i < selected; ++i) {
        const int32_t box = s->selected[i];
        mf_dp_write(s->decoded, box, (float)s->best_class[box], s->class_scores[box], i,
                    out_boxes, out_classes, out_scores);
    }
    return selected;
}

int mf_detection_postprocess_f32(const mf_detection_postprocess_params *p, const float *boxes,
                                 const float *scores, const float *anchors, float *out_boxes,
                                 float *out_classes, float *out_scores, float *count,
                                 void *scratch) {
    const mf_dp_scratch s = mf_dp_layout(p, scratch);
    int32_t n;
    mf_dp_decode(p, boxes, anchors, s.decoded);
    /* TFLM validates in every suppression pass: regular NMS over no class runs none */
    if ((p->num_classes > 0 || !p->use_regular_nms) && !mf_dp_valid(p, s.decoded)) {
        return MF_DETECTION_POSTPROCESS_INVALID_BOXES;
    }
    n = p->use_regular_nms ? mf_dp_regular(p, &s, scores, out_boxes, out_classes, out_scores)
                           : mf_dp_fast(p, &s, scores, out_boxes, out_classes, out_scores);
    memset(out_boxes + (size_t)n * 4u, 0, (size_t)(p->outputs - n) * 4u * sizeof(float));
    memset(out_classes + n, 0, (size_t)(p->outputs - n) * sizeof(float));
    memset(out_scores + n, 0, (size_t)(p->outputs - n) * sizeof(float));
    *count = (float)n;
    return 0;
}
