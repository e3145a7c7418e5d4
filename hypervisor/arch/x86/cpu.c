/*
 * CPU identification and the control-register features Paravane turns
 * on: global pages (hypervisor mappings survive guest CR3 switches),
 * SSE state for guests (OSFXSR), supervisor-mode execution and access
 * prevention (the hypervisor never runs guest code, and touches guest
 * memory only inside the copy routines) and write protection in ring 0.
 */
#include <hv/lib.h>

#include <asm/cpufeature.h>
#include <asm/extable.h>
#include <asm/msr.h>
#include <asm/processor.h>

struct cpuinfo boot_cpu;

static void read_brand(struct cpuinfo *c)
{
	uint32_t *b = (uint32_t *)c->brand;
	const char *s = c->brand;

	if (c->max_ext_leaf < 0x80000004) {
		strlcpy(c->brand, "unknown", sizeof(c->brand));
		return;
	}
	for (uint32_t leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
		struct cpuid_regs r = cpuid(leaf);

		*b++ = r.eax, *b++ = r.ebx, *b++ = r.ecx, *b++ = r.edx;
	}
	c->brand[48] = '\0';
	while (*s == ' ')
		s++;
	memmove(c->brand, s, strlen(s) + 1);
}

/* Fill *c from CPUID on the running CPU. */
void cpu_identify(struct cpuinfo *c)
{
	struct cpuid_regs r = cpuid(0);
	unsigned int fam, model;

	memset(c, 0, sizeof(*c));
	c->max_leaf = r.eax;
	memcpy(c->vendor + 0, &r.ebx, 4);
	memcpy(c->vendor + 4, &r.edx, 4);
	memcpy(c->vendor + 8, &r.ecx, 4);

	r = cpuid(1);
	fam = (r.eax >> 8) & 0xf;
	model = (r.eax >> 4) & 0xf;
	if (fam == 0xf)
		fam += (r.eax >> 20) & 0xff;
	if (fam >= 6)
		model |= ((r.eax >> 16) & 0xf) << 4;
	c->family = fam;
	c->model = model;
	c->stepping = r.eax & 0xf;
	c->leaf1_ecx = r.ecx;
	c->leaf1_edx = r.edx;

	if (c->max_leaf >= 7) {
		r = cpuid_count(7, 0);
		c->leaf7_ebx = r.ebx;
		c->leaf7_ecx = r.ecx;
	}

	c->max_ext_leaf = cpuid(0x80000000).eax;
	if (c->max_ext_leaf >= 0x80000001) {
		r = cpuid(0x80000001);
		c->ext1_ecx = r.ecx;
		c->ext1_edx = r.edx;
	}
	if (c->max_ext_leaf >= 0x80000007)
		c->ext7_edx = cpuid(0x80000007).edx;
	if (c->max_ext_leaf >= 0x80000008) {
		r = cpuid(0x80000008);
		c->phys_addr_bits = r.eax & 0xff;
		c->virt_addr_bits = (r.eax >> 8) & 0xff;
	} else {
		c->phys_addr_bits = 36;
		c->virt_addr_bits = 48;
	}
	read_brand(c);
}

/* Log the CPU's identity and the features Paravane cares about. */
void cpu_print_info(const struct cpuinfo *c)
{
	pr_info("CPU: %s, %s (family %#x model %#x stepping %u)\n", c->vendor,
		c->brand, c->family, c->model, c->stepping);
	pr_info("CPU: %u-bit physical / %u-bit virtual addresses; features:%s%s%s%s%s%s%s%s\n",
		c->phys_addr_bits, c->virt_addr_bits,
		c->ext1_edx & CPUIDX1_EDX_NX ? " nx" : "",
		c->leaf1_edx & CPUID1_EDX_PGE ? " pge" : "",
		c->leaf7_ebx & CPUID7_EBX_SMEP ? " smep" : "",
		c->leaf7_ebx & CPUID7_EBX_SMAP ? " smap" : "",
		c->leaf1_ecx & CPUID1_ECX_X2APIC ? " x2apic" : "",
		c->leaf1_ecx & CPUID1_ECX_TSC_DEADLINE ? " tsc-deadline" : "",
		c->ext7_edx & CPUIDX7_EDX_INVARIANT_TSC ? " invariant-tsc" : "",
		c->leaf1_ecx & CPUID1_ECX_HYPERVISOR ? " (virtualized)" : "");
}

/* Turn on the control-register features of the running CPU. */
void cpu_enable_features(void)
{
	uint64_t cr4 = read_cr4();

	if (!(boot_cpu.leaf1_edx & CPUID1_EDX_FXSR) ||
	    !(boot_cpu.leaf1_edx & CPUID1_EDX_SSE))
		panic("CPU lacks FXSR/SSE, which x86_64 guests need\n");
	if (!cpu_has_nx())
		panic("CPU lacks NX (no-execute pages), which Paravane needs\n");
	cr4 |= X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	if (boot_cpu.leaf1_edx & CPUID1_EDX_PGE)
		cr4 |= X86_CR4_PGE;
	if (cpu_has_smep())
		cr4 |= X86_CR4_SMEP;
	if (boot_cpu.leaf7_ebx & CPUID7_EBX_SMAP) {
		cr4 |= X86_CR4_SMAP;
		smap_enabled = true;
	}
	write_cr4(cr4);
	write_cr0(read_cr0() | X86_CR0_WP | X86_CR0_NE | X86_CR0_MP);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}
