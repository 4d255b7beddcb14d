/* startup_riscv.S: entry for RV32 (QEMU virt, machine mode, -bios none).
 * Sets sp, gp and tp (picolibc keeps errno in TLS), copies .data and .tdata, zeroes .bss,
 * paints the stack, installs a trap handler, then calls mf_start(). */
    .section .text.mf_entry, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __mf_stack_top
    la tp, __mf_tls_start
    .option push
    .option arch, +zicsr
    la t0, mf_trap_handler
    csrw mtvec, t0
    .option pop
    la t0, __mf_data_load
    la t1, __mf_data_start
    la t2, __mf_data_end
1:  bgeu t1, t2, 2f
    lw t3, 0(t0)
    sw t3, 0(t1)
    addi t0, t0, 4
    addi t1, t1, 4
    j 1b
2:  la t1, __mf_bss_start
    la t2, __mf_bss_end
3:  bgeu t1, t2, 4f
    sw zero, 0(t1)
    addi t1, t1, 4
    j 3b
4:  la t1, __mf_stack_bottom
    la t2, __mf_stack_top
    li t3, 0xA5A5A5A5
5:  bgeu t1, t2, 6f
    sw t3, 0(t1)
    addi t1, t1, 4
    j 5b
6:  call mf_start
7:  j 7b

    .balign 4
mf_trap_handler:
    la sp, __mf_stack_top
    call mf_fault
8:  j 8b

    /* The semihosting trap: slli/ebreak/srai, uncompressed, in one aligned block. */
    .balign 16
    .globl mf_semihost_call
mf_semihost_call:           /* a0 = operation, a1 = argument; result in a0 */
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 0x7
    .option pop
    ret
