/*
 * The xenstored unit tests' fixture: a store from the real core
 * (tools/xenstore/core), an in-process client for dom0 and for
 * unprivileged domains, raw requests for the wire-level cases, and the
 * core's allocator on the C heap with a count of live blocks (every test
 * ends with none) and an optional failure after N allocations.
 */
#ifndef UNIT_XS_FIXTURE_H
#define UNIT_XS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>
#include <xenstore/client.h>

struct xs_reply {
	struct xsd_sockmsg hdr;
	char body[XENSTORE_PAYLOAD_MAX + 1]; /* NUL-terminated */
};

extern struct xsd_store *xs_store;
extern struct xsc *dom0; /* privileged, domain 0 */

int xs_setup(void **state);
int xs_teardown(void **state);
struct xsc *xs_domain(domid_t domid);
void xs_fail_after(long n);
long xs_fail_remaining(void);
long xs_live_blocks(void);

/* Raw requests on a connection, and what it queued. */
void xs_send(struct xsd_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
	     const void *payload, uint32_t len);
bool xs_recv(struct xsd_conn *c, struct xs_reply *r);
void xs_expect_error(struct xsd_conn *c, uint32_t type, const void *payload,
		     uint32_t len, const char *error);
unsigned int xs_drain_events(struct xsc *c);

/* Shorthands on a client, failing the test on error. */
void xs_must_write(struct xsc *c, const char *path, const char *value);
char *xs_must_read(struct xsc *c, const char *path);
void xs_set_perms_str(struct xsc *c, const char *path, const char *perms);
char *xs_perms_str(struct xsc *c, const char *path);

/* Watch events recorded by xs_record_event (the watch function). */
#define XS_MAX_SEEN 64
struct xs_seen {
	unsigned int n;
	char path[XS_MAX_SEEN][128];
	char token[XS_MAX_SEEN][32];
};
void xs_record_event(const char *path, const char *token, void *arg);
unsigned int xs_count(const struct xs_seen *s, const char *path);

#endif /* UNIT_XS_FIXTURE_H */
