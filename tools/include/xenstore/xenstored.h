/*
 * xenstored's core as a program that embeds it sees it: Paravane's own
 * xenstore daemon, speaking Xen's wire protocol (<xen/io/xs_wire.h>) with
 * Xen 4.17's semantics. The core (tools/xenstore/core) is portable,
 * freestanding C: dom0 runs it over the domains' shared rings
 * (tools/xenstore/dom0), the host daemon over a Unix socket
 * (tools/xenstore/host), the unit tests and the fuzzer directly.
 *
 * The embedder owns the transport. It creates a connection per client
 * (xsd_conn_new), feeds it the bytes the client sent (xsd_conn_input),
 * which runs every complete request at once, and sends what the core
 * queued for the client (xsd_conn_output): replies, and watch events
 * that any connection's change may queue on any other. ops->output_ready
 * says when a connection that had nothing to send has something.
 *
 * Domains: an INTRODUCE request (privileged connections only) creates
 * the domain's connection and asks ops->introduce to attach its ring;
 * RELEASE asks ops->release to detach it, then frees the connection.
 * Without those hooks a domain is introduced with no transport (the host
 * daemon; tests reach it through xsd_domain_conn).
 *
 * The core is single-threaded: the embedder serialises every call on a
 * store (ops->lock, if it has threads: the in-process clients take it).
 * It allocates through xsd_alloc()/xsd_free(), which the embedder
 * provides, and never blocks. Hooks run inside the core: they must not
 * call back into the store.
 *
 * Quotas (struct xsd_limits) are Xen 4.17's defaults and apply to
 * unprivileged connections only; a request over a quota fails with the
 * errno Xen gives (ENOSPC, or E2BIG for watches).
 */
#ifndef XENSTORE_XENSTORED_H
#define XENSTORE_XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

/* A permission entry: a domain and what it may do (XS_PERM_*). */
struct xs_perm {
	domid_t id;
	uint8_t perms;
};

#define XS_PERM_NONE 0
#define XS_PERM_READ 1
#define XS_PERM_WRITE 2
#define XS_PERM_BOTH (XS_PERM_READ | XS_PERM_WRITE)

/* The special watch paths xenstored fires itself. */
#define XS_INTRODUCE_DOMAIN "@introduceDomain"
#define XS_RELEASE_DOMAIN "@releaseDomain"

/* Per-connection quotas for unprivileged clients (0: unlimited). */
struct xsd_limits {
	unsigned int nodes;	   /* nodes a domain may own (1000) */
	unsigned int watches;	   /* watches per connection (128) */
	unsigned int transactions; /* open transactions (10) */
	unsigned int node_size;	   /* a node's record, in bytes (2048) */
	unsigned int perms;	   /* entries in a permission list (5) */
	unsigned int tx_nodes;	   /* nodes one transaction touches (1024) */
	unsigned int outstanding;  /* unsent replies before input waits (20) */
	unsigned int queued_bytes; /* queued output beyond which events drop */
};

struct xsd_store;
struct xsd_conn;

/* What the embedder does for the core; every hook may be NULL. */
struct xsd_ops {
	/* conn had nothing to send and now has output. */
	void (*output_ready)(void *ctx, struct xsd_conn *conn);
	/*
	 * Attach the ring of domain domid (machine frame mfn, the domain's
	 * unbound port) to conn, a new connection or, on a second INTRODUCE,
	 * the domain's existing one. 0 or a negative errno.
	 */
	int (*introduce)(void *ctx, struct xsd_conn *conn, domid_t domid,
			 uint64_t mfn, evtchn_port_t port);
	/* Detach conn's ring: the domain is being released. */
	void (*release)(void *ctx, struct xsd_conn *conn);
	/*
	 * Serialise the in-process clients (<xenstore/client.h>): each of
	 * their calls holds this lock, which the embedder also holds around
	 * its own calls into the store. Never taken by the core itself.
	 */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
};

/* Counters for the benchmarks and leak checks. */
struct xsd_stats {
	unsigned long requests;	   /* requests run */
	unsigned long events;	   /* watch events queued */
	unsigned long nodes;	   /* nodes in the database */
	unsigned long connections; /* connections open */
};

/* Provided by the embedder: the core's allocator. */
void *xsd_alloc(size_t size);
void xsd_free(void *p);

// tools/xenstore/core/store.c
struct xsd_store *xsd_store_new(const struct xsd_ops *ops, void *ctx);
void xsd_store_free(struct xsd_store *s);
void xsd_default_limits(struct xsd_limits *l);
void xsd_set_limits(struct xsd_store *s, const struct xsd_limits *l);
void xsd_get_stats(const struct xsd_store *s, struct xsd_stats *st);

// tools/xenstore/core/conn.c
struct xsd_conn *xsd_conn_new(struct xsd_store *s, domid_t domid,
			      bool privileged, void *priv);
void xsd_conn_free(struct xsd_conn *c);
long xsd_conn_input(struct xsd_conn *c, const void *data, size_t len);
size_t xsd_conn_output(struct xsd_conn *c, void *buf, size_t len);
bool xsd_conn_has_output(const struct xsd_conn *c);
bool xsd_conn_broken(const struct xsd_conn *c);
void xsd_conn_reset(struct xsd_conn *c);
void *xsd_conn_priv(const struct xsd_conn *c);
void xsd_conn_set_priv(struct xsd_conn *c, void *priv);
domid_t xsd_conn_domid(const struct xsd_conn *c);

// tools/xenstore/core/domain.c
struct xsd_conn *xsd_domain_conn(struct xsd_store *s, domid_t domid);
void xsd_domain_shutdown(struct xsd_store *s, domid_t domid);
int xsd_domain_gone(struct xsd_store *s, domid_t domid);

// tools/xenstore/core/message.c
const char *xsd_error_name(int err);
int xsd_error_number(const char *name);

#endif /* XENSTORE_XENSTORED_H */
