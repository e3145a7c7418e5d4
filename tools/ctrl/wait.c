/*
 * Waiting for dom0's toolstack, on pvguest's events API. A port bound
 * here gets a handler that sets the port's bit in notified[] and wakes
 * the wait queue; wait_any() sleeps on the queue (pvguest's scheduler
 * runs other threads meanwhile) until one of its ports has its bit set,
 * then takes the bits it was waiting for. A notification that comes
 * before anyone waits stays recorded, so none is lost. Ports are bound
 * on vCPU 0.
 */
#include <ctrl/wait.h>
#include <guest/errno.h>
#include <guest/events.h>
#include <guest/sched.h>
#include <guest/time.h>
#include <stdbool.h>

static unsigned long notified[NR_EVTCHN_PORTS / 64];
static struct waitq waiters = WAITQ_INIT;

static void record(evtchn_port_t port, void *arg)
{
	__atomic_fetch_or(&notified[port / 64], 1UL << (port % 64),
			  __ATOMIC_SEQ_CST);
	wake_up(&waiters);
}

static bool take(evtchn_port_t port)
{
	unsigned long bit = 1UL << (port % 64);

	return __atomic_fetch_and(&notified[port / 64], ~bit,
				  __ATOMIC_SEQ_CST) &
	       bit;
}

static bool any_notified(const evtchn_port_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (__atomic_load_n(&notified[ports[i] / 64],
				    __ATOMIC_SEQ_CST) &
		    (1UL << (ports[i] % 64)))
			return true;
	return false;
}

/* Bind a global VIRQ (VIRQ_DOM_EXC, VIRQ_CONSOLE) to a new port. */
int wait_bind_virq(uint32_t virq, evtchn_port_t *port)
{
	return evtchn_bind_virq(virq, 0, record, NULL, port);
}

/* Close a port bound here. */
int wait_close(evtchn_port_t port)
{
	take(port);
	return evtchn_close(port);
}

/* The hypervisor's system time in ns. */
uint64_t wait_now(void)
{
	return time_now();
}

/*
 * Wait until one of ports[0..n) (bound here) is notified or system time
 * reaches deadline (0: no deadline). *fired gets bit i for each ports[i]
 * that was notified (0 on timeout).
 */
int wait_any(const evtchn_port_t *ports, unsigned int n, uint64_t deadline,
	     uint32_t *fired)
{
	if (n > WAIT_MAX_PORTS)
		return -EINVAL;
	if (!n) {
		if (deadline)
			sleep_until(deadline);
	} else if (deadline) {
		wait_event_until(waiters, any_notified(ports, n), deadline);
	} else {
		wait_event(waiters, any_notified(ports, n));
	}
	*fired = 0;
	for (unsigned int i = 0; i < n; i++)
		if (take(ports[i]))
			*fired |= 1U << i;
	return 0;
}

/* Sleep for ms milliseconds (no notification is consumed). */
void wait_ms(unsigned int ms)
{
	sleep_ns((uint64_t)ms * 1000000);
}
