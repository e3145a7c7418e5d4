/*
 * x86 domain and vCPU state: the per-domain area (GDT windows), guest
 * mode switching, and context switches between vCPUs.
 *
 * A context switch saves the outgoing guest's registers (from the CPU's
 * guest frame), segment state and FPU, loads the incoming one's, and then
 * restarts this CPU's stack in either the idle loop or the exit path to
 * the guest; no context-switch frame survives on any stack. A guest runs
 * with its own L4 in CR3 (its user L4 when in guest user mode); the
 * hypervisor's slots are the same in every L4.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/vcpu_time.h>

#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define WINDOW_PAGES (1U << (GDT_LDT_VCPU_SHIFT - PAGE_SHIFT)) /* 32 */
#define WINDOWS_PER_L1 (PT_ENTRIES / WINDOW_PAGES)	       /* 16 */

static void *zeroed_page(void)
{
	void *p = alloc_xenheap_pages(0);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/* Build the domain's slot-260 tables: one L3, one L2, L1s for windows. */
int arch_domain_create(struct domain *d)
{
	unsigned int nr_l1 = DIV_ROUND_UP(d->max_vcpus, WINDOWS_PER_L1);
	unsigned int l2i = l2_index(PERDOMAIN_VIRT_START);

	if (nr_l1 > ARRAY_SIZE(d->arch.perdomain_l1))
		return -EINVAL;
	d->arch.perdomain_l3 = zeroed_page();
	d->arch.perdomain_l2 = zeroed_page();
	if (!d->arch.perdomain_l3 || !d->arch.perdomain_l2)
		goto err_free;
	d->arch.perdomain_l3[l3_index(PERDOMAIN_VIRT_START)] =
		pte_from_mfn(virt_to_mfn(d->arch.perdomain_l2), PAGE_HV_TABLE);
	for (unsigned int i = 0; i < nr_l1; i++) {
		d->arch.perdomain_l1[i] = zeroed_page();
		if (!d->arch.perdomain_l1[i])
			goto err_free;
		d->arch.perdomain_l2[l2i + i] = pte_from_mfn(
			virt_to_mfn(d->arch.perdomain_l1[i]), PAGE_HV_TABLE);
	}
	if (d->is_privileged) {
		d->arch.ioports_allowed = true;
		d->arch.iomem_allowed = true;
	}
	return 0;

err_free:
	arch_domain_destroy(d);
	return -ENOMEM;
}

/* Free the per-domain tables. */
void arch_domain_destroy(struct domain *d)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(d->arch.perdomain_l1); i++) {
		free_xenheap_pages(d->arch.perdomain_l1[i], 0);
		d->arch.perdomain_l1[i] = NULL;
	}
	free_xenheap_pages(d->arch.perdomain_l2, 0);
	free_xenheap_pages(d->arch.perdomain_l3, 0);
	d->arch.perdomain_l2 = NULL;
	d->arch.perdomain_l3 = NULL;
}

static const uint8_t default_fpu_image[32] = {
	[0] = 0x7f,  [1] = 0x03,  /* FCW: all exceptions masked */
	[24] = 0x80, [25] = 0x1f, /* MXCSR 0x1f80 */
	[28] = 0xff, [29] = 0xff, /* MXCSR_MASK */
};

/* Give a new vCPU its initial x86 state. */
int arch_vcpu_create(struct vcpu *v)
{
	v->arch.guest_table = _mfn(INVALID_MFN_RAW);
	v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
	v->arch.flags = TF_kernel_mode;
	v->arch.gdt_mapped_cpu = -1;
	memset(v->arch.fpu_ctxt, 0, sizeof(v->arch.fpu_ctxt));
	memcpy(v->arch.fpu_ctxt, default_fpu_image, sizeof(default_fpu_image));
	v->arch.dr6 = 0xffff0ff0;
	v->arch.dr7 = 0x400;
	return 0;
}

/*
 * Fill the vCPU's GDT window: the guest's frames (or the zero page) in
 * pages 0-13, the reserved page of the CPU it runs on in page 14.
 */
void pv_map_gdt(struct vcpu *v)
{
	struct domain *d = v->domain;
	uint64_t *l1 = d->arch.perdomain_l1[v->vcpu_id / WINDOWS_PER_L1];
	unsigned int base = (v->vcpu_id % WINDOWS_PER_L1) * WINDOW_PAGES;
	uintptr_t va = GDT_VIRT(v->vcpu_id);

	for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++) {
		unsigned long f = v->arch.gdt_frames[i];

		l1[base + i] = f ? pte_from_mfn(_mfn(f), PAGE_HV_RW_LOCAL)
				 : pte_from_mfn(virt_to_mfn(gdt_zero_page),
						PAGE_HV_RO_LOCAL);
	}
	l1[base + FIRST_RESERVED_GDT_PAGE] = pte_from_mfn(
		virt_to_mfn(percpu_area[v->processor].gdt_reserved),
		PAGE_HV_RW_LOCAL);
	v->arch.gdt_mapped_cpu = (int)v->processor;
	if (current == v)
		for (unsigned int i = 0; i < GDT_PAGES; i++)
			invlpg((void *)(va + i * PAGE_SIZE));
}

/* Load CR3 for the vCPU's current guest mode. */
void write_guest_cr3(struct vcpu *v)
{
	mfn_t t = guest_kernel_mode(v) ? v->arch.guest_table
				       : v->arch.guest_table_user;

	if (mfn_x(t) == INVALID_MFN_RAW)
		write_cr3(paddr_x(virt_to_maddr(idle_l4)));
	else
		write_cr3(paddr_x(mfn_to_paddr(t)));
}

/*
 * Switch the running vCPU between guest kernel and guest user mode: the
 * other top-level table, and the other GS base (kept in the shadow MSR).
 */
void toggle_guest_mode(struct vcpu *v)
{
	ASSERT(v == current);
	v->arch.flags ^= TF_kernel_mode;
	__asm__ __volatile__("swapgs" ::: "memory");
	write_guest_cr3(v);
}

/* Set or clear the guest's virtual CR0.TS (and the real one with it). */
void pv_set_fpu_ts(struct vcpu *v, bool ts)
{
	v->arch.virtual_ts = ts;
	if (v == current)
		write_cr0(ts ? read_cr0() | X86_CR0_TS
			     : read_cr0() & ~X86_CR0_TS);
}

static void fpu_save(struct vcpu *v)
{
	__asm__ __volatile__("clts; fxsave64 %0" : "=m"(v->arch.fpu_ctxt));
}

static void fpu_restore(struct vcpu *v)
{
	__asm__ __volatile__("clts; fxrstor64 %0" ::"m"(v->arch.fpu_ctxt));
	if (v->arch.virtual_ts)
		write_cr0(read_cr0() | X86_CR0_TS);
}

static uint16_t read_sel(int which)
{
	uint16_t s = 0;

	switch (which) {
	case 0: __asm__ __volatile__("mov %%ds, %0" : "=r"(s)); break;
	case 1: __asm__ __volatile__("mov %%es, %0" : "=r"(s)); break;
	case 2: __asm__ __volatile__("mov %%fs, %0" : "=r"(s)); break;
	default: __asm__ __volatile__("mov %%gs, %0" : "=r"(s)); break;
	}
	return s;
}

static void save_segments(struct vcpu *v)
{
	unsigned long active = rdmsr(MSR_GS_BASE);
	unsigned long shadow = rdmsr(MSR_SHADOW_GS_BASE);

	v->arch.ds = read_sel(0);
	v->arch.es = read_sel(1);
	v->arch.fs = read_sel(2);
	v->arch.gs = read_sel(3);
	v->arch.fs_base = rdmsr(MSR_FS_BASE);
	v->arch.gs_base_kernel = guest_kernel_mode(v) ? active : shadow;
	v->arch.gs_base_user = guest_kernel_mode(v) ? shadow : active;
}

static void load_segments(struct vcpu *v)
{
	bool ok = load_segment_selector(0, v->arch.ds) &&
		  load_segment_selector(1, v->arch.es) &&
		  load_segment_selector(2, v->arch.fs) &&
		  load_segment_selector(3, v->arch.gs);

	wrmsr(MSR_FS_BASE, v->arch.fs_base);
	wrmsr(MSR_GS_BASE, guest_kernel_mode(v) ? v->arch.gs_base_kernel
						: v->arch.gs_base_user);
	wrmsr(MSR_SHADOW_GS_BASE, guest_kernel_mode(v)
					  ? v->arch.gs_base_user
					  : v->arch.gs_base_kernel);
	if (!ok)
		pv_deliver_failsafe(v, guest_cpu_user_regs());
}

/*
 * next now runs here with its page tables loaded: refresh what the
 * hypervisor keeps in its memory (time, the runstate copy).
 */
static void vcpu_switched_in(struct vcpu *next)
{
	update_vcpu_system_time(next);
	if (next->runstate_area)
		copy_to_guest_raw((void *)next->runstate_area, &next->runstate,
				  sizeof(next->runstate));
}

/*
 * After the switch to next's page tables: if prev's domain no longer runs
 * here, this CPU holds none of its translations (guest mappings are never
 * global), so its TLB shootdowns may leave this CPU out.
 */
static void leave_domain(const struct vcpu *prev, const struct vcpu *next,
			 unsigned int cpu)
{
	if (!is_idle_vcpu(prev) && prev->domain != next->domain)
		__atomic_fetch_and(&prev->domain->dirty_cpumask, ~(1UL << cpu),
				   __ATOMIC_SEQ_CST);
}

/*
 * Stop running prev and start running next on this CPU. Never returns:
 * the CPU continues in next's context on a fresh stack.
 */
void context_switch(struct vcpu *prev, struct vcpu *next)
{
	unsigned int cpu = smp_processor_id();

	local_irq_disable();
	if (prev != next && !is_idle_vcpu(prev)) {
		prev->arch.user_regs = *guest_cpu_user_regs();
		save_segments(prev);
		fpu_save(prev);
	}
	sched_context_switched(prev, next);

	if (is_idle_vcpu(next)) {
		write_cr3(paddr_x(virt_to_maddr(idle_l4)));
		leave_domain(prev, next, cpu);
		reset_stack_and_jump(percpu_area[cpu].stack_block, idle_loop);
	}

	if (prev != next) {
		struct desc_ptr gdt = {GDT_LIMIT, GDT_VIRT(next->vcpu_id)};

		if (next->arch.gdt_mapped_cpu != (int)cpu)
			pv_map_gdt(next);
		__atomic_fetch_or(&next->domain->dirty_cpumask, 1UL << cpu,
				  __ATOMIC_SEQ_CST);
		write_guest_cr3(next);
		leave_domain(prev, next, cpu);
		lgdt(&gdt);
		*guest_cpu_user_regs() = next->arch.user_regs;
		fpu_restore(next);
		load_segments(next);
		vcpu_switched_in(next);
	}
	reset_stack_and_jump(percpu_area[cpu].stack_block, exit_to_guest);
}
