/* microforge runtime: SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND on [batch][height][width][depth]
 * (a 3-D tensor is [batch][height][1][depth]), TFLite's reference loops; any element size. */
#ifndef MF_SPACE_BATCH_H
#define MF_SPACE_BATCH_H

#include "mf_common.h"

typedef struct {
    int32_t in_batch, in_height, in_width;
    int32_t out_batch, out_height, out_width;
    int32_t depth;
    int32_t block_height, block_width;
    int32_t top, left;   /* space to batch: the padding; batch to space: the crop */
    int32_t elem_size;   /* bytes */
    int32_t pad_byte;    /* space to batch: every byte of a padding element (int8: its zero
                          * point; float32: 0) */
} mf_space_batch_params;

void mf_space_to_batch(const mf_space_batch_params *p, const void *input, void *output);
void mf_batch_to_space(const mf_space_batch_params *p, const void *input, void *output);

#endif /* MF_SPACE_BATCH_H */
