/* microforge runtime: EMBEDDING_LOOKUP with int8 rows dequantized to float32 (TFLM's hybrid
 * path: (value - 0) * scale); the float/int8 copy path is mf_gather. */
#ifndef MF_EMBEDDING_LOOKUP_H
#define MF_EMBEDDING_LOOKUP_H

#include "mf_common.h"

typedef struct {
    int32_t rows;     /* rows of the table */
    int32_t columns;  /* values per row */
    int32_t count;    /* ids looked up */
    float scale;
} mf_embedding_lookup_params;

/* An id outside the table (TFLM fails the invoke) writes a zero row. */
void mf_embedding_lookup_hybrid(const mf_embedding_lookup_params *p, const int32_t *ids,
                                const int8_t *table, float *output);

#endif /* MF_EMBEDDING_LOOKUP_H */
