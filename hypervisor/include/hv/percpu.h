/*
 * Per-CPU identity. Every CPU runs on its own stack block, whose top
 * holds struct cpu_info (asm/stack.h); the CPU number comes from there,
 * so it is valid on any stack of the CPU and needs no segment register.
 */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include <asm/stack.h>

#define NR_CPUS 64

static inline unsigned int smp_processor_id(void)
{
	return get_cpu_info()->cpu_id;
}

#endif /* HV_PERCPU_H */
