/*
 * Permissions, with Xen's semantics. A node's list is
 *
 *   perms[0]       the owner, and what every domain not listed may do
 *   perms[1..]     what one domain may do: n (none), r, w or b (both)
 *
 * and a connection's rights on it are: everything (read, write, and
 * owner's rights: changing the list) for privileged connections (dom0
 * and the host daemon's clients), for the owner and for a domain
 * SET_TARGET has made act for the owner; else the first entry naming
 * its domain (or its target); else perms[0]'s. On the wire a list is
 * strings like "b0", "r3", one per entry, each NUL-terminated.
 */
#include "core.h"

#include <paravane/printf.h>

/* What connection c may do with a node whose list is p[0..n). */
unsigned int perm_for_conn(const struct xsd_conn *c, const struct xs_perm *p,
			   uint16_t n)
{
	const unsigned int all = XS_PERM_BOTH | XS_PERM_OWNER;

	if (c->privileged || p[0].id == c->domid || domain_acts_for(c, p[0].id))
		return all;
	for (uint16_t i = 1; i < n; i++)
		if (p[i].id == c->domid || domain_acts_for(c, p[i].id))
			return p[i].perms;
	return p[0].perms;
}

static int parse_one(const char *s, struct xs_perm *p)
{
	uint64_t id;
	int rc;

	switch (s[0]) {
	case 'n': p->perms = XS_PERM_NONE; break;
	case 'r': p->perms = XS_PERM_READ; break;
	case 'w': p->perms = XS_PERM_WRITE; break;
	case 'b': p->perms = XS_PERM_BOTH; break;
	default: return -EINVAL;
	}
	rc = parse_decimal(s + 1, DOMID_FIRST_RESERVED - 1, &id);
	if (rc)
		return rc;
	p->id = (domid_t)id;
	return 0;
}

/*
 * Parse the list strings[0..len): one or more NUL-terminated entries and
 * nothing else. *out is a new array of *n entries.
 */
int perms_parse(const char *strings, uint32_t len, struct xs_perm **out,
		uint16_t *n)
{
	uint32_t count = 0;
	struct xs_perm *p;

	if (!len || strings[len - 1] != '\0')
		return -EINVAL;
	for (uint32_t i = 0; i < len; i++)
		count += strings[i] == '\0';
	if (count > UINT16_MAX)
		return -EINVAL;
	p = xsd_alloc(count * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (uint32_t i = 0, off = 0; i < count; i++) {
		int rc = parse_one(strings + off, &p[i]);

		if (rc) {
			xsd_free(p);
			return rc;
		}
		off += (uint32_t)strlen(strings + off) + 1;
	}
	*out = p;
	*n = (uint16_t)count;
	return 0;
}

/* The wire form of p[0..n) as a new buffer *out of *len bytes. */
int perms_format(const struct xs_perm *p, uint16_t n, char **out, uint32_t *len)
{
	static const char letter[] = {'n', 'r', 'w', 'b'};
	char *buf = xsd_alloc((size_t)n * 8); /* "b32751" and a NUL */
	uint32_t off = 0;

	if (!buf)
		return -ENOMEM;
	for (uint16_t i = 0; i < n; i++)
		off += (uint32_t)snprintf(buf + off, 8, "%c%u",
					  letter[p[i].perms & XS_PERM_BOTH],
					  (unsigned int)p[i].id) +
		       1;
	*out = buf;
	*len = off;
	return 0;
}

/* Whether any entry of p[0..n) names domid. */
bool perms_mention(const struct xs_perm *p, uint16_t n, domid_t domid)
{
	for (uint16_t i = 0; i < n; i++)
		if (p[i].id == domid)
			return true;
	return false;
}

/* A copy of p[0..n) (NULL for an empty list, or without memory). */
struct xs_perm *perms_dup(const struct xs_perm *p, uint16_t n)
{
	struct xs_perm *d;

	if (!n)
		return NULL;
	d = xsd_alloc(n * sizeof(*d));
	if (d)
		memcpy(d, p, n * sizeof(*d));
	return d;
}
