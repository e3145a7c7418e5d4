/*
 * Stopping the machine: halting after a panic, and ending a test run.
 */
#ifndef HV_SHUTDOWN_H
#define HV_SHUTDOWN_H

#include <paravane/compiler.h>
#include <stdbool.h>

// arch/x86/shutdown.c
void machine_halt(bool panicked) __noreturn;
void machine_test_exit(unsigned int code) __noreturn;
bool debug_exit_enabled(void);

#endif /* HV_SHUTDOWN_H */
