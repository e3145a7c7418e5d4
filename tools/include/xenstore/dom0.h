/*
 * xenstored in dom0 (tools/xenstore/dom0): the core with the domains'
 * rings as its transport, and dom0's own in-process connection.
 *
 * xenstored_start() makes the store (with Xen's dom0 nodes,
 * /local/domain/0/name and domid) and starts xenstored's thread on the
 * calling vCPU. From then on:
 *
 *   - dom0's code - the toolstack, the backends - talks to the store
 *     through the client xenstored_dom0() returns: every xsc_* call of
 *     <xenstore/client.h> (read, write, watch, transactions, INTRODUCE,
 *     ...) with dom0's rights. Any thread may call it; the watch
 *     functions it registers run on xenstored's thread, one at a time,
 *     and may call it too. xenstored_start() also makes it xenbus's
 *     transport, so the xenbus_* calls of <guest/xenbus.h>, which the
 *     split drivers share with domUs, work in dom0 too.
 *
 *   - a domain is served once the toolstack introduces it, as Xen's
 *     does: xsc_introduce(xenstored_dom0(), domid, store_mfn,
 *     store_port) maps its xenstore page (the machine frame the builder
 *     gave it) into dom0, binds its store channel and serves the
 *     xenstore_domain_interface rings (<xen/io/xs_wire.h>) whenever the
 *     channel fires; xsc_release() (or xenstored_domain_gone()) undoes
 *     it. The toolstack reports shutdowns (@releaseDomain) with
 *     xenstored_domain_shutdown().
 *
 * The store is guarded by one lock, which the clients and the ring
 * thread take around each call into the core (never while a watch
 * function runs).
 */
#ifndef XENSTORE_DOM0_H
#define XENSTORE_DOM0_H

#include <xenstore/client.h>
#include <guest/xenbus.h>

/* What xenstored_info() reports. */
struct xenstored_info {
	struct xsd_stats stats;
	unsigned int rings;	/* domains served over their ring */
	unsigned long wakeups;	/* times xenstored's thread woke to work */
	unsigned long ring_in;	/* bytes read off the domains' rings */
	unsigned long ring_out; /* bytes written to them */
};

// tools/xenstore/dom0/xenbus.c: xenbus's transport in dom0 (see the
// top of that file), installed by xenstored_start()
extern const struct xenbus_transport xenstored_xenbus;

// tools/xenstore/dom0/home.c: a domain's home, as libxl lays it out
int xenstored_home_path(char *path, size_t size, domid_t domid,
			const char *rel);
int xenstored_write_home(struct xsc *xs, xs_tx_t tx, domid_t domid,
			 const char *name);

// tools/xenstore/dom0/service.c
int xenstored_start(void);
bool xenstored_running(void);
struct xsc *xenstored_dom0(void);
void xenstored_domain_shutdown(domid_t domid);
int xenstored_domain_gone(domid_t domid);
void xenstored_info(struct xenstored_info *info);

#endif /* XENSTORE_DOM0_H */
