/*
 * libFuzzer target for xenstored's message parser and everything behind
 * it (tools/xenstore/core): every input is the byte stream of one client
 * connection. Its first byte says whether the client is privileged
 * (dom0) or domain 1, and how the rest is cut into the pieces it is fed
 * in; the rest is xs_wire requests, well-formed or not. A second, dom0
 * connection watches "/" and @releaseDomain, so every change reaches
 * another client too.
 *
 * Whatever the input, the store must stay sane: every message it sends
 * has a known type and a payload within XENSTORE_PAYLOAD_MAX, an ERROR
 * names one of xs_wire.h's errors, a reply answers the request type it
 * echoes; a broken connection takes nothing more. The store is freed at
 * the end, so LeakSanitizer sees anything left behind.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xs_wire.h>
#include <xenstore/xenstored.h>

void *xsd_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void xsd_free(void *p)
{
	free(p);
}

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static int attach(void *ctx, struct xsd_conn *c, domid_t domid, uint64_t mfn,
		  evtchn_port_t port)
{
	return (mfn & 1) ? -ENOMEM : 0; /* odd frames cannot be mapped */
}

static const struct xsd_ops ops = {.introduce = attach};

/* Read and check everything c has queued. */
static void drain(struct xsd_conn *c)
{
	static char body[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;

	while (xsd_conn_has_output(c)) {
		check(xsd_conn_output(c, &h, sizeof(h)) == sizeof(h));
		check(h.len <= XENSTORE_PAYLOAD_MAX);
		check(xsd_conn_output(c, body, h.len) == h.len);
		check(h.type < XS_TYPE_COUNT);
		if (h.type == XS_ERROR) {
			check(h.len > 1 && body[h.len - 1] == '\0');
			check(xsd_error_number(body) != -EINVAL ||
			      !strcmp(body, "EINVAL"));
		}
		if (h.type == XS_WATCH_EVENT)
			check(h.req_id == 0 && h.tx_id == 0 && h.len >= 2 &&
			      body[h.len - 1] == '\0');
	}
}

static void watch(struct xsd_conn *c, const char *payload, uint32_t len)
{
	struct xsd_sockmsg h = {XS_WATCH, 1, 0, len};
	char buf[sizeof(h) + 64];

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, len);
	check(xsd_conn_input(c, buf, sizeof(h) + len) ==
	      (long)(sizeof(h) + len));
	drain(c);
}

/* Fuzz one client's byte stream. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xsd_store *s;
	struct xsd_conn *c, *watcher;
	unsigned int mode, piece;
	size_t off = 1;

	if (!size)
		return 0;
	mode = data[0];
	piece = (mode >> 1) ? (mode >> 1) : 4096; /* 1..127, or all */
	s = xsd_store_new(&ops, NULL);
	check(s != NULL);
	watcher = xsd_conn_new(s, 0, true, NULL);
	c = xsd_conn_new(s, (mode & 1) ? 0 : 1, mode & 1, NULL);
	check(watcher && c);
	watch(watcher, "/\0all", 6);
	watch(watcher, "@releaseDomain\0rel", 19);
	while (off < size) {
		size_t n = size - off < piece ? size - off : piece;
		long taken = xsd_conn_input(c, data + off, n);

		if (taken < 0) {
			check(xsd_conn_broken(c));
			check(xsd_conn_input(c, data, 1) < 0);
			break;
		}
		/* Held back: the client reads its replies, then goes on. */
		if ((size_t)taken < n)
			check(xsd_conn_has_output(c));
		off += (size_t)taken;
		drain(c);
		drain(watcher);
	}
	if (mode & 0x80)
		xsd_domain_gone(s, 1);
	drain(watcher);
	xsd_store_free(s);
	return 0;
}
