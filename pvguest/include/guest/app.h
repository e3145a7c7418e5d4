/*
 * The boundary between the pvguest library and the program linked with
 * it. start_kernel() brings the kernel up, then runs app_main(), which
 * the final link provides (a test runner, dom0, a demo); its return value
 * becomes the shutdown code (0: success).
 */
#ifndef GUEST_APP_H
#define GUEST_APP_H

#include <guest/xen.h>
#include <paravane/compiler.h>

/* The program's entry point, called once the kernel is up. */
int app_main(void);

// kernel/start.c
void __noreturn start_kernel(const start_info_t *si, unsigned long boot_sp);

#endif /* GUEST_APP_H */
