/*
 * Unit tests for xenstored's quotas, Xen 4.17's defaults, for
 * unprivileged domains (dom0 has none): 1000 nodes a domain owns, 128
 * watches, 10 open transactions, 2048 bytes a node record, 5 permission
 * entries, 1024 nodes a transaction touches (ENOSPC, or E2BIG for
 * watches, as on Xen), replies a client leaves unread holding back its
 * requests, and watch events beyond its queue's limit dropped.
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

/* Domain 1 with its home, which it may write (owned by dom0). */
static struct xsc *domain1(void)
{
	struct xsc *d1 = xs_domain(1);

	xs_must_write(dom0, "/local/domain/1", "");
	xs_set_perms_str(dom0, "/local/domain/1", "n0 b1");
	return d1;
}

static int write_n(struct xsc *c, const char *fmt, int i)
{
	char path[64];

	snprintf(path, sizeof(path), fmt, i);
	return xsc_write_str(c, XS_TX_NONE, path, "");
}

/*
 * Make domain 1 own count nodes: directories d0.. of 100 (a directory's
 * record holds its children's names, so no list grows past 2048 bytes).
 */
static void fill(struct xsc *d1, int count)
{
	char path[32];

	for (int i = 0; i < count; i++) {
		if (i % 100 == 0)
			snprintf(path, sizeof(path), "d%d", i / 100);
		else
			snprintf(path, sizeof(path), "d%d/n%d", i / 100,
				 i % 100);
		assert_int_equal(xsc_write_str(d1, XS_TX_NONE, path, ""), 0);
	}
}

static void a_domain_owns_at_most_1000_nodes(void **state)
{
	struct xsc *d1 = domain1();

	fill(d1, 1000);
	assert_int_equal(write_n(d1, "x%d", 0), -ENOSPC);
	/* Nothing half made: two missing levels, one slot. */
	assert_int_equal(xsc_rm(d1, XS_TX_NONE, "d0/n1"), 0);
	assert_int_equal(write_n(d1, "deep/n%d", 0), -ENOSPC);
	assert_int_equal(xsc_read(d1, XS_TX_NONE, "deep", NULL, NULL), -ENOENT);
	assert_int_equal(write_n(d1, "x%d", 0), 0);
	/* Changing a node it owns is no new node. */
	assert_int_equal(write_n(d1, "x%d", 0), 0);
}

static void the_node_quota_holds_in_transactions(void **state)
{
	struct xsc *d1 = domain1();
	xs_tx_t tx;

	xs_must_write(dom0, "/local/domain/1/other", "");
	xs_set_perms_str(dom0, "/local/domain/1/other", "n0 b1");
	fill(d1, 998);
	assert_int_equal(xsc_transaction_start(d1, &tx), 0);
	assert_int_equal(xsc_write_str(d1, tx, "t1", ""), 0);
	assert_int_equal(xsc_write_str(d1, tx, "t2", ""), 0);
	assert_int_equal(xsc_write_str(d1, tx, "t3", ""), -ENOSPC);
	/*
	 * Meanwhile it makes one outside, somewhere the transaction did
	 * not look (no conflict): the commit would go over the quota.
	 */
	assert_int_equal(write_n(d1, "other/n%d", 0), 0);
	assert_int_equal(xsc_transaction_end(d1, tx, true), -ENOSPC);
	assert_int_equal(xsc_read(d1, XS_TX_NONE, "t1", NULL, NULL), -ENOENT);
}

static void dom0_has_no_node_quota(void **state)
{
	for (int i = 0; i < 1500; i++)
		assert_int_equal(write_n(dom0, "/many/n%d", i), 0);
}

static void at_most_128_watches(void **state)
{
	struct xsc *d1 = domain1();
	char token[16];

	for (int i = 0; i < 128; i++) {
		snprintf(token, sizeof(token), "t%d", i);
		assert_int_equal(xsc_watch(d1, "x", token, NULL, NULL), 0);
	}
	assert_int_equal(xsc_watch(d1, "x", "one-more", NULL, NULL), -E2BIG);
	assert_int_equal(xsc_unwatch(d1, "x", "t0"), 0);
	assert_int_equal(xsc_watch(d1, "x", "one-more", NULL, NULL), 0);
	for (int i = 0; i < 200; i++) {
		snprintf(token, sizeof(token), "t%d", i);
		assert_int_equal(xsc_watch(dom0, "/x", token, NULL, NULL), 0);
	}
}

static void at_most_10_open_transactions(void **state)
{
	struct xsc *d1 = domain1();
	xs_tx_t tx[11];

	for (int i = 0; i < 10; i++)
		assert_int_equal(xsc_transaction_start(d1, &tx[i]), 0);
	assert_int_equal(xsc_transaction_start(d1, &tx[10]), -ENOSPC);
	assert_int_equal(xsc_transaction_end(d1, tx[3], false), 0);
	assert_int_equal(xsc_transaction_start(d1, &tx[10]), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(xsc_transaction_start(dom0, &tx[0]), 0);
}

static void a_node_record_stays_under_2048_bytes(void **state)
{
	struct xsc *d1 = domain1();
	static char big[4000];
	char *v;
	uint32_t len;

	memset(big, 'x', sizeof(big));
	/* 24-byte header, 2 permissions of 8, the value. */
	assert_int_equal(xsc_write(d1, XS_TX_NONE, "v", big, 2007), 0);
	assert_int_equal(xsc_write(d1, XS_TX_NONE, "v", big, 2008), -ENOSPC);
	assert_int_equal(xsc_read(d1, XS_TX_NONE, "v", &v, &len), 0);
	assert_int_equal(len, 2007);
	xsd_free(v);
	assert_int_equal(xsc_write(d1, XS_TX_NONE, "w", big, 2008), -ENOSPC);
	assert_int_equal(xsc_read(d1, XS_TX_NONE, "w", &v, &len), -ENOENT);
	assert_int_equal(xsc_write(dom0, XS_TX_NONE, "/big", big, 4000), 0);
}

/* As on Xen, the children's names count: a list stops growing. */
static void a_directory_record_counts_its_children(void **state)
{
	struct xsc *d1 = domain1();
	int i, rc = 0;

	for (i = 0; i < 1000 && !rc; i++)
		rc = write_n(d1, "dir/child-%04d", i);
	assert_int_equal(rc, -ENOSPC);
	/* 24 + 2 * 8 + 11 bytes a name: 182 make 2042 bytes, 183 2053. */
	assert_int_equal(i - 1, 182);
}

static void at_most_5_permission_entries(void **state)
{
	struct xsc *d1 = domain1();
	struct xs_perm p[20];

	for (int i = 0; i < 20; i++)
		p[i] = (struct xs_perm){(domid_t)(i ? i + 1 : 1), XS_PERM_READ};
	assert_int_equal(xsc_write_str(d1, XS_TX_NONE, "p", ""), 0);
	assert_int_equal(xsc_set_perms(d1, XS_TX_NONE, "p", p, 5), 0);
	assert_int_equal(xsc_set_perms(d1, XS_TX_NONE, "p", p, 6), -ENOSPC);
	assert_int_equal(
		xsc_set_perms(dom0, XS_TX_NONE, "/local/domain/1/p", p, 20), 0);
}

static void a_transaction_touches_at_most_1024_nodes(void **state)
{
	struct xsc *d1 = domain1();
	char path[32];
	xs_tx_t tx;
	int rc = 0, i;

	assert_int_equal(xsc_transaction_start(d1, &tx), 0);
	/* Reading a missing path touches it (and its home, "/local"...). */
	for (i = 0; i < 2000 && rc != -ENOSPC; i++) {
		snprintf(path, sizeof(path), "m%d", i);
		rc = xsc_read(d1, tx, path, NULL, NULL);
	}
	assert_int_equal(rc, -ENOSPC);
	assert_true(i > 1000 && i <= 1024);
	assert_int_equal(xsc_transaction_end(d1, tx, false), 0);
}

static void unread_replies_hold_requests_back(void **state)
{
	struct xsd_conn *c = xsc_conn(domain1());
	char msgs[30][sizeof(struct xsd_sockmsg) + 4];
	struct xs_reply r;
	long taken;
	int replies = 0;

	for (int i = 0; i < 30; i++) {
		struct xsd_sockmsg h = {XS_READ, (uint32_t)i, 0, 4};

		memcpy(msgs[i], &h, sizeof(h));
		memcpy(msgs[i] + sizeof(h), "/no", 4);
	}
	taken = xsd_conn_input(c, msgs, sizeof(msgs));
	assert_int_equal(taken, 20 * sizeof(msgs[0]));
	while (xs_recv(c, &r))
		replies++;
	assert_int_equal(replies, 20);
	taken = xsd_conn_input(c, msgs[20], 10 * sizeof(msgs[0]));
	assert_int_equal(taken, 10 * sizeof(msgs[0]));
	/* dom0 is never held back. */
	c = xsc_conn(dom0);
	assert_int_equal(xsd_conn_input(c, msgs, sizeof(msgs)), sizeof(msgs));
	while (xs_recv(c, &r))
		replies++;
	assert_int_equal(replies, 50);
}

static void events_beyond_the_queue_limit_are_dropped(void **state)
{
	struct xsc *d1 = domain1();
	struct xsd_stats st;
	struct xsd_limits l;
	unsigned int n;

	xsd_default_limits(&l);
	l.queued_bytes = 4096;
	xsd_set_limits(xs_store, &l);
	xs_set_perms_str(dom0, "/local/domain/1", "n0 r1");
	assert_int_equal(xsc_watch(d1, "/local/domain/1", "t", NULL, NULL), 0);
	for (int i = 0; i < 500; i++)
		assert_int_equal(write_n(dom0, "/local/domain/1/e%d", i), 0);
	xsd_get_stats(xs_store, &st);
	/* Some 40-byte events: about a hundred fit in 4 KiB. */
	assert_true(st.events > 50 && st.events < 150);
	n = xsc_events_pending(d1);
	assert_true(n > 50 && n < 150);
}

#define T(f) cmocka_unit_test_setup_teardown(f, xs_setup, xs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_domain_owns_at_most_1000_nodes),
		T(the_node_quota_holds_in_transactions),
		T(dom0_has_no_node_quota),
		T(at_most_128_watches),
		T(at_most_10_open_transactions),
		T(a_node_record_stays_under_2048_bytes),
		T(a_directory_record_counts_its_children),
		T(at_most_5_permission_entries),
		T(a_transaction_touches_at_most_1024_nodes),
		T(unread_replies_hold_requests_back),
		T(events_beyond_the_queue_limit_are_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
