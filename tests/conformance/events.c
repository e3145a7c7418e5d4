/*
 * Conformance of event channels (HYPERVISOR_event_channel_op and 2-level
 * delivery) for a 64-bit PV initial domain with two vCPUs, as Xen 4.17
 * answers.
 *
 * Most tests use a loopback channel: a port allocated unbound for
 * ourselves (alloc_unbound, remote DOMID_SELF) and a second port bound to
 * it (bind_interdomain to our own domain and that port). A send on one
 * end makes the other end pending. pvguest's handlers count what they
 * see (struct hits); delivery to vCPU 0 is synchronous here: Xen enters
 * the event callback on its way out of the hypercall that made the port
 * pending, so the count has moved when the send returns. Delivery to
 * vCPU 1 is awaited (up to WAIT_NS).
 *
 * Masks: a port's mask bit in shared_info (evtchn_mask) keeps it from
 * being notified; the vCPU's evtchn_upcall_mask keeps the callback from
 * being entered but still records evtchn_upcall_pending.
 */
#include "smp_util.h"

CONFORMANCE_KERNEL("events");

#define NR_PORTS_2L 4096
#define NO_SUCH_DOMAIN 1000
#define NO_SUCH_VCPU 99

struct loopback {
	evtchn_port_t a, b; /* a: allocated unbound, b: bound to it */
	struct hits ha, hb;
};

/* Open a loopback channel; b's first event (the bind's) is counted. */
static void open_loopback(struct loopback *l)
{
	*l = (struct loopback){0};
	ASSERT_OK(evtchn_alloc_unbound(DOMID_SELF, count_hit, &l->ha, &l->a));
	ASSERT_OK(evtchn_bind_interdomain(DOMID_SELF, l->a, count_hit, &l->hb,
					  &l->b));
}

static void close_loopback(struct loopback *l)
{
	EXPECT_OK(evtchn_close(l->b));
	EXPECT_OK(evtchn_close(l->a));
}

/* ---- loopback channels --------------------------------------------------- */

/* Xen marks the newly bound end pending, in case a send was missed. */
TEST(loopback, bind_notifies_new_end)
{
	struct loopback l;

	open_loopback(&l);
	EXPECT_EQ(hits_of(&l.hb), 1);
	EXPECT_EQ(hits_of(&l.ha), 0);
	EXPECT_EQ(l.hb.port, l.b);
	EXPECT_NE(l.a, l.b);
	close_loopback(&l);
}

/* A send on either end is delivered, before the send returns, at the other. */
TEST(loopback, send_delivers_upcall)
{
	struct loopback l;

	open_loopback(&l);
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_EQ(hits_of(&l.hb), 2);
	EXPECT_EQ(hits_of(&l.ha), 0);
	EXPECT_OK(evtchn_notify(l.b));
	EXPECT_EQ(hits_of(&l.ha), 1);
	EXPECT_EQ(l.ha.port, l.a);
	EXPECT_EQ(l.ha.cpu, 0);
	EXPECT_FALSE(evtchn_is_pending(l.a));
	EXPECT_FALSE(evtchn_is_pending(l.b));
	close_loopback(&l);
}

TEST(loopback, status_interdomain)
{
	struct evtchn_status st;
	struct loopback l;

	open_loopback(&l);
	ASSERT_OK(evtchn_status_of(l.a, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_interdomain);
	EXPECT_EQ(st.vcpu, 0);
	EXPECT_EQ(st.u.interdomain.dom, self_domid());
	EXPECT_EQ(st.u.interdomain.port, l.b);
	ASSERT_OK(evtchn_status_of(l.b, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_interdomain);
	EXPECT_EQ(st.u.interdomain.port, l.a);
	close_loopback(&l);
}

/* Closing one end leaves the other unbound, waiting for us again. */
TEST(loopback, close_one_end)
{
	struct evtchn_status st;
	struct loopback l;

	open_loopback(&l);
	EXPECT_OK(evtchn_close(l.b));
	ASSERT_OK(evtchn_status_of(l.b, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_closed);
	ASSERT_OK(evtchn_status_of(l.a, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
	EXPECT_EQ(st.u.unbound.dom, self_domid());
	EXPECT_OK(send_raw(l.a)); /* unbound: accepted, goes nowhere */
	EXPECT_EQ(hits_of(&l.ha), 0);
	EXPECT_ERR(send_raw(l.b), -EINVAL);
	EXPECT_ERR(close_raw(l.b), -EINVAL);
	/* The unbound end can be bound again. */
	EXPECT_OK(evtchn_bind_interdomain(DOMID_SELF, l.a, count_hit, &l.hb,
					  &l.b));
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_EQ(hits_of(&l.hb), 3);
	close_loopback(&l);
}

/* An end that is no longer unbound cannot be bound a second time. */
TEST(loopback, bind_twice_refused)
{
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};
	struct loopback l;

	open_loopback(&l);
	bi.remote_port = l.a;
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
		   -EINVAL);
	bi.remote_port = l.b;
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
		   -EINVAL);
	close_loopback(&l);
}

/* ---- masking ------------------------------------------------------------- */

/*
 * A masked port becomes pending but notifies no one: no selector bit,
 * no upcall. EVTCHNOP_unmask then delivers it.
 */
TEST(mask, pending_while_masked_then_unmask)
{
	vcpu_info_t *vi = this_vcpu_info();
	struct loopback l;

	open_loopback(&l);
	evtchn_mask(l.b);
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_TRUE(evtchn_is_pending(l.b));
	EXPECT_EQ(hits_of(&l.hb), 1);
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_pending), 0);
	EXPECT_FALSE(sel_bit(l.b));
	EXPECT_OK(unmask_raw(l.b));
	EXPECT_EQ(hits_of(&l.hb), 2);
	EXPECT_FALSE(evtchn_is_pending(l.b));
	EXPECT_FALSE(evtchn_is_masked(l.b));
	close_loopback(&l);
}

/* Sends while masked collapse into one pending event. */
TEST(mask, sends_while_masked_deliver_once)
{
	struct loopback l;

	open_loopback(&l);
	evtchn_mask(l.b);
	for (int i = 0; i < 3; i++)
		EXPECT_OK(evtchn_notify(l.a));
	EXPECT_OK(unmask_raw(l.b));
	EXPECT_EQ(hits_of(&l.hb), 2);
	close_loopback(&l);
}

/* pvguest's own unmask does Xen's re-check: the pending event arrives. */
TEST(mask, guest_unmask_delivers_pending)
{
	struct loopback l;

	open_loopback(&l);
	evtchn_mask(l.b);
	EXPECT_OK(evtchn_notify(l.a));
	evtchn_unmask(l.b);
	EXPECT_EQ(hits_of(&l.hb), 2);
	close_loopback(&l);
}

/*
 * EVTCHNOP_unmask only notifies when it clears a mask bit: a port that
 * was never masked and is pending (its bit set by hand) stays silent.
 */
TEST(mask, unmask_of_unmasked_port_is_silent)
{
	vcpu_info_t *vi = this_vcpu_info();
	xen_ulong_t *pend = &HYPERVISOR_shared_info->evtchn_pending[0];
	struct loopback l;

	open_loopback(&l);
	local_irq_disable();
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_pending), 0);
	__atomic_fetch_or(&pend[l.b / 64], 1UL << (l.b % 64), __ATOMIC_SEQ_CST);
	EXPECT_OK(unmask_raw(l.b));
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_pending), 0);
	evtchn_clear(l.b);
	local_irq_enable();
	EXPECT_EQ(hits_of(&l.hb), 1);
	close_loopback(&l);
}

/*
 * With the vCPU's upcall mask set an event is recorded (pending bit,
 * selector bit, evtchn_upcall_pending) but the callback is not entered;
 * clearing the mask (and asking for the pending upcall) delivers it.
 */
TEST(mask, upcall_mask_defers_callback)
{
	vcpu_info_t *vi = this_vcpu_info();
	struct loopback l;

	open_loopback(&l);
	local_irq_disable();
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_EQ(hits_of(&l.hb), 1);
	EXPECT_TRUE(evtchn_is_pending(l.b));
	EXPECT_TRUE(sel_bit(l.b));
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_pending), 1);
	EXPECT_GT(HYPERVISOR_xen_version(XENVER_version, NULL), 0);
	EXPECT_EQ(hits_of(&l.hb), 1); /* a hypercall does not deliver it */
	local_irq_enable();
	EXPECT_EQ(hits_of(&l.hb), 2);
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_pending), 0);
	close_loopback(&l);
}

/* EVTCHNOP_unmask under the upcall mask: recorded, delivered on enable. */
TEST(mask, unmask_under_upcall_mask)
{
	vcpu_info_t *vi = this_vcpu_info();
	struct loopback l;

	open_loopback(&l);
	evtchn_mask(l.b);
	EXPECT_OK(evtchn_notify(l.a));
	local_irq_disable();
	EXPECT_OK(unmask_raw(l.b));
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_pending), 1);
	EXPECT_EQ(hits_of(&l.hb), 1);
	local_irq_enable();
	EXPECT_EQ(hits_of(&l.hb), 2);
	close_loopback(&l);
}

/* Closing a pending port clears its pending bit. */
TEST(mask, close_clears_pending)
{
	struct loopback l;

	open_loopback(&l);
	evtchn_mask(l.b);
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_TRUE(evtchn_is_pending(l.b));
	EXPECT_OK(close_raw(l.b));
	EXPECT_FALSE(evtchn_is_pending(l.b));
	evtchn_forget(l.b);
	EXPECT_OK(evtchn_close(l.a));
}

/* ---- status -------------------------------------------------------------- */

TEST(status, closed_and_reserved_ports)
{
	struct evtchn_status st;
	struct loopback l;

	ASSERT_OK(evtchn_status_of(0, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_closed);
	open_loopback(&l);
	close_loopback(&l);
	ASSERT_OK(evtchn_status_of(l.b, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_closed);
	EXPECT_EQ(st.vcpu, 0);
}

TEST(status, unbound_names_remote_domain)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
					  .remote_dom = NO_SUCH_DOMAIN};
	struct evtchn_status st;

	/* Xen does not check that the remote domain exists. */
	ASSERT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	ASSERT_OK(evtchn_status_of(au.port, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
	EXPECT_EQ(st.u.unbound.dom, NO_SUCH_DOMAIN);
	EXPECT_OK(close_raw(au.port));
}

/* pvguest's VIRQ_TIMER of each vCPU, and its IPIs. */
TEST(status, virq_and_ipi_ports)
{
	struct evtchn_status st;

	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		ASSERT_OK(evtchn_status_of(time_virq_port(cpu), &st));
		EXPECT_EQ(st.status, EVTCHNSTAT_virq);
		EXPECT_EQ(st.u.virq, VIRQ_TIMER);
		EXPECT_EQ(st.vcpu, cpu);
		ASSERT_OK(evtchn_status_of(smp_ipi_port(cpu), &st));
		EXPECT_EQ(st.status, EVTCHNSTAT_ipi);
		EXPECT_EQ(st.vcpu, cpu);
	}
}

TEST(status, other_domains)
{
	struct evtchn_status st = {.dom = NO_SUCH_DOMAIN, .port = 1};

	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), -ESRCH);
	st.dom = 0; /* ourselves, by number */
	st.port = time_virq_port(0);
	EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_virq);
}

/* ---- VIRQs --------------------------------------------------------------- */

static int bind_virq_raw(unsigned int virq, unsigned int vcpu,
			 evtchn_port_t *port)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = vcpu};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	if (!rc && port)
		*port = op.port;
	return rc;
}

/* A VIRQ binds once per vCPU: pvguest already holds VIRQ_TIMER on both. */
TEST(virq, timer_bound_twice)
{
	EXPECT_ERR(bind_virq_raw(VIRQ_TIMER, 0, NULL), -EEXIST);
	EXPECT_ERR(bind_virq_raw(VIRQ_TIMER, 1, NULL), -EEXIST);
}

/* VIRQ_DEBUG is per-vCPU: each vCPU may bind it once. */
TEST(virq, debug_per_vcpu)
{
	struct evtchn_status st;
	evtchn_port_t p0, p1;

	ASSERT_OK(bind_virq_raw(VIRQ_DEBUG, 0, &p0));
	EXPECT_ERR(bind_virq_raw(VIRQ_DEBUG, 0, NULL), -EEXIST);
	ASSERT_OK(bind_virq_raw(VIRQ_DEBUG, 1, &p1));
	EXPECT_NE(p0, p1);
	ASSERT_OK(evtchn_status_of(p1, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_virq);
	EXPECT_EQ(st.u.virq, VIRQ_DEBUG);
	EXPECT_EQ(st.vcpu, 1);
	EXPECT_ERR(send_raw(p0), -EINVAL); /* not the guest's to raise */
	EXPECT_OK(close_raw(p0));
	EXPECT_OK(close_raw(p1));
	/* Closed, it binds again. */
	ASSERT_OK(bind_virq_raw(VIRQ_DEBUG, 0, &p0));
	EXPECT_OK(close_raw(p0));
}

/* A global VIRQ belongs to vCPU 0 when bound. */
TEST(virq, global_only_on_vcpu0)
{
	evtchn_port_t p;

	EXPECT_ERR(bind_virq_raw(VIRQ_DOM_EXC, 1, NULL), -EINVAL);
	ASSERT_OK(bind_virq_raw(VIRQ_DOM_EXC, 0, &p));
	EXPECT_ERR(bind_virq_raw(VIRQ_DOM_EXC, 0, NULL), -EEXIST);
	EXPECT_OK(close_raw(p));
}

TEST(virq, refused)
{
	EXPECT_ERR(bind_virq_raw(NR_VIRQS, 0, NULL), -EINVAL);
	EXPECT_ERR(bind_virq_raw(~0U, 0, NULL), -EINVAL);
	EXPECT_ERR(bind_virq_raw(VIRQ_DEBUG, NO_SUCH_VCPU, NULL), -ENOENT);
	EXPECT_ERR(bind_virq_raw(VIRQ_DEBUG, 2, NULL), -ENOENT);
}

/* Numbers below NR_VIRQS that name no VIRQ bind like global ones. */
TEST(virq, unassigned_numbers_are_global)
{
	evtchn_port_t p;

	EXPECT_ERR(bind_virq_raw(14, 1, NULL), -EINVAL);
	ASSERT_OK(bind_virq_raw(14, 0, &p));
	EXPECT_OK(close_raw(p));
}

/* ---- bad ports and arguments --------------------------------------------- */

TEST(ports, out_of_range_refused)
{
	static const evtchn_port_t bad[] = {NR_PORTS_2L, NR_PORTS_2L + 1, ~0U};
	struct evtchn_bind_vcpu bv = {.vcpu = 0};
	struct evtchn_status st;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_ERR(send_raw(bad[i]), -EINVAL);
		EXPECT_ERR(close_raw(bad[i]), -EINVAL);
		EXPECT_ERR(unmask_raw(bad[i]), -EINVAL);
		EXPECT_ERR(evtchn_status_of(bad[i], &st), -EINVAL);
		bv.port = bad[i];
		EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
			   -EINVAL);
	}
}

/* Port 0 is reserved, never in use. */
TEST(ports, port_zero)
{
	struct evtchn_bind_vcpu bv = {.port = 0, .vcpu = 0};

	EXPECT_ERR(send_raw(0), -EINVAL);
	EXPECT_ERR(close_raw(0), -EINVAL);
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
		   -EINVAL);
}

/* A port that was opened and closed again is free: refused. */
TEST(ports, closed_port)
{
	struct evtchn_bind_vcpu bv = {.vcpu = 0};
	struct loopback l;

	open_loopback(&l);
	close_loopback(&l);
	EXPECT_ERR(send_raw(l.b), -EINVAL);
	EXPECT_ERR(close_raw(l.b), -EINVAL);
	EXPECT_OK(unmask_raw(l.b)); /* a valid port: unmask does not care */
	evtchn_mask(l.b);
	bv.port = l.b;
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
		   -EINVAL);
}

TEST(ports, other_domains)
{
	struct evtchn_alloc_unbound au = {.dom = NO_SUCH_DOMAIN,
					  .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = NO_SUCH_DOMAIN,
					     .remote_port = 1};
	struct evtchn_reset rs = {.dom = NO_SUCH_DOMAIN};

	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au),
		   -ESRCH);
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
		   -ESRCH);
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_reset, &rs), -ESRCH);
}

/* Binding to a port that is not unbound for us: -EINVAL. */
TEST(ports, bind_interdomain_refused)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
					  .remote_dom = NO_SUCH_DOMAIN};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};

	bi.remote_port = NR_PORTS_2L;
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
		   -EINVAL);
	bi.remote_port = time_virq_port(0);
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
		   -EINVAL);
	ASSERT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	bi.remote_port = au.port; /* unbound, but for another domain */
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
		   -EINVAL);
	EXPECT_OK(close_raw(au.port));
}

/*
 * Xen allocates its port structures in buckets as ports are first used,
 * and a port in no allocated bucket is not valid yet: status and unmask
 * refuse it like a port past the end. (Run before ports.limit, which
 * makes every port valid.)
 */
TEST(ports, never_used_port_invalid)
{
	struct evtchn_status st;

	EXPECT_ERR(evtchn_status_of(NR_PORTS_2L - 96, &st), -EINVAL);
	EXPECT_ERR(unmask_raw(NR_PORTS_2L - 96), -EINVAL);
	EXPECT_ERR(send_raw(NR_PORTS_2L - 96), -EINVAL);
	EXPECT_ERR(close_raw(NR_PORTS_2L - 96), -EINVAL);
}

/* Channels are allocated up to the 2-level limit, then -ENOSPC. */
TEST(ports, limit)
{
	static evtchn_port_t ports[NR_PORTS_2L];
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF};
	evtchn_port_t highest = 0;
	unsigned int n = 0;
	int rc;

	while ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound,
						 &au)) == 0 &&
	       n < NR_PORTS_2L) {
		ports[n++] = au.port;
		highest = MAX(highest, au.port);
	}
	EXPECT_ERR(rc, -ENOSPC);
	EXPECT_EQ(highest, NR_PORTS_2L - 1);
	EXPECT_GT(n, NR_PORTS_2L - 16);
	for (unsigned int i = 0; i < n; i++)
		EXPECT_OK(close_raw(ports[i]));
}

TEST(ports, bad_pointer_and_command)
{
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_status, (void *)0x1000),
		   -EFAULT);
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_send, (void *)0x1000),
		   -EFAULT);
	EXPECT_ERR(HYPERVISOR_event_channel_op(99, NULL), -ENOSYS);
}

/* ---- vCPUs: bind_vcpu, IPIs, blocking ------------------------------------ */

/* bind_vcpu moves notification of a port to vCPU 1, and back. */
TEST(vcpu, bind_vcpu_moves_delivery)
{
	struct evtchn_status st;
	struct loopback l;

	open_loopback(&l);
	ASSERT_OK(evtchn_bind_vcpu(l.b, 1));
	ASSERT_OK(evtchn_status_of(l.b, &st));
	EXPECT_EQ(st.vcpu, 1);
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_TRUE(wait_count(&l.hb.count, 2));
	EXPECT_EQ(READ_ONCE(l.hb.cpu), 1);
	ASSERT_OK(evtchn_bind_vcpu(l.b, 0));
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_EQ(hits_of(&l.hb), 3);
	EXPECT_EQ(l.hb.cpu, 0);
	close_loopback(&l);
}

/* Unbound ports move too, and keep the vCPU once bound. */
TEST(vcpu, bind_vcpu_unbound_port)
{
	struct evtchn_status st;
	struct loopback l;

	open_loopback(&l);
	ASSERT_OK(evtchn_bind_vcpu(l.a, 1));
	ASSERT_OK(evtchn_status_of(l.a, &st));
	EXPECT_EQ(st.vcpu, 1);
	EXPECT_OK(evtchn_notify(l.b));
	EXPECT_TRUE(wait_count(&l.ha.count, 1));
	EXPECT_EQ(READ_ONCE(l.ha.cpu), 1);
	close_loopback(&l);
}

TEST(vcpu, bind_vcpu_refused)
{
	struct evtchn_bind_vcpu bv = {.port = time_virq_port(0), .vcpu = 1};
	evtchn_port_t p;

	/* Per-vCPU VIRQs and IPIs stay where they were bound. */
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
		   -EINVAL);
	bv.port = smp_ipi_port(1);
	bv.vcpu = 0;
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
		   -EINVAL);
	/* A global VIRQ may move. */
	ASSERT_OK(bind_virq_raw(VIRQ_DOM_EXC, 0, &p));
	bv.port = p;
	bv.vcpu = 1;
	EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv));
	bv.vcpu = NO_SUCH_VCPU;
	EXPECT_ERR(HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &bv),
		   -ENOENT);
	EXPECT_OK(close_raw(p));
}

struct ipi_test {
	struct hits hits;
	evtchn_port_t port;
	int rc;
};

static int ipi_to_vcpu0(void *arg)
{
	struct ipi_test *t = arg;

	t->rc = evtchn_bind_ipi(0, count_hit, &t->hits, &t->port);
	if (!t->rc)
		t->rc = evtchn_notify(t->port);
	return 0;
}

/* An IPI port of vCPU 1, sent from vCPU 0, and the other way round. */
TEST(vcpu, ipi_both_ways)
{
	struct ipi_test t = {0};
	struct evtchn_status st;

	ASSERT_OK(evtchn_bind_ipi(1, count_hit, &t.hits, &t.port));
	ASSERT_OK(evtchn_status_of(t.port, &st));
	EXPECT_EQ(st.status, EVTCHNSTAT_ipi);
	EXPECT_EQ(st.vcpu, 1);
	EXPECT_OK(evtchn_notify(t.port));
	EXPECT_TRUE(wait_count(&t.hits.count, 1));
	EXPECT_EQ(READ_ONCE(t.hits.cpu), 1);
	EXPECT_OK(evtchn_close(t.port));

	t = (struct ipi_test){0};
	run_on(1, ipi_to_vcpu0, &t);
	EXPECT_OK(t.rc);
	EXPECT_TRUE(wait_count(&t.hits.count, 1));
	EXPECT_EQ(t.hits.cpu, 0);
	EXPECT_OK(evtchn_close(t.port));
}

struct block_test {
	struct hits hits;
	volatile int ready;
	unsigned long seen;
	uint64_t before, after;
};

/* On vCPU 1: mask events, say ready, block; what had arrived on return. */
static int block_on_vcpu1(void *arg)
{
	struct block_test *t = arg;

	local_irq_disable();
	t->before = time_now();
	WRITE_ONCE(t->ready, 1);
	HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	t->seen = hits_of(&t->hits);
	t->after = time_now();
	local_irq_enable();
	return 0;
}

/*
 * A vCPU blocked in SCHEDOP_block stays blocked (Xen reports it so)
 * until an event for it arrives; it wakes with the event delivered.
 */
TEST(vcpu, event_wakes_blocked_vcpu)
{
	struct vcpu_runstate_info rs;
	struct block_test t = {0};
	struct thread *th;
	struct loopback l;

	open_loopback(&l);
	ASSERT_OK(evtchn_bind_vcpu(l.b, 1));
	evtchn_set_handler(l.b, count_hit, &t.hits);
	th = thread_create_on(1, "blocker", block_on_vcpu1, &t);
	ASSERT_TRUE(th != NULL);
	while (!READ_ONCE(t.ready))
		cpu_relax();
	sleep_ns(20 * NSEC_PER_MSEC);
	EXPECT_OK(HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs));
	EXPECT_EQ(rs.state, RUNSTATE_blocked);
	EXPECT_EQ(hits_of(&t.hits), 0);
	EXPECT_OK(evtchn_notify(l.a));
	thread_join(th);
	EXPECT_EQ(t.seen, 1);
	EXPECT_GE(t.after - t.before, 20 * NSEC_PER_MSEC);
	close_loopback(&l);
}

/* Block with an event already pending (upcall masked): returns at once. */
TEST(vcpu, block_returns_with_event_pending)
{
	struct loopback l;
	uint64_t t0;

	open_loopback(&l);
	local_irq_disable();
	EXPECT_OK(evtchn_notify(l.a));
	t0 = time_now();
	EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_block, NULL));
	EXPECT_LT(time_now() - t0, 500 * NSEC_PER_MSEC); /* did not block */
	EXPECT_EQ(hits_of(&l.hb), 2);	  /* delivered on the way out */
	EXPECT_TRUE(local_irq_enabled()); /* block unmasked events */
	close_loopback(&l);
}

/*
 * SCHEDOP_poll does not wait while an event awaits delivery to the
 * caller (upcall pending, upcall mask clear): it returns at once, and
 * the event is delivered on the way out. The mask is cleared by hand
 * here, so that nothing delivers the event before the poll.
 */
TEST(vcpu, poll_returns_when_event_awaits_delivery)
{
	struct evtchn_alloc_unbound quiet = {.dom = DOMID_SELF,
					     .remote_dom = NO_SUCH_DOMAIN};
	struct sched_poll sp = {.nr_ports = 1};
	struct loopback l;
	uint64_t t0;

	open_loopback(&l);
	ASSERT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &quiet));
	set_xen_guest_handle(sp.ports, &quiet.port);
	local_irq_disable();
	EXPECT_OK(evtchn_notify(l.a));
	EXPECT_EQ(READ_ONCE(this_vcpu_info()->evtchn_upcall_pending), 1);
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_mask, 0);
	t0 = time_now();
	sp.timeout = t0 + 2 * NSEC_PER_SEC;
	EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_poll, &sp));
	EXPECT_LT(time_now() - t0, 500 * NSEC_PER_MSEC); /* did not wait */
	EXPECT_EQ(hits_of(&l.hb), 2);
	EXPECT_OK(close_raw(quiet.port));
	close_loopback(&l);
}

/* ---- reset --------------------------------------------------------------- */

static int which_vcpu(void *arg)
{
	return (int)smp_processor_id();
}

static bool is_kernel_port(evtchn_port_t p)
{
	return p == time_virq_port(0) || p == time_virq_port(1) ||
	       p == smp_ipi_port(0) || p == smp_ipi_port(1);
}

/*
 * EVTCHNOP_reset closes every port of the domain, pvguest's own too;
 * pvguest binds its timer VIRQs and IPIs again, and they work.
 */
TEST(reset, closes_every_port)
{
	struct evtchn_status st;
	struct loopback l;

	open_loopback(&l);
	ASSERT_OK(evtchn_reset());
	/* Closed, unless pvguest's rebinding took the number again. */
	ASSERT_OK(evtchn_status_of(l.a, &st));
	EXPECT_TRUE(st.status == EVTCHNSTAT_closed || is_kernel_port(l.a));
	ASSERT_OK(evtchn_status_of(l.b, &st));
	EXPECT_TRUE(st.status == EVTCHNSTAT_closed || is_kernel_port(l.b));
	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		ASSERT_OK(evtchn_status_of(time_virq_port(cpu), &st));
		EXPECT_EQ(st.status, EVTCHNSTAT_virq);
		EXPECT_EQ(st.vcpu, cpu);
		ASSERT_OK(evtchn_status_of(smp_ipi_port(cpu), &st));
		EXPECT_EQ(st.status, EVTCHNSTAT_ipi);
	}
	/* The timer still wakes a sleeper, and vCPU 1 still runs threads. */
	sleep_ns(NSEC_PER_MSEC);
	EXPECT_EQ(run_on(1, which_vcpu, NULL), 1);
}
