/*
 * Waiting with events masked: dom0's toolstack polls its ports.
 *
 * A port's pending bit in shared_info is cleared by us before we look at
 * what it announced; a notification that arrives after the look sets it
 * again, and SCHEDOP_poll returns at once for a pending port, so nothing
 * is lost. Time is the hypervisor's system time (ns since boot), read
 * from vCPU 0's vcpu_info with the TSC, which is what SCHEDOP_poll's
 * timeout is measured in. The toolstack runs on vCPU 0.
 */
#include <ctrl/wait.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/processor.h>
#include <guest/shared_info.h>
#include <stdbool.h>

/* Bind a global VIRQ (VIRQ_DOM_EXC, VIRQ_CONSOLE) to a new port. */
int wait_bind_virq(uint32_t virq, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = 0};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);

	if (!rc)
		*port = b.port;
	return rc;
}

/* Close one of our ports. */
int wait_close(evtchn_port_t port)
{
	struct evtchn_close c = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

/* The hypervisor's system time in ns. */
uint64_t wait_now(void)
{
	const struct vcpu_time_info *t = &this_vcpu_info()->time;
	uint32_t version;
	uint64_t ns;

	do {
		uint64_t delta;

		version = READ_ONCE(t->version);
		rmb();
		delta = rdtsc() - t->tsc_timestamp;
		if (t->tsc_shift < 0)
			delta >>= -t->tsc_shift;
		else
			delta <<= t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta *
						  t->tsc_to_system_mul) >>
						 32);
		rmb();
	} while ((version & 1) || version != READ_ONCE(t->version));
	return ns;
}

/* Atomically clear port's pending bit; whether it was set. */
static bool take_pending(evtchn_port_t port)
{
	xen_ulong_t *word = &HYPERVISOR_shared_info->evtchn_pending[port / 64];
	xen_ulong_t bit = 1UL << (port % 64);

	return __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit;
}

/*
 * Wait until one of ports[0..n) is notified or system time reaches
 * deadline (0: no deadline). *fired gets bit i for each ports[i] that
 * was notified (0 on timeout). Returns 0 or -errno from SCHEDOP_poll.
 */
int wait_any(const evtchn_port_t *ports, unsigned int n, uint64_t deadline,
	     uint32_t *fired)
{
	evtchn_port_t copy[WAIT_MAX_PORTS];
	struct sched_poll poll = {.nr_ports = n, .timeout = deadline};
	int rc;

	if (n > WAIT_MAX_PORTS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		copy[i] = ports[i];
	set_xen_guest_handle(poll.ports, copy);
	for (;;) {
		*fired = 0;
		for (unsigned int i = 0; i < n; i++)
			if (take_pending(ports[i]))
				*fired |= 1U << i;
		if (*fired || (deadline && wait_now() >= deadline))
			return 0;
		rc = HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
		if (rc)
			return rc;
	}
}

/* Sleep for ms milliseconds (no events are consumed). */
void wait_ms(unsigned int ms)
{
	uint64_t deadline = wait_now() + (uint64_t)ms * 1000000;
	uint32_t fired;

	while (wait_now() < deadline)
		wait_any(NULL, 0, deadline, &fired);
}
