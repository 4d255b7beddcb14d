/* mf_insn_class.h: the instruction classes of the instruction-mix counter (mf_icount.c, mix=1)
 * and the classifiers that put one guest instruction into one class. Every instruction is in
 * exactly one class, so the class counts add up to the instruction count. The order and the
 * names are the ones microforge.targets.cycle_model reads (MIX_CLASSES); keep them in step. */
#ifndef MF_INSN_CLASS_H
#define MF_INSN_CLASS_H

#include <stddef.h>
#include <stdint.h>

enum mf_insn_class {
    MF_ALU,            /* data processing, moves, compares, IT, everything not below */
    MF_LOAD,           /* one load (LDR*, VLDR, LW/LH/LB, FLW) */
    MF_STORE,          /* one store (STR*, VSTR, SW/SH/SB, FSW) */
    MF_MEM_PIPELINED,  /* a single load/store right after another one in the same block */
    MF_MULTI,          /* load/store multiple: LDM/STM/PUSH/POP/LDRD/STRD/VLDM/VSTM/VPUSH/VPOP */
    MF_MUL,            /* integer multiply and multiply-accumulate (MUL, MLA, SMLAD, SMULL, ...) */
    MF_DIV,            /* integer division / remainder */
    MF_CALL,           /* BL, BLX, JAL/JALR that link */
    MF_JUMP,           /* unconditional branch without link: B, BX, TBB/TBH, J, JR, RET */
    MF_BRANCH_TAKEN,   /* conditional branch, taken (decided at run time) */
    MF_BRANCH_NOT,     /* conditional branch, not taken */
    MF_FP,             /* floating-point arithmetic and conversion */
    MF_FP_MAC,         /* floating-point multiply-accumulate */
    MF_FP_DIV,         /* floating-point divide and square root */
    MF_N_CLASSES,
    /* not classes: extra counts reported after the classes */
    MF_REGS = MF_N_CLASSES, /* registers moved by MF_MULTI instructions */
    MF_PC_LOADS,            /* loads into PC (POP {..., pc}, LDR pc): a branch as well */
    MF_N_COUNTS
};

/* The classification of one instruction at translation time. A conditional branch is reported
 * as MF_BRANCH_TAKEN with `conditional` set; the run-time check decides taken or not. */
struct mf_insn_kind {
    enum mf_insn_class cls;
    int conditional; /* a conditional branch (its outcome is counted at run time) */
    int single_mem;  /* a single load or store (for MF_MEM_PIPELINED of the next one) */
    unsigned regs;   /* registers moved (MF_MULTI) */
    int pc_load;     /* writes PC from memory */
};

/* Arm (Thumb/Thumb-2) from the disassembler's text, e.g. "ldrsb r3, [r1, #1]!". */
struct mf_insn_kind mf_classify_arm(const char *disas);

/* RISC-V (RV32IMC + F) from the instruction's bytes (2 or 4, little-endian). */
struct mf_insn_kind mf_classify_riscv(const uint8_t *bytes, size_t size);

#endif /* MF_INSN_CLASS_H */
