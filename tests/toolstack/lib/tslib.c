/*
 * The toolstack test kernels' helpers: their ramdisk (start_info's
 * module, a cpio archive), building a domU from it, and waiting for a
 * domU to shut down or disappear (VIRQ_DOM_EXC, bound on first use).
 */
#include "tslib.h"

#include <ctrl/cpio.h>
#include <ctrl/wait.h>
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <paravane/string.h>

static evtchn_port_t exc_port;
static bool exc_bound, exc_fired;

/* A file of the kernel's ramdisk. */
int ts_file(const char *path, const void **data, size_t *len)
{
	const start_info_t *si = start_info;
	struct cpio_archive a;
	struct cpio_entry e;
	const void *base;
	int rc;

	if (!si->mod_start || !si->mod_len)
		return -ENOENT;
	base = (si->flags & SIF_MOD_START_PFN) ? frame_va(_pfn(si->mod_start))
					       : (const void *)si->mod_start;
	cpio_open(&a, base, si->mod_len);
	rc = cpio_lookup(&a, path, &e);
	if (rc)
		return rc;
	*data = e.data;
	*len = e.size;
	return 0;
}

/*
 * Build a domU of mib MiB from kernel (a ramdisk path) with cmdline;
 * started (unpaused) if start. Prints the builder's reason on failure.
 */
int ts_build(const char *kernel, const char *cmdline, unsigned long mib,
	     unsigned int vcpus, bool start, domid_t *domid)
{
	struct build_params p = {
		.cmdline = cmdline,
		.memory_kb = mib << 10,
		.max_vcpus = vcpus,
	};
	struct build_info info;
	int rc = ts_file(kernel, &p.kernel, &p.kernel_len);

	if (rc) {
		printk("    %s: not in the ramdisk (%d)\n", kernel, rc);
		return rc;
	}
	rc = start ? build_domain(&p, &info) : build_create(&p, &info);
	if (!rc && !start) {
		rc = build_image(&p, &info);
		if (rc)
			ctrl_destroydomain(info.domid);
	}
	if (rc) {
		printk("    build of %s failed: %s\n", kernel, info.error);
		return rc;
	}
	*domid = info.domid;
	return 0;
}

static void bind_exc(void)
{
	if (!exc_bound && !wait_bind_virq(VIRQ_DOM_EXC, &exc_port))
		exc_bound = true;
}

static bool wait_exc(uint64_t deadline)
{
	uint32_t fired = 0;

	bind_exc();
	if (!exc_bound)
		return false;
	wait_any(&exc_port, 1, deadline, &fired);
	exc_fired |= fired != 0;
	return fired != 0;
}

/* Forget VIRQ_DOM_EXC notifications so far. */
void ts_exc_drain(void)
{
	wait_exc(1); /* a deadline in the past: just consume */
	exc_fired = false;
}

/*
 * Whether VIRQ_DOM_EXC fired since ts_exc_drain() or the last call:
 * already seen by a wait, or arriving within seconds.
 */
bool ts_exc_seen(unsigned int seconds)
{
	bool f = exc_fired || wait_exc(wait_now() + seconds * 1000000000ULL);

	exc_fired = false;
	return f;
}

/* Wait (at most seconds) until domid has shut down; its info in *info. */
int ts_wait_shutdown(domid_t domid, unsigned int seconds, ctrl_dominfo_t *info)
{
	uint64_t deadline = wait_now() + seconds * 1000000000ULL;

	bind_exc();
	for (;;) {
		int rc = ctrl_getdomaininfo(domid, info);

		if (rc)
			return rc;
		if (info->flags & XEN_DOMINF_shutdown)
			return 0;
		if (wait_now() >= deadline)
			return -ETIMEDOUT;
		wait_exc(deadline);
	}
}

/* Wait (at most seconds) until domid is gone (destroyed and freed). */
int ts_wait_gone(domid_t domid, unsigned int seconds)
{
	uint64_t deadline = wait_now() + seconds * 1000000000ULL;
	ctrl_dominfo_t info;

	for (;;) {
		if (ctrl_getdomaininfo(domid, &info) == -ESRCH)
			return 0;
		if (wait_now() >= deadline)
			return -ETIMEDOUT;
		wait_exc(wait_now() + 100000000ULL); /* recheck every 0.1 s */
	}
}

/* The host's free memory in pages (physinfo). */
unsigned long ts_free_pages(void)
{
	struct xen_sysctl_physinfo pi;

	return ctrl_physinfo(&pi) ? 0 : (unsigned long)pi.free_pages;
}

/* The host's online CPUs (physinfo). */
unsigned int ts_nr_cpus(void)
{
	struct xen_sysctl_physinfo pi;

	return ctrl_physinfo(&pi) ? 1 : pi.nr_cpus;
}

/* How many domains exist (getdomaininfolist). */
unsigned int ts_nr_domains(void)
{
	static ctrl_dominfo_t info[64];
	unsigned int n = 0;

	if (ctrl_getdomaininfolist(0, info, 64, &n))
		return 0;
	return n;
}

/* The port dom0 would get next (opened and closed again). */
evtchn_port_t ts_next_free_port(void)
{
	evtchn_port_t port = 0;

	if (ctrl_evtchn_alloc_unbound(DOMID_SELF, 0, &port))
		return 0;
	wait_close(port);
	return port;
}

/* Paravane's extraversion is "-paravane"; Xen's a release like ".7". */
bool ts_on_paravane(void)
{
	xen_extraversion_t extra = "";

	HYPERVISOR_xen_version(XENVER_extraversion, extra);
	return !strncmp(extra, "-paravane", 9);
}
