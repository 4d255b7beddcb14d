/* microforge OTA: verify a signed model bundle (MCUboot image format) read through a flash
 * HAL callback. Order: bounds checks, SHA-512 of header + payload + protected TLVs, key hash
 * against the compiled-in key list, Ed25519 signature; only then the protected TLVs (counter,
 * vendor/class UUIDs, GRAPH_ABI_HASH, model UUID, canaries) are parsed. No malloc. */
#ifndef MF_OTA_H
#define MF_OTA_H

#include <stddef.h>
#include <stdint.h>

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
    MF_OTA_E_CANARY = 17        /* canary TLV malformed, or the model fails its canaries */
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

mf_ota_status mf_ota_verify(const mf_ota_source *src, const mf_ota_policy *policy,
                            mf_ota_image *out);

/* Ed25519 (RFC 8032) verification of a message in memory: 0 when valid. */
int mf_ota_ed25519_verify(const uint8_t signature[64], const uint8_t public_key[32],
                          const uint8_t *message, size_t message_size);

const char *mf_ota_status_name(mf_ota_status status);

#endif
