/*
 * xenstore operations per second through dom0's xenstored
 * (tools/xenstore/dom0), which dombench starts on its vCPU 0
 * (MEASURE_CPU) if it is not running yet. The same code - our dom0, our
 * xenstored, our domUs - runs on Paravane and on Xen 4.17, so the two
 * columns compare the hypervisors beneath it: event channels, the
 * mapped ring page, scheduling.
 *
 *   xenstore_dom0      dom0's own xenbus over xenstored's in-process
 *                      transport: xenbus_write of a small value under
 *                      its home, then xenbus_read of it, DOM0_PAIRS
 *                      times per repetition; no hypervisor involved
 *   xenstore_domus_N   N = 1, 2, 4 domUs (guests/xsload.c) each making
 *                      the same write + read pairs under its own home
 *                      over its ring, as fast as replies come. dom0
 *                      sleeps WINDOW_MS and counts the requests
 *                      xenstored ran meanwhile (its stats; dom0 makes
 *                      none in the window), so the figure is the
 *                      aggregate of all N, including the domUs' progress
 *                      reports (one write per REPORT pairs). A request
 *                      is the domU's ring write and notification, a
 *                      switch to dom0, xenstored's upcall, thread and
 *                      reply, and a switch back.
 *
 * The domUs are pinned to MEASURE_CPU, where xenstored runs: the whole
 * exchange happens on one CPU, so the figures do not depend on how the
 * host schedules QEMU's two CPU threads against each other (on a busy
 * host, a round trip between the two emulated CPUs can wait for a
 * host time slice, which made such figures vary a hundredfold).
 *
 * Each domU gets a home as xl gives one (tools/xl/store.c, in brief:
 * /local/domain/N readable by N, with domid and N's own data) and is
 * introduced; the windows start once every domU has reported twice.
 * Figures are TSC cycles per operation (run.py prints them as ops/s).
 * A domU that stopped making progress during the windows gives a
 * bench-warning line; one that crashed fails the run.
 */
#include <ctrl/ctrl.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/processor.h>
#include <guest/sched.h>
#include <guest/xenbus.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xenstore/dom0.h>

#include "dombench.h"

#define DOM0_PAIRS 500
#define WINDOW_MS 250
#define MAX_DOMUS 4
#define WARM_PAIRS 64 /* two reports of guests/xsload.c */

static char *home_path(char *path, size_t size, domid_t domid, const char *rel)
{
	snprintf(path, size, "/local/domain/%u%s%s", domid, *rel ? "/" : "",
		 rel);
	return path;
}

/* The domain's home, as every domain has it (tools/xenstore/dom0/home.c). */
static int give_home(struct xsc *xs, domid_t domid)
{
	return xenstored_write_home(xs, XS_TX_NONE, domid, NULL);
}

/* Build, start, house and introduce one xsload domU. */
static int start_loader(struct xsc *xs, struct domu *u)
{
	int rc;

	memset(u, 0, sizeof(*u));
	u->kernel = "/boot/xsload.elf";
	u->cpu = MEASURE_CPU;
	rc = domu_start(u);
	if (rc)
		return rc;
	rc = give_home(xs, u->info.domid);
	if (!rc)
		rc = xsc_introduce(xs, u->info.domid, u->info.store_mfn,
				   u->info.store_port);
	if (rc) {
		printk("dombench: domain %u: no xenstore (%d)\n", u->info.domid,
		       rc);
		domu_destroy(u->info.domid);
	}
	return rc;
}

/* Release the domain from xenstored, remove its home, destroy it. */
static int stop_loader(struct xsc *xs, domid_t domid)
{
	char path[32];

	xsc_release(xs, domid);
	xsc_rm(xs, XS_TX_NONE, home_path(path, sizeof(path), domid, ""));
	return domu_destroy(domid);
}

/* How many pairs the domain has reported (0: none yet). */
static unsigned long pairs(struct xsc *xs, domid_t domid)
{
	char path[48], *v;
	unsigned long n;

	if (xsc_read(xs, XS_TX_NONE,
		     home_path(path, sizeof(path), domid, "data/pairs"), &v,
		     NULL))
		return 0;
	n = parse_uint(v, NULL);
	xsd_free(v);
	return n;
}

static bool crashed(domid_t domid)
{
	ctrl_dominfo_t info;

	return ctrl_getdomaininfo(domid, &info) ||
	       (info.flags & XEN_DOMINF_shutdown);
}

/* Wait until each domU has made at least WARM_PAIRS pairs. */
static int warm_up(struct xsc *xs, const struct domu *u, unsigned int n)
{
	uint64_t deadline = time_now() + DOMU_WAIT_S * NSEC_PER_SEC;

	for (unsigned int i = 0; i < n; i++)
		while (pairs(xs, u[i].info.domid) < WARM_PAIRS) {
			if (crashed(u[i].info.domid) ||
			    time_now() >= deadline) {
				printk("dombench: xenstore: domain %u does not "
				       "run\n",
				       u[i].info.domid);
				return -ETIMEDOUT;
			}
			sleep_ns(10 * NSEC_PER_MSEC);
		}
	return 0;
}

/* REPS windows with n domUs loading xenstored; cycles per request. */
static int measure(struct xsc *xs, const struct domu *u, unsigned int n,
		   uint64_t *per_op)
{
	unsigned long before[MAX_DOMUS];
	struct xenstored_info s0, s1;

	for (unsigned int i = 0; i < n; i++)
		before[i] = pairs(xs, u[i].info.domid);
	for (int r = 0; r < REPS; r++) {
		uint64_t t0, t1;

		xenstored_info(&s0);
		t0 = rdtsc();
		sleep_ns(WINDOW_MS * NSEC_PER_MSEC);
		t1 = rdtsc();
		xenstored_info(&s1);
		if (s1.stats.requests == s0.stats.requests) {
			printk("dombench: xenstore: no request in %u ms\n",
			       WINDOW_MS);
			return -EIO;
		}
		per_op[r] = (t1 - t0) / (s1.stats.requests - s0.stats.requests);
	}
	for (unsigned int i = 0; i < n; i++) {
		domid_t domid = u[i].info.domid;

		if (crashed(domid)) {
			printk("dombench: xenstore: domain %u crashed\n",
			       domid);
			return -EIO;
		}
		if (pairs(xs, domid) == before[i])
			printk("bench-warning xenstore_domus_%u: domain %u made "
			       "no progress\n",
			       n, domid);
	}
	return 0;
}

static int bench_domus(struct xsc *xs, unsigned int n)
{
	struct domu u[MAX_DOMUS];
	uint64_t per_op[REPS];
	unsigned int started = 0;
	char name[32];
	int rc = 0;

	while (started < n && !rc)
		if (!(rc = start_loader(xs, &u[started])))
			started++;
	rc = rc ? rc : warm_up(xs, u, n);
	rc = rc ? rc : measure(xs, u, n, per_op);
	for (unsigned int i = 0; i < started; i++)
		if (stop_loader(xs, u[i].info.domid))
			rc = rc ? rc : -EIO;
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "xenstore_domus_%u", n);
	bench_report(name, per_op);
	return 0;
}

/* dom0's own write + read pairs over the in-process transport. */
static int bench_dom0(void)
{
	uint64_t per_op[REPS];

	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = rdtsc();

		for (unsigned int k = 0; k < DOM0_PAIRS; k++) {
			char value[16], *back;
			int rc;

			snprintf(value, sizeof(value), "%u", k);
			rc = xenbus_write(XBT_NIL, "data/bench", value);
			rc = rc ? rc
				: xenbus_read(XBT_NIL, "data/bench", &back);
			if (rc) {
				printk("dombench: xenstore_dom0: %s\n",
				       errno_name(rc));
				return rc;
			}
			kfree(back);
		}
		per_op[r] = (rdtsc() - t0) / (2 * DOM0_PAIRS);
	}
	xenbus_rm(XBT_NIL, "data");
	bench_report("xenstore_dom0", per_op);
	return 0;
}

/* xenstore_dom0, xenstore_domus_1, _2 and _4. */
int bench_xenstore(void)
{
	static const unsigned int counts[] = {1, 2, 4};
	struct xsc *xs;
	int rc;

	if (!xenstored_running()) {
		rc = xenstored_start();
		if (rc) {
			printk("dombench: cannot start xenstored (%d)\n", rc);
			return rc;
		}
	}
	xs = xenstored_dom0();
	rc = bench_dom0();
	for (unsigned int i = 0; i < 3 && !rc; i++)
		rc = bench_domus(xs, counts[i]);
	return rc;
}
