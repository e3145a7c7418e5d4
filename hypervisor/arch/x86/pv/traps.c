/*
 * Delivering exceptions and events to PV guests ("bouncing").
 *
 * A trap in a guest enters the hypervisor; if it is the guest's to
 * handle, we write a frame on the guest kernel's stack and resume the
 * guest at its handler (from set_trap_table or callback_op). The frame,
 * low to high address, is Xen's:
 *
 *   rcx, r11, [error code], rip, cs | saved_upcall_mask << 32, rflags,
 *   rsp, ss
 *
 * and the failsafe callback's (a data selector that cannot be reloaded
 * on a context switch): rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp,
 * ss. A return frame the CPU refuses is not the failsafe callback's: as
 * in Xen, the guest takes that fault where it was returning to.
 *
 * From guest user mode we first switch to guest kernel mode and use the
 * kernel stack from stack_switch; from kernel mode we use the interrupted
 * stack and clear the RPL of the saved CS, which is how the guest tells
 * the two apart. A frame that cannot be written crashes the domain (and
 * only it).
 */
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/symbols.h>

#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/page_type.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <hv/traps.h>
#include <xen/callback.h>

#define FRAME_MAX_WORDS 11

static bool vector_has_error_code(unsigned int v)
{
	return v == X86_EXC_DF || (v >= X86_EXC_TS && v <= X86_EXC_PF) ||
	       v == X86_EXC_AC;
}

/*
 * Write a bounce frame for v (running here, registers in regs) and
 * point regs at target in guest kernel mode. 0, or -EFAULT after crashing
 * the domain when the frame cannot be written.
 */
int pv_create_bounce_frame(struct vcpu *v, struct cpu_user_regs *regs,
			   unsigned long target, unsigned int flags,
			   uint32_t error_code)
{
	struct vcpu_info *vi = v->vcpu_info;
	uint8_t mask = vi ? vi->evtchn_upcall_mask : 1;
	unsigned long frame[FRAME_MAX_WORDS], cs = regs->cs, rsp, rflags;
	unsigned int n = 0;

	if (!guest_kernel_mode(v)) {
		toggle_guest_mode(v);
		rsp = v->arch.kernel_sp;
	} else {
		rsp = regs->rsp;
		cs &= ~3UL;
	}
	rsp &= ~0xfUL;

	rflags = regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL);
	if (!mask)
		rflags |= X86_EFLAGS_IF;
	if (v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl))
		rflags |= (unsigned long)v->arch.iopl << 12;

	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (flags & TBF_FAILSAFE) {
		frame[n++] = v->arch.ds;
		frame[n++] = v->arch.es;
		frame[n++] = v->arch.fs;
		frame[n++] = v->arch.gs;
	} else if (flags & TBF_EXCEPTION_ERRCODE) {
		frame[n++] = error_code;
	}
	frame[n++] = regs->rip;
	frame[n++] = cs | ((unsigned long)mask << 32);
	frame[n++] = rflags;
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;

	rsp -= n * sizeof(frame[0]);
	if (copy_to_guest_raw((void *)rsp, frame, n * sizeof(frame[0]))) {
		domain_crash(v->domain, "cannot write a bounce frame at %#lx",
			     rsp);
		return -EFAULT;
	}

	if ((flags & TBF_INTERRUPT) && vi)
		vi->evtchn_upcall_mask = 1;
	regs->rip = target;
	regs->cs = FLAT_KERNEL_CS;
	regs->ss = FLAT_KERNEL_SS;
	regs->rsp = rsp;
	regs->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
			  X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_IOPL);
	regs->rflags |= X86_EFLAGS_IF;
	return 0;
}

/*
 * Deliver exception `vector` to the guest's handler from its trap table;
 * a guest without one for this vector is crashed.
 */
void pv_inject_trap(struct vcpu *v, struct cpu_user_regs *regs,
		    unsigned int vector, bool has_ec, uint32_t ec)
{
	const struct trap_info *ti = &v->arch.trap_ctxt[vector];
	unsigned int flags = has_ec ? TBF_EXCEPTION_ERRCODE : 0;

	if (!ti->address) {
		domain_crash(v->domain,
			     "unhandled %s (vector %u, error code %#x) at %#lx",
			     exception_name(vector), vector, ec, regs->rip);
		return;
	}
	if (ti->flags & 4)
		flags |= TBF_INTERRUPT;
	pv_create_bounce_frame(v, regs, ti->address, flags, ec);
}

/* Bounce to the failsafe callback, or crash a guest without one. */
void pv_deliver_failsafe(struct vcpu *v, struct cpu_user_regs *regs)
{
	unsigned int flags = TBF_FAILSAFE;

	if (!v->arch.failsafe_callback) {
		domain_crash(
			v->domain,
			"bad segment or return frame, and no failsafe callback");
		return;
	}
	if (v->arch.callback_flags & (1UL << CALLBACKTYPE_failsafe))
		flags |= TBF_INTERRUPT;
	if (pv_create_bounce_frame(v, regs, v->arch.failsafe_callback, flags,
				   0))
		return;
	v->arch.ds = v->arch.es = v->arch.fs = v->arch.gs = 0;
	load_segment_selector(0, 0);
	load_segment_selector(1, 0);
	load_segment_selector(2, 0);
	load_segment_selector(3, 0);
}

/*
 * The CPU refused the frame of a return to the guest (entry.S): a bad
 * CS or SS, or a non-canonical rip. As in Xen, the guest takes that fault
 * in the context it was returning to, as if raised there: the guest frame
 * holds that context and the fault's vector and error code.
 */
void pv_iret_failed(void)
{
	pv_do_trap(guest_cpu_user_regs());
	exit_to_guest();
}

/*
 * An "int n" reached us as #GP: deliver it if the trap table allows. Xen
 * gives int $0x80 a gate of its own that delivers to any registered
 * handler without checking its DPL; only a missing one raises #GP.
 */
static bool deliver_soft_interrupt(struct vcpu *v, struct cpu_user_regs *regs)
{
	uint8_t insn[2];
	const struct trap_info *ti;
	unsigned int need = guest_kernel_mode(v) ? 1 : 3;

	/* Decode the vector from the instruction, not the error code. */
	if (copy_from_guest_raw(insn, (void *)regs->rip, sizeof(insn)) ||
	    insn[0] != 0xcd)
		return false;
	ti = &v->arch.trap_ctxt[insn[1]];
	if (insn[1] == 0x80)
		need = 0;
	if (!ti->address || (ti->flags & 3) < need) {
		pv_inject_trap(v, regs, X86_EXC_GP, true,
			       ((uint32_t)insn[1] << 3) | 2);
		return true;
	}
	regs->rip += 2;
	pv_create_bounce_frame(v, regs, ti->address,
			       (ti->flags & 4) ? TBF_INTERRUPT : 0, 0);
	return true;
}

static void do_guest_page_fault(struct vcpu *v, struct cpu_user_regs *regs)
{
	unsigned long cr2 = read_cr2();
	uint32_t ec = regs->error_code;

	v->arch.virtual_cr2 = cr2;
	if (v->vcpu_info)
		v->vcpu_info->arch.cr2 = cr2;
	/* The U bit tells guest user mode from guest kernel mode. */
	ec = guest_kernel_mode(v) ? ec & ~4U : ec | 4U;
	pv_inject_trap(v, regs, X86_EXC_PF, true, ec);
}

static void do_guest_general_protection(struct vcpu *v,
					struct cpu_user_regs *regs)
{
	uint32_t ec = regs->error_code;

	if ((ec & 3) == 2 && deliver_soft_interrupt(v, regs))
		return;
	if (ec == 0 && pv_emulate_privileged_op(regs))
		return;
	pv_inject_trap(v, regs, X86_EXC_GP, true, ec);
}

/* An exception raised while a guest ran (ring 3). */
void pv_do_trap(struct cpu_user_regs *regs)
{
	struct vcpu *v = current;
	unsigned int vec = regs->entry_vector;

	switch (vec) {
	case X86_EXC_PF: do_guest_page_fault(v, regs); return;
	case X86_EXC_GP: do_guest_general_protection(v, regs); return;
	case X86_EXC_UD:
		if (pv_emulate_forced_cpuid(regs))
			return;
		break;
	case X86_EXC_NM:
		/* Only the guest's virtual CR0.TS sets the real one. */
		pv_set_fpu_ts(v, false);
		break;
	case X86_EXC_DB:
		__asm__ __volatile__("mov %%db6, %0" : "=r"(v->arch.dr6));
		__asm__ __volatile__("mov %0, %%db6" ::"r"(0xffff0ff0UL));
		break;
	default: break;
	}
	pv_inject_trap(v, regs, vec, vector_has_error_code(vec),
		       regs->error_code);
}

static bool events_pending(const struct vcpu *v)
{
	return v->vcpu_info && READ_ONCE(v->vcpu_info->evtchn_upcall_pending) &&
	       !READ_ONCE(v->vcpu_info->evtchn_upcall_mask);
}

/*
 * Whether sysretq restores regs exactly as iretq would: 64-bit kernel or
 * user code on Xen's flat ring-3 selectors (those STAR names), rcx and
 * r11 equal to rip and rflags (so the registers sysretq uses keep their
 * values), a canonical rip (else Intel CPUs fault in ring 0), and no RF
 * (which sysretq clears). A hypercall returning to its caller, the
 * common case, qualifies; a bounce or a continuation does not.
 */
static bool pv_can_sysret(const struct cpu_user_regs *regs)
{
	return regs->cs == FLAT_RING3_CS64 && regs->ss == FLAT_RING3_SS64 &&
	       regs->rcx == regs->rip && regs->r11 == regs->rflags &&
	       is_canonical_address(regs->rip) &&
	       !(regs->rflags & (X86_EFLAGS_RF | X86_EFLAGS_VM));
}

/*
 * The way back into a guest: run softirqs (which may switch to another
 * vCPU and never come back here), deliver a pending event to the event
 * callback, then return to the guest with interrupts off.
 */
void exit_to_guest(void)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *v;

	/* Mappings dropped by a hypercall: flush before the guest runs. */
	local_irq_enable();
	pv_pay_owed_tlb_flush();
	for (;;) {
		local_irq_disable();
		if (softirq_pending(cpu)) {
			do_softirq();
			continue;
		}
		v = current;
		if (!vcpu_runnable(v)) {
			raise_softirq(SCHEDULE_SOFTIRQ);
			continue;
		}
		if (events_pending(v) && v->arch.event_callback) {
			if (pv_create_bounce_frame(v, guest_cpu_user_regs(),
						   v->arch.event_callback,
						   TBF_INTERRUPT, 0))
				continue;
		}
		break;
	}
	if (pv_can_sysret(guest_cpu_user_regs()))
		restore_guest_sysret(guest_cpu_user_regs());
	restore_guest(guest_cpu_user_regs());
}

/* Print a guest's registers and the top of its stack. */
void show_guest_registers(const struct vcpu *v, const struct cpu_user_regs *r)
{
	unsigned long words[8] = {0};

	pr_err("d%u v%u in guest %s mode:\n", v->domain->domain_id, v->vcpu_id,
	       guest_kernel_mode(v) ? "kernel" : "user");
	pr_err("RIP: %04x:%016lx   RFLAGS: %016lx   CR2: %016lx\n", r->cs,
	       r->rip, r->rflags, v->arch.virtual_cr2);
	pr_err("RSP: %04x:%016lx   rax: %016lx   rbx: %016lx\n", r->ss, r->rsp,
	       r->rax, r->rbx);
	pr_err("rcx: %016lx   rdx: %016lx   rsi: %016lx   rdi: %016lx\n",
	       r->rcx, r->rdx, r->rsi, r->rdi);
	pr_err("rbp: %016lx   r8:  %016lx   r9:  %016lx   r10: %016lx\n",
	       r->rbp, r->r8, r->r9, r->r10);
	pr_err("r11: %016lx   r12: %016lx   r13: %016lx   r14: %016lx\n",
	       r->r11, r->r12, r->r13, r->r14);
	pr_err("r15: %016lx   guest L4: %#lx   user L4: %#lx\n", r->r15,
	       mfn_x(v->arch.guest_table), mfn_x(v->arch.guest_table_user));
	if (v == current &&
	    !copy_from_guest_raw(words, (void *)r->rsp, sizeof(words)))
		pr_err("stack: %016lx %016lx %016lx %016lx\n"
		       "       %016lx %016lx %016lx %016lx\n",
		       words[0], words[1], words[2], words[3], words[4],
		       words[5], words[6], words[7]);
}
