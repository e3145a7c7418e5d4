/*
 * Connections: the byte streams of one client, in and out.
 *
 * Input is read into the connection's own buffer, the header first,
 * then its payload, and each complete request runs at once (message.c).
 * A header announcing more than XENSTORE_PAYLOAD_MAX bytes breaks the
 * protocol: the connection is broken for good and takes no more input,
 * as Xen's xenstored ignores such a client.
 *
 * Output is a queue of whole messages that xsd_conn_output() hands out
 * in pieces of any size. An unprivileged client that lets its replies
 * pile up (limits.outstanding) is not read until it takes them, and
 * watch events beyond limits.queued_bytes of queued output are dropped
 * (Xen's memory quota does the same).
 */
#include "core.h"

/* A new connection of domain domid; privileged: dom0's rights. */
struct xsd_conn *xsd_conn_new(struct xsd_store *s, domid_t domid,
			      bool privileged, void *priv)
{
	struct xsd_conn *c = xsd_alloc(sizeof(*c));

	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->store = s;
	c->domid = domid;
	c->privileged = privileged;
	c->priv = priv;
	c->in_header = true;
	c->out_tail = &c->out;
	c->next_txid = 1;
	c->next = s->conns;
	s->conns = c;
	s->stats.connections++;
	return c;
}

/* Drop everything queued for the client. */
void conn_drop_output(struct xsd_conn *c)
{
	while (c->out) {
		struct outmsg *m = c->out;

		c->out = m->next;
		xsd_free(m);
	}
	c->out_tail = &c->out;
	c->out_off = 0;
	c->out_replies = 0;
	c->out_bytes = 0;
}

/* Forget c's watches, transactions, output and partial input. */
void conn_free_state(struct xsd_conn *c)
{
	watch_free_all(c);
	tx_free_all(c);
	conn_drop_output(c);
	c->in_header = true;
	c->in_have = 0;
}

/* Close c: its watches and transactions go with it. */
void xsd_conn_free(struct xsd_conn *c)
{
	struct xsd_conn **p;

	if (!c)
		return;
	domain_conn_gone(c);
	for (p = &c->store->conns; *p && *p != c; p = &(*p)->next)
		;
	if (*p)
		*p = c->next;
	c->store->stats.connections--;
	conn_free_state(c);
	xsd_free(c);
}

/*
 * The client's reconnection (the ring's XENSTORE_RECONNECT): start
 * afresh on a message boundary, without watches or transactions.
 */
void xsd_conn_reset(struct xsd_conn *c)
{
	conn_free_state(c);
	c->broken = false;
}

static bool throttled(const struct xsd_conn *c)
{
	unsigned int max = c->store->limits.outstanding;

	return conn_limited(c) && max && c->out_replies >= max;
}

/*
 * Take up to len bytes the client sent, running each request they
 * complete. Returns how many were taken (fewer when the client must
 * first read its replies), or -EINVAL once the client has broken the
 * protocol (then never again anything).
 */
long xsd_conn_input(struct xsd_conn *c, const void *data, size_t len)
{
	const char *p = data;
	size_t taken = 0;

	if (c->broken)
		return -EINVAL;
	while (taken < len) {
		size_t want, n;
		char *to;

		if (c->in_header) {
			if (!c->in_have && throttled(c))
				break;
			want = sizeof(c->hdr) - c->in_have;
			to = (char *)&c->hdr + c->in_have;
		} else {
			want = c->hdr.len - c->in_have;
			to = c->in + c->in_have;
		}
		n = MIN(want, len - taken);
		memcpy(to, p + taken, n);
		taken += n;
		c->in_have += (uint32_t)n;
		if (n < want)
			break;
		if (c->in_header) {
			if (c->hdr.len > XENSTORE_PAYLOAD_MAX) {
				c->broken = true;
				conn_free_state(c);
				return -EINVAL;
			}
			c->in_header = false;
			c->in_have = 0;
			if (c->hdr.len)
				continue;
		}
		process_message(c);
		c->in_header = true;
		c->in_have = 0;
	}
	return (long)taken;
}

/* Copy up to len bytes of queued output into buf; how many. */
size_t xsd_conn_output(struct xsd_conn *c, void *buf, size_t len)
{
	char *out = buf;
	size_t done = 0;

	while (c->out && done < len) {
		struct outmsg *m = c->out;
		size_t n = MIN(len - done, (size_t)(m->len - c->out_off));

		memcpy(out + done, m->data + c->out_off, n);
		done += n;
		c->out_off += (uint32_t)n;
		if (c->out_off < m->len)
			break;
		c->out = m->next;
		if (!c->out)
			c->out_tail = &c->out;
		c->out_off = 0;
		c->out_bytes -= m->len;
		if (!m->event)
			c->out_replies--;
		xsd_free(m);
	}
	return done;
}

/* Whether c has output waiting. */
bool xsd_conn_has_output(const struct xsd_conn *c)
{
	return c->out != NULL;
}

/* Whether c broke the protocol (and is no longer listened to). */
bool xsd_conn_broken(const struct xsd_conn *c)
{
	return c->broken;
}

void *xsd_conn_priv(const struct xsd_conn *c)
{
	return c->priv;
}

void xsd_conn_set_priv(struct xsd_conn *c, void *priv)
{
	c->priv = priv;
}

domid_t xsd_conn_domid(const struct xsd_conn *c)
{
	return c->domid;
}

static struct outmsg *new_msg(uint32_t type, uint32_t req_id, uint32_t tx_id,
			      uint32_t len, bool event)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id, .len = len};
	struct outmsg *m = xsd_alloc(sizeof(*m) + sizeof(hdr) + len);

	if (!m)
		return NULL;
	m->next = NULL;
	m->len = (uint32_t)sizeof(hdr) + len;
	m->event = event;
	memcpy(m->data, &hdr, sizeof(hdr));
	return m;
}

static void append(struct xsd_conn *c, struct outmsg *m)
{
	bool was_empty = !c->out;

	*c->out_tail = m;
	c->out_tail = &m->next;
	c->out_bytes += m->len;
	if (!m->event)
		c->out_replies++;
	if (was_empty && c->store->ops && c->store->ops->output_ready)
		c->store->ops->output_ready(c->store->ctx, c);
}

/* Queue a message of type with payload data[0..len) for the client. */
int conn_queue(struct xsd_conn *c, uint32_t type, uint32_t req_id,
	       uint32_t tx_id, const void *data, uint32_t len, bool event)
{
	struct outmsg *m = new_msg(type, req_id, tx_id, len, event);

	if (!m)
		return -ENOMEM;
	if (len)
		memcpy(m->data + sizeof(struct xsd_sockmsg), data, len);
	append(c, m);
	return 0;
}

/* An event with this payload waits in c's queue, not begun. */
static bool event_pending(const struct xsd_conn *c, const uint8_t *payload,
			  uint32_t len)
{
	for (const struct outmsg *m = c->out; m; m = m->next) {
		if (m == c->out && c->out_off)
			continue;
		if (m->event && m->len == sizeof(struct xsd_sockmsg) + len &&
		    !memcmp(m->data + sizeof(struct xsd_sockmsg), payload, len))
			return true;
	}
	return false;
}

/*
 * Queue the watch event "<path>|<token>|" for c, unless an identical one
 * still waits (special events excepted) or c's queue is over its limit.
 * Events cannot fail their cause: if there is no memory, none is sent.
 */
void conn_queue_event(struct xsd_conn *c, const char *path, const char *token)
{
	uint32_t plen = (uint32_t)strlen(path) + 1;
	uint32_t len = plen + (uint32_t)strlen(token) + 1;
	unsigned int max = c->store->limits.queued_bytes;
	struct outmsg *m;
	uint8_t *payload;

	if (len > XENSTORE_PAYLOAD_MAX)
		return;
	if (conn_limited(c) && max &&
	    c->out_bytes + sizeof(struct xsd_sockmsg) + len > max)
		return;
	m = new_msg(XS_WATCH_EVENT, 0, 0, len, true);
	if (!m)
		return;
	payload = m->data + sizeof(struct xsd_sockmsg);
	memcpy(payload, path, plen);
	memcpy(payload + plen, token, len - plen);
	if (!path_is_special(path) && event_pending(c, payload, len)) {
		xsd_free(m);
		return;
	}
	c->store->stats.events++;
	append(c, m);
}
