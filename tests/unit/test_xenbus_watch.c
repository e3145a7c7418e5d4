/*
 * Unit tests for pvguest's xenstore watches (pvguest/xenbus/watch.c)
 * over the fixture's scripted transport, with xenwatch's loop run one
 * step at a time by the test: each watch gets a token of its own that
 * is never used again, and XS_WATCH and XS_UNWATCH carry its path and
 * token (or the transport's own watch calls do); events reach their
 * watch's function in order, with the path that changed, on xenwatch;
 * events for a token unknown or unwatched are dropped, and so are those
 * beyond the queue's limit, counted; a watch still registered, or with
 * a path too long, is refused before anything is sent; a registration
 * that fails leaves nothing behind, and one that timed out is taken
 * back with an unwatch; a function may unwatch itself.
 *
 * watch.c's state lives for the whole program: xenwatch starts once,
 * with the first watch, so the test that stops it starting runs first,
 * and each test leaves no watch registered and the queue empty.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h> /* before xs_wire.h: its xsd_errors[] needs it */

#include <cmocka.h>

#include "xb_fixture.h"
#include "xb_thread.h"
#include <guest/heap.h>

#include "../../pvguest/xenbus/xenbus.h"

#define MAX_SEEN 16

/* What the watch functions were called with, in order. */
struct seen {
	struct xenbus_watch *w;
	char path[64];
	bool in_watch;
};
static struct seen seen[MAX_SEEN];
static unsigned int nr_seen, nr_calls;

static void record(struct xenbus_watch *w, const char *path)
{
	nr_calls++;
	if (nr_seen >= MAX_SEEN)
		return;
	seen[nr_seen].w = w;
	snprintf(seen[nr_seen].path, sizeof(seen[nr_seen].path), "%s", path);
	seen[nr_seen].in_watch = xenbus_in_watch();
	nr_seen++;
}

static int watch_setup(void **state)
{
	nr_seen = nr_calls = 0;
	xb_set_current(&xb_test_thread);
	return xb_setup(state);
}

/* Nothing may be left queued for the next test. */
static int watch_teardown(void **state)
{
	assert_false(xb_run_xenwatch());
	return xb_teardown(state);
}

/* Fail unless request i is type, on no transaction, for path and token. */
static void check_watch_request(unsigned int i, uint32_t type, const char *path,
				const char *token)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;

	assert_true(plen + tlen <= sizeof(buf));
	memcpy(buf, path, plen);
	memcpy(buf + plen, token, tlen);
	xb_check_request(i, type, XBT_NIL, buf, (uint32_t)(plen + tlen));
}

/* Register w at path with record() and xenstored's "OK". */
static void watch(struct xenbus_watch *w, const char *path)
{
	unsigned int i = xb_nr_requests;

	xb_reply("OK");
	assert_int_equal(xenbus_watch(w, path, record, w), 0);
	assert_true(w->registered);
	assert_string_equal(w->path, path);
	check_watch_request(i, XS_WATCH, path, w->token);
}

static void unwatch(struct xenbus_watch *w)
{
	unsigned int i = xb_nr_requests;
	char path[64], token[sizeof(w->token)];

	snprintf(path, sizeof(path), "%s", w->path);
	snprintf(token, sizeof(token), "%s", w->token);
	xb_reply("OK");
	assert_int_equal(xenbus_unwatch(w), 0);
	assert_false(w->registered);
	assert_null(w->path);
	check_watch_request(i, XS_UNWATCH, path, token);
}

/* Starting xenwatch. */

static void no_watch_without_xenwatch(void **state)
{
	struct xenbus_watch w = {0};

	assert_null(xb_created);
	xb_thread_create_fails = true;
	assert_int_equal(xenbus_watch(&w, "a", record, NULL), -ENOMEM);
	xb_thread_create_fails = false;
	assert_false(w.registered);
	assert_null(w.path);
	assert_int_equal(xb_nr_requests, 0);
}

static void xenwatch_starts_once(void **state)
{
	unsigned int before = xb_threads_created;
	struct xenbus_watch a = {0}, b = {0};

	watch(&a, "a");
	assert_int_equal(xb_threads_created, before + 1);
	assert_non_null(xb_created);
	assert_string_equal(xb_created->name, "xenwatch");
	watch(&b, "b");
	unwatch(&a);
	unwatch(&b);
	assert_int_equal(xb_threads_created, before + 1);
}

/* Tokens. */

static void tokens_are_unique_and_never_reused(void **state)
{
	struct xenbus_watch a = {0}, b = {0};
	char first[sizeof(a.token)];

	watch(&a, "/local/domain/0/x");
	watch(&b, "/local/domain/0/x");
	assert_string_not_equal(a.token, b.token);
	assert_memory_equal(a.token, "xb", 2);
	snprintf(first, sizeof(first), "%s", a.token);
	unwatch(&a);
	watch(&a, "/local/domain/0/x");
	assert_string_not_equal(a.token, first);
	assert_string_not_equal(a.token, b.token);
	/* A refused registration's token is not handed out again either. */
	unwatch(&a);
	xb_reply_error(-EACCES);
	assert_int_equal(xenbus_watch(&a, "p", record, NULL), -EACCES);
	snprintf(first, sizeof(first), "%s", a.token);
	watch(&a, "p");
	assert_string_not_equal(a.token, first);
	unwatch(&a);
	unwatch(&b);
}

/* Events. */

static void an_event_reaches_its_watch_with_the_path(void **state)
{
	struct xenbus_watch w = {0};

	watch(&w, "device/vif");
	xenbus_watch_event("device/vif/0/state", w.token);
	assert_int_equal(nr_calls, 0); /* only queued */
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 1);
	assert_ptr_equal(seen[0].w, &w);
	assert_ptr_equal(w.arg, &w);
	assert_string_equal(seen[0].path, "device/vif/0/state");
	assert_true(seen[0].in_watch);
	assert_false(xenbus_in_watch());
	unwatch(&w);
}

static void an_empty_queue_runs_nothing(void **state)
{
	assert_false(xb_run_xenwatch());
	assert_int_equal(nr_calls, 0);
}

static void events_for_an_unknown_token_are_dropped(void **state)
{
	struct xenbus_watch w = {0};

	watch(&w, "a");
	xenbus_watch_event("a", "xb0");
	xenbus_watch_event("a", "nosuch");
	xenbus_watch_event("a", "");
	assert_true(xb_run_xenwatch());
	assert_true(xb_run_xenwatch());
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 0);
	unwatch(&w);
}

static void events_for_an_unwatched_watch_are_dropped(void **state)
{
	struct xenbus_watch w = {0};

	watch(&w, "a");
	xenbus_watch_event("a/b", w.token);
	unwatch(&w);
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 0);
}

static void events_run_in_order(void **state)
{
	struct xenbus_watch a = {0}, b = {0};

	watch(&a, "a");
	watch(&b, "b");
	xenbus_watch_event("a/1", a.token);
	xenbus_watch_event("b/1", b.token);
	xenbus_watch_event("a/2", a.token);
	xenbus_watch_event("b/2", b.token);
	while (xb_run_xenwatch())
		;
	assert_int_equal(nr_calls, 4);
	assert_ptr_equal(seen[0].w, &a);
	assert_string_equal(seen[0].path, "a/1");
	assert_ptr_equal(seen[1].w, &b);
	assert_string_equal(seen[1].path, "b/1");
	assert_ptr_equal(seen[2].w, &a);
	assert_string_equal(seen[2].path, "a/2");
	assert_ptr_equal(seen[3].w, &b);
	assert_string_equal(seen[3].path, "b/2");
	unwatch(&a);
	unwatch(&b);
}

static void the_queue_drops_beyond_its_limit_and_counts(void **state)
{
	struct xenbus_watch w = {0};
	unsigned long dropped = xenbus_watch_dropped();
	unsigned int printks = xb_printks;

	watch(&w, "a");
	for (unsigned int i = 0; i < XENBUS_MAX_QUEUED; i++)
		xenbus_watch_event("a", w.token);
	assert_int_equal(xenbus_watch_dropped(), dropped);
	for (unsigned int i = 0; i < 3; i++)
		xenbus_watch_event("a/late", w.token);
	assert_int_equal(xenbus_watch_dropped(), dropped + 3);
	/* Said once, for the first drop. */
	assert_int_equal(xb_printks, printks + 1);
	assert_non_null(strstr(xb_last_printk, "dropped"));
	while (xb_run_xenwatch())
		;
	assert_int_equal(nr_calls, XENBUS_MAX_QUEUED);
	for (unsigned int i = 0; i < nr_seen; i++)
		assert_string_equal(seen[i].path, "a");
	/* Room again. */
	xenbus_watch_event("a/again", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, XENBUS_MAX_QUEUED + 1);
	assert_int_equal(xenbus_watch_dropped(), dropped + 3);
	unwatch(&w);
}

/* Registering. */

static void a_registered_watch_is_refused(void **state)
{
	struct xenbus_watch w = {0};
	char token[sizeof(w.token)];

	watch(&w, "a");
	snprintf(token, sizeof(token), "%s", w.token);
	assert_int_equal(xenbus_watch(&w, "b", record, NULL), -EBUSY);
	assert_int_equal(xb_nr_requests, 1);
	assert_true(w.registered);
	assert_string_equal(w.path, "a");
	assert_string_equal(w.token, token);
	/* Still listed once: one event, one call. */
	xenbus_watch_event("a", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 1);
	unwatch(&w);
}

static void an_over_long_path_is_refused(void **state)
{
	struct xenbus_watch w = {0};
	char *path = malloc(XENBUS_PATH_MAX + 1);

	assert_non_null(path);
	memset(path, 'p', XENBUS_PATH_MAX);
	path[XENBUS_PATH_MAX] = '\0';
	assert_int_equal(xenbus_watch(&w, path, record, NULL), -E2BIG);
	assert_int_equal(xb_nr_requests, 0);
	assert_false(w.registered);
	assert_null(w.path);
	/* The longest path that fits is sent whole. */
	path[XENBUS_PATH_MAX - 1] = '\0';
	xb_reply("OK");
	assert_int_equal(xenbus_watch(&w, path, record, NULL), 0);
	check_watch_request(0, XS_WATCH, path, w.token);
	free(path);
	xb_reply("OK");
	assert_int_equal(xenbus_unwatch(&w), 0);
}

static void a_failed_registration_leaves_nothing(void **state)
{
	struct xenbus_watch w = {0};
	long blocks = xb_live_blocks;

	xb_reply_error(-EACCES);
	assert_int_equal(xenbus_watch(&w, "/secret", record, NULL), -EACCES);
	assert_int_equal(xb_nr_requests, 1); /* no unwatch */
	check_watch_request(0, XS_WATCH, "/secret", w.token);
	assert_false(w.registered);
	assert_null(w.path);
	assert_int_equal(xb_live_blocks, blocks);
	assert_int_equal(xb_sleeps, 0);
	/* Unlisted: an event for its token is dropped. */
	xenbus_watch_event("/secret", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 0);
	/* Not registered, so it may be used again. */
	assert_int_equal(xenbus_unwatch(&w), -ENOENT);
	watch(&w, "/open");
	unwatch(&w);
}

static void a_timed_out_registration_is_taken_back(void **state)
{
	struct xenbus_watch w = {0};

	xb_reply_error(-ETIMEDOUT);
	xb_reply("OK");
	assert_int_equal(xenbus_watch(&w, "/slow", record, NULL), -ETIMEDOUT);
	assert_int_equal(xb_nr_requests, 2);
	check_watch_request(0, XS_WATCH, "/slow", w.token);
	check_watch_request(1, XS_UNWATCH, "/slow", w.token);
	assert_false(w.registered);
	assert_null(w.path);
	/* Its late event finds no watch. */
	xenbus_watch_event("/slow", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 0);
}

static void a_timed_out_unwatch_is_best_effort(void **state)
{
	struct xenbus_watch w = {0};

	xb_reply_error(-ETIMEDOUT);
	xb_reply_error(-ETIMEDOUT);
	assert_int_equal(xenbus_watch(&w, "/slow", record, NULL), -ETIMEDOUT);
	assert_int_equal(xb_nr_requests, 2);
	assert_false(w.registered);
	assert_null(w.path);
}

/* Unwatching. */

static void unwatch_sends_the_path_and_token(void **state)
{
	struct xenbus_watch w = {0};

	watch(&w, "/local/domain/3/device");
	unwatch(&w); /* checks XS_UNWATCH's payload */
	assert_int_equal(xb_nr_requests, 2);
	assert_int_equal(xenbus_unwatch(&w), -ENOENT);
	assert_int_equal(xb_nr_requests, 2);
}

static void unwatch_passes_an_error_on_and_still_unlists(void **state)
{
	struct xenbus_watch w = {0};

	watch(&w, "a");
	xb_reply_error(-ENOENT);
	assert_int_equal(xenbus_unwatch(&w), -ENOENT);
	check_watch_request(1, XS_UNWATCH, "a", w.token);
	assert_false(w.registered);
	assert_null(w.path);
	xenbus_watch_event("a", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(nr_calls, 0);
}

static void the_transport_s_own_watch_calls_are_used(void **state)
{
	struct xenbus_watch w = {0};

	xb_use_watch_calls();
	assert_int_equal(xenbus_watch(&w, "/dom0/x", record, NULL), 0);
	assert_int_equal(xenbus_unwatch(&w), 0);
	assert_int_equal(xb_nr_requests, 0);
	assert_int_equal(xb_nr_watch_calls, 2);
	assert_true(xb_watch_calls[0].add);
	assert_string_equal(xb_watch_calls[0].path, "/dom0/x");
	assert_string_equal(xb_watch_calls[0].token, w.token);
	assert_false(xb_watch_calls[1].add);
	assert_string_equal(xb_watch_calls[1].path, "/dom0/x");
	assert_string_equal(xb_watch_calls[1].token, w.token);
}

/* A function that unwatches its own watch, from xenwatch. */
static void unwatch_self(struct xenbus_watch *w, const char *path)
{
	record(w, path);
	xb_reply("OK");
	assert_int_equal(xenbus_unwatch(w), 0);
}

static void a_function_may_unwatch_itself(void **state)
{
	struct xenbus_watch w = {0};

	xb_reply("OK");
	assert_int_equal(xenbus_watch(&w, "a", unwatch_self, NULL), 0);
	xenbus_watch_event("a", w.token);
	xenbus_watch_event("a", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(xb_sleeps, 0); /* did not wait for itself */
	assert_false(w.registered);
	assert_true(xb_run_xenwatch()); /* the second event finds none */
	assert_int_equal(nr_calls, 1);
	check_watch_request(1, XS_UNWATCH, "a", w.token);
}

static struct xenbus_watch other;

/* A function that, seen from another thread, unwatches another watch. */
static void unwatch_other(struct xenbus_watch *w, const char *path)
{
	record(w, path);
	xb_set_current(&xb_test_thread);
	xb_reply("OK");
	assert_int_equal(xenbus_unwatch(&other), 0);
}

static void unwatching_another_watch_does_not_wait(void **state)
{
	struct xenbus_watch w = {0};

	xb_reply("OK");
	assert_int_equal(xenbus_watch(&w, "a", unwatch_other, NULL), 0);
	watch(&other, "b");
	xenbus_watch_event("a", w.token);
	assert_true(xb_run_xenwatch());
	assert_int_equal(xb_sleeps, 0);
	assert_false(other.registered);
	unwatch(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, watch_setup, watch_teardown)
		T(no_watch_without_xenwatch), /* first: xenwatch not started */
		T(xenwatch_starts_once),
		T(tokens_are_unique_and_never_reused),
		T(an_event_reaches_its_watch_with_the_path),
		T(an_empty_queue_runs_nothing),
		T(events_for_an_unknown_token_are_dropped),
		T(events_for_an_unwatched_watch_are_dropped),
		T(events_run_in_order),
		T(the_queue_drops_beyond_its_limit_and_counts),
		T(a_registered_watch_is_refused),
		T(an_over_long_path_is_refused),
		T(a_failed_registration_leaves_nothing),
		T(a_timed_out_registration_is_taken_back),
		T(a_timed_out_unwatch_is_best_effort),
		T(unwatch_sends_the_path_and_token),
		T(unwatch_passes_an_error_on_and_still_unlists),
		T(the_transport_s_own_watch_calls_are_used),
		T(a_function_may_unwatch_itself),
		T(unwatching_another_watch_does_not_wait),
#undef T
	};

	return cmocka_run_group_tests(tests, xb_thread_setup, NULL);
}
