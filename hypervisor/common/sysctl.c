/*
 * HYPERVISOR_sysctl: dom0's view of the whole machine, with Xen's
 * structures (<xen/sysctl.h>, interface version 0x15): the hypervisor's
 * console log (readconsole, for "xl dmesg"), the machine (physinfo), the
 * scheduler in use, and the domains (getdomaininfolist).
 */
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

#include <asm/guest_access.h>
#include <asm/smp.h>

#define CONSOLE_CHUNK 4096

/*
 * The console log, as Xen's readconsole gives it: count bytes at most
 * from the oldest kept (or from index, if incremental), through a
 * bounded buffer of ours; index and count come back updated.
 */
static long readconsole(struct xen_sysctl_readconsole *rc)
{
	char *buf = xmalloc_bytes(CONSOLE_CHUNK);
	uint32_t index = rc->index, done = 0;
	bool from_index = rc->incremental;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < rc->count) {
		size_t n = printk_read_ring(
			buf, MIN(rc->count - done, (uint32_t)CONSOLE_CHUNK),
			&index, from_index, false);

		if (!n)
			break;
		if (copy_to_guest_raw(rc->buffer.p + done, buf, n)) {
			ret = -EFAULT;
			break;
		}
		done += (uint32_t)n;
		from_index = true;
	}
	if (!ret && rc->clear)
		printk_read_ring(buf, 0, &index, true, true);
	rc->count = done;
	rc->index = index;
	xfree(buf);
	return ret;
}

static void physinfo(struct xen_sysctl_physinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1;
	pi->cores_per_socket = nr_online_cpus;
	pi->nr_cpus = nr_online_cpus;
	pi->max_cpu_id = nr_online_cpus - 1; /* CPUs are numbered densely */
	pi->nr_nodes = 1;
	pi->cpu_khz = (uint32_t)(tsc_hz() / 1000);
	pi->capabilities = XEN_SYSCTL_PHYSCAP_pv | XEN_SYSCTL_PHYSCAP_gnttab_v1;
	pi->total_pages = heap_total_pages();
	pi->free_pages = heap_free_pages();
	pi->max_mfn = max_page - 1;
}

static long domaininfolist(struct xen_sysctl_getdomaininfolist *l)
{
	struct xen_domctl_getdomaininfo info;
	domid_t id = l->first_domain;
	uint32_t n = 0;

	while (n < l->max_domains) {
		struct domain *d = domain_at_or_after(id);

		if (!d)
			break;
		getdomaininfo(d, &info);
		id = d->domain_id + 1;
		put_domain(d);
		if (copy_to_guest_offset(l->buffer, n, &info, 1))
			return -EFAULT;
		n++;
	}
	l->num_domains = n;
	return 0;
}

/* HYPERVISOR_sysctl(op). */
long do_sysctl(XEN_GUEST_HANDLE_PARAM(xen_sysctl_t) u_sysctl)
{
	struct xen_sysctl op;
	long rc;

	if (!current->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest(&op, u_sysctl, 1))
		return -EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -EACCES;

	switch (op.cmd) {
	case XEN_SYSCTL_readconsole: rc = readconsole(&op.u.readconsole); break;
	case XEN_SYSCTL_physinfo:
		physinfo(&op.u.physinfo);
		rc = 0;
		break;
	case XEN_SYSCTL_sched_id:
		op.u.sched_id.sched_id = XEN_SCHEDULER_CREDIT;
		rc = 0;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		rc = domaininfolist(&op.u.getdomaininfolist);
		break;
	default: return -ENOSYS;
	}
	if (copy_to_guest(u_sysctl, &op, 1))
		return -EFAULT;
	return rc;
}
