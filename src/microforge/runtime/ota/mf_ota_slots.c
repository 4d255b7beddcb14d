/* A/B model slots with a trailer state machine and an NV rollback counter (see mf_ota.h). */
#include "mf_ota.h"

#include <string.h>

#define PENDING_MAGIC 0x3150464dUL /* "MFP1" */
#define FLAG_TRIAL 0x4c495254UL
#define FLAG_CONFIRMED 0x464e4f43UL
#define FLAG_REJECTED 0x544a4552UL
#define ERASED32 0xffffffffUL
/* trailer layout: pending record {magic, seq, size, ~seq} at 0, flags at 16, 32, 48 */
#define OFF_TRIAL 16u
#define OFF_CONFIRMED 32u
#define OFF_REJECTED 48u

typedef struct {
    mf_ota_slot_state state;
    uint32_t seq, size;
} trailer;

static uint32_t ld32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static void st32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t trailer_addr(const mf_ota_slots *s, int slot) {
    return s->slot_addr[slot] + s->slot_size - s->sector_size;
}

static int slot_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t len) {
    const mf_ota_slot_reader *r = (const mf_ota_slot_reader *)ctx;
    return r->flash->read(r->flash->ctx, r->base + off, buf, len);
}

void mf_ota_slot_source(const mf_ota_slots *s, int slot, mf_ota_slot_reader *reader,
                        mf_ota_source *src) {
    reader->flash = s->flash;
    reader->base = s->slot_addr[slot];
    src->read = slot_read;
    src->ctx = reader;
    src->size = s->slot_size - s->sector_size;
}

static int read_trailer(const mf_ota_slots *s, int slot, trailer *t) {
    uint8_t b[64];
    uint32_t trial, confirmed, rejected;
    if (s->flash->read(s->flash->ctx, trailer_addr(s, slot), b, sizeof b) != 0) {
        return -1;
    }
    t->seq = ld32(b + 4);
    t->size = ld32(b + 8);
    trial = ld32(b + OFF_TRIAL);
    confirmed = ld32(b + OFF_CONFIRMED);
    rejected = ld32(b + OFF_REJECTED);
    /* torn or partial words resolve to the safer state: not pending, rejected, not confirmed */
    if (ld32(b) != PENDING_MAGIC || (t->seq ^ ld32(b + 12)) != ERASED32 ||
        t->size > s->slot_size - s->sector_size) {
        t->state = MF_OTA_SLOT_EMPTY;
    } else if (rejected != ERASED32) {
        t->state = MF_OTA_SLOT_REJECTED;
    } else if (confirmed == FLAG_CONFIRMED) {
        t->state = MF_OTA_SLOT_CONFIRMED;
    } else if (trial != ERASED32 || confirmed != ERASED32) {
        t->state = MF_OTA_SLOT_TRIAL;
    } else {
        t->state = MF_OTA_SLOT_PENDING;
    }
    return 0;
}

mf_ota_slot_state mf_ota_slot_state_of(const mf_ota_slots *s, int slot) {
    trailer t;
    return read_trailer(s, slot, &t) == 0 ? t.state : MF_OTA_SLOT_EMPTY;
}

static mf_ota_status write_flag(mf_ota_slots *s, int slot, uint32_t off, uint32_t value) {
    uint8_t b[4];
    st32(b, value);
    return s->flash->write(s->flash->ctx, trailer_addr(s, slot) + off, b, 4) == 0
               ? MF_OTA_OK : MF_OTA_E_IO;
}

/* NV counter: 8-byte records {value, ~value}; the counter is the largest valid one. */
static int nv_scan(const mf_ota_slots *s, uint32_t *value, uint32_t *free_off) {
    uint32_t off, best = 0;
    *free_off = s->sector_size;
    for (off = 0; off + 8u <= s->sector_size; off += 8u) {
        uint8_t r[8];
        uint32_t v, nv;
        if (s->flash->read(s->flash->ctx, s->nv_addr + off, r, 8) != 0) {
            return -1;
        }
        v = ld32(r);
        nv = ld32(r + 4);
        if (v == ERASED32 && nv == ERASED32) {
            *free_off = off;
            break;
        }
        if ((v ^ nv) == ERASED32 && v > best) {
            best = v;
        }
    }
    *value = best;
    return 0;
}

uint32_t mf_ota_stored_counter(const mf_ota_slots *s) {
    uint32_t v, f;
    return nv_scan(s, &v, &f) == 0 ? v : 0;
}

static mf_ota_status nv_raise(mf_ota_slots *s, uint32_t value) {
    uint32_t cur, off;
    uint8_t r[8];
    if (nv_scan(s, &cur, &off) != 0) {
        return MF_OTA_E_IO;
    }
    if (value <= cur) {
        return MF_OTA_OK;
    }
    if (off + 8u > s->sector_size) {
        return MF_OTA_E_IO; /* counter sector full */
    }
    st32(r, value);
    st32(r + 4, ~value);
    if (s->flash->write(s->flash->ctx, s->nv_addr + off, r, 8) != 0) {
        return MF_OTA_E_IO;
    }
    s->policy.min_counter = value;
    return MF_OTA_OK;
}

static mf_ota_status verify_slot(mf_ota_slots *s, int slot, uint32_t size, mf_ota_image *img) {
    mf_ota_slot_reader reader;
    mf_ota_source src;
    mf_ota_slot_source(s, slot, &reader, &src);
    src.size = size;
    return mf_ota_verify(&src, &s->policy, img);
}

mf_ota_status mf_ota_boot(mf_ota_slots *s) {
    trailer t[2];
    int i, best = -1;
    uint32_t counter, free_off;
    mf_ota_status st;
    s->active = -1;
    s->trial = 0;
    if (nv_scan(s, &counter, &free_off) != 0) {
        return MF_OTA_E_IO;
    }
    s->policy.min_counter = counter;
    for (i = 0; i < 2; i++) {
        if (read_trailer(s, i, &t[i]) != 0) {
            return MF_OTA_E_IO;
        }
        if (t[i].state == MF_OTA_SLOT_TRIAL) { /* reset during a trial: revert */
            if (write_flag(s, i, OFF_REJECTED, FLAG_REJECTED) != MF_OTA_OK) {
                return MF_OTA_E_IO;
            }
            t[i].state = MF_OTA_SLOT_REJECTED;
        }
    }
    for (i = 0; i < 2; i++) {
        if (t[i].state == MF_OTA_SLOT_PENDING) {
            st = verify_slot(s, i, t[i].size, &s->image);
            if (st == MF_OTA_OK) {
                if (write_flag(s, i, OFF_TRIAL, FLAG_TRIAL) != MF_OTA_OK) {
                    return MF_OTA_E_IO;
                }
                s->active = i;
                s->trial = 1;
                s->target = 1 - i;
                return MF_OTA_OK;
            }
            if (st == MF_OTA_E_IO || write_flag(s, i, OFF_REJECTED, FLAG_REJECTED) != MF_OTA_OK) {
                return MF_OTA_E_IO;
            }
            t[i].state = MF_OTA_SLOT_REJECTED;
        }
    }
    for (i = 0; i < 2; i++) { /* the newest confirmed slot that still verifies */
        if (t[i].state == MF_OTA_SLOT_CONFIRMED && (best < 0 || t[i].seq > t[best].seq)) {
            mf_ota_image img;
            if (verify_slot(s, i, t[i].size, &img) == MF_OTA_OK) {
                best = i;
                s->image = img;
            }
        }
    }
    if (best < 0) {
        return MF_OTA_E_NO_IMAGE;
    }
    s->active = best;
    s->target = 1 - best;
    /* a confirm cut off between its flag and the counter: finish it */
    return nv_raise(s, s->image.counter);
}

mf_ota_status mf_ota_install_begin(mf_ota_slots *s) {
    uint32_t off;
    int slot = s->target;
    if (slot < 0 || slot > 1 || slot == s->active) {
        return MF_OTA_E_STATE;
    }
    /* the trailer first: from then on the slot is empty whatever is cut off */
    if (s->flash->erase(s->flash->ctx, trailer_addr(s, slot), s->sector_size) != 0) {
        return MF_OTA_E_IO;
    }
    for (off = 0; off + s->sector_size < s->slot_size; off += s->sector_size) {
        if (s->flash->erase(s->flash->ctx, s->slot_addr[slot] + off, s->sector_size) != 0) {
            return MF_OTA_E_IO;
        }
    }
    return MF_OTA_OK;
}

mf_ota_status mf_ota_install_write(mf_ota_slots *s, uint32_t offset, const uint8_t *data,
                                   uint32_t len) {
    int slot = s->target;
    if (slot < 0 || slot > 1 || slot == s->active) {
        return MF_OTA_E_STATE;
    }
    if ((uint64_t)offset + len > s->slot_size - s->sector_size) {
        return MF_OTA_E_TOO_BIG;
    }
    return s->flash->write(s->flash->ctx, s->slot_addr[slot] + offset, data, len) == 0
               ? MF_OTA_OK : MF_OTA_E_IO;
}

mf_ota_status mf_ota_install_finish(mf_ota_slots *s, uint32_t bundle_size) {
    trailer other;
    uint8_t rec[16];
    mf_ota_image img;
    mf_ota_status st;
    int slot = s->target;
    if (slot < 0 || slot > 1 || slot == s->active) {
        return MF_OTA_E_STATE;
    }
    if (bundle_size > s->slot_size - s->sector_size) {
        return MF_OTA_E_TOO_BIG;
    }
    st = verify_slot(s, slot, bundle_size, &img); /* what was written, read back */
    if (st != MF_OTA_OK) {
        return st;
    }
    if (read_trailer(s, 1 - slot, &other) != 0) {
        return MF_OTA_E_IO;
    }
    st32(rec, PENDING_MAGIC);
    st32(rec + 4, other.state == MF_OTA_SLOT_EMPTY ? 1u : other.seq + 1u);
    st32(rec + 8, bundle_size);
    st32(rec + 12, ~ld32(rec + 4));
    return s->flash->write(s->flash->ctx, trailer_addr(s, slot), rec, 16) == 0
               ? MF_OTA_OK : MF_OTA_E_IO;
}

mf_ota_status mf_ota_confirm(mf_ota_slots *s) {
    if (s->active < 0 || !s->trial) {
        return MF_OTA_E_STATE;
    }
    if (write_flag(s, s->active, OFF_CONFIRMED, FLAG_CONFIRMED) != MF_OTA_OK) {
        return MF_OTA_E_IO;
    }
    s->trial = 0;
    return nv_raise(s, s->image.counter);
}

mf_ota_status mf_ota_reject(mf_ota_slots *s) {
    if (s->active < 0 || !s->trial) {
        return MF_OTA_E_STATE;
    }
    if (write_flag(s, s->active, OFF_REJECTED, FLAG_REJECTED) != MF_OTA_OK) {
        return MF_OTA_E_IO;
    }
    s->active = -1;
    s->trial = 0;
    return MF_OTA_OK; /* reboot (mf_ota_boot) to run the previous model */
}

mf_ota_status mf_ota_run_canaries(const mf_ota_source *src, const mf_ota_image *img,
                                  mf_ota_model_fn model, void *user, int8_t *in, int8_t *out,
                                  int8_t *expected, uint32_t buffer_size) {
    uint8_t h[8];
    uint32_t count, n_in, n_out, i, off;
    if (img->canary_size < 8u) {
        return MF_OTA_E_CANARY; /* a model update must carry its canaries */
    }
    if (src->read(src->ctx, img->canary_offset, h, 8) != 0) {
        return MF_OTA_E_IO;
    }
    count = (uint32_t)h[0] | ((uint32_t)h[1] << 8);
    n_in = (uint32_t)h[2] | ((uint32_t)h[3] << 8);
    n_out = (uint32_t)h[4] | ((uint32_t)h[5] << 8);
    if (count == 0u || n_in > buffer_size || n_out > buffer_size) {
        return MF_OTA_E_CANARY;
    }
    off = img->canary_offset + 8u;
    for (i = 0; i < count; i++) {
        if (src->read(src->ctx, off, (uint8_t *)in, n_in) != 0 ||
            src->read(src->ctx, off + n_in, (uint8_t *)expected, n_out) != 0) {
            return MF_OTA_E_IO;
        }
        if (model(user, in, out) != 0 || memcmp(out, expected, n_out) != 0) {
            return MF_OTA_E_CANARY;
        }
        off += n_in + n_out;
    }
    return MF_OTA_OK;
}
