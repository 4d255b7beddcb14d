/* Host harness of the OTA verifier (tests, `microforge bundle` checks): not firmware code.
 *   mf_ota_host POLICY BUNDLE...        one status code per bundle
 *   mf_ota_host POLICY --truncate B     the status of every prefix of B (lengths 0..n-1)
 *   mf_ota_host --ed25519 VECTORS       one line "pk sig msg" (hex) each: prints 0 valid, 1 not
 * Each bundle is read into a heap buffer of its exact size, so ASan sees any read past it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_ota.h"

typedef struct {
    const uint8_t *data;
} mem_ctx;

static int mem_read(void *ctx, uint32_t off, uint8_t *buf, uint32_t len) {
    memcpy(buf, ((mem_ctx *)ctx)->data + off, len);
    return 0;
}

static uint8_t *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n > 0 ? (size_t)n : 1u);
    if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fclose(f);
        free(buf);
        return NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

static mf_ota_key keys[8];
static uint8_t vendor[16], klass[16], abi[32];

static int load_policy(const char *path, mf_ota_policy *p) {
    size_t n, i, need;
    uint8_t *b = slurp(path, &n);
    if (b == NULL || n < 4) return -1;
    p->n_keys = b[0];
    need = 4 + p->n_keys * 33u + 16 + 16 + 32 + 8;
    if (p->n_keys > 8 || n != need) return -1;
    for (i = 0; i < p->n_keys; i++) {
        memcpy(keys[i].public_key, b + 4 + i * 33, 32);
        keys[i].revoked = b[4 + i * 33 + 32];
    }
    i = 4 + p->n_keys * 33u;
    memcpy(vendor, b + i, 16);
    memcpy(klass, b + i + 16, 16);
    memcpy(abi, b + i + 32, 32);
    i += 64;
    p->min_counter = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 |
                     (uint32_t)b[i + 3] << 24;
    p->max_payload = (uint32_t)b[i + 4] | (uint32_t)b[i + 5] << 8 |
                     (uint32_t)b[i + 6] << 16 | (uint32_t)b[i + 7] << 24;
    p->keys = keys;
    p->vendor_uuid = vendor;
    p->class_uuid = klass;
    p->abi_hash = abi;
    free(b);
    return 0;
}

static int verify_buffer(const mf_ota_policy *p, const uint8_t *data, size_t n) {
    uint8_t *copy = malloc(n ? n : 1u);
    mem_ctx ctx;
    mf_ota_source src;
    mf_ota_image img;
    int st;
    if (copy == NULL) return -1;
    if (n) memcpy(copy, data, n);
    ctx.data = copy;
    src.read = mem_read;
    src.ctx = &ctx;
    src.size = (uint32_t)n;
    st = (int)mf_ota_verify(&src, p, &img);
    free(copy);
    return st;
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap) {
    size_t n = 0;
    while (s[0] && s[1] && n < cap && hexval(s[0]) >= 0 && hexval(s[1]) >= 0) {
        out[n++] = (uint8_t)(hexval(s[0]) * 16 + hexval(s[1]));
        s += 2;
    }
    return n;
}

static int ed25519_vectors(const char *path) {
    static char line[1 << 16];
    static uint8_t msg[1 << 15];
    FILE *f = fopen(path, "r");
    if (f == NULL) return 3;
    while (fgets(line, sizeof line, f) != NULL) {
        uint8_t pk[32], sig[64];
        char *a = strtok(line, " \n"), *b = strtok(NULL, " \n"), *c = strtok(NULL, " \n");
        size_t m;
        if (a == NULL || b == NULL) continue;
        if (unhex(a, pk, 32) != 32 || unhex(b, sig, 64) != 64) {
            printf("1\n");
            continue;
        }
        m = (c == NULL || strcmp(c, "-") == 0) ? 0 : unhex(c, msg, sizeof msg);
        printf("%d\n", mf_ota_ed25519_verify(sig, pk, msg, m) == 0 ? 0 : 1);
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv) {
    mf_ota_policy policy;
    int i;
    if (argc == 3 && strcmp(argv[1], "--ed25519") == 0) return ed25519_vectors(argv[2]);
    if (argc < 3 || load_policy(argv[1], &policy) != 0) return 3;
    if (argc == 4 && strcmp(argv[2], "--truncate") == 0) {
        size_t n, len;
        uint8_t *b = slurp(argv[3], &n);
        if (b == NULL) return 3;
        for (len = 0; len < n; len++) printf("%d\n", verify_buffer(&policy, b, len));
        free(b);
        return 0;
    }
    for (i = 2; i < argc; i++) {
        size_t n;
        uint8_t *b = slurp(argv[i], &n);
        if (b == NULL) return 3;
        printf("%d\n", verify_buffer(&policy, b, n));
        free(b);
    }
    return 0;
}
