/*
 * What the boot CPU is and can do, read once from CPUID.
 */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <stdbool.h>
#include <stdint.h>

struct cpuinfo {
	char vendor[13];
	char brand[49];
	unsigned int family, model, stepping;
	unsigned int max_leaf, max_ext_leaf;
	uint32_t leaf1_ecx, leaf1_edx, leaf7_ebx, leaf7_ecx;
	uint32_t ext1_ecx, ext1_edx, ext7_edx;
	unsigned int phys_addr_bits, virt_addr_bits;
};

extern struct cpuinfo boot_cpu;

#define CPUID1_ECX_X2APIC (1U << 21)
#define CPUID1_ECX_TSC_DEADLINE (1U << 24)
#define CPUID1_ECX_XSAVE (1U << 26)
#define CPUID1_ECX_HYPERVISOR (1U << 31)
#define CPUID1_EDX_TSC (1U << 4)
#define CPUID1_EDX_APIC (1U << 9)
#define CPUID1_EDX_PGE (1U << 13)
#define CPUID1_EDX_FXSR (1U << 24)
#define CPUID1_EDX_SSE (1U << 25)
#define CPUID7_EBX_FSGSBASE (1U << 0)
#define CPUID7_EBX_SMEP (1U << 7)
#define CPUID7_EBX_SMAP (1U << 20)
#define CPUIDX1_EDX_NX (1U << 20)
#define CPUIDX1_EDX_PAGE1GB (1U << 26)
#define CPUIDX1_EDX_RDTSCP (1U << 27)
#define CPUIDX7_EDX_INVARIANT_TSC (1U << 8)

static inline bool cpu_has_smep(void)
{
	return boot_cpu.leaf7_ebx & CPUID7_EBX_SMEP;
}
static inline bool cpu_has_tsc_deadline(void)
{
	return boot_cpu.leaf1_ecx & CPUID1_ECX_TSC_DEADLINE;
}
static inline bool cpu_has_nx(void)
{
	return boot_cpu.ext1_edx & CPUIDX1_EDX_NX;
}

// arch/x86/cpu.c
void cpu_identify(struct cpuinfo *c);
void cpu_print_info(const struct cpuinfo *c);
void cpu_enable_features(void);

#endif /* ASM_CPUFEATURE_H */
