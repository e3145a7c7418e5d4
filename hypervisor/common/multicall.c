/*
 * HYPERVISOR_multicall: a batch of hypercalls in one trap. Each entry's
 * result is written back as it completes. A preempted entry (one that
 * left a continuation) stops the batch; the multicall itself continues
 * later from that entry, with the entry's updated arguments written back
 * into the guest's list. A nested multicall gets -EINVAL. An iret entry
 * is carried out, as in Xen: the guest resumes from the iret frame on
 * its stack, the batch ends there, and the frame's rax is both the
 * entry's result and the multicall's.
 */
#include <hv/hypercall.h>
#include <hv/multicall.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/pv.h>

/* HYPERVISOR_multicall(call_list, nr_calls). */
long do_multicall(XEN_GUEST_HANDLE_PARAM(multicall_entry_t) call_list,
		  unsigned int nr_calls)
{
	struct mc_state *mc = &mc_state[smp_processor_id()];
	bool done_any = false;
	long rc = 0;

	if (mc->active)
		return -EINVAL;
	/* Like Xen, refuse a list that does not start in guest space. */
	if (!guest_range_ok(call_list.p, 1))
		return -EFAULT;
	mc->active = true;
	while (nr_calls) {
		unsigned long args[5];

		if (done_any && hypercall_preempt_check())
			break;
		if (copy_from_guest(&mc->call, call_list, 1)) {
			rc = -EFAULT;
			break;
		}
		if (mc->call.op == __HYPERVISOR_iret) {
			mc->call.result = do_iret();
			/* The frame has already redirected the guest. */
			(void)copy_field_to_guest(call_list, &mc->call, result);
			rc = (long)mc->call.result;
			nr_calls = 0;
			break;
		}
		for (unsigned int a = 0; a < 5; a++)
			args[a] = mc->call.args[a];
		mc->preempted = false;
		mc->call.result = hypercall_call(mc->call.op, args);
		if (mc->preempted) {
			/* Keep the entry's new arguments; resume there. */
			if (copy_to_guest(call_list, &mc->call, 1))
				rc = -EFAULT;
			break;
		}
		if (copy_field_to_guest(call_list, &mc->call, result)) {
			rc = -EFAULT;
			break;
		}
		guest_handle_add_offset(call_list, 1);
		nr_calls--;
		done_any = true;
	}
	mc->active = false;
	if (nr_calls && !rc) {
		unsigned long args[2] = {(unsigned long)call_list.p, nr_calls};

		hypercall_create_continuation(__HYPERVISOR_multicall, 2, args);
	}
	return rc;
}
