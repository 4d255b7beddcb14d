/* startup_arm.S: vector table and reset handler for Cortex-M (Armv6-M and up).
 * Copies .data, zeroes .bss, paints the stack, enables the FPU where there is one,
 * then calls mf_start(). Only Armv6-M instructions, so one file serves every core. */
    .syntax unified
    .thumb

    .section .vectors, "a"
    .align 2
    .globl __mf_vectors
__mf_vectors:
    .word __mf_stack_top
    .word mf_reset_handler
    .rept 14
    .word mf_fault_handler
    .endr
    .rept 16
    .word mf_fault_handler
    .endr

    .text
    .thumb_func
    .globl mf_reset_handler
    .type mf_reset_handler, %function
mf_reset_handler:
    ldr r0, =__mf_data_load
    ldr r1, =__mf_data_start
    ldr r2, =__mf_data_end
1:  cmp r1, r2
    bhs 2f
    ldr r3, [r0]
    str r3, [r1]
    adds r0, r0, #4
    adds r1, r1, #4
    b 1b
2:  ldr r1, =__mf_bss_start
    ldr r2, =__mf_bss_end
    movs r3, #0
3:  cmp r1, r2
    bhs 4f
    str r3, [r1]
    adds r1, r1, #4
    b 3b
4:  ldr r1, =__mf_stack_bottom
    ldr r2, =__mf_stack_top
    ldr r3, =0xA5A5A5A5
5:  cmp r1, r2
    bhs 6f
    str r3, [r1]
    adds r1, r1, #4
    b 5b
6:
#if defined(__ARM_FP)
    ldr r0, =0xE000ED88     /* CPACR: full access to CP10 and CP11 */
    ldr r1, [r0]
    ldr r2, =0x00F00000
    orrs r1, r1, r2
    str r1, [r0]
    dsb
    isb
#endif
    bl mf_start
7:  b 7b
    .size mf_reset_handler, . - mf_reset_handler
    .pool

    .thumb_func
    .globl mf_fault_handler
    .type mf_fault_handler, %function
mf_fault_handler:
    ldr r0, =__mf_stack_top  /* a fresh stack: the fault may come from an overflow */
    mov sp, r0
    bl mf_fault
8:  b 8b
    .size mf_fault_handler, . - mf_fault_handler
    .pool

    .thumb_func
    .globl mf_semihost_call
    .type mf_semihost_call, %function
mf_semihost_call:           /* r0 = operation, r1 = argument; result in r0 */
    bkpt 0xAB
    bx lr
    .size mf_semihost_call, . - mf_semihost_call
