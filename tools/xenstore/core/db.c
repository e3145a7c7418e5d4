/*
 * Node records and the global database.
 *
 * A record is one allocation: struct node, the path, the permission
 * list, the value and the children's names. It is never changed once
 * built; the node_with_*() functions build the changed copy that
 * replaces it. Every record in the database (db_put) gets the store's
 * next generation number.
 *
 * The database keeps the count of nodes each domain owns (the owner is
 * perms[0].id) up to date on every put and delete, so the node quota
 * always sees what the records say, whatever changed them.
 */
#include "core.h"

static size_t perms_offset(size_t path_len)
{
	return ROUNDUP(sizeof(struct node) + path_len + 1,
		       _Alignof(struct xs_perm));
}

/*
 * A new record (generation not set yet); NULL without memory. children
 * may be NULL, leaving children_len bytes for the caller to fill.
 */
struct node *node_new(const char *path, const struct xs_perm *perms,
		      uint16_t nperms, const char *value, uint32_t value_len,
		      const char *children, uint32_t children_len)
{
	size_t path_len = strlen(path);
	size_t off = perms_offset(path_len);
	size_t size = off + nperms * sizeof(*perms) + value_len + children_len;
	struct node *n = xsd_alloc(size);

	if (!n)
		return NULL;
	memcpy(n->path, path, path_len + 1);
	n->h.key = n->path;
	n->generation = NO_GENERATION;
	n->nperms = nperms;
	n->perms = (struct xs_perm *)((char *)n + off);
	memcpy(n->perms, perms, nperms * sizeof(*perms));
	n->value = (char *)(n->perms + nperms);
	n->value_len = value_len;
	if (value_len)
		memcpy(n->value, value, value_len);
	n->children = n->value + value_len;
	n->children_len = children_len;
	if (children && children_len)
		memcpy(n->children, children, children_len);
	return n;
}

/* A copy of n (at another path, if path is not NULL). */
struct node *node_copy(const struct node *n, const char *path)
{
	struct node *c = node_new(path ? path : n->path, n->perms, n->nperms,
				  n->value, n->value_len, n->children,
				  n->children_len);

	if (c)
		c->generation = n->generation;
	return c;
}

/* n with another value. */
struct node *node_with_value(const struct node *n, const char *value,
			     uint32_t len)
{
	return node_new(n->path, n->perms, n->nperms, value, len, n->children,
			n->children_len);
}

/* n with another permission list. */
struct node *node_with_perms(const struct node *n, const struct xs_perm *perms,
			     uint16_t nperms)
{
	return node_new(n->path, perms, nperms, n->value, n->value_len,
			n->children, n->children_len);
}

/* n with one more child, name, at the end of its list. */
struct node *node_with_child(const struct node *n, const char *name)
{
	uint32_t len = (uint32_t)strlen(name) + 1;
	struct node *c = node_new(n->path, n->perms, n->nperms, n->value,
				  n->value_len, NULL, n->children_len + len);

	if (c) {
		memcpy(c->children, n->children, n->children_len);
		memcpy(c->children + n->children_len, name, len);
	}
	return c;
}

/* n without its child name (n itself, copied, if it has none such). */
struct node *node_without_child(const struct node *n, const char *name)
{
	struct node *c = node_copy(n, NULL);
	uint32_t off = 0;

	if (!c)
		return NULL;
	while (off < c->children_len) {
		uint32_t len = (uint32_t)strlen(c->children + off) + 1;

		if (streq(c->children + off, name)) {
			memmove(c->children + off, c->children + off + len,
				c->children_len - off - len);
			c->children_len -= len;
			break;
		}
		off += len;
	}
	return c;
}

void node_free(struct node *n)
{
	xsd_free(n);
}

/* The record's size as Xen's node-size quota counts it. */
size_t node_record_size(const struct node *n)
{
	return NODE_RECORD_HEADER + (size_t)n->nperms * NODE_RECORD_PERM +
	       n->value_len + n->children_len;
}

/* The global record at path, or NULL. */
struct node *db_get(const struct xsd_store *s, const char *path)
{
	struct hentry *e = ht_find(&s->nodes, path);

	return e ? container_of(e, struct node, h) : NULL;
}

/* Store n (the database owns it now), replacing any record at its path. */
void db_put(struct xsd_store *s, struct node *n)
{
	struct node *old = db_get(s, n->path);

	n->generation = s->generation++;
	if (old) {
		ht_remove(&s->nodes, &old->h);
		domain_nodes_add(s, old->perms[0].id, -1);
		node_free(old);
	}
	ht_insert(&s->nodes, &n->h);
	domain_nodes_add(s, n->perms[0].id, 1);
}

/* Delete the record at path, if any (not its children's). */
void db_del(struct xsd_store *s, const char *path)
{
	struct node *old = db_get(s, path);

	if (!old)
		return;
	s->generation++;
	ht_remove(&s->nodes, &old->h);
	domain_nodes_add(s, old->perms[0].id, -1);
	node_free(old);
}

/* Free every record (the store is going away). */
void db_clear(struct xsd_store *s)
{
	for (uint32_t b = 0; b < s->nodes.nbuckets; b++) {
		while (s->nodes.buckets[b]) {
			struct hentry *e = s->nodes.buckets[b];

			s->nodes.buckets[b] = e->next;
			node_free(container_of(e, struct node, h));
		}
	}
	s->nodes.count = 0;
}
