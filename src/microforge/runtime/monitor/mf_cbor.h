/* mf_cbor: the few CBOR (RFC 8949) items a telemetry record needs, written in their shortest
 * form (preferred serialization, definite lengths): unsigned and negative integers, array
 * heads and byte-string heads. Writes into a caller's buffer; never past `cap`. Part of
 * microforge. */
#ifndef MF_CBOR_H
#define MF_CBOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;   /* bytes written so far */
    int overflow; /* 1 once an item did not fit (nothing more is written) */
} mf_cbor_writer;

void mf_cbor_init(mf_cbor_writer *w, uint8_t *buf, size_t cap);
void mf_cbor_uint(mf_cbor_writer *w, uint32_t value);
void mf_cbor_int(mf_cbor_writer *w, int32_t value);
void mf_cbor_array(mf_cbor_writer *w, uint32_t items);
void mf_cbor_bytes_head(mf_cbor_writer *w, uint32_t length);

#ifdef __cplusplus
}
#endif

#endif /* MF_CBOR_H */
