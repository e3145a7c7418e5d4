/*
 * HYPERVISOR_sched_op: a vCPU's dealings with the scheduler.
 *
 *   yield           let others run
 *   block           enable event delivery and wait for an event
 *   poll            wait (events masked) until one of the given ports is
 *                   pending, or a timeout (absolute system time; 0: none);
 *                   like Xen, only open channels may be polled
 *   shutdown        the domain stops, for a reason (SHUTDOWN_*)
 *   shutdown_code   latch the reason a later shutdown will report (the
 *                   first code latched stays, as in Xen)
 *   remote_shutdown dom0 shuts another domain down
 */
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <hv/timer.h>
#include <xen/event_channel.h>
#include <xen/sched.h>

#include <asm/guest_access.h>

#define MAX_POLL_PORTS 128
#define NR_EVENT_CHANNELS_2L (sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)

static void poll_timeout(void *data)
{
	struct vcpu *v = data;

	if (__atomic_fetch_and(&v->pause_flags, ~VPF_blocked,
			       __ATOMIC_SEQ_CST) &
	    VPF_blocked)
		vcpu_wake(v);
}

static bool port_pending(const struct domain *d, evtchn_port_t port)
{
	const xen_ulong_t *p = d->shared_info->evtchn_pending;

	return (READ_ONCE(p[port / 64]) >> (port % 64)) & 1;
}

/* Whether port is an open channel of d (not free, not reserved port 0). */
static bool port_open(const struct domain *d, evtchn_port_t port)
{
	const struct evtchn *bucket;
	uint8_t state;

	if (port >= READ_ONCE(d->max_evtchns))
		return false;
	bucket = READ_ONCE(d->evtchn_buckets[port / EVTCHNS_PER_BUCKET]);
	if (!bucket)
		return false;
	state = READ_ONCE(bucket[port % EVTCHNS_PER_BUCKET].state);
	return state != ECS_FREE && state != ECS_RESERVED;
}

static long sched_poll(struct vcpu *v, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct sched_poll sp;
	evtchn_port_t ports[MAX_POLL_PORTS];

	if (copy_from_guest_raw(&sp, arg.p, sizeof(sp)))
		return -EFAULT;
	if (sp.nr_ports > MAX_POLL_PORTS)
		return -EINVAL;
	if (sp.nr_ports && copy_from_guest(ports, sp.ports, sp.nr_ports))
		return -EFAULT;
	/* Like Xen: an event waiting to be delivered ends the poll first. */
	if (v->vcpu_info && READ_ONCE(v->vcpu_info->evtchn_upcall_pending) &&
	    !READ_ONCE(v->vcpu_info->evtchn_upcall_mask))
		return 0;
	for (unsigned int i = 0; i < sp.nr_ports; i++) {
		if (ports[i] >= NR_EVENT_CHANNELS_2L ||
		    !port_open(v->domain, ports[i]))
			return -EINVAL;
		if (port_pending(v->domain, ports[i]))
			return 0;
	}
	if (sp.timeout && (s_time_t)sp.timeout <= NOW())
		return 0;

	__atomic_fetch_or(&v->pause_flags, VPF_blocked, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < sp.nr_ports; i++) /* re-check */
		if (port_pending(v->domain, ports[i])) {
			__atomic_fetch_and(&v->pause_flags, ~VPF_blocked,
					   __ATOMIC_SEQ_CST);
			return 0;
		}
	if (sp.timeout) {
		stop_timer(&v->poll_timer); /* a previous poll's may be armed */
		init_timer(&v->poll_timer, poll_timeout, v, v->processor);
		set_timer(&v->poll_timer, (s_time_t)sp.timeout);
	}
	v->polling = true;
	vcpu_sleep(v);
	return 0;
}

static long sched_shutdown(struct domain *d, XEN_GUEST_HANDLE_PARAM(void) arg,
			   bool latch_only)
{
	struct sched_shutdown s;

	if (copy_from_guest_raw(&s, arg.p, sizeof(s)))
		return -EFAULT;
	if (s.reason > SHUTDOWN_MAX)
		return -EINVAL;
	if (latch_only) {
		spin_lock(&d->lock);
		if (d->shutdown_code == SHUTDOWN_CODE_NONE)
			d->shutdown_code = s.reason;
		spin_unlock(&d->lock);
		return 0;
	}
	domain_shutdown(d, s.reason);
	return 0;
}

static long sched_remote_shutdown(XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;

	if (!current->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest_raw(&rs, arg.p, sizeof(rs)))
		return -EFAULT;
	d = get_domain_by_id(rs.domain_id);
	if (!d)
		return -ESRCH;
	if (rs.reason <= SHUTDOWN_MAX)
		domain_shutdown(d, rs.reason);
	put_domain(d);
	return rs.reason <= SHUTDOWN_MAX ? 0 : -EINVAL;
}

/* HYPERVISOR_sched_op(cmd, arg). */
long do_sched_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct vcpu *v = current;

	switch (cmd) {
	case SCHEDOP_yield: vcpu_yield(); return 0;
	case SCHEDOP_block:
		if (v->vcpu_info)
			v->vcpu_info->evtchn_upcall_mask = 0;
		vcpu_block();
		return 0;
	case SCHEDOP_poll: return sched_poll(v, arg);
	case SCHEDOP_shutdown: return sched_shutdown(v->domain, arg, false);
	case SCHEDOP_shutdown_code: return sched_shutdown(v->domain, arg, true);
	case SCHEDOP_remote_shutdown: return sched_remote_shutdown(arg);
	default: return -ENOSYS;
	}
}

/* HYPERVISOR_sched_op_compat(cmd, arg): the old form, arg by value. */
long do_sched_op_compat(int cmd, unsigned long arg)
{
	struct vcpu *v = current;

	switch (cmd) {
	case SCHEDOP_yield: vcpu_yield(); return 0;
	case SCHEDOP_block:
		if (v->vcpu_info)
			v->vcpu_info->evtchn_upcall_mask = 0;
		vcpu_block();
		return 0;
	case SCHEDOP_shutdown:
		if (arg > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown(v->domain, (unsigned int)arg);
		return 0;
	default: return -ENOSYS;
	}
}
