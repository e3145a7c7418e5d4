/*
 * An in-process xenstore client: a connection to a store in the same
 * program, driven by function calls (tools/xenstore/core/client.c).
 * dom0's toolstack and backends use one (tools/xenstore/dom0 hands it
 * out), and so do the unit tests and the benchmark. Each call builds the
 * request, runs it through the store's message layer - the same parser
 * and checks as a domain's ring - and returns the reply.
 *
 * Results are 0 or a negative errno: the errno an ERROR reply names
 * (-ENOENT, -EACCES, -EAGAIN, ...). Strings and lists handed back are
 * allocated with xsd_alloc() and freed by the caller with xsd_free().
 *
 * Watch events are queued in the client as they arrive and delivered by
 * xsc_dispatch(), never from inside another call, so a watch function
 * may call the client freely.
 *
 * Every call holds the store's ops->lock while it is inside the store,
 * so a client may be used from several threads; xsc_dispatch() runs the
 * watch functions without it.
 */
#ifndef XENSTORE_CLIENT_H
#define XENSTORE_CLIENT_H

#include <xenstore/xenstored.h>

/* A transaction id; XS_TX_NONE: outside any transaction. */
typedef uint32_t xs_tx_t;
#define XS_TX_NONE 0

typedef void (*xs_watch_fn)(const char *path, const char *token, void *arg);

struct xsc;

// tools/xenstore/core/client.c
struct xsc *xsc_open(struct xsd_store *s, domid_t domid, bool privileged);
void xsc_close(struct xsc *c);
struct xsd_conn *xsc_conn(const struct xsc *c);
int xsc_call(struct xsc *c, uint32_t type, xs_tx_t tx, const void *req,
	     uint32_t len, char **reply, uint32_t *reply_len);
int xsc_read(struct xsc *c, xs_tx_t tx, const char *path, char **value,
	     uint32_t *len);
int xsc_write(struct xsc *c, xs_tx_t tx, const char *path, const void *value,
	      uint32_t len);
int xsc_write_str(struct xsc *c, xs_tx_t tx, const char *path,
		  const char *value);
int xsc_mkdir(struct xsc *c, xs_tx_t tx, const char *path);
int xsc_rm(struct xsc *c, xs_tx_t tx, const char *path);
int xsc_directory(struct xsc *c, xs_tx_t tx, const char *path, char **names,
		  unsigned int *count);
int xsc_get_perms(struct xsc *c, xs_tx_t tx, const char *path,
		  struct xs_perm **perms, unsigned int *n);
int xsc_set_perms(struct xsc *c, xs_tx_t tx, const char *path,
		  const struct xs_perm *perms, unsigned int n);
int xsc_watch(struct xsc *c, const char *path, const char *token,
	      xs_watch_fn fn, void *arg);
int xsc_unwatch(struct xsc *c, const char *path, const char *token);
int xsc_transaction_start(struct xsc *c, xs_tx_t *tx);
int xsc_transaction_end(struct xsc *c, xs_tx_t tx, bool commit);
int xsc_introduce(struct xsc *c, domid_t domid, uint64_t mfn,
		  evtchn_port_t port);
int xsc_release(struct xsc *c, domid_t domid);
int xsc_is_introduced(struct xsc *c, domid_t domid, bool *yes);
int xsc_get_domain_path(struct xsc *c, domid_t domid, char **path);
unsigned int xsc_dispatch(struct xsc *c);
unsigned int xsc_events_pending(struct xsc *c);

#endif /* XENSTORE_CLIENT_H */
