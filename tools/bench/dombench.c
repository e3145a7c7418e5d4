/*
 * dombench: a dom0 kernel that measures the hypervisor between domains.
 * tools/bench/run.py boots it as dom0 (two vCPUs, two CPUs) of Paravane
 * and of Xen 4.17 with its ramdisk (bench.mk): the demo domU
 * /boot/pingpong.elf, the minimal domUs of tools/bench/guests and the
 * xenstore load /boot/xsload.elf. It builds domUs with dom0's builder
 * (tools/ctrl), runs dom0's xenstored (tools/xenstore/dom0) for the
 * xenstore figures and times, in TSC cycles and only in dom0 (under Xen
 * a domU's rdtsc traps):
 *
 *   evtchn_domains_2cpu    event-channel round trip to a domU on the
 *                          other CPU               (dombench_evtchn.c)
 *   evtchn_domains_1cpu    the same on one CPU     (dombench_evtchn.c)
 *   domain_switch          a switch between domains on one CPU
 *                                                  (dombench_switch.c)
 *   domain_build           building and starting a 16 MiB domain
 *   domain_create_to_exit  from the build's start until dom0 sees the
 *                          new domain's shutdown at its first
 *                          instruction             (dombench_create.c)
 *   xenstore_dom0          a request to dom0's xenstored from dom0
 *   xenstore_domus_N       requests from N domUs over their rings, as
 *                          an aggregate rate   (dombench_xenstore.c)
 *
 * Each file's top says exactly what its figures include. dom0's vCPU 0,
 * where this program runs, is pinned to MEASURE_CPU and its vCPU 1 to
 * OTHER_CPU, so that a domU's place is chosen by its own pinning. Each
 * figure is the median of REPS repetitions (bench_report()); every domU
 * is destroyed, and gone, before the next benchmark. The run ends
 * through exit=port or the shutdown code, after "dombench: done".
 */
#include <ctrl/cpio.h>
#include <ctrl/ctrl.h>
#include <ctrl/wait.h>
#include <guest/app.h>
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/percpu.h>
#include <guest/shutdown.h>
#include <paravane/printf.h>

#include "dombench.h"

#define POLL_NS (100 * NSEC_PER_MSEC)

static struct cpio_archive ramdisk;
static evtchn_port_t exc_port; /* VIRQ_DOM_EXC */

static int ramdisk_init(void)
{
	const start_info_t *si = start_info;
	const void *base;

	if (!si->mod_start || !si->mod_len) {
		printk("dombench: no ramdisk\n");
		return -ENOENT;
	}
	base = (si->flags & SIF_MOD_START_PFN) ? frame_va(_pfn(si->mod_start))
					       : (const void *)si->mod_start;
	cpio_open(&ramdisk, base, si->mod_len);
	return 0;
}

/* A file of dombench's ramdisk. */
int dombench_file(const char *path, const void **data, size_t *len)
{
	struct cpio_entry e;
	int rc = cpio_lookup(&ramdisk, path, &e);

	if (rc) {
		printk("dombench: %s: not in the ramdisk (%d)\n", path, rc);
		return rc;
	}
	*data = e.data;
	*len = e.size;
	return 0;
}

/* dom0's vCPU 0 to MEASURE_CPU, vCPU 1 to OTHER_CPU; wait for vCPU 0. */
static int pin_dom0(void)
{
	struct xen_domctl_getvcpuinfo vi = {0};
	uint64_t deadline = time_now() + NSEC_PER_SEC;
	int rc = ctrl_setvcpuaffinity(0, 0, 1ULL << MEASURE_CPU);

	if (!rc)
		rc = ctrl_setvcpuaffinity(0, 1, 1ULL << OTHER_CPU);
	if (rc) {
		printk("dombench: dom0 cannot pin its vCPUs (%d)\n", rc);
		return rc;
	}
	do {
		rc = ctrl_getvcpuinfo(0, 0, &vi);
		if (rc)
			return rc;
		if (vi.cpu == MEASURE_CPU) {
			printk("dombench: dom0's vCPU 0 runs on CPU %u, "
			       "vCPU 1 is pinned to CPU %u\n",
			       MEASURE_CPU, OTHER_CPU);
			return 0;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	} while (time_now() < deadline);
	printk("dombench: dom0's vCPU 0 stays on CPU %u\n", vi.cpu);
	return -EBUSY;
}

static int start_failed(struct domu *u, int rc, const char *what)
{
	if (what)
		snprintf(u->info.error, sizeof(u->info.error), "%s failed (%d)",
			 what, rc);
	printk("dombench: cannot start %s: %s\n", u->kernel, u->info.error);
	return rc;
}

/*
 * Build u's domain (DOMU_MIB MiB, one vCPU pinned to u->cpu) and start
 * it; u->info.domid is its id. With u->open_port, an unbound port of
 * the domain for dom0 is opened first and its number appended to the
 * command line as evtchn_port=P (the demo domU's answering mode).
 */
int domu_start(struct domu *u)
{
	struct build_params p = {
		.memory_kb = DOMU_MIB << 10,
		.max_vcpus = 1,
		.cmdline = u->cmdline,
	};
	char cmdline[128];
	domid_t domid;
	int rc = dombench_file(u->kernel, &p.kernel, &p.kernel_len);

	if (rc)
		return rc;
	rc = build_create(&p, &u->info);
	if (rc)
		return start_failed(u, rc, NULL);
	domid = u->info.domid;
	if (u->open_port) {
		rc = ctrl_evtchn_alloc_unbound(domid, 0, &u->remote_port);
		if (rc) {
			start_failed(u, rc, "alloc_unbound");
			goto err_destroy;
		}
		snprintf(cmdline, sizeof(cmdline), "%s evtchn_port=%u",
			 u->cmdline ? u->cmdline : "", u->remote_port);
		p.cmdline = cmdline;
	}
	rc = build_image(&p, &u->info);
	if (rc) {
		start_failed(u, rc, NULL);
		goto err_destroy;
	}
	rc = ctrl_setvcpuaffinity(domid, 0, 1ULL << u->cpu);
	if (rc) {
		start_failed(u, rc, "setvcpuaffinity");
		goto err_destroy;
	}
	rc = ctrl_unpausedomain(domid);
	if (rc) {
		start_failed(u, rc, "unpause");
		goto err_destroy;
	}
	return 0;

err_destroy:
	ctrl_destroydomain(domid);
	return rc;
}

/* Destroy domid and wait (DOMU_WAIT_S at most) until it is gone. */
int domu_destroy(domid_t domid)
{
	uint64_t deadline = time_now() + DOMU_WAIT_S * NSEC_PER_SEC;
	ctrl_dominfo_t info;
	uint32_t fired;
	int rc = ctrl_destroydomain(domid);

	if (rc) {
		printk("dombench: destroydomain %u: %d\n", domid, rc);
		return rc;
	}
	while (ctrl_getdomaininfo(domid, &info) != -ESRCH) {
		if (time_now() >= deadline) {
			printk("dombench: domain %u is not gone\n", domid);
			return -ETIMEDOUT;
		}
		wait_any(&exc_port, 1, MIN(deadline, time_now() + POLL_NS),
			 &fired);
	}
	return 0;
}

/* Forget the VIRQ_DOM_EXC notifications so far. */
void domu_exc_drain(void)
{
	uint32_t fired;

	wait_any(&exc_port, 1, 1, &fired); /* a deadline in the past */
}

/*
 * Wait until domid has shut down: getdomaininfo, and between looks a
 * wait for VIRQ_DOM_EXC (dom0's vCPU blocks). -ETIMEDOUT at deadline.
 */
int domu_wait_shutdown(domid_t domid, uint64_t deadline)
{
	ctrl_dominfo_t info;
	uint32_t fired;

	for (;;) {
		int rc = ctrl_getdomaininfo(domid, &info);

		if (rc)
			return rc;
		if (info.flags & XEN_DOMINF_shutdown)
			return 0;
		if (time_now() >= deadline)
			return -ETIMEDOUT;
		wait_any(&exc_port, 1, deadline, &fired);
	}
}

static void watchdog_fire(void *arg)
{
	struct watchdog *w = arg;

	w->fired = true;
}

/* Set w->fired in seconds (from VIRQ_TIMER, on this vCPU). */
void watchdog_start(struct watchdog *w, unsigned int seconds)
{
	w->fired = false;
	timer_init(&w->timer, watchdog_fire, w);
	timer_set(&w->timer, time_now() + seconds * NSEC_PER_SEC);
}

/* Disarm w. */
void watchdog_stop(struct watchdog *w)
{
	timer_stop(&w->timer);
}

/* Run every benchmark; the figures go to the console. */
int app_main(void)
{
	struct xen_sysctl_physinfo pi;
	int rc;

	printk("dombench: %d repetitions, TSC cycles per operation\n", REPS);
	rc = ctrl_physinfo(&pi);
	if (rc || pi.nr_cpus < 2 || nr_cpus() < 2 || smp_processor_id()) {
		printk("dombench: needs two CPUs and dom0 on two vCPUs, "
		       "running on vCPU 0\n");
		return EXIT_FAILED;
	}
	if (ramdisk_init() || wait_bind_virq(VIRQ_DOM_EXC, &exc_port) ||
	    pin_dom0())
		return EXIT_FAILED;
	if (bench_evtchn_domains() || bench_domain_switch() ||
	    bench_domain_create() || bench_xenstore())
		return EXIT_FAILED;
	printk("dombench: done\n");
	return EXIT_OK;
}
