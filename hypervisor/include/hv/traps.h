/*
 * Traps, interrupts and fatal-error reports.
 */
#ifndef HV_TRAPS_H
#define HV_TRAPS_H

#include <paravane/compiler.h>
#include <stdint.h>

#include <xen/xen.h>

#include <asm/processor.h>

// arch/x86/traps.c
void trap_init(void);
void do_interrupt(struct cpu_user_regs *regs);
void ret_from_guest_trap(void) __noreturn;
void fatal_trap(const struct cpu_user_regs *regs, const char *why) __noreturn;
const char *exception_name(unsigned int vector);

typedef void (*irq_handler_t)(struct cpu_user_regs *regs);
void set_irq_handler(unsigned int vector, irq_handler_t fn);

// arch/x86/dump.c
void show_registers(const struct cpu_user_regs *regs);
void show_backtrace(uintptr_t rip, uintptr_t rbp);
void show_backtrace_here(void);

#endif /* HV_TRAPS_H */
