/*
 * Several CPUs: bringing up the application processors, inter-processor
 * interrupts and TLB shootdown.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#define TRAMPOLINE_PHYS 0x8000

#ifndef __ASSEMBLY__
#include <hv/percpu.h>
#include <stdbool.h>
#include <stdint.h>

typedef uint64_t cpumask_t; /* one bit per CPU; NR_CPUS is 64 */

struct trampoline_data {
	uint64_t cr3, entry, stack;
};

extern cpumask_t cpu_online_map;
extern unsigned int nr_online_cpus;

/* How many CPUs m holds (no popcnt: the build targets baseline x86_64). */
static inline unsigned int cpumask_weight(cpumask_t m)
{
	unsigned int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

static inline bool cpu_online(unsigned int cpu)
{
	return (__atomic_load_n(&cpu_online_map, __ATOMIC_ACQUIRE) >> cpu) & 1;
}

// arch/x86/smpboot.c
void smp_boot_cpus(void);

// arch/x86/smp.c
void smp_init(void);
void smp_send_event_check(unsigned int cpu);
void flush_tlb_mask(cpumask_t mask);
void smp_call_function(cpumask_t mask, void (*fn)(void *), void *arg);
#endif

#endif /* ASM_SMP_H */
