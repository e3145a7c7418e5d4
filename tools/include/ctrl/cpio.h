/*
 * A read-only reader of "newc" cpio archives (cpio -o -H newc, also
 * tools/mkramdisk.py), the format of dom0's ramdisk. The archive stays
 * where it is; lookups return pointers into it. Every header, name and
 * size is checked against the archive's bounds, so a corrupt or hostile
 * archive is refused (-EINVAL), never read past its end.
 *
 * Paths are compared without a leading "/" or "./"; symbolic links are
 * followed (relative or absolute, at most CPIO_MAX_LINKS deep).
 */
#ifndef CTRL_CPIO_H
#define CTRL_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_PATH_MAX 256
#define CPIO_MAX_LINKS 8

#define CPIO_MODE_TYPE 0170000
#define CPIO_MODE_DIR 0040000
#define CPIO_MODE_FILE 0100000
#define CPIO_MODE_LINK 0120000

struct cpio_archive {
	const uint8_t *base;
	size_t len;
};

/* One entry: its name (as stored, not NUL-terminated here) and data. */
struct cpio_entry {
	const char *name;
	size_t name_len;
	uint32_t mode;
	const uint8_t *data;
	size_t size;
};

// tools/ctrl/cpio.c
void cpio_open(struct cpio_archive *a, const void *base, size_t len);
int cpio_next(const struct cpio_archive *a, size_t *cursor,
	      struct cpio_entry *e);
int cpio_lookup(const struct cpio_archive *a, const char *path,
		struct cpio_entry *e);
bool cpio_entry_in_dir(const struct cpio_entry *e, const char *dir,
		       const char **base);

#endif /* CTRL_CPIO_H */
