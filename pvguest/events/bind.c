/*
 * Opening and closing event channels: one function per EVTCHNOP, each
 * making the hypercall and then keeping events/upcall.c's records (the
 * handler, the vCPU Xen notifies) in step.
 *
 * Order matters on both ends. Opening: the port comes back masked (all
 * are masked at boot and closing masks again), the handler and vCPU are
 * recorded, and only then is the port unmasked, which also delivers an
 * event that arrived before (bind_interdomain always leaves one: Xen
 * marks the new port pending in case the unbound end missed a send).
 * Closing: mask, close, forget; the port number may be handed out again
 * by the next bind, even to another vCPU.
 */
#include <guest/errno.h>
#include <guest/events.h>
#include <guest/hypercall.h>

static struct evtchn_reset_hook *reset_hooks;

/* Record a new port's handler and vCPU, then let its events through. */
static void open_port(evtchn_port_t port, unsigned int cpu, evtchn_handler_t fn,
		      void *arg)
{
	evtchn_set_cpu(port, cpu);
	evtchn_set_handler(port, fn, arg);
	evtchn_unmask(port);
}

/* Bind VIRQ virq of vCPU cpu (0 for global VIRQs). */
int evtchn_bind_virq(unsigned int virq, unsigned int cpu, evtchn_handler_t fn,
		     void *arg, evtchn_port_t *port)
{
	struct evtchn_bind_virq op = {.virq = virq, .vcpu = cpu};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	if (rc)
		return rc;
	open_port(op.port, cpu, fn, arg);
	*port = op.port;
	return 0;
}

/* An IPI port of vCPU cpu: a send from any vCPU runs fn there. */
int evtchn_bind_ipi(unsigned int cpu, evtchn_handler_t fn, void *arg,
		    evtchn_port_t *port)
{
	struct evtchn_bind_ipi op = {.vcpu = cpu};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

	if (rc)
		return rc;
	open_port(op.port, cpu, fn, arg);
	*port = op.port;
	return 0;
}

/* A port for domain remote to bind to (DOMID_SELF: a loopback). */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *arg,
			 evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {.dom = DOMID_SELF,
					  .remote_dom = remote};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	if (rc)
		return rc;
	open_port(op.port, 0, fn, arg);
	*port = op.port;
	return 0;
}

/* Connect to remote_port of domain remote, which it opened for us. */
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_t fn, void *arg, evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = {.remote_dom = remote,
					     .remote_port = remote_port};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	if (rc)
		return rc;
	open_port(op.local_port, 0, fn, arg);
	*port = op.local_port;
	return 0;
}

/*
 * Have Xen notify vCPU cpu of port from now on. The port is masked
 * across the move and unmasked after it, so an event pending meanwhile
 * reaches the new vCPU instead of being left behind on the old one.
 */
int evtchn_bind_vcpu(evtchn_port_t port, unsigned int cpu)
{
	struct evtchn_bind_vcpu op = {.port = port, .vcpu = cpu};
	bool masked = evtchn_is_masked(port);
	int rc;

	evtchn_mask(port);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
	if (!rc)
		evtchn_set_cpu(port, cpu);
	if (!masked)
		evtchn_unmask(port);
	return rc;
}

/* Close port and forget it. */
int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = {.port = port};
	int rc;

	if (port >= NR_EVTCHN_PORTS)
		return -EINVAL;
	evtchn_mask(port);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
	if (!rc)
		evtchn_forget(port);
	return rc;
}

/* Send an event on port (the far end of a channel, or an IPI). */
int evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send op = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

/* Run fn after every evtchn_reset(), to bind the ports it needs again. */
void evtchn_on_reset(struct evtchn_reset_hook *hook)
{
	struct evtchn_reset_hook **p = &reset_hooks;

	while (*p)
		p = &(*p)->next;
	hook->next = NULL;
	*p = hook;
}

/*
 * EVTCHNOP_reset on ourselves: Xen closes every port. All records are
 * dropped and every port masked, as at boot; then the hooks bind what
 * the kernel itself needs. Events are masked throughout, so no handler
 * runs for a port in between.
 */
int evtchn_reset(void)
{
	struct evtchn_reset op = {.dom = DOMID_SELF};
	unsigned long flags = local_irq_save();
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_reset, &op);

	if (!rc) {
		for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++) {
			evtchn_mask(p);
			evtchn_forget(p);
		}
		for (struct evtchn_reset_hook *h = reset_hooks; h; h = h->next)
			h->rebind();
	}
	local_irq_restore(flags);
	return rc;
}
