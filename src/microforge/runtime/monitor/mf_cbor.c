/* mf_cbor: shortest-form CBOR heads (see mf_cbor.h). Part of microforge. */
#include "mf_cbor.h"

void mf_cbor_init(mf_cbor_writer *w, uint8_t *buf, size_t cap) {
    w->buf = buf;
    w->cap = cap;
    w->len = 0u;
    w->overflow = 0;
}

/* major type (0..7) and argument, in 1, 2, 3 or 5 bytes */
static void mf_cbor_head(mf_cbor_writer *w, uint8_t major, uint32_t value) {
    uint8_t head[5];
    size_t n;
    size_t i;
    uint8_t type = (uint8_t)(major << 5);
    if (value < 24u) {
        head[0] = (uint8_t)(type | value);
        n = 1u;
    } else if (value <= 0xFFu) {
        head[0] = (uint8_t)(type | 24u);
        head[1] = (uint8_t)value;
        n = 2u;
    } else if (value <= 0xFFFFu) {
        head[0] = (uint8_t)(type | 25u);
        head[1] = (uint8_t)(value >> 8);
        head[2] = (uint8_t)value;
        n = 3u;
    } else {
        head[0] = (uint8_t)(type | 26u);
        head[1] = (uint8_t)(value >> 24);
        head[2] = (uint8_t)(value >> 16);
        head[3] = (uint8_t)(value >> 8);
        head[4] = (uint8_t)value;
        n = 5u;
    }
    if (w->overflow || w->cap - w->len < n) {
        w->overflow = 1;
        return;
    }
    for (i = 0u; i < n; ++i) {
        w->buf[w->len + i] = head[i];
    }
    w->len += n;
}

void mf_cbor_uint(mf_cbor_writer *w, uint32_t value) {
    mf_cbor_head(w, 0u, value);
}

void mf_cbor_int(mf_cbor_writer *w, int32_t value) {
    if (value >= 0) {
        mf_cbor_head(w, 0u, (uint32_t)value);
    } else {
        /* major type 1 carries -1 - value, computed without overflow at INT32_MIN */
        mf_cbor_head(w, 1u, (uint32_t)(-(value + 1)));
    }
}

void mf_cbor_array(mf_cbor_writer *w, uint32_t items) {
    mf_cbor_head(w, 4u, items);
}

void mf_cbor_bytes_head(mf_cbor_writer *w, uint32_t length) {
    mf_cbor_head(w, 2u, length);
}
