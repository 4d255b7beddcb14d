/* The power-loss scenario on a simulated NOR flash (see mf_ota_sim.h); tests only. */
#include <setjmp.h>
#include <string.h>

#include "mf_ota_sim.h"

#define SECTOR 4096u
#define SLOT_SECTORS 3u
#define FLASH_SIZE (2u * SLOT_SECTORS * SECTOR + SECTOR)

static uint8_t flash[FLASH_SIZE];
static long budget, ops;
static uint32_t rng = 1u;
static jmp_buf reset_point;

static unsigned rnd(unsigned n) {
    rng = rng * 1664525u + 1013904223u; /* Numerical Recipes' LCG: test randomness only */
    return n ? (unsigned)((rng >> 8) % n) : 0u;
}

static void count_op(void) {
    ops++;
    if (budget > 0 && ops == budget) {
        longjmp(reset_point, 1);
    }
}

static int f_read(void *ctx, uint32_t addr, uint8_t *buf, uint32_t len) {
    (void)ctx;
    if ((uint64_t)addr + len > FLASH_SIZE) return -1;
    memcpy(buf, flash + addr, len);
    return 0;
}

static int f_write(void *ctx, uint32_t addr, const uint8_t *buf, uint32_t len) {
    uint32_t i;
    (void)ctx;
    if ((uint64_t)addr + len > FLASH_SIZE) return -1;
    if (budget > 0 && ops + 1 == budget) { /* torn: a prefix, the next byte's bits in part */
        uint32_t n = rnd(len + 1u);
        for (i = 0; i < n; i++) flash[addr + i] &= buf[i];
        if (n < len) flash[addr + n] &= (uint8_t)(buf[n] | (uint8_t)rnd(256));
    } else {
        for (i = 0; i < len; i++) flash[addr + i] &= buf[i]; /* NOR: bits only clear */
    }
    count_op();
    return 0;
}

static int f_erase(void *ctx, uint32_t addr, uint32_t len) {
    (void)ctx;
    if (addr % SECTOR || len % SECTOR || (uint64_t)addr + len > FLASH_SIZE) return -1;
    if (budget > 0 && ops + 1 == budget) {
        memset(flash + addr, 0xff, rnd(len)); /* torn: part of the sector erased */
    } else {
        memset(flash + addr, 0xff, len);
    }
    count_op();
    return 0;
}

static const mf_ota_flash hal = {f_read, f_write, f_erase, NULL};
static mf_ota_key keys[8];
static uint8_t vendor[16], klass[16], abi[32];

static const uint8_t *policy_bytes;

static void setup(mf_ota_slots *s) {
    size_t i;
    const uint8_t *b = policy_bytes;
    memset(s, 0, sizeof *s);
    s->policy.n_keys = b[0];
    for (i = 0; i < s->policy.n_keys; i++) {
        memcpy(keys[i].public_key, b + 4 + i * 33, 32);
        keys[i].revoked = b[4 + i * 33 + 32];
    }
    i = 4 + s->policy.n_keys * 33u;
    memcpy(vendor, b + i, 16);
    memcpy(klass, b + i + 16, 16);
    memcpy(abi, b + i + 32, 32);
    s->policy.keys = keys;
    s->policy.vendor_uuid = vendor;
    s->policy.class_uuid = klass;
    s->policy.abi_hash = abi;
    s->policy.max_payload = SLOT_SECTORS * SECTOR;
    s->flash = &hal;
    s->slot_addr[0] = 0;
    s->slot_addr[1] = SLOT_SECTORS * SECTOR;
    s->slot_size = SLOT_SECTORS * SECTOR;
    s->sector_size = SECTOR;
    s->nv_addr = 2u * SLOT_SECTORS * SECTOR;
}

static int8_t in_buf[1024], out_buf[1024], exp_buf[1024];

static mf_ota_status canaries(mf_ota_slots *s) {
    mf_ota_slot_reader r;
    mf_ota_source src;
    mf_ota_slot_source(s, s->active, &r, &src);
    return mf_ota_run_canaries(&src, &s->image, mf_canary_model, NULL, in_buf, out_buf,
                               exp_buf, sizeof in_buf);
}

static int install(mf_ota_slots *s, const uint8_t *b, uint32_t n) {
    uint32_t off;
    if (mf_ota_install_begin(s) != MF_OTA_OK) return -1;
    for (off = 0; off < n; off += 256u) {
        uint32_t len = n - off < 256u ? n - off : 256u;
        if (mf_ota_install_write(s, off, b + off, len) != MF_OTA_OK) return -1;
    }
    return (int)mf_ota_install_finish(s, n);
}

/* boot until a confirmed model runs: trials run their canaries, then confirm or reject */
static mf_ota_status settle(mf_ota_slots *s) {
    int round;
    for (round = 0; round < 4; round++) {
        mf_ota_status st = mf_ota_boot(s);
        if (st != MF_OTA_OK) return st;
        if (!s->trial) return MF_OTA_OK;
        if (canaries(s) == MF_OTA_OK) {
            st = mf_ota_confirm(s);
        } else {
            st = mf_ota_reject(s);
        }
        if (st != MF_OTA_OK) return st;
    }
    return MF_OTA_E_STATE;
}


int mf_sim_run(const uint8_t *policy, const uint8_t *old_b, uint32_t n_old,
               const uint8_t *new_b, uint32_t n_new, long k, unsigned long seed,
               mf_sim_result *out) {
    static mf_ota_slots s;
    volatile int reset = 0;
    mf_ota_status st;
    policy_bytes = policy;
    rng = (uint32_t)seed * 2654435761u + 1u;
    budget = 0;
    memset(flash, 0xff, sizeof flash);
    memset(out, 0, sizeof *out);
    setup(&s);
    /* provision: OLD into slot A, booted, canaries, confirmed */
    s.active = -1;
    s.target = 0;
    if (install(&s, old_b, n_old) != MF_OTA_OK || settle(&s) != MF_OTA_OK || s.active != 0) {
        return -1;
    }
    ops = 0;
    budget = k;
    out->install = -1;
    if (setjmp(reset_point) == 0) {
        setup(&s);
        if (mf_ota_boot(&s) != MF_OTA_OK) return -2;
        out->install = install(&s, new_b, n_new);
        settle(&s);
    } else {
        reset = 1;
    }
    budget = 0;
    out->ops = ops;
    out->reset = reset;
    setup(&s); /* the reboot: nothing survives but the flash */
    st = settle(&s);
    out->status = (int)st;
    out->slot = s.active;
    out->trial = s.trial;
    out->counter = mf_ota_stored_counter(&s);
    memcpy(out->uuid, s.image.model_uuid, 16);
    out->canary = st == MF_OTA_OK ? (int)canaries(&s) : -1;
    return 0;
}
