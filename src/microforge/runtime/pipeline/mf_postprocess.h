/* mf_postprocess: model scores (int8, or int16 for a 16x8 network) -> decisions (posterior
 * averaging, argmax, detector).
 *
 * Sums of (q - zero_point) over the last k windows (integers), the top class (first of equal
 * maxima), its averaged score float(sum) * factors[n - 1] (factors[i] = scale / (i + 1), n =
 * windows averaged so far, at most k). argmax mode: every window is a decision. detector
 * mode: a detection when the top class is not ignored, its score >= threshold and at least
 * `suppression` samples passed since the previous detection. microforge's Python
 * post-processing (microforge.postprocess) does the same operations. No malloc. */
#ifndef MF_POSTPROCESS_H
#define MF_POSTPROCESS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MF_PP_ARGMAX 0
#define MF_PP_DETECTOR 1

typedef struct {
    uint32_t window;       /* index of the window since init / reset (0-based) */
    uint32_t end_sample;   /* frames pushed when the window completed */
    int32_t label;         /* top class of the averaged scores */
    float score;           /* its averaged score */
    int32_t detected;      /* argmax: always 1; detector: 1 for a new detection */
    const void *scores;    /* the model's output for this window (n_classes): int8_t, or
                            * int16_t for a 16x8 network (mf_postprocess.score_bytes = 2) */
} mf_pp_result;

typedef struct {
    /* configuration (constants, set before mf_postprocess_reset) */
    const float *factors;   /* k entries */
    const uint8_t *ignore;  /* n_classes flags: never reported by the detector */
    int16_t *history;       /* k * n_classes: (q - zero_point) of the last k windows (int16
                             * scores have zero point 0, TFLite's 16x8 scheme: they fit) */
    int32_t *sums;          /* n_classes */
    float threshold;
    uint32_t suppression;   /* samples */
    int32_t zero_point;
    uint32_t score_bytes;   /* 1: int8_t scores, 2: int16_t scores */
    uint32_t n_classes;
    uint32_t k;
    int32_t mode;           /* MF_PP_ARGMAX or MF_PP_DETECTOR */
    /* state */
    uint32_t count;
    uint32_t next;
    uint32_t windows;
    uint32_t last_detection;
    int32_t has_detection;
} mf_postprocess;

void mf_postprocess_reset(mf_postprocess *p);
void mf_postprocess_step(mf_postprocess *p, const void *scores, uint32_t end_sample,
                         mf_pp_result *result);

#ifdef __cplusplus
}
#endif

#endif /* MF_POSTPROCESS_H */
