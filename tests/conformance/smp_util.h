/*
 * Helpers for the conformance kernels that use events, time and the
 * second vCPU (events.c, time.c, vcpu.c). The runners boot dom0 with two
 * vCPUs; pvguest brings vCPU 1 up before the tests run.
 *
 * Code run on vCPU 1 (run_on()) must not use the EXPECT/ASSERT macros:
 * the harness's failure record and its abort point belong to the test
 * on vCPU 0. It records what it saw in memory the test then checks.
 */
#ifndef CONFORMANCE_SMP_UTIL_H
#define CONFORMANCE_SMP_UTIL_H

#include "harness/test.h"

#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/processor.h>
#include <guest/sched.h>
#include <guest/shared_info.h>
#include <guest/smp.h>
#include <guest/time.h>

/* How long a test waits for something another vCPU or Xen should do. */
#define WAIT_NS (2 * NSEC_PER_SEC)

/* An event handler's record: how often it ran, where, for which port. */
struct hits {
	unsigned long count;
	int cpu;
	evtchn_port_t port;
};

static inline void count_hit(evtchn_port_t port, void *arg)
{
	struct hits *h = arg;

	WRITE_ONCE(h->cpu, (int)smp_processor_id());
	WRITE_ONCE(h->port, port);
	__atomic_add_fetch(&h->count, 1, __ATOMIC_SEQ_CST);
}

static inline unsigned long hits_of(const struct hits *h)
{
	return __atomic_load_n(&h->count, __ATOMIC_SEQ_CST);
}

/* Spin until *p >= want or WAIT_NS pass; whether it got there. */
static inline bool wait_count(const unsigned long *p, unsigned long want)
{
	uint64_t end = time_now() + WAIT_NS;

	while (__atomic_load_n(p, __ATOMIC_SEQ_CST) < want) {
		if (time_now() > end)
			return false;
		cpu_relax();
	}
	return true;
}

/* Run fn(arg) in a thread on vCPU cpu and return its result. */
static inline int run_on(unsigned int cpu, int (*fn)(void *), void *arg)
{
	struct thread *t = thread_create_on(cpu, "test", fn, arg);

	ASSERT_TRUE(t != NULL);
	return thread_join(t);
}

/* EVTCHNOP_status of one of our ports. */
static inline int evtchn_status_of(evtchn_port_t port, struct evtchn_status *st)
{
	st->dom = DOMID_SELF;
	st->port = port;
	return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

/* Raw EVTCHNOP_send, EVTCHNOP_unmask and EVTCHNOP_close. */
static inline int send_raw(evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

static inline int unmask_raw(evtchn_port_t port)
{
	struct evtchn_unmask op = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

static inline int close_raw(evtchn_port_t port)
{
	struct evtchn_close op = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

/* This vCPU's selector bit for port's word. */
static inline bool sel_bit(evtchn_port_t port)
{
	return (READ_ONCE(this_vcpu_info()->evtchn_pending_sel) >>
		(port / (sizeof(xen_ulong_t) * 8))) &
	       1;
}

/* Our own domain id, as Xen reports it in EVTCHNOP_status. */
static inline domid_t self_domid(void)
{
	return 0; /* the conformance kernels run as the initial domain */
}

#endif /* CONFORMANCE_SMP_UTIL_H */
