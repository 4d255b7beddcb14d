/* mf_dsp_image.c: see mf_dsp_image.h. Part of microforge. */
#include "mf_dsp_image.h"

#include <stddef.h>

static uint8_t mf_img_clamp(int32_t v) {
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

static uint8_t mf_img_gray(int32_t r, int32_t g, int32_t b) {
    return (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
}

static uint8_t mf_img_round_f32(float v) {
    if (!(v > 0.0f)) {
        return 0u; /* also NaN */
    }
    if (v >= 255.0f) {
        return 255u;
    }
    return (uint8_t)(v + 0.5f); /* floor(v + 0.5) for v >= 0 */
}

static void mf_img_put(const mf_image_params *p, int32_t r, int32_t g, int32_t b,
                       uint8_t *out) {
    if (p->out_channels == 1u) {
        out[0] = mf_img_gray(r, g, b);
    } else {
        out[0] = (uint8_t)r;
        out[1] = (uint8_t)g;
        out[2] = (uint8_t)b;
    }
}

void mf_image_pixel(const mf_image_params *p, const void *src, uint32_t x, uint32_t y,
                    uint8_t *out) {
    const uint8_t *bytes = (const uint8_t *)src;
    uint32_t index = y * p->src_width + x;
    uint32_t c;
    switch (p->format) {
    case MF_IMG_RGB888: {
        const uint8_t *px = bytes + 3u * index;
        mf_img_put(p, px[0], px[1], px[2], out);
        break;
    }
    case MF_IMG_RGB565:
    case MF_IMG_RGB565BE: {
        const uint8_t *px = bytes + 2u * index;
        uint32_t v = p->format == MF_IMG_RGB565 ? ((uint32_t)px[0] | ((uint32_t)px[1] << 8))
                                                 : (((uint32_t)px[0] << 8) | (uint32_t)px[1]);
        int32_t r5 = (int32_t)((v >> 11) & 31u);
        int32_t g6 = (int32_t)((v >> 5) & 63u);
        int32_t b5 = (int32_t)(v & 31u);
        mf_img_put(p, (r5 << 3) | (r5 >> 2), (g6 << 2) | (g6 >> 4), (b5 << 3) | (b5 >> 2), out);
        break;
    }
    case MF_IMG_YUYV: {
        const uint8_t *pair = bytes + 4u * (index >> 1);
        int32_t luma = (int32_t)bytes[2u * index];
        int32_t u = (int32_t)pair[1] - 128;
        int32_t v = (int32_t)pair[3] - 128;
        if (p->out_channels == 1u) {
            out[0] = (uint8_t)luma;
        } else {
            /* the +65536 bias keeps every shifted value non-negative */
            out[0] = mf_img_clamp(luma + ((359 * v + 128 + 65536) >> 8) - 256);
            out[1] = mf_img_clamp(luma - ((88 * u + 183 * v + 128 + 65536) >> 8) + 256);
            out[2] = mf_img_clamp(luma + ((454 * u + 128 + 65536) >> 8) - 256);
        }
        break;
    }
    case MF_IMG_GRAY:
        for (c = 0; c < p->out_channels; ++c) {
            out[c] = bytes[index];
        }
        break;
    default: { /* MF_IMG_F32 */
        const float *px = (const float *)src + p->src_channels * index;
        if (p->src_channels == 1u) {
            uint8_t g = mf_img_round_f32(px[0]);
            for (c = 0; c < p->out_channels; ++c) {
                out[c] = g;
            }
        } else {
            mf_img_put(p, mf_img_round_f32(px[0]), mf_img_round_f32(px[1]),
                       mf_img_round_f32(px[2]), out);
        }
        break;
    }
    }
}

void mf_image_resample(const mf_image_params *p, const void *src, const mf_image_sink *sink) {
    uint8_t q00[3], q01[3], q10[3], q11[3];
    uint32_t oy, ox, c, i = 0;
    for (oy = 0; oy < p->dst_height; ++oy) {
        int32_t y0 = p->row_i0[oy], y1 = p->row_i1[oy], wy = p->row_w[oy];
        for (ox = 0; ox < p->dst_width; ++ox) {
            int32_t x0 = p->col_i0[ox], x1 = p->col_i1[ox], wx = p->col_w[ox];
            int pad = y0 < 0 || x0 < 0;
            if (!pad) {
                mf_image_pixel(p, src, (uint32_t)x0, (uint32_t)y0, q00);
                mf_image_pixel(p, src, (uint32_t)x1, (uint32_t)y0, q01);
                mf_image_pixel(p, src, (uint32_t)x0, (uint32_t)y1, q10);
                mf_image_pixel(p, src, (uint32_t)x1, (uint32_t)y1, q11);
            }
            for (c = 0; c < p->out_channels; ++c, ++i) {
                uint8_t value = 0u;
                if (!pad) {
                    int32_t top = (int32_t)q00[c] * (256 - wx) + (int32_t)q01[c] * wx;
                    int32_t bottom = (int32_t)q10[c] * (256 - wx) + (int32_t)q11[c] * wx;
                    value = (uint8_t)((top * (256 - wy) + bottom * wy + 32768) >> 16);
                }
                if (sink->u8 != NULL) {
                    sink->u8[i] = value;
                } else if (sink->f32 != NULL) {
                    sink->f32[i] = (float)value * sink->scale + sink->offset;
                } else {
                    sink->s8[i] = sink->lut[value];
                }
            }
        }
    }
}
