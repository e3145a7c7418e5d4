/*
 * Where a PV guest wants to be entered: its virtual IDT (set_trap_table),
 * its callbacks (callback_op, set_callbacks), its kernel stack for traps
 * from user mode (stack_switch); and the small per-vCPU state it may set:
 * the virtual CR0.TS (fpu_taskswitch), segment bases (set_segment_base)
 * and VM assists (vm_assist).
 */
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <xen/callback.h>

/*
 * HYPERVISOR_set_trap_table(traps): install entries until one with a zero
 * address; a NULL table clears the whole virtual IDT. Entries before a
 * faulting or non-canonical one stay installed, as in Xen.
 */
long do_set_trap_table(XEN_GUEST_HANDLE_PARAM(const_trap_info_t) traps)
{
	struct vcpu *v = current;
	struct trap_info t;

	if (guest_handle_is_null(traps)) {
		memset(v->arch.trap_ctxt, 0, sizeof(v->arch.trap_ctxt));
		return 0;
	}
	for (unsigned int i = 0; i < 256; i++) {
		if (copy_from_guest_offset(&t, traps, i, 1))
			return -EFAULT;
		if (!t.address)
			return 0;
		if (!is_canonical_address(t.address))
			return -EINVAL;
		t.cs |= 3;
		v->arch.trap_ctxt[t.vector] = t;
	}
	return 0;
}

/*
 * Flag bits other than CALLBACKF_mask_events are ignored, not refused:
 * Xen ignores them, and guests written for Xen may pass them.
 */
static int register_callback(struct vcpu *v, const struct callback_register *r)
{
	if (!is_canonical_address(r->address))
		return -EINVAL;
	switch (r->type) {
	case CALLBACKTYPE_event: v->arch.event_callback = r->address; break;
	case CALLBACKTYPE_failsafe:
		v->arch.failsafe_callback = r->address;
		break;
	case CALLBACKTYPE_syscall: v->arch.syscall_callback = r->address; break;
	case CALLBACKTYPE_syscall32:
		v->arch.syscall32_callback = r->address;
		break;
	case CALLBACKTYPE_sysenter:
		v->arch.sysenter_callback = r->address;
		break;
	case CALLBACKTYPE_nmi:
		/* Kept as Xen keeps it; no NMI is delivered to guests yet. */
		v->arch.trap_ctxt[X86_EXC_NMI] = (struct trap_info){
			.vector = X86_EXC_NMI,
			.flags = 4, /* mask events */
			.cs = FLAT_KERNEL_CS,
			.address = r->address,
		};
		return 0;
	default: return -ENOSYS;
	}
	if (r->flags & CALLBACKF_mask_events)
		v->arch.callback_flags |= 1UL << r->type;
	else
		v->arch.callback_flags &= ~(1UL << r->type);
	return 0;
}

/* Only the NMI callback can be removed; the others only replaced. */
static int unregister_callback(struct vcpu *v, unsigned int type)
{
	switch (type) {
	case CALLBACKTYPE_event:
	case CALLBACKTYPE_failsafe:
	case CALLBACKTYPE_syscall:
	case CALLBACKTYPE_syscall32:
	case CALLBACKTYPE_sysenter: return -EINVAL;
	case CALLBACKTYPE_nmi:
		memset(&v->arch.trap_ctxt[X86_EXC_NMI], 0,
		       sizeof(v->arch.trap_ctxt[X86_EXC_NMI]));
		return 0;
	default: return -ENOSYS;
	}
}

/*
 * HYPERVISOR_callback_op(cmd, arg): register a callback (event,
 * failsafe, syscall, syscall32, sysenter, NMI), or unregister the NMI one.
 */
long do_callback_op(int cmd, XEN_GUEST_HANDLE_PARAM(const_void) arg)
{
	struct callback_register reg;
	struct callback_unregister unreg;

	switch (cmd) {
	case CALLBACKOP_register:
		if (copy_from_guest_raw(&reg, arg.p, sizeof(reg)))
			return -EFAULT;
		return register_callback(current, &reg);
	case CALLBACKOP_unregister:
		if (copy_from_guest_raw(&unreg, arg.p, sizeof(unreg)))
			return -EFAULT;
		return unregister_callback(current, unreg.type);
	default: return -ENOSYS;
	}
}

/* HYPERVISOR_set_callbacks(event, failsafe, syscall): the old interface. */
long do_set_callbacks(unsigned long event, unsigned long failsafe,
		      unsigned long syscall)
{
	struct callback_register r[] = {
		{.type = CALLBACKTYPE_event, .address = event},
		{.type = CALLBACKTYPE_failsafe, .address = failsafe},
		{.type = CALLBACKTYPE_syscall, .address = syscall},
	};

	for (size_t i = 0; i < ARRAY_SIZE(r); i++)
		register_callback(current, &r[i]);
	return 0;
}

/* HYPERVISOR_stack_switch(ss, sp): the kernel stack for user-mode traps. */
long do_stack_switch(unsigned long ss, unsigned long esp)
{
	current->arch.kernel_ss = ss | 3;
	current->arch.kernel_sp = esp;
	return 0;
}

/* HYPERVISOR_fpu_taskswitch(set): set or clear the virtual CR0.TS. */
long do_fpu_taskswitch(int set)
{
	pv_set_fpu_ts(current, set != 0);
	return 0;
}

/*
 * HYPERVISOR_set_segment_base(which, base): FS base, kernel or user GS
 * base, or load the user %gs selector. Bases must be canonical.
 */
long do_set_segment_base(unsigned int which, unsigned long base)
{
	struct vcpu *v = current;
	bool kernel = guest_kernel_mode(v);
	uint16_t sel;

	switch (which) {
	case SEGBASE_FS:
		if (!is_canonical_address(base))
			return -EINVAL;
		wrmsr(MSR_FS_BASE, base);
		v->arch.fs_base = base;
		return 0;
	case SEGBASE_GS_USER:
		if (!is_canonical_address(base))
			return -EINVAL;
		wrmsr(kernel ? MSR_SHADOW_GS_BASE : MSR_GS_BASE, base);
		v->arch.gs_base_user = base;
		return 0;
	case SEGBASE_GS_KERNEL:
		if (!is_canonical_address(base))
			return -EINVAL;
		wrmsr(kernel ? MSR_GS_BASE : MSR_SHADOW_GS_BASE, base);
		v->arch.gs_base_kernel = base;
		return 0;
	case SEGBASE_GS_USER_SEL:
		/*
		 * Load the selector, RPL 3 forced as in Xen, with the user GS
		 * base live; a refused one leaves the null selector.
		 */
		sel = (uint16_t)base;
		if (sel > 3)
			sel |= 3;
		if (kernel)
			__asm__ __volatile__("swapgs");
		if (!load_segment_selector(3, sel))
			sel = 0;
		v->arch.gs = sel;
		v->arch.gs_base_user = rdmsr(MSR_GS_BASE);
		if (kernel)
			__asm__ __volatile__("swapgs");
		return 0;
	default: return -EINVAL;
	}
}

/* The 32-bit guests' assists are accepted too, as Xen does; they do nothing. */
#define VM_ASSIST_PV_VALID                                                     \
	((1UL << VMASST_TYPE_4gb_segments) |                                   \
	 (1UL << VMASST_TYPE_4gb_segments_notify) |                            \
	 (1UL << VMASST_TYPE_pae_extended_cr3) |                               \
	 (1UL << VMASST_TYPE_architectural_iopl) |                             \
	 (1UL << VMASST_TYPE_runstate_update_flag) |                           \
	 (1UL << VMASST_TYPE_m2p_strict))

/*
 * HYPERVISOR_vm_assist(cmd, type): enable or disable an assist. Paravane
 * does not emulate guest writes to page tables, so writable_pagetables
 * is refused; guests use mmu_update.
 */
long do_vm_assist(unsigned int cmd, unsigned int type)
{
	struct domain *d = current->domain;

	if (type >= 64 || !(VM_ASSIST_PV_VALID & (1UL << type)))
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		__atomic_fetch_or(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
		return 0;
	case VMASST_CMD_disable:
		__atomic_fetch_and(&d->vm_assist, ~(1UL << type),
				   __ATOMIC_SEQ_CST);
		return 0;
	default: return -ENOSYS;
	}
}
