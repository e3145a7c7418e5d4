/*
 * xenbus over a domU's xenstore ring (<xen/io/xs_wire.h>).
 *
 * The builder put one page, struct xenstore_domain_interface, in our
 * memory (start_info's store_mfn) and opened an event channel to
 * xenstored (store_evtchn). The page holds two byte rings of
 * XENSTORE_RING_SIZE with free-running indices: requests (we advance
 * req_prod, xenstored req_cons) and responses (xenstored rsp_prod, we
 * rsp_cons). Each message is a struct xsd_sockmsg and len bytes of
 * payload; a reply carries its request's req_id. Whoever moves an index
 * notifies the channel.
 *
 * Writers. One thread at a time writes a whole request (the "writer"
 * turn, a sleeping lock), waiting for room as xenstored consumes; a
 * request has its own req_id and sits in the pending list until its
 * reply comes, its sender asleep on its own wait queue. Many requests
 * may be outstanding. We notify once a message, or before sleeping on
 * a ring the other side must move.
 *
 * The reader. Thread "xenbus" reads every message off the response ring:
 * a reply goes to the pending request with its req_id (and wakes it), a
 * WATCH_EVENT to the watch thread (watch.c). A reply for nobody (its
 * request timed out) is dropped. The checks and parsing that need no
 * thread or lock (indices, a header, matching a reply, splitting an
 * event) are ring_msg.c's, which the host tests link.
 *
 * Trust. xenstored is trusted to answer, not to be sane: indices that
 * claim more than a ring holds, a payload over XENSTORE_PAYLOAD_MAX or
 * an error in the page break the ring for good - every waiting request
 * fails with -EIO and so does every later one - and never make us read
 * or write outside the page. So does a request that timed out half
 * written, since xenstored would read the next one as its rest. A reply
 * of another type than its request's (or ERROR) fails that request
 * with -EIO.
 *
 * Timeouts. A request that got no reply in XENBUS_TIMEOUT_NS fails with
 * -ETIMEDOUT, but xenstored may still carry it out: a late
 * TRANSACTION_START leaves a transaction open there (10 at most per
 * domain), a late WATCH a watch (xenbus_watch() then removes it).
 */
#include "xenbus.h"

#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/events.h>
#include <guest/heap.h>
#include <guest/mm.h>
#include <guest/processor.h>
#include <guest/sched.h>
#include <guest/spinlock.h>
#include <paravane/printf.h>
#include <paravane/string.h>

enum { RING_NONE, RING_CONNECTING, RING_UP };

static struct xenstore_domain_interface *intf;
static evtchn_port_t port;
static int ring_state = RING_NONE; /* or a negative errno: cannot */
static struct waitq connect_wq = WAITQ_INIT;
static struct waitq ring_wq = WAITQ_INIT;   /* the channel fired */
static struct waitq writer_wq = WAITQ_INIT; /* the writer turn is free */
static spinlock_t lock = SPINLOCK_INIT;	    /* pending, next_req_id */
static bool rsp_unsent, req_unsent; /* indices moved since we notified */
static struct xenbus_pending *pending;
static uint32_t next_req_id = 1;
static int writer_busy;
static bool broken;

static void on_event(evtchn_port_t p, void *arg)
{
	wake_up(&ring_wq);
}

static bool is_broken(void)
{
	return __atomic_load_n(&broken, __ATOMIC_ACQUIRE);
}

/* Break the ring for good: every request waiting fails with -EIO. */
static void ring_break(const char *why)
{
	unsigned long flags;

	if (__atomic_exchange_n(&broken, true, __ATOMIC_ACQ_REL))
		return;
	printk("xenbus: the xenstore ring is broken: %s\n", why);
	flags = spin_lock_irqsave(&lock);
	for (struct xenbus_pending *p = pending; p; p = p->next) {
		p->rc = -EIO;
		__atomic_store_n(&p->done, true, __ATOMIC_RELEASE);
		wake_up(&p->wq); /* under the lock: see deliver_reply() */
	}
	pending = NULL;
	spin_unlock_irqrestore(&lock, flags);
	wake_up(&ring_wq);
}

static bool readable(void)
{
	return is_broken() || xenbus_rsp_avail(intf) != 0;
}

static bool writable(void)
{
	return is_broken() || xenbus_req_room(intf) != 0;
}

/*
 * Tell xenstored we moved an index, if we did since we last told it:
 * once a message, or before we sleep on a ring it must empty or fill.
 */
static void notify(bool *unsent)
{
	if (*unsent) {
		*unsent = false;
		evtchn_notify(port);
	}
}

/* Read exactly len bytes of responses (the reader thread): 0 or -EIO. */
static int read_exact(void *buf, uint32_t len)
{
	char *dst = buf;

	while (len) {
		int n;

		if (!readable())
			notify(&rsp_unsent); /* what we freed, before we sleep */
		wait_event(ring_wq, readable());
		if (is_broken())
			return -EIO;
		n = xenbus_rsp_take(intf, dst, len);
		if (n < 0)
			return -EIO;
		rsp_unsent = true;
		dst += n;
		len -= (uint32_t)n;
	}
	return 0;
}

/* Write len bytes of request by deadline: 0, -ETIMEDOUT or -EIO. */
static int write_all(const void *buf, uint32_t len, uint64_t deadline)
{
	const char *src = buf;

	while (len) {
		int room;
		uint32_t off, n;

		if (!writable())
			notify(&req_unsent); /* what we wrote, before we sleep */
		if (!wait_event_until(ring_wq, writable(), deadline))
			return -ETIMEDOUT;
		room = is_broken() ? -EIO : xenbus_req_room(intf);
		if (room < 0)
			return -EIO;
		off = MASK_XENSTORE_IDX(intf->req_prod);
		n = MIN(len, (uint32_t)room);
		n = MIN(n, XENSTORE_RING_SIZE - off);
		mb(); /* xenstored's req_cons before we reuse the slots */
		memcpy((char *)intf->req + off, src, n);
		wmb(); /* the bytes before the index that publishes them */
		intf->req_prod += n;
		req_unsent = true;
		src += n;
		len -= n;
	}
	return 0;
}

/* Hand a reply to its request (or drop it: nobody waits any more). */
static void deliver_reply(const struct xsd_sockmsg *h, char *body)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	struct xenbus_pending *found = xenbus_reply_match(&pending, h, body);

	if (found) {
		__atomic_store_n(&found->done, true, __ATOMIC_RELEASE);
		/* Under the lock: its sender takes the lock (forget())
		 * before it returns, so its stack outlives the wake. */
		wake_up(&found->wq);
	}
	spin_unlock_irqrestore(&lock, flags);
	if (!found)
		kfree(body);
}

/* A WATCH_EVENT's payload: "path\0token\0"; anything else is dropped. */
static void deliver_event(char *body, uint32_t len)
{
	const char *token;

	if (xenbus_event_split(body, len, &token))
		xenbus_watch_event(body, token);
	kfree(body);
}

static int reader(void *arg)
{
	for (;;) {
		struct xsd_sockmsg h;
		char *body;

		if (read_exact(&h, sizeof(h)))
			break;
		if (!xenbus_msg_fits(&h)) {
			ring_break("a reply over XENSTORE_PAYLOAD_MAX");
			break;
		}
		body = kmalloc(h.len + 1);
		if (!body) {
			ring_break("no memory for a reply");
			break;
		}
		if (read_exact(body, h.len)) {
			kfree(body);
			break;
		}
		body[h.len] = '\0';
		notify(&rsp_unsent); /* a whole message taken */
		if (h.type == XS_WATCH_EVENT)
			deliver_event(body, h.len);
		else
			deliver_reply(&h, body);
	}
	ring_break("bad indices or an error in the page");
	return 0;
}

static bool take_writer(void)
{
	int free = 0;

	return __atomic_compare_exchange_n(&writer_busy, &free, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void release_writer(void)
{
	__atomic_store_n(&writer_busy, 0, __ATOMIC_RELEASE);
	wake_up(&writer_wq);
}

/* Take p off the pending list if it is still there. */
static void forget(struct xenbus_pending *p)
{
	unsigned long flags = spin_lock_irqsave(&lock);

	for (struct xenbus_pending **pp = &pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
}

static bool is_done(struct xenbus_pending *p)
{
	return __atomic_load_n(&p->done, __ATOMIC_ACQUIRE);
}

/* Send the request (header, then payload) with the writer turn held. */
static int send(struct xsd_sockmsg *h, const void *payload, uint64_t deadline)
{
	XENSTORE_RING_IDX start;
	int rc;

	if (!wait_event_until(writer_wq, take_writer(), deadline))
		return -ETIMEDOUT;
	start = intf->req_prod;
	rc = write_all(h, sizeof(*h), deadline);
	if (!rc)
		rc = write_all(payload, h->len, deadline);
	notify(&req_unsent); /* a whole request written */
	if (rc == -ETIMEDOUT && intf->req_prod != start)
		ring_break("a request timed out half written");
	release_writer();
	return rc;
}

static int ring_request(uint32_t type, xenbus_transaction_t tx,
			const void *payload, uint32_t len, char **reply,
			uint32_t *reply_len)
{
	struct xenbus_pending p = {.wq = WAITQ_INIT};
	struct xsd_sockmsg h = {.type = type, .tx_id = tx, .len = len};
	uint64_t deadline = time_now() + XENBUS_TIMEOUT_NS;
	unsigned long flags;
	int rc;

	if (is_broken())
		return -EIO;
	flags = spin_lock_irqsave(&lock);
	p.req_id = h.req_id = next_req_id++;
	p.type = type;
	p.next = pending;
	pending = &p;
	spin_unlock_irqrestore(&lock, flags);
	rc = send(&h, payload, deadline);
	if (!rc && !wait_event_until(p.wq, is_done(&p), deadline))
		rc = -ETIMEDOUT;
	forget(&p);
	if (!is_done(&p))
		return rc;
	/* Done, even if just after the time ran out: take its result. */
	if (!p.rc) {
		*reply = p.reply;
		*reply_len = p.len;
	}
	return p.rc;
}

static int do_connect(void)
{
	pfn_t pfn;

	if (is_initial_domain() || !start_info->store_mfn)
		return -ENODEV;
	pfn = mfn_to_pfn(_mfn(start_info->store_mfn));
	if (!pfn_valid_raw(pfn))
		return -ENODEV;
	intf = frame_va(pfn);
	port = start_info->store_evtchn;
	evtchn_set_cpu(port, 0); /* Xen notifies vCPU 0 of a port at first */
	evtchn_set_handler(port, on_event, NULL);
	evtchn_unmask(port);
	if (!thread_create("xenbus", reader, NULL)) {
		evtchn_mask(port);
		return -ENOMEM;
	}
	return 0;
}

static bool connect_settled(void)
{
	return __atomic_load_n(&ring_state, __ATOMIC_ACQUIRE) !=
	       RING_CONNECTING;
}

/* Connect to xenstored over the ring, once: 0, or why we cannot. */
int xenbus_ring_connect(void)
{
	int state = RING_NONE;

	if (__atomic_compare_exchange_n(&ring_state, &state, RING_CONNECTING,
					false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		int rc = do_connect();

		__atomic_store_n(&ring_state, rc ? rc : RING_UP,
				 __ATOMIC_RELEASE);
		wake_up(&connect_wq);
	}
	wait_event(connect_wq, connect_settled());
	state = __atomic_load_n(&ring_state, __ATOMIC_ACQUIRE);
	return state == RING_UP ? 0 : state;
}

const struct xenbus_transport xenbus_ring_transport = {
	.name = "ring",
	.request = ring_request,
};
