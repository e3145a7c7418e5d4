/*
 * The CPUID view of PV guests. A PV guest sees it through the forced
 * emulation prefix (ud2; "xen"; cpuid), which traps: the hypervisor
 * leaves 0x40000000+ announce Xen's interface (signature, version 4.17,
 * one hypercall page), and the native leaves are filtered down to what a
 * ring-3 PV kernel may use: no virtualization extensions, no monitor/mwait,
 * no large pages, no XSAVE/AVX state (the hypervisor saves FXSAVE state
 * only), no x2APIC or TSC deadline, and the hypervisor bit set.
 */
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <xen/arch-x86/cpuid.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17

/* CPUID.1:ECX bits kept: SSE3, PCLMUL, SSSE3, FMA? no (AVX), CX16, SSE4.x, MOVBE, POPCNT, AES, RDRAND. */
#define LEAF1_ECX_KEEP                                                         \
	((1U << 0) | (1U << 1) | (1U << 9) | (1U << 13) | (1U << 19) |         \
	 (1U << 20) | (1U << 22) | (1U << 23) | (1U << 25) | (1U << 30))
/* CPUID.1:EDX bits dropped: VME, PSE, MCE, MTRR, PSE36, DS, ACPI, TM, PBE. */
#define LEAF1_EDX_DROP                                                         \
	((1U << 1) | (1U << 3) | (1U << 7) | (1U << 12) | (1U << 17) |         \
	 (1U << 21) | (1U << 22) | (1U << 29) | (1U << 31))
/* CPUID.7.0:EBX bits kept: BMI1, BMI2, ERMS, ADX, CLFLUSHOPT, SHA. */
#define LEAF7_EBX_KEEP                                                         \
	((1U << 3) | (1U << 8) | (1U << 9) | (1U << 19) | (1U << 23) |         \
	 (1U << 29))
/* CPUID.80000001:EDX bits dropped: 1 GiB pages. */
#define EXT1_EDX_DROP (1U << 26)
/* CPUID.80000001:ECX bits dropped: SVM, extended APIC, monitorx. */
#define EXT1_ECX_DROP ((1U << 2) | (1U << 3) | (1U << 29))

static struct cpuid_regs hypervisor_leaf(uint32_t idx)
{
	struct cpuid_regs r = {0};

	switch (idx) {
	case 0:
		r.eax = XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES);
		r.ebx = XEN_CPUID_SIGNATURE_EBX;
		r.ecx = XEN_CPUID_SIGNATURE_ECX;
		r.edx = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 1: r.eax = (XEN_MAJOR << 16) | XEN_MINOR; break;
	case 2:
		r.eax = 1;		      /* hypercall pages */
		r.ebx = XEN_CPUID_FIRST_LEAF; /* MSR base (unused by PV) */
		r.ecx = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
		break;
	case 5:
		r.ebx = boot_cpu.phys_addr_bits &
			XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK;
		break;
	default: break;
	}
	return r;
}

/* The CPUID leaf (and subleaf) as a PV guest should see it. */
struct cpuid_regs pv_guest_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	if (leaf >= XEN_CPUID_FIRST_LEAF &&
	    leaf <= XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES))
		return hypervisor_leaf(leaf - XEN_CPUID_FIRST_LEAF);
	if ((leaf >= XEN_CPUID_FIRST_LEAF && leaf < 0x80000000) ||
	    (leaf < 0x80000000 && leaf > boot_cpu.max_leaf) ||
	    (leaf >= 0x80000000 && leaf > boot_cpu.max_ext_leaf))
		return (struct cpuid_regs){0};

	r = cpuid_count(leaf, subleaf);
	switch (leaf) {
	case 1:
		r.ecx = (r.ecx & LEAF1_ECX_KEEP) | CPUID1_ECX_HYPERVISOR;
		r.edx &= ~LEAF1_EDX_DROP;
		break;
	case 5: /* monitor/mwait */
	case 6: /* power management */
	case 0xd: /* XSAVE state */ r = (struct cpuid_regs){0}; break;
	case 7:
		if (subleaf == 0) {
			r.ebx &= LEAF7_EBX_KEEP;
			r.eax = 0;
		} else {
			r.ebx = 0;
		}
		r.ecx = 0;
		r.edx = 0;
		break;
	case 0x80000001:
		r.ecx &= ~EXT1_ECX_DROP;
		r.edx &= ~EXT1_EDX_DROP;
		break;
	default: break;
	}
	return r;
}
