/*
 * The xenstore ring's message level (ring.c's reader), free of threads,
 * locks and event channels so the host can test it: the checks on the
 * page's indices, taking response bytes off the ring, a header's
 * payload length, a reply matched to the request it answers and a
 * WATCH_EVENT's payload split into path and token.
 *
 * Nothing here trusts xenstored (see ring.c's "Trust"): indices that
 * claim more than a ring holds or an error in the page are -EIO, a copy
 * never leaves the ring, a payload is only read within its length, and
 * a reply of the wrong type settles its request with -EIO.
 */
#include "xenbus.h"

#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/processor.h>
#include <paravane/string.h>

/* Bytes of the response ring we may read; -EIO if they cannot be. */
int xenbus_rsp_avail(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX n = READ_ONCE(intf->rsp_prod) - intf->rsp_cons;

	if (READ_ONCE(intf->error) || n > XENSTORE_RING_SIZE)
		return -EIO;
	return (int)n;
}

/* Free bytes in the request ring; -EIO if the indices cannot be. */
int xenbus_req_room(const struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX used = intf->req_prod - READ_ONCE(intf->req_cons);

	if (READ_ONCE(intf->error) || used > XENSTORE_RING_SIZE)
		return -EIO;
	return (int)(XENSTORE_RING_SIZE - used);
}

/*
 * Copy up to len bytes of responses into dst, no further than the end
 * of the ring, and consume them: how many, or -EIO (bad indices).
 */
int xenbus_rsp_take(struct xenstore_domain_interface *intf, void *dst,
		    uint32_t len)
{
	int avail = xenbus_rsp_avail(intf);
	uint32_t off, n;

	if (avail < 0)
		return -EIO;
	off = MASK_XENSTORE_IDX(intf->rsp_cons);
	n = MIN(len, (uint32_t)avail);
	n = MIN(n, XENSTORE_RING_SIZE - off);
	rmb(); /* the index before the bytes it publishes */
	memcpy(dst, (const char *)intf->rsp + off, n);
	mb(); /* the bytes read before xenstored may reuse them */
	intf->rsp_cons += n;
	return (int)n;
}

/* Whether h's payload may be read (else the ring must break). */
bool xenbus_msg_fits(const struct xsd_sockmsg *h)
{
	return h->len <= XENSTORE_PAYLOAD_MAX;
}

/* Settle p with reply h, keeping body as its payload or freeing it. */
static void settle(struct xenbus_pending *p, const struct xsd_sockmsg *h,
		   char *body)
{
	if (h->type == XS_ERROR) {
		p->rc = xenbus_errno(body);
		kfree(body);
	} else if (h->type != p->type) {
		p->rc = -EIO; /* not an answer to what we asked */
		kfree(body);
	} else {
		p->reply = body;
		p->len = h->len;
	}
}

/*
 * The request reply h (payload body, h->len bytes and a NUL) answers:
 * taken off *list and settled (rc, or reply and len; body is then its
 * or freed), but not marked done. NULL if nobody waits for it: body is
 * left to the caller.
 */
struct xenbus_pending *xenbus_reply_match(struct xenbus_pending **list,
					  const struct xsd_sockmsg *h,
					  char *body)
{
	for (struct xenbus_pending **pp = list; *pp; pp = &(*pp)->next) {
		struct xenbus_pending *p = *pp;

		if (p->req_id == h->req_id) {
			*pp = p->next;
			settle(p, h, body);
			return p;
		}
	}
	return NULL;
}

/*
 * Split a WATCH_EVENT's payload (len bytes, body[len] a NUL) into
 * "path\0token\0": true with *token set if both strings end inside it.
 */
bool xenbus_event_split(const char *body, uint32_t len, const char **token)
{
	size_t plen = strlen(body), end = plen + 1;

	while (end < len && body[end])
		end++;
	if (plen >= len || end >= len)
		return false;
	*token = body + plen + 1;
	return true;
}
