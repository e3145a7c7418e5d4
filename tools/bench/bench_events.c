/*
 * Event-channel round trips inside one domain, timed in TSC cycles:
 *
 *   evtchn_loopback  a channel whose two ends are ports of this domain,
 *                    on one vCPU: send on one end; the upcall runs the
 *                    other end's handler, which sends back; the reply's
 *                    handler counts it (two sends, two deliveries)
 *   evtchn_vcpus     the same with the far end bound to vCPU 1 on another
 *                    physical CPU, blocked in SCHEDOP_block between
 *                    events: each trip wakes it and interrupts vCPU 0
 *                    (skipped with one vCPU)
 *
 * and how late a timer wakes a sleeping thread:
 *
 *   timer_lateness   a thread sleeps until a deadline 1 ms ahead (a
 *                    one-shot timer, VIRQ_TIMER, the vCPU blocked
 *                    meanwhile); nanoseconds from the deadline to the
 *                    thread running again (in ns, not cycles)
 *
 * The round trip between two domains needs a second domain: it is
 * dombench's (dombench_evtchn.c).
 */
#include <guest/events.h>
#include <guest/percpu.h>
#include <guest/console.h>
#include <guest/processor.h>
#include <guest/sched.h>
#include <guest/time.h>

#include "hvbench.h"

#define TRIPS 5000
#define SLEEPS 20

static evtchn_port_t near_end, far_end;
static volatile unsigned long replies;

/* The far end: answer at once. */
static void on_far(evtchn_port_t port, void *arg)
{
	evtchn_notify(port);
}

static void on_near(evtchn_port_t port, void *arg)
{
	replies++;
}

static int open_loopback(void)
{
	int rc = evtchn_alloc_unbound(DOMID_SELF, on_near, NULL, &near_end);

	if (!rc)
		rc = evtchn_bind_interdomain(DOMID_SELF, near_end, on_far, NULL,
					     &far_end);
	if (rc)
		printk("hvbench: loopback channel: %d\n", rc);
	return rc;
}

static void close_loopback(void)
{
	evtchn_close(far_end);
	evtchn_close(near_end);
}

/* Time TRIPS round trips, REPS times, and report them as name. */
static void time_trips(const char *name)
{
	uint64_t per[REPS];

	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < TRIPS; i++) {
			unsigned long want = replies + 1;

			evtchn_notify(near_end);
			while (replies < want)
				cpu_relax();
		}
		per[r] = (rdtsc() - t0) / TRIPS;
	}
	bench_report(name, per);
}

int bench_evtchn_loopback(void)
{
	if (open_loopback())
		return -1;
	time_trips("evtchn_loopback");
	close_loopback();
	return 0;
}

int bench_evtchn_vcpus(void)
{
	int rc;

	if (nr_cpus() < 2) {
		printk("hvbench: evtchn_vcpus skipped: one vCPU\n");
		return 0;
	}
	if (open_loopback())
		return -1;
	rc = evtchn_bind_vcpu(far_end, 1);
	if (rc) {
		printk("hvbench: bind_vcpu: %d\n", rc);
		close_loopback();
		return rc;
	}
	time_trips("evtchn_vcpus");
	close_loopback();
	return 0;
}

int bench_timer_lateness(void)
{
	uint64_t per[REPS];

	for (int r = 0; r < REPS; r++) {
		uint64_t late = 0;

		for (int i = 0; i < SLEEPS; i++) {
			uint64_t deadline = time_now() + NSEC_PER_MSEC;

			sleep_until(deadline);
			late += time_now() - deadline;
		}
		per[r] = late / SLEEPS;
	}
	bench_report("timer_lateness", per);
	return 0;
}
