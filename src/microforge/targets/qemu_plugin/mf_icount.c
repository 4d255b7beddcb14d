/* mf_icount.c: a QEMU TCG plugin that counts the instructions executed between each pair of
 * marker calls (mf_measure_begin / mf_measure_end) and appends one count per pair to a file.
 *
 * Arguments: begin=<hex address>, end=<hex address>, out=<file>, and optionally mix=arm or
 * mix=riscv for the instruction mix.
 * Every translated block adds its instruction count to `executed` when it starts (inline, no
 * helper call). The markers are watched with an exec callback on their first instruction; at
 * that point `executed` already includes the whole block, so the callback subtracts the
 * instructions of the block from the marker on (passed as userdata). The firmware has no
 * interrupts, so blocks run to their end and the count is exact.
 *
 * With mix=, every instruction also adds 1 to the counter of its class (mf_insn_class.h;
 * inline, classified once at translation), except the two marker instructions. A conditional
 * branch ends its block, so whether it was taken is decided when the next block starts: a
 * block-exec callback compares the new block's address with the fall-through address of the
 * previous block's branch. Each output line is then the count followed by the class counts
 * and the extra counts (registers moved by load/store-multiple, loads into PC).
 *
 * With functions=<file> (mf_functions.h), every block also adds its count to the counter of
 * the function it starts in, and each count line is followed by a line "f" and the
 * "index:count" pairs of the functions that ran in that pair ("outside" blocks as index -1). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mf_functions.h"
#include "mf_insn_class.h"
#include "mf_qemu_plugin_api.h"

MF_PLUGIN_EXPORT int qemu_plugin_version = MF_QEMU_PLUGIN_API_VERSION;

static uint64_t executed;    /* instructions of every block entered so far */
static uint64_t begin_count; /* instructions before the last mf_measure_begin */
static int measuring;
static uint64_t begin_addr, end_addr;
static FILE *out;

enum mix_isa { MIX_NONE, MIX_ARM, MIX_RISCV };
static enum mix_isa mix;
static uint64_t mix_counts[MF_N_COUNTS];
static uint64_t mix_begin[MF_N_COUNTS];
static uint64_t function_counts[MF_FUNCTIONS_MAX + 1];
static uint64_t function_begin[MF_FUNCTIONS_MAX + 1];

/* fall-through address of the conditional branch that ended the last block run, or 0 */
static uint64_t pending_fallthrough;

/* What a translated block needs at run time to resolve its conditional branch. */
struct block_exit {
    uint64_t start;
    uint64_t fallthrough; /* 0 when the block does not end in a conditional branch */
};

static uint64_t before_marker(void *not_yet_run) {
    return executed - (uint64_t)(uintptr_t)not_yet_run;
}

static void on_begin(unsigned int vcpu_index, void *not_yet_run) {
    (void)vcpu_index;
    begin_count = before_marker(not_yet_run);
    memcpy(mix_begin, mix_counts, sizeof mix_counts);
    memcpy(function_begin, function_counts, sizeof function_counts);
    measuring = 1;
}

static void on_end(unsigned int vcpu_index, void *not_yet_run) {
    (void)vcpu_index;
    if (measuring) {
        size_t k;
        fprintf(out, "%" PRIu64, before_marker(not_yet_run) - begin_count);
        for (k = 0; mix != MIX_NONE && k < MF_N_COUNTS; ++k) {
            fprintf(out, " %" PRIu64, mix_counts[k] - mix_begin[k]);
        }
        fprintf(out, "\n");
        if (mf_functions_count() > 0) {
            fprintf(out, "f");
            for (k = 0; k <= mf_functions_count(); ++k) {
                size_t slot = k == mf_functions_count() ? MF_FUNCTION_NONE : k;
                uint64_t ran = function_counts[slot] - function_begin[slot];
                if (ran != 0) {
                    fprintf(out, " %ld:%" PRIu64, slot == MF_FUNCTION_NONE ? -1L : (long)k, ran);
                }
            }
            fprintf(out, "\n");
        }
        fflush(out);
        measuring = 0;
    }
}

static void on_block(unsigned int vcpu_index, void *userdata) {
    const struct block_exit *block = userdata;
    (void)vcpu_index;
    if (pending_fallthrough != 0) {
        ++mix_counts[block->start == pending_fallthrough ? MF_BRANCH_NOT : MF_BRANCH_TAKEN];
    }
    pending_fallthrough = block->fallthrough;
}

static struct mf_insn_kind classify(const struct qemu_plugin_insn *insn) {
    if (mix == MIX_ARM) {
        char *text = qemu_plugin_insn_disas(insn);
        struct mf_insn_kind k = mf_classify_arm(text);
        free(text);
        return k;
    }
    return mf_classify_riscv(qemu_plugin_insn_data(insn), qemu_plugin_insn_size(insn));
}

static void add_inline(struct qemu_plugin_insn *insn, size_t counter, uint64_t amount) {
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
                                               &mix_counts[counter], amount);
}

/* Classify every instruction of the block once and count it inline as it runs. */
static void count_mix(struct qemu_plugin_tb *tb, size_t n) {
    struct block_exit *block = calloc(1, sizeof *block); /* lives as long as the block */
    int previous_single_mem = 0;
    size_t i;
    if (block == NULL) {
        return;
    }
    block->start = qemu_plugin_tb_vaddr(tb);
    for (i = 0; i < n; ++i) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
        struct mf_insn_kind k = classify(insn);
        /* Arm cores pipeline neighbouring single loads/stores; RISC-V cores have no such rule */
        int pipelined = mix == MIX_ARM && k.single_mem && previous_single_mem;
        previous_single_mem = k.single_mem;
        if (vaddr == begin_addr || vaddr == end_addr) {
            continue; /* the markers are not part of any measurement */
        }
        if (k.conditional && i + 1 == n) {
            block->fallthrough = vaddr + qemu_plugin_insn_size(insn);
            continue; /* counted as taken or not when the next block starts */
        }
        if (k.conditional) {
            k.cls = MF_BRANCH_NOT; /* the block went on past it */
        }
        add_inline(insn, pipelined ? MF_MEM_PIPELINED : (size_t)k.cls, 1);
        if (k.regs != 0) {
            add_inline(insn, MF_REGS, k.regs);
        }
        if (k.pc_load) {
            add_inline(insn, MF_PC_LOADS, 1);
        }
    }
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS, block);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
    size_t n = qemu_plugin_tb_n_insns(tb);
    size_t i;
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
    if (mix != MIX_NONE) {
        count_mix(tb, n);
    }
    if (mf_functions_count() > 0) {
        size_t f = mf_function_of(qemu_plugin_tb_vaddr(tb));
        qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
                                                 &function_counts[f], n);
    }
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
        } else if (strncmp(argv[i], "functions=", 10) == 0) {
            if (mf_functions_load(argv[i] + 10) != 0) {
                fprintf(stderr, "mf_icount: cannot read the function ranges %s\n", argv[i] + 10);
                return -1;
            }
        } else if (strcmp(argv[i], "mix=arm") == 0) {
            mix = MIX_ARM;
        } else if (strcmp(argv[i], "mix=riscv") == 0) {
            mix = MIX_RISCV;
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
