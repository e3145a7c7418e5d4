/*
 * HYPERVISOR_iret: the guest's return from a bounce frame. The guest
 * jumps to the iret slot of its hypercall page with struct iret_context
 * (rax, r11, rcx, flags, rip, cs, rflags, rsp, ss) on its stack.
 *
 * A CS with RPL 3 returns to guest user mode (switching to the user L4,
 * which must exist); otherwise to guest kernel mode. CS and SS get RPL 3
 * forced; the real IF is always set, and the frame's IF becomes the
 * event mask. With VGCF_in_syscall (a sysret-style return) rcx, r11, cs
 * and ss are not restored: rcx and r11 receive rip and rflags, cs and ss
 * the flat 64-bit selectors, as sysret would leave them.
 */
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/processor.h>
#include <asm/pv.h>

/* HYPERVISOR_iret(): restore the interrupted guest context. */
long do_iret(void)
{
	struct vcpu *v = current;
	struct cpu_user_regs *regs = guest_cpu_user_regs();
	struct iret_context ic;

	if (copy_from_guest_raw(&ic, (void *)regs->rsp, sizeof(ic))) {
		domain_crash(v->domain, "iret: unreadable frame at %#lx",
			     regs->rsp);
		return -EFAULT;
	}

	if ((ic.cs & 3) == 3) {
		if (mfn_x(v->arch.guest_table_user) == INVALID_MFN_RAW) {
			domain_crash(v->domain,
				     "iret to user mode without a user L4");
			return -EFAULT;
		}
		if (guest_kernel_mode(v))
			toggle_guest_mode(v);
	}

	if (v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl))
		v->arch.iopl = (ic.rflags & X86_EFLAGS_IOPL) >> 12;

	regs->rip = ic.rip;
	regs->cs = ic.cs | 3;
	regs->rflags = (ic.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
		       X86_EFLAGS_IF;
	regs->rsp = ic.rsp;
	regs->ss = ic.ss | 3;
	if (ic.flags & VGCF_in_syscall) {
		/* What sysret leaves: the frame's cs and ss are discarded. */
		regs->cs = FLAT_RING3_CS64;
		regs->ss = FLAT_RING3_SS64;
		regs->rflags &= ~X86_EFLAGS_RF;
		regs->rcx = ic.rip;
		regs->r11 = regs->rflags;
	} else {
		regs->rcx = ic.rcx;
		regs->r11 = ic.r11;
	}
	if (v->vcpu_info)
		v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
	return (long)ic.rax; /* the dispatcher stores this in rax */
}
