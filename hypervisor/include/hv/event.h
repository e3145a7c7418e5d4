/*
 * Event channels: Xen's virtual interrupts, with the 2-level delivery ABI
 * on shared_info and vcpu_info (see common/event_channel.c for the
 * channel states and common/event_2l.c for delivery).
 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

struct domain;
struct vcpu;

/* Channel states (also the EVTCHNSTAT_* a guest sees, plus reserved). */
enum evtchn_state {
	ECS_FREE = EVTCHNSTAT_closed,
	ECS_UNBOUND = EVTCHNSTAT_unbound,
	ECS_INTERDOMAIN = EVTCHNSTAT_interdomain,
	ECS_PIRQ = EVTCHNSTAT_pirq,
	ECS_VIRQ = EVTCHNSTAT_virq,
	ECS_IPI = EVTCHNSTAT_ipi,
	ECS_RESERVED = 0xff, /* port 0 */
};

struct evtchn {
	uint8_t state;	      /* enum evtchn_state */
	uint16_t notify_vcpu; /* the vCPU that gets the upcall */
	union {
		domid_t unbound_remote; /* ECS_UNBOUND: who may bind */
		struct {
			struct domain *dom;
			evtchn_port_t port;
		} interdomain;
		uint32_t virq;
		uint32_t pirq;
	} u;
};

/* As in Xen 4.17, ports come into use (become valid) 64 at a time. */
#define EVTCHNS_PER_BUCKET 64
#define NR_EVTCHN_BUCKETS (EVTCHN_2L_NR_CHANNELS / EVTCHNS_PER_BUCKET)
#define DEFAULT_MAX_EVTCHNS 1024 /* ports 0..1023 for an ordinary domain */

// common/event_channel.c
int evtchn_init(struct domain *d, unsigned int max_ports);
void evtchn_destroy(struct domain *d);
long do_event_channel_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg);
long do_event_channel_op_compat(XEN_GUEST_HANDLE_PARAM(evtchn_op_t) uop);
void send_guest_vcpu_virq(struct vcpu *v, uint32_t virq);
void send_global_virq(uint32_t virq);
void evtchn_send_pirq(struct domain *d, evtchn_port_t port);
bool virq_is_global(uint32_t virq);

// common/event_2l.c
void evtchn_2l_set_pending(struct vcpu *v, evtchn_port_t port);
void evtchn_2l_clear_pending(struct domain *d, evtchn_port_t port);
void evtchn_2l_unmask(struct domain *d, struct vcpu *v, evtchn_port_t port);
bool evtchn_2l_is_pending(const struct domain *d, evtchn_port_t port);
bool evtchn_2l_is_masked(const struct domain *d, evtchn_port_t port);

#endif /* HV_EVENT_H */
