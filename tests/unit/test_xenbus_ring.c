/*
 * Unit tests for the xenstore ring's message level
 * (pvguest/xenbus/ring_msg.c), what ring.c's reader does with the bytes
 * xenstored puts in the page: indices that claim more than a ring holds
 * or an error in the page are -EIO, copies stop at the ring's end and
 * consume what they took, a payload over XENSTORE_PAYLOAD_MAX is
 * refused, a reply settles the request with its req_id (its payload, the
 * errno an ERROR names, -EIO for another type) and one for nobody is
 * left alone, and a watch event needs both its strings' NULs inside its
 * payload. Payloads are kernel heap blocks, so the fixture's teardown
 * sees one kept or freed twice.
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

static struct xenstore_domain_interface page;

static int page_setup(void **state)
{
	memset(&page, 0, sizeof(page));
	return xb_setup(state);
}

/* A payload as the reader holds it: len bytes and a NUL, on the heap. */
static char *body(const void *bytes, uint32_t len)
{
	char *b = kmalloc(len + 1);

	assert_non_null(b);
	memcpy(b, bytes, len);
	b[len] = '\0';
	return b;
}
#define BODY(lit) body(lit, sizeof(lit) - 1)

/* Indices. */

static void responses_available_follow_the_indices(void **state)
{
	page.rsp_cons = 10;
	page.rsp_prod = 10;
	assert_int_equal(xenbus_rsp_avail(&page), 0);
	page.rsp_prod = 10 + XENSTORE_RING_SIZE;
	assert_int_equal(xenbus_rsp_avail(&page), XENSTORE_RING_SIZE);
	page.rsp_cons = 0xfffffff0u; /* free-running: they wrap */
	page.rsp_prod = 0x10;
	assert_int_equal(xenbus_rsp_avail(&page), 0x20);
}

static void responses_beyond_a_ring_are_eio(void **state)
{
	page.rsp_cons = 100;
	page.rsp_prod = 100 + XENSTORE_RING_SIZE + 1;
	assert_int_equal(xenbus_rsp_avail(&page), -EIO);
	page.rsp_prod = 99; /* behind the consumer */
	assert_int_equal(xenbus_rsp_avail(&page), -EIO);
}

static void request_room_follows_the_indices(void **state)
{
	page.req_prod = 0x10;
	page.req_cons = 0xfffffff0u;
	assert_int_equal(xenbus_req_room(&page), XENSTORE_RING_SIZE - 0x20);
	page.req_cons = page.req_prod - XENSTORE_RING_SIZE;
	assert_int_equal(xenbus_req_room(&page), 0);
	page.req_cons = page.req_prod - XENSTORE_RING_SIZE - 1;
	assert_int_equal(xenbus_req_room(&page), -EIO);
	page.req_cons = page.req_prod + 1;
	assert_int_equal(xenbus_req_room(&page), -EIO);
}

static void an_error_in_the_page_is_eio(void **state)
{
	page.rsp_prod = 4;
	page.error = 1;
	assert_int_equal(xenbus_rsp_avail(&page), -EIO);
	assert_int_equal(xenbus_req_room(&page), -EIO);
}

static void taking_stops_at_the_end_of_the_ring(void **state)
{
	char buf[16];

	memcpy(page.rsp + XENSTORE_RING_SIZE - 3, "abc", 3);
	memcpy(page.rsp, "defg", 4);
	page.rsp_cons = 5 * XENSTORE_RING_SIZE - 3;
	page.rsp_prod = page.rsp_cons + 7;
	assert_int_equal(xenbus_rsp_take(&page, buf, 6), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(page.rsp_cons, 5 * XENSTORE_RING_SIZE);
	assert_int_equal(xenbus_rsp_take(&page, buf, 6), 4);
	assert_memory_equal(buf, "defg", 4);
	assert_int_equal(xenbus_rsp_take(&page, buf, 6), 0);
	assert_int_equal(page.rsp_cons, page.rsp_prod);
}

static void taking_with_bad_indices_takes_nothing(void **state)
{
	char buf[16];

	page.rsp_cons = 7;
	page.rsp_prod = 7 + XENSTORE_RING_SIZE + 1;
	assert_int_equal(xenbus_rsp_take(&page, buf, sizeof(buf)), -EIO);
	assert_int_equal(page.rsp_cons, 7);
}

/* Headers. */

static void a_payload_over_the_maximum_does_not_fit(void **state)
{
	struct xsd_sockmsg h = {.type = XS_READ, .len = XENSTORE_PAYLOAD_MAX};

	assert_true(xenbus_msg_fits(&h));
	h.len = XENSTORE_PAYLOAD_MAX + 1;
	assert_false(xenbus_msg_fits(&h));
	h.len = UINT32_MAX;
	assert_false(xenbus_msg_fits(&h));
}

/* Replies. */

/* Three requests waiting: ids 1, 2 and 3, in list order. */
static struct xenbus_pending reqs[3];
static struct xenbus_pending *list;

static void wait_three(uint32_t type)
{
	memset(reqs, 0, sizeof(reqs));
	for (unsigned int i = 0; i < 3; i++) {
		reqs[i].req_id = i + 1;
		reqs[i].type = type;
		reqs[i].next = i < 2 ? &reqs[i + 1] : NULL;
	}
	list = &reqs[0];
}

static void a_reply_settles_its_request(void **state)
{
	struct xsd_sockmsg h = {.type = XS_READ, .req_id = 2, .len = 5};
	struct xenbus_pending *p;

	wait_three(XS_READ);
	p = xenbus_reply_match(&list, &h, BODY("hello"));
	assert_ptr_equal(p, &reqs[1]);
	assert_int_equal(p->rc, 0);
	assert_string_equal(p->reply, "hello");
	assert_int_equal(p->len, 5);
	assert_false(p->done); /* the reader's to set, with the wake */
	assert_ptr_equal(list, &reqs[0]);
	assert_ptr_equal(reqs[0].next, &reqs[2]);
	kfree(p->reply);
}

static void a_reply_of_another_type_is_eio(void **state)
{
	struct xsd_sockmsg h = {.type = XS_DIRECTORY, .req_id = 1, .len = 3};
	struct xenbus_pending *p;

	wait_three(XS_READ);
	p = xenbus_reply_match(&list, &h, BODY("a\0b"));
	assert_ptr_equal(p, &reqs[0]);
	assert_int_equal(p->rc, -EIO);
	assert_null(p->reply);
	assert_ptr_equal(list, &reqs[1]);
	assert_int_equal(xb_live_blocks, 0); /* its payload freed */
}

static void an_error_reply_is_its_errno(void **state)
{
	struct xsd_sockmsg h = {.type = XS_ERROR, .req_id = 3, .len = 7};
	struct xenbus_pending *p;

	wait_three(XS_WRITE);
	p = xenbus_reply_match(&list, &h, BODY("ENOENT\0"));
	assert_ptr_equal(p, &reqs[2]);
	assert_int_equal(p->rc, -ENOENT);
	assert_null(p->reply);
	assert_null(reqs[1].next);

	h.req_id = 1;
	h.len = 8;
	p = xenbus_reply_match(&list, &h, BODY("EBOGUS!\0"));
	assert_int_equal(p->rc, -EINVAL); /* a name xs_wire.h lacks */
	assert_int_equal(xb_live_blocks, 0);
}

static void a_reply_for_nobody_is_left_alone(void **state)
{
	struct xsd_sockmsg h = {.type = XS_READ, .req_id = 9, .len = 1};
	char *b = BODY("x");

	wait_three(XS_READ);
	assert_null(xenbus_reply_match(&list, &h, b));
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(reqs[i].rc, 0);
	assert_ptr_equal(list, &reqs[0]);
	assert_ptr_equal(reqs[1].next, &reqs[2]);
	assert_int_equal(xb_live_blocks, 1); /* the caller's to free */
	kfree(b);

	list = NULL;
	b = BODY("x");
	assert_null(xenbus_reply_match(&list, &h, b));
	kfree(b);
}

/* Watch events. */

static void an_event_splits_into_path_and_token(void **state)
{
	static const char ev[] = "/local/domain/1/device\0tok7\0";
	char *b = body(ev, sizeof(ev) - 1);
	const char *token = NULL;

	assert_true(xenbus_event_split(b, sizeof(ev) - 1, &token));
	assert_string_equal(b, "/local/domain/1/device");
	assert_string_equal(token, "tok7");
	kfree(b);

	b = BODY("p\0\0"); /* an empty token is still a token */
	assert_true(xenbus_event_split(b, 3, &token));
	assert_string_equal(token, "");
	kfree(b);
}

static void an_event_without_its_token_nul_is_dropped(void **state)
{
	const char *token = NULL;
	char *b = BODY("/path\0token");

	assert_false(xenbus_event_split(b, 11, &token));
	kfree(b);
	b = BODY("/path\0"); /* no token at all */
	assert_false(xenbus_event_split(b, 6, &token));
	kfree(b);
	b = BODY("/path"); /* no NUL at all */
	assert_false(xenbus_event_split(b, 5, &token));
	kfree(b);
	b = BODY("");
	assert_false(xenbus_event_split(b, 0, &token));
	kfree(b);
	assert_null(token);
}

#define T(f) cmocka_unit_test_setup_teardown(f, page_setup, xb_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(responses_available_follow_the_indices),
		T(responses_beyond_a_ring_are_eio),
		T(request_room_follows_the_indices),
		T(an_error_in_the_page_is_eio),
		T(taking_stops_at_the_end_of_the_ring),
		T(taking_with_bad_indices_takes_nothing),
		T(a_payload_over_the_maximum_does_not_fit),
		T(a_reply_settles_its_request),
		T(a_reply_of_another_type_is_eio),
		T(an_error_reply_is_its_errno),
		T(a_reply_for_nobody_is_left_alone),
		T(an_event_splits_into_path_and_token),
		T(an_event_without_its_token_nul_is_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
