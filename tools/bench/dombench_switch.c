/*
 * A switch between two domains on one CPU, timed in dom0:
 *
 *   domain_switch  the yield domU (guests/yield.c), its vCPU pinned to
 *                  dom0's measuring CPU (MEASURE_CPU), runs
 *                  SCHEDOP_yield in a loop. dom0 times YIELDS of its own
 *                  SCHEDOP_yield: each is dom0's hypercall and the
 *                  scheduler's choice, a switch to the domU, the domU's
 *                  return from its previous yield, its count and its
 *                  next yield hypercall, the scheduler's choice, the
 *                  switch back and dom0's return - two switches and two
 *                  yields. The figure is half of one dom0 yield: one
 *                  switch between domains, with the yield hypercall and
 *                  scheduling decision that led to it.
 *
 * The domU counts the yields that returned in its start_info page,
 * which dom0 maps read-only (guests/minimal.h). The figure means a
 * switch only if the domU ran once per dom0 yield; dombench compares the
 * counts and prints a "bench-warning" line, which run.py shows under the
 * table, when they differ by more than SLACK_PCT percent.
 */
#include <guest/console.h>
#include <guest/foreign.h>
#include <guest/hypercall.h>
#include <guest/processor.h>

#include "dombench.h"
#include "guests/minimal.h"

#define YIELDS 2000
#define SLACK_PCT 5

static volatile const uint64_t *count;

/* Yield until the domU has counted a yield (it has booted). */
static int wait_running(void)
{
	uint64_t deadline = time_now() + DOMU_WAIT_S * NSEC_PER_SEC;

	while (!*count) {
		if (time_now() >= deadline) {
			printk("dombench: domain_switch: the domU never "
			       "yielded\n");
			return -1;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	return 0;
}

static void time_yields(void)
{
	uint64_t per[REPS], domu = 0;

	for (int r = 0; r < REPS; r++) {
		uint64_t c0 = *count, t0 = rdtsc();

		for (int i = 0; i < YIELDS; i++)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		per[r] = (rdtsc() - t0) / (2 * YIELDS);
		domu += *count - c0;
	}
	printk("dombench: domain_switch: the domU yielded %lu times for %d "
	       "yields of dom0\n",
	       (unsigned long)domu, REPS * YIELDS);
	if (domu * 100 < (uint64_t)REPS * YIELDS * (100 - SLACK_PCT) ||
	    domu * 100 > (uint64_t)REPS * YIELDS * (100 + SLACK_PCT))
		printk("bench-warning domain_switch: the domU ran %lu times "
		       "for %d yields of dom0, not once per yield\n",
		       (unsigned long)domu, REPS * YIELDS);
	bench_report("domain_switch", per);
}

/* domain_switch. */
int bench_domain_switch(void)
{
	struct domu u = {.kernel = "/boot/yield.elf", .cpu = MEASURE_CPU};
	xen_pfn_t mfn;
	void *si;
	int rc = domu_start(&u);

	if (rc)
		return rc;
	mfn = u.info.start_info_mfn;
	rc = foreign_map(u.info.domid, &mfn, 1, false, &si);
	if (rc) {
		printk("dombench: domain_switch: cannot map the domU's "
		       "start_info (%d)\n",
		       rc);
		domu_destroy(u.info.domid);
		return rc;
	}
	count = (volatile const uint64_t *)((char *)si + YIELD_COUNT_OFFSET);
	rc = wait_running();
	if (!rc)
		time_yields();
	foreign_unmap(si, 1);
	if (domu_destroy(u.info.domid))
		rc = -1;
	return rc;
}
