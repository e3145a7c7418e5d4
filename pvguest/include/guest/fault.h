/*
 * Catching an expected trap: run a function and, if it raises an
 * exception, resume after the call instead of crashing. The trap handler
 * redirects the faulting context to longjmp() (a fixup), so the function
 * is abandoned at the faulting instruction. Used by tests that expect a
 * fault and, later, by probes (an MSR or a port that may not exist).
 */
#ifndef GUEST_FAULT_H
#define GUEST_FAULT_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* What the caught trap looked like. */
struct fault_info {
	int vector;	     /* the exception vector delivered */
	int int_vector;	     /* for a #GP raised by INT n: n, else -1 */
	uint64_t error_code; /* as delivered (0 for vectors without one) */
	uint64_t rip;	     /* the faulting (or, for a trap, next) rip */
	uint64_t cr2;	     /* for #PF: the faulting address */
};

// kernel/fault.c
int catch_fault(void (*fn)(void *), void *arg, struct fault_info *info);
bool fault_fixup(struct trap_frame *f, uint64_t cr2);

#endif /* GUEST_FAULT_H */
