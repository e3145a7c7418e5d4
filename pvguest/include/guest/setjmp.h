/*
 * Non-local jumps inside the kernel (arch/x86/setjmp.S): the fault
 * catcher and the test harness unwind through them.
 */
#ifndef GUEST_SETJMP_H
#define GUEST_SETJMP_H

#include <paravane/compiler.h>
#include <stdint.h>

/* Callee-saved registers, stack pointer and resume address. */
typedef struct {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
} jmp_buf[1];

// arch/x86/setjmp.S
int setjmp(jmp_buf env) __attribute__((returns_twice));
void __noreturn longjmp(jmp_buf env, int val);

#endif /* GUEST_SETJMP_H */
