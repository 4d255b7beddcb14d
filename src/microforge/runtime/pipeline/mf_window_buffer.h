/* mf_window_buffer: assembles windows of win_len frames every `stride` frames from a stream.
 *
 * One linear buffer of win_len * channels floats (no ring to unroll: the DSP reads the window
 * as it is). A window ends at frame win_len + j * stride; after it is processed,
 * mf_window_buffer_advance() keeps the win_len - stride frames the next window shares, or drops
 * stride - win_len frames when windows do not overlap. Part of microforge; no malloc. */
#ifndef MF_WINDOW_BUFFER_H
#define MF_WINDOW_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    float *frames;      /* win_len * channels floats, interleaved [time][channel], oldest first */
    uint32_t win_len;
    uint32_t channels;
    uint32_t stride;
    uint32_t fill;      /* frames in `frames` */
    uint32_t skip;      /* frames still to drop before the next window starts */
    uint32_t total;     /* frames pushed since reset (wraps at 2^32) */
} mf_window_buffer;

void mf_window_buffer_init(mf_window_buffer *b, float *storage, uint32_t win_len,
                           uint32_t channels, uint32_t stride);
void mf_window_buffer_reset(mf_window_buffer *b);

/* Take up to n_frames interleaved frames; stop as soon as a window is complete. Returns the
 * frames consumed and sets *complete to 1 when b->frames holds a complete window (its end is
 * b->total). int16 samples are scaled by 1/32768, as the WAV reader does. */
size_t mf_window_buffer_fill_f32(mf_window_buffer *b, const float *x, size_t n_frames,
                                 int *complete);
size_t mf_window_buffer_fill_s16(mf_window_buffer *b, const int16_t *x, size_t n_frames,
                                 int *complete);

/* After a complete window was processed: move on by `stride` frames. */
void mf_window_buffer_advance(mf_window_buffer *b);

#ifdef __cplusplus
}
#endif

#endif /* MF_WINDOW_BUFFER_H */
