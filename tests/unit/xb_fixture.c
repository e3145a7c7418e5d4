/*
 * The xenbus client's unit-test fixture (see xb_fixture.h): a scripted
 * transport, the heap, the ring's entry points, the watch calls and the
 * sleeping primitives that xenbus.c and state.c use. The watch calls
 * themselves are in xb_watch_fake.c, left out where watch.c is tested.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xb_fixture.h"
#include <guest/heap.h>
#include <guest/sched.h>
#include <guest/time.h>

/* pvguest/xenbus's own header: the ring's and watch.c's entry points. */
#include "../../pvguest/xenbus/xenbus.h"

struct xb_reply {
	int err;
	uint32_t len;
	char *value;
};

struct xb_request xb_requests[XB_MAX_REQUESTS];
unsigned int xb_nr_requests;
static struct xb_reply replies[XB_MAX_REPLIES];
static unsigned int nr_replies, next_reply;

struct xb_watch_call xb_watch_calls[8];
unsigned int xb_nr_watch_calls;
int xb_ring_connect_rc;
unsigned int xb_ring_connects;
long xb_live_blocks;

struct xenbus_watch *xb_watch;
unsigned int xb_watches, xb_unwatches;
int xb_watch_rc;
bool xb_in_watch;

bool (*xb_sleep)(void);
unsigned int xb_sleeps;
uint64_t xb_deadline;
static bool deadline_passed;
static unsigned long counted_before; /* xenbus_requests() at setup */

/* The kernel heap (mm/heap.c): the C heap, counted. */
void *kmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p)
		xb_live_blocks++;
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	if (p)
		xb_live_blocks--;
	free(p);
}

/* The transport: keep the request, answer with the next scripted reply. */
static int fake_request(uint32_t type, xenbus_transaction_t tx,
			const void *payload, uint32_t len, char **reply,
			uint32_t *reply_len)
{
	struct xb_request *r;
	struct xb_reply *s;

	assert_true(len <= XENSTORE_PAYLOAD_MAX);
	assert_true(len == 0 || payload != NULL);
	if (xb_nr_requests >= XB_MAX_REQUESTS)
		fail_msg("more than %d requests", XB_MAX_REQUESTS);
	r = &xb_requests[xb_nr_requests++];
	*r = (struct xb_request){.type = type, .tx = tx, .len = len};
	memcpy(r->payload, payload, len);
	if (next_reply >= nr_replies)
		fail_msg("request %u (type %u, \"%.*s\") has no reply scripted",
			 xb_nr_requests - 1, type, (int)len, r->payload);
	s = &replies[next_reply++];
	if (s->err)
		return s->err;
	*reply = kmalloc(s->len + 1);
	assert_non_null(*reply);
	memcpy(*reply, s->value, s->len);
	(*reply)[s->len] = '\0';
	*reply_len = s->len;
	return 0;
}

static int record_watch_call(bool add, const char *path, const char *token)
{
	struct xb_watch_call *c;

	assert_true(xb_nr_watch_calls < 8);
	c = &xb_watch_calls[xb_nr_watch_calls++];
	c->add = add;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->token, sizeof(c->token), "%s", token);
	return 0;
}

static int fake_watch(const char *path, const char *token)
{
	return record_watch_call(true, path, token);
}

static int fake_unwatch(const char *path, const char *token)
{
	return record_watch_call(false, path, token);
}

static const struct xenbus_transport fake = {
	.name = "fake",
	.request = fake_request,
};

static const struct xenbus_transport fake_with_watch = {
	.name = "fake-with-watch",
	.request = fake_request,
	.watch = fake_watch,
	.unwatch = fake_unwatch,
};

/* The xenstore ring (ring.c): connected only if the test says so. */
const struct xenbus_transport xenbus_ring_transport = {
	.name = "ring",
	.request = fake_request,
};

int xenbus_ring_connect(void)
{
	xb_ring_connects++;
	return xb_ring_connect_rc;
}

void xb_use_watch_calls(void)
{
	xenbus_set_transport(&fake_with_watch);
}

void xb_reply_bytes(const void *value, uint32_t len)
{
	struct xb_reply *s;

	assert_true(nr_replies < XB_MAX_REPLIES);
	s = &replies[nr_replies++];
	s->err = 0;
	s->len = len;
	s->value = malloc(len ? len : 1);
	assert_non_null(s->value);
	memcpy(s->value, value, len);
}

void xb_reply(const char *value)
{
	xb_reply_bytes(value, (uint32_t)strlen(value));
}

void xb_reply_error(int err)
{
	assert_true(err < 0);
	assert_true(nr_replies < XB_MAX_REPLIES);
	replies[nr_replies++] = (struct xb_reply){.err = err};
}

void xb_check_request(unsigned int i, uint32_t type, xenbus_transaction_t tx,
		      const void *payload, uint32_t len)
{
	const struct xb_request *r;

	if (i >= xb_nr_requests)
		fail_msg("request %u was never sent (%u were)", i,
			 xb_nr_requests);
	r = &xb_requests[i];
	assert_int_equal(r->type, type);
	assert_int_equal(r->tx, tx);
	assert_int_equal(r->len, len);
	assert_memory_equal(r->payload, payload, len);
}

unsigned long xb_counted(void)
{
	return xenbus_requests() - counted_before;
}

int xb_setup(void **state)
{
	xb_nr_requests = 0;
	nr_replies = next_reply = 0;
	xb_nr_watch_calls = 0;
	xb_ring_connect_rc = -ENODEV;
	xb_ring_connects = 0;
	xb_live_blocks = 0;
	xb_watch = NULL;
	xb_watches = xb_unwatches = 0;
	xb_watch_rc = 0;
	xb_in_watch = false;
	xb_sleep = NULL;
	xb_sleeps = 0;
	xb_deadline = 0;
	xenbus_set_transport(&fake);
	counted_before = xenbus_requests();
	return 0;
}

int xb_teardown(void **state)
{
	unsigned int unused = nr_replies - next_reply;

	for (unsigned int i = 0; i < nr_replies; i++)
		free(replies[i].value);
	nr_replies = next_reply = 0;
	if (unused)
		fail_msg("%u scripted replies were not asked for", unused);
	assert_false(xb_watch && xb_watch->registered);
	assert_int_equal(xb_live_blocks, 0);
	return 0;
}

/* Sleeping (sched/wait.c): a thread that sleeps runs xb_sleep. */
void sched_timeout_start(struct timer *t, uint64_t deadline)
{
	xb_deadline = deadline;
	deadline_passed = false;
}

bool timer_pending(const struct timer *t)
{
	return !deadline_passed;
}

void timer_stop(struct timer *t)
{
}

void wait_prepare(struct waitq *wq, struct waiter *w)
{
}

void wait_finish(struct waitq *wq, struct waiter *w)
{
}

void wake_up(struct waitq *wq)
{
}

void schedule(void)
{
	xb_sleeps++;
	if (xb_sleeps > 100)
		fail_msg("slept more than 100 times");
	if (!xb_sleep || !xb_sleep())
		deadline_passed = true;
}
