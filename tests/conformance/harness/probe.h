/*
 * Probes: catching a bounce exactly as Xen delivered it.
 *
 * pvguest's own trap path (kernel/traps.c) turns every bounce into a
 * struct trap_frame and treats anything from guest user mode, and every
 * callback other than the event one, as fatal. Tests of the bounce itself
 * need the raw frame instead, from either guest mode and from any entry
 * point (trap-table vector, syscall or failsafe callback). A probe stub is
 * such an entry point: point a trap-table entry or a callback at
 * probe_entry(id), run the code that should bounce, and the stub records
 * where the frame is, the 16 words from there up, rflags and the general
 * registers at entry, then unwinds to the test with longjmp():
 *
 *	probe_clear();
 *	if (!setjmp(probe_resume))
 *		trigger();		(returns only if nothing bounced)
 *	... probe_id, probe_rsp, probe_frame[] ...
 *
 * The stub leaves the upcall mask as the bounce set it, and does not
 * return to the interrupted context: the frame is abandoned, which is
 * how a longjmp-style fixup ends a trap in any kernel.
 */
#ifndef CONFORMANCE_PROBE_H
#define CONFORMANCE_PROBE_H

#include <guest/setjmp.h>
#include <stdbool.h>
#include <stdint.h>

/* Probe ids: 0-31 name exception vectors; the others, entry kinds. */
#define PROBE_SOFTINT 32  /* a software interrupt (int n) */
#define PROBE_SYSCALL 33  /* the syscall callback */
#define PROBE_FAILSAFE 34 /* the failsafe callback */
#define PROBE_SYSENTER 35 /* the sysenter callback */
#define PROBE_EVENT 36	  /* the event callback */
#define PROBE_OTHER 37	  /* anything else a test installs */
#define NR_PROBES 38
#define PROBE_NONE (-1)

#define PROBE_FRAME_WORDS 16

/* The general registers at entry, in probe_regs[]. */
enum probe_reg {
	PR_RAX,
	PR_RBX,
	PR_RCX,
	PR_RDX,
	PR_RSI,
	PR_RDI,
	PR_RBP,
	PR_R8,
	PR_R9,
	PR_R10,
	PR_R11,
	PR_R12,
	PR_R13,
	PR_R14,
	PR_R15,
	NR_PROBE_REGS
};

/* Trap-table flags: bits 0-1 the DPL for int n, bit 2 masks events. */
#define TI_DPL(n) (n)
#define TI_MASK_EVENTS 4

/* What the last probe saw (written by the stub). */
extern jmp_buf probe_resume;
extern volatile int probe_id;	       /* which stub ran, or PROBE_NONE */
extern volatile uint64_t probe_rsp;    /* the frame's address */
extern volatile uint64_t probe_rflags; /* rflags at entry */
extern volatile uint64_t probe_frame[PROBE_FRAME_WORDS];
extern volatile uint64_t probe_regs[NR_PROBE_REGS];
/* If probe_peek_addr is set, the stub reads a word there into peek_val. */
extern volatile uint64_t probe_peek_addr, probe_peek_val;
/* If probe_peek_gs is set, the stub reads %gs:0 into probe_gs_val. */
extern volatile uint64_t probe_peek_gs, probe_gs_val;

// harness/probe.c
unsigned long probe_entry(unsigned int id);
void probe_clear(void);
int probe_install(unsigned int vector, unsigned int flags, unsigned int id);
void probe_reset_traps(void);
int probe_set_callback(unsigned int type, unsigned int flags, unsigned int id);

/*
 * For tests that repoint the GS bases: pvguest finds its per-vCPU data
 * through the kernel GS base, so no event handler may run while a test
 * has it elsewhere. gs_borrow() masks events and remembers the base;
 * gs_give_back() restores both bases (the user one to 0) and the mask.
 */
struct gs_loan {
	unsigned long kernel_base, irq_flags;
};

void gs_borrow(struct gs_loan *l);
void gs_give_back(const struct gs_loan *l);

#endif /* CONFORMANCE_PROBE_H */
