/*
 * dom0's control library: typed wrappers around the hypercalls a
 * toolstack makes on other domains, with Xen 4.17's structures
 * (<xen/domctl.h>, <xen/sysctl.h>, interface version 0x15).
 *
 *   tools/ctrl/domctl.c   HYPERVISOR_domctl: create, destroy, pause,
 *                         inspect and tune a domain and its vCPUs
 *   tools/ctrl/sysctl.c   HYPERVISOR_sysctl: the machine, the scheduler,
 *                         the list of domains, the hypervisor's console
 *   tools/ctrl/memop.c    memory_op and event_channel_op on behalf of
 *                         another domain
 *
 * Every function returns 0 (or a count) or a negative Xen errno, exactly
 * what the hypervisor answered; nothing is retried or hidden, so the
 * same code is a test of the ABI on Paravane and on real Xen. Code that
 * includes this header is built with __XEN_TOOLS__ (tools/xl/xl.mk),
 * which <xen/domctl.h> demands.
 */
#ifndef CTRL_CTRL_H
#define CTRL_CTRL_H

#include <guest/xen.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/domctl.h>
#include <xen/event_channel.h>
#include <xen/sysctl.h>

typedef struct xen_domctl_getdomaininfo ctrl_dominfo_t;

/* The most CPUs a vCPU affinity mask here can name. */
#define CTRL_MAX_CPUS 64

/* The shutdown code getdomaininfo reports (meaningful with _shutdown). */
static inline unsigned int ctrl_dominfo_shutdown_reason(const ctrl_dominfo_t *i)
{
	return (i->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
}

// tools/ctrl/domctl.c
int ctrl_domctl(struct xen_domctl *op);
int ctrl_createdomain(domid_t *domid, unsigned int max_vcpus);
int ctrl_destroydomain(domid_t domid);
int ctrl_pausedomain(domid_t domid);
int ctrl_unpausedomain(domid_t domid);
int ctrl_getdomaininfo(domid_t domid, ctrl_dominfo_t *info);
int ctrl_max_mem(domid_t domid, uint64_t max_kb);
int ctrl_max_vcpus(domid_t domid, unsigned int max);
int ctrl_setvcpucontext(domid_t domid, unsigned int vcpu,
			vcpu_guest_context_t *ctxt);
int ctrl_getvcpucontext(domid_t domid, unsigned int vcpu,
			vcpu_guest_context_t *ctxt);
int ctrl_getvcpuinfo(domid_t domid, unsigned int vcpu,
		     struct xen_domctl_getvcpuinfo *info);
int ctrl_setvcpuaffinity(domid_t domid, unsigned int vcpu, uint64_t cpus);
int ctrl_getvcpuaffinity(domid_t domid, unsigned int vcpu, uint64_t *cpus);
int ctrl_sched_credit_get(domid_t domid, struct xen_domctl_sched_credit *p);
int ctrl_sched_credit_put(domid_t domid,
			  const struct xen_domctl_sched_credit *p);
int ctrl_hypercall_init(domid_t domid, xen_pfn_t mfn);

// tools/ctrl/sysctl.c
int ctrl_sysctl(struct xen_sysctl *op);
int ctrl_physinfo(struct xen_sysctl_physinfo *pi);
int ctrl_sched_id(uint32_t *sched_id);
int ctrl_getdomaininfolist(domid_t first, ctrl_dominfo_t *info,
			   unsigned int max, unsigned int *nr);
int ctrl_readconsole(char *buf, uint32_t *count, uint32_t *index,
		     bool incremental);

// tools/ctrl/memop.c
long ctrl_populate_physmap(domid_t domid, xen_pfn_t *frames, unsigned long nr);
long ctrl_decrease_reservation(domid_t domid, xen_pfn_t *mfns,
			       unsigned long nr);
long ctrl_current_reservation(domid_t domid);
int ctrl_evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
int ctrl_evtchn_status(domid_t dom, evtchn_port_t port,
		       struct evtchn_status *st);

#endif /* CTRL_CTRL_H */
