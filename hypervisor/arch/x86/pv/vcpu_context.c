/*
 * A PV vCPU's whole context as Xen's struct vcpu_guest_context: loaded by
 * VCPUOP_initialise and XEN_DOMCTL_setvcpucontext, read back by
 * XEN_DOMCTL_getvcpucontext. Everything that comes in is checked like
 * the hypercall that would set it one piece at a time: selectors get RPL
 * 3, addresses must be canonical, the top-level tables must validate as
 * L4s of the domain, the GDT frames as descriptor pages.
 */
#include <hv/lib.h>
#include <hv/sched.h>
#include <xen/callback.h>

#include <asm/guest_access.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define VM_ASSIST_PV_MASK                                                      \
	((1UL << VMASST_TYPE_architectural_iopl) |                             \
	 (1UL << VMASST_TYPE_runstate_update_flag) |                           \
	 (1UL << VMASST_TYPE_m2p_strict))
#define KNOWN_VGCF                                                             \
	(VGCF_i387_valid | VGCF_in_kernel | VGCF_failsafe_disables_events |    \
	 VGCF_syscall_disables_events | VGCF_online)

static bool canonical(unsigned long a)
{
	return (unsigned long)((long)(a << 16) >> 16) == a;
}

static int take_l4(struct domain *d, unsigned long cr3, mfn_t *out)
{
	mfn_t m = _mfn(xen_cr3_to_pfn(cr3));

	if (!mfn_valid(m))
		return -EINVAL;
	if (get_page_and_type(mfn_to_page(m), d, PGT_l4_page_table))
		return -EINVAL;
	*out = m;
	return 0;
}

static void drop_table(mfn_t *t)
{
	if (mfn_x(*t) != INVALID_MFN_RAW)
		put_page_and_type(mfn_to_page(*t));
	*t = _mfn(INVALID_MFN_RAW);
}

/*
 * Load vCPU v (not running) from c. Returns 0 or -errno; on failure v
 * keeps its previous context.
 */
int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct domain *d = v->domain;
	mfn_t l4 = _mfn(INVALID_MFN_RAW), ul4 = _mfn(INVALID_MFN_RAW);
	const struct cpu_user_regs *r = &c->user_regs;
	int rc;

	if ((c->flags & ~KNOWN_VGCF) || c->ldt_ents ||
	    c->gdt_ents > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	if (!canonical(r->rip) || !canonical(r->rsp) ||
	    !canonical(c->fs_base) || !canonical(c->gs_base_kernel) ||
	    !canonical(c->gs_base_user) || !canonical(c->kernel_sp) ||
	    !canonical(c->event_callback_eip) ||
	    !canonical(c->failsafe_callback_eip) ||
	    !canonical(c->syscall_callback_eip))
		return -EINVAL;
	if (c->vm_assist & ~VM_ASSIST_PV_MASK)
		return -EINVAL;
	rc = take_l4(d, c->ctrlreg[3], &l4);
	if (rc)
		return rc;
	if (c->ctrlreg[1]) {
		rc = take_l4(d, c->ctrlreg[1], &ul4);
		if (rc)
			goto err_l4;
	}
	rc = (int)pv_set_gdt(v, c->gdt_frames, c->gdt_ents);
	if (rc)
		goto err_ul4;

	drop_table(&v->arch.guest_table);
	drop_table(&v->arch.guest_table_user);
	v->arch.guest_table = l4;
	v->arch.guest_table_user = ul4;

	v->arch.user_regs = *r;
	v->arch.user_regs.cs |= 3;
	v->arch.user_regs.ss |= 3;
	v->arch.user_regs.rflags =
		(r->rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
		X86_EFLAGS_IF;
	for (unsigned int i = 0; i < 256; i++) {
		v->arch.trap_ctxt[i] = c->trap_ctxt[i];
		v->arch.trap_ctxt[i].cs |= 3;
	}
	v->arch.kernel_ss = c->kernel_ss | 3;
	v->arch.kernel_sp = c->kernel_sp;
	v->arch.event_callback = c->event_callback_eip;
	v->arch.failsafe_callback = c->failsafe_callback_eip;
	v->arch.syscall_callback = c->syscall_callback_eip;
	v->arch.callback_flags = 0;
	if (c->flags & VGCF_failsafe_disables_events)
		v->arch.callback_flags |= 1UL << CALLBACKTYPE_failsafe;
	if (c->flags & VGCF_syscall_disables_events)
		v->arch.callback_flags |= 1UL << CALLBACKTYPE_syscall;
	v->arch.fs_base = c->fs_base;
	v->arch.gs_base_kernel = c->gs_base_kernel;
	v->arch.gs_base_user = c->gs_base_user;
	v->arch.ds = v->arch.es = v->arch.fs = v->arch.gs = 0;
	v->arch.flags = (c->flags & VGCF_in_kernel) ? TF_kernel_mode : 0;
	if (c->flags & VGCF_i387_valid)
		memcpy(v->arch.fpu_ctxt, c->fpu_ctxt.x,
		       sizeof(v->arch.fpu_ctxt));
	v->arch.virtual_ts = (c->ctrlreg[0] & X86_CR0_TS) != 0;
	if (v->vcpu_id == 0) /* Xen: only vCPU 0's context sets the assists */
		d->vm_assist = c->vm_assist;
	v->is_initialised = true;
	return 0;

err_ul4:
	drop_table(&ul4);
err_l4:
	drop_table(&l4);
	return rc;
}

/* Fill c with the context of v (not running). */
void arch_get_info_guest(const struct vcpu *v, struct vcpu_guest_context *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->fpu_ctxt.x, v->arch.fpu_ctxt, sizeof(c->fpu_ctxt.x));
	c->flags = VGCF_i387_valid |
		   (guest_kernel_mode(v) ? VGCF_in_kernel : 0) |
		   (v->pause_flags & VPF_down ? 0 : VGCF_online);
	c->user_regs = v->arch.user_regs;
	memcpy(c->trap_ctxt, v->arch.trap_ctxt, sizeof(c->trap_ctxt));
	for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++)
		c->gdt_frames[i] = v->arch.gdt_frames[i];
	c->gdt_ents = v->arch.gdt_ents;
	c->kernel_ss = v->arch.kernel_ss;
	c->kernel_sp = v->arch.kernel_sp;
	c->ctrlreg[0] = X86_CR0_PE | X86_CR0_PG | X86_CR0_WP |
			(v->arch.virtual_ts ? X86_CR0_TS : 0);
	if (mfn_x(v->arch.guest_table) != INVALID_MFN_RAW)
		c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(v->arch.guest_table));
	if (mfn_x(v->arch.guest_table_user) != INVALID_MFN_RAW)
		c->ctrlreg[1] = xen_pfn_to_cr3(mfn_x(v->arch.guest_table_user));
	c->ctrlreg[4] = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	c->debugreg[6] = v->arch.dr6;
	c->debugreg[7] = v->arch.dr7;
	c->event_callback_eip = v->arch.event_callback;
	c->failsafe_callback_eip = v->arch.failsafe_callback;
	c->syscall_callback_eip = v->arch.syscall_callback;
	c->vm_assist = v->domain->vm_assist;
	c->fs_base = v->arch.fs_base;
	c->gs_base_kernel = v->arch.gs_base_kernel;
	c->gs_base_user = v->arch.gs_base_user;
}
