/*
 * Unit tests for event channels (common/event_channel.c, with the 2-level
 * bits of common/event_2l.c), through HYPERVISOR_event_channel_op on the
 * machine of ev_fixture.h: port allocation (lowest free, port 0 reserved,
 * the port limit, buckets allocated as used, allocation failure),
 * alloc_unbound, bind_interdomain, bind_ipi, bind_pirq and bind_vcpu with
 * their refusals, close (the far end returns to unbound), status of
 * every state, reset, the destruction of a domain's channels, the
 * hypercall's edges, and hostile and random operation sequences. Sends,
 * delivery and VIRQs are in test_event_delivery.c. Expected answers are Xen
 * 4.17's unless a comment says otherwise. After every case the fixture
 * checks that channels are paired both ways and each VIRQ binding names
 * a live VIRQ port, then destroys every domain's channels; a bucket left
 * behind fails the case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/guest_access.h>
#include <asm/memlayout.h>

#include "ev_fixture.h"
#include "fake/fake.h"

#define ALL_BITS 0xffffffffU

/* ---- Port allocation -------------------------------------------------- */

static void ports_are_allocated_lowest_first(void **state)
{
	evtchn_port_t p;

	for (evtchn_port_t want = 1; want <= 3; want++) {
		assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
		assert_int_equal(p, want);
	}
	assert_int_equal(ev_close(2), 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(p, 2);
	assert_int_equal(ev_ipi(0), 4);
}

static void port_zero_is_reserved(void **state)
{
	struct evtchn_status st;

	assert_int_equal(ev_status(DOMID_SELF, 0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(ev_close(0), -EINVAL);
	assert_int_equal(ev_send(0), -EINVAL);
	assert_int_equal(ev_bind_vcpu(0, 1), -EINVAL);
	assert_int_equal(ev_unmask(0), 0);
	ev_as(dom2, 0);
	assert_int_equal(ev_bind_interdomain(1, 0, NULL), -EINVAL);
	assert_int_equal(ev_reset(DOMID_SELF), 0);
	assert_int_equal(ev_chan(dom1, 0)->state, ECS_RESERVED);
	assert_int_equal(ev_chan(dom2, 0)->state, ECS_RESERVED);
}

static void port_limit_gives_enospc(void **state)
{
	evtchn_port_t p, remote;

	dom3 = ev_domain_new(3, false, 1, 3); /* ports 0 .. 2 */
	ev_as(dom3, 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 1, &p), 0);
	assert_int_equal(p, 1);
	assert_int_equal(ev_ipi(0), 2);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 1, NULL), -ENOSPC);
	assert_int_equal(ev_bind_ipi(0, NULL), -ENOSPC);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 0, NULL), -ENOSPC);
	assert_int_equal(dom3->vcpu[0]->virq_to_evtchn[VIRQ_TIMER], 0);
	ev_as(dom1, 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 3, &remote), 0);
	ev_as(dom3, 0);
	assert_int_equal(ev_bind_interdomain(1, remote, NULL), -ENOSPC);
	assert_int_equal(ev_state(dom1, remote), EVTCHNSTAT_unbound);
	assert_int_equal(ev_status(DOMID_SELF, 3, &(struct evtchn_status){0}),
			 -EINVAL);

	assert_int_equal(ev_close(1), 0);
	assert_int_equal(ev_bind_interdomain(1, remote, &p), 0);
	assert_int_equal(p, 1);
}

static void ordinary_domain_has_1024_ports(void **state)
{
	for (evtchn_port_t want = 1; want < DEFAULT_MAX_EVTCHNS; want++)
		assert_int_equal(ev_ipi(0), want);
	assert_int_equal(ev_bind_ipi(0, NULL), -ENOSPC);
	for (unsigned int bi = 0; bi < NR_EVTCHN_BUCKETS; bi++)
		assert_true(!dom1->evtchn_buckets[bi] ==
			    (bi >= DEFAULT_MAX_EVTCHNS / EVTCHNS_PER_BUCKET));
	assert_int_equal(ev_send(DEFAULT_MAX_EVTCHNS - 1), 0);
	assert_true(ev_pending(dom1, DEFAULT_MAX_EVTCHNS - 1));
}

static void port_limit_is_clamped(void **state)
{
	struct domain d = {.domain_id = 9};

	assert_int_equal(evtchn_init(&d, 0), 0);
	assert_int_equal(d.max_evtchns, 2); /* port 0 and one more */
	evtchn_destroy(&d);
	assert_int_equal(evtchn_init(&d, 1U << 20), 0);
	assert_int_equal(d.max_evtchns, EVTCHN_2L_NR_CHANNELS);
	evtchn_destroy(&d);
	assert_int_equal(dom0->max_evtchns, EVTCHN_2L_NR_CHANNELS);
}

static void buckets_are_allocated_as_ports_are_used(void **state)
{
	unsigned long live = fake_xmalloc_live();

	assert_non_null(dom1->evtchn_buckets[0]);
	for (unsigned int bi = 1; bi < NR_EVTCHN_BUCKETS; bi++)
		assert_null(dom1->evtchn_buckets[bi]);
	for (evtchn_port_t want = 1; want < EVTCHNS_PER_BUCKET; want++)
		assert_int_equal(ev_ipi(0), want);
	assert_null(dom1->evtchn_buckets[1]);
	assert_int_equal(fake_xmalloc_live(), live);

	assert_int_equal(ev_ipi(1), EVTCHNS_PER_BUCKET);
	assert_non_null(dom1->evtchn_buckets[1]);
	assert_null(dom1->evtchn_buckets[2]);
	assert_int_equal(fake_xmalloc_live(), live + 1);
	/* A free port in an allocated bucket needs no new one. */
	assert_int_equal(ev_close(5), 0);
	assert_int_equal(ev_ipi(0), 5);
	assert_int_equal(fake_xmalloc_live(), live + 1);
}

static void allocation_failure_gives_enomem(void **state)
{
	evtchn_port_t remote, p;
	struct domain d = {.domain_id = 9};

	for (evtchn_port_t want = 1; want < EVTCHNS_PER_BUCKET; want++)
		assert_int_equal(ev_ipi(0), want);
	ev_as(dom2, 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 1, &remote), 0);
	ev_as(dom1, 0);

	fake_xmalloc_fail_after(0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, NULL), -ENOMEM);
	assert_int_equal(ev_bind_ipi(0, NULL), -ENOMEM);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 0, NULL), -ENOMEM);
	assert_int_equal(dom1->vcpu[0]->virq_to_evtchn[VIRQ_TIMER], 0);
	assert_int_equal(ev_bind_interdomain(2, remote, NULL), -ENOMEM);
	assert_int_equal(ev_state(dom2, remote), EVTCHNSTAT_unbound);
	assert_null(dom1->evtchn_buckets[1]);
	assert_int_equal(evtchn_init(&d, 64), -ENOMEM);
	assert_null(d.evtchn_buckets[0]);

	fake_xmalloc_fail_after(-1);
	assert_int_equal(ev_bind_interdomain(2, remote, &p), 0);
	assert_int_equal(p, EVTCHNS_PER_BUCKET);
}

/* ---- alloc_unbound ---------------------------------------------------- */

static void alloc_unbound_for_self(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p, q, r;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(ev_alloc_unbound(1, 2, &q), 0); /* own id */
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &r), 0);
	assert_int_equal(ev_status(DOMID_SELF, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(ev_status(DOMID_SELF, q, &st), 0);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(ev_status(DOMID_SELF, r, &st), 0);
	assert_int_equal(st.u.unbound.dom, 1); /* DOMID_SELF: the caller */
	assert_int_equal(dom1->refcnt, 1);
}

static void privileged_domain_allocates_for_another(void **state)
{
	evtchn_port_t p, q, own;

	ev_as(dom0, 0);
	assert_int_equal(ev_alloc_unbound(1, 2, &p), 0);
	assert_int_equal(p, 1);
	assert_int_equal(ev_chan(dom1, p)->state, ECS_UNBOUND);
	assert_int_equal(ev_chan(dom1, p)->u.unbound_remote, 2);
	assert_int_equal(ev_chan(dom0, 1)->state, ECS_FREE);
	/* A remote of DOMID_SELF means the caller, not the port's owner. */
	assert_int_equal(ev_alloc_unbound(1, DOMID_SELF, &q), 0);
	assert_int_equal(ev_chan(dom1, q)->u.unbound_remote, 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 1, &own), 0);
	assert_int_equal(ev_chan(dom0, own)->state, ECS_UNBOUND);
	assert_int_equal(ev_alloc_unbound(7, 1, NULL), -ESRCH);
	assert_int_equal(dom1->refcnt, 1);

	ev_as(dom2, 0);
	assert_int_equal(ev_bind_interdomain(1, p, NULL), 0);
	ev_as(dom0, 0);
	assert_int_equal(ev_bind_interdomain(1, q, NULL), 0);
}

static void unprivileged_cannot_allocate_for_another(void **state)
{
	assert_int_equal(ev_alloc_unbound(2, 1, NULL), -EPERM);
	assert_int_equal(ev_alloc_unbound(0, 1, NULL), -EPERM);
	assert_int_equal(ev_alloc_unbound(7, 1, NULL), -EPERM);
	assert_int_equal(ev_chan(dom2, 1)->state, ECS_FREE);
	assert_int_equal(ev_chan(dom0, 1)->state, ECS_FREE);
	assert_int_equal(dom2->refcnt, 1);
}

/* ---- bind_interdomain ------------------------------------------------- */

static void bind_interdomain_connects_both_ends(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1, p2;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p1), 0);
	ev_as(dom2, 0);
	assert_int_equal(ev_bind_interdomain(1, p1, &p2), 0);
	assert_int_equal(ev_status(DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, p1);
	ev_as(dom1, 0);
	assert_int_equal(ev_status(DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 2);
	assert_int_equal(st.u.interdomain.port, p2);
	/* A send to the unbound end may have been lost: the binder hears. */
	assert_true(ev_pending(dom2, p2));
	assert_int_equal(ev_upcall(dom2, 0), 1);
	assert_false(ev_pending(dom1, p1));
	assert_int_equal(dom1->refcnt, 1);
	assert_int_equal(dom2->refcnt, 1);
}

static void bind_interdomain_to_port_for_another_fails(void **state)
{
	evtchn_port_t p;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
	ev_as(dom0, 0); /* privilege does not help */
	assert_int_equal(ev_bind_interdomain(1, p, NULL), -EINVAL);
	assert_int_equal(ev_chan(dom1, p)->state, ECS_UNBOUND);
	assert_int_equal(ev_chan(dom1, p)->u.unbound_remote, 2);
	assert_int_equal(ev_chan(dom0, 1)->state, ECS_FREE);
	assert_int_equal(dom1->refcnt, 1);
}

static void bind_interdomain_refuses_bad_remote_ports(void **state)
{
	static const evtchn_port_t bad[] = {0, 5, DEFAULT_MAX_EVTCHNS - 1,
					    DEFAULT_MAX_EVTCHNS, ALL_BITS};
	evtchn_port_t own_ipi = ev_ipi(0), p1, p2;

	p2 = ev_connect(dom1, dom2, &p1);
	ev_as(dom2, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(ev_bind_interdomain(1, bad[i], NULL), -EINVAL);
	assert_int_equal(ev_bind_interdomain(1, own_ipi, NULL), -EINVAL);
	assert_int_equal(ev_bind_interdomain(1, p1, NULL), -EINVAL);
	assert_int_equal(ev_bind_interdomain(9, 1, NULL), -ESRCH);
	assert_int_equal(ev_bind_interdomain(DOMID_INVALID, 1, NULL), -ESRCH);
	/* Nothing was consumed: the next port is the one after p2. */
	assert_int_equal(ev_ipi(0), p2 + 1);
	assert_int_equal(dom1->refcnt, 1);
}

static void loopback_channel_within_a_domain(void **state)
{
	evtchn_port_t p, l;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	assert_int_equal(ev_bind_interdomain(DOMID_SELF, p, &l), 0);
	assert_int_not_equal(l, p);
	assert_ptr_equal(ev_chan(dom1, l)->u.interdomain.dom, dom1);
	assert_int_equal(ev_chan(dom1, l)->u.interdomain.port, p);
	assert_ptr_equal(ev_chan(dom1, p)->u.interdomain.dom, dom1);
	assert_int_equal(ev_chan(dom1, p)->u.interdomain.port, l);

	ev_guest_acks(dom1);
	assert_int_equal(ev_send(l), 0);
	assert_true(ev_pending(dom1, p));
	assert_false(ev_pending(dom1, l));
	ev_guest_acks(dom1);
	assert_int_equal(ev_send(p), 0);
	assert_true(ev_pending(dom1, l));
	assert_false(ev_pending(dom1, p));

	assert_int_equal(ev_close(l), 0);
	assert_int_equal(ev_chan(dom1, p)->state, ECS_UNBOUND);
	assert_int_equal(ev_chan(dom1, p)->u.unbound_remote, 1);
	assert_int_equal(ev_bind_interdomain(1, p, NULL), 0);
	assert_int_equal(dom1->refcnt, 1);
}

/* ---- bind_ipi and bind_vcpu ------------------------------------------- */

static void bind_ipi_checks_the_vcpu(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p = ev_ipi(1);

	assert_int_equal(ev_status(DOMID_SELF, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(ev_bind_ipi(2, NULL), -ENOENT);
	assert_int_equal(ev_bind_ipi(ALL_BITS, NULL), -ENOENT);
	assert_int_equal(ev_ipi(0), p + 1);
}

static void bind_vcpu_moves_channels_that_may_move(void **state)
{
	struct evtchn_status st;
	evtchn_port_t un, p1, p2, gv, pq;

	p2 = ev_connect(dom2, dom1, &p1); /* p2 is dom1's */
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &un), 0);
	assert_int_equal(ev_bind_virq(VIRQ_CONSOLE, 0, &gv), 0);
	assert_int_equal(ev_bind_pirq(5, &pq), 0);
	evtchn_port_t movable[] = {un, p2, gv, pq};

	for (unsigned int i = 0; i < ARRAY_SIZE(movable); i++) {
		assert_int_equal(ev_bind_vcpu(movable[i], 1), 0);
		assert_int_equal(ev_status(DOMID_SELF, movable[i], &st), 0);
		assert_int_equal(st.vcpu, 1);
	}
	ev_guest_acks(dom1);
	ev_as(dom2, 0);
	assert_int_equal(ev_send(p1), 0);
	assert_int_equal(ev_upcall(dom1, 1), 1);
	assert_int_equal(ev_upcall(dom1, 0), 0);
	assert_int_equal(ev_kicks(dom1, 1), 1);
}

static void bind_vcpu_refuses_channels_of_one_vcpu(void **state)
{
	evtchn_port_t t, i = ev_ipi(0);

	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 0, &t), 0);
	assert_int_equal(ev_bind_vcpu(t, 1), -EINVAL);
	assert_int_equal(ev_bind_vcpu(i, 1), -EINVAL);
	assert_int_equal(ev_chan(dom1, t)->notify_vcpu, 0);
	assert_int_equal(ev_chan(dom1, i)->notify_vcpu, 0);
	assert_int_equal(ev_bind_vcpu(50, 1), -EINVAL);
	assert_int_equal(ev_bind_vcpu(500, 1), -EINVAL);
	assert_int_equal(ev_bind_vcpu(DEFAULT_MAX_EVTCHNS, 1), -EINVAL);
	assert_int_equal(ev_bind_vcpu(ALL_BITS, 1), -EINVAL);
	assert_int_equal(ev_bind_vcpu(i, 2), -ENOENT);
	assert_int_equal(ev_bind_vcpu(i, ALL_BITS), -ENOENT);
}

/* ---- close ------------------------------------------------------------ */

static void closing_one_end_leaves_the_other_unbound(void **state)
{
	evtchn_port_t p1, p2 = ev_connect(dom1, dom2, &p1), again;

	assert_int_equal(ev_close(p1), 0);
	assert_int_equal(ev_chan(dom1, p1)->state, ECS_FREE);
	assert_int_equal(ev_chan(dom2, p2)->state, ECS_UNBOUND);
	assert_int_equal(ev_chan(dom2, p2)->u.unbound_remote, 1);
	ev_as(dom2, 0);
	ev_guest_acks(dom1);
	assert_int_equal(ev_send(p2), 0); /* dropped */
	assert_true(ev_nothing_pending(dom1));

	ev_as(dom1, 0);
	assert_int_equal(ev_bind_interdomain(2, p2, &again), 0);
	assert_int_equal(again, p1);
	ev_as(dom2, 0);
	assert_int_equal(ev_close(p2), 0);
	assert_int_equal(ev_chan(dom1, again)->state, ECS_UNBOUND);
	assert_int_equal(ev_chan(dom1, again)->u.unbound_remote, 2);
	assert_int_equal(dom1->refcnt, 1);
	assert_int_equal(dom2->refcnt, 1);
}

/*
 * Another CPU's part in the next case: once dom1 lets go of its lock in
 * the middle of closing its end, dom2 is destroyed (its channels closed)
 * and its "alive" reference dropped; if that was the last one, dom2 is
 * freed.
 */
static void destroy_dom2_meanwhile(spinlock_t *l)
{
	if (l != &dom1->event_lock)
		return;
	fake_after_unlock = NULL;
	dom2->is_dying = true;
	evtchn_destroy(dom2);
	put_domain(dom2);
	if (!dom2->refcnt)
		ev_domain_drop(dom2);
}

/*
 * Closing an interdomain channel drops the closer's lock to take both
 * in order; meanwhile the far domain may be destroyed. The closer holds
 * a reference across the gap, so the far domain is freed only after it.
 */
static void far_domain_destroyed_while_closing(void **state)
{
	evtchn_port_t p1, p2 = ev_connect(dom1, dom2, &p1);
	struct domain *far = dom2;

	assert_int_equal(p2, 1);
	fake_after_unlock = destroy_dom2_meanwhile;
	assert_int_equal(ev_close(p1), 0);
	assert_null(fake_after_unlock);
	assert_int_equal(ev_chan(dom1, p1)->state, ECS_FREE);
	assert_ptr_equal(dom2, far); /* not freed while the closer held it */
	assert_int_equal(far->refcnt, 0);
	ev_domain_drop(far);
}

static void closing_a_closed_port_fails(void **state)
{
	evtchn_port_t p = ev_ipi(0);

	assert_int_equal(ev_close(p), 0);
	assert_int_equal(ev_close(p), -EINVAL);
	assert_int_equal(ev_close(500), -EINVAL);
	assert_int_equal(ev_close(DEFAULT_MAX_EVTCHNS), -EINVAL);
	assert_int_equal(ev_close(ALL_BITS), -EINVAL);
}

static void close_clears_pending_and_the_vcpu(void **state)
{
	evtchn_port_t p, q;
	struct evtchn_status st;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	assert_int_equal(ev_bind_vcpu(p, 1), 0);
	assert_int_equal(ev_bind_interdomain(DOMID_SELF, p, &q), 0);
	assert_int_equal(ev_send(q), 0);
	assert_true(ev_pending(dom1, p));
	assert_int_equal(ev_close(p), 0);
	assert_false(ev_pending(dom1, p));
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &q), 0);
	assert_int_equal(q, p);
	assert_int_equal(ev_status(DOMID_SELF, q, &st), 0);
	assert_int_equal(st.vcpu, 0);
}

static void close_unbinds_virqs_and_pirqs(void **state)
{
	evtchn_port_t t, q;

	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, &t), 0);
	assert_int_equal(ev_close(t), 0);
	assert_int_equal(dom1->vcpu[1]->virq_to_evtchn[VIRQ_TIMER], 0);
	send_guest_vcpu_virq(dom1->vcpu[1], VIRQ_TIMER);
	assert_true(ev_nothing_pending(dom1));
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, NULL), 0);

	assert_int_equal(ev_bind_pirq(9, &q), 0);
	assert_int_equal(ev_close(q), 0);
	assert_int_equal(ev_rec.pirq_unbinds, 1);
	assert_int_equal(ev_rec.last_unbound_pirq, 9);
}

/* ---- pirq ------------------------------------------------------------- */

static void bind_pirq_and_its_delivery(void **state)
{
	struct evtchn_status st;
	struct evtchn_bind_pirq b = {.pirq = 4, .flags = 2};
	evtchn_port_t p, other = ev_ipi(0);

	assert_int_equal(ev_op(EVTCHNOP_bind_pirq, &b), -EINVAL);
	ev_rec.pirq_bind_rc = -EPERM;
	assert_int_equal(ev_bind_pirq(4, NULL), -EPERM);
	assert_int_equal(ev_chan(dom1, other + 1)->state, ECS_FREE);
	ev_rec.pirq_bind_rc = 0;
	assert_int_equal(ev_bind_pirq(4, &p), 0);
	assert_int_equal(p, other + 1);
	assert_int_equal(ev_rec.last_pirq, 4);
	assert_int_equal(ev_rec.last_pirq_port, p);
	assert_int_equal(ev_status(DOMID_SELF, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_pirq);
	assert_int_equal(st.u.pirq, 4);

	evtchn_send_pirq(dom1, other); /* not a pirq port: ignored */
	evtchn_send_pirq(dom1, ALL_BITS);
	assert_true(ev_nothing_pending(dom1));
	evtchn_send_pirq(dom1, p);
	assert_true(ev_pending(dom1, p));
	assert_int_equal(ev_upcall(dom1, 0), 1);
}

/* ---- status ----------------------------------------------------------- */

static void status_reports_every_state(void **state)
{
	evtchn_port_t un, p1, p2, v, i, q;
	struct evtchn_status st;

	p2 = ev_connect(dom2, dom1, &p1);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 0, &un), 0);
	assert_int_equal(ev_bind_virq(VIRQ_DEBUG, 1, &v), 0);
	i = ev_ipi(1);
	assert_int_equal(ev_bind_pirq(11, &q), 0);

	assert_int_equal(ev_status(DOMID_SELF, 60, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	/* Beyond the allocated buckets: -EINVAL, as Xen. */
	assert_int_equal(ev_status(DOMID_SELF, 700, &st), -EINVAL);
	assert_int_equal(ev_status(DOMID_SELF, un, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 0);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(ev_status(DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 2);
	assert_int_equal(st.u.interdomain.port, p1);
	assert_int_equal(ev_status(DOMID_SELF, v, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_DEBUG);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(ev_status(DOMID_SELF, i, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(ev_status(DOMID_SELF, q, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_pirq);
	assert_int_equal(st.u.pirq, 11);
}

static void status_of_other_domains_needs_privilege(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(ev_status(2, 1, &st), -EPERM);
	assert_int_equal(ev_status(0, 1, &st), -EPERM);
	assert_int_equal(ev_status(DOMID_SELF, DEFAULT_MAX_EVTCHNS, &st),
			 -EINVAL);
	assert_int_equal(ev_status(DOMID_SELF, ALL_BITS, &st), -EINVAL);
	ev_as(dom0, 0);
	assert_int_equal(ev_status(1, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(ev_status(9, 1, &st), -ESRCH);
	assert_int_equal(ev_status(DOMID_INVALID, 1, &st), -ESRCH);
	assert_int_equal(dom2->refcnt, 1);
}

/* ---- reset and destruction -------------------------------------------- */

/* dom1 gets one channel of every kind; returns its highest port. */
static evtchn_port_t populate_dom1(void)
{
	evtchn_port_t p, l, top;

	ev_as(dom1, 0);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, NULL), 0);
	ev_connect(dom1, dom2, &p);
	ev_connect(dom2, dom1, &p);
	ev_connect(dom1, dom0, &p);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
	assert_int_equal(ev_bind_interdomain(DOMID_SELF, p, &l), 0);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, NULL), 0);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, &p), 0);
	assert_int_equal(ev_bind_vcpu(p, 1), 0);
	assert_int_equal(ev_bind_ipi(1, NULL), 0);
	assert_int_equal(ev_bind_pirq(6, &top), 0);
	return top;
}

static void assert_no_channels(struct domain *d)
{
	for (evtchn_port_t p = 1; p < d->max_evtchns; p++) {
		const struct evtchn *c = ev_chan(d, p);

		assert_true(!c || c->state == ECS_FREE);
	}
	for (unsigned int v = 0; v < d->max_vcpus; v++)
		for (uint32_t virq = 0; virq < NR_VIRQS; virq++)
			assert_int_equal(d->vcpu[v]->virq_to_evtchn[virq], 0);
}

/* No channel of d leads to domain `to` any more. */
static void assert_unbound_towards(struct domain *d, struct domain *to)
{
	unsigned int unbound = 0;

	for (evtchn_port_t p = 1; p < d->max_evtchns; p++) {
		const struct evtchn *c = ev_chan(d, p);

		if (!c)
			continue;
		if (c->state == ECS_INTERDOMAIN)
			assert_ptr_not_equal(c->u.interdomain.dom, to);
		if (c->state == ECS_UNBOUND &&
		    c->u.unbound_remote == to->domain_id)
			unbound++;
	}
	assert_true(unbound > 0);
}

static void reset_closes_every_port(void **state)
{
	evtchn_port_t p;

	populate_dom1();
	assert_int_equal(ev_reset(DOMID_SELF), 0);
	assert_no_channels(dom1);
	assert_int_equal(ev_chan(dom1, 0)->state, ECS_RESERVED);
	assert_int_equal(ev_rec.pirq_unbinds, 1);
	assert_unbound_towards(dom2, dom1);
	assert_unbound_towards(dom0, dom1);
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(p, 1);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, NULL), 0);
}

static void reset_of_another_domain_needs_privilege_and_a_pause(void **state)
{
	evtchn_port_t p2, p;

	p2 = ev_connect(dom2, dom1, &p);
	assert_int_equal(ev_reset(2), -EPERM);
	assert_int_equal(ev_chan(dom2, p)->state, ECS_INTERDOMAIN);
	ev_as(dom0, 0);
	assert_int_equal(ev_reset(9), -ESRCH);
	/* As in Xen: only while the controller keeps the domain paused. */
	assert_int_equal(ev_reset(1), -EINVAL);
	assert_int_equal(ev_chan(dom2, p)->state, ECS_INTERDOMAIN);
	dom1->controller_paused = true;
	assert_int_equal(ev_reset(1), 0);
	assert_no_channels(dom1);
	assert_int_equal(ev_chan(dom2, p)->state, ECS_UNBOUND);
	assert_int_equal(p2, 1);
	assert_int_equal(dom1->refcnt, 1);
}

static void destroy_closes_every_channel_and_frees_buckets(void **state)
{
	unsigned long live;
	evtchn_port_t top = populate_dom1(), to2;
	struct evtchn_status st;

	/* Three buckets in use, with a channel to dom2 in the last. */
	while (top < 2 * EVTCHNS_PER_BUCKET + 10)
		top = ev_ipi(0);
	ev_connect(dom1, dom2, &to2);
	live = fake_xmalloc_live();
	assert_non_null(dom1->evtchn_buckets[2]);

	evtchn_destroy(dom1);
	for (unsigned int bi = 0; bi < NR_EVTCHN_BUCKETS; bi++)
		assert_null(dom1->evtchn_buckets[bi]);
	assert_int_equal(fake_xmalloc_live(), live - 3);
	assert_int_equal(dom1->max_evtchns, 0);
	assert_unbound_towards(dom2, dom1);
	assert_unbound_towards(dom0, dom1);
	for (unsigned int v = 0; v < dom1->max_vcpus; v++)
		for (uint32_t virq = 0; virq < NR_VIRQS; virq++)
			assert_int_equal(dom1->vcpu[v]->virq_to_evtchn[virq],
					 0);

	/* Sends towards it are dropped; its own operations are refused. */
	ev_guest_acks(dom1);
	ev_as(dom2, 0);
	for (evtchn_port_t p = 1; p < 8; p++)
		ev_send(p);
	assert_true(ev_nothing_pending(dom1));
	ev_as(dom1, 0);
	assert_true(ev_alloc_unbound(DOMID_SELF, 2, NULL) < 0);
	assert_int_equal(ev_send(1), -EINVAL);
	assert_int_equal(ev_close(1), -EINVAL);
	assert_int_equal(ev_unmask(1), -EINVAL);
	assert_int_equal(ev_status(DOMID_SELF, 1, &st), -EINVAL);
	assert_int_equal(ev_reset(DOMID_SELF), 0);
	send_guest_vcpu_virq(dom1->vcpu[1], VIRQ_TIMER);
	assert_true(ev_nothing_pending(dom1));
}

/* ---- The hypercall's edges -------------------------------------------- */

static void compat_op_reaches_the_same_operations(void **state)
{
	struct evtchn_op op = {.cmd = EVTCHNOP_alloc_unbound};

	op.u.alloc_unbound.dom = DOMID_SELF;
	op.u.alloc_unbound.remote_dom = 2;
	assert_int_equal(do_event_channel_op_compat(
				 guest_handle_from_arg(evtchn_op_t, &op)),
			 0);
	assert_int_equal(op.u.alloc_unbound.port, 1);
	assert_int_equal(ev_chan(dom1, 1)->state, ECS_UNBOUND);
	op.cmd = 99;
	assert_int_equal(do_event_channel_op_compat(
				 guest_handle_from_arg(evtchn_op_t, &op)),
			 -ENOSYS);
	assert_int_equal(do_event_channel_op_compat(guest_handle_from_arg(
				 evtchn_op_t, HV_RANGE_START)),
			 -EFAULT);
}

static void bad_argument_pointers_fault(void **state)
{
	static const int cmds[] = {
		EVTCHNOP_bind_interdomain,
		EVTCHNOP_bind_virq,
		EVTCHNOP_bind_pirq,
		EVTCHNOP_close,
		EVTCHNOP_send,
		EVTCHNOP_status,
		EVTCHNOP_alloc_unbound,
		EVTCHNOP_bind_ipi,
		EVTCHNOP_bind_vcpu,
		EVTCHNOP_unmask,
		EVTCHNOP_reset,
	};
	/* The last byte crosses out of the lower canonical half. */
	void *edge = (void *)(0x0000800000000000UL - 1);

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		assert_int_equal(ev_op(cmds[i], (void *)HV_RANGE_START),
				 -EFAULT);
		assert_int_equal(ev_op(cmds[i], edge), -EFAULT);
	}
	assert_int_equal(ev_chan(dom1, 1)->state, ECS_FREE);
}

static void fifo_and_unknown_operations_are_not_offered(void **state)
{
	char junk[64] = {0};
	static const int cmds[] = {EVTCHNOP_init_control,
				   EVTCHNOP_expand_array,
				   EVTCHNOP_set_priority,
				   14,
				   100,
				   -1,
				   0x7fffffff};

	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++)
		assert_int_equal(ev_op(cmds[i], junk), -ENOSYS);
}

/* ---- Hostile and random sequences ------------------------------------- */

static bool known_answer(long rc)
{
	switch (rc) {
	case 0:
	case -EINVAL:
	case -EPERM:
	case -ESRCH:
	case -ENOENT:
	case -EEXIST:
	case -ENOSPC:
	case -ENOSYS:
	case -EFAULT: return true;
	default: return false;
	}
}

static void check_all(void)
{
	ev_check_invariants(dom0);
	ev_check_invariants(dom1);
	ev_check_invariants(dom2);
	assert_int_equal(fake_locks_held(), 0);
	assert_int_equal(dom0->refcnt + dom1->refcnt + dom2->refcnt, 3);
}

/* Every operation with every argument word garbage, from each domain. */
static void hostile_arguments_never_crash(void **state)
{
	static const uint32_t garbage[] = {
		0,	    1,	     2,	     3,		 23,
		24,	    127,     128,    1023,	 1024,
		4095,	    4096,    0x7fff, DOMID_SELF, DOMID_INVALID,
		0x80000000, ALL_BITS};
	struct domain *callers[] = {dom1, dom2, dom0};
	uint32_t arg[16];

	for (unsigned int c = 0; c < ARRAY_SIZE(callers); c++) {
		ev_as(callers[c], c % 2);
		for (int cmd = -1; cmd <= 16; cmd++) {
			for (unsigned int g = 0; g < ARRAY_SIZE(garbage); g++) {
				for (unsigned int w = 0; w < ARRAY_SIZE(arg);
				     w++)
					arg[w] = garbage[(g + w) %
							 ARRAY_SIZE(garbage)];
				long rc = ev_op(cmd, arg);

				if (!known_answer(rc))
					fail_msg("cmd %d garbage %u: %ld", cmd,
						 g, rc);
				check_all();
			}
		}
	}
}

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245U + 12345U;
	return *seed >> 8;
}

/*
 * Thousands of operations with random small arguments, by random
 * domains: every answer is a known one, and after each the channels are
 * paired and every VIRQ binding is live.
 */
static void random_operations_keep_channels_consistent(void **state)
{
	struct domain *doms[] = {dom0, dom1, dom2};
	uint32_t seed = 20240601;

	for (unsigned int n = 0; n < 20000; n++) {
		uint32_t r = next_random(&seed);
		struct domain *d = doms[r % 3];
		uint32_t a = next_random(&seed) % 140;
		uint32_t b = next_random(&seed) % 4;
		uint32_t v = next_random(&seed) % 3;
		domid_t dom = b == 3 ? DOMID_SELF : (domid_t)b;
		long rc;

		ev_as(d, v % 2);
		switch (next_random(&seed) % 11) {
		case 0: rc = ev_alloc_unbound(dom, (domid_t)v, NULL); break;
		case 1: rc = ev_bind_interdomain(dom, a, NULL); break;
		case 2: rc = ev_bind_virq(a % 26, v, NULL); break;
		case 3: rc = ev_bind_ipi(v, NULL); break;
		case 4: rc = ev_bind_vcpu(a, v); break;
		case 5: rc = ev_send(a); break;
		case 6:
		case 7: rc = ev_close(a); break;
		case 8: rc = ev_unmask(a); break;
		case 9:
			if (!(a % 2))
				ev_mask(d, a);
			rc = 0;
			break;
		default:
			rc = (a % 50) ? 0 : ev_reset(dom);
			send_global_virq(a % NR_VIRQS);
			send_guest_vcpu_virq(d->vcpu[v % 2], a % NR_VIRQS);
			break;
		}
		if (!known_answer(rc))
			fail_msg("step %u: %ld", n, rc);
		check_all();
	}
}

#define EV_TEST(f) cmocka_unit_test_setup_teardown(f, ev_setup, ev_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		EV_TEST(ports_are_allocated_lowest_first),
		EV_TEST(port_zero_is_reserved),
		EV_TEST(port_limit_gives_enospc),
		EV_TEST(ordinary_domain_has_1024_ports),
		EV_TEST(port_limit_is_clamped),
		EV_TEST(buckets_are_allocated_as_ports_are_used),
		EV_TEST(allocation_failure_gives_enomem),
		EV_TEST(alloc_unbound_for_self),
		EV_TEST(privileged_domain_allocates_for_another),
		EV_TEST(unprivileged_cannot_allocate_for_another),
		EV_TEST(bind_interdomain_connects_both_ends),
		EV_TEST(bind_interdomain_to_port_for_another_fails),
		EV_TEST(bind_interdomain_refuses_bad_remote_ports),
		EV_TEST(loopback_channel_within_a_domain),
		EV_TEST(bind_ipi_checks_the_vcpu),
		EV_TEST(bind_vcpu_moves_channels_that_may_move),
		EV_TEST(bind_vcpu_refuses_channels_of_one_vcpu),
		EV_TEST(closing_one_end_leaves_the_other_unbound),
		EV_TEST(far_domain_destroyed_while_closing),
		EV_TEST(closing_a_closed_port_fails),
		EV_TEST(close_clears_pending_and_the_vcpu),
		EV_TEST(close_unbinds_virqs_and_pirqs),
		EV_TEST(bind_pirq_and_its_delivery),
		EV_TEST(status_reports_every_state),
		EV_TEST(status_of_other_domains_needs_privilege),
		EV_TEST(reset_closes_every_port),
		EV_TEST(reset_of_another_domain_needs_privilege_and_a_pause),
		EV_TEST(destroy_closes_every_channel_and_frees_buckets),
		EV_TEST(compat_op_reaches_the_same_operations),
		EV_TEST(bad_argument_pointers_fault),
		EV_TEST(fifo_and_unknown_operations_are_not_offered),
		EV_TEST(hostile_arguments_never_crash),
		EV_TEST(random_operations_keep_channels_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, ev_group_teardown);
}
