/*
 * xenbus's calls (see <guest/xenbus.h>): each builds one xs_wire request
 * and hands it to the transport, which waits for the reply.
 *
 * The transport is dom0's in-process one once xenbus_set_transport()
 * installed it; otherwise the xenstore ring, connected on first use
 * (ring.c). Replies are xenstored's: their contents are checked before
 * use (a NUL where the protocol puts one, numbers that parse).
 */
#include "xenbus.h"

#include <guest/errno.h>
#include <guest/heap.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <stdarg.h>

static const struct xenbus_transport *volatile installed;
static unsigned long requests;

/* Use t for every call from now on (dom0: its in-process xenstored). */
void xenbus_set_transport(const struct xenbus_transport *t)
{
	installed = t;
}

/* The transport, connecting the ring first if need be; NULL: none. */
static const struct xenbus_transport *transport(void)
{
	if (!installed && xenbus_ring_connect() == 0)
		installed = &xenbus_ring_transport;
	return installed;
}

/* Whether this domain can reach a xenstore at all. */
bool xenbus_available(void)
{
	return transport() != NULL;
}

/* The negative errno an ERROR reply's name stands for (-EINVAL: none). */
int xenbus_errno(const char *name)
{
	int err = errno_by_name(name);

	return err ? -err : -EINVAL;
}

/* How many requests this domain sent. */
unsigned long xenbus_requests(void)
{
	return __atomic_load_n(&requests, __ATOMIC_RELAXED);
}

static int call(uint32_t type, xenbus_transaction_t tx, const void *payload,
		uint32_t len, char **reply, uint32_t *reply_len)
{
	const struct xenbus_transport *t = transport();
	uint32_t got_len;
	char *got;
	int rc;

	if (!t)
		return -ENODEV;
	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	__atomic_fetch_add(&requests, 1, __ATOMIC_RELAXED);
	rc = t->request(type, tx, payload, len, &got, &got_len);
	if (rc)
		return rc;
	if (reply)
		*reply = got;
	else
		kfree(got);
	if (reply_len)
		*reply_len = got_len;
	return 0;
}

/* A request whose payload is one string, sent with its NUL. */
static int call_str(uint32_t type, xenbus_transaction_t tx, const char *s,
		    char **reply, uint32_t *reply_len)
{
	size_t len = strlen(s) + 1;

	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	return call(type, tx, s, (uint32_t)len, reply, reply_len);
}

/* A request of path (with its NUL) then data[0..len). */
static int call_path_data(uint32_t type, xenbus_transaction_t tx,
			  const char *path, const void *data, size_t len)
{
	size_t plen = strlen(path) + 1;
	char *buf;
	int rc;

	if (plen + len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	buf = kmalloc(plen + len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, plen);
	memcpy(buf + plen, data, len);
	rc = call(type, tx, buf, (uint32_t)(plen + len), NULL, NULL);
	kfree(buf);
	return rc;
}

/* The value of path, NUL-terminated, into *value (kfree it). */
int xenbus_read(xenbus_transaction_t tx, const char *path, char **value)
{
	return call_str(XS_READ, tx, path, value, NULL);
}

/*
 * The value of path into buf (size bytes with the NUL); -ERANGE if it
 * does not fit (buf then holds as much as fits), -EINVAL if it is not
 * text (it holds a NUL).
 */
int xenbus_read_buf(xenbus_transaction_t tx, const char *path, char *buf,
		    size_t size)
{
	uint32_t len;
	char *v;
	int rc = call_str(XS_READ, tx, path, &v, &len);

	if (rc)
		return rc;
	if (size)
		strlcpy(buf, v, size);
	rc = strlen(v) != len ? -EINVAL : len < size ? 0 : -ERANGE;
	kfree(v);
	return rc;
}

/* s as a plain decimal number no larger than max; -EINVAL if not one. */
static int parse_decimal(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (d > 9 || n > (max - d) / 10)
			return -EINVAL;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

/* The value of path as a decimal number; -EINVAL if it is not one. */
int xenbus_read_uint(xenbus_transaction_t tx, const char *path,
		     unsigned long *value)
{
	char buf[24];
	int rc = xenbus_read_buf(tx, path, buf, sizeof(buf));

	if (rc)
		return rc == -ERANGE ? -EINVAL : rc;
	return parse_decimal(buf, ~0UL, value);
}

/* Whether path exists (and we may read it). */
bool xenbus_exists(xenbus_transaction_t tx, const char *path)
{
	return call_str(XS_READ, tx, path, NULL, NULL) == 0;
}

/* Set path's value (creating it and its missing parents). */
int xenbus_write(xenbus_transaction_t tx, const char *path, const char *value)
{
	return call_path_data(XS_WRITE, tx, path, value, strlen(value));
}

/* Set path's value, formatted; -E2BIG if it is over 255 bytes. */
int xenbus_printf(xenbus_transaction_t tx, const char *path, const char *fmt,
		  ...)
{
	char value[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value))
		return -E2BIG;
	return xenbus_write(tx, path, value);
}

/* Create path (no error if it exists). */
int xenbus_mkdir(xenbus_transaction_t tx, const char *path)
{
	return call_str(XS_MKDIR, tx, path, NULL, NULL);
}

/* Remove path and everything below it. */
int xenbus_rm(xenbus_transaction_t tx, const char *path)
{
	return call_str(XS_RM, tx, path, NULL, NULL);
}

/*
 * The names of path's children: *names holds them one after the other,
 * each with its NUL (kfree it), *count how many there are.
 */
int xenbus_directory(xenbus_transaction_t tx, const char *path, char **names,
		     unsigned int *count)
{
	uint32_t len;
	char *list;
	unsigned int n = 0;
	int rc = call_str(XS_DIRECTORY, tx, path, &list, &len);

	if (rc)
		return rc;
	if (len && list[len - 1] != '\0') {
		kfree(list);
		return -EIO; /* every name ends with its NUL */
	}
	for (uint32_t i = 0; i < len; i++)
		n += list[i] == '\0';
	*names = list;
	*count = n;
	return 0;
}

/*
 * path's permissions in xenstore's text form ("b0\0r1\0", see xs_wire.h):
 * the owner with everyone's access, then one entry per other domain,
 * each with its NUL; *len bytes in all.
 */
int xenbus_get_perms(xenbus_transaction_t tx, const char *path, char **perms,
		     uint32_t *len)
{
	return call_str(XS_GET_PERMS, tx, path, perms, len);
}

/* Set path's permissions from their text form (len bytes, each NUL'd). */
int xenbus_set_perms(xenbus_transaction_t tx, const char *path,
		     const char *perms, uint32_t len)
{
	return call_path_data(XS_SET_PERMS, tx, path, perms, len);
}

/* Start a transaction; its id into *tx. */
int xenbus_transaction_start(xenbus_transaction_t *tx)
{
	unsigned long id;
	char *reply;
	int rc = call(XS_TRANSACTION_START, XBT_NIL, "", 1, &reply, NULL);

	if (rc)
		return rc;
	rc = parse_decimal(reply, UINT32_MAX, &id) ? -EIO : 0;
	kfree(reply);
	if (!rc && id == XBT_NIL)
		rc = -EIO;
	if (!rc)
		*tx = (xenbus_transaction_t)id;
	return rc;
}

/* End tx: commit its writes (-EAGAIN: a conflict, retry) or drop them. */
int xenbus_transaction_end(xenbus_transaction_t tx, bool commit)
{
	return call(XS_TRANSACTION_END, tx, commit ? "T" : "F", 2, NULL, NULL);
}

/* Domain domid's home path, "/local/domain/<domid>" (kfree it). */
int xenbus_get_domain_path(domid_t domid, char **path)
{
	char id[8];

	snprintf(id, sizeof(id), "%u", domid);
	return call_str(XS_GET_DOMAIN_PATH, XBT_NIL, id, path, NULL);
}

/* Our own domain id, as our home's "domid" node names it. */
int xenbus_domid(domid_t *domid)
{
	unsigned long id;
	int rc = xenbus_read_uint(XBT_NIL, "domid", &id);

	if (rc)
		return rc;
	if (id >= DOMID_FIRST_RESERVED)
		return -EIO;
	*domid = (domid_t)id;
	return 0;
}

/* Add (or remove) the watch on path with token at xenstored. */
int xenbus_send_watch(const char *path, const char *token, bool add)
{
	const struct xenbus_transport *t = transport();
	int (*fn)(const char *path, const char *token);

	if (!t)
		return -ENODEV;
	fn = add ? t->watch : t->unwatch;
	if (!fn)
		return call_path_data(add ? XS_WATCH : XS_UNWATCH, XBT_NIL,
				      path, token, strlen(token) + 1);
	__atomic_fetch_add(&requests, 1, __ATOMIC_RELAXED);
	return fn(path, token);
}
