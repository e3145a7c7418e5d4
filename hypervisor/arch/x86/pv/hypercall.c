/*
 * The hypercall table: the index of Paravane's guest interface.
 *
 * A 64-bit PV guest kernel calls slot N of its hypercall page, which
 * executes SYSCALL with the number in %rax and arguments in %rdi, %rsi,
 * %rdx, %r10, %r8; the result returns in %rax. The dispatcher looks the
 * number up here (-ENOSYS for anything absent) and calls the handler;
 * handlers copy their arguments in themselves, through guest handles.
 *
 * Long operations stop early and leave a continuation: the registers are
 * set so that the guest re-executes the same SYSCALL with the remaining
 * work (inside a multicall, the multicall entry is updated instead).
 *
 * The handlers take their arguments in their own types; on x86_64 each
 * is passed in one register like an unsigned long, which is what makes
 * the casts in the table sound.
 */
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <hv/vcpu_time.h>

#include <asm/pv.h>
#include <xen/callback.h>
#include <hv/multicall.h>

typedef long (*hypercall_fn_t)(unsigned long, unsigned long, unsigned long,
			       unsigned long, unsigned long);

#define HYPERCALL(fn) ((hypercall_fn_t)(void (*)(void))(fn))

static const hypercall_fn_t hypercall_table[] = {
	[__HYPERVISOR_set_trap_table] = HYPERCALL(do_set_trap_table),
	[__HYPERVISOR_mmu_update] = HYPERCALL(do_mmu_update),
	[__HYPERVISOR_set_gdt] = HYPERCALL(do_set_gdt),
	[__HYPERVISOR_stack_switch] = HYPERCALL(do_stack_switch),
	[__HYPERVISOR_set_callbacks] = HYPERCALL(do_set_callbacks),
	[__HYPERVISOR_fpu_taskswitch] = HYPERCALL(do_fpu_taskswitch),
	[__HYPERVISOR_sched_op_compat] = HYPERCALL(do_sched_op_compat),
	[__HYPERVISOR_update_descriptor] = HYPERCALL(do_update_descriptor),
	[__HYPERVISOR_memory_op] = HYPERCALL(do_memory_op),
	[__HYPERVISOR_multicall] = HYPERCALL(do_multicall),
	[__HYPERVISOR_update_va_mapping] = HYPERCALL(do_update_va_mapping),
	[__HYPERVISOR_set_timer_op] = HYPERCALL(do_set_timer_op),
	[__HYPERVISOR_event_channel_op_compat] =
		HYPERCALL(do_event_channel_op_compat),
	[__HYPERVISOR_xen_version] = HYPERCALL(do_xen_version),
	[__HYPERVISOR_console_io] = HYPERCALL(do_console_io),
	[__HYPERVISOR_grant_table_op] = HYPERCALL(do_grant_table_op),
	[__HYPERVISOR_vm_assist] = HYPERCALL(do_vm_assist),
	[__HYPERVISOR_update_va_mapping_otherdomain] =
		HYPERCALL(do_update_va_mapping_otherdomain),
	[__HYPERVISOR_iret] = HYPERCALL(do_iret),
	[__HYPERVISOR_vcpu_op] = HYPERCALL(do_vcpu_op),
	[__HYPERVISOR_set_segment_base] = HYPERCALL(do_set_segment_base),
	[__HYPERVISOR_mmuext_op] = HYPERCALL(do_mmuext_op),
	[__HYPERVISOR_sched_op] = HYPERCALL(do_sched_op),
	[__HYPERVISOR_callback_op] = HYPERCALL(do_callback_op),
	[__HYPERVISOR_event_channel_op] = HYPERCALL(do_event_channel_op),
	[__HYPERVISOR_physdev_op] = HYPERCALL(do_physdev_op),
	[__HYPERVISOR_sysctl] = HYPERCALL(do_sysctl),
	[__HYPERVISOR_domctl] = HYPERCALL(do_domctl),
};

/* Multicall state of this CPU (see common/multicall.c). */
struct mc_state mc_state[NR_CPUS];

/*
 * Call hypercall op with args; -ENOSYS for unknown numbers. In a
 * multicall, calls that change control flow (iret, nested multicall) are
 * refused with -EINVAL.
 */
long hypercall_call(unsigned long op, const unsigned long *args)
{
	if (op >= ARRAY_SIZE(hypercall_table) || !hypercall_table[op])
		return -ENOSYS;
	if (mc_state[smp_processor_id()].active &&
	    (op == __HYPERVISOR_iret || op == __HYPERVISOR_multicall))
		return -EINVAL;
	return hypercall_table[op](args[0], args[1], args[2], args[3], args[4]);
}

/*
 * Leave the rest of hypercall op for later: the guest will repeat it with
 * these arguments.
 */
void hypercall_create_continuation(unsigned int op, unsigned int nargs,
				   const unsigned long *args)
{
	struct mc_state *mc = &mc_state[smp_processor_id()];
	struct cpu_user_regs *regs;

	if (mc->active) {
		mc->preempted = true;
		mc->call.op = op;
		for (unsigned int i = 0; i < nargs && i < 6; i++)
			mc->call.args[i] = args[i];
		return;
	}
	regs = guest_cpu_user_regs();
	regs->rax = op;
	if (nargs > 0)
		regs->rdi = args[0];
	if (nargs > 1)
		regs->rsi = args[1];
	if (nargs > 2)
		regs->rdx = args[2];
	if (nargs > 3)
		regs->r10 = args[3];
	if (nargs > 4)
		regs->r8 = args[4];
	regs->rip -= 2; /* back onto the SYSCALL instruction */
	current->hcall_preempted = true;
}

static void pv_hypercall(struct cpu_user_regs *regs)
{
	unsigned long args[5] = {regs->rdi, regs->rsi, regs->rdx, regs->r10,
				 regs->r8};
	long ret;

	current->hcall_preempted = false;
	ret = hypercall_call(regs->rax, args);
	if (!current->hcall_preempted)
		regs->rax = (unsigned long)ret;
}

/*
 * SYSCALL from ring 3 (entry.S). From the guest kernel it is a hypercall;
 * from guest user mode it goes to the guest kernel's syscall callback
 * (syscall32 for 32-bit code), or raises #UD if none is registered.
 */
void do_syscall(struct cpu_user_regs *regs)
{
	struct vcpu *v = current;
	bool compat = regs->entry_vector == 0x101;
	unsigned long cb;
	bool mask;

	regs->cs = compat ? FLAT_USER_CS32 : FLAT_KERNEL_CS64;
	regs->ss = FLAT_KERNEL_SS;
	local_irq_enable();

	if (guest_kernel_mode(v) && !compat) {
		pv_hypercall(regs);
		return;
	}
	cb = compat ? v->arch.syscall32_callback : v->arch.syscall_callback;
	mask = v->arch.callback_flags &
	       (1UL
		<< (compat ? CALLBACKTYPE_syscall32 : CALLBACKTYPE_syscall));
	if (!cb) {
		regs->rip -= 2;
		pv_inject_trap(v, regs, X86_EXC_UD, false, 0);
		return;
	}
	pv_create_bounce_frame(v, regs, cb, mask ? TBF_INTERRUPT : 0, 0);
}
