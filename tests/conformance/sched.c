/*
 * Conformance of HYPERVISOR_sched_op (and the old sched_op_compat) for
 * a 64-bit PV initial domain, as Xen 4.17 answers: yield, poll, and the
 * refusals of the shutdown calls.
 *
 * Shutdown itself ends the kernel, and Xen keeps the first code latched
 * with SCHEDOP_shutdown_code for the final shutdown, which the runner
 * makes; so only calls that must be refused are made here. Xen does not
 * check the reason of SCHEDOP_shutdown (an unknown one reboots the host
 * from the initial domain), so that refusal cannot be asked of it.
 *
 * Poll needs ports that exist: it refuses free ports as well as ports
 * past the ABI's end. The tests open unbound channels (EVTCHNOP_
 * alloc_unbound, the remote end ourselves) and make one pending by
 * setting its bit in shared_info. No event is delivered: the selector
 * and the vCPU's upcall_pending flag stay clear.
 */
#include "harness/test.h"

#include <guest/hypercall.h>
#include <guest/shared_info.h>

CONFORMANCE_KERNEL("sched");

#define FREE_PORT 63	   /* inside the first bucket, never opened here */
#define NR_PORTS_2L 4096   /* ports of the 2-level ABI, 64-bit guest */
#define MAX_POLL_PORTS 128 /* Xen's limit on ports in one poll */
#define NO_SUCH_DOMAIN 1000

/* Addresses a hypercall must refuse to read or write through. */
static void *const bad_pointers[] = {
	(void *)0x1000,		      /* guest space, never mapped */
	(void *)0xFFFF830000000000UL, /* the hypervisor's range */
	(void *)0x0000800000000000UL, /* the first non-canonical address */
};

static long sched_op_compat(int cmd, unsigned long arg)
{
	return HYPERCALL(sched_op_compat, cmd, arg, 0, 0, 0);
}

/* SCHEDOP_poll on ports[0..n); timeout is absolute system time, 0: none. */
static int poll(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
	struct sched_poll sp = {.nr_ports = n, .timeout = timeout};

	set_xen_guest_handle(sp.ports, ports);
	return HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
}

/* Open n unbound channels to ourselves. */
static void open_ports(evtchn_port_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct evtchn_alloc_unbound au = {
			.dom = DOMID_SELF,
			.remote_dom = DOMID_SELF,
		};

		ASSERT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound,
						      &au));
		ports[i] = au.port;
	}
}

static void close_ports(const evtchn_port_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct evtchn_close cl = {.port = ports[i]};

		EXPECT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl));
	}
}

static xen_ulong_t *pending_word(evtchn_port_t port)
{
	return &HYPERVISOR_shared_info->evtchn_pending[port / 64];
}

static void set_pending(evtchn_port_t port, bool on)
{
	if (on)
		__atomic_fetch_or(pending_word(port), 1UL << (port % 64),
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(pending_word(port), ~(1UL << (port % 64)),
				   __ATOMIC_SEQ_CST);
}

static bool is_pending(evtchn_port_t port)
{
	return (__atomic_load_n(pending_word(port), __ATOMIC_SEQ_CST) >>
		(port % 64)) &
	       1;
}

TEST(sched_op, yield)
{
	EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
	EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_yield, bad_pointers[0]));
}

/* The old form knows yield, block and shutdown only. */
TEST(sched_op, compat)
{
	EXPECT_OK(sched_op_compat(SCHEDOP_yield, 0));
	EXPECT_ERR(sched_op_compat(SCHEDOP_poll, 0), -ENOSYS);
	EXPECT_ERR(sched_op_compat(SCHEDOP_shutdown_code, 0), -ENOSYS);
	EXPECT_ERR(sched_op_compat(99, 0), -ENOSYS);
}

/* A timeout already past (1 ns after boot) ends a poll on no ports. */
TEST(sched_op, poll_nothing_timeout_in_past)
{
	EXPECT_OK(poll(NULL, 0, 1));
}

/* ... and a poll on a port that is not pending. */
TEST(sched_op, poll_timeout_in_past)
{
	evtchn_port_t port;

	open_ports(&port, 1);
	ASSERT_TRUE(!is_pending(port));
	EXPECT_OK(poll(&port, 1, 1));
	close_ports(&port, 1);
}

/*
 * A port already pending ends the poll before it blocks, wherever it is
 * in the list, up to the limit of 128 ports. There is no timeout: were
 * the pending bit missed, the kernel would sleep until the runner gives
 * up on it.
 */
TEST(sched_op, poll_pending_port)
{
	static evtchn_port_t many[MAX_POLL_PORTS];
	evtchn_port_t ports[3];

	open_ports(ports, ARRAY_SIZE(ports));
	set_pending(ports[2], true);
	EXPECT_OK(poll(&ports[2], 1, 0));
	EXPECT_OK(poll(ports, ARRAY_SIZE(ports), 0));
	for (unsigned int i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = ports[i % 2];
	many[ARRAY_SIZE(many) - 1] = ports[2];
	EXPECT_OK(poll(many, ARRAY_SIZE(many), 0));
	EXPECT_TRUE(is_pending(ports[2])); /* polling does not clear it */
	set_pending(ports[2], false);
	close_ports(ports, ARRAY_SIZE(ports));
}

/* Ports past the 2-level ABI's end, and too many ports: -EINVAL. */
TEST(sched_op, poll_refused)
{
	static evtchn_port_t many[MAX_POLL_PORTS + 1];
	evtchn_port_t past[] = {NR_PORTS_2L, ~0U};

	EXPECT_ERR(poll(&past[0], 1, 1), -EINVAL);
	EXPECT_ERR(poll(&past[1], 1, 1), -EINVAL);
	EXPECT_ERR(poll(many, ARRAY_SIZE(many), 1), -EINVAL);
}

/* A port nobody opened (nor port 0, reserved) cannot be polled. */
TEST(sched_op, poll_free_port)
{
	evtchn_port_t ports[2] = {0, FREE_PORT};

	EXPECT_ERR(poll(&ports[0], 1, 1), -EINVAL);
	EXPECT_ERR(poll(&ports[1], 1, 1), -EINVAL);
	open_ports(ports, 1);
	EXPECT_ERR(poll(ports, 2, 1), -EINVAL); /* after a good one */
	close_ports(ports, 1);
	EXPECT_ERR(poll(ports, 1, 1), -EINVAL); /* closed again */
}

TEST(sched_op, poll_bad_pointers)
{
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++) {
		EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_poll, bad_pointers[j]),
			   -EFAULT);
		EXPECT_ERR(poll(bad_pointers[j], 1, 1), -EFAULT);
	}
}

/* An unreadable argument: refused, and the kernel keeps running. */
TEST(sched_op, shutdown_bad_pointers)
{
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++) {
		EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_shutdown,
					       bad_pointers[j]),
			   -EFAULT);
		EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_shutdown_code,
					       bad_pointers[j]),
			   -EFAULT);
	}
}

/*
 * Shutting down a domain that does not exist: -ESRCH, whatever the
 * reason. DOMID_SELF names no domain here.
 */
TEST(sched_op, remote_shutdown_no_domain)
{
	struct sched_remote_shutdown rs = {
		.domain_id = NO_SUCH_DOMAIN,
		.reason = SHUTDOWN_poweroff,
	};

	EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -ESRCH);
	rs.reason = 99;
	EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -ESRCH);
	rs.domain_id = DOMID_SELF;
	rs.reason = SHUTDOWN_poweroff;
	EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -ESRCH);
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
		EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_remote_shutdown,
					       bad_pointers[j]),
			   -EFAULT);
}

TEST(sched_op, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_sched_op(99, NULL), -ENOSYS);
	EXPECT_ERR(HYPERVISOR_sched_op(-1, NULL), -ENOSYS);
}
