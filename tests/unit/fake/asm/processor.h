/*
 * Fake x86 processor primitives for host unit tests: the interrupt flag is
 * a variable (fake/cpu.c), so tests can check that every irqsave is paired
 * with its restore.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdbool.h>

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

#endif /* ASM_PROCESSOR_H */
