/*
 * HYPERVISOR_vcpu_op: a guest manages its own vCPUs.
 *
 *   initialise        give a down vCPU its context (vcpu_guest_context)
 *   up / down / is_up bring it online, take it offline, ask
 *   get_runstate_info time spent running, runnable, blocked, offline
 *   register_runstate_memory_area  keep a copy of that in guest memory
 *   set/stop_periodic_timer, set/stop_singleshot_timer   VIRQ_TIMER
 *   register_vcpu_info  move vcpu_info out of shared_info into a page of
 *                       the guest's own
 */
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/vcpu_time.h>

#include <asm/guest_access.h>
#include <asm/page_type.h>
#include <asm/pv.h>

/* As on Xen, the context is read before the vCPU's state is looked at. */
static long vcpu_initialise(struct vcpu *v, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct vcpu_guest_context *c = xmalloc(struct vcpu_guest_context);
	long rc;

	if (!c)
		return -ENOMEM;
	if (copy_from_guest_raw(c, arg.p, sizeof(*c)))
		rc = -EFAULT;
	else if (v->is_initialised)
		rc = -EEXIST;
	else
		rc = arch_set_info_guest(v, c);
	xfree(c);
	return rc;
}

static long register_vcpu_info(struct vcpu *v, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct vcpu_register_vcpu_info info;
	struct page_info *pg;
	struct vcpu_info *new;

	if (copy_from_guest_raw(&info, arg.p, sizeof(info)))
		return -EFAULT;
	/* Xen 4.17's checks, in its order and with its error codes. */
	if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info))
		return -ENXIO; /* it would cross the end of the page */
	if (v->vcpu_info_page)
		return -EINVAL; /* once only */
	if (v != current && !(READ_ONCE(v->pause_flags) & VPF_down))
		return -EINVAL; /* only the vCPU itself, or one that is down */
	if (!mfn_valid(_mfn(info.mfn)))
		return -EINVAL;
	pg = mfn_to_page(_mfn(info.mfn));
	if (get_page_and_type(pg, v->domain, PGT_writable_page))
		return -EINVAL;
	new = (struct vcpu_info *)((char *)mfn_to_virt(_mfn(info.mfn)) +
				   info.offset);
	if (v->vcpu_info)
		*new = *v->vcpu_info;
	else
		memset(new, 0, sizeof(*new));
	/* Anything pending is delivered from the new place. */
	new->evtchn_upcall_pending = 1;
	new->evtchn_pending_sel = ~(xen_ulong_t)0;
	v->vcpu_info_page = pg;
	v->vcpu_info = new;
	update_vcpu_system_time(v);
	return 0;
}

/*
 * v's run state as Xen's vcpu_runstate_get() gives it: the time in the
 * current state counts up to now.
 */
static void runstate_get(struct vcpu *v, struct vcpu_runstate_info *r)
{
	unsigned long flags = sched_lock();
	s_time_t delta;

	*r = v->runstate;
	sched_unlock(flags);
	delta = NOW() - (s_time_t)r->state_entry_time;
	if (delta > 0)
		r->time[r->state] += (uint64_t)delta;
}

/*
 * Register where the guest wants v's run state kept (NULL: nowhere), and
 * write it there now: for the caller the state as last switched, for
 * another vCPU up to now, as Xen does. An area outside guest space is
 * -EFAULT.
 */
static long register_runstate_area(struct vcpu *v,
				   XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct vcpu_register_runstate_memory_area area;
	struct vcpu_runstate_info r;

	if (copy_from_guest_raw(&area, arg.p, sizeof(area)))
		return -EFAULT;
	if (!guest_range_ok(area.addr.v, sizeof(*area.addr.v)))
		return -EFAULT;
	v->runstate_area = (unsigned long)area.addr.v;
	if (v == current)
		r = v->runstate;
	else
		runstate_get(v, &r);
	copy_to_guest_raw(area.addr.v, &r, sizeof(r));
	return 0;
}

/* HYPERVISOR_vcpu_op(cmd, vcpuid, arg). */
long do_vcpu_op(int cmd, unsigned int vcpuid, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct domain *d = current->domain;
	struct vcpu *v = vcpuid < d->max_vcpus ? d->vcpu[vcpuid] : NULL;
	struct vcpu_set_periodic_timer per;
	struct vcpu_set_singleshot_timer one;
	struct vcpu_runstate_info rs;

	if (!v)
		return -ENOENT;
	switch (cmd) {
	case VCPUOP_initialise: return vcpu_initialise(v, arg);
	case VCPUOP_up:
		if (!v->is_initialised)
			return -EINVAL;
		if (__atomic_fetch_and(&v->pause_flags, ~VPF_down,
				       __ATOMIC_SEQ_CST) &
		    VPF_down)
			vcpu_wake(v);
		return 0;
	case VCPUOP_down:
		__atomic_fetch_or(&v->pause_flags, VPF_down, __ATOMIC_SEQ_CST);
		vcpu_sleep(v);
		return 0;
	case VCPUOP_is_up: return !(READ_ONCE(v->pause_flags) & VPF_down);
	case VCPUOP_get_runstate_info:
		runstate_get(v, &rs);
		return copy_to_guest_raw(arg.p, &rs, sizeof(rs)) ? -EFAULT : 0;
	case VCPUOP_register_runstate_memory_area:
		return register_runstate_area(v, arg);
	case VCPUOP_set_periodic_timer:
		if (copy_from_guest_raw(&per, arg.p, sizeof(per)))
			return -EFAULT;
		/* Xen's bounds: 1 ms, and STIME_DELTA_MAX (2^62 - 1 ns). */
		if (per.period_ns < MILLISECS(1) ||
		    per.period_ns > (UINT64_MAX >> 2))
			return -EINVAL;
		vcpu_set_periodic(v, (s_time_t)per.period_ns);
		return 0;
	case VCPUOP_stop_periodic_timer: vcpu_set_periodic(v, 0); return 0;
	case VCPUOP_set_singleshot_timer:
		if (v != current)
			return -EINVAL;
		if (copy_from_guest_raw(&one, arg.p, sizeof(one)))
			return -EFAULT;
		/*
		 * VCPU_SSHOTTMR_future may be ignored (vcpu.h), and Xen 4.17
		 * does: a deadline already past fires at once.
		 */
		vcpu_set_singleshot(v, (s_time_t)one.timeout_abs_ns);
		return 0;
	case VCPUOP_stop_singleshot_timer:
		if (v != current)
			return -EINVAL;
		vcpu_set_singleshot(v, 0);
		return 0;
	case VCPUOP_register_vcpu_info: return register_vcpu_info(v, arg);
	default: return -ENOSYS;
	}
}
