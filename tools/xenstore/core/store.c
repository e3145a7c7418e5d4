/*
 * The store: the database, the connections and the domains of one
 * xenstored. A new store holds Xen's initial tree,
 *
 *   /                  owned by dom0, no access for others
 *   /tool
 *   /tool/xenstored
 *
 * and the special nodes @introduceDomain and @releaseDomain, watchable
 * by dom0 alone until SET_PERMS says otherwise.
 */
#include "core.h"

/* Xen 4.17's defaults (xenstored_core.c), and Paravane's output cap. */
void xsd_default_limits(struct xsd_limits *l)
{
	*l = (struct xsd_limits){
		.nodes = 1000,
		.watches = 128,
		.transactions = 10,
		.node_size = 2048,
		.perms = 5,
		.tx_nodes = 1024,
		.outstanding = 20,
		.queued_bytes = 64 * 1024,
	};
}

/* Use limits l from now on. */
void xsd_set_limits(struct xsd_store *s, const struct xsd_limits *l)
{
	s->limits = *l;
}

static int initial_node(struct xsd_store *s, const char *path,
			const char *child)
{
	static const struct xs_perm dom0_only = {0, XS_PERM_NONE};
	uint32_t clen = child ? (uint32_t)strlen(child) + 1 : 0;
	struct node *n = node_new(path, &dom0_only, 1, "", 0, child, clen);

	if (!n)
		return -ENOMEM;
	db_put(s, n);
	return 0;
}

static int special_init(struct perm_list *l)
{
	l->p = xsd_alloc(sizeof(*l->p));
	if (!l->p)
		return -ENOMEM;
	l->p[0] = (struct xs_perm){0, XS_PERM_NONE};
	l->n = 1;
	return 0;
}

/* A new store with ops (may be NULL) called with ctx; NULL: no memory. */
struct xsd_store *xsd_store_new(const struct xsd_ops *ops, void *ctx)
{
	size_t owned = DOMID_FIRST_RESERVED * sizeof(uint32_t);
	struct xsd_store *s = xsd_alloc(sizeof(*s));

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	s->generation = 1;
	xsd_default_limits(&s->limits);
	s->owned = xsd_alloc(owned);
	if (!s->owned || ht_init(&s->nodes, 256))
		goto fail;
	memset(s->owned, 0, owned);
	if (special_init(&s->introduce_perms) ||
	    special_init(&s->release_perms) || initial_node(s, "/", "tool") ||
	    initial_node(s, "/tool", "xenstored") ||
	    initial_node(s, "/tool/xenstored", NULL))
		goto fail;
	return s;
fail:
	xsd_store_free(s);
	return NULL;
}

/* Free s, every connection (the embedder's too) and every node. */
void xsd_store_free(struct xsd_store *s)
{
	if (!s)
		return;
	while (s->conns)
		xsd_conn_free(s->conns);
	domain_free_all(s);
	if (s->nodes.buckets) {
		db_clear(s);
		ht_destroy(&s->nodes);
	}
	xsd_free(s->introduce_perms.p);
	xsd_free(s->release_perms.p);
	xsd_free(s->owned);
	xsd_free(s);
}

/* s's counters. */
void xsd_get_stats(const struct xsd_store *s, struct xsd_stats *st)
{
	*st = s->stats;
	st->nodes = s->nodes.count;
}
