/* microforge runtime: EMBEDDING_LOOKUP, hybrid (see embedding_lookup.h). */
#include "embedding_lookup.h"

void mf_embedding_lookup_hybrid(const mf_embedding_lookup_params *p, const int32_t *ids,
                                const int8_t *table, float *output) {
    int32_t i, j;
    for (i = 0; i < p->count; ++i) {
        const int32_t id = ids[i];
        float *out = output + i * p->columns;
        for (j = 0; j < p->columns; ++j) {
            out[j] = (id < 0 || id >= p->rows) ? 0.0f
                                               : (float)table[id * p->columns + j] * p->scale;
        }
    }
}
