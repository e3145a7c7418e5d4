/*
 * Paths, as docs/misc/xenstore.txt defines them: absolute paths start
 * with "/", use only ASCII letters, digits and "-/_@", have no empty
 * component (no "//", no trailing "/" except the root "/") and are at
 * most XENSTORE_ABS_PATH_MAX bytes. A path without the leading "/" is
 * relative to the connection's domain's home, /local/domain/<domid>,
 * and may be at most XENSTORE_REL_PATH_MAX bytes. A path starting with
 * "@" names a special watch; only the watch and permission requests
 * take those.
 */
#include "core.h"

#include <paravane/printf.h>

static bool valid_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
	       c == '@';
}

/* Whether path is a well-formed absolute path. */
bool path_valid(const char *path)
{
	size_t len = 0;

	if (path[0] != '/')
		return false;
	for (const char *p = path; *p; p++, len++) {
		if (!valid_char(*p) || len >= XENSTORE_ABS_PATH_MAX)
			return false;
		if (p[0] == '/' && p[1] == '/')
			return false;
	}
	return len == 1 || path[len - 1] != '/';
}

/* Whether path names a special watch ("@..."). */
bool path_is_special(const char *path)
{
	return path[0] == '@';
}

/* The home of domain domid, /local/domain/<domid>, into buf. */
void domain_path(domid_t domid, char *buf)
{
	snprintf(buf, DOMAIN_PATH_MAX, "/local/domain/%u", (unsigned int)domid);
}

/* A copy of s from the core's allocator, or NULL. */
char *str_dup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *d = xsd_alloc(len);

	if (d)
		memcpy(d, s, len);
	return d;
}

/*
 * The absolute path in names, for r's connection: a new string in *out,
 * which the caller frees. -EINVAL if it is malformed or special.
 */
int path_canonical(const struct req *r, const char *in, char **out)
{
	char home[DOMAIN_PATH_MAX];
	size_t len = strlen(in), hlen;
	char *p;

	if (in[0] == '/') {
		if (!path_valid(in))
			return -EINVAL;
		*out = str_dup(in);
		return *out ? 0 : -ENOMEM;
	}
	if (!len || len > XENSTORE_REL_PATH_MAX || path_is_special(in))
		return -EINVAL;
	domain_path(r->conn->domid, home);
	hlen = strlen(home);
	p = xsd_alloc(hlen + 1 + len + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, home, hlen);
	p[hlen] = '/';
	memcpy(p + hlen + 1, in, len + 1);
	if (!path_valid(p)) {
		xsd_free(p);
		return -EINVAL;
	}
	*out = p;
	return 0;
}

/* Whether child is parent or below it ("/" is everyone's parent). */
bool path_is_child(const char *child, const char *parent)
{
	size_t len = strlen(parent);

	if (streq(parent, "/"))
		return true;
	return !strncmp(child, parent, len) &&
	       (child[len] == '/' || child[len] == '\0');
}

/* The parent of an absolute path other than "/", as a new string. */
char *path_parent(const char *path)
{
	const char *slash = path;
	size_t len;
	char *p;

	for (const char *q = path; *q; q++)
		if (*q == '/')
			slash = q;
	len = slash == path ? 1 : (size_t)(slash - path);
	p = xsd_alloc(len + 1);
	if (!p)
		return NULL;
	memcpy(p, path, len);
	p[len] = '\0';
	return p;
}

/* dir/name as a new string. */
char *path_join(const char *dir, const char *name)
{
	size_t dlen = streq(dir, "/") ? 0 : strlen(dir);
	size_t nlen = strlen(name);
	char *p = xsd_alloc(dlen + 1 + nlen + 1);

	if (!p)
		return NULL;
	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, name, nlen + 1);
	return p;
}

/* The last component of an absolute path other than "/". */
const char *path_basename(const char *path)
{
	const char *base = path;

	for (const char *q = path; *q; q++)
		if (*q == '/')
			base = q + 1;
	return base;
}

/*
 * Parse s, all decimal digits, into *out; -EINVAL if it is empty, has
 * anything else or exceeds max.
 */
int parse_decimal(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9' || d > max || v > (max - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
