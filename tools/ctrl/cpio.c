/*
 * The newc cpio reader. An archive is a sequence of entries, each
 *
 *   "070701" (or "070702") and 13 fields of 8 hex digits: ino, mode,
 *   uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor,
 *   rdevminor, namesize (with the NUL), check;
 *   the name, NUL-terminated, padded so that header + name is a
 *   multiple of 4 bytes; the data, padded to a multiple of 4;
 *
 * ending with an entry named "TRAILER!!!". A symbolic link's data is its
 * target. Pure code, built into dom0 and into the host unit tests.
 */
#include <ctrl/cpio.h>
#include <paravane/errno.h>
#include <paravane/string.h>

#define HDR_LEN 110
#define FIELD_LEN 8
#define F_MODE 1
#define F_FILESIZE 6
#define F_NAMESIZE 11
#define TRAILER "TRAILER!!!"

/* Look at the archive base[0..len). */
void cpio_open(struct cpio_archive *a, const void *base, size_t len)
{
	a->base = base;
	a->len = len;
}

static int hex_field(const uint8_t *hdr, unsigned int i, uint32_t *out)
{
	const uint8_t *p = hdr + 6 + i * FIELD_LEN;
	uint32_t v = 0;

	for (unsigned int k = 0; k < FIELD_LEN; k++) {
		uint8_t c = p[k];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t pad4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/*
 * Read the entry at *cursor and move the cursor past it. Returns 1 with
 * *e filled, 0 at the trailer (or the end of the data), -EINVAL if the
 * archive is malformed.
 */
int cpio_next(const struct cpio_archive *a, size_t *cursor,
	      struct cpio_entry *e)
{
	size_t off = *cursor, name_end, data_off;
	const uint8_t *h;
	uint32_t mode, size, namesize;

	if (off >= a->len)
		return 0;
	if (a->len - off < HDR_LEN)
		return -EINVAL;
	h = a->base + off;
	if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2'))
		return -EINVAL;
	if (hex_field(h, F_MODE, &mode) || hex_field(h, F_FILESIZE, &size) ||
	    hex_field(h, F_NAMESIZE, &namesize))
		return -EINVAL;
	/* The name: at least its NUL, inside the archive, NUL at its end. */
	if (namesize == 0 || namesize > a->len - off - HDR_LEN)
		return -EINVAL;
	name_end = off + HDR_LEN + namesize;
	if (strnlen((const char *)h + HDR_LEN, namesize) != namesize - 1)
		return -EINVAL; /* the NUL must end the name, and only there */
	data_off = pad4(name_end);
	if (data_off > a->len || size > a->len - data_off)
		return -EINVAL;
	e->name = (const char *)h + HDR_LEN;
	e->name_len = namesize - 1;
	e->mode = mode;
	e->data = a->base + data_off;
	e->size = size;
	if (e->name_len == sizeof(TRAILER) - 1 &&
	    !memcmp(e->name, TRAILER, e->name_len))
		return 0;
	*cursor = pad4(data_off + size);
	if (*cursor > a->len) /* the last entry's padding may be missing */
		*cursor = a->len;
	return 1;
}

/* Skip a leading "/" or "./" (any number of them). */
static void strip_root(const char **s, size_t *len)
{
	for (;;) {
		if (*len >= 1 && (*s)[0] == '/') {
			(*s)++;
			(*len)--;
		} else if (*len >= 2 && (*s)[0] == '.' && (*s)[1] == '/') {
			*s += 2;
			*len -= 2;
		} else {
			return;
		}
	}
}

static bool same_path(const char *a, size_t alen, const char *b, size_t blen)
{
	strip_root(&a, &alen);
	strip_root(&b, &blen);
	return alen == blen && !memcmp(a, b, alen);
}

static int find(const struct cpio_archive *a, const char *path, size_t len,
		struct cpio_entry *e)
{
	size_t cursor = 0;
	int rc;

	while ((rc = cpio_next(a, &cursor, e)) == 1)
		if (same_path(e->name, e->name_len, path, len))
			return 0;
	return rc < 0 ? rc : -ENOENT;
}

/*
 * Resolve a link's target against the directory of the link's own
 * path, dropping "." and ".." components; -ENAMETOOLONG if too long.
 */
static int resolve(char *out, const char *link, size_t link_len,
		   const struct cpio_entry *target)
{
	char tmp[CPIO_PATH_MAX];
	size_t n = 0, i = 0, o = 0, tlen = target->size;
	const char *t = (const char *)target->data;

	if (tlen && t[0] != '/') { /* relative: start from the link's dir */
		while (link_len && link[link_len - 1] != '/')
			link_len--;
		if (link_len >= sizeof(tmp))
			return -ENAMETOOLONG;
		memcpy(tmp, link, link_len);
		n = link_len;
	}
	if (tlen >= sizeof(tmp) - n)
		return -ENAMETOOLONG;
	memcpy(tmp + n, t, tlen);
	n += tlen;

	/* Normalise: components separated by '/', "." and ".." handled. */
	while (i < n) {
		size_t s = i, clen;

		while (i < n && tmp[i] != '/')
			i++;
		clen = i - s;
		i++; /* the '/' */
		if (clen == 0 || (clen == 1 && tmp[s] == '.'))
			continue;
		if (clen == 2 && tmp[s] == '.' && tmp[s + 1] == '.') {
			while (o && out[o - 1] != '/')
				o--;
			if (o)
				o--;
			continue;
		}
		if (o)
			out[o++] = '/';
		memcpy(out + o, tmp + s, clen);
		o += clen;
	}
	out[o] = '\0';
	return 0;
}

/*
 * Find path, following symbolic links. 0 with *e the entry (a file or a
 * directory); -ENOENT, -EMLINK (too many links), -ENAMETOOLONG or -EINVAL
 * (corrupt).
 */
int cpio_lookup(const struct cpio_archive *a, const char *path,
		struct cpio_entry *e)
{
	char cur[CPIO_PATH_MAX], next[CPIO_PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(cur))
		return -ENAMETOOLONG;
	memcpy(cur, path, len + 1);
	for (unsigned int depth = 0; depth <= CPIO_MAX_LINKS; depth++) {
		int rc = find(a, cur, strlen(cur), e);

		if (rc)
			return rc;
		if ((e->mode & CPIO_MODE_TYPE) != CPIO_MODE_LINK)
			return 0;
		rc = resolve(next, cur, strlen(cur), e);
		if (rc)
			return rc;
		memcpy(cur, next, sizeof(cur));
	}
	return -EMLINK;
}

/*
 * Whether entry e lies directly in directory dir (not in a subdirectory);
 * *base then points at its name within dir.
 */
bool cpio_entry_in_dir(const struct cpio_entry *e, const char *dir,
		       const char **base)
{
	const char *n = e->name, *d = dir;
	size_t nlen = e->name_len, dlen = strlen(dir);

	strip_root(&n, &nlen);
	strip_root(&d, &dlen);
	if (nlen == 1 && n[0] == '.')
		return false; /* the root itself */
	while (dlen && d[dlen - 1] == '/')
		dlen--;
	if (dlen) {
		if (nlen <= dlen + 1 || memcmp(n, d, dlen) || n[dlen] != '/')
			return false;
		n += dlen + 1;
		nlen -= dlen + 1;
	}
	for (size_t i = 0; i < nlen; i++)
		if (n[i] == '/')
			return false;
	*base = n;
	return nlen != 0;
}
