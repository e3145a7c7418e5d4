/*
 * 2-level event delivery, as on Xen: a port is pending when its bit is set
 * in shared_info->evtchn_pending, masked when its bit is set in
 * evtchn_mask. An unmasked pending port also sets its word's bit in the
 * notified vCPU's evtchn_pending_sel and raises evtchn_upcall_pending,
 * which makes the hypervisor enter the guest's event callback (unless
 * evtchn_upcall_mask) and wakes the vCPU if it was blocked.
 *
 * All three live in guest-writable memory; the hypervisor only sets bits
 * atomically and never trusts what it reads there beyond a yes or no.
 */
#include <hv/event.h>
#include <hv/lib.h>
#include <hv/sched.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << bit;

	return __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m;
}

static bool test(const xen_ulong_t *w, unsigned int bit)
{
	return (__atomic_load_n(w, __ATOMIC_SEQ_CST) >> bit) & 1;
}

/* Raise the upcall of v: it will enter its event callback. */
static void mark_events_pending(struct vcpu *v)
{
	if (!v->vcpu_info ||
	    __atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1,
				__ATOMIC_SEQ_CST))
		return;
	vcpu_kick(v);
}

/* SCHEDOP_poll waits for pending ports, masked or not: wake the pollers. */
static void wake_pollers(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i] && READ_ONCE(d->vcpu[i]->polling))
			vcpu_kick(d->vcpu[i]);
}

/* Make port pending for its domain, notifying vCPU v. */
void evtchn_2l_set_pending(struct vcpu *v, evtchn_port_t port)
{
	struct shared_info *s = v->domain->shared_info;
	unsigned int w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;

	if (test_and_set(&s->evtchn_pending[w], b))
		return;
	/* No vcpu_info while domain_destroy() closes the channels. */
	if (!test(&s->evtchn_mask[w], b) && v->vcpu_info &&
	    !test_and_set(&v->vcpu_info->evtchn_pending_sel, w))
		mark_events_pending(v);
	wake_pollers(v->domain);
}

/* Clear a port's pending bit (channel closed). */
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port)
{
	__atomic_fetch_and(
		&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
		~((xen_ulong_t)1 << (port % BITS_PER_WORD)), __ATOMIC_SEQ_CST);
}

/*
 * EVTCHNOP_unmask: clear the mask bit; a port that became pending while
 * masked is delivered now, to vCPU v.
 */
void evtchn_2l_unmask(struct domain *d, struct vcpu *v, evtchn_port_t port)
{
	struct shared_info *s = d->shared_info;
	unsigned int w = port / BITS_PER_WORD, b = port % BITS_PER_WORD;
	xen_ulong_t m = (xen_ulong_t)1 << b;

	if ((__atomic_fetch_and(&s->evtchn_mask[w], ~m, __ATOMIC_SEQ_CST) &
	     m) &&
	    test(&s->evtchn_pending[w], b) &&
	    !test_and_set(&v->vcpu_info->evtchn_pending_sel, w))
		mark_events_pending(v);
}

/* Whether port is pending. */
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port)
{
	return test(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
		    port % BITS_PER_WORD);
}

/* Whether port is masked. */
bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port)
{
	return test(&d->shared_info->evtchn_mask[port / BITS_PER_WORD],
		    port % BITS_PER_WORD);
}
