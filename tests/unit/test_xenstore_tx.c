/*
 * Unit tests for xenstored's transactions: isolation (a transaction
 * sees its own changes, nobody else does until it commits), commit and
 * abandon, Xen's conflict cases (a path read and then written, deleted
 * or created by someone else: EAGAIN; two interfering transactions: the
 * second to end fails), no conflict between unrelated paths, the
 * transaction gone after END either way, protocol errors (nesting,
 * unknown ids, bad END argument), and watch events fired on commit
 * only, once per changed path.
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

static xs_tx_t start(struct xsc *c)
{
	xs_tx_t tx = 0;

	assert_int_equal(xsc_transaction_start(c, &tx), 0);
	assert_int_not_equal(tx, 0);
	return tx;
}

static int tx_read(struct xsc *c, xs_tx_t tx, const char *path,
		   const char *want)
{
	char *v = NULL;
	int rc = xsc_read(c, tx, path, &v, NULL);

	if (!rc && want)
		assert_string_equal(v, want);
	xsd_free(v);
	return rc;
}

static int tx_write(struct xsc *c, xs_tx_t tx, const char *path,
		    const char *value)
{
	return xsc_write_str(c, tx, path, value);
}

static void a_transaction_sees_its_changes_alone(void **state)
{
	xs_tx_t tx;

	xs_must_write(dom0, "/a", "old");
	tx = start(dom0);
	assert_int_equal(tx_write(dom0, tx, "/a", "new"), 0);
	assert_int_equal(tx_write(dom0, tx, "/b/c", "made"), 0);
	assert_int_equal(tx_read(dom0, tx, "/a", "new"), 0);
	assert_int_equal(tx_read(dom0, tx, "/b/c", "made"), 0);
	assert_int_equal(tx_read(dom0, 0, "/a", "old"), 0);
	assert_int_equal(tx_read(dom0, 0, "/b/c", NULL), -ENOENT);
	assert_int_equal(xsc_transaction_end(dom0, tx, true), 0);
	assert_int_equal(tx_read(dom0, 0, "/a", "new"), 0);
	assert_int_equal(tx_read(dom0, 0, "/b/c", "made"), 0);
}

static void an_abandoned_transaction_changes_nothing(void **state)
{
	xs_tx_t tx;

	xs_must_write(dom0, "/a", "old");
	tx = start(dom0);
	assert_int_equal(tx_write(dom0, tx, "/a", "new"), 0);
	assert_int_equal(xsc_rm(dom0, tx, "/tool"), 0);
	assert_int_equal(xsc_transaction_end(dom0, tx, false), 0);
	assert_int_equal(tx_read(dom0, 0, "/a", "old"), 0);
	assert_int_equal(tx_read(dom0, 0, "/tool/xenstored", ""), 0);
}

/* Xen's example 2: A read in T1, written outside; T1 fails. */
static void a_read_then_written_outside_conflicts(void **state)
{
	xs_tx_t tx;

	xs_must_write(dom0, "/A", "1");
	xs_must_write(dom0, "/B", "1");
	tx = start(dom0);
	assert_int_equal(tx_read(dom0, tx, "/A", "1"), 0);
	xs_must_write(dom0, "/A", "2");
	assert_int_equal(tx_write(dom0, tx, "/B", "from-tx"), 0);
	assert_int_equal(xsc_transaction_end(dom0, tx, true), -EAGAIN);
	assert_int_equal(tx_read(dom0, 0, "/B", "1"), 0);
	/* It is gone: ending it again names no transaction. */
	assert_int_equal(xsc_transaction_end(dom0, tx, true), -ENOENT);
}

/* Xen's example 3: A deleted outside. */
static void a_read_then_deleted_outside_conflicts(void **state)
{
	xs_tx_t tx;

	xs_must_write(dom0, "/A", "1");
	tx = start(dom0);
	assert_int_equal(tx_read(dom0, tx, "/A", "1"), 0);
	assert_int_equal(xsc_rm(dom0, 0, "/A"), 0);
	assert_int_equal(tx_write(dom0, tx, "/B", "x"), 0);
	assert_int_equal(xsc_transaction_end(dom0, tx, true), -EAGAIN);
}

static void a_missing_path_created_outside_conflicts(void **state)
{
	xs_tx_t tx = start(dom0);

	assert_int_equal(tx_read(dom0, tx, "/X", NULL), -ENOENT);
	xs_must_write(dom0, "/X", "now");
	assert_int_equal(xsc_transaction_end(dom0, tx, true), -EAGAIN);
}

/* Xen's example 4: each reads what the other writes. */
static void of_two_interfering_transactions_the_second_fails(void **state)
{
	struct xsc *d1 = xs_domain(1);
	xs_tx_t t1, t2;

	xs_must_write(dom0, "/A", "a");
	xs_must_write(dom0, "/B", "b");
	xs_set_perms_str(dom0, "/A", "b0");
	xs_set_perms_str(dom0, "/B", "b0");
	t1 = start(dom0);
	t2 = start(d1);
	assert_int_equal(tx_read(dom0, t1, "/A", "a"), 0);
	assert_int_equal(tx_read(d1, t2, "/B", "b"), 0);
	assert_int_equal(tx_write(dom0, t1, "/B", "1"), 0);
	assert_int_equal(tx_write(d1, t2, "/A", "2"), 0);
	assert_int_equal(xsc_transaction_end(dom0, t1, true), 0);
	assert_int_equal(xsc_transaction_end(d1, t2, true), -EAGAIN);
	assert_int_equal(tx_read(dom0, 0, "/A", "a"), 0);
	assert_int_equal(tx_read(dom0, 0, "/B", "1"), 0);
}

static void unrelated_changes_do_not_conflict(void **state)
{
	xs_tx_t tx;

	xs_must_write(dom0, "/mine/x", "1");
	xs_must_write(dom0, "/theirs/y", "1");
	tx = start(dom0);
	assert_int_equal(tx_read(dom0, tx, "/mine/x", "1"), 0);
	assert_int_equal(tx_write(dom0, tx, "/mine/x", "2"), 0);
	xs_must_write(dom0, "/theirs/y", "2");
	xs_must_write(dom0, "/theirs/z", "new");
	assert_int_equal(xsc_transaction_end(dom0, tx, true), 0);
	assert_int_equal(tx_read(dom0, 0, "/mine/x", "2"), 0);
}

/* A new child changes its parent's record: siblings conflict, as on Xen. */
static void new_siblings_conflict(void **state)
{
	xs_tx_t tx;

	xs_must_write(dom0, "/d", "");
	tx = start(dom0);
	assert_int_equal(tx_write(dom0, tx, "/d/a", "1"), 0);
	xs_must_write(dom0, "/d/b", "2");
	assert_int_equal(xsc_transaction_end(dom0, tx, true), -EAGAIN);
}

static void rm_and_directory_inside_a_transaction(void **state)
{
	char *names;
	unsigned int n;
	xs_tx_t tx;

	xs_must_write(dom0, "/t/a/deep", "");
	xs_must_write(dom0, "/t/b", "");
	tx = start(dom0);
	assert_int_equal(xsc_rm(dom0, tx, "/t/a"), 0);
	assert_int_equal(xsc_mkdir(dom0, tx, "/t/c"), 0);
	assert_int_equal(xsc_directory(dom0, tx, "/t", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names, "b");
	assert_string_equal(names + 2, "c");
	xsd_free(names);
	assert_int_equal(tx_read(dom0, tx, "/t/a/deep", NULL), -ENOENT);
	assert_int_equal(tx_read(dom0, 0, "/t/a/deep", ""), 0);
	assert_int_equal(xsc_transaction_end(dom0, tx, true), 0);
	assert_int_equal(tx_read(dom0, 0, "/t/a/deep", NULL), -ENOENT);
	assert_int_equal(tx_read(dom0, 0, "/t/a", NULL), -ENOENT);
	assert_int_equal(tx_read(dom0, 0, "/t/c", ""), 0);
}

static void set_perms_inside_a_transaction(void **state)
{
	xs_tx_t tx;
	struct xs_perm p[2] = {{0, XS_PERM_NONE}, {4, XS_PERM_READ}};
	char *s;

	xs_must_write(dom0, "/sp", "");
	tx = start(dom0);
	assert_int_equal(xsc_set_perms(dom0, tx, "/sp", p, 2), 0);
	s = xs_perms_str(dom0, "/sp");
	assert_string_equal(s, "n0");
	free(s);
	assert_int_equal(xsc_transaction_end(dom0, tx, true), 0);
	s = xs_perms_str(dom0, "/sp");
	assert_string_equal(s, "n0 r4");
	free(s);
}

static void nesting_is_ebusy(void **state)
{
	xs_tx_t tx = start(dom0);
	struct xs_reply r;

	xs_send(xsc_conn(dom0), XS_TRANSACTION_START, 9, tx, "", 1);
	assert_true(xs_recv(xsc_conn(dom0), &r));
	assert_int_equal(r.hdr.type, XS_ERROR);
	assert_string_equal(r.body, "EBUSY");
	assert_int_equal(r.hdr.tx_id, tx);
}

static void unknown_ids_and_bad_ends_are_refused(void **state)
{
	xs_tx_t tx = start(dom0);
	struct xs_reply r;

	assert_int_equal(tx_read(dom0, tx + 100, "/tool", NULL), -ENOENT);
	assert_int_equal(xsc_transaction_end(dom0, 0, true), -ENOENT);
	xs_send(xsc_conn(dom0), XS_TRANSACTION_END, 5, tx, "X", 2);
	assert_true(xs_recv(xsc_conn(dom0), &r));
	assert_string_equal(r.body, "EINVAL");
	xs_send(xsc_conn(dom0), XS_TRANSACTION_END, 5, tx, "T", 1);
	assert_true(xs_recv(xsc_conn(dom0), &r));
	assert_string_equal(r.body, "EINVAL");
	/* Still open after the refused ENDs. */
	assert_int_equal(xsc_transaction_end(dom0, tx, false), 0);
}

static void concurrent_transactions_have_their_own_ids(void **state)
{
	xs_tx_t a, b;

	xs_must_write(dom0, "/ta", "");
	xs_must_write(dom0, "/tb", "");
	a = start(dom0);
	b = start(dom0);
	assert_int_not_equal(a, b);
	assert_int_equal(tx_write(dom0, a, "/ta", "a"), 0);
	assert_int_equal(tx_write(dom0, b, "/tb", "b"), 0);
	assert_int_equal(tx_read(dom0, 0, "/ta", ""), 0);
	assert_int_equal(xsc_transaction_end(dom0, b, true), 0);
	assert_int_equal(xsc_transaction_end(dom0, a, true), 0);
	/* Left open, they go with the connection (no leak at teardown). */
	start(dom0);
	start(xs_domain(3));
}

static void watches_fire_on_commit_once_per_path(void **state)
{
	struct xs_seen seen = {0};
	xs_tx_t tx;

	xs_must_write(dom0, "/w", "");
	assert_int_equal(xsc_watch(dom0, "/w", "tok", xs_record_event, &seen),
			 0);
	xs_drain_events(dom0);
	seen.n = 0;
	tx = start(dom0);
	assert_int_equal(tx_write(dom0, tx, "/w/x", "1"), 0);
	assert_int_equal(tx_write(dom0, tx, "/w/x", "2"), 0);
	assert_int_equal(tx_write(dom0, tx, "/w/x", "3"), 0);
	assert_int_equal(tx_write(dom0, tx, "/w/y", "1"), 0);
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 0); /* nothing before the commit */
	assert_int_equal(xsc_transaction_end(dom0, tx, true), 0);
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(xs_count(&seen, "/w/x"), 1);
	assert_int_equal(xs_count(&seen, "/w/y"), 1);
}

static void abandoned_or_failed_transactions_fire_nothing(void **state)
{
	struct xs_seen seen = {0};
	xs_tx_t tx;

	xs_must_write(dom0, "/w", "");
	assert_int_equal(xsc_watch(dom0, "/w/x", "t", xs_record_event, &seen),
			 0);
	xs_drain_events(dom0);
	seen.n = 0;
	tx = start(dom0);
	assert_int_equal(tx_write(dom0, tx, "/w/x", "1"), 0);
	assert_int_equal(xsc_transaction_end(dom0, tx, false), 0);
	tx = start(dom0);
	assert_int_equal(tx_read(dom0, tx, "/w", ""), 0);
	xs_must_write(dom0, "/w", "changed"); /* no event: not under /w/x */
	assert_int_equal(tx_write(dom0, tx, "/w/x", "2"), 0);
	assert_int_equal(xsc_transaction_end(dom0, tx, true), -EAGAIN);
	xs_drain_events(dom0);
	assert_int_equal(seen.n, 0);
}

static void directory_part_generation_changes_with_the_node(void **state)
{
	static const char req[] = "/g\0"
				  "0";
	char *r1, *r2;
	uint32_t l1, l2;

	xs_must_write(dom0, "/g/a", "");
	assert_int_equal(xsc_call(dom0, XS_DIRECTORY_PART, 0, req, sizeof(req),
				  &r1, &l1),
			 0);
	xs_must_write(dom0, "/g/b", "");
	assert_int_equal(xsc_call(dom0, XS_DIRECTORY_PART, 0, req, sizeof(req),
				  &r2, &l2),
			 0);
	assert_string_not_equal(r1, r2);
	assert_string_equal(r2 + strlen(r2) + 1, "a");
	xsd_free(r1);
	xsd_free(r2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, xs_setup, xs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_transaction_sees_its_changes_alone),
		T(an_abandoned_transaction_changes_nothing),
		T(a_read_then_written_outside_conflicts),
		T(a_read_then_deleted_outside_conflicts),
		T(a_missing_path_created_outside_conflicts),
		T(of_two_interfering_transactions_the_second_fails),
		T(unrelated_changes_do_not_conflict),
		T(new_siblings_conflict),
		T(rm_and_directory_inside_a_transaction),
		T(set_perms_inside_a_transaction),
		T(nesting_is_ebusy),
		T(unknown_ids_and_bad_ends_are_refused),
		T(concurrent_transactions_have_their_own_ids),
		T(watches_fire_on_commit_once_per_path),
		T(abandoned_or_failed_transactions_fire_nothing),
		T(directory_part_generation_changes_with_the_node),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
