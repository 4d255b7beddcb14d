/* microforge OTA bundle verifier (see mf_ota.h). The crypto is Monocypher 4 (EdDSA check
 * equation, scalar reduction, constant-time compare) and LibTomCrypt's SHA-512, copied in at
 * deploy time from their package-registry sources. */
#include "mf_ota.h"

#include <string.h>

#include "monocypher.h"
#include "sha512.h"

#define CHUNK 64u

/* Keep the hash and TLV steps out of mf_ota_verify's frame: their buffers are then not on
 * the stack while the signature check (the deepest call) runs. */
#if defined(__GNUC__)
#define MF_OTA_NOINLINE __attribute__((noinline))
#else
#define MF_OTA_NOINLINE
#endif

/* DER SubjectPublicKeyInfo prefix of an Ed25519 key: imgtool hashes prefix || key. */
static const uint8_t ED25519_SPKI_PREFIX[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                                0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

static uint32_t le16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static int rd(const mf_ota_source *src, uint32_t off, uint8_t *buf, uint32_t len) {
    if ((uint64_t)off + len > src->size) {
        return -1;
    }
    return src->read(src->ctx, off, buf, len);
}

/* h_ram = SHA-512(R || A || M) mod L, as RFC 8032 5.1.7 (and Monocypher's Ed25519) */
static MF_OTA_NOINLINE void ed25519_h_ram(uint8_t h_ram[32], const uint8_t signature[64],
                                          const uint8_t public_key[32],
                                          const uint8_t *message, size_t message_size) {
    sha512_context ctx;
    uint8_t h[64];
    sha512_init(&ctx);
    sha512_update(&ctx, signature, 32);
    sha512_update(&ctx, public_key, 32);
    sha512_update(&ctx, message, message_size);
    sha512_final(&ctx, h);
    crypto_eddsa_reduce(h_ram, h);
}

int mf_ota_ed25519_verify(const uint8_t signature[64], const uint8_t public_key[32],
                          const uint8_t *message, size_t message_size) {
    uint8_t h_ram[32];
    ed25519_h_ram(h_ram, signature, public_key, message, message_size);
    return crypto_eddsa_check_equation(signature, public_key, h_ram);
}

/* SHA-512 of [0, end) compared in constant time with the 64 bytes at expected_off. */
static MF_OTA_NOINLINE mf_ota_status check_hash(const mf_ota_source *src, uint32_t end,
                                                uint32_t expected_off, uint8_t out[64]) {
    sha512_context ctx;
    uint8_t buf[CHUNK];
    uint32_t off = 0;
    sha512_init(&ctx);
    while (off < end) {
        uint32_t n = end - off < CHUNK ? end - off : CHUNK;
        if (rd(src, off, buf, n) != 0) {
            return MF_OTA_E_IO;
        }
        sha512_update(&ctx, buf, n);
        off += n;
    }
    sha512_final(&ctx, out);
    if (rd(src, expected_off, buf, 64u) != 0) {
        return MF_OTA_E_IO;
    }
    return crypto_verify64(out, buf) == 0 ? MF_OTA_OK : MF_OTA_E_HASH;
}

/* Where the unprotected TLVs this verifier needs are, every length bounds-checked; the
 * signature is copied (the Ed25519 check needs it in RAM), the rest is read where used. */
typedef struct {
    uint32_t sha512_off, keyhash_off;
    uint8_t signature[64];
} unprotected_tlvs;

static MF_OTA_NOINLINE mf_ota_status read_unprotected(const mf_ota_source *src,
                                                      uint32_t start, uint32_t end,
                                                      unprotected_tlvs *t) {
    uint8_t hdr[4];
    unsigned seen = 0;
    uint32_t off = start;
    while (off < end) {
        uint32_t type, len;
        unsigned bit;
        if (end - off < 4u) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        if (rd(src, off, hdr, 4) != 0) {
            return MF_OTA_E_IO;
        }
        type = le16(hdr);
        len = le16(hdr + 2);
        if (len > end - off - 4u) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        if (type == MF_OTA_TLV_SHA512) {
            bit = 1u;
        } else if (type == MF_OTA_TLV_KEYHASH) {
            bit = 2u;
        } else if (type == MF_OTA_TLV_ED25519) {
            bit = 4u;
        } else {
            return MF_OTA_E_TLV_UNKNOWN; /* e.g. a counter in the unprotected area */
        }
        if (seen & bit) {
            return MF_OTA_E_TLV_DUPLICATE;
        }
        if (len != 64u) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        if (bit == 1u) {
            t->sha512_off = off + 4u;
        } else if (bit == 2u) {
            t->keyhash_off = off + 4u;
        } else if (rd(src, off + 4u, t->signature, 64u) != 0) {
            return MF_OTA_E_IO;
        }
        seen |= bit;
        off += 4u + len;
    }
    return seen == 7u ? MF_OTA_OK : MF_OTA_E_TLV_MISSING;
}

static MF_OTA_NOINLINE mf_ota_status find_key(const mf_ota_source *src,
                                              const mf_ota_policy *policy,
                                              uint32_t keyhash_off, uint32_t *index) {
    uint8_t keyhash[64];
    uint32_t i;
    if (rd(src, keyhash_off, keyhash, 64u) != 0) {
        return MF_OTA_E_IO;
    }
    for (i = 0; i < policy->n_keys; i++) {
        sha512_context ctx;
        uint8_t h[64];
        sha512_init(&ctx);
        sha512_update(&ctx, ED25519_SPKI_PREFIX, sizeof ED25519_SPKI_PREFIX);
        sha512_update(&ctx, policy->keys[i].public_key, 32);
        sha512_final(&ctx, h);
        if (crypto_verify64(h, keyhash) == 0) {
            *index = i;
            return policy->keys[i].revoked ? MF_OTA_E_REVOKED_KEY : MF_OTA_OK;
        }
    }
    return MF_OTA_E_UNKNOWN_KEY;
}

/* After the signature: the protected TLVs. */
static MF_OTA_NOINLINE mf_ota_status read_protected(const mf_ota_source *src,
                                                    uint32_t start, uint32_t end,
                                                    const mf_ota_policy *policy,
                                                    mf_ota_image *out) {
    uint8_t hdr[4], value[32];
    unsigned seen = 0;
    uint32_t off = start;
    while (off < end) {
        uint32_t type, len, want;
        unsigned bit;
        if (end - off < 4u) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        if (rd(src, off, hdr, 4) != 0) {
            return MF_OTA_E_IO;
        }
        type = le16(hdr);
        len = le16(hdr + 2);
        if (len > end - off - 4u) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        switch (type) {
        case MF_OTA_TLV_SEC_CNT: bit = 1u; want = 4u; break;
        case MF_OTA_TLV_UUID_VID: bit = 2u; want = 16u; break;
        case MF_OTA_TLV_UUID_CID: bit = 4u; want = 16u; break;
        case MF_OTA_TLV_ABI_HASH: bit = 8u; want = 32u; break;
        case MF_OTA_TLV_MODEL_UUID: bit = 16u; want = 16u; break;
        case MF_OTA_TLV_CANARY: bit = 32u; want = len; break;
        default: return MF_OTA_E_TLV_UNKNOWN;
        }
        if (seen & bit) {
            return MF_OTA_E_TLV_DUPLICATE;
        }
        if (len != want) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        seen |= bit;
        if (type == MF_OTA_TLV_CANARY) {
            uint8_t c[8];
            uint32_t count, n_in, n_out;
            if (len < 8u) {
                return MF_OTA_E_CANARY;
            }
            if (rd(src, off + 4u, c, 8u) != 0) {
                return MF_OTA_E_IO;
            }
            count = le16(c);
            n_in = le16(c + 2);
            n_out = le16(c + 4);
            if ((uint64_t)count * (n_in + n_out) + 8u != len) {
                return MF_OTA_E_CANARY;
            }
            out->canary_offset = off + 4u;
            out->canary_size = len;
        } else {
            if (rd(src, off + 4u, value, len) != 0) {
                return MF_OTA_E_IO;
            }
            if (type == MF_OTA_TLV_SEC_CNT) {
                out->counter = le32(value);
            } else if (type == MF_OTA_TLV_UUID_VID) {
                if (memcmp(value, policy->vendor_uuid, 16) != 0) return MF_OTA_E_IDS;
            } else if (type == MF_OTA_TLV_UUID_CID) {
                if (memcmp(value, policy->class_uuid, 16) != 0) return MF_OTA_E_IDS;
            } else if (type == MF_OTA_TLV_ABI_HASH) {
                if (crypto_verify32(value, policy->abi_hash) != 0) return MF_OTA_E_ABI;
            } else {
                memcpy(out->model_uuid, value, 16);
            }
        }
        off += 4u + len;
    }
    if ((seen & 31u) != 31u) {
        return MF_OTA_E_TLV_MISSING;
    }
    return out->counter < policy->min_counter ? MF_OTA_E_ROLLBACK : MF_OTA_OK;
}

static mf_ota_status verify(const mf_ota_source *src, const mf_ota_policy *policy,
                            mf_ota_image *out) {
    uint8_t hdr[MF_OTA_HEADER_SIZE], digest[64];
    unprotected_tlvs t;
    uint32_t hdr_size, prot_size, img_size, prot_off, tlv_off, tlv_size, key = 0;
    mf_ota_status st;
    /* 1. bounds */
    if (src->size < MF_OTA_HEADER_SIZE) {
        return MF_OTA_E_TRUNCATED;
    }
    if (rd(src, 0, hdr, MF_OTA_HEADER_SIZE) != 0) {
        return MF_OTA_E_IO;
    }
    if (le32(hdr) != MF_OTA_IMAGE_MAGIC) {
        return MF_OTA_E_MAGIC;
    }
    hdr_size = le16(hdr + 8);
    prot_size = le16(hdr + 10);
    img_size = le32(hdr + 12);
    if (hdr_size < MF_OTA_HEADER_SIZE || le32(hdr + 16) != 0u) {
        return MF_OTA_E_HEADER; /* flags: no encryption, compression, RAM load */
    }
    if (img_size > policy->max_payload) {
        return MF_OTA_E_TOO_BIG;
    }
    if ((uint64_t)hdr_size + img_size + prot_size + 4u > src->size) {
        return MF_OTA_E_TRUNCATED;
    }
    out->version_major = hdr[20];
    out->version_minor = hdr[21];
    out->version_revision = (uint16_t)le16(hdr + 22);
    out->version_build = le32(hdr + 24);
    prot_off = hdr_size + img_size;
    tlv_off = prot_off + prot_size;
    if (prot_size != 0u) {
        if (prot_size < 4u) {
            return MF_OTA_E_TLV_LAYOUT;
        }
        if (rd(src, prot_off, hdr, 4) != 0) {
            return MF_OTA_E_IO;
        }
        if (le16(hdr) != MF_OTA_TLV_PROT_INFO_MAGIC || le16(hdr + 2) != prot_size) {
            return MF_OTA_E_TLV_LAYOUT;
        }
    }
    if (rd(src, tlv_off, hdr, 4) != 0) {
        return MF_OTA_E_IO;
    }
    tlv_size = le16(hdr + 2);
    if (le16(hdr) != MF_OTA_TLV_INFO_MAGIC || tlv_size < 4u) {
        return MF_OTA_E_TLV_LAYOUT;
    }
    if ((uint64_t)tlv_off + tlv_size > src->size) {
        return MF_OTA_E_TRUNCATED;
    }
    st = read_unprotected(src, tlv_off + 4u, tlv_off + tlv_size, &t);
    if (st != MF_OTA_OK) {
        return st;
    }
    /* 2. hash of header + payload + protected TLVs */
    st = check_hash(src, tlv_off, t.sha512_off, digest);
    if (st != MF_OTA_OK) {
        return st;
    }
    /* 3. the key, 4. the signature over the digest */
    st = find_key(src, policy, t.keyhash_off, &key);
    if (st != MF_OTA_OK) {
        return st;
    }
    if (mf_ota_ed25519_verify(t.signature, policy->keys[key].public_key, digest, 64) != 0) {
        return MF_OTA_E_SIGNATURE;
    }
    /* 5. signed: now the protected TLVs */
    if (prot_size == 0u) {
        return MF_OTA_E_TLV_MISSING;
    }
    st = read_protected(src, prot_off + 4u, prot_off + prot_size, policy, out);
    if (st != MF_OTA_OK) {
        return st;
    }
    out->payload_offset = hdr_size;
    out->payload_size = img_size;
    out->bundle_size = tlv_off + tlv_size;
    out->key_index = key;
    return MF_OTA_OK;
}

mf_ota_status mf_ota_verify(const mf_ota_source *src, const mf_ota_policy *policy,
                            mf_ota_image *out) {
    mf_ota_status st;
    memset(out, 0, sizeof *out);
    st = verify(src, policy, out);
    if (st != MF_OTA_OK) {
        memset(out, 0, sizeof *out); /* nothing of a rejected bundle is passed on */
    }
    return st;
}

const char *mf_ota_status_name(mf_ota_status status) {
    static const char *const names[] = {
        "ok", "io", "truncated", "magic", "header", "tlv_layout", "tlv_duplicate",
        "tlv_unknown", "tlv_missing", "hash", "unknown_key", "revoked_key", "signature", "ids",
        "abi", "rollback", "too_big", "canary", "no_image", "state"};
    unsigned i = (unsigned)status;
    return i < sizeof names / sizeof names[0] ? names[i] : "?";
}
