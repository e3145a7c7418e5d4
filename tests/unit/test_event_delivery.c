/*
 * Unit tests for sending events and their 2-level delivery
 * (common/event_channel.c and common/event_2l.c) on the machine of
 * ev_fixture.h: send on each kind of channel, the pending bit, the
 * vCPU's selector bit and upcall flag, masking and unmasking, vCPU kicks
 * and pollers, and VIRQs (per-vCPU and global: binding, its refusals,
 * delivery, and a global VIRQ moved to another vCPU). Expected answers
 * are Xen 4.17's unless a comment says otherwise. After every case the
 * fixture checks the channels are consistent and frees every bucket.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ev_fixture.h"
#include "fake/fake.h"

#define ALL_BITS 0xffffffffU

/* ---- send ------------------------------------------------------------- */

static void send_on_interdomain_marks_the_other_end(void **state)
{
	evtchn_port_t p1, p2 = ev_connect(dom1, dom2, &p1);

	ev_guest_acks(dom2);
	memset(&ev_rec, 0, sizeof(ev_rec));
	assert_int_equal(ev_send(p1), 0);
	assert_true(ev_pending(dom2, p2));
	assert_int_equal(ev_sel(dom2, 0), 1UL << (p2 / 64));
	assert_int_equal(ev_upcall(dom2, 0), 1);
	assert_int_equal(ev_kicks(dom2, 0), 1);
	assert_int_equal(ev_rec.nr_kicks, 1);
	assert_true(ev_nothing_pending(dom1));

	ev_as(dom2, 0);
	assert_int_equal(ev_send(p2), 0);
	assert_true(ev_pending(dom1, p1));
	assert_int_equal(ev_upcall(dom1, 0), 1);
	assert_int_equal(ev_kicks(dom1, 0), 1);
}

static void send_on_ipi_marks_own_port_on_its_vcpu(void **state)
{
	evtchn_port_t p = ev_ipi(1);

	assert_int_equal(ev_send(p), 0);
	assert_true(ev_pending(dom1, p));
	assert_int_equal(ev_sel(dom1, 1), 1UL << (p / 64));
	assert_int_equal(ev_upcall(dom1, 1), 1);
	assert_int_equal(ev_kicks(dom1, 1), 1);
	assert_int_equal(ev_sel(dom1, 0), 0);
	assert_int_equal(ev_upcall(dom1, 0), 0);
	assert_int_equal(ev_kicks(dom1, 0), 0);
}

static void send_on_unbound_is_dropped(void **state)
{
	evtchn_port_t p;

	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(ev_send(p), 0);
	assert_true(ev_nothing_pending(dom1));
	assert_true(ev_nothing_pending(dom2));
	assert_int_equal(ev_rec.nr_kicks, 0);
}

static void send_on_virq_pirq_or_closed_port_fails(void **state)
{
	evtchn_port_t v, q;

	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 0, &v), 0);
	assert_int_equal(ev_bind_pirq(3, &q), 0);
	assert_int_equal(ev_send(v), -EINVAL);
	assert_int_equal(ev_send(q), -EINVAL);
	assert_int_equal(ev_send(50), -EINVAL);
	assert_int_equal(ev_send(500), -EINVAL);
	assert_int_equal(ev_send(DEFAULT_MAX_EVTCHNS), -EINVAL);
	assert_int_equal(ev_send(ALL_BITS), -EINVAL);
	assert_true(ev_nothing_pending(dom1));
}

/* ---- 2-level delivery ------------------------------------------------- */

static void delivery_raises_selector_and_upcall_once(void **state)
{
	for (evtchn_port_t want = 1; want <= 70; want++)
		assert_int_equal(ev_ipi(0), want);

	assert_int_equal(ev_send(1), 0);
	assert_true(ev_pending(dom1, 1));
	assert_int_equal(ev_sel(dom1, 0), 1);
	assert_int_equal(ev_upcall(dom1, 0), 1);
	assert_int_equal(ev_kicks(dom1, 0), 1);
	assert_int_equal(ev_send(2), 0);  /* same word: nothing new to say */
	assert_int_equal(ev_send(1), 0);  /* already pending */
	assert_int_equal(ev_send(65), 0); /* new word, upcall already up */
	assert_int_equal(ev_sel(dom1, 0), 3);
	assert_int_equal(ev_kicks(dom1, 0), 1);
	assert_true(ev_pending(dom1, 2));
	assert_true(ev_pending(dom1, 65));
	assert_false(ev_pending(dom1, 3));

	ev_guest_acks(dom1);
	assert_int_equal(ev_send(70), 0);
	assert_int_equal(ev_sel(dom1, 0), 2);
	assert_int_equal(ev_upcall(dom1, 0), 1);
	assert_int_equal(ev_kicks(dom1, 0), 2);
}

static void masked_port_stays_pending_without_upcall(void **state)
{
	evtchn_port_t p = ev_ipi(0);

	ev_mask(dom1, p);
	assert_int_equal(ev_send(p), 0);
	assert_true(ev_pending(dom1, p));
	assert_true(ev_masked(dom1, p));
	assert_int_equal(ev_sel(dom1, 0), 0);
	assert_int_equal(ev_upcall(dom1, 0), 0);
	assert_int_equal(ev_rec.nr_kicks, 0);
}

static void unmask_delivers_what_is_pending(void **state)
{
	evtchn_port_t p = ev_ipi(0);

	ev_mask(dom1, p);
	assert_int_equal(ev_send(p), 0);
	assert_int_equal(ev_unmask(p), 0);
	assert_false(ev_masked(dom1, p));
	assert_true(ev_pending(dom1, p));
	assert_int_equal(ev_sel(dom1, 0), 1UL << (p / 64));
	assert_int_equal(ev_upcall(dom1, 0), 1);
	assert_int_equal(ev_kicks(dom1, 0), 1);
}

static void unmask_without_pending_only_clears_mask(void **state)
{
	evtchn_port_t p = ev_ipi(0);

	ev_mask(dom1, p);
	assert_int_equal(ev_unmask(p), 0);
	assert_false(ev_masked(dom1, p));
	assert_true(ev_nothing_pending(dom1));
	assert_int_equal(ev_rec.nr_kicks, 0);
	/* Unmasking an unmasked pending port delivers nothing new (Xen). */
	assert_int_equal(ev_send(p), 0);
	ev_guest_acks(dom1);
	dom1->shared_info->evtchn_pending[0] = 1UL << p;
	assert_int_equal(ev_unmask(p), 0);
	assert_int_equal(ev_upcall(dom1, 0), 0);
}

static void unmask_notifies_the_bound_vcpu(void **state)
{
	evtchn_port_t p1, p2 = ev_connect(dom1, dom2, &p1);

	ev_guest_acks(dom2);
	ev_as(dom2, 0);
	assert_int_equal(ev_bind_vcpu(p2, 1), 0);
	ev_mask(dom2, p2);
	ev_as(dom1, 0);
	assert_int_equal(ev_send(p1), 0);
	assert_true(ev_nothing_pending(dom1));
	ev_as(dom2, 1);
	assert_int_equal(ev_unmask(p2), 0);
	assert_int_equal(ev_upcall(dom2, 1), 1);
	assert_int_equal(ev_sel(dom2, 1), 1UL << (p2 / 64));
	assert_int_equal(ev_upcall(dom2, 0), 0);
	assert_int_equal(ev_kicks(dom2, 1), 1);
}

static void unmask_refuses_ports_beyond_the_limit(void **state)
{
	assert_int_equal(ev_unmask(DEFAULT_MAX_EVTCHNS), -EINVAL);
	assert_int_equal(ev_unmask(ALL_BITS), -EINVAL);
	/* Below the limit, in a bucket not yet allocated: -EINVAL, as Xen. */
	assert_int_equal(ev_unmask(500), -EINVAL);
	assert_true(ev_nothing_pending(dom1));
}

static void pending_port_wakes_pollers_masked_or_not(void **state)
{
	evtchn_port_t p = ev_ipi(0), q = ev_ipi(0);

	dom1->vcpu[1]->polling = true;
	ev_mask(dom1, p);
	assert_int_equal(ev_send(p), 0);
	assert_int_equal(ev_kicks(dom1, 1), 1); /* the poller */
	assert_int_equal(ev_kicks(dom1, 0), 0); /* masked: no upcall */
	assert_int_equal(ev_send(p), 0);	/* already pending */
	assert_int_equal(ev_kicks(dom1, 1), 1);
	dom1->vcpu[1]->polling = false;
	assert_int_equal(ev_send(q), 0);
	assert_int_equal(ev_kicks(dom1, 1), 1);
	assert_int_equal(ev_kicks(dom1, 0), 1);
	assert_int_equal(ev_kicks(dom2, 0) + ev_kicks(dom2, 1), 0);
}

/*
 * domain_destroy() releases each vCPU's state, leaving vcpu_info NULL,
 * just before it closes the domain's channels; meanwhile another CPU may
 * send on one of them, or a timer raise a VIRQ. The event stays pending
 * in shared_info, and nothing reads the missing vcpu_info.
 */
static void events_for_a_domain_being_destroyed_stay_pending(void **state)
{
	evtchn_port_t p1, p2 = ev_connect(dom1, dom2, &p1), t;

	ev_as(dom2, 0);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, &t), 0);
	ev_guest_acks(dom2);
	memset(&ev_rec, 0, sizeof(ev_rec));
	dom2->is_dying = true;
	for (unsigned int i = 0; i < dom2->max_vcpus; i++)
		dom2->vcpu[i]->vcpu_info = NULL;
	ev_as(dom1, 0);
	assert_int_equal(ev_send(p1), 0);
	send_guest_vcpu_virq(dom2->vcpu[1], VIRQ_TIMER);
	assert_true(ev_pending(dom2, p2));
	assert_true(ev_pending(dom2, t));
	assert_int_equal(ev_sel(dom2, 0) | ev_sel(dom2, 1), 0);
	assert_int_equal(ev_upcall(dom2, 0) | ev_upcall(dom2, 1), 0);
	assert_int_equal(ev_kicks(dom2, 0) + ev_kicks(dom2, 1), 0);
	evtchn_destroy(dom2);
	assert_int_equal(ev_chan(dom1, p1)->state, ECS_UNBOUND);
}

/* ---- VIRQs ------------------------------------------------------------ */

static void per_vcpu_virq_binds_on_its_vcpu(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p, q;

	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, &p), 0);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 0, &q), 0);
	assert_int_not_equal(p, q);
	assert_int_equal(dom1->vcpu[1]->virq_to_evtchn[VIRQ_TIMER], p);
	assert_int_equal(dom1->vcpu[0]->virq_to_evtchn[VIRQ_TIMER], q);
	assert_int_equal(ev_status(DOMID_SELF, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_TIMER);
	assert_int_equal(st.vcpu, 1);

	send_guest_vcpu_virq(dom1->vcpu[1], VIRQ_TIMER);
	assert_true(ev_pending(dom1, p));
	assert_false(ev_pending(dom1, q));
	assert_int_equal(ev_upcall(dom1, 1), 1);
	assert_int_equal(ev_upcall(dom1, 0), 0);
	send_guest_vcpu_virq(dom1->vcpu[0], VIRQ_DEBUG); /* not bound */
	assert_int_equal(ev_upcall(dom1, 0), 0);
}

static void binding_a_virq_twice_fails(void **state)
{
	evtchn_port_t p;

	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, &p), 0);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 1, NULL), -EEXIST);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, NULL), 0);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, NULL), -EEXIST);
	assert_int_equal(dom1->vcpu[1]->virq_to_evtchn[VIRQ_TIMER], p);
	assert_int_equal(ev_ipi(0),
			 p + 2); /* no port was used by the refusals */
}

static void global_virq_binds_only_on_vcpu0(void **state)
{
	evtchn_port_t p;

	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 1, NULL), -EINVAL);
	assert_int_equal(ev_bind_virq(VIRQ_CONSOLE, 1, NULL), -EINVAL);
	assert_int_equal(ev_bind_virq(VIRQ_ARCH_0, 1, NULL), -EINVAL);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, &p), 0);
	assert_int_equal(dom1->vcpu[0]->virq_to_evtchn[VIRQ_DOM_EXC], p);
	assert_int_equal(dom1->vcpu[1]->virq_to_evtchn[VIRQ_DOM_EXC], 0);
	assert_int_equal(ev_bind_virq(VIRQ_ARCH_0, 0, NULL), 0);
}

static void bind_virq_refuses_bad_numbers_and_vcpus(void **state)
{
	assert_int_equal(ev_bind_virq(NR_VIRQS, 0, NULL), -EINVAL);
	assert_int_equal(ev_bind_virq(ALL_BITS, 0, NULL), -EINVAL);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, 2, NULL), -ENOENT);
	assert_int_equal(ev_bind_virq(VIRQ_TIMER, ALL_BITS, NULL), -ENOENT);
	/* A global VIRQ on another vCPU is refused before the vCPU is looked
	 * up, as in Xen. */
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 2, NULL), -EINVAL);
	assert_int_equal(ev_chan(dom1, 1)->state, ECS_FREE);
	/* The unused numbers 14 and 15 bind, as global VIRQs (as Xen). */
	assert_int_equal(ev_bind_virq(14, 1, NULL), -EINVAL);
	assert_int_equal(ev_bind_virq(15, 0, NULL), 0);
}

static void global_virq_reaches_the_hardware_domain(void **state)
{
	evtchn_port_t p;

	send_global_virq(VIRQ_DOM_EXC); /* nobody bound: nothing happens */
	assert_true(ev_nothing_pending(dom0));
	ev_as(dom0, 0);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, &p), 0);
	send_global_virq(VIRQ_DOM_EXC);
	assert_true(ev_pending(dom0, p));
	assert_int_equal(ev_upcall(dom0, 0), 1);
	assert_true(ev_nothing_pending(dom1));

	ev_guest_acks(dom0);
	assert_int_equal(ev_bind_vcpu(p, 1), 0);
	send_global_virq(VIRQ_DOM_EXC);
	assert_true(ev_pending(dom0, p));
	assert_int_equal(ev_upcall(dom0, 1), 1);
	assert_int_equal(ev_upcall(dom0, 0), 0);
}

static void closing_a_moved_global_virq_unbinds_it(void **state)
{
	evtchn_port_t p, q;

	ev_as(dom0, 0);
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, &p), 0);
	assert_int_equal(ev_bind_vcpu(p, 1), 0);
	assert_int_equal(ev_close(p), 0);
	assert_int_equal(dom0->vcpu[0]->virq_to_evtchn[VIRQ_DOM_EXC], 0);
	/* The VIRQ no longer reaches the closed port, nor its next owner. */
	assert_int_equal(ev_alloc_unbound(DOMID_SELF, 1, &q), 0);
	assert_int_equal(q, p);
	send_global_virq(VIRQ_DOM_EXC);
	assert_true(ev_nothing_pending(dom0));
	assert_int_equal(ev_bind_virq(VIRQ_DOM_EXC, 0, NULL), 0);
}

#define EV_TEST(f) cmocka_unit_test_setup_teardown(f, ev_setup, ev_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		EV_TEST(send_on_interdomain_marks_the_other_end),
		EV_TEST(send_on_ipi_marks_own_port_on_its_vcpu),
		EV_TEST(send_on_unbound_is_dropped),
		EV_TEST(send_on_virq_pirq_or_closed_port_fails),
		EV_TEST(delivery_raises_selector_and_upcall_once),
		EV_TEST(masked_port_stays_pending_without_upcall),
		EV_TEST(unmask_delivers_what_is_pending),
		EV_TEST(unmask_without_pending_only_clears_mask),
		EV_TEST(unmask_notifies_the_bound_vcpu),
		EV_TEST(unmask_refuses_ports_beyond_the_limit),
		EV_TEST(pending_port_wakes_pollers_masked_or_not),
		EV_TEST(events_for_a_domain_being_destroyed_stay_pending),
		EV_TEST(per_vcpu_virq_binds_on_its_vcpu),
		EV_TEST(binding_a_virq_twice_fails),
		EV_TEST(global_virq_binds_only_on_vcpu0),
		EV_TEST(bind_virq_refuses_bad_numbers_and_vcpus),
		EV_TEST(global_virq_reaches_the_hardware_domain),
		EV_TEST(closing_a_moved_global_virq_unbinds_it),
	};

	return cmocka_run_group_tests(tests, NULL, ev_group_teardown);
}
