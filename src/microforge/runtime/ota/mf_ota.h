/* microforge OTA: verify a signed model bundle (MCUboot image format) read through a flash
 * HAL callback. Order: bounds checks, SHA-512 of header + payload + protected TLVs, key hash
 * against the compiled-in key list, Ed25519 signature; only then the protected TLVs (counter,
 * vendor/class UUIDs, GRAPH_ABI_HASH, model UUID, canaries) are parsed. No malloc. */
#ifndef MF_OTA_H
#define MF_OTA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" { /* C++ (an Arduino sketch) links the C verifier */
#endif

#define MF_OTA_IMAGE_MAGIC 0x96f3b83dUL
#define MF_OTA_HEADER_SIZE 32u
#define MF_OTA_TLV_INFO_MAGIC 0x6907u
#define MF_OTA_TLV_PROT_INFO_MAGIC 0x6908u
#define MF_OTA_TLV_KEYHASH 0x01u
#define MF_OTA_TLV_SHA512 0x12u
#define MF_OTA_TLV_ED25519 0x24u
#define MF_OTA_TLV_SEC_CNT 0x50u
#define MF_OTA_TLV_UUID_VID 0x74u
#define MF_OTA_TLV_UUID_CID 0x75u
#define MF_OTA_TLV_ABI_HASH 0xa0u
#define MF_OTA_TLV_MODEL_UUID 0xa1u
#define MF_OTA_TLV_CANARY 0xa2u

/* Reason codes: 0 accepted; every rejection has its own. */
typedef enum {
    MF_OTA_OK = 0,
    MF_OTA_E_IO = 1,            /* the read callback failed */
    MF_OTA_E_TRUNCATED = 2,     /* shorter than the header says */
    MF_OTA_E_MAGIC = 3,         /* not an MCUboot image */
    MF_OTA_E_HEADER = 4,        /* header size or flags not accepted */
    MF_OTA_E_TLV_LAYOUT = 5,    /* a TLV area or TLV runs past its end, bad area magic/length */
    MF_OTA_E_TLV_DUPLICATE = 6, /* a TLV type twice */
    MF_OTA_E_TLV_UNKNOWN = 7,   /* a TLV type not accepted in that area */
    MF_OTA_E_TLV_MISSING = 8,   /* a required TLV absent */
    MF_OTA_E_HASH = 9,          /* SHA-512 differs: tampered header, payload or protected TLV */
    MF_OTA_E_UNKNOWN_KEY = 10,  /* key hash not in the compiled-in list */
    MF_OTA_E_REVOKED_KEY = 11,  /* key in the list, marked revoked */
    MF_OTA_E_SIGNATURE = 12,    /* Ed25519 signature does not verify */
    MF_OTA_E_IDS = 13,          /* vendor or class UUID differs */
    MF_OTA_E_ABI = 14,          /* GRAPH_ABI_HASH differs: needs a firmware update */
    MF_OTA_E_ROLLBACK = 15,     /* security counter below the stored one */
    MF_OTA_E_TOO_BIG = 16,      /* payload larger than the model slot allows */
    MF_OTA_E_CANARY = 17,       /* canary TLV malformed, or the model fails its canaries */
    MF_OTA_E_NO_IMAGE = 18,     /* no slot holds a bootable model */
    MF_OTA_E_STATE = 19         /* the call does not fit the slot state (e.g. no trial) */
} mf_ota_status;

/* Flash HAL: read len bytes at offset off of the bundle's storage; 0 on success. */
typedef int (*mf_ota_read_fn)(void *ctx, uint32_t off, uint8_t *buf, uint32_t len);

typedef struct {
    mf_ota_read_fn read;
    void *ctx;
    uint32_t size; /* bytes readable from offset 0 */
} mf_ota_source;

typedef struct {
    uint8_t public_key[32]; /* raw Ed25519 public key */
    uint8_t revoked;        /* nonzero: bundles signed with it are refused */
} mf_ota_key;

typedef struct {
    const mf_ota_key *keys;
    uint32_t n_keys;
    const uint8_t *vendor_uuid; /* 16 bytes */
    const uint8_t *class_uuid;  /* 16 bytes */
    const uint8_t *abi_hash;    /* 32 bytes: the firmware's GRAPH_ABI_HASH */
    uint32_t min_counter;       /* the rollback counter stored in NV memory */
    uint32_t max_payload;       /* the largest model the firmware accepts */
} mf_ota_policy;

typedef struct {
    uint32_t payload_offset, payload_size;
    uint32_t canary_offset, canary_size; /* canary TLV value (0 size: none) */
    uint32_t bundle_size;                /* header to the end of the unprotected TLVs */
    uint32_t counter;
    uint8_t version_major, version_minor;
    uint16_t version_revision;
    uint32_t version_build;
    uint8_t model_uuid[16];
    uint32_t key_index;
} mf_ota_image;

/* out (required): filled when the bundle is accepted, zeroed when it is not. */
mf_ota_status mf_ota_verify(const mf_ota_source *src, const mf_ota_policy *policy,
                            mf_ota_image *out);

/* Ed25519 (RFC 8032) verification of a message in memory: 0 when valid. */
int mf_ota_ed25519_verify(const uint8_t signature[64], const uint8_t public_key[32],
                          const uint8_t *message, size_t message_size);

const char *mf_ota_status_name(mf_ota_status status);

/* ---- A/B model slots (mf_ota_slots.c) ----
 * Each slot ends with a trailer sector: a pending record (written last by an install), then
 * one-shot flags trial / confirmed / rejected, each written once from the erased state, so a
 * reset between any two flash operations leaves a state the next boot resolves:
 *   pending -> trial (booted once) -> confirmed (canaries passed) | rejected.
 * A trial found at boot was not confirmed before a reset: it is rejected (revert). The
 * rollback counter lives in its own NV sector (append-only records) and is raised on confirm
 * only. Flash HAL: addresses are absolute; erase works on whole sectors; 0 on success. */
typedef struct {
    int (*read)(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len);
    int (*write)(void *ctx, uint32_t addr, const uint8_t *buf, uint32_t len);
    int (*erase)(void *ctx, uint32_t addr, uint32_t len);
    void *ctx;
} mf_ota_flash;

typedef enum {
    MF_OTA_SLOT_EMPTY = 0,
    MF_OTA_SLOT_PENDING = 1,
    MF_OTA_SLOT_TRIAL = 2,
    MF_OTA_SLOT_CONFIRMED = 3,
    MF_OTA_SLOT_REJECTED = 4
} mf_ota_slot_state;

typedef struct {
    const mf_ota_flash *flash;
    uint32_t slot_addr[2];
    uint32_t slot_size;   /* multiple of sector_size; the last sector is the trailer */
    uint32_t sector_size;
    uint32_t nv_addr;     /* one sector of rollback-counter records */
    mf_ota_policy policy; /* min_counter is read from NV by mf_ota_boot */
    /* set by mf_ota_boot */
    int active;           /* the slot to run, -1 none */
    int trial;            /* 1: the active slot is on trial (run canaries, then confirm) */
    int target;           /* the slot an install writes */
    mf_ota_image image;   /* the active slot's verified image */
} mf_ota_slots;

mf_ota_status mf_ota_boot(mf_ota_slots *s);
mf_ota_status mf_ota_install_begin(mf_ota_slots *s);
mf_ota_status mf_ota_install_write(mf_ota_slots *s, uint32_t offset, const uint8_t *data,
                                   uint32_t len);
mf_ota_status mf_ota_install_finish(mf_ota_slots *s, uint32_t bundle_size);
mf_ota_status mf_ota_confirm(mf_ota_slots *s);
mf_ota_status mf_ota_reject(mf_ota_slots *s);
mf_ota_slot_state mf_ota_slot_state_of(const mf_ota_slots *s, int slot);
uint32_t mf_ota_stored_counter(const mf_ota_slots *s);

/* A slot's bytes as a verifier source (the model payload is at image.payload_offset). */
typedef struct {
    const mf_ota_flash *flash;
    uint32_t base;
} mf_ota_slot_reader;
void mf_ota_slot_source(const mf_ota_slots *s, int slot, mf_ota_slot_reader *reader,
                        mf_ota_source *src);

/* Run the canary vectors of a verified image: model(user, input, output) must produce each
 * expected output exactly. in/out: caller buffers of the canary sizes. */
typedef int (*mf_ota_model_fn)(void *user, const int8_t *input, int8_t *output);
mf_ota_status mf_ota_run_canaries(const mf_ota_source *src, const mf_ota_image *img,
                                  mf_ota_model_fn model, void *user, int8_t *in, int8_t *out,
                                  int8_t *expected, uint32_t buffer_size);

#ifdef __cplusplus
}
#endif

#endif
