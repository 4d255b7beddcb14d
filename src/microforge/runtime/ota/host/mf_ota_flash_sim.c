/* Host harness (tests only): a NOR-flash simulator that resets after flash operation K of an
 * update (or of its revert), with a torn last write or erase, then boots again.
 *   mf_ota_flash_sim POLICY OLD NEW K SEED
 * OLD is provisioned into slot A and confirmed; then the update to NEW runs: boot, install,
 * boot (trial), canaries on the compiled model (mf_canary_model), confirm or reject, boot.
 * K = 0: no reset. Prints: ops N / reset 0|1 / final SLOT TRIAL COUNTER UUID CANARY. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_ota.h"

#define SECTOR 4096u
#define SLOT_SECTORS 3u
#define FLASH_SIZE (2u * SLOT_SECTORS * SECTOR + SECTOR)

int mf_canary_model(void *user, const int8_t *input, int8_t *output); /* linked in */

static uint8_t flash[FLASH_SIZE];
static long budget, ops;
static unsigned long rng = 1;
static jmp_buf reset_point;

static unsigned rnd(unsigned n) {
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return n ? (unsigned)((rng >> 33) % n) : 0u;
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

static uint8_t *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1u);
    if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) exit(3);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static void setup(mf_ota_slots *s, const char *policy_path) {
    size_t n, i;
    uint8_t *b = slurp(policy_path, &n);
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
    free(b);
}

static int8_t in_buf[1024], out_buf[1024], exp_buf[1024];

static mf_ota_status canaries(mf_ota_slots *s) {
    mf_ota_slot_reader r;
    mf_ota_source src;
    mf_ota_slot_source(s, s->active, &r, &src);
    return mf_ota_run_canaries(&src, &s->image, mf_canary_model, NULL, in_buf, out_buf,
                               exp_buf, sizeof in_buf);
}

static int install(mf_ota_slots *s, const uint8_t *b, size_t n) {
    size_t off;
    if (mf_ota_install_begin(s) != MF_OTA_OK) return -1;
    for (off = 0; off < n; off += 256u) {
        uint32_t len = (uint32_t)(n - off < 256u ? n - off : 256u);
        if (mf_ota_install_write(s, (uint32_t)off, b + off, len) != MF_OTA_OK) return -1;
    }
    return (int)mf_ota_install_finish(s, (uint32_t)n);
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

int main(int argc, char **argv) {
    static mf_ota_slots s;
    size_t n_old, n_new, i;
    uint8_t *old_b, *new_b;
    volatile int reset = 0;
    mf_ota_status st;
    if (argc != 6) return 3;
    old_b = slurp(argv[2], &n_old);
    new_b = slurp(argv[3], &n_new);
    rng = strtoul(argv[5], NULL, 10) * 2654435761UL + 1u;
    memset(flash, 0xff, sizeof flash);
    setup(&s, argv[1]);
    /* provision: OLD into slot A, booted, canaries, confirmed */
    s.active = -1;
    s.target = 0;
    if (install(&s, old_b, n_old) != MF_OTA_OK || settle(&s) != MF_OTA_OK || s.active != 0) {
        return 4;
    }
    ops = 0;
    budget = strtol(argv[4], NULL, 10);
    if (setjmp(reset_point) == 0) {
        setup(&s, argv[1]);
        if (mf_ota_boot(&s) != MF_OTA_OK) return 5;
        st = (mf_ota_status)install(&s, new_b, n_new);
        printf("install %d\n", (int)st);
        settle(&s);
    } else {
        reset = 1;
    }
    budget = 0;
    printf("ops %ld\nreset %d\n", ops, reset);
    setup(&s, argv[1]); /* the reboot: nothing survives but the flash */
    st = settle(&s);
    printf("final %d %d %d %lu ", (int)st, s.active, s.trial,
           (unsigned long)mf_ota_stored_counter(&s));
    for (i = 0; i < 16; i++) printf("%02x", s.image.model_uuid[i]);
    printf(" %d\n", st == MF_OTA_OK ? (int)canaries(&s) : -1);
    free(old_b);
    free(new_b);
    return 0;
}
