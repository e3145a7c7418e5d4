/*
 * Fake per-CPU stacks for host unit tests: there is one struct cpu_info
 * (fake/cpu.c) and the current CPU is whatever the test set with
 * fake_set_cpu(); smp_processor_id() reads it through get_cpu_info() as
 * on the real hypervisor, and `current` is whatever vCPU the test put in
 * current_vcpu.
 */
#ifndef ASM_STACK_H
#define ASM_STACK_H

#include <stdint.h>

#include <xen/xen.h>

struct vcpu;

struct cpu_info {
	struct cpu_user_regs guest_regs;
	unsigned int cpu_id;
	struct vcpu *current_vcpu;
};

extern struct cpu_info fake_cpu_info;

static inline struct cpu_info *get_cpu_info(void)
{
	return &fake_cpu_info;
}

#endif /* ASM_STACK_H */
