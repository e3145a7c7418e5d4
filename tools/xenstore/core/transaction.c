/*
 * Transactions, with Xen's generation-count conflict detection.
 *
 * A transaction is a table of the paths it has touched. The first time
 * it reads a path (every change starts with a read) the entry takes a
 * copy of the global record, or notes its absence, with the global
 * generation it saw; from then on the transaction reads and changes its
 * own copy. Watch events its changes cause are queued in it, not fired.
 *
 * TRANSACTION_END "T" commits if every touched path still has the
 * generation the transaction saw - nobody wrote, created or deleted any
 * of them meanwhile - and fails with EAGAIN otherwise, as Xen's does:
 *
 *   start T1; T1 reads A (gen 5); someone writes A (gen 9);
 *   T1 writes B; end T1: A is 9, not 5  =>  EAGAIN, nothing changes.
 *
 * A commit writes the transaction's changed records into the database
 * (each gets a new generation), then fires the queued events, once per
 * changed path. The transaction is gone after END, committed or not.
 * Touching a child touches its parent's record (its list of children),
 * so two transactions adding children to one directory conflict, as on
 * Xen.
 */
#include "core.h"

#include <paravane/printf.h>

/* Connection c's transaction id, or NULL. */
struct transaction *tx_find(const struct xsd_conn *c, uint32_t id)
{
	for (struct transaction *t = c->txs; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

/* t's entry for path, or NULL. */
struct tx_entry *tx_lookup(struct transaction *t, const char *path)
{
	struct hentry *e = ht_find(&t->entries, path);

	return e ? container_of(e, struct tx_entry, h) : NULL;
}

/* Enter path in r's transaction with a copy of its global record n. */
int tx_record(const struct req *r, const char *path, const struct node *n,
	      struct tx_entry **out)
{
	struct transaction *t = r->tx;
	unsigned int max = r->s->limits.tx_nodes;
	size_t len = strlen(path) + 1;
	struct tx_entry *e;

	if (conn_limited(r->conn) && max && t->entries.count >= max)
		return -ENOSPC;
	e = xsd_alloc(sizeof(*e) + len);
	if (!e)
		return -ENOMEM;
	memcpy(e->path, path, len);
	e->h.key = e->path;
	e->modified = false;
	e->generation = n ? n->generation : NO_GENERATION;
	e->node = n ? node_copy(n, NULL) : NULL;
	if (n && !e->node) {
		xsd_free(e);
		return -ENOMEM;
	}
	ht_insert(&t->entries, &e->h);
	*out = e;
	return 0;
}

/* Queue the watch event a change to path will fire on commit. */
int tx_queue_event(struct transaction *t, const char *path, bool exact,
		   const struct xs_perm *perms, uint16_t nperms)
{
	size_t len = strlen(path) + 1;
	struct tx_event *ev;

	for (ev = t->events; ev; ev = ev->next)
		if (ev->exact == exact && streq(ev->path, path))
			return 0; /* once per changed path */
	ev = xsd_alloc(sizeof(*ev) + len);
	if (!ev)
		return -ENOMEM;
	ev->perms = perms_dup(perms, nperms);
	if (nperms && !ev->perms) {
		xsd_free(ev);
		return -ENOMEM;
	}
	memcpy(ev->path, path, len);
	ev->exact = exact;
	ev->nperms = nperms;
	ev->next = NULL;
	*t->events_tail = ev;
	t->events_tail = &ev->next;
	return 0;
}

static void tx_free(struct transaction *t)
{
	for (uint32_t b = 0; b < t->entries.nbuckets; b++) {
		while (t->entries.buckets[b]) {
			struct hentry *h = t->entries.buckets[b];
			struct tx_entry *e =
				container_of(h, struct tx_entry, h);

			t->entries.buckets[b] = h->next;
			if (e->node)
				node_free(e->node);
			xsd_free(e);
		}
	}
	ht_destroy(&t->entries);
	while (t->events) {
		struct tx_event *ev = t->events;

		t->events = ev->next;
		xsd_free(ev->perms);
		xsd_free(ev);
	}
	xsd_free(t);
}

/* End every transaction of c, committing none. */
void tx_free_all(struct xsd_conn *c)
{
	while (c->txs) {
		struct transaction *t = c->txs;

		c->txs = t->next;
		tx_free(t);
	}
	c->ntxs = 0;
}

static uint32_t new_id(struct xsd_conn *c)
{
	uint32_t id;

	do {
		id = c->next_txid++;
	} while (!id || tx_find(c, id));
	return id;
}

/* TRANSACTION_START: (payload ignored) -> "<id>" */
int do_transaction_start(const struct req *r)
{
	struct xsd_conn *c = r->conn;
	unsigned int max = r->s->limits.transactions;
	struct transaction *t;
	char id[12];

	if (r->tx)
		return -EBUSY; /* no nesting */
	if (conn_limited(c) && max && c->ntxs >= max)
		return -ENOSPC;
	t = xsd_alloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	if (ht_init(&t->entries, 16)) {
		xsd_free(t);
		return -ENOMEM;
	}
	t->events_tail = &t->events;
	t->id = new_id(c);
	snprintf(id, sizeof(id), "%u", t->id);
	if (reply(r, id, (uint32_t)strlen(id) + 1)) {
		tx_free(t);
		return -ENOMEM;
	}
	t->next = c->txs;
	c->txs = t;
	c->ntxs++;
	return 0;
}

static int check(const struct req *r, struct transaction *t)
{
	struct hentry *h = NULL;
	uint32_t b = 0;
	unsigned int max = r->s->limits.nodes;

	if (t->failed)
		return t->failed;
	while ((h = ht_next(&t->entries, h, &b))) {
		struct tx_entry *e = container_of(h, struct tx_entry, h);
		const struct node *now = db_get(r->s, e->path);

		if ((now ? now->generation : NO_GENERATION) != e->generation)
			return -EAGAIN;
	}
	if (conn_limited(r->conn) && max && t->node_delta > 0 &&
	    domain_nodes(r->s, r->conn->domid) + (unsigned int)t->node_delta >
		    max)
		return -ENOSPC;
	return 0;
}

static void commit(struct xsd_store *s, struct transaction *t)
{
	struct hentry *h = NULL;
	uint32_t b = 0;

	while ((h = ht_next(&t->entries, h, &b))) {
		struct tx_entry *e = container_of(h, struct tx_entry, h);

		if (!e->modified)
			continue;
		if (e->node) {
			db_put(s, e->node);
			e->node = NULL;
		} else {
			db_del(s, e->path);
		}
	}
	for (struct tx_event *ev = t->events; ev; ev = ev->next)
		fire_watches_now(s, ev->path, ev->exact, ev->perms, ev->nperms);
}

/* TRANSACTION_END: "T" (commit) or "F" (abandon) -> OK */
int do_transaction_end(const struct req *r)
{
	struct transaction *t = r->tx, **p;
	const char *arg;
	int rc = arg_one(r, &arg);

	if (rc || (!streq(arg, "T") && !streq(arg, "F")))
		return -EINVAL;
	if (!t)
		return -ENOENT;
	for (p = &r->conn->txs; *p != t; p = &(*p)->next)
		;
	*p = t->next;
	r->conn->ntxs--;
	if (streq(arg, "T")) {
		rc = check(r, t);
		if (!rc)
			commit(r->s, t);
	}
	tx_free(t);
	return rc ? rc : reply_ok(r);
}
