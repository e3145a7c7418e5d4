/*
 * Operations a toolstack makes on behalf of another domain through the
 * ordinary guest hypercalls: memory_op with the target's domid (dom0
 * populating a new domain) and event_channel_op with dom set to the
 * target (dom0 opening channels in a domain for its store, its console
 * or a peer).
 *
 * For a PV domain, XENMEM_populate_physmap takes the list of
 * pseudo-physical frames to fill and returns in the same list the
 * machine frames that now back them; the hypervisor has written the
 * M2P entries. The reservation calls return how many extents were done.
 */
#include <ctrl/ctrl.h>
#include <guest/hypercall.h>

static long reservation(unsigned int cmd, domid_t domid, xen_pfn_t *list,
			unsigned long nr)
{
	struct xen_memory_reservation r = {
		.nr_extents = nr,
		.extent_order = 0,
		.domid = domid,
	};

	set_xen_guest_handle(r.extent_start, list);
	return HYPERVISOR_memory_op(cmd, &r);
}

/*
 * Give domid frames for the nr pfns in frames[]; each entry is replaced
 * by the machine frame now behind it. Returns how many were done.
 */
long ctrl_populate_physmap(domid_t domid, xen_pfn_t *frames, unsigned long nr)
{
	return reservation(XENMEM_populate_physmap, domid, frames, nr);
}

/* Take the nr machine frames mfns[] away from domid; how many went. */
long ctrl_decrease_reservation(domid_t domid, xen_pfn_t *mfns, unsigned long nr)
{
	return reservation(XENMEM_decrease_reservation, domid, mfns, nr);
}

/* How many pages domid owns, or -errno. */
long ctrl_current_reservation(domid_t domid)
{
	return HYPERVISOR_memory_op(XENMEM_current_reservation, &domid);
}

/* Open an unbound port in dom that domain remote may bind to. */
int ctrl_evtchn_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

	if (!rc)
		*port = a.port;
	return rc;
}

/* The state of port in domain dom (EVTCHNSTAT_*). */
int ctrl_evtchn_status(domid_t dom, evtchn_port_t port,
		       struct evtchn_status *st)
{
	*st = (struct evtchn_status){.dom = dom, .port = port};
	return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}
