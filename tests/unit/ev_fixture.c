/*
 * The event-channel test machine (see ev_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/guest_access.h>
#include <asm/irq.h>
#include <asm/page.h>

#include "ev_fixture.h"
#include "fake/fake.h"

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

struct domain *dom0, *dom1, *dom2, *dom3;
struct ev_record ev_rec;

/* ---- What the code under test calls outside itself ---------------------- */

void vcpu_kick(struct vcpu *v)
{
	domid_t id = v->domain->domain_id;

	if (id < ARRAY_SIZE(ev_rec.kicks) && v->vcpu_id < EV_NR_VCPUS)
		ev_rec.kicks[id][v->vcpu_id]++;
	ev_rec.nr_kicks++;
}

int pirq_bind(struct domain *d, uint32_t pirq, uint32_t port)
{
	ev_rec.pirq_binds++;
	ev_rec.last_pirq = pirq;
	ev_rec.last_pirq_port = port;
	return ev_rec.pirq_bind_rc;
}

void pirq_unbind(struct domain *d, uint32_t pirq)
{
	ev_rec.pirq_unbinds++;
	ev_rec.last_unbound_pirq = pirq;
}

/* ---- Domains ---------------------------------------------------------- */

/*
 * A listed domain with nr_vcpus runnable vCPUs (vCPU i on CPU i), set up
 * as domain_create() and vcpu_create() set up the event state.
 */
struct domain *ev_domain_new(domid_t id, bool privileged, unsigned int nr_vcpus,
			     unsigned int max_ports)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->domain_id = id;
	d->is_privileged = privileged;
	d->max_vcpus = nr_vcpus;
	d->vcpu = calloc(nr_vcpus, sizeof(*d->vcpu));
	d->shared_info = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(d->vcpu);
	assert_non_null(d->shared_info);
	memset(d->shared_info, 0, PAGE_SIZE);
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
	assert_int_equal(evtchn_init(d, max_ports), 0);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));

		assert_non_null(v);
		v->vcpu_id = i;
		v->domain = d;
		v->processor = i;
		v->vcpu_info = &d->shared_info->vcpu_info[i];
		d->vcpu[i] = v;
	}
	fake_domain_add(d);
	return d;
}

/* Unlist d and free it with whatever channels it still has. */
static void domain_free(struct domain *d)
{
	fake_domain_remove(d);
	if (d->max_evtchns)
		evtchn_destroy(d);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		free(d->vcpu[i]);
	free(d->vcpu);
	free(d->shared_info);
	free(d);
}

/* d is gone for good (its last reference dropped): free it now. */
void ev_domain_drop(struct domain *d)
{
	struct domain **doms[] = {&dom0, &dom1, &dom2, &dom3};

	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++)
		if (*doms[i] == d)
			*doms[i] = NULL;
	domain_free(d);
}

/* Free whatever machine is left, consistent or not. */
static void machine_free(void)
{
	struct domain **doms[] = {&dom0, &dom1, &dom2, &dom3};

	fake_cpu_recover();
	fake_xmalloc_fail_after(-1);
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++) {
		if (*doms[i])
			domain_free(*doms[i]);
		*doms[i] = NULL;
	}
	fake_domains_clear();
	fake_cpu_info.current_vcpu = NULL;
}

/* Make vCPU vcpu of d the current one. */
void ev_as(struct domain *d, unsigned int vcpu)
{
	fake_cpu_info.current_vcpu = d->vcpu[vcpu];
}

/* A fresh machine (what a failed case left behind is freed first). */
int ev_setup(void **state)
{
	machine_free();
	memset(&ev_rec, 0, sizeof(ev_rec));
	fake_set_cpu(0);
	dom0 = ev_domain_new(0, true, EV_NR_VCPUS, EVTCHN_2L_NR_CHANNELS);
	dom1 = ev_domain_new(1, false, EV_NR_VCPUS, DEFAULT_MAX_EVTCHNS);
	dom2 = ev_domain_new(2, false, EV_NR_VCPUS, DEFAULT_MAX_EVTCHNS);
	hardware_domain = dom0;
	ev_as(dom1, 0);
	fake_log_clear();
	return 0;
}

/* After the last case: free what a failed one left. */
int ev_group_teardown(void **state)
{
	machine_free();
	return 0;
}

/*
 * Every case must leave the channels consistent, no lock held and every
 * domain reference it took dropped; destroying the channels must then
 * free every bucket.
 */
int ev_teardown(void **state)
{
	struct domain *doms[] = {dom0, dom1, dom2, dom3};

	assert_int_equal(fake_locks_held(), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++) {
		if (!doms[i])
			continue;
		ev_check_invariants(doms[i]);
		assert_int_equal(doms[i]->refcnt, 1);
	}
	machine_free();
	assert_int_equal(fake_xmalloc_live(), 0);
	return 0;
}

struct evtchn *ev_chan(const struct domain *d, evtchn_port_t port)
{
	const struct evtchn *b;

	if (port >= d->max_evtchns)
		return NULL;
	b = d->evtchn_buckets[port / EVTCHNS_PER_BUCKET];
	return b ? (struct evtchn *)&b[port % EVTCHNS_PER_BUCKET] : NULL;
}

static void check_channel(struct domain *d, evtchn_port_t p,
			  const struct evtchn *c)
{
	const struct evtchn *far;
	const struct vcpu *owner;

	if (p == 0) {
		assert_int_equal(c->state, ECS_RESERVED);
		return;
	}
	assert_true(c->notify_vcpu < d->max_vcpus);
	assert_non_null(d->vcpu[c->notify_vcpu]);
	switch (c->state) {
	case ECS_FREE:
	case ECS_UNBOUND:
	case ECS_IPI:
	case ECS_PIRQ: break;
	case ECS_INTERDOMAIN:
		/* The far end is a live channel pointing back here. */
		far = ev_chan(c->u.interdomain.dom, c->u.interdomain.port);
		assert_non_null(far);
		assert_int_equal(far->state, ECS_INTERDOMAIN);
		assert_ptr_equal(far->u.interdomain.dom, d);
		assert_int_equal(far->u.interdomain.port, p);
		break;
	case ECS_VIRQ:
		assert_true(c->u.virq < NR_VIRQS);
		/* A global VIRQ is recorded on vCPU 0 wherever it notifies. */
		owner = d->vcpu[virq_is_global(c->u.virq) ? 0 : c->notify_vcpu];
		assert_int_equal(owner->virq_to_evtchn[c->u.virq], p);
		break;
	default:
		fail_msg("port %u of dom%u: state %u", p, d->domain_id,
			 c->state);
	}
}

/*
 * Every channel of d is in a known state; interdomain channels are
 * paired both ways; each VIRQ port is named by exactly the vCPU that owns
 * it, and each vCPU's VIRQ table names live VIRQ ports; no bucket exists
 * beyond the port limit.
 */
void ev_check_invariants(struct domain *d)
{
	for (unsigned int bi = 0; bi < NR_EVTCHN_BUCKETS; bi++) {
		const struct evtchn *b = d->evtchn_buckets[bi];

		if (!b)
			continue;
		assert_true(bi * EVTCHNS_PER_BUCKET < d->max_evtchns);
		for (unsigned int i = 0; i < EVTCHNS_PER_BUCKET; i++) {
			evtchn_port_t p = bi * EVTCHNS_PER_BUCKET + i;

			if (p < d->max_evtchns)
				check_channel(d, p, &b[i]);
		}
	}
	for (unsigned int vi = 0; vi < d->max_vcpus; vi++) {
		for (uint32_t virq = 0; virq < NR_VIRQS; virq++) {
			evtchn_port_t p = d->vcpu[vi]->virq_to_evtchn[virq];
			const struct evtchn *c = p ? ev_chan(d, p) : NULL;

			if (!p)
				continue;
			if (!c || c->state != ECS_VIRQ || c->u.virq != virq)
				fail_msg("dom%u vCPU %u: VIRQ %u names port "
					 "%u, which is not bound to it",
					 d->domain_id, vi, virq, p);
		}
	}
}

/* ---- Hypercalls ---------------------------------------------------------- */

long ev_op(int cmd, void *arg)
{
	return do_event_channel_op(cmd, guest_handle_from_arg(void, arg));
}

long ev_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
	long rc = ev_op(EVTCHNOP_alloc_unbound, &a);

	if (port)
		*port = a.port;
	return rc;
}

long ev_bind_interdomain(domid_t rdom, evtchn_port_t rport,
			 evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain b = {.remote_dom = rdom,
					    .remote_port = rport};
	long rc = ev_op(EVTCHNOP_bind_interdomain, &b);

	if (lport)
		*lport = b.local_port;
	return rc;
}

long ev_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
	long rc = ev_op(EVTCHNOP_bind_virq, &b);

	if (port)
		*port = b.port;
	return rc;
}

long ev_bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi b = {.vcpu = vcpu};
	long rc = ev_op(EVTCHNOP_bind_ipi, &b);

	if (port)
		*port = b.port;
	return rc;
}

long ev_bind_pirq(uint32_t pirq, evtchn_port_t *port)
{
	struct evtchn_bind_pirq b = {.pirq = pirq};
	long rc = ev_op(EVTCHNOP_bind_pirq, &b);

	if (port)
		*port = b.port;
	return rc;
}

long ev_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

	return ev_op(EVTCHNOP_bind_vcpu, &b);
}

long ev_send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	return ev_op(EVTCHNOP_send, &s);
}

long ev_close(evtchn_port_t port)
{
	struct evtchn_close c = {.port = port};

	return ev_op(EVTCHNOP_close, &c);
}

long ev_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = {.port = port};

	return ev_op(EVTCHNOP_unmask, &u);
}

long ev_reset(domid_t dom)
{
	struct evtchn_reset r = {.dom = dom};

	return ev_op(EVTCHNOP_reset, &r);
}

long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0xa5, sizeof(*st));
	st->dom = dom;
	st->port = port;
	return ev_op(EVTCHNOP_status, st);
}

/* A new IPI port notifying vCPU vcpu of the current domain. */
evtchn_port_t ev_ipi(uint32_t vcpu)
{
	evtchn_port_t p;

	assert_int_equal(ev_bind_ipi(vcpu, &p), 0);
	return p;
}

/* The EVTCHNSTAT_* of port p of d, asked by the privileged dom0. */
uint32_t ev_state(struct domain *d, evtchn_port_t p)
{
	struct vcpu *was = fake_cpu_info.current_vcpu;
	struct evtchn_status st;

	ev_as(dom0, 0);
	assert_int_equal(ev_status(d->domain_id, p, &st), 0);
	fake_cpu_info.current_vcpu = was;
	return st.status;
}

/*
 * da offers a port to db (alloc_unbound), db binds to it; the current
 * vCPU is left as it was.
 */
evtchn_port_t ev_connect(struct domain *da, struct domain *db, evtchn_port_t *a)
{
	struct vcpu *was = fake_cpu_info.current_vcpu;
	evtchn_port_t b;

	ev_as(da, 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, db->domain_id, a), 0);
	ev_as(db, 0);
	assert_int_equal(ev_bind_interdomain(da->domain_id, *a, &b), 0);
	fake_cpu_info.current_vcpu = was;
	return b;
}

/* ---- The guest's view ------------------------------------------------- */

static bool bit(const xen_ulong_t *words, evtchn_port_t port)
{
	return (words[port / BITS_PER_WORD] >> (port % BITS_PER_WORD)) & 1;
}

bool ev_pending(const struct domain *d, evtchn_port_t port)
{
	return bit(d->shared_info->evtchn_pending, port);
}

bool ev_masked(const struct domain *d, evtchn_port_t port)
{
	return bit(d->shared_info->evtchn_mask, port);
}

/* The guest masks a port (a bit in its shared_info). */
void ev_mask(struct domain *d, evtchn_port_t port)
{
	d->shared_info->evtchn_mask[port / BITS_PER_WORD] |=
		(xen_ulong_t)1 << (port % BITS_PER_WORD);
}

xen_ulong_t ev_sel(const struct domain *d, unsigned int vcpu)
{
	return d->shared_info->vcpu_info[vcpu].evtchn_pending_sel;
}

uint8_t ev_upcall(const struct domain *d, unsigned int vcpu)
{
	return d->shared_info->vcpu_info[vcpu].evtchn_upcall_pending;
}

/* The guest's event handler ran on every vCPU: all bits are clear. */
void ev_guest_acks(struct domain *d)
{
	memset(d->shared_info->evtchn_pending, 0,
	       sizeof(d->shared_info->evtchn_pending));
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		d->shared_info->vcpu_info[i].evtchn_pending_sel = 0;
		d->shared_info->vcpu_info[i].evtchn_upcall_pending = 0;
	}
}

/* No port of d is pending and no vCPU of d has a selector or upcall. */
bool ev_nothing_pending(const struct domain *d)
{
	const struct shared_info *s = d->shared_info;

	for (unsigned int w = 0; w < ARRAY_SIZE(s->evtchn_pending); w++)
		if (s->evtchn_pending[w])
			return false;
	for (unsigned int v = 0; v < d->max_vcpus; v++)
		if (ev_sel(d, v) || ev_upcall(d, v))
			return false;
	return true;
}

unsigned int ev_kicks(const struct domain *d, unsigned int vcpu)
{
	return ev_rec.kicks[d->domain_id][vcpu];
}
