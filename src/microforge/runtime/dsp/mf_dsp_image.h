/* microforge DSP: camera frame -> model input. Frame decoding (RGB888, RGB565 little- and
 * big-endian, YUYV, grayscale, or a float window of 0..255 values), RGB -> gray (BT.601 in
 * Q8), and resampling by per-column / per-row tables (nearest or bilinear in Q8; index -1 is
 * padding, value 0) into uint8 pixels, normalised floats or int8 through a 256-entry table.
 * Integer arithmetic only up to the pixels: the same as microforge.dsp.image_ops. */
#ifndef MF_DSP_IMAGE_H
#define MF_DSP_IMAGE_H

#include <stdint.h>

/* frame formats: the order of microforge.dsp.image_ops.FRAME_FORMATS */
#define MF_IMG_RGB888 0
#define MF_IMG_RGB565 1
#define MF_IMG_RGB565BE 2
#define MF_IMG_YUYV 3
#define MF_IMG_GRAY 4
#define MF_IMG_F32 5 /* a float window: src_channels floats per pixel, 0..255 */

typedef struct {
    const int32_t *col_i0; /* dst_width entries */
    const int32_t *col_i1;
    const int32_t *col_w; /* Q8 weight of col_i1 */
    const int32_t *row_i0; /* dst_height entries */
    const int32_t *row_i1;
    const int32_t *row_w;
    uint32_t src_width;
    uint32_t dst_width;
    uint32_t dst_height;
    uint32_t src_channels; /* MF_IMG_F32 only: 1 or 3 */
    uint32_t out_channels; /* 1 (gray) or 3 (RGB) */
    int32_t format;        /* MF_IMG_* */
} mf_image_params;

/* Where the pixels go (exactly one of u8, f32, s8 is non-NULL):
 * u8[i] = pixel; f32[i] = (float)pixel * scale + offset; s8[i] = lut[pixel]. */
typedef struct {
    uint8_t *u8;
    float *f32;
    float scale;
    float offset;
    int8_t *s8;
    const int8_t *lut;
} mf_image_sink;

/* One source pixel, colour-converted to out_channels values in out[]. */
void mf_image_pixel(const mf_image_params *p, const void *src, uint32_t x, uint32_t y,
                    uint8_t *out);

/* Resample the frame `src` to dst_height x dst_width x out_channels into the sink. */
void mf_image_resample(const mf_image_params *p, const void *src, const mf_image_sink *sink);

#endif /* MF_DSP_IMAGE_H */
