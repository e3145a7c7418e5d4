/*
 * Watches, as Xen's xenstored keeps them.
 *
 * A watch is a path and a token. A change to a node fires every watch
 * on the node or on one of its parents ("/" watches everything); when a
 * tree is removed, its root fires like that and each node below it
 * fires only watches on exactly that node. Each matching watch queues
 * one WATCH_EVENT "<path>|<token>|" on its connection (req_id and tx_id
 * 0), with the path relative if the watch's was. An event identical to
 * one still waiting in the queue is dropped: one change, one event.
 *
 * Changes in a transaction queue their events in the transaction, which
 * fires them on commit only (transaction.c).
 *
 * A connection hears of a change only if it may read the node (with its
 * permissions before or after the change) or its parent: privileged
 * connections hear of everything. The special watches "@introduceDomain"
 * and "@releaseDomain" fire when a domain is introduced and when one is
 * released, shuts down or is gone; who may watch them is the special
 * node's permission list (dom0 alone by default; SET_PERMS changes it).
 *
 * A new watch fires once at once, with its own path, as on Xen.
 */
#include "core.h"

static bool readable(const struct xsd_conn *c, const struct node *n)
{
	return n && (perm_for_conn(c, n->perms, n->nperms) & XS_PERM_READ);
}

static bool permitted(const struct xsd_conn *c, const char *path,
		      const struct xs_perm *perms, uint16_t nperms)
{
	char *parent;
	bool ok;

	if (c->privileged)
		return true;
	if (perms && (perm_for_conn(c, perms, nperms) & XS_PERM_READ))
		return true;
	if (readable(c, db_get(c->store, path)))
		return true;
	if (streq(path, "/"))
		return false;
	parent = path_parent(path);
	ok = parent && readable(c, db_get(c->store, parent));
	xsd_free(parent);
	return ok;
}

/*
 * A change to path: fire the matching watches of every connection now
 * (exact: only watches on path itself). perms: the node's permission
 * list at the change (NULL: look at the database).
 */
void fire_watches_now(struct xsd_store *s, const char *path, bool exact,
		      const struct xs_perm *perms, uint16_t nperms)
{
	for (struct xsd_conn *c = s->conns; c; c = c->next) {
		int allowed = -1; /* not looked at yet */

		if (c->broken)
			continue;
		for (struct watch *w = c->watches; w; w = w->next) {
			if (exact ? !streq(path, w->path)
				  : !path_is_child(path, w->path))
				continue;
			if (allowed < 0)
				allowed = permitted(c, path, perms, nperms);
			if (allowed)
				conn_queue_event(c, path + w->prefix_len,
						 w->token);
		}
	}
}

/* A change r made to path: fire now, or on its transaction's commit. */
void fire_watches(const struct req *r, const char *path, bool exact,
		  const struct xs_perm *perms, uint16_t nperms)
{
	int rc;

	if (!r->tx) {
		fire_watches_now(r->s, path, exact, perms, nperms);
		return;
	}
	rc = tx_queue_event(r->tx, path, exact, perms, nperms);
	if (rc)
		r->tx->failed = rc;
}

static const struct perm_list *special_perms(const struct xsd_store *s,
					     const char *name)
{
	if (streq(name, XS_INTRODUCE_DOMAIN))
		return &s->introduce_perms;
	if (streq(name, XS_RELEASE_DOMAIN))
		return &s->release_perms;
	return NULL;
}

/* Fire the special watch name (XS_INTRODUCE_DOMAIN, XS_RELEASE_DOMAIN). */
void fire_special(struct xsd_store *s, const char *name)
{
	const struct perm_list *p = special_perms(s, name);

	for (struct xsd_conn *c = s->conns; c; c = c->next) {
		if (c->broken || !(perm_for_conn(c, p->p, p->n) & XS_PERM_READ))
			continue;
		for (struct watch *w = c->watches; w; w = w->next)
			if (streq(w->path, name))
				conn_queue_event(c, name, w->token);
	}
}

/* Drop every watch of c. */
void watch_free_all(struct xsd_conn *c)
{
	while (c->watches) {
		struct watch *w = c->watches;

		c->watches = w->next;
		xsd_free(w);
	}
	c->nwatches = 0;
}

/*
 * The path a WATCH or UNWATCH names, canonical (special names as they
 * are) into *out; *prefix: how much of it a relative watch leaves out.
 */
static int watch_path(const struct req *r, const char *in, char **out,
		      uint32_t *prefix)
{
	char home[DOMAIN_PATH_MAX];
	int rc;

	*prefix = 0;
	if (path_is_special(in)) {
		if (strlen(in) > XENSTORE_REL_PATH_MAX)
			return -EINVAL;
		*out = str_dup(in);
		return *out ? 0 : -ENOMEM;
	}
	rc = path_canonical(r, in, out);
	if (!rc && in[0] != '/') {
		domain_path(r->conn->domid, home);
		*prefix = (uint32_t)strlen(home) + 1;
	}
	return rc;
}

static struct watch *find(struct xsd_conn *c, const char *path,
			  const char *token, struct watch ***link)
{
	struct watch **p;

	for (p = &c->watches; *p; p = &(*p)->next) {
		if (streq((*p)->path, path) && streq((*p)->token, token)) {
			if (link)
				*link = p;
			return *p;
		}
	}
	return NULL;
}

/* WATCH: "<path>|<token>|" -> OK, then the first event */
int do_watch(const struct req *r)
{
	struct xsd_conn *c = r->conn;
	unsigned int max = r->s->limits.watches;
	const char *vec[2];
	struct watch *w, **tail;
	size_t plen, tlen;
	uint32_t prefix;
	char *path;
	int rc = arg_strings(r, vec, 2);

	if (rc)
		return rc;
	rc = watch_path(r, vec[0], &path, &prefix);
	if (rc)
		return rc;
	if (find(c, path, vec[1], NULL))
		rc = -EEXIST;
	else if (conn_limited(c) && max && c->nwatches >= max)
		rc = -E2BIG;
	plen = strlen(path) + 1;
	tlen = strlen(vec[1]) + 1;
	w = rc ? NULL : xsd_alloc(sizeof(*w) + plen + tlen);
	if (!rc && !w)
		rc = -ENOMEM;
	if (!rc)
		rc = reply_ok(r);
	if (rc) {
		xsd_free(w);
		xsd_free(path);
		return rc;
	}
	memcpy(w->path, path, plen);
	w->token = w->path + plen;
	memcpy(w->token, vec[1], tlen);
	w->prefix_len = prefix;
	w->next = NULL;
	for (tail = &c->watches; *tail; tail = &(*tail)->next)
		;
	*tail = w;
	c->nwatches++;
	conn_queue_event(c, w->path + prefix, w->token);
	xsd_free(path);
	return 0;
}

/* UNWATCH: "<path>|<token>|" -> OK */
int do_unwatch(const struct req *r)
{
	struct xsd_conn *c = r->conn;
	const char *vec[2];
	struct watch *w, **link;
	uint32_t prefix;
	char *path;
	int rc = arg_strings(r, vec, 2);

	if (rc)
		return rc;
	rc = watch_path(r, vec[0], &path, &prefix);
	if (rc)
		return rc;
	w = find(c, path, vec[1], &link);
	xsd_free(path);
	if (!w)
		return -ENOENT;
	*link = w->next;
	c->nwatches--;
	xsd_free(w);
	return reply_ok(r);
}

/* RESET_WATCHES: -> OK; every watch and transaction of the caller goes. */
int do_reset_watches(const struct req *r)
{
	watch_free_all(r->conn);
	tx_free_all(r->conn);
	return reply_ok(r);
}
