/* mf_harness.h: the firmware harness microforge builds around a library to run it on an
 * emulated MCU (QEMU): semihosting file I/O, instruction-count markers, exit code. */
#ifndef MF_HARNESS_H
#define MF_HARNESS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Whole-file helpers (paths are relative to the emulator's working directory). */
long mf_sh_read(const char *path, void *buf, unsigned long n);        /* bytes read, or -1 */
long mf_sh_write(const char *path, const void *buf, unsigned long n); /* bytes written, or -1
                                                                          (creates/truncates) */
void mf_sh_puts(const char *s);

/* Streaming helpers: open once, read or write consecutive chunks. */
#define MF_SH_READ 1   /* "rb" */
#define MF_SH_WRITE 5  /* "wb" */
long mf_sh_open(const char *path, int mode);                       /* handle, or -1 */
long mf_sh_read_fd(long handle, void *buf, unsigned long n);       /* bytes read, or -1 */
long mf_sh_write_fd(long handle, const void *buf, unsigned long n); /* bytes written, or -1 */
void mf_sh_close(long handle);

/* noipa markers: the QEMU plugin counts the instructions executed after mf_measure_begin()
 * returns, up to and including the call to mf_measure_end(). */
void mf_measure_begin(void);
void mf_measure_end(void);

/* Painted-stack high-water mark so far, in bytes. */
unsigned long mf_stack_used(void);

int mf_app_main(void); /* provided by the app; its return value is the exit code */

#ifdef __cplusplus
}
#endif

#endif /* MF_HARNESS_H */
