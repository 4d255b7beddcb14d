/* mf_window_buffer.c: see mf_window_buffer.h. Part of microforge. */
#include "mf_window_buffer.h"

#include <string.h>

void mf_window_buffer_init(mf_window_buffer *b, float *storage, uint32_t win_len,
                           uint32_t channels, uint32_t stride) {
    b->frames = storage;
    b->win_len = win_len;
    b->channels = channels;
    b->stride = stride;
    mf_window_buffer_reset(b);
}

void mf_window_buffer_reset(mf_window_buffer *b) {
    b->fill = 0;
    b->skip = 0;
    b->total = 0;
}

/* Frames to drop first, then frames to copy; returns the number to copy. */
static size_t take_frames(mf_window_buffer *b, size_t n_frames, size_t *dropped) {
    size_t drop = b->skip < n_frames ? b->skip : n_frames;
    size_t room = (size_t)(b->win_len - b->fill);
    size_t left = n_frames - drop;
    b->skip -= (uint32_t)drop;
    *dropped = drop;
    return left < room ? left : room;
}

size_t mf_window_buffer_fill_f32(mf_window_buffer *b, const float *x, size_t n_frames,
                                 int *complete) {
    size_t drop;
    size_t take = take_frames(b, n_frames, &drop);
    if (take > 0) {
        memcpy(b->frames + (size_t)b->fill * b->channels, x + drop * b->channels,
               take * b->channels * sizeof(float));
    }
    b->fill += (uint32_t)take;
    b->total += (uint32_t)(drop + take);
    *complete = b->fill == b->win_len;
    return drop + take;
}

size_t mf_window_buffer_fill_s16(mf_window_buffer *b, const int16_t *x, size_t n_frames,
                                 int *complete) {
    size_t drop;
    size_t take = take_frames(b, n_frames, &drop);
    size_t count = take * b->channels;
    const int16_t *src = x + drop * b->channels;
    float *dst = b->frames + (size_t)b->fill * b->channels;
    size_t i;
    for (i = 0; i < count; ++i) {
        dst[i] = (float)src[i] * (1.0f / 32768.0f);
    }
    b->fill += (uint32_t)take;
    b->total += (uint32_t)(drop + take);
    *complete = b->fill == b->win_len;
    return drop + take;
}

void mf_window_buffer_advance(mf_window_buffer *b) {
    if (b->stride < b->win_len) {
        uint32_t keep = b->win_len - b->stride;
        memmove(b->frames, b->frames + (size_t)b->stride * b->channels,
                (size_t)keep * b->channels * sizeof(float));
        b->fill = keep;
    } else {
        b->fill = 0;
        b->skip = b->stride - b->win_len;
    }
}
