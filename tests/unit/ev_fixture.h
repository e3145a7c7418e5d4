/*
 * A machine for the event-channel tests: three domains built as
 * domain.c builds them (a zeroed shared_info page with every vCPU's
 * upcall masked, vcpu_info pointing into it, evtchn_init with the
 * domain's port limit), listed in the fake domain list (fake/domain.c):
 *
 *   dom0  id 0, privileged, the hardware domain, 2 vCPUs, 4096 ports
 *   dom1  id 1, 2 vCPUs, 1024 ports
 *   dom2  id 2, 2 vCPUs, 1024 ports
 *   dom3  none, unless a case builds it with ev_domain_new(3, ...)
 *
 * `current` is vCPU 0 of dom1 unless a test calls ev_as(). Hypercalls go
 * through do_event_channel_op() with the argument in host memory (guest
 * memory in the fakes). vcpu_kick() and pirq_bind()/pirq_unbind(), which
 * the code under test calls outside itself, are recorders here.
 * Include <cmocka.h> first.
 */
#ifndef UNIT_EV_FIXTURE_H
#define UNIT_EV_FIXTURE_H

#include <hv/event.h>
#include <hv/sched.h>

#define EV_NR_VCPUS 2

extern struct domain *dom0, *dom1, *dom2, *dom3;

/* What vcpu_kick() and the pirq services were asked to do. */
struct ev_record {
	unsigned int kicks[4][EV_NR_VCPUS]; /* by domain id, vCPU id */
	unsigned int nr_kicks;
	int pirq_bind_rc; /* what pirq_bind() answers */
	unsigned int pirq_binds, pirq_unbinds;
	uint32_t last_pirq, last_pirq_port, last_unbound_pirq;
};
extern struct ev_record ev_rec;

int ev_setup(void **state);
int ev_teardown(void **state);
int ev_group_teardown(void **state);
struct domain *ev_domain_new(domid_t id, bool privileged, unsigned int nr_vcpus,
			     unsigned int max_ports);
void ev_domain_drop(struct domain *d);
void ev_as(struct domain *d, unsigned int vcpu);
void ev_check_invariants(struct domain *d);

/* The hypercalls, as the current vCPU; each returns the result. */
long ev_op(int cmd, void *arg);
long ev_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
long ev_bind_interdomain(domid_t rdom, evtchn_port_t rport,
			 evtchn_port_t *lport);
long ev_bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port);
long ev_bind_ipi(uint32_t vcpu, evtchn_port_t *port);
long ev_bind_pirq(uint32_t pirq, evtchn_port_t *port);
long ev_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long ev_send(evtchn_port_t port);
long ev_close(evtchn_port_t port);
long ev_unmask(evtchn_port_t port);
long ev_reset(domid_t dom);
long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);

evtchn_port_t ev_ipi(uint32_t vcpu);
uint32_t ev_state(struct domain *d, evtchn_port_t p);

/* Connect port a of da and a new port of db; returns db's port. */
evtchn_port_t ev_connect(struct domain *da, struct domain *db,
			 evtchn_port_t *a);

/* The 2-level state a guest sees in its shared_info and vcpu_info. */
bool ev_pending(const struct domain *d, evtchn_port_t port);
bool ev_masked(const struct domain *d, evtchn_port_t port);
void ev_mask(struct domain *d, evtchn_port_t port);
xen_ulong_t ev_sel(const struct domain *d, unsigned int vcpu);
uint8_t ev_upcall(const struct domain *d, unsigned int vcpu);
void ev_guest_acks(struct domain *d); /* clears every pending bit */
bool ev_nothing_pending(const struct domain *d);
unsigned int ev_kicks(const struct domain *d, unsigned int vcpu);

/* The channel behind a port, read from the domain's buckets (or NULL). */
struct evtchn *ev_chan(const struct domain *d, evtchn_port_t port);

#endif /* UNIT_EV_FIXTURE_H */
