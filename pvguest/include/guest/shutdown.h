/*
 * Ending the kernel: a clean poweroff carrying a result code, or a crash.
 * Xen (or Paravane) sees the code through SCHEDOP_shutdown_code. With
 * "exit=port" on the command line, a dom0 also writes the result to
 * QEMU's isa-debug-exit port, so a test run under QEMU ends by itself.
 */
#ifndef GUEST_SHUTDOWN_H
#define GUEST_SHUTDOWN_H

#include <paravane/compiler.h>

/* The shutdown code of a run that did what it was asked. */
#define EXIT_OK 0
/* The shutdown code of a run that failed (for example a failed test). */
#define EXIT_FAILED 1

// kernel/shutdown.c
void shutdown_init(void);
void __noreturn kernel_exit(int code);
void __noreturn kernel_shutdown(unsigned int reason);
void __noreturn kernel_crash(void);
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

#endif /* GUEST_SHUTDOWN_H */
