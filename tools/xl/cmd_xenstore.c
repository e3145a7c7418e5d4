/*
 * dom0's xenstore commands, on dom0's own client (<xenstore/dom0.h>),
 * with the output of Debian's xenstore-utils:
 *
 *   xenstore-ls [PATH]           the tree under PATH ("/"): one line a
 *                                node, 'name = "value"', a space of
 *                                indent a level
 *   xenstore-read PATH...        each value on a line
 *   xenstore-write PATH VALUE... write each value
 *   xenstore-rm PATH...          remove each node and its children
 *
 * Values are shown as they are, but for bytes outside printable ASCII,
 * which show as \xNN.
 */
#include "xl.h"

#include <guest/console.h>
#include <guest/errno.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xenstore/dom0.h>

#define LS_MAX_DEPTH 32

static struct xsc *client(void)
{
	struct xsc *xs = xenstored_dom0();

	if (!xs)
		printk("xenstore: xenstored is not running\n");
	return xs;
}

/*
 * Print indent spaces, name, sep, value[0..len) (bytes outside printable
 * ASCII as \xNN) and end in one write, so that other domains' console
 * lines do not cut into it.
 */
static void print_line(unsigned int indent, const char *name, const char *sep,
		       const char *value, uint32_t len, const char *end)
{
	size_t size = indent + strlen(name) + strlen(sep) + 4 * (size_t)len +
		      strlen(end) + 1;
	char *buf = xsd_alloc(size);
	size_t n;

	if (!buf)
		return;
	n = (size_t)snprintf(buf, size, "%*s%s%s", (int)indent, "", name, sep);
	for (uint32_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)value[i];

		if (c >= 0x20 && c < 0x7f)
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, 5, "\\x%02x", c);
	}
	n += (size_t)snprintf(buf + n, size - n, "%s", end);
	console_write(buf, n); /* whole: printk would cut a long value */
	xsd_free(buf);
}

static const char *error_text(int rc)
{
	switch (rc) {
	case -ENOENT: return "no such node";
	case -EACCES: return "permission denied";
	case -EINVAL: return "invalid path";
	default: return xsd_error_name(rc);
	}
}

static void ls(struct xsc *xs, const char *path, unsigned int depth)
{
	char *names, *value, *child;
	unsigned int n;
	uint32_t len;
	size_t off = 0;

	if (xsc_directory(xs, XS_TX_NONE, path, &names, &n))
		return;
	for (unsigned int i = 0; i < n; i++, off += strlen(names + off) + 1) {
		const char *name = names + off;
		size_t plen = strlen(path), nlen = strlen(name);

		child = xsd_alloc(plen + nlen + 2);
		if (!child)
			break;
		snprintf(child, plen + nlen + 2, "%s/%s",
			 strcmp(path, "/") ? path : "", name);
		if (xsc_read(xs, XS_TX_NONE, child, &value, &len)) {
			value = NULL;
			len = 0;
		}
		print_line(depth, name, " = \"", value, len, "\"\n");
		xsd_free(value);
		if (depth + 1 < LS_MAX_DEPTH)
			ls(xs, child, depth + 1);
		else
			printk("%*s...\n", depth + 1, "");
		xsd_free(child);
	}
	xsd_free(names);
}

/* xenstore-ls [PATH] */
int cmd_xenstore_ls(int argc, char **argv)
{
	struct xsc *xs = client();
	const char *path = argc > 1 ? argv[1] : "/";
	char *names;
	unsigned int n;
	int rc;

	if (!xs)
		return -ENOENT;
	if (argc > 2) {
		printk("usage: xenstore-ls [PATH]\n");
		return -EINVAL;
	}
	rc = xsc_directory(xs, XS_TX_NONE, path, &names, &n);
	if (rc) {
		printk("xenstore-ls: %s: %s\n", path, error_text(rc));
		return rc;
	}
	xsd_free(names);
	ls(xs, path, 0);
	return 0;
}

/* xenstore-read PATH... */
int cmd_xenstore_read(int argc, char **argv)
{
	struct xsc *xs = client();
	uint32_t len;
	char *value;

	if (!xs)
		return -ENOENT;
	if (argc < 2) {
		printk("usage: xenstore-read PATH...\n");
		return -EINVAL;
	}
	for (int i = 1; i < argc; i++) {
		int rc = xsc_read(xs, XS_TX_NONE, argv[i], &value, &len);

		if (rc) {
			printk("xenstore-read: couldn't read path %s: %s\n",
			       argv[i], error_text(rc));
			return rc;
		}
		print_line(0, "", "", value, len, "\n");
		xsd_free(value);
	}
	return 0;
}

/* xenstore-write PATH VALUE... */
int cmd_xenstore_write(int argc, char **argv)
{
	struct xsc *xs = client();

	if (!xs)
		return -ENOENT;
	if (argc < 3 || argc % 2 == 0) {
		printk("usage: xenstore-write PATH VALUE...\n");
		return -EINVAL;
	}
	for (int i = 1; i < argc; i += 2) {
		int rc = xsc_write_str(xs, XS_TX_NONE, argv[i], argv[i + 1]);

		if (rc) {
			printk("xenstore-write: could not write path %s: %s\n",
			       argv[i], error_text(rc));
			return rc;
		}
	}
	return 0;
}

/* xenstore-rm PATH... */
int cmd_xenstore_rm(int argc, char **argv)
{
	struct xsc *xs = client();

	if (!xs)
		return -ENOENT;
	if (argc < 2) {
		printk("usage: xenstore-rm PATH...\n");
		return -EINVAL;
	}
	for (int i = 1; i < argc; i++) {
		int rc = xsc_rm(xs, XS_TX_NONE, argv[i]);

		if (rc) {
			printk("xenstore-rm: could not remove path %s: %s\n",
			       argv[i], error_text(rc));
			return rc;
		}
	}
	return 0;
}
