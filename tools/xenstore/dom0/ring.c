/*
 * The domains' xenstore rings, served by dom0's xenstored.
 *
 * A domain's xenstore page is a struct xenstore_domain_interface
 * (<xen/io/xs_wire.h>, docs/misc/xenstore-ring.txt): a 1 KiB request
 * ring the domain produces into (req_prod) and xenstored consumes
 * (req_cons), a 1 KiB response ring the other way (rsp_prod, rsp_cons),
 * the server's feature bits, the connection state and an error field.
 * INTRODUCE maps the page (the machine frame the builder gave the
 * domain) into dom0's foreign window and binds the domain's store
 * channel; RELEASE closes the channel and unmaps the page.
 *
 * Serving a ring (when its channel fires, or when the core queued
 * output for it): read both indexes once, check them (a producer more
 * than a ring ahead of its consumer is Xen's XENSTORE_ERROR_RINGIDX),
 * copy the waiting request bytes out of the shared page once, then hand
 * the copy to the core - the domain can change the page at any time,
 * the core parses only the copy. Then consumed bytes are given back
 * (req_cons, after a barrier) and queued output is written into the
 * response ring (data, barrier, rsp_prod). Repeat while anything moves,
 * for a bounded number of rounds, so that a domain keeping its ring full
 * cannot keep xenstored from the others (or from dom0's other threads);
 * notify the domain if anything moved. A domain that breaks the protocol
 * (a payload over XENSTORE_PAYLOAD_MAX, bad indexes) gets the error in
 * the page's error field and is not served until it reconnects.
 *
 * Features offered: XENSTORE_SERVER_FEATURE_ERROR, and RECONNECTION -
 * a domain that sets connection = XENSTORE_RECONNECT loses its watches,
 * transactions and partial messages, finds both rings empty and
 * connection = XENSTORE_CONNECTED, and is notified.
 *
 * Every function here runs with the store lock held (service.c), on the
 * toolstack's thread (attach, detach) or xenstored's (serving).
 */
#include "dom0.h"

#include <guest/errno.h>
#include <guest/events.h>
#include <guest/foreign.h>
#include <guest/heap.h>
#include <paravane/compiler.h>
#include <paravane/string.h>
#include <xen/io/xs_wire.h>

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#define SERVE_ROUNDS 8 /* a ring's turn: up to 8 KiB each way */

struct ring {
	struct ring *next;
	struct xsd_conn *conn;
	domid_t domid;
	volatile struct xenstore_domain_interface *intf;
	evtchn_port_t port; /* our end of the store channel */
	bool work;	    /* the channel fired, or output waits */
	uint32_t error;	    /* XENSTORE_ERROR_*: not served */
};

static struct ring *rings;
static unsigned long bytes_in, bytes_out;

/* The store channel fired (event context): have the thread look. */
static void ring_event(evtchn_port_t port, void *arg)
{
	struct ring *r = arg;

	__atomic_store_n(&r->work, true, __ATOMIC_SEQ_CST);
	service_kick();
}

/* The core queued output for c: serve it if it is a ring. */
void ring_mark(struct xsd_conn *c)
{
	for (struct ring *r = rings; r; r = r->next)
		if (r->conn == c)
			__atomic_store_n(&r->work, true, __ATOMIC_SEQ_CST);
}

static void unbind(struct ring *r)
{
	evtchn_close(r->port);
	foreign_unmap((void *)r->intf, 1);
	r->intf = NULL;
}

/*
 * The core's introduce hook: map domain domid's xenstore page (machine
 * frame mfn) and bind its store channel (its port) to connection c.
 */
int ring_attach(void *ctx, struct xsd_conn *c, domid_t domid, uint64_t mfn,
		evtchn_port_t port)
{
	struct ring *r = xsd_conn_priv(c);
	bool fresh = !r;
	xen_pfn_t frame = (xen_pfn_t)mfn;
	void *va;
	int rc;

	if (fresh) {
		r = kzalloc(sizeof(*r));
		if (!r)
			return -ENOMEM;
	} else {
		unbind(r); /* introduced again: rebind */
	}
	rc = foreign_map(domid, &frame, 1, true, &va);
	if (rc)
		goto err_free;
	r->intf = va;
	r->conn = c;
	r->domid = domid;
	r->error = XENSTORE_ERROR_NONE;
	r->intf->server_features |= XENSTORE_SERVER_FEATURE_RECONNECTION |
				    XENSTORE_SERVER_FEATURE_ERROR;
	r->intf->error = XENSTORE_ERROR_NONE;
	wmb();
	rc = evtchn_bind_interdomain(domid, port, ring_event, r, &r->port);
	if (rc)
		goto err_unmap;
	if (fresh) {
		r->next = rings;
		rings = r;
		xsd_conn_set_priv(c, r);
	}
	/* Requests may have come before we listened: look now. */
	__atomic_store_n(&r->work, true, __ATOMIC_SEQ_CST);
	evtchn_notify(r->port);
	service_kick();
	return 0;

err_unmap:
	foreign_unmap(va, 1);
	r->intf = NULL;
err_free:
	if (!fresh) { /* the connection loses its ring */
		for (struct ring **p = &rings; *p; p = &(*p)->next)
			if (*p == r) {
				*p = r->next;
				break;
			}
		xsd_conn_set_priv(c, NULL);
	}
	kfree(r);
	return rc;
}

/* The core's release hook: close c's channel and unmap its page. */
void ring_detach(void *ctx, struct xsd_conn *c)
{
	struct ring *r = xsd_conn_priv(c);

	if (!r)
		return;
	for (struct ring **p = &rings; *p; p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			break;
		}
	}
	unbind(r);
	xsd_conn_set_priv(c, NULL);
	kfree(r);
}

static void fail(struct ring *r, uint32_t error)
{
	r->error = error;
	r->intf->error = error;
	wmb();
}

/* The domain asked to reconnect: start both rings afresh. */
static void reconnect(struct ring *r)
{
	volatile struct xenstore_domain_interface *intf = r->intf;

	xsd_conn_reset(r->conn);
	intf->req_cons = intf->req_prod = 0;
	intf->rsp_cons = intf->rsp_prod = 0;
	intf->error = XENSTORE_ERROR_NONE;
	r->error = XENSTORE_ERROR_NONE;
	wmb();
	intf->connection = XENSTORE_CONNECTED;
	evtchn_notify(r->port);
}

/* Hand waiting request bytes to the core; whether any were taken. */
static bool take_requests(struct ring *r)
{
	volatile struct xenstore_domain_interface *intf = r->intf;
	static char buf[XENSTORE_RING_SIZE];
	XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
	uint32_t off = MASK_XENSTORE_IDX(cons), n;
	long taken;

	rmb(); /* the indexes before the data */
	if (prod - cons > XENSTORE_RING_SIZE) {
		fail(r, XENSTORE_ERROR_RINGIDX);
		return true;
	}
	n = MIN(prod - cons, XENSTORE_RING_SIZE - off);
	if (!n)
		return false;
	memcpy(buf, (const char *)intf->req + off, n); /* copied once */
	taken = xsd_conn_input(r->conn, buf, n);
	if (taken < 0) {
		fail(r, XENSTORE_ERROR_PROTO);
		return true;
	}
	if (!taken)
		return false;
	mb(); /* done with the data before the domain may reuse it */
	intf->req_cons = cons + (XENSTORE_RING_IDX)taken;
	bytes_in += (unsigned long)taken;
	return true;
}

/* Write queued output into the response ring; whether any was. */
static bool give_responses(struct ring *r)
{
	volatile struct xenstore_domain_interface *intf = r->intf;
	XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
	uint32_t off = MASK_XENSTORE_IDX(prod), space;
	size_t n;

	mb(); /* the domain's rsp_cons before we overwrite what it read */
	if (prod - cons > XENSTORE_RING_SIZE) {
		fail(r, XENSTORE_ERROR_RINGIDX);
		return true;
	}
	space = MIN(XENSTORE_RING_SIZE - (prod - cons),
		    XENSTORE_RING_SIZE - off);
	if (!space || !xsd_conn_has_output(r->conn))
		return false;
	n = xsd_conn_output(r->conn, (char *)intf->rsp + off, space);
	wmb(); /* the data before the index */
	intf->rsp_prod = prod + (XENSTORE_RING_IDX)n;
	bytes_out += n;
	return n != 0;
}

/*
 * Serve r for at most SERVE_ROUNDS rounds of reading and writing; a
 * domain that keeps its ring busy is served again after the others, and
 * after dom0's other threads had their turn.
 */
static void serve(struct ring *r)
{
	bool moved = false, again = true;

	if (r->intf->connection == XENSTORE_RECONNECT) {
		reconnect(r);
		return;
	}
	for (int round = 0; again && !r->error; round++) {
		if (round == SERVE_ROUNDS) {
			__atomic_store_n(&r->work, true, __ATOMIC_SEQ_CST);
			service_kick();
			break;
		}
		again = take_requests(r);
		if (!r->error)
			again |= give_responses(r);
		moved |= again;
	}
	if (moved)
		evtchn_notify(r->port);
}

/* Serve every ring that has work. */
void ring_service_all(void)
{
	for (struct ring *r = rings; r; r = r->next)
		if (__atomic_exchange_n(&r->work, false, __ATOMIC_SEQ_CST))
			serve(r);
}

/* The rings' figures for xenstored_info(). */
void ring_counts(struct xenstored_info *info)
{
	info->rings = 0;
	for (struct ring *r = rings; r; r = r->next)
		info->rings++;
	info->ring_in = bytes_in;
	info->ring_out = bytes_out;
}
