/*
 * Per-CPU stacks. Each CPU owns one STACK_SIZE-aligned block of virtual
 * memory in the stack area (asm/memlayout.h):
 *
 *   page  0        NMI stack (IST 1)
 *   page  1        #DF stack (IST 2)
 *   page  2        #MC stack (IST 3)
 *   page  3        guard page, never mapped: an overflow of the primary
 *                  stack faults here and the #DF handler reports it
 *   pages 4-15     primary stack; struct cpu_info sits at its very top
 *
 * Because every stack of a CPU lies in one aligned block, any code on any
 * of them finds its cpu_info by rounding %rsp up to the block's end.
 */
#ifndef ASM_STACK_H
#define ASM_STACK_H

#define STACK_ORDER 4
#define STACK_SIZE (4096 << STACK_ORDER)
#define STACK_IST_PAGES 3
#define STACK_GUARD_PAGE 3
#define STACK_PRIMARY_FIRST_PAGE 4

#ifndef __ASSEMBLY__
#include <stdint.h>

#include <xen/xen.h>

/*
 * Top of each CPU's primary stack. A trap from guest context pushes its
 * hardware frame so that it lands exactly in guest_regs (the segment
 * fields above ss are filled by software), as in Xen.
 */
struct vcpu;

struct cpu_info {
	struct cpu_user_regs guest_regs;
	unsigned int cpu_id;
	unsigned int pad;
	uint64_t stack_block; /* base address of this CPU's block */
	struct vcpu
		*current_vcpu; /* what this CPU runs (its idle vCPU if none) */
	uint64_t reserved;
};

/*
 * TSS.rsp0 is &guest_regs.es, so the CPU's (16-byte aligned) ring-3
 * frame ends just below it; that needs sizeof(cpu_info) - offsetof(es)
 * to be a multiple of 16.
 */
_Static_assert((sizeof(struct cpu_info) -
		__builtin_offsetof(struct cpu_info, guest_regs.es)) %
			       16 ==
		       0,
	       "cpu_info layout breaks the ring-3 trap frame");

static inline struct cpu_info *get_cpu_info(void)
{
	uintptr_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 -
				   sizeof(struct cpu_info));
}

static inline uintptr_t stack_ist_top(uintptr_t block, unsigned int ist)
{
	return block + (uintptr_t)ist * 4096; /* IST n tops page n-1 */
}

static inline uintptr_t stack_primary_top(uintptr_t block)
{
	return block + STACK_SIZE - sizeof(struct cpu_info);
}
#endif /* !__ASSEMBLY__ */

#endif /* ASM_STACK_H */
