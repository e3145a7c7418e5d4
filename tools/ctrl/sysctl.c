/*
 * HYPERVISOR_sysctl wrappers: the machine (physinfo), the scheduler in
 * use, the list of domains and the hypervisor's console ring, with Xen's
 * struct xen_sysctl (interface version 0x15).
 */
#include <ctrl/ctrl.h>
#include <guest/hypercall.h>

static long hypervisor_sysctl(struct xen_sysctl *op)
{
	return HYPERCALL(sysctl, op, 0, 0, 0, 0);
}

/* Make the sysctl op (its cmd and u filled in); 0 or -errno. */
int ctrl_sysctl(struct xen_sysctl *op)
{
	op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	return (int)hypervisor_sysctl(op);
}

/* CPUs, memory (total and free pages) and capabilities of the host. */
int ctrl_physinfo(struct xen_sysctl_physinfo *pi)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};
	int rc = ctrl_sysctl(&op);

	if (!rc)
		*pi = op.u.physinfo;
	return rc;
}

/* The scheduler the hypervisor runs (XEN_SCHEDULER_*). */
int ctrl_sched_id(uint32_t *sched_id)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_sched_id};
	int rc = ctrl_sysctl(&op);

	if (!rc)
		*sched_id = op.u.sched_id.sched_id;
	return rc;
}

/* Up to max domains with ids from first on; *nr receives how many. */
int ctrl_getdomaininfolist(domid_t first, ctrl_dominfo_t *info,
			   unsigned int max, unsigned int *nr)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_getdomaininfolist};
	int rc;

	op.u.getdomaininfolist.first_domain = first;
	op.u.getdomaininfolist.max_domains = max;
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, info);
	rc = ctrl_sysctl(&op);
	if (!rc)
		*nr = op.u.getdomaininfolist.num_domains;
	return rc;
}

/*
 * Read the hypervisor's console ring into buf (*count bytes at most; the
 * number read comes back in *count). With incremental, reading starts
 * at *index, which then moves past what was read.
 */
int ctrl_readconsole(char *buf, uint32_t *count, uint32_t *index,
		     bool incremental)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_readconsole};
	int rc;

	op.u.readconsole.incremental = incremental;
	op.u.readconsole.index = *index;
	op.u.readconsole.count = *count;
	set_xen_guest_handle(op.u.readconsole.buffer, buf);
	rc = ctrl_sysctl(&op);
	if (!rc) {
		*count = op.u.readconsole.count;
		*index = op.u.readconsole.index;
	}
	return rc;
}
