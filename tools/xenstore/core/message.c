/*
 * The message layer: one table of every request type (the index of the
 * protocol, Xen's names), the checks every request passes before its
 * handler runs, argument parsing and replies.
 *
 * A request of an unknown type (or one only xenstored sends, WATCH_EVENT
 * and ERROR) is ENOSYS; a privileged-only type from an unprivileged
 * connection is EACCES; a tx_id naming no transaction of the connection
 * is ENOENT (WATCH and UNWATCH ignore tx_id, as on Xen). A handler's
 * negative errno becomes an ERROR reply carrying the errno's name as
 * <xen/io/xs_wire.h> lists it; the reply echoes req_id and tx_id.
 *
 * Arguments are NUL-terminated strings. A one-argument request must be
 * exactly one string with its NUL; a request of n strings exactly n,
 * the payload ending with the last NUL. WRITE is a path and its NUL,
 * then a value of any bytes; TRANSACTION_START ignores its payload.
 */
#include "core.h"

#define F_PRIV 1u /* privileged connections only */
#define F_NOTX 2u /* tx_id is ignored */

static const struct {
	const char *name;
	int (*fn)(const struct req *r);
	unsigned int flags;
} wire_ops[XS_TYPE_COUNT] = {
	[XS_CONTROL] = {"CONTROL", do_control, F_PRIV},
	[XS_DIRECTORY] = {"DIRECTORY", do_directory, 0},
	[XS_READ] = {"READ", do_read, 0},
	[XS_GET_PERMS] = {"GET_PERMS", do_get_perms, 0},
	[XS_WATCH] = {"WATCH", do_watch, F_NOTX},
	[XS_UNWATCH] = {"UNWATCH", do_unwatch, F_NOTX},
	[XS_TRANSACTION_START] = {"TRANSACTION_START", do_transaction_start, 0},
	[XS_TRANSACTION_END] = {"TRANSACTION_END", do_transaction_end, 0},
	[XS_INTRODUCE] = {"INTRODUCE", do_introduce, F_PRIV},
	[XS_RELEASE] = {"RELEASE", do_release, F_PRIV},
	[XS_GET_DOMAIN_PATH] = {"GET_DOMAIN_PATH", do_get_domain_path, 0},
	[XS_WRITE] = {"WRITE", do_write, 0},
	[XS_MKDIR] = {"MKDIR", do_mkdir, 0},
	[XS_RM] = {"RM", do_rm, 0},
	[XS_SET_PERMS] = {"SET_PERMS", do_set_perms, 0},
	[XS_WATCH_EVENT] = {"WATCH_EVENT", NULL, 0},
	[XS_ERROR] = {"ERROR", NULL, 0},
	[XS_IS_DOMAIN_INTRODUCED] = {"IS_DOMAIN_INTRODUCED",
				     do_is_domain_introduced, F_PRIV},
	[XS_RESUME] = {"RESUME", do_resume, F_PRIV},
	[XS_SET_TARGET] = {"SET_TARGET", do_set_target, F_PRIV},
	[XS_RESET_WATCHES] = {"RESET_WATCHES", do_reset_watches, 0},
	[XS_DIRECTORY_PART] = {"DIRECTORY_PART", do_directory_part, 0},
};

/* The errors xs_wire.h names, in its order. */
static const struct {
	int err;
	const char *name;
} errors[] = {
	{EINVAL, "EINVAL"}, {EACCES, "EACCES"},	  {EEXIST, "EEXIST"},
	{EISDIR, "EISDIR"}, {ENOENT, "ENOENT"},	  {ENOMEM, "ENOMEM"},
	{ENOSPC, "ENOSPC"}, {EIO, "EIO"},	  {ENOTEMPTY, "ENOTEMPTY"},
	{ENOSYS, "ENOSYS"}, {EROFS, "EROFS"},	  {EBUSY, "EBUSY"},
	{EAGAIN, "EAGAIN"}, {EISCONN, "EISCONN"}, {E2BIG, "E2BIG"},
	{EPERM, "EPERM"},
};

/* The wire name of errno err (either sign); "EINVAL" if it has none. */
const char *xsd_error_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++)
		if (errors[i].err == err)
			return errors[i].name;
	return "EINVAL";
}

/* The negative errno an ERROR reply's name stands for (-EINVAL: none). */
int xsd_error_number(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++)
		if (streq(errors[i].name, name))
			return -errors[i].err;
	return -EINVAL;
}

/* Reply to r with data[0..len) (-E2BIG if it is over the limit). */
int reply(const struct req *r, const void *data, uint32_t len)
{
	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	return conn_queue(r->conn, r->hdr->type, r->hdr->req_id, r->hdr->tx_id,
			  data, len, false);
}

/* Reply "OK". */
int reply_ok(const struct req *r)
{
	return reply(r, "OK", 3);
}

static void reply_error(const struct req *r, int err)
{
	const char *name = xsd_error_name(err);

	conn_queue(r->conn, XS_ERROR, r->hdr->req_id, r->hdr->tx_id, name,
		   (uint32_t)strlen(name) + 1, false);
}

/* How many NUL-terminated strings the payload holds. */
unsigned int arg_count(const struct req *r)
{
	unsigned int n = 0;

	for (uint32_t i = 0; i < r->len; i++)
		n += r->data[i] == '\0';
	return n;
}

/* The payload as exactly n strings, each NUL-terminated, into vec. */
int arg_strings(const struct req *r, const char **vec, unsigned int n)
{
	uint32_t off = 0;

	if (!r->len || r->data[r->len - 1] != '\0' || arg_count(r) != n)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		vec[i] = r->data + off;
		off += (uint32_t)strlen(vec[i]) + 1;
	}
	return 0;
}

/* The payload as exactly one NUL-terminated string. */
int arg_one(const struct req *r, const char **arg)
{
	return arg_strings(r, arg, 1);
}

/* CONTROL: "<command>|..." -> implementation-specific */
int do_control(const struct req *r)
{
	static const char help[] = "check\nhelp\n";
	const char *cmd = r->data;

	if (!r->len || r->data[r->len - 1] != '\0')
		return -EINVAL;
	if (streq(cmd, "check"))
		return reply_ok(r);
	if (streq(cmd, "help"))
		return reply(r, help, sizeof(help));
	return -EINVAL;
}

/* Run the request c has read completely (c->hdr, c->in). */
void process_message(struct xsd_conn *c)
{
	struct req r = {
		.s = c->store,
		.conn = c,
		.hdr = &c->hdr,
		.data = c->in,
		.len = c->hdr.len,
	};
	uint32_t type = c->hdr.type;
	int rc;

	c->store->stats.requests++;
	if (type >= XS_TYPE_COUNT || !wire_ops[type].fn) {
		rc = -ENOSYS;
	} else if ((wire_ops[type].flags & F_PRIV) && !c->privileged) {
		rc = -EACCES;
	} else {
		rc = 0;
		if (!(wire_ops[type].flags & F_NOTX) && c->hdr.tx_id) {
			r.tx = tx_find(c, c->hdr.tx_id);
			if (!r.tx)
				rc = -ENOENT;
		}
		if (!rc)
			rc = wire_ops[type].fn(&r);
	}
	if (rc)
		reply_error(&r, rc);
}
