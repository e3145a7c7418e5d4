/*
 * Event-channel round trips between dom0 and a domU, timed in dom0 on
 * its vCPU 0 (MEASURE_CPU):
 *
 *   evtchn_domains_2cpu  the domU's vCPU pinned to the other CPU. dom0
 *                        sends, then spins with events on until its
 *                        handler has counted the answer. A trip: dom0's
 *                        send, which wakes the blocked domU on the other
 *                        CPU; the domU's upcall, its answering thread
 *                        and its send, which interrupts dom0's vCPU
 *                        (an IPI); dom0's upcall; the domU blocks again.
 *   evtchn_domains_1cpu  the domU's vCPU pinned to dom0's CPU. dom0 sends,
 *                        then blocks (SCHEDOP_block) until the answer is
 *                        counted. A trip: dom0's send and block, a switch
 *                        to the domU, its upcall, thread and send (which
 *                        wakes dom0), its block, the switch back and
 *                        dom0's upcall: two switches between domains.
 *                        dom0 blocks rather than spins here: a spinning
 *                        dom0 keeps the CPU until the scheduler preempts
 *                        it (Xen's credit scheduler lets a vCPU run at
 *                        least its 1 ms rate limit), which would measure
 *                        the scheduler's policy, not the round trip.
 *
 * The domU is the demo domU (pvguest/apps/pingpong.c) in its answering
 * mode: dom0 opens an unbound port in it for dom0 before building it,
 * passes it as evtchn_port=P and binds its own end. Its side is
 * pvguest's events API (upcall, handler, a thread woken, a send, the
 * idle vCPU blocked), the same guest code on both hypervisors.
 * Untimed trips first let it boot and settle (WARMUP_MS); then TRIPS
 * per repetition.
 */
#include <guest/console.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/irqflags.h>
#include <guest/processor.h>
#include <guest/sched.h>

#include "dombench.h"

#define TRIPS 2000
/*
 * Round trips made before the timed ones, once the domU answers. On Xen
 * the first half second or so of trips is sometimes twice as slow.
 */
#define WARMUP_MS 1000
#define WATCHDOG_S 20
/* Answer for a long time without printing (the demo reports every 1/4). */
#define DEMO_CMDLINE "rounds=4000000000"

static volatile unsigned long answers;

static void on_answer(evtchn_port_t port, void *arg)
{
	answers++;
}

/*
 * One round trip on port: send, then wait for the answer, spinning with
 * events on or blocked in the hypervisor. False if the watchdog fired.
 */
static bool trip(evtchn_port_t port, bool block, const struct watchdog *w)
{
	unsigned long want = answers + 1;

	evtchn_notify(port);
	if (!block) {
		while (answers < want && !w->fired)
			cpu_relax();
		return answers >= want;
	}
	/* Masked while looking; SCHEDOP_block unmasks and waits at once. */
	local_irq_disable();
	while (answers < want && !w->fired) {
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
		local_irq_disable();
	}
	local_irq_enable();
	return answers >= want;
}

static int time_trips(const char *name, evtchn_port_t port, bool block)
{
	struct watchdog w;
	uint64_t per[REPS];

	for (int r = 0; r < REPS; r++) {
		uint64_t t0;
		int i;

		watchdog_start(&w, WATCHDOG_S);
		t0 = rdtsc();
		for (i = 0; i < TRIPS && trip(port, block, &w); i++)
			;
		per[r] = (rdtsc() - t0) / TRIPS;
		watchdog_stop(&w);
		if (i < TRIPS) {
			printk("dombench: %s: no answer after %d trips\n", name,
			       i);
			return -1;
		}
	}
	bench_report(name, per);
	return 0;
}

/*
 * Let the domU boot, then make round trips for WARMUP_MS more; no answer
 * is in flight afterwards.
 */
static int warm_up(const char *name, evtchn_port_t port, bool block)
{
	struct watchdog w;
	uint64_t end;
	bool ok;

	/* Binding may have notified our end once; let that land first. */
	sleep_ns(10 * NSEC_PER_MSEC);
	watchdog_start(&w, WATCHDOG_S);
	ok = trip(port, block, &w); /* answered once the domU has booted */
	end = time_now() + WARMUP_MS * NSEC_PER_MSEC;
	while (ok && time_now() < end)
		ok = trip(port, block, &w);
	watchdog_stop(&w);
	if (!ok)
		printk("dombench: %s: the domU does not answer\n", name);
	return ok ? 0 : -1;
}

static int round_trips(const char *name, unsigned int domu_cpu, bool block)
{
	struct domu u = {
		.kernel = "/boot/pingpong.elf",
		.cmdline = DEMO_CMDLINE,
		.cpu = domu_cpu,
		.open_port = true,
	};
	evtchn_port_t local;
	int rc = domu_start(&u);

	if (rc)
		return rc;
	rc = evtchn_bind_interdomain(u.info.domid, u.remote_port, on_answer,
				     NULL, &local);
	if (rc) {
		printk("dombench: %s: bind_interdomain: %d\n", name, rc);
		domu_destroy(u.info.domid);
		return rc;
	}
	rc = warm_up(name, local, block);
	if (!rc)
		rc = time_trips(name, local, block);
	evtchn_close(local);
	if (domu_destroy(u.info.domid))
		rc = -1;
	return rc;
}

/* evtchn_domains_2cpu and evtchn_domains_1cpu. */
int bench_evtchn_domains(void)
{
	if (round_trips("evtchn_domains_2cpu", OTHER_CPU, false))
		return -1;
	return round_trips("evtchn_domains_1cpu", MEASURE_CPU, true);
}
