/* mf_icount.c: a QEMU TCG plugin that counts the instructions executed between each pair of
 * marker calls (mf_measure_begin / mf_measure_end) and appends one count per pair to a file.
 *
 * Arguments: begin=<hex address>, end=<hex address>, out=<file>.
 * Every translated block adds its instruction count to `executed` when it starts (inline, no
 * helper call). The markers are watched with an exec callback on their first instruction; at
 * that point `executed` already includes the whole block, so the callback subtracts the
 * instructions of the block from the marker on (passed as userdata). The firmware has no
 * interrupts, so blocks run to their end and the count is exact. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_qemu_plugin_api.h"

MF_PLUGIN_EXPORT int qemu_plugin_version = MF_QEMU_PLUGIN_API_VERSION;

static uint64_t executed;    /* instructions of every block entered so far */
static uint64_t begin_count; /* instructions before the last mf_measure_begin */
static int measuring;
static uint64_t begin_addr, end_addr;
static FILE *out;

static uint64_t before_marker(void *not_yet_run) {
    return executed - (uint64_t)(uintptr_t)not_yet_run;
}

static void on_begin(unsigned int vcpu_index, void *not_yet_run) {
    (void)vcpu_index;
    begin_count = before_marker(not_yet_run);
    measuring = 1;
}

static void on_end(unsigned int vcpu_index, void *not_yet_run) {
    (void)vcpu_index;
    if (measuring) {
        fprintf(out, "%" PRIu64 "\n", before_marker(not_yet_run) - begin_count);
        fflush(out);
        measuring = 0;
    }
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    size_t n = qemu_plugin_tb_n_insns(tb);
    size_t i;
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
    for (i = 0; i < n; ++i) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
        void *not_yet_run = (void *)(uintptr_t)(n - i);
        if (vaddr == begin_addr) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS,
                                                   not_yet_run);
        } else if (vaddr == end_addr) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS,
                                                   not_yet_run);
        }
    }
}

static void on_exit(qemu_plugin_id_t id, void *userdata) {
    (void)id;
    (void)userdata;
    if (out != NULL) {
        fclose(out);
        out = NULL;
    }
}

MF_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                         int argc, char **argv) {
    const char *path = NULL;
    int i;
    (void)info;
    for (i = 0; i < argc; ++i) {
        if (strncmp(argv[i], "begin=", 6) == 0) {
            begin_addr = strtoull(argv[i] + 6, NULL, 16);
        } else if (strncmp(argv[i], "end=", 4) == 0) {
            end_addr = strtoull(argv[i] + 4, NULL, 16);
        } else if (strncmp(argv[i], "out=", 4) == 0) {
            path = argv[i] + 4;
        } else {
            fprintf(stderr, "mf_icount: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    if (path == NULL || begin_addr == 0 || end_addr == 0) {
        fprintf(stderr, "mf_icount: needs begin=, end= and out=\n");
        return -1;
    }
    out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, "mf_icount: cannot write %s\n", path);
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit, NULL);
    return 0;
}
