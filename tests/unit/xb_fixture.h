/*
 * The xenbus client's unit-test fixture: what pvguest/xenbus/xenbus.c and
 * state.c need from the rest of pvguest, on the host.
 *
 * A fake transport, installed with xenbus_set_transport() by
 * xb_setup(), keeps every request it is handed (type, transaction id,
 * payload bytes) and answers each from a queue of scripted replies (a
 * value or an error). A request with no reply scripted fails the test,
 * and so does a scripted reply left unused at teardown, so a test's
 * script is the exact list of requests its call sends.
 *
 * The kernel heap is the C heap with a count of live blocks (a test ends
 * with none). xenbus_watch() and xenbus_unwatch() are fakes that only
 * record the watch (xb_watch_fake.c; test_xenbus_watch links the real
 * watch.c with xb_thread.c's threads instead), and a thread that
 * sleeps (schedule()) runs the test's xb_sleep hook instead: it may
 * script the next reply and fire the watch, or let the deadline pass.
 */
#ifndef UNIT_XB_FIXTURE_H
#define UNIT_XB_FIXTURE_H

#include <guest/xenbus.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XB_MAX_REQUESTS 80
#define XB_MAX_REPLIES 80

/* A request the fake transport was handed. */
struct xb_request {
	uint32_t type;
	xenbus_transaction_t tx;
	uint32_t len;
	char payload[XENSTORE_PAYLOAD_MAX];
};

/* The requests seen since xb_setup(), in order. */
extern struct xb_request xb_requests[XB_MAX_REQUESTS];
extern unsigned int xb_nr_requests;

int xb_setup(void **state);
int xb_teardown(void **state);

/* Script the next reply: value (len bytes), or an error (-errno). */
void xb_reply_bytes(const void *value, uint32_t len);
void xb_reply(const char *value); /* its strlen() bytes */
void xb_reply_error(int err);

/* What xenbus_requests() counted since xb_setup(). */
unsigned long xb_counted(void);

/* Fail the test unless request i is type at tx with exactly payload. */
void xb_check_request(unsigned int i, uint32_t type, xenbus_transaction_t tx,
		      const void *payload, uint32_t len);
/* The same with a string literal's bytes, NULs written out ("p\0"). */
#define XB_CHECK(i, type, tx, lit)                                             \
	xb_check_request(i, type, tx, lit, sizeof(lit) - 1)

/* Transports: the fake with watch() and unwatch() (dom0's kind). */
void xb_use_watch_calls(void);
struct xb_watch_call {
	bool add;
	char path[64];
	char token[32];
};
extern struct xb_watch_call xb_watch_calls[8];
extern unsigned int xb_nr_watch_calls;

/* The ring: none installed, and what xenbus_ring_connect() returns. */
extern int xb_ring_connect_rc;
extern unsigned int xb_ring_connects;

/* Kernel heap blocks not yet freed. */
extern long xb_live_blocks;

/* The fake xenbus_watch(): the watch it last registered, and control. */
extern struct xenbus_watch *xb_watch;
extern unsigned int xb_watches, xb_unwatches;
extern int xb_watch_rc;	 /* xenbus_watch() fails with this if set */
extern bool xb_in_watch; /* what xenbus_in_watch() says */
void xb_fire_watch(void);

/*
 * A sleeping thread's world: xb_sleep runs for each schedule() and
 * returns false once the deadline has passed. NULL: it passes at once.
 */
extern bool (*xb_sleep)(void);
extern unsigned int xb_sleeps;
extern uint64_t xb_deadline; /* the last sched_timeout_start()'s */

#endif /* UNIT_XB_FIXTURE_H */
