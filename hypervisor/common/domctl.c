/*
 * HYPERVISOR_domctl: dom0's control of other domains, with Xen's
 * structures (<xen/domctl.h>, interface version 0x15). Any other domain
 * gets -EPERM; a caller built for another interface version gets -EACCES.
 *
 * Domains are built by dom0's toolstack, as on Xen: createdomain gives an
 * empty, paused domain with its vCPUs; dom0 populates its memory
 * (memory_op on the domain), writes the kernel, page tables and
 * start_info through foreign mappings (mmu_update with foreigndom), pins
 * the L4 for it (mmuext_op), asks for its hypercall page
 * (hypercall_init), sets vCPU 0's context and unpauses it.
 *
 * Commands run one at a time (domctl_lock). A long destroydomain leaves a
 * continuation and goes on later.
 */
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>
#include <xen/domctl.h>

#include <asm/domain_build.h>
#include <asm/guest_access.h>
#include <asm/page_type.h>
#include <asm/pv.h>
#include <asm/smp.h>

#define KNOWN_CDF XEN_DOMCTL_CDF_xs_domain

static DEFINE_SPINLOCK(domctl_lock);

static bool domid_in_use(domid_t id)
{
	struct domain *d = get_dying_or_live_domain(id);

	if (d)
		put_domain(d);
	return d != NULL;
}

/*
 * The id for a new domain, as Xen picks it: the first free one after the
 * last one given out, wrapping round, so that an id is not reused while
 * a toolstack may still hold it for the domain that just went.
 */
static domid_t free_domid(void)
{
	static domid_t rover;
	domid_t id = rover;

	for (unsigned int n = 1; n < DOMID_FIRST_RESERVED; n++) {
		if (++id >= DOMID_FIRST_RESERVED)
			id = 1;
		if (!domid_in_use(id)) {
			rover = id;
			return id;
		}
	}
	return DOMID_INVALID;
}

static long createdomain(struct xen_domctl *op)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	domid_t id = op->domain;
	struct domain *d;

	if ((c->flags & ~KNOWN_CDF) || c->iommu_opts || !c->max_vcpus ||
	    c->max_vcpus > MAX_VIRT_CPUS_PER_DOMAIN)
		return -EINVAL;
	if (grant_table_check_config(c->max_grant_frames,
				     c->max_maptrack_frames, c->grant_opts))
		return -EINVAL;
	if (id == 0 || id >= DOMID_FIRST_RESERVED) {
		id = free_domid();
		if (id == DOMID_INVALID)
			return -ENOMEM;
	} else if ((d = get_domain_by_id(id)) != NULL) {
		put_domain(d);
		return -EEXIST;
	}
	d = domain_create(id, false, c->max_vcpus);
	if (!d)
		return -ENOMEM;
	grant_table_set_limits(d, c->max_grant_frames, c->max_maptrack_frames);
	if (c->max_evtchn_port)
		d->max_evtchns = MIN(c->max_evtchn_port + 1,
				     (uint32_t)EVTCHN_2L_NR_CHANNELS);
	memcpy(d->handle, c->handle, sizeof(d->handle));
	d->max_pages = 0;
	d->controller_paused = true;
	domain_pause(d);
	for (unsigned int i = 0; i < c->max_vcpus; i++)
		if (!vcpu_create(d, i, i % nr_online_cpus)) {
			while (domain_destroy(d) == -ERESTART)
				;
			return -ENOMEM;
		}
	op->domain = id;
	printk("Domain %u created (%u vCPUs)\n", id, c->max_vcpus);
	return 0;
}

static void fill_info(struct domain *d, struct xen_domctl_getdomaininfo *i)
{
	uint64_t cpu_time = 0;
	bool running = false, blocked = true;

	memset(i, 0, sizeof(*i));
	i->domain = d->domain_id;
	i->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	for (unsigned int n = 0; n < d->max_vcpus; n++) {
		struct vcpu *v = d->vcpu[n];

		if (!v)
			continue;
		i->max_vcpu_id = n;
		if (!(v->pause_flags & VPF_down)) {
			i->nr_online_vcpus++;
			if (!(v->pause_flags & VPF_blocked))
				blocked = false;
		}
		running |= v->is_running;
		cpu_time += v->runstate.time[RUNSTATE_running];
		if (v->runstate.state == RUNSTATE_running)
			cpu_time +=
				(uint64_t)NOW() - v->runstate.state_entry_time;
	}
	i->flags = (d->is_dying ? XEN_DOMINF_dying : 0) |
		   (d->is_shut_down ? XEN_DOMINF_shutdown : 0) |
		   (d->controller_paused ? XEN_DOMINF_paused : 0) |
		   (running ? XEN_DOMINF_running : 0) |
		   (blocked && i->nr_online_vcpus ? XEN_DOMINF_blocked : 0);
	if (d->is_shut_down)
		i->flags |= (d->shutdown_code & XEN_DOMINF_shutdownmask)
			    << XEN_DOMINF_shutdownshift;
	i->tot_pages = d->tot_pages;
	i->max_pages = d->max_pages;
	if (d->shared_info)
		i->shared_info_frame = mfn_x(virt_to_mfn(d->shared_info));
	i->cpu_time = cpu_time;
	memcpy(i->handle, d->handle, sizeof(i->handle));
	i->gpaddr_bits = 52;
}

/*
 * XEN_DOMCTL_getdomaininfo, and the sysctl list: the first domain >= id.
 * As in Xen, a domain being destroyed is still there (flagged dying)
 * until its last reference goes.
 */
struct domain *domain_at_or_after(domid_t id)
{
	struct domain *d;

	domlist_read_lock();
	for (d = first_domain(); d; d = next_domain(d))
		if (d->domain_id >= id && get_domain(d))
			break;
	domlist_read_unlock();
	return d;
}

/* Fill Xen's getdomaininfo structure for d. */
void getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	fill_info(d, info);
}

/*
 * vCPU id of d for a vCPU command, with Xen's answers: -EINVAL for an id
 * beyond the domain's max_vcpus, -ESRCH for a vCPU not created.
 */
static struct vcpu *domctl_vcpu(struct domain *d, uint32_t id, long *rc)
{
	if (id >= d->max_vcpus) {
		*rc = -EINVAL;
		return NULL;
	}
	if (!d->vcpu[id])
		*rc = -ESRCH;
	return d->vcpu[id];
}

/*
 * As Xen's domain_pause(), which returns only once every vCPU of d is
 * off its CPU: the caller may then rely on it (read its vCPU state, see
 * it neither running nor runnable). Its CPUs deschedule it at once.
 */
static void wait_until_descheduled(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		while (d->vcpu[i] && READ_ONCE(d->vcpu[i]->is_running))
			cpu_relax();
}

static long vcpucontext(struct domain *d, struct xen_domctl *op, bool set)
{
	struct xen_domctl_vcpucontext *vc = &op->u.vcpucontext;
	struct vcpu_guest_context *c;
	struct vcpu *v;
	long rc = 0;

	/* Xen: -EINVAL for a vCPU out of range, not created, or the caller. */
	if (vc->vcpu >= d->max_vcpus || !(v = d->vcpu[vc->vcpu]) ||
	    v == current)
		return -EINVAL;
	if (set && d == current->domain)
		return -EINVAL; /* as Xen: not into the caller's own domain */
	if (!set && !v->is_initialised)
		return -ENODATA; /* as Xen: no context to read yet */
	c = xmalloc(struct vcpu_guest_context);
	if (!c)
		return -ENOMEM;
	if (!set) {
		/* Xen pauses the vCPU while it reads; this pauses another
		 * domain, and reads a vCPU of the caller's own only while
		 * it is not running. */
		bool pause = d != current->domain;

		if (pause) {
			domain_pause(d);
			wait_until_descheduled(d);
		}
		if (READ_ONCE(v->is_running))
			rc = -EBUSY;
		else
			arch_get_info_guest(v, c);
		if (pause)
			domain_unpause(d);
		if (!rc && copy_to_guest_raw(vc->ctxt.p, c, sizeof(*c)))
			rc = -EFAULT;
	} else {
		/* Xen pauses the domain around the load itself. */
		if (copy_from_guest_raw(c, vc->ctxt.p, sizeof(*c))) {
			rc = -EFAULT;
		} else {
			domain_pause(d);
			wait_until_descheduled(d);
			rc = arch_set_info_guest(v, c);
			if (!rc && (c->flags & VGCF_online))
				__atomic_fetch_and(&v->pause_flags, ~VPF_down,
						   __ATOMIC_SEQ_CST);
			else if (!rc)
				__atomic_fetch_or(&v->pause_flags, VPF_down,
						  __ATOMIC_SEQ_CST);
			domain_unpause(d);
		}
	}
	xfree(c);
	return rc;
}

static long vcpuinfo(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_getvcpuinfo *vi = &op->u.getvcpuinfo;
	struct vcpu *v;
	long rc = 0;

	if (!(v = domctl_vcpu(d, vi->vcpu, &rc)))
		return rc;
	vi->online = !(v->pause_flags & VPF_down);
	vi->blocked = (v->pause_flags & VPF_blocked) != 0;
	vi->running = v->is_running;
	vi->cpu_time = v->runstate.time[RUNSTATE_running];
	if (v->runstate.state == RUNSTATE_running) /* the current stint too */
		vi->cpu_time += (uint64_t)NOW() - v->runstate.state_entry_time;
	vi->cpu = v->processor;
	return 0;
}

static long vcpuaffinity(struct domain *d, struct xen_domctl *op, bool set)
{
	struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
	struct vcpu *v;
	uint8_t bits[8] = {0};
	unsigned int bytes = MIN((a->cpumap_hard.nr_bits + 7) / 8, 8U);
	uint64_t mask = 0;
	long rc = 0;

	if (!(v = domctl_vcpu(d, a->vcpu, &rc)))
		return rc;
	if (a->flags & ~(XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT))
		return -EINVAL;
	if (!(a->flags & XEN_VCPUAFFINITY_HARD))
		return set ? 0 : -EINVAL; /* soft affinity: advice only */
	if (!set) {
		mask = v->cpu_affinity;
		memcpy(bits, &mask, sizeof(bits));
		return copy_to_guest_raw(a->cpumap_hard.bitmap.p, bits, bytes)
			       ? -EFAULT
			       : 0;
	}
	if (copy_from_guest_raw(bits, a->cpumap_hard.bitmap.p, bytes))
		return -EFAULT;
	memcpy(&mask, bits, sizeof(mask));
	return csched_set_affinity(v, mask);
}

static long scheduler_op(struct domain *d, struct xen_domctl *op)
{
	struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
	uint16_t weight, cap;

	if (s->sched_id != XEN_SCHEDULER_CREDIT)
		return -EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_putinfo:
		/* As Xen: a cap of 0xffff (like a weight of 0) keeps it. */
		csched_get_params(d, &weight, &cap);
		if (s->u.credit.cap != (uint16_t)~0U)
			cap = s->u.credit.cap;
		return csched_set_params(d, s->u.credit.weight, cap);
	case XEN_DOMCTL_SCHEDOP_getinfo:
		csched_get_params(d, &s->u.credit.weight, &s->u.credit.cap);
		return 0;
	default: return -EINVAL;
	}
}

static long hypercall_init(struct domain *d, uint64_t gmfn)
{
	mfn_t m = _mfn(gmfn); /* PV: the guest names machine frames */
	struct page_info *pg;

	if (!mfn_valid(m))
		return -EINVAL;
	pg = mfn_to_page(m);
	if (get_page_and_type(pg, d, PGT_writable_page))
		return -EINVAL;
	fill_hypercall_page(mfn_to_virt(m));
	put_page_and_type(pg);
	return 0;
}

/* The commands that act on an existing domain d. */
static long domain_op(struct domain *d, struct xen_domctl *op, bool *copyback)
{
	switch (op->cmd) {
	case XEN_DOMCTL_pausedomain:
		if (d == current->domain)
			return -EINVAL;
		if (!d->controller_paused) {
			d->controller_paused = true;
			domain_pause(d);
		}
		wait_until_descheduled(d);
		return 0;
	case XEN_DOMCTL_unpausedomain:
		if (!d->controller_paused)
			return -EINVAL;
		d->controller_paused = false;
		domain_unpause(d);
		return 0;
	case XEN_DOMCTL_max_mem:
		d->max_pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);
		return 0;
	case XEN_DOMCTL_max_vcpus:
		return op->u.max_vcpus.max == d->max_vcpus ? 0 : -EINVAL;
	case XEN_DOMCTL_setvcpucontext: return vcpucontext(d, op, true);
	case XEN_DOMCTL_getvcpucontext: return vcpucontext(d, op, false);
	case XEN_DOMCTL_getvcpuinfo: *copyback = true; return vcpuinfo(d, op);
	case XEN_DOMCTL_setvcpuaffinity: return vcpuaffinity(d, op, true);
	case XEN_DOMCTL_getvcpuaffinity: return vcpuaffinity(d, op, false);
	case XEN_DOMCTL_scheduler_op:
		*copyback = true;
		return scheduler_op(d, op);
	case XEN_DOMCTL_setdomainhandle:
		memcpy(d->handle, op->u.setdomainhandle.handle,
		       sizeof(d->handle));
		return 0;
	case XEN_DOMCTL_hypercall_init:
		return hypercall_init(d, op->u.hypercall_init.gmfn);
	case XEN_DOMCTL_set_address_size:
		return op->u.address_size.size == 64 ? 0 : -EINVAL;
	case XEN_DOMCTL_get_address_size:
		op->u.address_size.size = 64;
		*copyback = true;
		return 0;
	case XEN_DOMCTL_settimeoffset:
		return 0; /* PV guests keep their own wall-clock offset */
	default: return -ENOSYS;
	}
}

/* HYPERVISOR_domctl(op). */
long do_domctl(XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u_domctl)
{
	struct xen_domctl op;
	struct domain *d;
	bool copyback = false;
	long rc;

	if (!current->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest(&op, u_domctl, 1))
		return -EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -EACCES;

	spin_lock(&domctl_lock);
	switch (op.cmd) {
	case XEN_DOMCTL_createdomain:
		rc = createdomain(&op);
		copyback = !rc;
		break;
	case XEN_DOMCTL_getdomaininfo:
		d = domain_at_or_after(op.domain);
		if (!d) {
			rc = -ESRCH;
			break;
		}
		fill_info(d, &op.u.getdomaininfo);
		op.domain = d->domain_id;
		put_domain(d);
		rc = 0;
		copyback = true;
		break;
	case XEN_DOMCTL_destroydomain:
		d = get_dying_or_live_domain(op.domain);
		if (!d) {
			rc = -ESRCH;
			break;
		}
		rc = domain_destroy(d);
		put_domain(d);
		break;
	default:
		d = get_domain_by_id(op.domain);
		if (!d) {
			rc = -ESRCH;
			break;
		}
		rc = domain_op(d, &op, &copyback);
		put_domain(d);
		break;
	}
	spin_unlock(&domctl_lock);

	if (rc == -ERESTART) {
		unsigned long args[1] = {(unsigned long)u_domctl.p};

		hypercall_create_continuation(__HYPERVISOR_domctl, 1, args);
		return 0;
	}
	if (copyback && copy_to_guest(u_domctl, &op, 1))
		return -EFAULT;
	return rc;
}
