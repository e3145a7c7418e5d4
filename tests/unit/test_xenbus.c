/*
 * Unit tests for pvguest's xenstore client (pvguest/xenbus/xenbus.c and
 * state.c) over the fixture's scripted transport: each call sends the
 * xs_wire request it should, byte for byte, with its transaction id;
 * replies are xenstored's to choose, so odd and hostile ones (numbers
 * that are not plain decimal, values too long or holding a NUL, lists
 * without their last NUL, transaction id 0) are refused; payloads over
 * XENSTORE_PAYLOAD_MAX never reach the transport; errors pass through.
 * Then the device handshake: reading and switching XenbusState, retrying
 * a conflicting commit, finding the other end, and waiting for it with
 * a scripted run of watch events.
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
#include <guest/heap.h>

#include "../../pvguest/xenbus/xenbus.h"

/* A C-heap string of n copies of c. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Requests: what goes on the wire. */

static void read_sends_the_path_with_its_nul(void **state)
{
	char *v = NULL;

	xb_reply("hello");
	assert_int_equal(xenbus_read(5, "/local/domain/1/name", &v), 0);
	XB_CHECK(0, XS_READ, 5, "/local/domain/1/name\0");
	assert_string_equal(v, "hello");
	kfree(v);
	assert_int_equal(xb_counted(), 1);
}

static void write_sends_the_value_without_a_nul(void **state)
{
	xb_reply("OK");
	assert_int_equal(xenbus_write(3, "device/vif/0/mac", "00:16:3e"), 0);
	XB_CHECK(0, XS_WRITE, 3,
		 "device/vif/0/mac\0"
		 "00:16:3e");
	xb_reply("OK");
	assert_int_equal(xenbus_write(XBT_NIL, "/empty", ""), 0);
	XB_CHECK(1, XS_WRITE, XBT_NIL, "/empty\0");
}

static void printf_formats_the_value(void **state)
{
	char big[300];

	xb_reply("OK");
	assert_int_equal(xenbus_printf(9, "/d/ring-ref", "%u-%s", 8u, "x"), 0);
	XB_CHECK(0, XS_WRITE, 9,
		 "/d/ring-ref\0"
		 "8-x");
	/* 256 bytes formatted do not fit: nothing is sent. */
	memset(big, 'v', 256);
	big[256] = '\0';
	assert_int_equal(xenbus_printf(XBT_NIL, "/d/big", "%s", big), -E2BIG);
	assert_int_equal(xb_nr_requests, 1);
	xb_reply("OK");
	big[255] = '\0';
	assert_int_equal(xenbus_printf(XBT_NIL, "/d/big", "%s", big), 0);
	assert_int_equal(xb_requests[1].len, sizeof("/d/big") + 255);
}

static void mkdir_rm_and_get_domain_path(void **state)
{
	char *path;

	xb_reply("OK");
	assert_int_equal(xenbus_mkdir(2, "/a/b"), 0);
	XB_CHECK(0, XS_MKDIR, 2, "/a/b\0");
	xb_reply("OK");
	assert_int_equal(xenbus_rm(XBT_NIL, "/a"), 0);
	XB_CHECK(1, XS_RM, XBT_NIL, "/a\0");
	xb_reply("/local/domain/65535");
	assert_int_equal(xenbus_get_domain_path(65535, &path), 0);
	XB_CHECK(2, XS_GET_DOMAIN_PATH, XBT_NIL, "65535\0");
	assert_string_equal(path, "/local/domain/65535");
	kfree(path);
	xb_reply("/local/domain/0");
	assert_int_equal(xenbus_get_domain_path(0, &path), 0);
	XB_CHECK(3, XS_GET_DOMAIN_PATH, XBT_NIL, "0\0");
	kfree(path);
}

static void perms_are_sent_and_returned_as_given(void **state)
{
	static const char perms[] = "b0\0r1\0w2";
	char *got;
	uint32_t len;

	/* set_perms sends the path, then the perms' len bytes as they are. */
	xb_reply("OK");
	assert_int_equal(xenbus_set_perms(4, "/p", perms, sizeof(perms)), 0);
	XB_CHECK(0, XS_SET_PERMS, 4, "/p\0b0\0r1\0w2\0");
	xb_reply_bytes("n0\0r5\0", 6);
	assert_int_equal(xenbus_get_perms(XBT_NIL, "/p", &got, &len), 0);
	XB_CHECK(1, XS_GET_PERMS, XBT_NIL, "/p\0");
	assert_int_equal(len, 6);
	assert_memory_equal(got, "n0\0r5\0", 7); /* and the NUL after */
	kfree(got);
}

static void transactions_start_and_end(void **state)
{
	xenbus_transaction_t tx = 0;

	xb_reply("4294967295");
	assert_int_equal(xenbus_transaction_start(&tx), 0);
	XB_CHECK(0, XS_TRANSACTION_START, XBT_NIL, "\0");
	assert_int_equal(tx, 4294967295u);
	xb_reply("OK");
	assert_int_equal(xenbus_transaction_end(tx, true), 0);
	XB_CHECK(1, XS_TRANSACTION_END, 4294967295u, "T\0");
	xb_reply("OK");
	assert_int_equal(xenbus_transaction_end(17, false), 0);
	XB_CHECK(2, XS_TRANSACTION_END, 17, "F\0");
}

static void exists_is_a_read_that_worked(void **state)
{
	xb_reply("");
	assert_true(xenbus_exists(6, "/there"));
	XB_CHECK(0, XS_READ, 6, "/there\0");
	xb_reply_error(-ENOENT);
	assert_false(xenbus_exists(XBT_NIL, "/gone"));
	xb_reply_error(-EACCES);
	assert_false(xenbus_exists(XBT_NIL, "/hidden"));
}

static void watches_go_as_requests_without_watch_calls(void **state)
{
	xb_reply("OK");
	assert_int_equal(xenbus_send_watch("/be/state", "xb12", true), 0);
	XB_CHECK(0, XS_WATCH, XBT_NIL, "/be/state\0xb12\0");
	xb_reply("OK");
	assert_int_equal(xenbus_send_watch("@releaseDomain", "xb3", false), 0);
	XB_CHECK(1, XS_UNWATCH, XBT_NIL, "@releaseDomain\0xb3\0");
	xb_reply_error(-EEXIST);
	assert_int_equal(xenbus_send_watch("/x", "xb1", true), -EEXIST);
	assert_int_equal(xb_counted(), 3);
}

static void watches_use_the_transports_watch_calls(void **state)
{
	xb_use_watch_calls();
	assert_int_equal(xenbus_send_watch("/fe/state", "xb7", true), 0);
	assert_int_equal(xenbus_send_watch("/fe/state", "xb7", false), 0);
	assert_int_equal(xb_nr_requests, 0);
	assert_int_equal(xb_nr_watch_calls, 2);
	assert_true(xb_watch_calls[0].add);
	assert_string_equal(xb_watch_calls[0].path, "/fe/state");
	assert_string_equal(xb_watch_calls[0].token, "xb7");
	assert_false(xb_watch_calls[1].add);
	assert_int_equal(xb_counted(), 2);
}

static void without_a_transport_calls_are_enodev(void **state)
{
	char *v;

	xenbus_set_transport(NULL);
	assert_false(xenbus_available());
	assert_int_equal(xenbus_read(XBT_NIL, "/a", &v), -ENODEV);
	assert_int_equal(xenbus_send_watch("/a", "xb1", true), -ENODEV);
	assert_int_equal(xb_ring_connects, 3); /* tried each time */
	assert_int_equal(xb_nr_requests, 0);
	assert_int_equal(xb_counted(), 0);
}

static void the_ring_is_connected_once_on_first_use(void **state)
{
	char *v;

	xenbus_set_transport(NULL);
	xb_ring_connect_rc = 0;
	assert_true(xenbus_available());
	xb_reply("1");
	assert_int_equal(xenbus_read(XBT_NIL, "domid", &v), 0);
	kfree(v);
	assert_int_equal(xb_ring_connects, 1);
	XB_CHECK(0, XS_READ, XBT_NIL, "domid\0");
}

static void the_request_count_counts_requests_sent(void **state)
{
	char *v;
	char *huge = repeat('a', XENSTORE_PAYLOAD_MAX);

	xb_reply_error(-ENOENT);
	assert_int_equal(xenbus_read(XBT_NIL, "/a", &v), -ENOENT);
	assert_int_equal(xenbus_read(XBT_NIL, huge, &v), -E2BIG);
	assert_int_equal(xb_counted(), 1);
	free(huge);
}

/* Payload limits: refused before the transport sees them. */

static void a_payload_over_the_maximum_is_e2big(void **state)
{
	char *p = repeat('p', XENSTORE_PAYLOAD_MAX); /* with its NUL: 1 over */
	char *q = repeat('q', XENSTORE_PAYLOAD_MAX + 1);
	char *v = NULL;
	char *names;
	unsigned int n;
	uint32_t len;

	assert_int_equal(xenbus_read(XBT_NIL, p, &v), -E2BIG);
	assert_null(v);
	assert_int_equal(xenbus_mkdir(XBT_NIL, p), -E2BIG);
	assert_int_equal(xenbus_rm(XBT_NIL, p), -E2BIG);
	assert_int_equal(xenbus_directory(XBT_NIL, p, &names, &n), -E2BIG);
	assert_int_equal(xenbus_get_perms(XBT_NIL, p, &v, &len), -E2BIG);
	assert_false(xenbus_exists(XBT_NIL, p));
	/* Path and value together one over the maximum. */
	q[2000] = '\0';
	assert_int_equal(xenbus_write(XBT_NIL, q, q + 2001), -E2BIG);
	assert_int_equal(xenbus_set_perms(XBT_NIL, q, q + 2001, 2096), -E2BIG);
	assert_int_equal(xenbus_send_watch(q, q + 2001, true), -E2BIG);
	assert_int_equal(xb_nr_requests, 0);
	assert_int_equal(xb_counted(), 0);
	free(q);
	free(p);
}

static void a_payload_of_exactly_the_maximum_is_sent(void **state)
{
	char *p = repeat('p', XENSTORE_PAYLOAD_MAX - 1);

	xb_reply("OK");
	assert_int_equal(xenbus_mkdir(XBT_NIL, p), 0);
	assert_int_equal(xb_requests[0].len, XENSTORE_PAYLOAD_MAX);
	assert_int_equal(xb_requests[0].payload[XENSTORE_PAYLOAD_MAX - 1], 0);
	/* "/q\0" and 4093 bytes of value. */
	xb_reply("OK");
	assert_int_equal(xenbus_write(XBT_NIL, "/q", p + 2), 0);
	assert_int_equal(xb_requests[1].len, XENSTORE_PAYLOAD_MAX);
	free(p);
}

/* Replies: xenstored's, checked before use. */

static void errors_from_the_transport_pass_through(void **state)
{
	static const int errs[] = {-ENOENT,    -EACCES, -EAGAIN, -EIO,
				   -ETIMEDOUT, -ENOSPC, -EINVAL, -ENODEV};
	char *v = (char *)"untouched";
	char buf[8] = "keep";
	xenbus_transaction_t tx = 99;
	unsigned long u = 7;
	char *names = NULL;
	unsigned int n = 5;

	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		int e = errs[i];

		xb_reply_error(e);
		assert_int_equal(xenbus_read(1, "/r", &v), e);
		xb_reply_error(e);
		assert_int_equal(xenbus_write(1, "/w", "v"), e);
		xb_reply_error(e);
		assert_int_equal(xenbus_read_buf(1, "/b", buf, sizeof(buf)), e);
		xb_reply_error(e);
		assert_int_equal(xenbus_read_uint(1, "/u", &u), e);
		xb_reply_error(e);
		assert_int_equal(xenbus_directory(1, "/d", &names, &n), e);
		xb_reply_error(e);
		assert_int_equal(xenbus_transaction_start(&tx), e);
		xb_reply_error(e);
		assert_int_equal(xenbus_transaction_end(3, true), e);
	}
	/* A failed call hands nothing back. */
	assert_string_equal(v, "untouched");
	assert_string_equal(buf, "keep");
	assert_int_equal(tx, 99);
	assert_int_equal(u, 7);
	assert_null(names);
	assert_int_equal(n, 5);
}

static void error_names_are_xs_wires(void **state)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		assert_int_equal(xenbus_errno(xsd_errors[i].errstring),
				 -xsd_errors[i].errnum);
	assert_int_equal(xenbus_errno("ENOENT"), -ENOENT);
	assert_int_equal(xenbus_errno("EWHAT"), -EINVAL);
	assert_int_equal(xenbus_errno(""), -EINVAL);
	assert_int_equal(xenbus_errno("enoent"), -EINVAL);
}

static void read_uint_takes_plain_decimal(void **state)
{
	static const struct {
		const char *s;
		unsigned long v;
	} good[] = {
		{"0", 0},
		{"7", 7},
		{"007", 7},
		{"4294967296", 4294967296ul},
		{"18446744073709551615", 18446744073709551615ul},
	};
	unsigned long v;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 1;
		xb_reply(good[i].s);
		assert_int_equal(xenbus_read_uint(8, "/n", &v), 0);
		assert_int_equal(v, good[i].v);
	}
	XB_CHECK(0, XS_READ, 8, "/n\0");
}

static void read_uint_refuses_anything_else(void **state)
{
	static const char *const bad[] = {
		"",
		"12x",
		"0x4",
		"-1",
		"+1",
		" 1",
		"1 ",
		"1.5",
		"18446744073709551616",	   /* ULONG_MAX + 1 */
		"99999999999999999999999", /* 23 digits */
		"100000000000000000000000000000000000",
	};
	unsigned long v = 3;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xb_reply(bad[i]);
		assert_int_equal(xenbus_read_uint(XBT_NIL, "/n", &v), -EINVAL);
	}
	xb_reply_bytes("12\0"
		       "3",
		       4);
	assert_int_equal(xenbus_read_uint(XBT_NIL, "/n", &v), -EINVAL);
	assert_int_equal(v, 3);
}

static void read_buf_fits_or_says_why_not(void **state)
{
	char buf[6];

	xb_reply("abcde"); /* 5 and the NUL: exactly fits */
	assert_int_equal(xenbus_read_buf(2, "/v", buf, sizeof(buf)), 0);
	XB_CHECK(0, XS_READ, 2, "/v\0");
	assert_string_equal(buf, "abcde");

	xb_reply("abcdef"); /* one too many: as much as fits */
	assert_int_equal(xenbus_read_buf(XBT_NIL, "/v", buf, sizeof(buf)),
			 -ERANGE);
	assert_string_equal(buf, "abcde");

	xb_reply_bytes("ab\0cd", 5); /* not text */
	assert_int_equal(xenbus_read_buf(XBT_NIL, "/v", buf, sizeof(buf)),
			 -EINVAL);
	assert_string_equal(buf, "ab");

	xb_reply_bytes("abcdefgh\0", 9); /* too long and not text */
	assert_int_equal(xenbus_read_buf(XBT_NIL, "/v", buf, sizeof(buf)),
			 -EINVAL);

	xb_reply("");
	assert_int_equal(xenbus_read_buf(XBT_NIL, "/v", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");

	memcpy(buf, "zzz", 4);
	xb_reply(""); /* no room even for the NUL: buf untouched */
	assert_int_equal(xenbus_read_buf(XBT_NIL, "/v", buf, 0), -ERANGE);
	assert_string_equal(buf, "zzz");
}

static void directory_counts_names(void **state)
{
	char *names;
	unsigned int n = 99;

	xb_reply_bytes("a\0bb\0ccc\0", 9);
	assert_int_equal(xenbus_directory(7, "/dir", &names, &n), 0);
	XB_CHECK(0, XS_DIRECTORY, 7, "/dir\0");
	assert_int_equal(n, 3);
	assert_memory_equal(names, "a\0bb\0ccc\0", 9);
	kfree(names);

	xb_reply("");
	assert_int_equal(xenbus_directory(XBT_NIL, "/empty", &names, &n), 0);
	assert_int_equal(n, 0);
	kfree(names);
}

static void directory_refuses_a_list_without_its_last_nul(void **state)
{
	char *names = NULL;
	unsigned int n = 99;

	xb_reply_bytes("a\0b", 3);
	assert_int_equal(xenbus_directory(XBT_NIL, "/d", &names, &n), -EIO);
	xb_reply("single");
	assert_int_equal(xenbus_directory(XBT_NIL, "/d", &names, &n), -EIO);
	assert_null(names);
	assert_int_equal(n, 99);
}

static void transaction_ids_must_be_decimal_and_not_zero(void **state)
{
	static const char *const bad[] = {
		"0",	"",    "abc",	     "-1",
		"0x10", "12 ", "4294967296", "99999999999",
	};
	xenbus_transaction_t tx = 55;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xb_reply(bad[i]);
		assert_int_equal(xenbus_transaction_start(&tx), -EIO);
		assert_int_equal(tx, 55);
	}
	xb_reply("5");
	assert_int_equal(xenbus_transaction_start(&tx), 0);
	assert_int_equal(tx, 5);
}

static void domid_is_an_ordinary_domains(void **state)
{
	domid_t d = 1234;

	xb_reply("0");
	assert_int_equal(xenbus_domid(&d), 0);
	XB_CHECK(0, XS_READ, XBT_NIL, "domid\0");
	assert_int_equal(d, 0);
	xb_reply("32751");
	assert_int_equal(xenbus_domid(&d), 0);
	assert_int_equal(d, DOMID_FIRST_RESERVED - 1);

	d = 1234;
	xb_reply("32752"); /* DOMID_FIRST_RESERVED */
	assert_int_equal(xenbus_domid(&d), -EIO);
	xb_reply("65535");
	assert_int_equal(xenbus_domid(&d), -EIO);
	xb_reply("65537"); /* 1 as a domid_t */
	assert_int_equal(xenbus_domid(&d), -EIO);
	xb_reply("one");
	assert_int_equal(xenbus_domid(&d), -EINVAL);
	xb_reply_error(-ENOENT);
	assert_int_equal(xenbus_domid(&d), -ENOENT);
	assert_int_equal(d, 1234);
}

/* state.c: the XenbusState handshake. */

static void state_names(void **state)
{
	assert_string_equal(xenbus_state_name(XenbusStateUnknown), "Unknown");
	assert_string_equal(xenbus_state_name(XenbusStateInitialising),
			    "Initialising");
	assert_string_equal(xenbus_state_name(XenbusStateInitWait), "InitWait");
	assert_string_equal(xenbus_state_name(XenbusStateInitialised),
			    "Initialised");
	assert_string_equal(xenbus_state_name(XenbusStateConnected),
			    "Connected");
	assert_string_equal(xenbus_state_name(XenbusStateClosing), "Closing");
	assert_string_equal(xenbus_state_name(XenbusStateClosed), "Closed");
	assert_string_equal(xenbus_state_name(XenbusStateReconfiguring),
			    "Reconfiguring");
	assert_string_equal(xenbus_state_name(XenbusStateReconfigured),
			    "Reconfigured");
	assert_string_equal(xenbus_state_name((enum xenbus_state)9), "?");
	assert_string_equal(xenbus_state_name((enum xenbus_state) - 1), "?");
}

static void read_state_reads_dir_state(void **state)
{
	xb_reply("4");
	assert_int_equal(xenbus_read_state("/local/domain/0/backend/vif/1/0"),
			 XenbusStateConnected);
	XB_CHECK(0, XS_READ, XBT_NIL,
		 "/local/domain/0/backend/vif/1/0/state\0");
	xb_reply("8");
	assert_int_equal(xenbus_read_state("d"), XenbusStateReconfigured);
	xb_reply("0");
	assert_int_equal(xenbus_read_state("d"), XenbusStateUnknown);
}

static void read_state_is_unknown_unless_it_is_a_state(void **state)
{
	static const char *const bad[] = {"9",	"",    "x",	    "-1",
					  "4 ", "0x4", "4294967300"};
	char *dir = repeat('d', XENBUS_PATH_MAX - 6); /* "/state" overflows */

	xb_reply_error(-ENOENT);
	assert_int_equal(xenbus_read_state("d"), XenbusStateUnknown);
	xb_reply_error(-EACCES);
	assert_int_equal(xenbus_read_state("d"), XenbusStateUnknown);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xb_reply(bad[i]);
		assert_int_equal(xenbus_read_state("d"), XenbusStateUnknown);
	}
	assert_int_equal(xenbus_read_state(dir), XenbusStateUnknown);
	assert_int_equal(xb_nr_requests, 2 + sizeof(bad) / sizeof(bad[0]));
	free(dir);
}

/* Script one switch_state transaction up to its commit. */
static void script_switch(const char *tx)
{
	xb_reply(tx);	/* TRANSACTION_START */
	xb_reply("");	/* READ dir */
	xb_reply("OK"); /* WRITE dir/state */
}

/* Check requests i.. are one switch_state transaction, "T" or "F". */
static void check_switch(unsigned int i, xenbus_transaction_t tx,
			 const char *end)
{
	XB_CHECK(i, XS_TRANSACTION_START, XBT_NIL, "\0");
	XB_CHECK(i + 1, XS_READ, tx, "/fe\0");
	XB_CHECK(i + 2, XS_WRITE, tx,
		 "/fe/state\0"
		 "3");
	xb_check_request(i + 3, XS_TRANSACTION_END, tx, end, 2);
}

static void switch_state_writes_inside_a_transaction(void **state)
{
	script_switch("12");
	xb_reply("OK");
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateInitialised), 0);
	check_switch(0, 12, "T");
	assert_int_equal(xb_nr_requests, 4);
}

static void switch_state_needs_the_directory(void **state)
{
	xb_reply("12");
	xb_reply_error(-ENOENT);
	xb_reply("OK");
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateClosed),
			 -ENOENT);
	XB_CHECK(0, XS_TRANSACTION_START, XBT_NIL, "\0");
	XB_CHECK(1, XS_READ, 12, "/fe\0");
	XB_CHECK(2, XS_TRANSACTION_END, 12, "F\0");
	assert_int_equal(xb_nr_requests, 3);
}

static void switch_state_retries_a_conflict(void **state)
{
	script_switch("12");
	xb_reply_error(-EAGAIN);
	script_switch("13");
	xb_reply("OK");
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateInitialised), 0);
	check_switch(0, 12, "T");
	check_switch(4, 13, "T");
	assert_int_equal(xb_nr_requests, 8);
}

static void switch_state_gives_up_after_sixteen_conflicts(void **state)
{
	for (int i = 0; i < 16; i++) {
		script_switch("1");
		xb_reply_error(-EAGAIN);
	}
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateInitialised),
			 -EAGAIN);
	assert_int_equal(xb_nr_requests, 64);
}

static void switch_state_passes_other_errors_on(void **state)
{
	char *dir = repeat('d', XENBUS_PATH_MAX - 6);

	/* Starting the transaction fails: nothing else is sent. */
	xb_reply_error(-ENOSPC);
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateClosing),
			 -ENOSPC);
	assert_int_equal(xb_nr_requests, 1);
	/* The write fails: the transaction is dropped. */
	xb_reply("2");
	xb_reply("");
	xb_reply_error(-EACCES);
	xb_reply("OK");
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateClosing),
			 -EACCES);
	XB_CHECK(4, XS_TRANSACTION_END, 2, "F\0");
	/* The commit fails otherwise than by a conflict: not retried. */
	script_switch("3");
	xb_reply_error(-EIO);
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateInitialised),
			 -EIO);
	assert_int_equal(xb_nr_requests, 9);
	/* A transaction id that is not one. */
	xb_reply("0");
	assert_int_equal(xenbus_switch_state("/fe", XenbusStateClosed), -EIO);
	assert_int_equal(xb_nr_requests, 10);
	/* dir/state would not fit in a path. */
	assert_int_equal(xenbus_switch_state(dir, XenbusStateClosed), -E2BIG);
	assert_int_equal(xb_nr_requests, 10);
	free(dir);
}

static void device_init_finds_the_backend(void **state)
{
	struct xenbus_device dev;

	memset(&dev, 0xa5, sizeof(dev));
	xb_reply("/local/domain/0/backend/vif/3/0");
	xb_reply("0");
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false), 0);
	XB_CHECK(0, XS_READ, XBT_NIL, "device/vif/0/backend\0");
	XB_CHECK(1, XS_READ, XBT_NIL, "device/vif/0/backend-id\0");
	assert_string_equal(dev.nodename, "device/vif/0");
	assert_string_equal(dev.otherend, "/local/domain/0/backend/vif/3/0");
	assert_int_equal(dev.otherend_id, 0);
	assert_false(dev.is_backend);
}

static void device_init_finds_the_frontend(void **state)
{
	struct xenbus_device dev;

	xb_reply("/local/domain/3/device/vif/0");
	xb_reply("3");
	assert_int_equal(xenbus_device_init(&dev, "backend/vif/3/0", true), 0);
	XB_CHECK(0, XS_READ, XBT_NIL, "backend/vif/3/0/frontend\0");
	XB_CHECK(1, XS_READ, XBT_NIL, "backend/vif/3/0/frontend-id\0");
	assert_string_equal(dev.otherend, "/local/domain/3/device/vif/0");
	assert_int_equal(dev.otherend_id, 3);
	assert_true(dev.is_backend);

	/* xenbus_device_wait() watches the frontend's state. */
	xb_reply("4");
	assert_int_equal(
		xenbus_device_wait(&dev, XENBUS_STATE_BIT(XenbusStateConnected),
				   1000, &(enum xenbus_state){0}),
		0);
	XB_CHECK(2, XS_READ, XBT_NIL, "/local/domain/3/device/vif/0/state\0");
}

static void device_init_checks_the_other_end(void **state)
{
	static const char *const bad_ids[] = {"32752", "65535", "-1", "x", ""};
	struct xenbus_device dev;
	char *far = repeat('/', XENBUS_PATH_MAX);

	xb_reply("local/domain/0/backend/vif/3/0"); /* relative */
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false),
			 -EINVAL);
	xb_reply("");
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false),
			 -EINVAL);
	xb_reply(far); /* longer than a path */
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false),
			 -EINVAL);
	xb_reply_bytes("/be\0x", 5);
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false),
			 -EINVAL);
	xb_reply_error(-ENOENT);
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false),
			 -ENOENT);
	assert_int_equal(xb_nr_requests, 5); /* no id read after those */

	for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		xb_reply("/local/domain/0/backend/vif/3/0");
		xb_reply(bad_ids[i]);
		assert_int_equal(xenbus_device_init(&dev, "device/vif/0",
						    false),
				 -EINVAL);
	}
	xb_reply("/local/domain/0/backend/vif/3/0");
	xb_reply_error(-EACCES);
	assert_int_equal(xenbus_device_init(&dev, "device/vif/0", false),
			 -EACCES);
	free(far);
}

static void device_init_refuses_an_over_long_nodename(void **state)
{
	struct xenbus_device dev;
	char *name = repeat('n', XENBUS_PATH_MAX);

	/* It does not fit in nodename[]. */
	assert_int_equal(xenbus_device_init(&dev, name, false), -E2BIG);
	/* It fits, but "<it>/backend" does not. */
	name[XENBUS_PATH_MAX - strlen("/backend")] = '\0';
	assert_int_equal(xenbus_device_init(&dev, name, false), -E2BIG);
	/* "<it>/frontend" fits, "<it>/frontend-id" does not. */
	name[XENBUS_PATH_MAX - 1 - strlen("/frontend")] = '\0';
	xb_reply("/local/domain/3/device/vif/0");
	assert_int_equal(xenbus_device_init(&dev, name, true), -E2BIG);
	assert_int_equal(xb_nr_requests, 1);
	assert_int_equal(xb_requests[0].len, XENBUS_PATH_MAX);
	free(name);
}

/* Waiting: the fixture's sleeps are scripted by these hooks. */

static int sleep_step;

/* The backend goes InitWait, then (a spurious wake first) Connected. */
static bool backend_comes_up(void)
{
	switch (sleep_step++) {
	case 0:
		xb_reply("2");
		xb_fire_watch();
		return true;
	case 1: return true; /* woken for nothing: sleeps again */
	case 2:
		xb_reply("4");
		xb_fire_watch();
		return true;
	default: return false;
	}
}

static void wait_state_sleeps_until_a_wanted_state(void **state)
{
	enum xenbus_state s = XenbusStateUnknown;

	sleep_step = 0;
	xb_sleep = backend_comes_up;
	xb_reply("1");
	assert_int_equal(
		xenbus_wait_state("/be",
				  XENBUS_STATE_BIT(XenbusStateConnected) |
					  XENBUS_STATE_BIT(XenbusStateClosed),
				  123456789, &s),
		0);
	assert_int_equal(s, XenbusStateConnected);
	assert_int_equal(xb_deadline, 123456789);
	assert_int_equal(xb_watches, 1);
	assert_int_equal(xb_unwatches, 1);
	assert_int_equal(xb_sleeps, 3);
	assert_int_equal(xb_nr_requests, 3);
	for (unsigned int i = 0; i < 3; i++)
		XB_CHECK(i, XS_READ, XBT_NIL, "/be/state\0");
}

static void wait_state_without_sleeping(void **state)
{
	enum xenbus_state s = XenbusStateUnknown;

	xb_reply("6");
	assert_int_equal(xenbus_wait_state("/be",
					   XENBUS_STATE_BIT(XenbusStateClosed),
					   1, &s),
			 0);
	assert_int_equal(s, XenbusStateClosed);
	assert_int_equal(xb_sleeps, 0);
	assert_int_equal(xb_unwatches, 1);
	/* Unknown is a state one may wait for: a missing node. */
	xb_reply_error(-ENOENT);
	assert_int_equal(xenbus_wait_state("/be",
					   XENBUS_STATE_BIT(XenbusStateUnknown),
					   1, &s),
			 0);
	assert_int_equal(s, XenbusStateUnknown);
}

/* One change, to a state nobody waits for, then the deadline. */
static bool backend_stalls(void)
{
	if (sleep_step++)
		return false;
	xb_reply("5");
	xb_fire_watch();
	return true;
}

static void wait_state_times_out_with_the_last_state(void **state)
{
	enum xenbus_state s = XenbusStateUnknown;

	sleep_step = 0;
	xb_sleep = backend_stalls;
	xb_reply("2");
	assert_int_equal(
		xenbus_wait_state("/be", XENBUS_STATE_BIT(XenbusStateConnected),
				  50, &s),
		-ETIMEDOUT);
	assert_int_equal(s, XenbusStateClosing);
	assert_int_equal(xb_sleeps, 2);
	assert_int_equal(xb_nr_requests, 2);
	assert_int_equal(xb_unwatches, 1);
}

static void wait_state_refuses_what_cannot_work(void **state)
{
	enum xenbus_state s = XenbusStateConnected;
	char *dir = repeat('d', XENBUS_PATH_MAX - 6);

	/* From a watch function: its events would never come. */
	xb_in_watch = true;
	assert_int_equal(xenbus_wait_state("/be",
					   XENBUS_STATE_BIT(XenbusStateClosed),
					   1, &s),
			 -EDEADLK);
	assert_int_equal(s, XenbusStateUnknown);
	xb_in_watch = false;
	/* The watch cannot be set. */
	xb_watch_rc = -ENOSPC;
	assert_int_equal(xenbus_wait_state("/be",
					   XENBUS_STATE_BIT(XenbusStateClosed),
					   1, &s),
			 -ENOSPC);
	xb_watch_rc = 0;
	assert_int_equal(xenbus_wait_state(dir,
					   XENBUS_STATE_BIT(XenbusStateClosed),
					   1, &s),
			 -E2BIG);
	assert_int_equal(xb_watches, 0);
	assert_int_equal(xb_unwatches, 0);
	assert_int_equal(xb_nr_requests, 0);
	free(dir);
}

#define T(f) cmocka_unit_test_setup_teardown(f, xb_setup, xb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(read_sends_the_path_with_its_nul),
		T(write_sends_the_value_without_a_nul),
		T(printf_formats_the_value),
		T(mkdir_rm_and_get_domain_path),
		T(perms_are_sent_and_returned_as_given),
		T(transactions_start_and_end),
		T(exists_is_a_read_that_worked),
		T(watches_go_as_requests_without_watch_calls),
		T(watches_use_the_transports_watch_calls),
		T(without_a_transport_calls_are_enodev),
		T(the_ring_is_connected_once_on_first_use),
		T(the_request_count_counts_requests_sent),
		T(a_payload_over_the_maximum_is_e2big),
		T(a_payload_of_exactly_the_maximum_is_sent),
		T(errors_from_the_transport_pass_through),
		T(error_names_are_xs_wires),
		T(read_uint_takes_plain_decimal),
		T(read_uint_refuses_anything_else),
		T(read_buf_fits_or_says_why_not),
		T(directory_counts_names),
		T(directory_refuses_a_list_without_its_last_nul),
		T(transaction_ids_must_be_decimal_and_not_zero),
		T(domid_is_an_ordinary_domains),
		T(state_names),
		T(read_state_reads_dir_state),
		T(read_state_is_unknown_unless_it_is_a_state),
		T(switch_state_writes_inside_a_transaction),
		T(switch_state_needs_the_directory),
		T(switch_state_retries_a_conflict),
		T(switch_state_gives_up_after_sixteen_conflicts),
		T(switch_state_passes_other_errors_on),
		T(device_init_finds_the_backend),
		T(device_init_finds_the_frontend),
		T(device_init_checks_the_other_end),
		T(device_init_refuses_an_over_long_nodename),
		T(wait_state_sleeps_until_a_wanted_state),
		T(wait_state_without_sleeping),
		T(wait_state_times_out_with_the_last_state),
		T(wait_state_refuses_what_cannot_work),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
