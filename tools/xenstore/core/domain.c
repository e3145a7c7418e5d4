/*
 * Domains: the ones xenstored talks to, and what each owns.
 *
 * INTRODUCE <domid>|<mfn>|<port>| (privileged) creates the domain's
 * connection - unprivileged, its home /local/domain/<domid> - and has
 * the embedder attach the domain's ring to it; @introduceDomain fires.
 * INTRODUCE of a domain already introduced re-attaches the ring and
 * resets the connection (Xen's way to rebind the event channel). As on
 * Xen, xenstored does not create the home: the toolstack writes it.
 *
 * RELEASE <domid>| (privileged) drops the connection, its watches and
 * transactions; then, as Xen 4.17 does when a domain goes, the nodes the
 * domain owns are removed (their watches fire) and permission entries
 * naming it are struck out, so that a new domain given the same id
 * inherits nothing; @releaseDomain fires. The embedder reports a domain
 * that shut down (xsd_domain_shutdown: @releaseDomain, once until
 * RESUME) or was destroyed (xsd_domain_gone: a release).
 *
 * Every domain's count of owned nodes (the node quota) lives in
 * s->owned, kept by the database itself (db.c).
 */
#include "core.h"

#include <paravane/printf.h>

/* The record of domain domid, or NULL. */
struct domain *domain_find(const struct xsd_store *s, domid_t domid)
{
	for (struct domain *d = s->domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

static struct domain *domain_get(struct xsd_store *s, domid_t domid)
{
	struct domain *d = domain_find(s, domid);

	if (d)
		return d;
	d = xsd_alloc(sizeof(*d));
	if (!d)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	d->next = s->domains;
	s->domains = d;
	return d;
}

/* Domain domid owns delta more nodes. */
void domain_nodes_add(struct xsd_store *s, domid_t domid, int delta)
{
	if (domid >= DOMID_FIRST_RESERVED)
		return;
	if (delta < 0 && s->owned[domid] < (uint32_t)-delta)
		s->owned[domid] = 0;
	else
		s->owned[domid] += (uint32_t)delta;
}

/* How many nodes domain domid owns. */
unsigned int domain_nodes(const struct xsd_store *s, domid_t domid)
{
	return domid < DOMID_FIRST_RESERVED ? s->owned[domid] : 0;
}

/* Whether SET_TARGET made c's domain act for domain owner. */
bool domain_acts_for(const struct xsd_conn *c, domid_t owner)
{
	const struct domain *d = domain_find(c->store, c->domid);

	return d && d->has_target && d->target == owner;
}

/* Free every domain record (the store is going away). */
void domain_free_all(struct xsd_store *s)
{
	while (s->domains) {
		struct domain *d = s->domains;

		s->domains = d->next;
		xsd_free(d);
	}
}

/* Connection c is being freed: no domain may keep it. */
void domain_conn_gone(struct xsd_conn *c)
{
	for (struct domain *d = c->store->domains; d; d = d->next) {
		if (d->conn == c) {
			d->conn = NULL;
			d->introduced = false;
		}
	}
}

/* The connection of introduced domain domid (NULL: none). */
struct xsd_conn *xsd_domain_conn(struct xsd_store *s, domid_t domid)
{
	struct domain *d = domain_find(s, domid);

	return d && d->introduced ? d->conn : NULL;
}

struct path_list {
	char **paths;
	unsigned int n, cap;
};

static int list_add(struct path_list *l, const char *path)
{
	if (l->n == l->cap) {
		unsigned int cap = l->cap ? l->cap * 2 : 16;
		char **p = xsd_alloc(cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		if (l->n)
			memcpy(p, l->paths, l->n * sizeof(*p));
		xsd_free(l->paths);
		l->paths = p;
		l->cap = cap;
	}
	l->paths[l->n] = str_dup(path);
	return l->paths[l->n] ? (l->n++, 0) : -ENOMEM;
}

static void list_free(struct path_list *l)
{
	while (l->n)
		xsd_free(l->paths[--l->n]);
	xsd_free(l->paths);
}

/* Strike domid out of n's permission entries (not the owner's). */
static void scrub(struct xsd_store *s, const char *path, domid_t domid)
{
	const struct node *n = db_get(s, path);
	struct xs_perm *p;
	struct node *c;
	uint16_t k = 1;

	if (!n)
		return;
	p = perms_dup(n->perms, n->nperms);
	if (!p)
		return;
	for (uint16_t i = 1; i < n->nperms; i++)
		if (n->perms[i].id != domid)
			p[k++] = n->perms[i];
	c = node_with_perms(n, p, k);
	xsd_free(p);
	if (c)
		db_put(s, c);
}

/* Remove what domain domid owns and every permission naming it. */
static void forget_nodes(struct xsd_store *s, domid_t domid)
{
	struct path_list owned = {0}, named = {0};
	struct req r = {.s = s};
	struct hentry *h = NULL;
	uint32_t b = 0;

	while ((h = ht_next(&s->nodes, h, &b))) {
		const struct node *n = container_of(h, struct node, h);

		if (n->perms[0].id == domid && !streq(n->path, "/"))
			list_add(&owned, n->path);
		else if (perms_mention(n->perms + 1, n->nperms - 1, domid))
			list_add(&named, n->path);
	}
	for (unsigned int i = 0; i < named.n; i++)
		scrub(s, named.paths[i], domid);
	for (unsigned int i = 0; i < owned.n; i++)
		if (db_get(s, owned.paths[i]))
			node_remove_tree(&r, owned.paths[i]);
	list_free(&owned);
	list_free(&named);
}

static void release(struct xsd_store *s, struct domain *d)
{
	struct xsd_conn *c = d->conn;

	if (c) {
		/* Its own watches do not hear of its nodes going. */
		watch_free_all(c);
		if (s->ops && s->ops->release)
			s->ops->release(s->ctx, c);
		d->conn = NULL;
		xsd_conn_free(c);
	}
	d->introduced = false;
	d->has_target = false;
	forget_nodes(s, d->domid);
	fire_special(s, XS_RELEASE_DOMAIN);
}

/* The domain shut down: @releaseDomain fires (once, until RESUME). */
void xsd_domain_shutdown(struct xsd_store *s, domid_t domid)
{
	struct domain *d = domain_find(s, domid);

	if (!d || !d->introduced || d->shutdown)
		return;
	d->shutdown = true;
	fire_special(s, XS_RELEASE_DOMAIN);
}

/* The domain is gone (destroyed): release it. -ENOENT if unknown. */
int xsd_domain_gone(struct xsd_store *s, domid_t domid)
{
	struct domain *d = domain_find(s, domid);

	if (!domid || domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	if (d && d->introduced) {
		release(s, d);
		return 0;
	}
	forget_nodes(s, domid);
	return d ? 0 : -ENOENT;
}

static int arg_domid(const char *s, domid_t *domid)
{
	uint64_t v;
	int rc = parse_decimal(s, UINT16_MAX, &v);

	if (!rc)
		*domid = (domid_t)v;
	return rc;
}

/* A domain id naming a real domain other than dom0. */
static int arg_domu(const char *s, domid_t *domid)
{
	int rc = arg_domid(s, domid);

	return rc || !*domid || *domid >= DOMID_FIRST_RESERVED ? -EINVAL : 0;
}

/* INTRODUCE: "<domid>|<mfn>|<port>|" (a fourth, reserved string is
 * allowed) -> OK */
int do_introduce(const struct req *r)
{
	const struct xsd_ops *ops = r->s->ops;
	unsigned int n = arg_count(r);
	const char *vec[4];
	uint64_t mfn, port;
	struct domain *d;
	domid_t domid;
	int rc = n == 3 || n == 4 ? arg_strings(r, vec, n) : -EINVAL;

	if (!rc)
		rc = arg_domu(vec[0], &domid);
	if (!rc)
		rc = parse_decimal(vec[1], UINT64_MAX, &mfn);
	if (!rc)
		rc = parse_decimal(vec[2], UINT32_MAX, &port);
	if (rc || !port)
		return -EINVAL;
	d = domain_get(r->s, domid);
	if (!d)
		return -ENOMEM;
	if (d->introduced) {
		xsd_conn_reset(d->conn);
		if (ops && ops->introduce)
			rc = ops->introduce(r->s->ctx, d->conn, domid, mfn,
					    (evtchn_port_t)port);
		return rc ? rc : reply_ok(r);
	}
	d->conn = xsd_conn_new(r->s, domid, false, NULL);
	if (!d->conn)
		return -ENOMEM;
	d->conn->domain_owned = true;
	if (ops && ops->introduce)
		rc = ops->introduce(r->s->ctx, d->conn, domid, mfn,
				    (evtchn_port_t)port);
	if (rc) {
		struct xsd_conn *c = d->conn;

		d->conn = NULL;
		xsd_conn_free(c);
		return rc;
	}
	d->introduced = true;
	d->shutdown = false;
	fire_special(r->s, XS_INTRODUCE_DOMAIN);
	return reply_ok(r);
}

/* The introduced domain a one-argument request names. */
static int arg_introduced(const struct req *r, struct domain **d)
{
	const char *arg;
	domid_t domid;
	int rc = arg_one(r, &arg);

	if (!rc)
		rc = arg_domu(arg, &domid);
	if (rc)
		return rc;
	*d = domain_find(r->s, domid);
	return *d && (*d)->introduced ? 0 : -ENOENT;
}

/* RELEASE: "<domid>|" -> OK */
int do_release(const struct req *r)
{
	struct domain *d;
	int rc = arg_introduced(r, &d);

	if (rc)
		return rc;
	release(r->s, d);
	return reply_ok(r);
}

/* RESUME: "<domid>|" -> OK; its next shutdown fires @releaseDomain */
int do_resume(const struct req *r)
{
	struct domain *d;
	int rc = arg_introduced(r, &d);

	if (rc)
		return rc;
	d->shutdown = false;
	return reply_ok(r);
}

/* GET_DOMAIN_PATH: "<domid>|" -> "/local/domain/<domid>|" */
int do_get_domain_path(const struct req *r)
{
	char path[DOMAIN_PATH_MAX];
	const char *arg;
	domid_t domid;
	int rc = arg_one(r, &arg);

	if (!rc)
		rc = arg_domid(arg, &domid);
	if (rc)
		return rc;
	domain_path(domid, path);
	return reply(r, path, (uint32_t)strlen(path) + 1);
}

/* IS_DOMAIN_INTRODUCED: "<domid>|" -> "T|" or "F|" */
int do_is_domain_introduced(const struct req *r)
{
	const struct domain *d;
	const char *arg;
	domid_t domid;
	bool yes;
	int rc = arg_one(r, &arg);

	if (!rc)
		rc = arg_domid(arg, &domid);
	if (rc)
		return rc;
	d = domain_find(r->s, domid);
	/* dom0 (xenstored's own domain) and DOMID_SELF always are. */
	yes = !domid || domid == DOMID_SELF || (d && d->introduced);
	return reply(r, yes ? "T" : "F", 2);
}

/* SET_TARGET: "<domid>|<tdomid>|" -> OK; domid acts for tdomid */
int do_set_target(const struct req *r)
{
	const char *vec[2];
	struct domain *d, *t;
	domid_t domid, tdomid;
	int rc = arg_strings(r, vec, 2);

	if (!rc)
		rc = arg_domu(vec[0], &domid);
	if (!rc)
		rc = arg_domu(vec[1], &tdomid);
	if (rc)
		return rc;
	d = domain_find(r->s, domid);
	t = domain_find(r->s, tdomid);
	if (!d || !d->introduced || !t || !t->introduced)
		return -ENOENT;
	d->has_target = true;
	d->target = tdomid;
	return reply_ok(r);
}
