/*
 * Unit tests for xenstored's message layer and robustness: malformed
 * requests refused (a payload over XENSTORE_PAYLOAD_MAX breaks the
 * connection, as on Xen; missing or extra NULs, bad paths, unknown
 * types are ERROR replies), privileged-only requests, replies echoing
 * req_id and tx_id, requests arriving in pieces, the error names of
 * <xen/io/xs_wire.h>, INTRODUCE and RELEASE with the embedder's hooks,
 * random bytes, and running out of memory at every allocation of a
 * workload without a crash or a leak.
 */
#include <errno.h> /* before xs_wire.h: its xsd_errors[] needs it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xs_fixture.h"

#define ERR(c, type, lit, err) xs_expect_error(c, type, lit, sizeof(lit), err)

static void an_oversized_payload_breaks_the_connection(void **state)
{
	struct xsd_sockmsg h = {XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1};
	struct xsd_conn *c = xsc_conn(xs_domain(1));
	struct xs_reply r;

	assert_int_equal(xsd_conn_input(c, &h, sizeof(h)), -EINVAL);
	assert_true(xsd_conn_broken(c));
	assert_false(xs_recv(c, &r));
	h.len = 4;
	assert_int_equal(xsd_conn_input(c, &h, sizeof(h)), -EINVAL);
	/* Nobody else minds. */
	xs_must_write(dom0, "/still", "fine");
}

static void a_full_payload_is_fine(void **state)
{
	static char msg[XENSTORE_PAYLOAD_MAX];
	char *v;
	uint32_t len;

	memcpy(msg, "/full", 6);
	memset(msg + 6, 'v', sizeof(msg) - 6);
	assert_int_equal(
		xsc_call(dom0, XS_WRITE, 0, msg, sizeof(msg), NULL, NULL), 0);
	assert_int_equal(xsc_read(dom0, 0, "/full", &v, &len), 0);
	assert_int_equal(len, XENSTORE_PAYLOAD_MAX - 6);
	xsd_free(v);
}

static void requests_may_arrive_byte_by_byte(void **state)
{
	static const char payload[] = "/bytes\0value";
	struct xsd_sockmsg h = {XS_WRITE, 42, 0, sizeof(payload) - 1};
	struct xsd_conn *c = xsc_conn(dom0);
	char buf[sizeof(h) + sizeof(payload)];
	struct xs_reply r;

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, sizeof(payload) - 1);
	for (size_t i = 0; i < sizeof(h) + h.len; i++) {
		assert_false(xsd_conn_has_output(c));
		assert_int_equal(xsd_conn_input(c, buf + i, 1), 1);
	}
	assert_true(xs_recv(c, &r));
	assert_int_equal(r.hdr.type, XS_WRITE);
	assert_int_equal(r.hdr.req_id, 42);
	assert_string_equal(r.body, "OK");
	/* And several in one piece. */
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(xsd_conn_input(c, buf, sizeof(h) + h.len),
			 (long)(sizeof(h) + h.len));
}

static void replies_echo_the_ids(void **state)
{
	struct xsd_conn *c = xsc_conn(dom0);
	struct xs_reply r;
	xs_tx_t tx;

	assert_int_equal(xsc_transaction_start(dom0, &tx), 0);
	xs_send(c, XS_READ, 0xdeadbeef, tx, "/tool", 6);
	assert_true(xs_recv(c, &r));
	assert_int_equal(r.hdr.type, XS_READ);
	assert_int_equal(r.hdr.req_id, 0xdeadbeef);
	assert_int_equal(r.hdr.tx_id, tx);
	assert_int_equal(r.hdr.len, 0);
	xs_send(c, XS_READ, 7, tx, "/no", 4);
	assert_true(xs_recv(c, &r));
	assert_int_equal(r.hdr.type, XS_ERROR);
	assert_int_equal(r.hdr.req_id, 7);
	assert_int_equal(r.hdr.tx_id, tx);
	assert_string_equal(r.body, "ENOENT");
}

static void arguments_need_their_nuls(void **state)
{
	struct xsd_conn *c = xsc_conn(dom0);

	xs_expect_error(c, XS_READ, "/tool", 5, "EINVAL");
	xs_expect_error(c, XS_READ, "", 0, "EINVAL");
	ERR(c, XS_READ, "/tool\0/tool", "EINVAL");
	ERR(c, XS_DIRECTORY, "/tool\0", "EINVAL");
	xs_expect_error(c, XS_WRITE, "/x", 2, "EINVAL");
	xs_expect_error(c, XS_MKDIR, "", 0, "EINVAL");
	ERR(c, XS_RM, "/a\0b", "EINVAL");
	ERR(c, XS_DIRECTORY_PART, "/tool", "EINVAL");
	ERR(c, XS_DIRECTORY_PART, "/tool\0x", "EINVAL");
	ERR(c, XS_GET_DOMAIN_PATH, "1x", "EINVAL");
	ERR(c, XS_GET_DOMAIN_PATH, "65536", "EINVAL");
	ERR(c, XS_TRANSACTION_END, "T\0T", "EINVAL");
}

static void bad_paths_are_refused(void **state)
{
	static const char *const bad[] = {
		"//",	"/a//b", "/a/",	 "/a b", "/a\x80",
		"/a.b", "/a\tb", "@foo", "/a*",
	};
	struct xsd_conn *c = xsc_conn(dom0);
	char *path = malloc(XENSTORE_ABS_PATH_MAX + 2);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		xs_expect_error(c, XS_WRITE, bad[i],
				(uint32_t)strlen(bad[i]) + 1, "EINVAL");
	/* The longest absolute path is fine, one byte more is not. */
	path[0] = '/';
	memset(path + 1, 'p', XENSTORE_ABS_PATH_MAX - 1);
	path[XENSTORE_ABS_PATH_MAX] = '\0';
	assert_int_equal(xsc_mkdir(dom0, 0, path), 0);
	path[XENSTORE_ABS_PATH_MAX] = 'p';
	path[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	assert_int_equal(xsc_mkdir(dom0, 0, path), -EINVAL);
	/* Relative paths: at most XENSTORE_REL_PATH_MAX bytes. */
	memset(path, 'r', XENSTORE_REL_PATH_MAX + 1);
	path[XENSTORE_REL_PATH_MAX + 1] = '\0';
	assert_int_equal(xsc_mkdir(dom0, 0, path), -EINVAL);
	path[XENSTORE_REL_PATH_MAX] = '\0';
	assert_int_equal(xsc_mkdir(dom0, 0, path), 0);
	free(path);
}

static void unknown_types_are_enosys(void **state)
{
	static const uint32_t types[] = {XS_TYPE_COUNT,	 100,	   XS_INVALID,
					 XS_WATCH_EVENT, XS_ERROR, 20};
	struct xsd_conn *c = xsc_conn(dom0);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		ERR(c, types[i], "/tool", "ENOSYS");
}

static void privileged_requests_are_refused_to_domains(void **state)
{
	static const uint32_t types[] = {
		XS_INTRODUCE, XS_RELEASE,    XS_IS_DOMAIN_INTRODUCED,
		XS_RESUME,    XS_SET_TARGET, XS_CONTROL};
	struct xsd_conn *c = xsc_conn(xs_domain(3));

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		ERR(c, types[i], "3", "EACCES");
}

static void introduce_checks_its_arguments(void **state)
{
	struct xsd_conn *c = xsc_conn(dom0);

	ERR(c, XS_INTRODUCE, "0\0001\0001", "EINVAL");
	ERR(c, XS_INTRODUCE, "5\0001\0000", "EINVAL");
	ERR(c, XS_INTRODUCE, "5\0001", "EINVAL");
	ERR(c, XS_INTRODUCE, "5\0x\0001", "EINVAL");
	ERR(c, XS_INTRODUCE, "32752\0001\0001", "EINVAL");
	ERR(c, XS_INTRODUCE, "5\0001\0001\0\0extra", "EINVAL");
	assert_int_equal(xsc_call(dom0, XS_INTRODUCE, 0, "5\0001\0001\0", 7,
				  NULL, NULL),
			 0);
	ERR(c, XS_RELEASE, "0", "EINVAL");
	ERR(c, XS_RELEASE, "6", "ENOENT");
	ERR(c, XS_RESUME, "6", "ENOENT");
	assert_int_equal(xsc_release(dom0, 5), 0);
	ERR(c, XS_RELEASE, "5", "ENOENT");
}

static void is_domain_introduced(void **state)
{
	bool yes;

	assert_int_equal(xsc_is_introduced(dom0, 0, &yes), 0);
	assert_true(yes);
	assert_int_equal(xsc_is_introduced(dom0, DOMID_SELF, &yes), 0);
	assert_true(yes);
	assert_int_equal(xsc_is_introduced(dom0, 9, &yes), 0);
	assert_false(yes);
}

static void control_check_and_help(void **state)
{
	char *reply;

	assert_int_equal(xsc_call(dom0, XS_CONTROL, 0, "check", 6, NULL, NULL),
			 0);
	assert_int_equal(xsc_call(dom0, XS_CONTROL, 0, "help", 5, &reply, NULL),
			 0);
	assert_non_null(strstr(reply, "check"));
	xsd_free(reply);
	assert_int_equal(xsc_call(dom0, XS_CONTROL, 0, "frobnicate", 11, NULL,
				  NULL),
			 -EINVAL);
}

static void error_names_are_xs_wires(void **state)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]);
	     i++) {
		assert_string_equal(xsd_error_name(xsd_errors[i].errnum),
				    xsd_errors[i].errstring);
		assert_string_equal(xsd_error_name(-xsd_errors[i].errnum),
				    xsd_errors[i].errstring);
		assert_int_equal(xsd_error_number(xsd_errors[i].errstring),
				 -xsd_errors[i].errnum);
	}
	assert_string_equal(xsd_error_name(EFAULT), "EINVAL");
	assert_int_equal(xsd_error_number("EWHAT"), -EINVAL);
}

struct hooks {
	int introduced, released, ready, fail, locks, held;
	domid_t domid;
	uint64_t mfn;
	evtchn_port_t port;
};

static void on_ready(void *ctx, struct xsd_conn *c)
{
	((struct hooks *)ctx)->ready++;
}

static int on_introduce(void *ctx, struct xsd_conn *c, domid_t domid,
			uint64_t mfn, evtchn_port_t port)
{
	struct hooks *h = ctx;

	if (h->fail)
		return -ENOMEM;
	h->introduced++;
	h->domid = domid;
	h->mfn = mfn;
	h->port = port;
	xsd_conn_set_priv(c, h);
	return 0;
}

/* The clients' lock: never taken twice, always let go. */
static void on_lock(void *ctx)
{
	struct hooks *h = ctx;

	assert_int_equal(h->held, 0);
	h->held = 1;
	h->locks++;
}

static void on_unlock(void *ctx)
{
	struct hooks *h = ctx;

	assert_int_equal(h->held, 1);
	h->held = 0;
}

static void on_release(void *ctx, struct xsd_conn *c)
{
	struct hooks *h = ctx;

	assert_ptr_equal(xsd_conn_priv(c), h);
	h->released++;
}

static void the_embedders_hooks_run(void **state)
{
	static const struct xsd_ops ops = {
		.output_ready = on_ready,
		.introduce = on_introduce,
		.release = on_release,
		.lock = on_lock,
		.unlock = on_unlock,
	};
	struct hooks h = {0};
	struct xsd_store *s = xsd_store_new(&ops, &h);
	struct xsc *c0 = xsc_open(s, 0, true);
	struct xsd_conn *ring;

	assert_int_equal(xsc_introduce(c0, 12, 0x12345678abcdULL, 33), 0);
	assert_int_equal(h.introduced, 1);
	assert_int_equal(h.domid, 12);
	assert_true(h.mfn == 0x12345678abcdULL);
	assert_int_equal(h.port, 33);
	assert_true(h.ready > 0);
	ring = xsd_domain_conn(s, 12);
	assert_non_null(ring);
	assert_int_equal(xsd_conn_domid(ring), 12);
	/* Introduced again: attached again, no new connection. */
	assert_int_equal(xsc_introduce(c0, 12, 1, 34), 0);
	assert_int_equal(h.introduced, 2);
	assert_ptr_equal(xsd_domain_conn(s, 12), ring);
	assert_int_equal(xsc_release(c0, 12), 0);
	assert_int_equal(h.released, 1);
	assert_null(xsd_domain_conn(s, 12));
	/* A failing hook: no domain. */
	h.fail = 1;
	assert_int_equal(xsc_introduce(c0, 13, 1, 1), -ENOMEM);
	assert_null(xsd_domain_conn(s, 13));
	/* A watch function called from dispatch may call the client. */
	assert_int_equal(xsc_watch(c0, "/h", "t", NULL, NULL), 0);
	xsc_dispatch(c0);
	xsc_close(c0);
	assert_true(h.locks > 8);
	assert_int_equal(h.held, 0);
	xsd_store_free(s);
}

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* Random bytes, and random well-framed requests of random types. */
static void random_input_is_survived(void **state)
{
	struct xsd_conn *conns[2] = {xsc_conn(dom0), xsc_conn(xs_domain(2))};
	unsigned int seed = 1;
	char buf[600];

	for (int round = 0; round < 3000; round++) {
		struct xsd_conn *c = conns[round & 1];
		struct xsd_sockmsg *h = (void *)buf;
		size_t len = rnd(&seed) % 64;
		char out[512];

		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = "/ab\0T@r5-"[rnd(&seed) % 9];
		h->type = rnd(&seed) % (XS_TYPE_COUNT + 2);
		h->req_id = round;
		h->tx_id = rnd(&seed) % 3;
		h->len = (uint32_t)len;
		if (xsd_conn_input(c, buf, sizeof(*h) + len) < 0)
			break;
		while (xsd_conn_output(c, out, sizeof(out)))
			;
	}
	xs_must_write(dom0, "/alive", "yes");
}

/* One workload of every kind of request; errors are expected. */
static void workload(void)
{
	struct xs_seen seen = {0};
	char *v, *names;
	unsigned int n;
	xs_tx_t tx;

	xsc_write_str(dom0, 0, "/w/a/b", "1");
	xsc_watch(dom0, "/w", "t", xs_record_event, &seen);
	xsc_set_perms(dom0, 0, "/w/a", &(struct xs_perm){0, 1}, 1);
	if (!xsc_transaction_start(dom0, &tx)) {
		xsc_write_str(dom0, tx, "/w/c", "2");
		xsc_rm(dom0, tx, "/w/a");
		xsc_transaction_end(dom0, tx, true);
	}
	if (!xsc_read(dom0, 0, "/w/c", &v, NULL))
		xsd_free(v);
	if (!xsc_directory(dom0, 0, "/w", &names, &n))
		xsd_free(names);
	xsc_introduce(dom0, 4, 1, 1);
	xsc_rm(dom0, 0, "/w");
	xsc_release(dom0, 4);
	xsc_dispatch(dom0);
}

static void running_out_of_memory_anywhere_is_survived(void **state)
{
	int n;

	/* Fail the nth allocation, for every n the workload reaches. */
	for (n = 0; n < 2000; n++) {
		xs_teardown(state);
		xs_setup(state);
		xs_fail_after(n);
		workload();
		if (xs_fail_remaining() > 0)
			break; /* the workload needs fewer than n */
	}
	assert_true(n > 100 && n < 2000);
	print_message("failed each of %d allocations in turn\n", n);
	xs_fail_after(-1);
	/* Whatever stayed is a consistent tree. */
	xs_must_write(dom0, "/after", "ok");
}

#define T(f) cmocka_unit_test_setup_teardown(f, xs_setup, xs_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(an_oversized_payload_breaks_the_connection),
		T(a_full_payload_is_fine),
		T(requests_may_arrive_byte_by_byte),
		T(replies_echo_the_ids),
		T(arguments_need_their_nuls),
		T(bad_paths_are_refused),
		T(unknown_types_are_enosys),
		T(privileged_requests_are_refused_to_domains),
		T(introduce_checks_its_arguments),
		T(is_domain_introduced),
		T(control_check_and_help),
		T(error_names_are_xs_wires),
		T(the_embedders_hooks_run),
		T(random_input_is_survived),
		T(running_out_of_memory_anywhere_is_survived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
