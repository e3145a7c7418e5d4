/*
 * Reaching nodes as a request sees them: outside a transaction, the
 * global database; inside one, the transaction's own records, taken from
 * the database the first time the transaction touches a path (which
 * records the path's generation for the conflict check at its end).
 *
 * get_node() adds Xen's permission rules: a node the connection may not
 * access is EACCES; so is a missing node whose nearest existing ancestor
 * does not grant the access asked for, since its absence is none of the
 * connection's business. A missing node under an ancestor that grants it
 * is ENOENT, which is also how a write learns that it may create it.
 *
 * Creating a path makes every record it needs before it changes
 * anything, so running out of memory leaves the tree as it was. Removing
 * a tree deletes from the leaves up; if memory runs out half way, what
 * is left is a smaller tree whose parents may still name a deleted
 * child, which every walk here skips. In a transaction, either failure
 * dooms the transaction (it cannot commit).
 */
#include "core.h"

/* The record at path (NULL and -ENOENT: none). */
int node_read(const struct req *r, const char *path, const struct node **out)
{
	struct tx_entry *e;
	int rc;

	if (!r->tx) {
		*out = db_get(r->s, path);
		return *out ? 0 : -ENOENT;
	}
	e = tx_lookup(r->tx, path);
	if (!e) {
		rc = tx_record(r, path, db_get(r->s, path), &e);
		if (rc)
			return rc;
	}
	*out = e->node;
	return e->node ? 0 : -ENOENT;
}

static int tx_entry_for(const struct req *r, const char *path,
			struct tx_entry **e)
{
	*e = tx_lookup(r->tx, path);
	if (*e)
		return 0;
	return tx_record(r, path, db_get(r->s, path), e);
}

/* Store n (taking it) where r sees it. */
int node_write(const struct req *r, struct node *n)
{
	struct tx_entry *e;
	int rc;

	if (!r->tx) {
		db_put(r->s, n);
		return 0;
	}
	rc = tx_entry_for(r, n->path, &e);
	if (rc) {
		node_free(n);
		return rc;
	}
	if (e->node)
		node_free(e->node);
	n->generation = r->s->generation++;
	e->node = n;
	e->modified = true;
	return 0;
}

/* Delete the record at path (not its children's) where r sees it. */
int node_delete(const struct req *r, const char *path)
{
	struct tx_entry *e;
	int rc;

	if (!r->tx) {
		db_del(r->s, path);
		return 0;
	}
	rc = tx_entry_for(r, path, &e);
	if (rc)
		return rc;
	if (e->node)
		node_free(e->node);
	e->node = NULL;
	e->modified = true;
	return 0;
}

/* What r's connection may do at the nearest existing ancestor of path. */
static int ancestor_perm(const struct req *r, const char *path,
			 unsigned int *perm)
{
	char *p = path_parent(path);
	const struct node *n = NULL;
	int rc;

	if (!p)
		return -ENOMEM;
	while ((rc = node_read(r, p, &n)) == -ENOENT && !streq(p, "/")) {
		char *up = path_parent(p);

		xsd_free(p);
		p = up;
		if (!p)
			return -ENOMEM;
	}
	xsd_free(p);
	if (rc == -ENOENT) {
		*perm = XS_PERM_NONE; /* no root: nobody may do anything */
		return 0;
	}
	if (rc)
		return rc;
	*perm = perm_for_conn(r->conn, n->perms, n->nperms);
	return 0;
}

/*
 * The node at path if r's connection may do perm (XS_PERM_* bits) with
 * it; -EACCES if not; -ENOENT if it is missing and the connection may
 * know (see the top of the file).
 */
int get_node(const struct req *r, const char *path, unsigned int perm,
	     const struct node **out)
{
	const struct node *n;
	unsigned int have;
	int rc = node_read(r, path, &n);

	if (!rc) {
		if ((perm_for_conn(r->conn, n->perms, n->nperms) & perm) !=
		    perm)
			return -EACCES;
		*out = n;
		return 0;
	}
	if (rc != -ENOENT || streq(path, "/"))
		return rc;
	rc = ancestor_perm(r, path, &have);
	if (rc)
		return rc;
	return (have & perm) ? -ENOENT : -EACCES;
}

static bool too_big(const struct req *r, size_t record_size)
{
	unsigned int max = r->s->limits.node_size;

	return conn_limited(r->conn) && max && record_size >= max;
}

/* -ENOSPC if n is over the node-size quota for r's connection. */
int node_check_size(const struct req *r, const struct node *n)
{
	return too_big(r, node_record_size(n)) ? -ENOSPC : 0;
}

/* Nodes r's connection's domain owns, counting its transaction's. */
static long owned_nodes(const struct req *r)
{
	return (long)domain_nodes(r->s, r->conn->domid) +
	       (r->tx ? r->tx->node_delta : 0);
}

/* The existing ancestor of path nearest to it, and how far down it is. */
static int nearest_existing(const struct req *r, const char *path,
			    const struct node **parent, unsigned int *missing)
{
	char *p = str_dup(path);
	int rc;

	if (!p)
		return -ENOMEM;
	*missing = 0;
	do {
		char *up = path_parent(p);

		xsd_free(p);
		p = up;
		if (!p)
			return -ENOMEM;
		(*missing)++;
		rc = node_read(r, p, parent);
	} while (rc == -ENOENT && !streq(p, "/"));
	xsd_free(p);
	return rc;
}

/* The length of the prefix of path that names its ancestor at depth. */
static size_t prefix_len(const char *path, size_t from)
{
	const char *slash = strchr(path + from + 1, '/');

	return slash ? (size_t)(slash - path) : strlen(path);
}

static int build_chain(const struct req *r, const char *path,
		       const struct node *parent, unsigned int missing,
		       const char *value, uint32_t len, struct node **recs)
{
	size_t at = streq(parent->path, "/") ? 0 : strlen(parent->path);
	const struct node *up = parent;
	char *sub = xsd_alloc(strlen(path) + 1);

	if (!sub)
		return -ENOMEM;
	for (unsigned int i = 1; i <= missing; i++) {
		size_t end = prefix_len(path, at);
		bool last = i == missing;

		struct node *with;

		memcpy(sub, path, end);
		sub[end] = '\0';
		/* up gains its child: replace the childless version. */
		with = node_with_child(up, path_basename(sub));
		if (!with) {
			xsd_free(sub);
			return -ENOMEM;
		}
		if (i > 1)
			node_free(recs[i - 1]);
		recs[i - 1] = with;
		recs[i] = node_new(sub, with->perms, with->nperms,
				   last ? value : "", last ? len : 0, NULL, 0);
		if (!recs[i]) {
			xsd_free(sub);
			return -ENOMEM;
		}
		/* Unprivileged domains own what they create. */
		if (conn_limited(r->conn))
			recs[i]->perms[0].id = r->conn->domid;
		if (node_check_size(r, recs[i - 1]) ||
		    node_check_size(r, recs[i])) {
			xsd_free(sub);
			return -ENOSPC;
		}
		up = recs[i];
		at = end;
	}
	xsd_free(sub);
	return 0;
}

/*
 * Create path, and any missing ancestor, with value[0..len) at path and
 * empty values above it; each new node takes its parent's permissions,
 * owned by the creating domain if it is unprivileged. The caller has
 * checked that it may (get_node gave -ENOENT for XS_PERM_WRITE).
 */
int node_create(const struct req *r, const char *path, const char *value,
		uint32_t len)
{
	const struct node *parent;
	struct node **recs;
	unsigned int missing, limit = r->s->limits.nodes;
	int rc = node_read(r, path, &parent); /* recorded in a transaction */

	if (rc != -ENOENT)
		return rc ? rc : -EEXIST;
	rc = nearest_existing(r, path, &parent, &missing);
	if (rc)
		return rc == -ENOENT ? -EACCES : rc;
	if (conn_limited(r->conn) && limit &&
	    owned_nodes(r) + missing > (long)limit)
		return -ENOSPC;
	recs = xsd_alloc((missing + 1) * sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	memset(recs, 0, (missing + 1) * sizeof(*recs));
	/* recs[0]: the parent with its new child; then the new nodes. */
	rc = build_chain(r, path, parent, missing, value, len, recs);
	/*
	 * In a transaction every path written was read above, so writing
	 * cannot fail; the parent goes first as it is the one whose record
	 * the others were built from.
	 */
	for (unsigned int i = 0; i <= missing; i++) {
		if (rc)
			node_free(recs[i]); /* NULL-safe: xsd_free */
		else
			node_write(r, recs[i]);
	}
	if (!rc && r->tx && recs[missing]->perms[0].id == r->conn->domid)
		r->tx->node_delta += (int)missing;
	xsd_free(recs);
	return rc;
}

struct frame {
	char *path;
	uint32_t off; /* the next child to visit */
};

static int push(struct frame **stack, unsigned int *n, unsigned int *cap,
		char *path)
{
	if (*n == *cap) {
		unsigned int cap2 = *cap ? *cap * 2 : 16;
		struct frame *s2 = xsd_alloc(cap2 * sizeof(*s2));

		if (!s2)
			return -ENOMEM;
		if (*n)
			memcpy(s2, *stack, *n * sizeof(*s2));
		xsd_free(*stack);
		*stack = s2;
		*cap = cap2;
	}
	(*stack)[(*n)++] = (struct frame){path, 0};
	return 0;
}

/* Delete the node and its children, firing their watches (post-order). */
static int delete_walk(const struct req *r, char *root)
{
	struct frame *stack = NULL;
	unsigned int sp = 0, cap = 0;
	int rc = push(&stack, &sp, &cap, root);

	while (!rc && sp) {
		struct frame *f = &stack[sp - 1];
		const struct node *n;
		char *child;

		rc = node_read(r, f->path, &n);
		if (rc == -ENOENT) { /* listed but missing: nothing to do */
			rc = 0;
		} else if (rc) {
			break;
		} else if (f->off < n->children_len) {
			const char *name = n->children + f->off;

			f->off += (uint32_t)strlen(name) + 1;
			child = path_join(f->path, name);
			rc = child ? push(&stack, &sp, &cap, child) : -ENOMEM;
			if (rc)
				xsd_free(child);
			continue;
		} else {
			fire_watches(r, f->path, sp > 1, n->perms, n->nperms);
			if (r->tx && n->perms[0].id == r->conn->domid)
				r->tx->node_delta--;
			rc = node_delete(r, f->path);
		}
		if (sp > 1)
			xsd_free(f->path);
		sp--;
	}
	while (sp > 1)
		xsd_free(stack[--sp].path);
	xsd_free(stack);
	return rc;
}

/*
 * Remove path (not "/") and everything below it, and take it off its
 * parent's list of children. Its watches, and its parents', fire; its
 * children's fire for watches on exactly them.
 */
int node_remove_tree(const struct req *r, const char *path)
{
	char *parent_path = path_parent(path), *root = str_dup(path);
	const struct node *parent;
	struct node *np = NULL;
	int rc = parent_path && root ? 0 : -ENOMEM;

	if (!rc)
		rc = node_read(r, parent_path, &parent);
	if (!rc) {
		np = node_without_child(parent, path_basename(path));
		rc = np ? 0 : -ENOMEM;
	}
	if (!rc)
		rc = delete_walk(r, root);
	if (!rc) {
		rc = node_write(r, np);
		np = NULL;
	} else if (r->tx) {
		r->tx->failed = rc; /* part of the tree may be gone */
	}
	xsd_free(np);
	xsd_free(root);
	xsd_free(parent_path);
	return rc;
}
