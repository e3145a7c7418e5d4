/*
 * The in-process client (<xenstore/client.h>): requests go in through
 * xsd_conn_input() like any client's bytes and run at once; the reply,
 * and any watch events queued before it, are then read back with
 * xsd_conn_output(). Events are kept in the client until xsc_dispatch()
 * calls the function xsc_watch() registered for their token (at most
 * MAX_EVENTS wait; later ones are dropped).
 */
#include "core.h"

#include <paravane/printf.h>
#include <xenstore/client.h>

#define MAX_EVENTS 1024

struct xsc_watch {
	struct xsc_watch *next;
	xs_watch_fn fn;
	void *arg;
	char *token;
	char path[];
};

struct xsc_event {
	struct xsc_event *next;
	char *token;
	char path[];
};

struct xsc {
	struct xsd_store *store;
	struct xsd_conn *conn;
	uint32_t req_id;
	struct xsc_watch *watches;
	struct xsc_event *events, **events_tail;
	unsigned int nevents;
	char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
};

static void lock(struct xsd_store *s)
{
	if (s->ops && s->ops->lock)
		s->ops->lock(s->ctx);
}

static void unlock(struct xsd_store *s)
{
	if (s->ops && s->ops->unlock)
		s->ops->unlock(s->ctx);
}

/* A client with a connection of domain domid to store s. */
struct xsc *xsc_open(struct xsd_store *s, domid_t domid, bool privileged)
{
	struct xsc *c = xsd_alloc(sizeof(*c));

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->store = s;
	c->events_tail = &c->events;
	lock(s);
	c->conn = xsd_conn_new(s, domid, privileged, c);
	unlock(s);
	if (!c->conn) {
		xsd_free(c);
		return NULL;
	}
	return c;
}

/* Close the connection (its watches and transactions go) and free c. */
void xsc_close(struct xsc *c)
{
	if (!c)
		return;
	lock(c->store);
	xsd_conn_free(c->conn);
	unlock(c->store);
	while (c->watches) {
		struct xsc_watch *w = c->watches;

		c->watches = w->next;
		xsd_free(w);
	}
	while (c->events) {
		struct xsc_event *e = c->events;

		c->events = e->next;
		xsd_free(e);
	}
	xsd_free(c);
}

/* The client's connection in the store. */
struct xsd_conn *xsc_conn(const struct xsc *c)
{
	return c->conn;
}

static void queue_event(struct xsc *c, const char *payload, uint32_t len)
{
	uint32_t plen = (uint32_t)strnlen(payload, len);
	struct xsc_event *e;

	if (plen == len || c->nevents >= MAX_EVENTS)
		return;
	e = xsd_alloc(sizeof(*e) + len + 1);
	if (!e)
		return;
	memcpy(e->path, payload, len);
	e->path[len] = '\0';
	e->token = e->path + plen + 1;
	e->next = NULL;
	*c->events_tail = e;
	c->events_tail = &e->next;
	c->nevents++;
}

/*
 * Read what the store queued: events into the event queue, the reply to
 * req_id into *reply (NUL-terminated beyond its length). 1: got it.
 */
static int collect(struct xsc *c, uint32_t req_id, struct xsd_sockmsg *hdr,
		   char **reply)
{
	int found = 0;

	while (xsd_conn_has_output(c->conn)) {
		struct xsd_sockmsg h;
		char *p;

		xsd_conn_output(c->conn, &h, sizeof(h));
		p = xsd_alloc(h.len + 1);
		if (!p) {
			char sink[64]; /* drop it, in pieces */

			for (uint32_t left = h.len; left;)
				left -= (uint32_t)xsd_conn_output(
					c->conn, sink, MIN(left, sizeof(sink)));
			continue;
		}
		xsd_conn_output(c->conn, p, h.len);
		p[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT) {
			queue_event(c, p, h.len);
		} else if (h.req_id == req_id && !found) {
			*hdr = h;
			*reply = p;
			found = 1;
			continue;
		}
		xsd_free(p);
	}
	return found;
}

/*
 * Send a request of type with payload req[0..len) in transaction tx; the
 * reply's payload (NUL-terminated, freed with xsd_free) into *reply and
 * its length into *reply_len, if they are not NULL.
 */
static int call(struct xsc *c, uint32_t type, xs_tx_t tx, const void *req,
		uint32_t len, char **reply, uint32_t *reply_len)
{
	struct xsd_sockmsg hdr = {.type = type, .tx_id = tx, .len = len};
	size_t total = sizeof(hdr) + len, fed = 0;
	char *payload = NULL;
	int got = 0;
	long n;

	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	hdr.req_id = ++c->req_id;
	memcpy(c->msg, &hdr, sizeof(hdr));
	if (len)
		memcpy(c->msg + sizeof(hdr), req, len);
	while (fed < total) {
		n = xsd_conn_input(c->conn, c->msg + fed, total - fed);
		if (n < 0)
			return (int)n;
		fed += (size_t)n;
		/* Held back (too many replies waiting): take them. */
		got |= collect(c, hdr.req_id, &hdr, &payload);
		if (!n && !got && !xsd_conn_has_output(c->conn))
			return -EIO;
	}
	if (!got)
		got = collect(c, hdr.req_id, &hdr, &payload);
	if (!got)
		return -EIO;
	if (hdr.type == XS_ERROR) {
		int err = xsd_error_number(payload);

		xsd_free(payload);
		return err;
	}
	if (reply_len)
		*reply_len = hdr.len;
	if (reply)
		*reply = payload;
	else
		xsd_free(payload);
	return 0;
}

int xsc_call(struct xsc *c, uint32_t type, xs_tx_t tx, const void *req,
	     uint32_t len, char **reply, uint32_t *reply_len)
{
	int rc;

	lock(c->store);
	rc = call(c, type, tx, req, len, reply, reply_len);
	unlock(c->store);
	return rc;
}

/* Request of strings a[0..n), each sent with its NUL. */
static int call_strings(struct xsc *c, uint32_t type, xs_tx_t tx,
			const char *const *a, unsigned int n, char **reply,
			uint32_t *reply_len)
{
	char *buf = xsd_alloc(XENSTORE_PAYLOAD_MAX);
	uint32_t len = 0;
	int rc = buf ? 0 : -ENOMEM;

	for (unsigned int i = 0; i < n && !rc; i++) {
		size_t l = strlen(a[i]) + 1;

		if (len + l > XENSTORE_PAYLOAD_MAX)
			rc = -E2BIG;
		else
			memcpy(buf + len, a[i], l);
		len += (uint32_t)l;
	}
	if (!rc)
		rc = xsc_call(c, type, tx, buf, len, reply, reply_len);
	xsd_free(buf);
	return rc;
}

static int call1(struct xsc *c, uint32_t type, xs_tx_t tx, const char *arg,
		 char **reply, uint32_t *reply_len)
{
	return call_strings(c, type, tx, &arg, 1, reply, reply_len);
}

/* The value at path (NUL-terminated beyond *len; len may be NULL). */
int xsc_read(struct xsc *c, xs_tx_t tx, const char *path, char **value,
	     uint32_t *len)
{
	return call1(c, XS_READ, tx, path, value, len);
}

/* Write value[0..len) at path. */
int xsc_write(struct xsc *c, xs_tx_t tx, const char *path, const void *value,
	      uint32_t len)
{
	size_t plen = strlen(path) + 1;
	char *buf;
	int rc;

	if (plen + len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	buf = xsd_alloc(plen + len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, plen);
	if (len)
		memcpy(buf + plen, value, len);
	rc = xsc_call(c, XS_WRITE, tx, buf, (uint32_t)(plen + len), NULL, NULL);
	xsd_free(buf);
	return rc;
}

/* Write the string value (without its NUL) at path. */
int xsc_write_str(struct xsc *c, xs_tx_t tx, const char *path,
		  const char *value)
{
	return xsc_write(c, tx, path, value, (uint32_t)strlen(value));
}

int xsc_mkdir(struct xsc *c, xs_tx_t tx, const char *path)
{
	return call1(c, XS_MKDIR, tx, path, NULL, NULL);
}

int xsc_rm(struct xsc *c, xs_tx_t tx, const char *path)
{
	return call1(c, XS_RM, tx, path, NULL, NULL);
}

static unsigned int count_names(const char *list, uint32_t len)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < len; i++)
		n += list[i] == '\0';
	return n;
}

/* A list too long for one reply, in DIRECTORY_PART pieces. */
static int directory_parts(struct xsc *c, xs_tx_t tx, const char *path,
			   char **names, uint32_t *len)
{
	char *all = NULL, off[12], *part, *gen0 = NULL;
	uint32_t have = 0, plen;
	int rc;

	for (;;) {
		const char *a[2] = {path, off};
		uint32_t glen, body;
		char *grown;

		snprintf(off, sizeof(off), "%u", have);
		rc = call_strings(c, XS_DIRECTORY_PART, tx, a, 2, &part, &plen);
		if (rc)
			break;
		glen = (uint32_t)strnlen(part, plen) + 1;
		if (glen > plen || (gen0 && !streq(gen0, part))) {
			xsd_free(part); /* changed meanwhile: start again */
			rc = -EAGAIN;
			break;
		}
		if (!gen0)
			gen0 = str_dup(part);
		body = plen - glen;
		grown = xsd_alloc(have + body + 1);
		if (!grown || !gen0) {
			xsd_free(grown);
			xsd_free(part);
			rc = -ENOMEM;
			break;
		}
		if (have)
			memcpy(grown, all, have);
		memcpy(grown + have, part + glen, body);
		xsd_free(all);
		xsd_free(part);
		all = grown;
		/* The last part ends with an empty name. */
		if (body && all[have + body - 1] == '\0' &&
		    (body == 1 || all[have + body - 2] == '\0')) {
			*len = have + body - 1;
			*names = all;
			xsd_free(gen0);
			return 0;
		}
		have += body;
		if (!body) {
			rc = -EIO;
			break;
		}
	}
	xsd_free(all);
	xsd_free(gen0);
	return rc;
}

/* path's children: *count NUL-terminated names, back to back. */
int xsc_directory(struct xsc *c, xs_tx_t tx, const char *path, char **names,
		  unsigned int *count)
{
	uint32_t len;
	int rc = call1(c, XS_DIRECTORY, tx, path, names, &len);

	if (rc == -E2BIG)
		rc = directory_parts(c, tx, path, names, &len);
	if (!rc)
		*count = count_names(*names, len);
	return rc;
}

/* path's permission list (*n entries, in a new array *perms). */
int xsc_get_perms(struct xsc *c, xs_tx_t tx, const char *path,
		  struct xs_perm **perms, unsigned int *n)
{
	uint32_t len;
	uint16_t np;
	char *list;
	int rc = call1(c, XS_GET_PERMS, tx, path, &list, &len);

	if (rc)
		return rc;
	rc = perms_parse(list, len, perms, &np);
	xsd_free(list);
	if (!rc)
		*n = np;
	return rc;
}

/* Set path's permission list to perms[0..n). */
int xsc_set_perms(struct xsc *c, xs_tx_t tx, const char *path,
		  const struct xs_perm *perms, unsigned int n)
{
	static const char letter[] = {'n', 'r', 'w', 'b'};
	char *buf = xsd_alloc(XENSTORE_PAYLOAD_MAX);
	uint32_t len = (uint32_t)strlen(path) + 1;
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	if (len > XENSTORE_PAYLOAD_MAX)
		rc = -E2BIG;
	else
		memcpy(buf, path, len);
	for (unsigned int i = 0; i < n && !rc; i++) {
		if (len + 8 > XENSTORE_PAYLOAD_MAX) {
			rc = -E2BIG;
			break;
		}
		len += (uint32_t)snprintf(buf + len, 8, "%c%u",
					  letter[perms[i].perms & 3],
					  (unsigned int)perms[i].id) +
		       1;
	}
	if (!rc)
		rc = xsc_call(c, XS_SET_PERMS, tx, buf, len, NULL, NULL);
	xsd_free(buf);
	return rc;
}

/* Drop the client's record of the watch on path with token. */
static void forget_watch(struct xsc *c, const char *path, const char *token)
{
	lock(c->store);
	for (struct xsc_watch **p = &c->watches; *p; p = &(*p)->next) {
		if (streq((*p)->path, path) && streq((*p)->token, token)) {
			struct xsc_watch *w = *p;

			*p = w->next;
			xsd_free(w);
			break;
		}
	}
	unlock(c->store);
}

/*
 * Watch path; fn(path, token, arg) runs from xsc_dispatch() for every
 * event of the watch, the first one straight away.
 */
int xsc_watch(struct xsc *c, const char *path, const char *token,
	      xs_watch_fn fn, void *arg)
{
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
	struct xsc_watch *w = xsd_alloc(sizeof(*w) + plen + tlen);
	const char *a[2] = {path, token};
	int rc;

	if (!w)
		return -ENOMEM;
	memcpy(w->path, path, plen);
	w->token = w->path + plen;
	memcpy(w->token, token, tlen);
	w->fn = fn;
	w->arg = arg;
	lock(c->store);
	w->next = c->watches;
	c->watches = w;
	unlock(c->store);
	rc = call_strings(c, XS_WATCH, XS_TX_NONE, a, 2, NULL, NULL);
	if (rc)
		forget_watch(c, path, token);
	return rc;
}

/* Remove the watch on path with token. */
int xsc_unwatch(struct xsc *c, const char *path, const char *token)
{
	const char *a[2] = {path, token};
	int rc = call_strings(c, XS_UNWATCH, XS_TX_NONE, a, 2, NULL, NULL);

	forget_watch(c, path, token);
	return rc;
}

int xsc_transaction_start(struct xsc *c, xs_tx_t *tx)
{
	uint64_t id;
	char *reply;
	int rc = call1(c, XS_TRANSACTION_START, XS_TX_NONE, "", &reply, NULL);

	if (rc)
		return rc;
	rc = parse_decimal(reply, UINT32_MAX, &id);
	xsd_free(reply);
	if (!rc)
		*tx = (xs_tx_t)id;
	return rc;
}

/* Commit (-EAGAIN: conflict, start again) or abandon transaction tx. */
int xsc_transaction_end(struct xsc *c, xs_tx_t tx, bool commit)
{
	return call1(c, XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL, NULL);
}

int xsc_introduce(struct xsc *c, domid_t domid, uint64_t mfn,
		  evtchn_port_t port)
{
	char d[8], m[24], p[12];
	const char *a[3] = {d, m, p};

	snprintf(d, sizeof(d), "%u", (unsigned int)domid);
	snprintf(m, sizeof(m), "%llu", (unsigned long long)mfn);
	snprintf(p, sizeof(p), "%u", (unsigned int)port);
	return call_strings(c, XS_INTRODUCE, XS_TX_NONE, a, 3, NULL, NULL);
}

static int call_domid(struct xsc *c, uint32_t type, domid_t domid, char **reply)
{
	char d[8];

	snprintf(d, sizeof(d), "%u", (unsigned int)domid);
	return call1(c, type, XS_TX_NONE, d, reply, NULL);
}

int xsc_release(struct xsc *c, domid_t domid)
{
	return call_domid(c, XS_RELEASE, domid, NULL);
}

int xsc_is_introduced(struct xsc *c, domid_t domid, bool *yes)
{
	char *reply;
	int rc = call_domid(c, XS_IS_DOMAIN_INTRODUCED, domid, &reply);

	if (rc)
		return rc;
	*yes = streq(reply, "T");
	xsd_free(reply);
	return 0;
}

int xsc_get_domain_path(struct xsc *c, domid_t domid, char **path)
{
	return call_domid(c, XS_GET_DOMAIN_PATH, domid, path);
}

static struct xsc_watch *watch_for(struct xsc *c, const struct xsc_event *e)
{
	struct xsc_watch *any = NULL;

	for (struct xsc_watch *w = c->watches; w; w = w->next) {
		if (!streq(w->token, e->token))
			continue;
		if (path_is_child(e->path, w->path))
			return w;
		any = any ? any : w;
	}
	return any;
}

/* Take the events the store queued for c since its last call. */
static void take_events(struct xsc *c)
{
	struct xsd_sockmsg h;
	char *none = NULL;

	/* Request ids start at 1: a reply to 0 is nobody's. */
	if (collect(c, 0, &h, &none))
		xsd_free(none);
}

/* Run the watch functions of the events waiting; how many ran. */
unsigned int xsc_dispatch(struct xsc *c)
{
	unsigned int ran = 0;

	for (;;) {
		struct xsc_event *e;
		struct xsc_watch *w;
		xs_watch_fn fn = NULL;
		void *arg = NULL;

		lock(c->store);
		take_events(c);
		e = c->events;
		if (e) {
			c->events = e->next;
			if (!c->events)
				c->events_tail = &c->events;
			c->nevents--;
			w = watch_for(c, e);
			if (w) {
				fn = w->fn;
				arg = w->arg;
			}
		}
		unlock(c->store);
		if (!e)
			return ran;
		if (fn) {
			fn(e->path, e->token, arg);
			ran++;
		}
		xsd_free(e);
	}
}

/* How many events wait for xsc_dispatch(). */
unsigned int xsc_events_pending(struct xsc *c)
{
	unsigned int n;

	lock(c->store);
	take_events(c);
	n = c->nevents;
	unlock(c->store);
	return n;
}
