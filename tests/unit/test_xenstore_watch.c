/*
 * Unit tests for xenstored's watches: the event a new watch fires at
 * once; a change firing the node's and every parent's watches, once;
 * tree removal (the root's watches and its parents', then each removed
 * node's exact watches); relative watches hearing relative paths;
 * events filtered by the watcher's right to read (before or after the
 * change); duplicates, UNWATCH, RESET_WATCHES; and the special watches
 * @introduceDomain and @releaseDomain, with their permissions, shutdown
 * (once until RESUME), release and the removal of a released domain's
 * nodes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xs_fixture.h"
#include <paravane/errno.h>

static void watch(struct xsc *c, const char *path, const char *token,
		  struct xs_seen *seen)
{
	assert_int_equal(xsc_watch(c, path, token, xs_record_event, seen), 0);
	xs_drain_events(c);
	seen->n = 0;
}

static void a_new_watch_fires_at_once(void **state)
{
	struct xs_seen seen = {0};

	assert_int_equal(xsc_watch(dom0, "/nothing/here", "tk", xs_record_event,
				   &seen),
			 0);
	assert_int_equal(xs_drain_events(dom0), 1);
	assert_string_equal(seen.path[0], "/nothing/here");
	assert_string_equal(seen.token[0], "tk");
}

static void a_change_fires_the_node_and_its_parents(void **state)
{
	struct xs_seen root = {0}, a = {0}, ab = {0}, deeper = {0}, other = {0};

	watch(dom0, "/", "root", &root);
	watch(dom0, "/a", "a", &a);
	watch(dom0, "/a/b", "ab", &ab);
	watch(dom0, "/a/b/c", "deeper", &deeper);
	watch(dom0, "/x", "other", &other);
	xs_must_write(dom0, "/a/b", "v");
	xs_drain_events(dom0);
	assert_int_equal(root.n, 1);
	assert_int_equal(a.n, 1);
	assert_int_equal(ab.n, 1);
	assert_string_equal(a.path[0], "/a/b");
	assert_int_equal(deeper.n, 0);
	assert_int_equal(other.n, 0);
}

static void each_change_fires_once(void **state)
{
	struct xs_seen seen = {0};

	watch(dom0, "/w", "t", &seen);
	xs_must_write(dom0, "/w/a", "1");
	xs_must_write(dom0, "/w/b", "1");
	assert_int_equal(xsc_mkdir(dom0, XS_TX_NONE, "/w/a"),
			 0); /* no change */
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(xs_count(&seen, "/w/a"), 1);
	assert_int_equal(xs_count(&seen, "/w/b"), 1);
}

/* The watcher has not read its events meanwhile. */
static void an_identical_waiting_event_is_not_queued_twice(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_seen seen = {0};

	xs_must_write(dom0, "/w", "");
	xs_set_perms_str(dom0, "/w", "r0");
	watch(d1, "/w", "t", &seen);
	xs_must_write(dom0, "/w/a", "1");
	xs_must_write(dom0, "/w/a", "2");
	xs_must_write(dom0, "/w/a", "3");
	xs_must_write(dom0, "/w/b", "1");
	xs_drain_events(d1);
	assert_int_equal(seen.n, 2);
	assert_int_equal(xs_count(&seen, "/w/a"), 1);
}

static void removing_a_tree_fires_its_watches(void **state)
{
	struct xs_seen top = {0}, root = {0}, leaf = {0}, mid = {0};

	xs_must_write(dom0, "/t/a/b/leaf", "");
	watch(dom0, "/t", "top", &top);
	watch(dom0, "/t/a", "root", &root);
	watch(dom0, "/t/a/b", "mid", &mid);
	watch(dom0, "/t/a/b/leaf", "leaf", &leaf);
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/t/a"), 0);
	xs_drain_events(dom0);
	assert_int_equal(top.n, 1);
	assert_string_equal(top.path[0], "/t/a");
	assert_int_equal(root.n, 1);
	assert_int_equal(mid.n, 1);
	assert_string_equal(mid.path[0], "/t/a/b");
	assert_int_equal(leaf.n, 1);
	assert_string_equal(leaf.path[0], "/t/a/b/leaf");
}

static void relative_watches_hear_relative_paths(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_seen seen = {0};

	xs_must_write(dom0, "/local/domain/1/data", "");
	xs_set_perms_str(dom0, "/local/domain/1", "n1");
	xs_set_perms_str(dom0, "/local/domain/1/data", "n1");
	assert_int_equal(xsc_watch(d1, "data", "rel", xs_record_event, &seen),
			 0);
	xs_drain_events(d1);
	assert_string_equal(seen.path[0], "data");
	seen.n = 0;
	xs_must_write(dom0, "/local/domain/1/data/x", "1");
	xs_drain_events(d1);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.path[0], "data/x");
	assert_int_equal(xsc_unwatch(d1, "data", "rel"), 0);
}

static void events_need_the_right_to_read(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_seen seen = {0};

	xs_must_write(dom0, "/priv", "");
	watch(d1, "/priv", "p", &seen);
	xs_must_write(dom0, "/priv/x", "secret");
	xs_drain_events(d1);
	assert_int_equal(seen.n, 0);
	xs_set_perms_str(dom0, "/priv", "n0 r1");
	xs_drain_events(d1); /* the change of permissions: readable now */
	seen.n = 0;
	xs_must_write(dom0, "/priv/y", "readable"); /* inherits r1 */
	xs_drain_events(d1);
	assert_int_equal(seen.n, 1);
}

static void losing_the_right_still_tells_of_the_change(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_seen seen = {0};

	xs_must_write(dom0, "/l", "");
	xs_must_write(dom0, "/l/n", "");
	xs_set_perms_str(dom0, "/l/n", "n0 r1");
	watch(d1, "/l/n", "p", &seen);
	xs_set_perms_str(dom0, "/l/n", "n0");
	xs_drain_events(d1);
	assert_int_equal(seen.n, 1);
	/* And a readable node's removal is heard. */
	xs_set_perms_str(dom0, "/l/n", "n0 r1");
	xs_drain_events(d1);
	seen.n = 0;
	assert_int_equal(xsc_rm(dom0, XS_TX_NONE, "/l/n"), 0);
	xs_drain_events(d1);
	assert_int_equal(seen.n, 1);
}

static void another_connections_change_is_heard(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_seen seen = {0};

	xs_must_write(dom0, "/shared", "");
	xs_set_perms_str(dom0, "/shared", "b0");
	watch(dom0, "/shared", "d", &seen);
	xs_must_write(d1, "/shared/from-d1", "hi");
	assert_int_equal(xsc_events_pending(dom0), 1);
	xs_drain_events(dom0);
	assert_string_equal(seen.path[0], "/shared/from-d1");
}

static void duplicates_unwatch_and_reset(void **state)
{
	struct xs_seen seen = {0};

	watch(dom0, "/u", "t", &seen);
	assert_int_equal(xsc_watch(dom0, "/u", "t", xs_record_event, &seen),
			 -EEXIST);
	watch(dom0, "/u", "t2", &seen);
	assert_int_equal(xsc_unwatch(dom0, "/u", "t"), 0);
	assert_int_equal(xsc_unwatch(dom0, "/u", "t"), -ENOENT);
	xs_must_write(dom0, "/u", "1");
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.token[0], "t2");
	assert_int_equal(
		xsc_call(dom0, XS_RESET_WATCHES, 0, NULL, 0, NULL, NULL), 0);
	seen.n = 0;
	xs_must_write(dom0, "/u", "2");
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 0);
}

static void bad_watch_requests_are_refused(void **state)
{
	struct xsd_conn *c = xsc_conn(dom0);

	xs_expect_error(c, XS_WATCH, "/a", 3, "EINVAL");
	xs_expect_error(c, XS_WATCH, "/a\0t\0x", 7, "EINVAL");
	xs_expect_error(c, XS_WATCH, "a//b\0t", 7, "EINVAL");
	xs_expect_error(c, XS_UNWATCH, "/a\0t", 4, "EINVAL");
}

static void introduce_and_release_fire_special_watches(void **state)
{
	struct xs_seen in = {0}, out = {0};
	bool yes;

	watch(dom0, "@introduceDomain", "in", &in);
	watch(dom0, "@releaseDomain", "out", &out);
	assert_int_equal(xsc_introduce(dom0, 5, 1234, 3), 0);
	assert_int_equal(xsc_is_introduced(dom0, 5, &yes), 0);
	assert_true(yes);
	xs_drain_events(dom0);
	assert_int_equal(in.n, 1);
	assert_string_equal(in.path[0], "@introduceDomain");
	assert_int_equal(out.n, 0);
	assert_int_equal(xsc_release(dom0, 5), 0);
	assert_int_equal(xsc_is_introduced(dom0, 5, &yes), 0);
	assert_false(yes);
	xs_drain_events(dom0);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.path[0], "@releaseDomain");
	assert_int_equal(in.n, 1);
}

static void shutdown_fires_once_until_resume(void **state)
{
	struct xs_seen out = {0};

	watch(dom0, "@releaseDomain", "out", &out);
	assert_int_equal(xsc_introduce(dom0, 6, 1, 1), 0);
	xsd_domain_shutdown(xs_store, 6);
	xsd_domain_shutdown(xs_store, 6);
	xs_drain_events(dom0);
	assert_int_equal(out.n, 1);
	assert_int_equal(xsc_call(dom0, XS_RESUME, 0, "6", 2, NULL, NULL), 0);
	xsd_domain_shutdown(xs_store, 6);
	xs_drain_events(dom0);
	assert_int_equal(out.n, 2);
	assert_int_equal(xsd_domain_gone(xs_store, 6), 0);
	xs_drain_events(dom0);
	assert_int_equal(out.n, 3);
	assert_null(xsd_domain_conn(xs_store, 6));
}

static void special_watches_need_their_permission(void **state)
{
	struct xsc *d1 = xs_domain(1);
	struct xs_seen seen = {0};

	watch(d1, "@releaseDomain", "r", &seen);
	assert_int_equal(xsc_introduce(dom0, 7, 1, 1), 0);
	assert_int_equal(xsc_release(dom0, 7), 0);
	xs_drain_events(d1);
	assert_int_equal(seen.n, 0);
	xs_set_perms_str(dom0, "@releaseDomain", "n0 r1");
	assert_int_equal(xsc_introduce(dom0, 7, 1, 1), 0);
	assert_int_equal(xsc_release(dom0, 7), 0);
	xs_drain_events(d1);
	assert_int_equal(seen.n, 1);
	/* Only dom0 (the owner) may change the list. */
	assert_int_equal(xsc_call(d1, XS_SET_PERMS, 0, "@releaseDomain\0b1", 18,
				  NULL, NULL),
			 -EACCES);
}

static void release_removes_what_the_domain_owned(void **state)
{
	struct xs_seen seen = {0};
	struct xsc *ring;
	char *s;

	assert_int_equal(xsc_introduce(dom0, 8, 1, 1), 0);
	xs_must_write(dom0, "/local/domain/8/name", "guest");
	xs_set_perms_str(dom0, "/local/domain/8", "n0 r8");
	xs_must_write(dom0, "/local/domain/8/data", "");
	xs_set_perms_str(dom0, "/local/domain/8/data", "n8");
	xs_must_write(dom0, "/backend/x", "");
	xs_set_perms_str(dom0, "/backend/x", "n0 r8 b9");
	ring = xs_domain(8); /* as the domain writes */
	xs_must_write(ring, "/local/domain/8/data/own", "mine");
	watch(dom0, "/local/domain/8/data/own", "w", &seen);
	assert_int_equal(xsc_release(dom0, 8), 0);
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 1);
	s = xs_must_read(dom0, "/local/domain/8/name");
	xsd_free(s);
	assert_int_equal(xsc_read(dom0, 0, "/local/domain/8/data", &s, NULL),
			 -ENOENT);
	s = xs_perms_str(dom0, "/backend/x");
	assert_string_equal(s, "n0 b9");
	free(s);
	s = xs_perms_str(dom0, "/local/domain/8");
	assert_string_equal(s, "n0");
	free(s);
}

static void watch_ignores_the_transaction_id(void **state)
{
	struct xs_reply r;

	xs_send(xsc_conn(dom0), XS_WATCH, 3, 999, "/q\0t", 5);
	assert_true(xs_recv(xsc_conn(dom0), &r));
	assert_int_equal(r.hdr.type, XS_WATCH);
	assert_string_equal(r.body, "OK");
	assert_true(xs_recv(xsc_conn(dom0), &r));
	assert_int_equal(r.hdr.type, XS_WATCH_EVENT);
	assert_int_equal(r.hdr.req_id, 0);
	assert_int_equal(r.hdr.tx_id, 0);
	assert_memory_equal(r.body, "/q\0t", 5);
}

#define T(f) cmocka_unit_test_setup_teardown(f, xs_setup, xs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_new_watch_fires_at_once),
		T(a_change_fires_the_node_and_its_parents),
		T(each_change_fires_once),
		T(an_identical_waiting_event_is_not_queued_twice),
		T(removing_a_tree_fires_its_watches),
		T(relative_watches_hear_relative_paths),
		T(events_need_the_right_to_read),
		T(losing_the_right_still_tells_of_the_change),
		T(another_connections_change_is_heard),
		T(duplicates_unwatch_and_reset),
		T(bad_watch_requests_are_refused),
		T(introduce_and_release_fire_special_watches),
		T(shutdown_fires_once_until_resume),
		T(special_watches_need_their_permission),
		T(release_removes_what_the_domain_owned),
		T(watch_ignores_the_transaction_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
