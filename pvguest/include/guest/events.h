/*
 * Event channels, Xen's virtual interrupts, with the 2-level ABI.
 *
 * A port is pending when its bit is set in shared_info's evtchn_pending,
 * masked when its bit is set in evtchn_mask. When an unmasked port
 * becomes pending, Xen sets the port's word in the bound vCPU's
 * evtchn_pending_sel and raises its evtchn_upcall_pending; if that
 * vCPU's upcall mask is clear it enters the event callback, which ends
 * in evtchn_do_upcall(). There each pending, unmasked port that this
 * vCPU handles is cleared, then its handler runs, with events masked.
 *
 * Every port starts masked (events_init() masks them all); the bind
 * functions install the handler, note which vCPU Xen notifies, and only
 * then unmask. Handlers must be short: record, wake a thread, return.
 *
 * All functions return 0 or a negative Xen errno; ports come back
 * through *port. A port's handler gets the port and the bind's arg.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <guest/irqflags.h>
#include <guest/xen.h>
#include <stdbool.h>
#include <xen/event_channel.h>

#define NR_EVTCHN_PORTS EVTCHN_2L_NR_CHANNELS

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

/*
 * Called after EVTCHNOP_reset has closed every port, so a subsystem can
 * bind its ports again (the time and SMP code keep a VIRQ and an IPI on
 * each vCPU). Hooks run in registration order, on the resetting vCPU.
 */
struct evtchn_reset_hook {
	void (*rebind)(void);
	struct evtchn_reset_hook *next;
};

// events/upcall.c
void events_init(void);
void evtchn_do_upcall(void);
void evtchn_set_handler(evtchn_port_t port, evtchn_handler_t fn, void *arg);
void evtchn_set_cpu(evtchn_port_t port, unsigned int cpu);
unsigned int evtchn_cpu(evtchn_port_t port);
void evtchn_forget(evtchn_port_t port);
void evtchn_mask(evtchn_port_t port);
void evtchn_unmask(evtchn_port_t port);
void evtchn_clear(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);
unsigned long evtchn_upcall_count(unsigned int cpu);

// events/bind.c
int evtchn_bind_virq(unsigned int virq, unsigned int cpu, evtchn_handler_t fn,
		     void *arg, evtchn_port_t *port);
int evtchn_bind_ipi(unsigned int cpu, evtchn_handler_t fn, void *arg,
		    evtchn_port_t *port);
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *arg,
			 evtchn_port_t *port);
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_t fn, void *arg,
			    evtchn_port_t *port);
int evtchn_bind_vcpu(evtchn_port_t port, unsigned int cpu);
int evtchn_close(evtchn_port_t port);
int evtchn_notify(evtchn_port_t port);
int evtchn_reset(void);
void evtchn_on_reset(struct evtchn_reset_hook *hook);

#endif /* GUEST_EVENTS_H */
