/* mf_insn_class.c: one guest instruction -> one instruction class (mf_insn_class.h).
 *
 * Arm instructions are classified from the disassembler's text (QEMU's Capstone output, e.g.
 * "smlabb r1, r7, r8, r1"): the mnemonic without its .w/.n width or .f32 type suffix. RISC-V
 * instructions are classified from their encoding (QEMU 7.2's RISC-V disassembler crashes when
 * called from a plugin, and the opcode fields are simple): RV32I/M/F and the C extension. */
#include "mf_insn_class.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MNEMONIC_MAX 16

static const char *const CONDITIONS[] = {"eq", "ne", "cs", "hs", "cc", "lo", "mi", "pl",
                                         "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", NULL};

static int is_condition(const char *s) {
    size_t i;
    for (i = 0; CONDITIONS[i] != NULL; ++i) {
        if (strcmp(s, CONDITIONS[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int starts_with_any(const char *s, const char *const *prefixes) {
    size_t i;
    for (i = 0; prefixes[i] != NULL; ++i) {
        if (starts_with(s, prefixes[i])) {
            return 1;
        }
    }
    return 0;
}

/* The mnemonic up to the first space or '.', lower case, at most MNEMONIC_MAX - 1 chars. */
static void mnemonic_of(const char *disas, char *out) {
    size_t i = 0;
    while (disas[i] != '\0' && disas[i] != ' ' && disas[i] != '.' && i < MNEMONIC_MAX - 1) {
        out[i] = (char)tolower((unsigned char)disas[i]);
        ++i;
    }
    out[i] = '\0';
}

/* Registers in the {...} list of the operands: "r4, r5, lr" is 3, "s16-s31" is 16. */
static unsigned register_list_count(const char *disas) {
    const char *p = strchr(disas, '{');
    unsigned count = 0;
    if (p == NULL) {
        return 0;
    }
    ++p;
    while (*p != '\0' && *p != '}') {
        const char *item_end = p;
        const char *dash;
        while (*item_end != '\0' && *item_end != ',' && *item_end != '}') {
            ++item_end;
        }
        dash = memchr(p, '-', (size_t)(item_end - p));
        if (dash != NULL) {
            const char *a = p;
            const char *b = dash + 1;
            while (a < dash && !isdigit((unsigned char)*a)) {
                ++a;
            }
            while (b < item_end && !isdigit((unsigned char)*b)) {
                ++b;
            }
            {
                long first = strtol(a, NULL, 10);
                long last = strtol(b, NULL, 10);
                count += last >= first ? (unsigned)(last - first + 1) : 1u;
            }
        } else {
            count += 1;
        }
        p = *item_end == ',' ? item_end + 1 : item_end;
    }
    return count;
}

static int writes_pc_from_list(const char *disas) {
    const char *open = strchr(disas, '{');
    const char *close = open != NULL ? strchr(open, '}') : NULL;
    const char *pc = open != NULL ? strstr(open, "pc") : NULL;
    return pc != NULL && close != NULL && pc < close;
}

/* The first operand, e.g. "pc" in "ldr pc, [sp], #4". */
static int first_operand_is_pc(const char *disas) {
    const char *space = strchr(disas, ' ');
    return space != NULL && strncmp(space + 1, "pc", 2) == 0 &&
           (space[3] == ',' || space[3] == '\0');
}

static struct mf_insn_kind kind(enum mf_insn_class cls) {
    struct mf_insn_kind k;
    k.cls = cls;
    k.conditional = 0;
    k.single_mem = 0;
    k.regs = 0;
    k.pc_load = 0;
    return k;
}

static struct mf_insn_kind arm_branch(const char *m, int *found) {
    /* b, bl, blx, bx, each optionally with a condition (b<cond> outside IT blocks, the others
     * inside them); cbz/cbnz; tbb/tbh. "bic", "bfi", "bkpt"... are not branches. */
    static const char *const BASES[] = {"blx", "bl", "bx", "b", NULL};
    size_t i;
    struct mf_insn_kind k = kind(MF_ALU);
    *found = 1;
    if (strcmp(m, "cbz") == 0 || strcmp(m, "cbnz") == 0) {
        k = kind(MF_BRANCH_TAKEN);
        k.conditional = 1;
        return k;
    }
    if (strcmp(m, "tbb") == 0 || strcmp(m, "tbh") == 0) {
        return kind(MF_JUMP);
    }
    for (i = 0; BASES[i] != NULL; ++i) {
        size_t n = strlen(BASES[i]);
        if (strncmp(m, BASES[i], n) != 0) {
            continue;
        }
        if (m[n] == '\0' || is_condition(m + n)) {
            int call = BASES[i][1] == 'l';
            k = kind(m[n] != '\0' ? MF_BRANCH_TAKEN : call ? MF_CALL : MF_JUMP);
            k.conditional = m[n] != '\0';
            return k;
        }
    }
    *found = 0;
    return k;
}

struct mf_insn_kind mf_classify_arm(const char *disas) {
    static const char *const MUL[] = {"mul", "mla", "mls", "umull", "smull", "umlal", "smlal",
                                      "umaal", "smla", "smul", "smls", "smmla", "smmul", "smmls",
                                      "smuad", "smusd", NULL};
    static const char *const FP_MAC[] = {"vmla", "vmls", "vfma", "vfms", "vnmla", "vnmls",
                                         "vfnma", "vfnms", NULL};
    static const char *const MULTI_LOAD[] = {"ldm", "pop", "vldm", "vpop", NULL};
    static const char *const MULTI_STORE[] = {"stm", "push", "vstm", "vpush", NULL};
    char m[MNEMONIC_MAX];
    int found;
    struct mf_insn_kind k;
    if (disas == NULL) {
        return kind(MF_ALU);
    }
    mnemonic_of(disas, m);
    k = arm_branch(m, &found);
    if (found) {
        return k;
    }
    if (starts_with_any(m, MULTI_LOAD) || starts_with_any(m, MULTI_STORE)) {
        k = kind(MF_MULTI);
        k.regs = register_list_count(disas);
        k.pc_load = starts_with_any(m, MULTI_LOAD) && writes_pc_from_list(disas);
        return k;
    }
    if (starts_with(m, "ldrd") || starts_with(m, "strd") || starts_with(m, "ldrexd") ||
        starts_with(m, "strexd")) {
        k = kind(MF_MULTI);
        k.regs = 2;
        return k;
    }
    if (starts_with(m, "ldr") || strcmp(m, "vldr") == 0) {
        k = kind(MF_LOAD);
        k.single_mem = 1;
        k.pc_load = first_operand_is_pc(disas);
        return k;
    }
    if (starts_with(m, "str") || strcmp(m, "vstr") == 0) {
        k = kind(MF_STORE);
        k.single_mem = 1;
        return k;
    }
    if (starts_with_any(m, MUL)) {
        return kind(MF_MUL);
    }
    if (starts_with(m, "sdiv") || starts_with(m, "udiv")) {
        return kind(MF_DIV);
    }
    if (starts_with_any(m, FP_MAC)) {
        return kind(MF_FP_MAC);
    }
    if (starts_with(m, "vdiv") || starts_with(m, "vsqrt")) {
        return kind(MF_FP_DIV);
    }
    if (m[0] == 'v') {
        return kind(MF_FP);
    }
    return kind(MF_ALU);
}

static struct mf_insn_kind memory(enum mf_insn_class cls) {
    struct mf_insn_kind k = kind(cls);
    k.single_mem = 1;
    return k;
}

static struct mf_insn_kind conditional_branch(void) {
    struct mf_insn_kind k = kind(MF_BRANCH_TAKEN);
    k.conditional = 1;
    return k;
}

static struct mf_insn_kind riscv_compressed(uint16_t h) {
    unsigned quadrant = h & 3u;
    unsigned funct3 = (h >> 13) & 7u;
    unsigned rd = (h >> 7) & 31u;
    unsigned rs2 = (h >> 2) & 31u;
    if (quadrant == 0) {
        if (funct3 == 1 || funct3 == 2 || funct3 == 3) {
            return memory(MF_LOAD); /* c.fld, c.lw, c.flw */
        }
        if (funct3 == 5 || funct3 == 6 || funct3 == 7) {
            return memory(MF_STORE); /* c.fsd, c.sw, c.fsw */
        }
        return kind(MF_ALU);
    }
    if (quadrant == 1) {
        if (funct3 == 1) {
            return kind(MF_CALL); /* c.jal (RV32) */
        }
        if (funct3 == 5) {
            return kind(MF_JUMP); /* c.j */
        }
        if (funct3 == 6 || funct3 == 7) {
            return conditional_branch(); /* c.beqz, c.bnez */
        }
        return kind(MF_ALU);
    }
    if (quadrant == 2) {
        if (funct3 == 1 || funct3 == 2 || funct3 == 3) {
            return memory(MF_LOAD); /* c.fldsp, c.lwsp, c.flwsp */
        }
        if (funct3 == 5 || funct3 == 6 || funct3 == 7) {
            return memory(MF_STORE); /* c.fsdsp, c.swsp, c.fswsp */
        }
        if (funct3 == 4 && rs2 == 0 && rd != 0) {
            return kind(((h >> 12) & 1u) ? MF_CALL : MF_JUMP); /* c.jalr, c.jr */
        }
    }
    return kind(MF_ALU);
}

struct mf_insn_kind mf_classify_riscv(const uint8_t *bytes, size_t size) {
    uint32_t w;
    unsigned opcode, rd;
    if (bytes == NULL || size < 2) {
        return kind(MF_ALU);
    }
    if (size == 2) {
        return riscv_compressed((uint16_t)(bytes[0] | (bytes[1] << 8)));
    }
    w = (uint32_t)bytes[0] | ((uint32_t)bytes[1] << 8) | ((uint32_t)bytes[2] << 16) |
        ((uint32_t)bytes[3] << 24);
    opcode = w & 0x7fu;
    rd = (w >> 7) & 31u;
    switch (opcode) {
    case 0x03: /* loads */
    case 0x07: /* flw/fld */
        return memory(MF_LOAD);
    case 0x23: /* stores */
    case 0x27: /* fsw/fsd */
        return memory(MF_STORE);
    case 0x63:
        return conditional_branch();
    case 0x6f: /* jal */
    case 0x67: /* jalr */
        return kind(rd != 0 ? MF_CALL : MF_JUMP);
    case 0x33:
        if ((w >> 25) == 1u) {
            return kind(((w >> 12) & 7u) < 4u ? MF_MUL : MF_DIV);
        }
        return kind(MF_ALU);
    case 0x43: /* fmadd, fmsub, fnmsub, fnmadd */
    case 0x47:
    case 0x4b:
    case 0x4f:
        return kind(MF_FP_MAC);
    case 0x53: {
        unsigned funct5 = w >> 27;
        return kind(funct5 == 0x03u || funct5 == 0x0bu ? MF_FP_DIV : MF_FP);
    }
    default:
        return kind(MF_ALU);
    }
}
