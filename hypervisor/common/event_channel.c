/*
 * Event channels: their states and HYPERVISOR_event_channel_op.
 *
 * A domain's ports live in buckets allocated as they are first used; port
 * 0 is reserved. A channel is
 *
 *   free         unused
 *   unbound      allocated for a remote domain to bind to (alloc_unbound)
 *   interdomain  connected to a port of another (or the same) domain;
 *                send on either end makes the other end pending
 *   virq         bound to a virtual IRQ of one vCPU (timer, debug, ...)
 *                or, for global VIRQs, of the domain (vCPU 0)
 *   ipi          send makes the port itself pending on its vCPU
 *   pirq         bound to a physical IRQ (dom0; see pirq.c)
 *
 * Locks: each domain's event_lock guards its ports; it is never taken in
 * interrupt context (interrupts raise softirqs). Connecting or closing
 * an interdomain channel takes both domains' locks, lower address first;
 * so while a domain holds its own lock, the far end of each of its
 * channels stays valid.
 */
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/irq.h>

static struct evtchn *port_slot(const struct domain *d, evtchn_port_t port)
{
	struct evtchn *b;

	if (port >= d->max_evtchns)
		return NULL;
	b = d->evtchn_buckets[port / EVTCHNS_PER_BUCKET];
	return b ? &b[port % EVTCHNS_PER_BUCKET] : NULL;
}

/* A port in use by d (not free, not reserved), or NULL. */
static struct evtchn *port_in_use(const struct domain *d, evtchn_port_t port)
{
	struct evtchn *c = port_slot(d, port);

	return c && c->state != ECS_FREE && c->state != ECS_RESERVED ? c : NULL;
}

/* Claim the lowest free port of d; -ENOSPC when there is none. */
static int get_free_port(struct domain *d)
{
	for (evtchn_port_t p = 1; p < d->max_evtchns; p++) {
		unsigned int bi = p / EVTCHNS_PER_BUCKET;
		struct evtchn *c;

		if (!d->evtchn_buckets[bi]) {
			d->evtchn_buckets[bi] = xzalloc_array(
				struct evtchn, EVTCHNS_PER_BUCKET);
			if (!d->evtchn_buckets[bi])
				return -ENOMEM;
		}
		c = port_slot(d, p);
		if (c->state == ECS_FREE) {
			memset(c, 0, sizeof(*c));
			return (int)p;
		}
	}
	return -ENOSPC;
}

/* Give d its event channels: ports 0 .. max_ports - 1, port 0 reserved. */
int evtchn_init(struct domain *d, unsigned int max_ports)
{
	struct evtchn *b;

	spin_lock_init(&d->event_lock);
	d->max_evtchns = MIN(MAX(max_ports, 2U), EVTCHN_2L_NR_CHANNELS);
	b = xzalloc_array(struct evtchn, EVTCHNS_PER_BUCKET);
	if (!b)
		return -ENOMEM;
	b[0].state = ECS_RESERVED;
	d->evtchn_buckets[0] = b;
	return 0;
}

static void lock_pair(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->event_lock);
	} else if (a < b) {
		spin_lock(&a->event_lock);
		spin_lock(&b->event_lock);
	} else {
		spin_lock(&b->event_lock);
		spin_lock(&a->event_lock);
	}
}

static void unlock_pair(struct domain *a, struct domain *b)
{
	spin_unlock(&a->event_lock);
	if (a != b)
		spin_unlock(&b->event_lock);
}

/*
 * The domain an op names, with a reference: the caller, or (privileged)
 * any other.
 */
static struct domain *op_domain(domid_t id, long *rc)
{
	struct domain *curr = current->domain, *d;

	if (id != DOMID_SELF && id != curr->domain_id && !curr->is_privileged) {
		*rc = -EPERM;
		return NULL;
	}
	d = get_domain_by_any_id(id);
	if (!d)
		*rc = -ESRCH;
	return d;
}

static struct vcpu *domain_vcpu(const struct domain *d, uint32_t id)
{
	return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	long rc = 0;
	struct domain *d = op_domain(a->dom, &rc);
	domid_t remote = a->remote_dom == DOMID_SELF
				 ? current->domain->domain_id
				 : a->remote_dom;
	int port;

	if (!d)
		return rc;
	spin_lock(&d->event_lock);
	port = get_free_port(d);
	if (port >= 0) {
		struct evtchn *c = port_slot(d, port);

		c->state = ECS_UNBOUND;
		c->u.unbound_remote = remote;
		a->port = port;
	}
	spin_unlock(&d->event_lock);
	put_domain(d);
	return port < 0 ? port : 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *b)
{
	struct domain *ld = current->domain, *rd;
	struct evtchn *lc, *rc_;
	long rc = 0;
	int lport;

	rd = get_domain_by_any_id(b->remote_dom);
	if (!rd)
		return -ESRCH;
	lock_pair(ld, rd);
	lport = get_free_port(ld);
	if (lport < 0) {
		rc = lport;
		goto out;
	}
	rc_ = port_in_use(rd, b->remote_port);
	if (!rc_ || rc_->state != ECS_UNBOUND ||
	    rc_->u.unbound_remote != ld->domain_id ||
	    (rd == ld && b->remote_port == (evtchn_port_t)lport)) {
		rc = -EINVAL;
		goto out;
	}
	lc = port_slot(ld, lport);
	lc->state = ECS_INTERDOMAIN;
	lc->u.interdomain.dom = rd;
	lc->u.interdomain.port = b->remote_port;
	rc_->state = ECS_INTERDOMAIN;
	rc_->u.interdomain.dom = ld;
	rc_->u.interdomain.port = lport;
	b->local_port = lport;
	/* A send to the unbound end may have been lost: notify once. */
	evtchn_2l_set_pending(ld->vcpu[lc->notify_vcpu], lport);
out:
	unlock_pair(ld, rd);
	put_domain(rd);
	return rc;
}

/* Whether a VIRQ belongs to the domain rather than to one vCPU. */
bool virq_is_global(uint32_t virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU: return false;
	default: return true;
	}
}

static long evtchn_bind_virq(struct evtchn_bind_virq *b)
{
	struct domain *d = current->domain;
	struct vcpu *v;
	int port;

	if (b->virq >= NR_VIRQS)
		return -EINVAL; /* unnamed numbers below it bind as global */
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -EINVAL;
	v = domain_vcpu(d, b->vcpu);
	if (!v)
		return -ENOENT;
	spin_lock(&d->event_lock);
	if (v->virq_to_evtchn[b->virq]) {
		spin_unlock(&d->event_lock);
		return -EEXIST;
	}
	port = get_free_port(d);
	if (port >= 0) {
		struct evtchn *c = port_slot(d, port);

		c->state = ECS_VIRQ;
		c->notify_vcpu = (uint16_t)b->vcpu;
		c->u.virq = b->virq;
		v->virq_to_evtchn[b->virq] = port;
		b->port = port;
	}
	spin_unlock(&d->event_lock);
	return port < 0 ? port : 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *b)
{
	struct domain *d = current->domain;
	int port;

	if (!domain_vcpu(d, b->vcpu))
		return -ENOENT;
	spin_lock(&d->event_lock);
	port = get_free_port(d);
	if (port >= 0) {
		struct evtchn *c = port_slot(d, port);

		c->state = ECS_IPI;
		c->notify_vcpu = (uint16_t)b->vcpu;
		b->port = port;
	}
	spin_unlock(&d->event_lock);
	return port < 0 ? port : 0;
}

static long evtchn_bind_pirq(struct evtchn_bind_pirq *b)
{
	struct domain *d = current->domain;
	int port, rc;

	if (b->flags & ~BIND_PIRQ__WILL_SHARE)
		return -EINVAL;
	spin_lock(&d->event_lock);
	port = get_free_port(d);
	if (port < 0) {
		spin_unlock(&d->event_lock);
		return port;
	}
	rc = pirq_bind(d, b->pirq, port);
	if (!rc) {
		struct evtchn *c = port_slot(d, port);

		c->state = ECS_PIRQ;
		c->u.pirq = b->pirq;
		b->port = port;
	}
	spin_unlock(&d->event_lock);
	return rc;
}

/* Close channel c (port of d); d's lock, and the far end's, are held. */
static void close_locked(struct domain *d, struct evtchn *c, evtchn_port_t port)
{
	struct evtchn *far;

	switch (c->state) {
	case ECS_VIRQ:
		/* A global VIRQ stays recorded on vCPU 0 when it is moved. */
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			if (d->vcpu[i] &&
			    d->vcpu[i]->virq_to_evtchn[c->u.virq] == port)
				d->vcpu[i]->virq_to_evtchn[c->u.virq] = 0;
		break;
	case ECS_PIRQ: pirq_unbind(d, c->u.pirq); break;
	case ECS_INTERDOMAIN:
		far = port_slot(c->u.interdomain.dom, c->u.interdomain.port);
		far->state = ECS_UNBOUND;
		far->u.unbound_remote = d->domain_id;
		break;
	default: break;
	}
	evtchn_2l_clear_pending(d, port);
	memset(c, 0, sizeof(*c));
	c->state = ECS_FREE;
}

/* EVTCHNOP_close on a port of d. */
static long evtchn_close(struct domain *d, evtchn_port_t port)
{
	struct domain *rd;
	struct evtchn *c;
	bool closed;

	for (;;) {
		spin_lock(&d->event_lock);
		c = port_in_use(d, port);
		if (!c) {
			spin_unlock(&d->event_lock);
			return -EINVAL;
		}
		rd = c->state == ECS_INTERDOMAIN ? c->u.interdomain.dom : d;
		if (rd == d) {
			close_locked(d, c, port);
			spin_unlock(&d->event_lock);
			return 0;
		}
		/*
		 * Take both locks in order; the channel may change meanwhile
		 * and rd be destroyed, so hold rd across the gap (it is alive
		 * now: its destruction closes this channel first).
		 */
		get_domain(rd);
		spin_unlock(&d->event_lock);
		lock_pair(d, rd);
		c = port_in_use(d, port);
		closed = c && c->state == ECS_INTERDOMAIN &&
			 c->u.interdomain.dom == rd;
		if (closed)
			close_locked(d, c, port);
		unlock_pair(d, rd);
		put_domain(rd);
		if (closed)
			return 0;
	}
}

static long evtchn_send(evtchn_port_t port)
{
	struct domain *ld = current->domain, *rd;
	struct evtchn *c, *rc_;
	long rc = 0;

	spin_lock(&ld->event_lock);
	c = port_in_use(ld, port);
	if (!c) {
		rc = -EINVAL;
	} else if (c->state == ECS_INTERDOMAIN) {
		rd = c->u.interdomain.dom;
		rc_ = port_slot(rd, c->u.interdomain.port);
		evtchn_2l_set_pending(rd->vcpu[rc_->notify_vcpu],
				      c->u.interdomain.port);
	} else if (c->state == ECS_IPI) {
		evtchn_2l_set_pending(ld->vcpu[c->notify_vcpu], port);
	} else if (c->state != ECS_UNBOUND) {
		rc = -EINVAL; /* virq, pirq: not the guest's to send */
	}
	spin_unlock(&ld->event_lock);
	return rc;
}

static long evtchn_status(struct evtchn_status *s)
{
	long rc = 0;
	struct domain *d = op_domain(s->dom, &rc);
	struct evtchn *c;

	if (!d)
		return rc;
	spin_lock(&d->event_lock);
	c = port_slot(d, s->port);
	if (!c) { /* past the end, or in a bucket never allocated: as Xen */
		rc = -EINVAL;
		goto out;
	}
	memset(&s->u, 0, sizeof(s->u));
	s->status = c->state != ECS_RESERVED ? c->state : EVTCHNSTAT_closed;
	s->vcpu = c->notify_vcpu;
	switch (c->state) {
	case ECS_UNBOUND: s->u.unbound.dom = c->u.unbound_remote; break;
	case ECS_INTERDOMAIN:
		s->u.interdomain.dom = c->u.interdomain.dom->domain_id;
		s->u.interdomain.port = c->u.interdomain.port;
		break;
	case ECS_VIRQ: s->u.virq = c->u.virq; break;
	case ECS_PIRQ: s->u.pirq = c->u.pirq; break;
	default: break;
	}
out:
	spin_unlock(&d->event_lock);
	put_domain(d);
	return rc;
}

static long evtchn_bind_vcpu(struct evtchn_bind_vcpu *b)
{
	struct domain *d = current->domain;
	struct evtchn *c;
	long rc = 0;

	if (!domain_vcpu(d, b->vcpu))
		return -ENOENT;
	spin_lock(&d->event_lock);
	c = port_in_use(d, b->port);
	if (!c)
		rc = -EINVAL;
	else if (c->state == ECS_IPI ||
		 (c->state == ECS_VIRQ && !virq_is_global(c->u.virq)))
		rc = -EINVAL; /* these belong to one vCPU */
	else
		c->notify_vcpu = (uint16_t)b->vcpu;
	spin_unlock(&d->event_lock);
	return rc;
}

static long evtchn_unmask(evtchn_port_t port)
{
	struct domain *d = current->domain;
	struct evtchn *c;

	spin_lock(&d->event_lock);
	c = port_slot(d, port);
	if (!c) { /* not a valid port yet: Xen refuses it too */
		spin_unlock(&d->event_lock);
		return -EINVAL;
	}
	evtchn_2l_unmask(d, d->vcpu[c->notify_vcpu], port);
	spin_unlock(&d->event_lock);
	return 0;
}

static long evtchn_reset(domid_t id)
{
	long rc = 0;
	struct domain *d = op_domain(id, &rc);

	if (!d)
		return rc;
	/* Another domain's channels only while dom0 keeps it paused. */
	if (d != current->domain && !READ_ONCE(d->controller_paused)) {
		put_domain(d);
		return -EINVAL;
	}
	for (evtchn_port_t p = 1; p < d->max_evtchns; p++)
		if (port_in_use(d, p))
			evtchn_close(d, p);
	put_domain(d);
	return 0;
}

/* Close every channel of a dying domain and free its ports. */
void evtchn_destroy(struct domain *d)
{
	for (evtchn_port_t p = 1; p < d->max_evtchns; p++)
		if (port_in_use(d, p))
			evtchn_close(d, p);
	for (unsigned int i = 0; i < NR_EVTCHN_BUCKETS; i++) {
		xfree(d->evtchn_buckets[i]);
		d->evtchn_buckets[i] = NULL;
	}
	d->max_evtchns = 0;
}

/* Raise a per-vCPU VIRQ on v, if v has bound it. */
void send_guest_vcpu_virq(struct vcpu *v, uint32_t virq)
{
	struct domain *d = v->domain;
	evtchn_port_t port;

	spin_lock(&d->event_lock);
	port = v->virq_to_evtchn[virq];
	if (port)
		evtchn_2l_set_pending(v, port);
	spin_unlock(&d->event_lock);
}

/* Raise a global VIRQ on dom0 (its vCPU 0 binding). */
void send_global_virq(uint32_t virq)
{
	struct domain *d = hardware_domain;
	struct evtchn *c;
	evtchn_port_t port;

	if (!d || !d->vcpu[0])
		return;
	spin_lock(&d->event_lock);
	port = d->vcpu[0]->virq_to_evtchn[virq];
	c = port ? port_slot(d, port) : NULL;
	if (c)
		evtchn_2l_set_pending(d->vcpu[c->notify_vcpu], port);
	spin_unlock(&d->event_lock);
}

/* Deliver a physical IRQ on its bound port (from PIRQ_SOFTIRQ). */
void evtchn_send_pirq(struct domain *d, evtchn_port_t port)
{
	struct evtchn *c;

	spin_lock(&d->event_lock);
	c = port_in_use(d, port);
	if (c && c->state == ECS_PIRQ)
		evtchn_2l_set_pending(d->vcpu[c->notify_vcpu], port);
	spin_unlock(&d->event_lock);
}

#define EVTCHN_OP(type, fn, arg)                                               \
	do {                                                                   \
		type op_;                                                      \
		long rc_;                                                      \
		if (copy_from_guest_raw(&op_, (arg).p, sizeof(op_)))           \
			return -EFAULT;                                        \
		rc_ = fn(&op_);                                                \
		if (!rc_ && copy_to_guest_raw((arg).p, &op_, sizeof(op_)))     \
			return -EFAULT;                                        \
		return rc_;                                                    \
	} while (0)

/* HYPERVISOR_event_channel_op(cmd, arg). */
long do_event_channel_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct evtchn_close cl;
	struct evtchn_send sd;
	struct evtchn_unmask um;
	struct evtchn_reset rs;

	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		EVTCHN_OP(struct evtchn_alloc_unbound, evtchn_alloc_unbound,
			  arg);
	case EVTCHNOP_bind_interdomain:
		EVTCHN_OP(struct evtchn_bind_interdomain,
			  evtchn_bind_interdomain, arg);
	case EVTCHNOP_bind_virq:
		EVTCHN_OP(struct evtchn_bind_virq, evtchn_bind_virq, arg);
	case EVTCHNOP_bind_ipi:
		EVTCHN_OP(struct evtchn_bind_ipi, evtchn_bind_ipi, arg);
	case EVTCHNOP_bind_pirq:
		EVTCHN_OP(struct evtchn_bind_pirq, evtchn_bind_pirq, arg);
	case EVTCHNOP_status:
		EVTCHN_OP(struct evtchn_status, evtchn_status, arg);
	case EVTCHNOP_bind_vcpu:
		EVTCHN_OP(struct evtchn_bind_vcpu, evtchn_bind_vcpu, arg);
	case EVTCHNOP_close:
		if (copy_from_guest_raw(&cl, arg.p, sizeof(cl)))
			return -EFAULT;
		return evtchn_close(current->domain, cl.port);
	case EVTCHNOP_send:
		if (copy_from_guest_raw(&sd, arg.p, sizeof(sd)))
			return -EFAULT;
		return evtchn_send(sd.port);
	case EVTCHNOP_unmask:
		if (copy_from_guest_raw(&um, arg.p, sizeof(um)))
			return -EFAULT;
		return evtchn_unmask(um.port);
	case EVTCHNOP_reset:
		if (copy_from_guest_raw(&rs, arg.p, sizeof(rs)))
			return -EFAULT;
		return evtchn_reset(rs.dom);
	default: return -ENOSYS; /* the FIFO ABI is not offered */
	}
}

/* HYPERVISOR_event_channel_op_compat(op): the old single-argument form. */
long do_event_channel_op_compat(XEN_GUEST_HANDLE_PARAM(evtchn_op_t) uop)
{
	struct evtchn_op op;
	long rc;

	if (copy_from_guest_raw(&op, uop.p, sizeof(op)))
		return -EFAULT;
	rc = do_event_channel_op(
		(int)op.cmd,
		guest_handle_from_arg(void,
				      (uintptr_t)uop.p +
					      offsetof(struct evtchn_op, u)));
	return rc;
}
