/*
 * A domain's home in xenstore, /local/domain/<domid>, as Xen's toolstack
 * (libxl) lays out the part every domain has:
 *
 *   /local/domain/N                 n0 rN: dom0's, the domain reads it
 *     name, domid
 *     device, control               n0 rN (backends and xl write there)
 *     control/shutdown              nN: the domain's own
 *     control/feature-poweroff, -reboot  nN: the kernel says "1" there
 *                                   when it listens to control/shutdown
 *     data                          nN: the domain's own
 *
 * xl adds what it knows of the domain (tools/xl/store.c); the tests and
 * the benchmarks use this part alone.
 */
#include "dom0.h"

#include <guest/errno.h>
#include <paravane/compiler.h>
#include <paravane/printf.h>

/* /local/domain/<domid>[/rel] into path; -E2BIG if it does not fit. */
int xenstored_home_path(char *path, size_t size, domid_t domid, const char *rel)
{
	int n = snprintf(path, size, "/local/domain/%u%s%s", domid,
			 *rel ? "/" : "", rel);

	return n < 0 || (size_t)n >= size ? -E2BIG : 0;
}

static int write_value(struct xsc *xs, xs_tx_t tx, domid_t domid,
		       const char *rel, const char *value)
{
	char path[64];
	int rc = xenstored_home_path(path, sizeof(path), domid, rel);

	return rc ? rc : xsc_write_str(xs, tx, path, value);
}

/*
 * Write domain domid's home (name may be NULL) in transaction tx of
 * client xs, which must have dom0's rights. 0 or a negative errno.
 */
int xenstored_write_home(struct xsc *xs, xs_tx_t tx, domid_t domid,
			 const char *name)
{
	static const struct {
		const char *rel;
		bool own;
	} dirs[] = {
		{"", false},
		{"device", false},
		{"control", false},
		{"control/shutdown", true},
		{"control/feature-poweroff", true},
		{"control/feature-reboot", true},
		{"data", true},
	};
	struct xs_perm ro[2] = {{0, XS_PERM_NONE}, {domid, XS_PERM_READ}};
	struct xs_perm own = {domid, XS_PERM_NONE};
	char path[64], id[8];
	int rc = 0;

	snprintf(id, sizeof(id), "%u", domid);
	for (size_t i = 0; i < ARRAY_SIZE(dirs) && !rc; i++) {
		rc = xenstored_home_path(path, sizeof(path), domid,
					 dirs[i].rel);
		rc = rc ? rc : xsc_mkdir(xs, tx, path);
		if (!rc)
			rc = dirs[i].own ? xsc_set_perms(xs, tx, path, &own, 1)
					 : xsc_set_perms(xs, tx, path, ro, 2);
		if (rc || i)
			continue;
		/* The home's own values first, as xenstore-ls lists them. */
		if (name)
			rc = write_value(xs, tx, domid, "name", name);
		rc = rc ? rc : write_value(xs, tx, domid, "domid", id);
	}
	return rc;
}
