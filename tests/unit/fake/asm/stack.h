/*
 * Fake per-CPU stacks for host unit tests: there is one struct cpu_info
 * (fake/cpu.c) and the current CPU is whatever the test set with
 * fake_set_cpu(); smp_processor_id() reads it through get_cpu_info() as
 * on the real hypervisor.
 */
#ifndef ASM_STACK_H
#define ASM_STACK_H

struct cpu_info {
	unsigned int cpu_id;
};

extern struct cpu_info fake_cpu_info;

static inline struct cpu_info *get_cpu_info(void)
{
	return &fake_cpu_info;
}

#endif /* ASM_STACK_H */
