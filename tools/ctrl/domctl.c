/*
 * HYPERVISOR_domctl wrappers: one function per command, each filling
 * Xen's struct xen_domctl (interface version 0x15) and returning what the
 * hypervisor said. Commands that name a domain act on exactly that
 * domain: getdomaininfo, which Xen 4.17 answers with the first domain at
 * or after the id asked for, is checked here and reports -ESRCH for a
 * domain that does not exist.
 */
#include <ctrl/ctrl.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <paravane/string.h>

static long hypervisor_domctl(struct xen_domctl *op)
{
	return HYPERCALL(domctl, op, 0, 0, 0, 0);
}

/* Make the domctl op (its cmd, domain and u filled in); 0 or -errno. */
int ctrl_domctl(struct xen_domctl *op)
{
	op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	return (int)hypervisor_domctl(op);
}

static int simple_op(uint32_t cmd, domid_t domid)
{
	struct xen_domctl op = {.cmd = cmd, .domain = domid};

	return ctrl_domctl(&op);
}

/*
 * Create an empty, paused PV domain with max_vcpus vCPUs. *domid is the
 * id wanted (0: the hypervisor picks) and receives the new id.
 */
int ctrl_createdomain(domid_t *domid, unsigned int max_vcpus)
{
	struct xen_domctl op = {
		.cmd = XEN_DOMCTL_createdomain,
		.domain = *domid,
	};
	struct xen_domctl_createdomain *c = &op.u.createdomain;
	int rc;

	c->max_vcpus = max_vcpus;
	c->max_evtchn_port = 1023; /* xl's default */
	c->max_grant_frames = -1;  /* the hypervisor's defaults */
	c->max_maptrack_frames = -1;
	c->grant_opts = XEN_DOMCTL_GRANT_version(1);
	rc = ctrl_domctl(&op);
	if (!rc)
		*domid = op.domain;
	return rc;
}

/* Destroy a domain: its vCPUs, channels and memory go. */
int ctrl_destroydomain(domid_t domid)
{
	return simple_op(XEN_DOMCTL_destroydomain, domid);
}

/* Pause a domain on behalf of the toolstack (nests with nothing else). */
int ctrl_pausedomain(domid_t domid)
{
	return simple_op(XEN_DOMCTL_pausedomain, domid);
}

/* Undo ctrl_pausedomain(), or start a newly built domain. */
int ctrl_unpausedomain(domid_t domid)
{
	return simple_op(XEN_DOMCTL_unpausedomain, domid);
}

/* The state of domain domid; -ESRCH if there is no such domain. */
int ctrl_getdomaininfo(domid_t domid, ctrl_dominfo_t *info)
{
	struct xen_domctl op = {
		.cmd = XEN_DOMCTL_getdomaininfo,
		.domain = domid,
	};
	int rc = ctrl_domctl(&op);

	if (rc)
		return rc;
	if (op.u.getdomaininfo.domain != domid)
		return -ESRCH; /* Xen 4.17 gave the next domain up */
	*info = op.u.getdomaininfo;
	return 0;
}

/* Limit the memory a domain may own, in KiB. */
int ctrl_max_mem(domid_t domid, uint64_t max_kb)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_max_mem, .domain = domid};

	op.u.max_mem.max_memkb = max_kb;
	return ctrl_domctl(&op);
}

/* Confirm the vCPU count given at creation (libxl still calls it). */
int ctrl_max_vcpus(domid_t domid, unsigned int max)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_max_vcpus, .domain = domid};

	op.u.max_vcpus.max = max;
	return ctrl_domctl(&op);
}

static int vcpucontext(uint32_t cmd, domid_t domid, unsigned int vcpu,
		       vcpu_guest_context_t *ctxt)
{
	struct xen_domctl op = {.cmd = cmd, .domain = domid};

	op.u.vcpucontext.vcpu = vcpu;
	set_xen_guest_handle(op.u.vcpucontext.ctxt, ctxt);
	return ctrl_domctl(&op);
}

/* Load a vCPU's whole context (the domain must be paused). */
int ctrl_setvcpucontext(domid_t domid, unsigned int vcpu,
			vcpu_guest_context_t *ctxt)
{
	return vcpucontext(XEN_DOMCTL_setvcpucontext, domid, vcpu, ctxt);
}

/* Read a vCPU's whole context (the domain must be paused). */
int ctrl_getvcpucontext(domid_t domid, unsigned int vcpu,
			vcpu_guest_context_t *ctxt)
{
	return vcpucontext(XEN_DOMCTL_getvcpucontext, domid, vcpu, ctxt);
}

/* A vCPU's state, CPU and consumed time (ns). */
int ctrl_getvcpuinfo(domid_t domid, unsigned int vcpu,
		     struct xen_domctl_getvcpuinfo *info)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_getvcpuinfo, .domain = domid};
	int rc;

	op.u.getvcpuinfo.vcpu = vcpu;
	rc = ctrl_domctl(&op);
	if (!rc)
		*info = op.u.getvcpuinfo;
	return rc;
}

static int vcpuaffinity(uint32_t cmd, domid_t domid, unsigned int vcpu,
			uint8_t map[CTRL_MAX_CPUS / 8])
{
	struct xen_domctl op = {.cmd = cmd, .domain = domid};
	struct xen_domctl_vcpuaffinity *a = &op.u.vcpuaffinity;

	a->vcpu = vcpu;
	a->flags = XEN_VCPUAFFINITY_HARD;
	set_xen_guest_handle(a->cpumap_hard.bitmap, map);
	a->cpumap_hard.nr_bits = CTRL_MAX_CPUS;
	return ctrl_domctl(&op);
}

/* Restrict a vCPU (hard affinity) to the CPUs set in the mask cpus. */
int ctrl_setvcpuaffinity(domid_t domid, unsigned int vcpu, uint64_t cpus)
{
	uint8_t map[CTRL_MAX_CPUS / 8];

	memcpy(map, &cpus, sizeof(map));
	return vcpuaffinity(XEN_DOMCTL_setvcpuaffinity, domid, vcpu, map);
}

/* A vCPU's hard affinity as a CPU mask. */
int ctrl_getvcpuaffinity(domid_t domid, unsigned int vcpu, uint64_t *cpus)
{
	uint8_t map[CTRL_MAX_CPUS / 8] = {0};
	int rc = vcpuaffinity(XEN_DOMCTL_getvcpuaffinity, domid, vcpu, map);

	if (!rc)
		memcpy(cpus, map, sizeof(map));
	return rc;
}

static int sched_credit(uint32_t cmd, domid_t domid,
			struct xen_domctl_sched_credit *p)
{
	struct xen_domctl op = {.cmd = XEN_DOMCTL_scheduler_op,
				.domain = domid};
	struct xen_domctl_scheduler_op *s = &op.u.scheduler_op;
	int rc;

	s->sched_id = XEN_SCHEDULER_CREDIT;
	s->cmd = cmd;
	s->u.credit = *p;
	rc = ctrl_domctl(&op);
	if (!rc)
		*p = s->u.credit;
	return rc;
}

/* The credit scheduler's weight and cap of a domain. */
int ctrl_sched_credit_get(domid_t domid, struct xen_domctl_sched_credit *p)
{
	*p = (struct xen_domctl_sched_credit){0};
	return sched_credit(XEN_DOMCTL_SCHEDOP_getinfo, domid, p);
}

/* Set a domain's credit weight and cap (cap 0: none, in % of a CPU). */
int ctrl_sched_credit_put(domid_t domid,
			  const struct xen_domctl_sched_credit *p)
{
	struct xen_domctl_sched_credit v = *p;

	return sched_credit(XEN_DOMCTL_SCHEDOP_putinfo, domid, &v);
}

/* Have the hypervisor fill the domain's frame mfn with hypercall stubs. */
int ctrl_hypercall_init(domid_t domid, xen_pfn_t mfn)
{
	struct xen_domctl op = {
		.cmd = XEN_DOMCTL_hypercall_init,
		.domain = domid,
	};

	op.u.hypercall_init.gmfn = mfn;
	return ctrl_domctl(&op);
}
