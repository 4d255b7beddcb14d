/* mf_postprocess.c: see mf_postprocess.h. Part of microforge. */
#include "mf_postprocess.h"

#include <stddef.h>

void mf_postprocess_reset(mf_postprocess *p) {
    uint32_t i;
    for (i = 0; i < p->k * p->n_classes; ++i) {
        p->history[i] = 0;
    }
    for (i = 0; i < p->n_classes; ++i) {
        p->sums[i] = 0;
    }
    p->count = 0;
    p->next = 0;
    p->windows = 0;
    p->last_detection = 0;
    p->has_detection = 0;
}

static int32_t is_detection(mf_postprocess *p, int32_t label, float score, uint32_t end) {
    if (p->ignore[label] || !(score >= p->threshold)) {
        return 0;
    }
    if (p->has_detection && (uint32_t)(end - p->last_detection) < p->suppression) {
        return 0;
    }
    p->has_detection = 1;
    p->last_detection = end;
    return 1;
}

void mf_postprocess_step(mf_postprocess *p, const void *scores, uint32_t end_sample,
                         mf_pp_result *result) {
    int16_t *row = p->history + (size_t)p->next * p->n_classes;
    const int8_t *s8 = (const int8_t *)scores;
    const int16_t *s16 = (const int16_t *)scores;
    int32_t best = 0;
    uint32_t c;
    for (c = 0; c < p->n_classes; ++c) {
        int32_t q = p->score_bytes == 2u ? (int32_t)s16[c] : (int32_t)s8[c];
        int32_t value = q - p->zero_point;
        if (p->count >= p->k) {
            p->sums[c] -= row[c];
        }
        row[c] = (int16_t)value;
        p->sums[c] += value;
        if (p->sums[c] > p->sums[best]) {
            best = (int32_t)c;
        }
    }
    p->next = p->next + 1 == p->k ? 0 : p->next + 1;
    if (p->count < p->k) {
        p->count += 1;
    }
    result->window = p->windows++;
    result->end_sample = end_sample;
    result->label = best;
    result->score = (float)p->sums[best] * p->factors[p->count - 1];
    result->detected = p->mode == MF_PP_ARGMAX ? 1 : is_detection(p, best, result->score,
                                                                   end_sample);
    result->scores = scores;
}
