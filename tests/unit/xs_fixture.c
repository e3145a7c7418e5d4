/*
 * The xenstored unit tests' fixture (see xs_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xs_fixture.h"

#define MAX_CLIENTS 32

struct xsd_store *xs_store;
struct xsc *dom0;
static struct xsc *clients[MAX_CLIENTS];
static unsigned int nclients;
static long live, fail_after = -1;

void *xsd_alloc(size_t size)
{
	void *p;

	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = malloc(size ? size : 1);
	if (p)
		live++;
	return p;
}

void xsd_free(void *p)
{
	if (p)
		live--;
	free(p);
}

/* Allocations fail after n more succeed (-1: never). */
void xs_fail_after(long n)
{
	fail_after = n;
}

/* Allocations left before one fails (-1: none will). */
long xs_fail_remaining(void)
{
	return fail_after;
}

/* Blocks the core holds. */
long xs_live_blocks(void)
{
	return live;
}

int xs_setup(void **state)
{
	fail_after = -1;
	xs_store = xsd_store_new(NULL, NULL);
	assert_non_null(xs_store);
	dom0 = xsc_open(xs_store, 0, true);
	assert_non_null(dom0);
	nclients = 0;
	return 0;
}

int xs_teardown(void **state)
{
	fail_after = -1;
	while (nclients)
		xsc_close(clients[--nclients]);
	xsc_close(dom0);
	xsd_store_free(xs_store);
	xs_store = NULL;
	dom0 = NULL;
	assert_int_equal(live, 0);
	return 0;
}

/* A client of unprivileged domain domid (closed at teardown). */
struct xsc *xs_domain(domid_t domid)
{
	struct xsc *c = xsc_open(xs_store, domid, false);

	assert_non_null(c);
	assert_true(nclients < MAX_CLIENTS);
	clients[nclients++] = c;
	return c;
}

/* Feed the request; it must be taken whole. */
void xs_send(struct xsd_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
	     const void *payload, uint32_t len)
{
	struct xsd_sockmsg h = {type, req_id, tx_id, len};
	char *buf = malloc(sizeof(h) + len);

	assert_non_null(buf);
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), payload, len);
	assert_int_equal(xsd_conn_input(c, buf, sizeof(h) + len),
			 (long)(sizeof(h) + len));
	free(buf);
}

/* The next message c queued; false if none. */
bool xs_recv(struct xsd_conn *c, struct xs_reply *r)
{
	if (!xsd_conn_has_output(c))
		return false;
	assert_int_equal(xsd_conn_output(c, &r->hdr, sizeof(r->hdr)),
			 sizeof(r->hdr));
	assert_true(r->hdr.len <= XENSTORE_PAYLOAD_MAX);
	assert_int_equal(xsd_conn_output(c, r->body, r->hdr.len), r->hdr.len);
	r->body[r->hdr.len] = '\0';
	return true;
}

/* The request must get an ERROR reply naming error, and nothing else. */
void xs_expect_error(struct xsd_conn *c, uint32_t type, const void *payload,
		     uint32_t len, const char *error)
{
	struct xs_reply r;

	xs_send(c, type, 77, 0, payload, len);
	do {
		assert_true(xs_recv(c, &r));
	} while (r.hdr.type == XS_WATCH_EVENT);
	if (r.hdr.type != XS_ERROR || strcmp(r.body, error))
		fail_msg("type %u: got type %u '%s', wanted ERROR '%s'", type,
			 r.hdr.type, r.body, error);
	assert_int_equal(r.hdr.req_id, 77);
	assert_int_equal(r.hdr.len, strlen(error) + 1);
	assert_false(xsd_conn_has_output(c));
}

/* Deliver c's events to its watch functions; how many. */
unsigned int xs_drain_events(struct xsc *c)
{
	return xsc_dispatch(c);
}

void xs_must_write(struct xsc *c, const char *path, const char *value)
{
	int rc = xsc_write_str(c, XS_TX_NONE, path, value);

	if (rc)
		fail_msg("write %s: %d", path, rc);
}

/* path's value, NUL-terminated (the caller frees it with xsd_free). */
char *xs_must_read(struct xsc *c, const char *path)
{
	char *v = NULL;
	int rc = xsc_read(c, XS_TX_NONE, path, &v, NULL);

	if (rc)
		fail_msg("read %s: %d", path, rc);
	return v;
}

/* SET_PERMS from a string of space-separated entries ("b0 r1"). */
void xs_set_perms_str(struct xsc *c, const char *path, const char *perms)
{
	char buf[512];
	size_t plen = strlen(path) + 1, len = strlen(perms) + 1;
	int rc;

	assert_true(plen + len <= sizeof(buf));
	memcpy(buf, path, plen);
	memcpy(buf + plen, perms, len);
	for (size_t i = plen; i < plen + len; i++)
		if (buf[i] == ' ')
			buf[i] = '\0';
	rc = xsc_call(c, XS_SET_PERMS, XS_TX_NONE, buf, (uint32_t)(plen + len),
		      NULL, NULL);
	if (rc)
		fail_msg("set_perms %s %s: %d", path, perms, rc);
}

/* GET_PERMS as a string of space-separated entries (malloc'd). */
char *xs_perms_str(struct xsc *c, const char *path)
{
	char *reply, *s;
	uint32_t len;
	int rc = xsc_call(c, XS_GET_PERMS, XS_TX_NONE, path,
			  (uint32_t)strlen(path) + 1, &reply, &len);

	if (rc)
		fail_msg("get_perms %s: %d", path, rc);
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, reply, len);
	for (uint32_t i = 0; i + 1 < len; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	s[len ? len - 1 : 0] = '\0';
	xsd_free(reply);
	return s;
}

/* A watch function recording into the struct xs_seen it is given. */
void xs_record_event(const char *path, const char *token, void *arg)
{
	struct xs_seen *s = arg;

	assert_true(s->n < XS_MAX_SEEN);
	snprintf(s->path[s->n], sizeof(s->path[0]), "%s", path);
	snprintf(s->token[s->n], sizeof(s->token[0]), "%s", token);
	s->n++;
}

/* How many recorded events have path. */
unsigned int xs_count(const struct xs_seen *s, const char *path)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < s->n; i++)
		n += !strcmp(s->path[i], path);
	return n;
}
