/* mf_functions.c: guest address -> function index (mf_functions.h). */
#include "mf_functions.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct range {
    uint64_t start, end; /* [start, end) */
    size_t index;        /* line number in the file */
};

static struct range ranges[MF_FUNCTIONS_MAX];
static size_t n_ranges;

static int by_start(const void *a, const void *b) {
    const struct range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

int mf_functions_load(const char *path) {
    FILE *f = fopen(path, "r");
    uint64_t start, end;
    if (f == NULL) {
        return -1;
    }
    n_ranges = 0;
    while (fscanf(f, "%" SCNx64 " %" SCNx64, &start, &end) == 2) {
        if (n_ranges == MF_FUNCTIONS_MAX || end < start) {
            fclose(f);
            return -1;
        }
        ranges[n_ranges].start = start;
        ranges[n_ranges].end = end;
        ranges[n_ranges].index = n_ranges;
        ++n_ranges;
    }
    fclose(f);
    qsort(ranges, n_ranges, sizeof ranges[0], by_start);
    return 0;
}

size_t mf_functions_count(void) {
    return n_ranges;
}

size_t mf_function_of(uint64_t address) {
    size_t lo = 0, hi = n_ranges;
    while (lo < hi) { /* last range with start <= address */
        size_t mid = lo + (hi - lo) / 2;
        if (ranges[mid].start <= address) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo > 0 && address < ranges[lo - 1].end) {
        return ranges[lo - 1].index;
    }
    return MF_FUNCTION_NONE;
}
