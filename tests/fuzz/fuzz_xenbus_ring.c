/*
 * libFuzzer target for a domU's xenstore ring client's message level
 * (pvguest/xenbus/ring_msg.c): what ring.c's reader does with the bytes
 * xenstored puts on the response ring, driven here without threads.
 *
 * The input: a flags byte (unused), the first index (4 bytes, little
 * endian; both response indices start there), the types of the four
 * requests waiting (req_ids 1 to 4, a byte each), then a script of ops.
 * An op byte c is
 *   0xff + 4 bytes   xenstored scribbles rsp_prod;
 *   0xfe             xenstored sets the page's error;
 *   0xfd + 8 bytes   the request ring's indices, for xenbus_req_room();
 *   anything else    xenstored writes the next c + 1 bytes of the script
 *                    at rsp_prod (masked, as a sane one does) and moves it.
 * After each op the reader takes what it may, header then payload, the
 * way ring.c's reader does, until the ring is empty or broken.
 *
 * Whatever the page holds: every copy stays inside the page (a heap block
 * of its exact size), takes what the indices allow and moves rsp_cons by
 * that; the ring breaks only for indices or an error that say so, or a
 * payload over XENSTORE_PAYLOAD_MAX; a reply settles only the request
 * with its req_id (its payload within XENSTORE_PAYLOAD_MAX, the ERROR's
 * errno, or -EIO for another type); a watch event is split only when its
 * path and token both end inside its payload. Every payload is freed, so
 * LeakSanitizer sees one dropped on the floor.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <guest/errno.h>
#include <guest/heap.h>

#include "../../pvguest/xenbus/xenbus.h"

#define NR_WAITING 4

/* The kernel heap: the C heap (ring_msg.c frees what it does not keep). */
void *kmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void kfree(void *p)
{
	free(p);
}

/* xenbus.c (linked for xenbus_errno()) never connects the ring here. */
const struct xenbus_transport xenbus_ring_transport = {.name = "ring"};

int xenbus_ring_connect(void)
{
	return -ENODEV;
}

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static uint32_t word(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* ring.c's reader, one message at a time, never sleeping. */
struct reader {
	struct xenstore_domain_interface *page;
	struct xsd_sockmsg h;
	char *body; /* the payload being read, once the header is in */
	uint32_t got;
	bool broken;
	struct xenbus_pending waiting[NR_WAITING];
	struct xenbus_pending *list;
};

/* xenbus_rsp_take(), checked against the indices it was given. */
static int take(struct reader *r, void *dst, uint32_t len)
{
	struct xenstore_domain_interface *page = r->page;
	XENSTORE_RING_IDX cons = page->rsp_cons;
	XENSTORE_RING_IDX avail = page->rsp_prod - cons;
	uint32_t off = MASK_XENSTORE_IDX(cons);
	int n = xenbus_rsp_take(page, dst, len);

	if (n < 0) {
		check(n == -EIO && page->rsp_cons == cons);
		check(page->error || avail > XENSTORE_RING_SIZE);
		return n;
	}
	check(!page->error && avail <= XENSTORE_RING_SIZE);
	check((uint32_t)n <= len && (uint32_t)n <= avail);
	check(off + (uint32_t)n <= XENSTORE_RING_SIZE);
	check((uint32_t)n == len || (uint32_t)n == avail ||
	      off + (uint32_t)n == XENSTORE_RING_SIZE);
	check(page->rsp_cons == cons + (uint32_t)n);
	check(!memcmp(dst, page->rsp + off, (size_t)n));
	return n;
}

/* Whether body (len bytes) holds two NUL-terminated strings. */
static bool two_strings(const char *body, uint32_t len)
{
	const char *nul = memchr(body, '\0', len);

	return nul && memchr(nul + 1, '\0', len - (uint32_t)(nul + 1 - body));
}

static void deliver_event(struct reader *r)
{
	const char *token = NULL;
	uint32_t len = r->h.len;

	if (xenbus_event_split(r->body, len, &token)) {
		size_t plen = strlen(r->body);

		check(plen < len && token == r->body + plen + 1);
		check(plen + 1 + strlen(token) < len);
	} else {
		check(!two_strings(r->body, len));
	}
	kfree(r->body);
}

/* A settled request waits again, as a new one with the same req_id. */
static void wait_again(struct reader *r, struct xenbus_pending *p)
{
	p->rc = 0;
	p->reply = NULL;
	p->len = 0;
	p->next = r->list;
	r->list = p;
}

static void deliver_reply(struct reader *r)
{
	const struct xsd_sockmsg *h = &r->h;
	struct xenbus_pending *p = xenbus_reply_match(&r->list, h, r->body);

	for (struct xenbus_pending *q = r->list; q; q = q->next)
		check(q != p && q->req_id != h->req_id);
	if (!p) {
		kfree(r->body);
		return;
	}
	check(p->req_id == h->req_id);
	if (h->type == XS_ERROR) {
		check(p->rc < 0 && !p->reply);
	} else if (h->type != p->type) {
		check(p->rc == -EIO && !p->reply);
	} else {
		check(p->rc == 0 && p->reply == r->body);
		check(p->len == h->len && p->len <= XENSTORE_PAYLOAD_MAX);
		check(p->reply[p->len] == '\0');
		kfree(p->reply);
	}
	wait_again(r, p);
}

/* The header is in: refuse it, or get ready for its payload. */
static void header_in(struct reader *r)
{
	if (!xenbus_msg_fits(&r->h)) {
		check(r->h.len > XENSTORE_PAYLOAD_MAX);
		r->broken = true;
		return;
	}
	r->body = kmalloc(r->h.len + 1);
	check(r->body != NULL);
	r->got = 0;
}

/* The whole message is in: deliver it as ring.c does. */
static void message_in(struct reader *r)
{
	r->body[r->h.len] = '\0';
	if (r->h.type == XS_WATCH_EVENT)
		deliver_event(r);
	else
		deliver_reply(r);
	r->body = NULL;
	r->got = 0;
}

/* Read what the ring holds; stop when it is empty or broken. */
static void read_all(struct reader *r)
{
	while (!r->broken) {
		int n;

		if (r->body && r->got == r->h.len) {
			message_in(r);
			continue;
		}
		if (r->body)
			n = take(r, r->body + r->got, r->h.len - r->got);
		else
			n = take(r, (char *)&r->h + r->got,
				 sizeof(r->h) - r->got);
		if (n <= 0) {
			r->broken = n < 0;
			return;
		}
		r->got += (uint32_t)n;
		if (!r->body && r->got == sizeof(r->h))
			header_in(r);
	}
}

/* xenbus_req_room() for arbitrary request indices. */
static void room(struct xenstore_domain_interface *page, const uint8_t *p)
{
	XENSTORE_RING_IDX used;
	int n;

	page->req_prod = word(p);
	page->req_cons = word(p + 4);
	used = page->req_prod - page->req_cons;
	n = xenbus_req_room(page);
	if (page->error || used > XENSTORE_RING_SIZE)
		check(n == -EIO);
	else
		check(n == (int)(XENSTORE_RING_SIZE - used));
}

/* xenstored writes len bytes at rsp_prod. */
static void produce(struct xenstore_domain_interface *page,
		    const uint8_t *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++)
		page->rsp[MASK_XENSTORE_IDX(page->rsp_prod + i)] =
			(char)bytes[i];
	page->rsp_prod += (XENSTORE_RING_IDX)len;
}

/* Run the script from data[i] on. */
static void run(struct reader *r, const uint8_t *data, size_t size, size_t i)
{
	while (i < size) {
		uint8_t c = data[i++];

		if (c == 0xff && i + 4 <= size) {
			r->page->rsp_prod = word(&data[i]);
			i += 4;
		} else if (c == 0xfe) {
			r->page->error = 1;
		} else if (c == 0xfd && i + 8 <= size) {
			room(r->page, &data[i]);
			i += 8;
		} else {
			size_t n = MIN((size_t)c + 1, size - i);

			produce(r->page, &data[i], n);
			i += n;
		}
		read_all(r);
	}
}

/* Fuzz one stream of responses. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = {.list = NULL};

	if (size < 9)
		return 0;
	r.page = calloc(1, sizeof(*r.page));
	if (!r.page)
		return 0;
	r.page->rsp_cons = r.page->rsp_prod = word(&data[1]);
	for (unsigned int i = 0; i < NR_WAITING; i++) {
		r.waiting[i].req_id = i + 1;
		r.waiting[i].type = data[5 + i] % XS_TYPE_COUNT;
		wait_again(&r, &r.waiting[i]);
	}
	run(&r, data, size, 9);
	kfree(r.body);
	free(r.page);
	return 0;
}
