/*
 * The dom0 side of xenstored, inside: private to tools/xenstore/dom0.
 * service.c owns the store, its lock and xenstored's thread; ring.c the
 * domains' rings. Everything in ring.c runs with the store lock held.
 */
#ifndef XENSTORE_DOM0_PRIVATE_H
#define XENSTORE_DOM0_PRIVATE_H

#include <xenstore/dom0.h>

// tools/xenstore/dom0/service.c
void service_kick(void);

// tools/xenstore/dom0/ring.c
int ring_attach(void *ctx, struct xsd_conn *c, domid_t domid, uint64_t mfn,
		evtchn_port_t port);
void ring_detach(void *ctx, struct xsd_conn *c);
void ring_mark(struct xsd_conn *c);
void ring_service_all(void);
void ring_counts(struct xenstored_info *info);

#endif /* XENSTORE_DOM0_PRIVATE_H */
