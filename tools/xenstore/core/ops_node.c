/*
 * The requests on nodes: READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS and SET_PERMS, with Xen's semantics
 * (docs/misc/xenstore.txt):
 *
 *   READ       needs read; the value as it is (no NUL added)
 *   WRITE      needs write on the node, or on its nearest existing
 *              ancestor to create it (and missing parents, empty)
 *   MKDIR      WRITE of an empty value, unless the node exists
 *   RM         needs write; removes the tree; a missing node is fine if
 *              its parent exists; "/" cannot go (EINVAL)
 *   DIRECTORY  needs read; the children's names, NUL after each
 *   GET_PERMS  needs read; SET_PERMS needs write and ownership, and an
 *              unprivileged owner may not give the node away (EPERM)
 *
 * Every change fires the watches on the node and its parents.
 */
#include "core.h"

#include <paravane/printf.h>

/* The path a request's first argument names, canonical, into *path. */
static int one_path(const struct req *r, char **path)
{
	const char *arg;
	int rc = arg_one(r, &arg);

	return rc ? rc : path_canonical(r, arg, path);
}

/* READ: "<path>|" -> "<value>" */
int do_read(const struct req *r)
{
	const struct node *n;
	char *path;
	int rc = one_path(r, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (!rc)
		rc = reply(r, n->value, n->value_len);
	xsd_free(path);
	return rc;
}

static int write_value(const struct req *r, const char *path, const char *value,
		       uint32_t len)
{
	const struct node *n;
	struct node *c;
	int rc = get_node(r, path, XS_PERM_WRITE, &n);

	if (rc == -ENOENT)
		return node_create(r, path, value, len);
	if (rc)
		return rc;
	c = node_with_value(n, value, len);
	if (!c)
		return -ENOMEM;
	rc = node_check_size(r, c);
	if (rc) {
		node_free(c);
		return rc;
	}
	return node_write(r, c);
}

/* WRITE: "<path>|<value>" -> OK */
int do_write(const struct req *r)
{
	uint32_t plen = 0;
	char *path;
	int rc;

	while (plen < r->len && r->data[plen])
		plen++;
	if (plen == r->len)
		return -EINVAL; /* no NUL after the path */
	rc = path_canonical(r, r->data, &path);
	if (rc)
		return rc;
	rc = write_value(r, path, r->data + plen + 1, r->len - plen - 1);
	if (!rc) {
		fire_watches(r, path, false, NULL, 0);
		rc = reply_ok(r);
	}
	xsd_free(path);
	return rc;
}

/* MKDIR: "<path>|" -> OK */
int do_mkdir(const struct req *r)
{
	const struct node *n;
	char *path;
	int rc = one_path(r, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_WRITE, &n);
	if (rc == -ENOENT) {
		rc = node_create(r, path, "", 0);
		if (!rc)
			fire_watches(r, path, false, NULL, 0);
	}
	if (!rc)
		rc = reply_ok(r);
	xsd_free(path);
	return rc;
}

/* RM: "<path>|" -> OK */
int do_rm(const struct req *r)
{
	const struct node *n;
	char *path, *parent;
	int rc = one_path(r, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_WRITE, &n);
	if (rc == -ENOENT) {
		/* Gone already: fine, if its parent is there. */
		parent = path_parent(path);
		rc = parent ? node_read(r, parent, &n) : -ENOMEM;
		xsd_free(parent);
	} else if (!rc) {
		rc = streq(path, "/") ? -EINVAL : node_remove_tree(r, path);
	}
	if (!rc)
		rc = reply_ok(r);
	xsd_free(path);
	return rc;
}

/* DIRECTORY: "<path>|" -> "<child>|" for each child */
int do_directory(const struct req *r)
{
	const struct node *n;
	char *path;
	int rc = one_path(r, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (!rc)
		rc = reply(r, n->children, n->children_len);
	xsd_free(path);
	return rc;
}

/*
 * DIRECTORY_PART: "<path>|<offset>|" -> "<generation>|" and the children
 * from byte offset of the list on, as many whole names as fit; a final
 * empty name ("|") when the list ends in this part.
 */
int do_directory_part(const struct req *r)
{
	char gen[24], *buf;
	const char *vec[2];
	const struct node *n;
	uint32_t glen, off, len = 0, max;
	uint64_t offset;
	char *path;
	int rc = arg_strings(r, vec, 2);

	if (!rc)
		rc = parse_decimal(vec[1], UINT32_MAX, &offset);
	if (!rc)
		rc = path_canonical(r, vec[0], &path);
	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	xsd_free(path);
	if (rc)
		return rc;
	glen = (uint32_t)snprintf(gen, sizeof(gen), "%llu",
				  (unsigned long long)n->generation) +
	       1;
	off = (uint32_t)MIN(offset, (uint64_t)n->children_len);
	max = XENSTORE_PAYLOAD_MAX - glen - 1;
	while (off + len < n->children_len) {
		uint32_t clen = (uint32_t)strlen(n->children + off + len) + 1;

		if (len + clen > max)
			break;
		len += clen;
	}
	buf = xsd_alloc(glen + len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, gen, glen);
	memcpy(buf + glen, n->children + off, len);
	if (off + len == n->children_len)
		buf[glen + len++] = '\0';
	rc = reply(r, buf, glen + len);
	xsd_free(buf);
	return rc;
}

static struct perm_list *special(struct xsd_store *s, const char *name)
{
	if (streq(name, XS_INTRODUCE_DOMAIN))
		return &s->introduce_perms;
	if (streq(name, XS_RELEASE_DOMAIN))
		return &s->release_perms;
	return NULL;
}

static int reply_perms(const struct req *r, const struct xs_perm *p, uint16_t n)
{
	uint32_t len;
	char *buf;
	int rc = perms_format(p, n, &buf, &len);

	if (rc)
		return rc;
	rc = reply(r, buf, len);
	xsd_free(buf);
	return rc;
}

/* GET_PERMS: "<path>|" -> "<perm>|" for each entry */
int do_get_perms(const struct req *r)
{
	const struct perm_list *sp;
	const struct node *n;
	const char *arg;
	char *path;
	int rc = arg_one(r, &arg);

	if (rc)
		return rc;
	if (path_is_special(arg)) {
		sp = special(r->s, arg);
		if (!sp)
			return -EINVAL;
		if (!(perm_for_conn(r->conn, sp->p, sp->n) & XS_PERM_READ))
			return -EACCES;
		return reply_perms(r, sp->p, sp->n);
	}
	rc = path_canonical(r, arg, &path);
	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (!rc)
		rc = reply_perms(r, n->perms, n->nperms);
	xsd_free(path);
	return rc;
}

static int set_special(const struct req *r, const char *name, struct xs_perm *p,
		       uint16_t n)
{
	const unsigned int need = XS_PERM_WRITE | XS_PERM_OWNER;
	struct perm_list *sp = special(r->s, name);

	if (!sp)
		return -EINVAL;
	int rc;

	if ((perm_for_conn(r->conn, sp->p, sp->n) & need) != need)
		return -EACCES;
	rc = reply_ok(r);
	if (rc)
		return rc;
	xsd_free(sp->p);
	sp->p = p; /* taken */
	sp->n = n;
	return 0;
}

static int set_node_perms(const struct req *r, const char *path,
			  const struct xs_perm *p, uint16_t np)
{
	const struct node *n;
	struct xs_perm *old;
	uint16_t nold;
	struct node *c;
	int rc = get_node(r, path, XS_PERM_WRITE | XS_PERM_OWNER, &n);

	if (rc)
		return rc;
	if (conn_limited(r->conn) && p[0].id != n->perms[0].id)
		return -EPERM; /* only dom0 gives nodes away */
	c = node_with_perms(n, p, np);
	old = perms_dup(n->perms, n->nperms);
	nold = n->nperms;
	rc = c && old ? node_check_size(r, c) : -ENOMEM;
	if (rc) {
		xsd_free(c);
		xsd_free(old);
		return rc;
	}
	rc = node_write(r, c);
	if (!rc)
		fire_watches(r, path, false, old, nold);
	xsd_free(old);
	return rc;
}

/* SET_PERMS: "<path>|<perm>|<perm>|..." -> OK */
int do_set_perms(const struct req *r)
{
	unsigned int max = r->s->limits.perms, n = arg_count(r);
	uint32_t plen;
	struct xs_perm *p;
	uint16_t np;
	char *path = NULL;
	int rc;

	if (n < 2 || r->data[r->len - 1] != '\0')
		return -EINVAL;
	if (conn_limited(r->conn) && max && n - 1 > max)
		return -ENOSPC;
	plen = (uint32_t)strlen(r->data) + 1;
	rc = perms_parse(r->data + plen, r->len - plen, &p, &np);
	if (rc)
		return rc;
	if (path_is_special(r->data)) {
		rc = set_special(r, r->data, p, np);
		if (rc)
			xsd_free(p);
		return rc;
	}
	rc = path_canonical(r, r->data, &path);
	if (!rc)
		rc = set_node_perms(r, path, p, np);
	if (!rc)
		rc = reply_ok(r);
	xsd_free(path);
	xsd_free(p);
	return rc;
}
