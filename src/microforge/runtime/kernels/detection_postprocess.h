/* microforge runtime: TFLite_Detection_PostProcess (TFLM's custom op, float32): SSD box decoding
 * against the anchors, then fast (one class per box) or regular (per class) non-max
 * suppression, with TFLM's arithmetic and ordering. */
#ifndef MF_DETECTION_POSTPROCESS_H
#define MF_DETECTION_POSTPROCESS_H

#include "mf_common.h"

typedef struct {
    int32_t num_boxes;                   /* anchors = box encodings */
    int32_t box_stride;                  /* values per box encoding (>= 4: y, x, h, w first) */
    int32_t num_classes;                 /* without the background class */
    int32_t num_classes_with_background; /* scores per box (num_classes or num_classes + 1) */
    int32_t max_detections;
    int32_t detections_per_class;        /* regular NMS only */
    int32_t use_regular_nms;
    int32_t outputs;                     /* detections each output tensor holds (>= max) */
    float score_threshold;
    float iou_threshold;
    float y_scale, x_scale, h_scale, w_scale;
} mf_detection_postprocess_params;

/* A decoded box with ymin >= ymax or xmin >= xmax: TFLM's Eval fails (ValidateBoxes). */
#define MF_DETECTION_POSTPROCESS_INVALID_BOXES 16 /* invoke statuses of kernels start at 16 */

/* Bytes of scratch the kernel needs (decoded boxes, score and index buffers). */
int32_t mf_detection_postprocess_scratch_bytes(const mf_detection_postprocess_params *p);

/* boxes [1][num_boxes][box_stride], scores [1][num_boxes][num_classes_with_background],
 * anchors [num_boxes][4] (y, x, h, w). Writes the detection boxes (ymin, xmin, ymax, xmax),
 * classes and scores of the first `*count` detections and zeros after them (TFLM leaves the
 * entries beyond the fast NMS's detections unwritten), and the count. Returns 0, or
 * MF_DETECTION_POSTPROCESS_INVALID_BOXES (then the outputs are not valid). */
int mf_detection_postprocess_f32(const mf_detection_postprocess_params *p, const float *boxes,
                                 const float *scores, const float *anchors, float *out_boxes,
                                 float *out_classes, float *out_scores, float *count,
                                 void *scratch);

#endif /* MF_DETECTION_POSTPROCESS_H */
