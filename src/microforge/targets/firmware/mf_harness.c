/* mf_harness.c: semihosting I/O, measure markers, painted-stack scan, entry point. */
#include "mf_harness.h"

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE0 0x04
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_FLEN 0x0C
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define MF_STACK_PAINT 0xA5A5A5A5u

/* in the startup file: the architecture's semihosting trap */
long mf_semihost_call(long op, void *arg);

extern unsigned long __mf_stack_bottom[];
extern unsigned long __mf_stack_top[];

static unsigned long mf_strlen(const char *s) {
    unsigned long n = 0;
    while (s[n] != '\0') {
        ++n;
    }
    return n;
}

long mf_sh_open(const char *path, int mode) {
    long block[3];
    block[0] = (long)path;
    block[1] = mode;
    block[2] = (long)mf_strlen(path);
    return mf_semihost_call(SYS_OPEN, block);
}

void mf_sh_close(long handle) {
    long block[1];
    block[0] = handle;
    (void)mf_semihost_call(SYS_CLOSE, block);
}

long mf_sh_read_fd(long handle, void *buf, unsigned long n) {
    long block[3];
    long left;
    block[0] = handle;
    block[1] = (long)buf;
    block[2] = (long)n;
    left = mf_semihost_call(SYS_READ, block); /* bytes NOT read */
    return (left < 0 || (unsigned long)left > n) ? -1 : (long)(n - (unsigned long)left);
}

long mf_sh_write_fd(long handle, const void *buf, unsigned long n) {
    long block[3];
    long left;
    block[0] = handle;
    block[1] = (long)buf;
    block[2] = (long)n;
    left = mf_semihost_call(SYS_WRITE, block); /* bytes NOT written */
    return (left < 0 || (unsigned long)left > n) ? -1 : (long)(n - (unsigned long)left);
}

long mf_sh_read(const char *path, void *buf, unsigned long n) {
    long handle = mf_sh_open(path, MF_SH_READ);
    long got;
    if (handle < 0) {
        return -1;
    }
    got = mf_sh_read_fd(handle, buf, n);
    mf_sh_close(handle);
    return got;
}

long mf_sh_write(const char *path, const void *buf, unsigned long n) {
    long handle = mf_sh_open(path, MF_SH_WRITE);
    long put;
    if (handle < 0) {
        return -1;
    }
    put = mf_sh_write_fd(handle, buf, n);
    mf_sh_close(handle);
    return put;
}

void mf_sh_puts(const char *s) {
    (void)mf_semihost_call(SYS_WRITE0, (void *)s);
}

__attribute__((noipa, noinline)) void mf_measure_begin(void) {
    __asm__ volatile("" ::: "memory");
}

__attribute__((noipa, noinline)) void mf_measure_end(void) {
    __asm__ volatile("" ::: "memory");
}

unsigned long mf_stack_used(void) {
    const unsigned long *p = __mf_stack_bottom;
    while (p < __mf_stack_top && *p == MF_STACK_PAINT) {
        ++p;
    }
    return (unsigned long)((const char *)__mf_stack_top - (const char *)p);
}

static void mf_put_number(unsigned long value) {
    char text[16];
    int i = 15;
    text[i] = '\0';
    do {
        text[--i] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u && i > 0);
    mf_sh_puts(&text[i]);
}

__attribute__((noreturn)) void mf_exit(int code) {
    long block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = code;
    for (;;) {
        (void)mf_semihost_call(SYS_EXIT_EXTENDED, block);
    }
}

/* every unexpected exception or trap ends here */
__attribute__((noreturn)) void mf_fault(void) {
    mf_sh_puts("\n[mf] fault: unexpected exception or trap\n");
    mf_exit(126);
}

/* called by the reset handler once .data, .bss and the stack paint are in place */
__attribute__((noreturn)) void mf_start(void) {
    int code = mf_app_main();
    mf_sh_puts("\n[mf] stack ");
    mf_put_number(mf_stack_used());
    mf_sh_puts("\n");
    mf_exit(code);
}
