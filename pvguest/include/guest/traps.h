/*
 * Exceptions, event upcalls and the failsafe callback, as Xen bounces them
 * to pvguest, and the frame the entry stubs (arch/x86/entry.S) build.
 *
 * Xen's bounce frame is a hardware exception frame with rcx and r11 on
 * top: rcx, r11, [error code], rip, cs, rflags, rsp, ss. A stub pops rcx
 * and r11 back into their registers, pushes a zero error code where the
 * vector has none, then the vector, and the common code pushes every
 * other register: the result is struct trap_frame, lowest address first.
 * The high 32 bits of the saved cs hold Xen's saved upcall mask, and its
 * RPL bits are clear when the trap came from guest kernel mode.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

/* Pseudo-vectors for the two callbacks that share the trap path. */
#define TRAP_EVENT 256	  /* event-channel upcall */
#define TRAP_FAILSAFE 257 /* Xen could not restore a segment register */

/* The architectural exception vectors. */
#define TRAP_DE 0
#define TRAP_DB 1
#define TRAP_NMI 2
#define TRAP_BP 3
#define TRAP_OF 4
#define TRAP_BR 5
#define TRAP_UD 6
#define TRAP_NM 7
#define TRAP_DF 8
#define TRAP_TS 10
#define TRAP_NP 11
#define TRAP_SS 12
#define TRAP_GP 13
#define TRAP_PF 14
#define TRAP_MF 16
#define TRAP_AC 17
#define TRAP_MC 18
#define TRAP_XM 19
#define TRAP_VE 20
#define TRAP_CP 21
#define NR_EXCEPTIONS 22

/* Page-fault error code bits. */
#define PFEC_PRESENT (1U << 0)
#define PFEC_WRITE (1U << 1)
#define PFEC_USER (1U << 2)
#define PFEC_RSVD (1U << 3)
#define PFEC_INSN (1U << 4)

/* #GP error code bit: the selector index names an IDT gate (INT n). */
#define SELEC_IDT (1U << 1)

#ifndef __ASSEMBLY__
#include <guest/xen.h>
#include <paravane/compiler.h>
#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* Xen's bounce frame, as the hardware would push it. */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Whether the frame was interrupted in guest kernel mode. */
static inline bool trap_from_kernel(const struct trap_frame *f)
{
	return (f->cs & 3) == 0;
}

// kernel/traps.c
void traps_init(void);
void do_trap(struct trap_frame *f);
const char *trap_name(uint64_t vector);
int trap_int_vector(const struct trap_frame *f);
void trap_table_copy(trap_info_t ctxt[256]);

// kernel/dump.c
void dump_trap_frame(const struct trap_frame *f);
void dump_backtrace(uint64_t rip, uint64_t rbp);
void __noreturn fatal_trap(const struct trap_frame *f, uint64_t cr2);

// arch/x86/entry.S
void hypervisor_callback(void);
void failsafe_callback(void);
extern void (*const exception_entry[NR_EXCEPTIONS])(void);
#endif

#endif /* GUEST_TRAPS_H */
