/*
 * Fake x86 processor primitives for host unit tests: the interrupt flag is
 * a variable (fake/cpu.c), so tests can check that every irqsave is paired
 * with its restore; TLB flushes and CR3 are counted and kept in fake_tlb
 * (fake/cpu.c), so tests can check that a change flushed.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdbool.h>
#include <stdint.h>

#define X86_EFLAGS_IF 0x00000200

extern bool fake_irq_enabled;

static inline void local_irq_disable(void)
{
	fake_irq_enabled = false;
}

static inline void local_irq_enable(void)
{
	fake_irq_enabled = true;
}

static inline bool local_irq_is_enabled(void)
{
	return fake_irq_enabled;
}

static inline unsigned long local_irq_save(void)
{
	unsigned long f = fake_irq_enabled ? X86_EFLAGS_IF : 0;

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long f)
{
	if (f & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline void cpu_relax(void)
{
}

/* What the fake CPU's TLB has been asked to do. */
struct fake_tlb {
	unsigned long flush_all;  /* flush_tlb_all_local(): global ones too */
	unsigned long cr3_writes; /* write_cr3(): non-global entries */
	unsigned long invlpgs;
	uint64_t cr3;
	unsigned long mask_flushes; /* flush_tlb_mask() calls (fake/cpu.c) */
	uint64_t last_mask;	    /* and the mask of the last one */
};

extern struct fake_tlb fake_tlb;

static inline uint64_t read_cr3(void)
{
	return fake_tlb.cr3;
}

static inline void write_cr3(uint64_t v)
{
	fake_tlb.cr3 = v;
	fake_tlb.cr3_writes++;
}

static inline void invlpg(const void *va)
{
	(void)va;
	fake_tlb.invlpgs++;
}

static inline void flush_tlb_all_local(void)
{
	fake_tlb.flush_all++;
}

#endif /* ASM_PROCESSOR_H */
