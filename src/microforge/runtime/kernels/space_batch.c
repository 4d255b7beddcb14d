/* microforge runtime: SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND (see space_batch.h). */
#include <string.h>

#include "space_batch.h"

static size_t mf_sb_offset(int32_t height, int32_t width, int32_t depth, int32_t b, int32_t h,
                           int32_t w) {
    return ((size_t)((b * height + h) * width + w)) * (size_t)depth;
}

void mf_space_to_batch(const mf_space_batch_params *p, const void *input, void *output) {
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const size_t row = (size_t)p->depth * (size_t)p->elem_size;
    int32_t ob, oh, ow;
    for (ob = 0; ob < p->out_batch; ++ob) {
        const int32_t b = ob % p->in_batch;
        const int32_t shift_w = (ob / p->in_batch) % p->block_width;
        const int32_t shift_h = (ob / p->in_batch) / p->block_width;
        for (oh = 0; oh < p->out_height; ++oh) {
            for (ow = 0; ow < p->out_width; ++ow) {
                const int32_t h = oh * p->block_height + shift_h - p->top;
                const int32_t w = ow * p->block_width + shift_w - p->left;
                uint8_t *dst = out + mf_sb_offset(p->out_height, p->out_width, p->depth, ob, oh,
                                                  ow) * (size_t)p->elem_size;
                if (h < 0 || h >= p->in_height || w < 0 || w >= p->in_width) {
                    memset(dst, p->pad_byte, row);
                } else {
                    memcpy(dst, in + mf_sb_offset(p->in_height, p->in_width, p->depth, b, h, w)
                                         * (size_t)p->elem_size, row);
                }
            }
        }
    }
}

void mf_batch_to_space(const mf_space_batch_params *p, const void *input, void *output) {
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    const size_t row = (size_t)p->depth * (size_t)p->elem_size;
    int32_t ib, ih, iw;
    for (ib = 0; ib < p->in_batch; ++ib) {
        const int32_t b = ib % p->out_batch;
        const int32_t spatial = ib / p->out_batch;
        for (ih = 0; ih < p->in_height; ++ih) {
            const int32_t h = ih * p->block_height + spatial / p->block_width - p->top;
            if (h < 0 || h >= p->out_height) {
                continue;
            }
            for (iw = 0; iw < p->in_width; ++iw) {
                const int32_t w = iw * p->block_width + spatial % p->block_width - p->left;
                if (w < 0 || w >= p->out_width) {
                    continue;
                }
                memcpy(out + mf_sb_offset(p->out_height, p->out_width, p->depth, b, h, w)
                                 * (size_t)p->elem_size,
                       in + mf_sb_offset(p->in_height, p->in_width, p->depth, ib, ih, iw)
                                * (size_t)p->elem_size, row);
            }
        }
    }
}
