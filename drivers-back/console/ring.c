/*
 * The backend's side of the io/console.h rings, against a frontend that
 * may be hostile: it owns the page and may write anything, at any time,
 * into the indices and the bytes.
 *
 * So the backend keeps its own indices (out_cons, in_prod) privately,
 * writes them to the page only to publish them, and never reads them
 * back. The frontend's index (out_prod, in_cons) is read exactly once
 * per call, into a local, and checked before use: a producer can be at
 * most a ring's size ahead of its consumer. Every slot is addressed with
 * MASK_XENCONS_IDX, so no index, however wrong, reaches outside the
 * ring. A wrong index is -EBADMSG, and the caller drops the console.
 *
 * Barriers follow the protocol (see drivers-front/console/front.c):
 * acquire after reading the producer's index, so the bytes are read
 * after it; a full barrier before publishing our consumer index, so the
 * bytes are read before the slots are handed back; release before
 * publishing our producer index, so the bytes are there before it.
 */
#include "consback.h"

#include <paravane/errno.h>

#define READ_IDX(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_IDX(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/*
 * Take up to len bytes of the frontend's output from out[]; *cons is our
 * consumer index, advanced and published. Returns the bytes taken, or
 * -EBADMSG if out_prod is impossible (nothing is taken).
 */
long consring_take_output(struct xencons_interface *intf,
			  XENCONS_RING_IDX *cons, char *buf, size_t len)
{
	XENCONS_RING_IDX prod = READ_IDX(intf->out_prod), c = *cons;
	size_t n = 0;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (prod - c > sizeof(intf->out))
		return -EBADMSG;
	while (c != prod && n < len)
		buf[n++] = intf->out[MASK_XENCONS_IDX(c++, intf->out)];
	if (!n)
		return 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_IDX(intf->out_cons, c);
	*cons = c;
	return (long)n;
}

/*
 * Put up to len bytes of input into in[]; *prod is our producer index,
 * advanced and published. Returns the bytes that fitted (maybe 0), or
 * -EBADMSG if in_cons is impossible (nothing is written).
 */
long consring_put_input(struct xencons_interface *intf, XENCONS_RING_IDX *prod,
			const char *s, size_t len)
{
	XENCONS_RING_IDX cons = READ_IDX(intf->in_cons), p = *prod;
	size_t n = 0;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (p - cons > sizeof(intf->in))
		return -EBADMSG;
	while (n < len && p - cons < sizeof(intf->in))
		intf->in[MASK_XENCONS_IDX(p++, intf->in)] = s[n++];
	if (!n)
		return 0;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_IDX(intf->in_prod, p);
	*prod = p;
	return (long)n;
}

/* Whether in_cons, read once, is possible given our producer index. */
bool consring_input_sane(const struct xencons_interface *intf,
			 XENCONS_RING_IDX prod)
{
	return prod - READ_IDX(intf->in_cons) <= sizeof(intf->in);
}
