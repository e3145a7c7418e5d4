/*
 * Unit tests for the console backend's untrusted-data code
 * (drivers-back/console/ring.c and log.c): bytes move through the
 * io/console.h rings in order, across the wrap of the slots and of the
 * 32-bit indices; the backend uses only its own indices, so scribbling
 * on them changes nothing; an impossible index from the frontend is
 * refused with nothing taken or written; and the log keeps the last
 * CONSBACK_LOG_SIZE bytes, read and searched by position. The ring page
 * is a heap block of its exact size, so a stray access is caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "consback.h"
#include <paravane/errno.h>

#define OUT_SIZE ((uint32_t)sizeof(((struct xencons_interface *)0)->out))
#define IN_SIZE ((uint32_t)sizeof(((struct xencons_interface *)0)->in))

static struct xencons_interface *page;

static int setup(void **state)
{
	page = calloc(1, sizeof(*page));
	return page ? 0 : -1;
}

static int teardown(void **state)
{
	free(page);
	return 0;
}

/* The frontend's side: write len bytes of pattern into out[]. */
static void frontend_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		page->out[MASK_XENCONS_IDX(page->out_prod++, page->out)] = s[i];
}

static void pattern(char *buf, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + (seed + i) % 26);
}

static void output_arrives_in_order_across_the_index_wrap(void **state)
{
	XENCONS_RING_IDX cons = 0xfffffe00U;
	char in[3000], out[3000];
	size_t got = 0;

	page->out_prod = page->out_cons = cons;
	pattern(in, sizeof(in), 3);
	frontend_write(in, OUT_SIZE);
	while (got < OUT_SIZE) {
		long n = consring_take_output(page, &cons, out + got, 100);

		assert_true(n > 0 && n <= 100);
		got += (size_t)n;
		assert_int_equal(page->out_cons, cons);
	}
	assert_int_equal(consring_take_output(page, &cons, out, 100), 0);
	frontend_write(in + OUT_SIZE, sizeof(in) - OUT_SIZE);
	assert_int_equal(consring_take_output(page, &cons, out + got, 3000),
			 sizeof(in) - OUT_SIZE);
	assert_memory_equal(in, out, sizeof(in));
	assert_true(cons < 0x1000); /* wrapped */
}

static void an_impossible_out_prod_is_refused(void **state)
{
	XENCONS_RING_IDX cons = 100;
	XENCONS_RING_IDX bad[] = {100 + OUT_SIZE + 1, 99, 0x80000000U,
				  100 - OUT_SIZE};
	char buf[16];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		page->out_prod = bad[i];
		page->out_cons = 7777;
		assert_int_equal(consring_take_output(page, &cons, buf,
						      sizeof(buf)),
				 -EBADMSG);
		assert_int_equal(cons, 100);
		assert_int_equal(page->out_cons, 7777);
	}
	page->out_prod = 100 + OUT_SIZE; /* exactly full is fine */
	assert_int_equal(consring_take_output(page, &cons, buf, sizeof(buf)),
			 sizeof(buf));
}

static void our_own_indices_are_never_read_back(void **state)
{
	XENCONS_RING_IDX cons = 0, prod = 0;
	char buf[8];

	frontend_write("abcdef", 6);
	page->out_cons = 0x12345678; /* scribbled by the frontend */
	assert_int_equal(consring_take_output(page, &cons, buf, 3), 3);
	assert_memory_equal(buf, "abc", 3);
	page->out_cons = 0x9abcdef0;
	assert_int_equal(consring_take_output(page, &cons, buf, 8), 3);
	assert_memory_equal(buf, "def", 3);

	page->in_prod = 0x55555555;
	assert_int_equal(consring_put_input(page, &prod, "xy", 2), 2);
	assert_int_equal(page->in_prod, 2);
	assert_int_equal(prod, 2);
	assert_memory_equal(page->in, "xy", 2);
}

static void input_fills_the_ring_and_no_more(void **state)
{
	XENCONS_RING_IDX prod = 0xffffff00U;
	char big[1500], seen[IN_SIZE];

	page->in_cons = prod;
	page->in_prod = prod;
	pattern(big, sizeof(big), 0);
	assert_int_equal(consring_put_input(page, &prod, big, sizeof(big)),
			 IN_SIZE);
	assert_int_equal(consring_put_input(page, &prod, big, 1), 0);
	for (size_t i = 0; i < IN_SIZE; i++)
		seen[i] =
			page->in[MASK_XENCONS_IDX(page->in_cons + i, page->in)];
	assert_memory_equal(seen, big, IN_SIZE);
	page->in_cons += 100; /* the frontend read 100 */
	assert_true(consring_input_sane(page, prod));
	assert_int_equal(consring_put_input(page, &prod, big, sizeof(big)),
			 100);
	assert_int_equal(page->in_prod, prod);
}

static void an_impossible_in_cons_is_refused(void **state)
{
	XENCONS_RING_IDX prod = 50;
	XENCONS_RING_IDX bad[] = {51, 50 - IN_SIZE - 1, 0x80000032U};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		page->in_cons = bad[i];
		page->in_prod = 4242;
		assert_false(consring_input_sane(page, prod));
		assert_int_equal(consring_put_input(page, &prod, "z", 1),
				 -EBADMSG);
		assert_int_equal(prod, 50);
		assert_int_equal(page->in_prod, 4242);
	}
	page->in_cons = 50 - IN_SIZE; /* full, but possible */
	assert_true(consring_input_sane(page, prod));
	assert_int_equal(consring_put_input(page, &prod, "z", 1), 0);
}

static void the_log_keeps_the_newest_bytes(void **state)
{
	static struct consback_log log;
	static char in[3 * CONSBACK_LOG_SIZE], out[CONSBACK_LOG_SIZE];
	uint64_t first;

	pattern(in, sizeof(in), 5);
	conslog_append(&log, in, 1000);
	assert_int_equal(conslog_start(&log), 0);
	assert_int_equal(conslog_read(&log, 10, out, 20, &first), 20);
	assert_int_equal(first, 10);
	assert_memory_equal(out, in + 10, 20);
	for (size_t at = 1000; at < 2 * CONSBACK_LOG_SIZE; at += 777)
		conslog_append(&log, in + at, 777);
	assert_int_equal(log.end, 1000 + 777 * 41);
	assert_int_equal(conslog_start(&log), log.end - CONSBACK_LOG_SIZE);
	/* Reading from 0 starts at the oldest kept byte. */
	assert_int_equal(conslog_read(&log, 0, out, sizeof(out), &first),
			 CONSBACK_LOG_SIZE);
	assert_int_equal(first, conslog_start(&log));
	assert_memory_equal(out, in + first, CONSBACK_LOG_SIZE);
	assert_int_equal(conslog_read(&log, log.end, out, 10, &first), 0);
	assert_int_equal(conslog_read(&log, log.end + 5, out, 10, &first), 0);
	assert_int_equal(first, log.end);
	/* More than the log holds at once: only its end is kept. */
	conslog_append(&log, in, sizeof(in));
	assert_int_equal(conslog_read(&log, 0, out, sizeof(out), &first),
			 CONSBACK_LOG_SIZE);
	assert_memory_equal(out, in + sizeof(in) - CONSBACK_LOG_SIZE,
			    CONSBACK_LOG_SIZE);
}

static void the_log_is_searched_from_a_position(void **state)
{
	static struct consback_log log;
	static char filler[CONSBACK_LOG_SIZE - 3];
	uint64_t after;

	conslog_append(&log, "hello world, hello again", 24);
	assert_true(conslog_find(&log, 0, "hello", &after));
	assert_int_equal(after, 5);
	assert_true(conslog_find(&log, after, "hello", &after));
	assert_int_equal(after, 18);
	assert_false(conslog_find(&log, after, "hello", &after));
	assert_false(conslog_find(&log, 0, "", &after));
	/* A match across the end of the buffer, then one dropped. */
	memset(filler, '.', sizeof(filler));
	conslog_append(&log, filler, sizeof(filler) - 24);
	conslog_append(&log, "needle", 6);
	assert_true(conslog_find(&log, 0, "needle", &after));
	assert_int_equal(after, log.end);
	conslog_append(&log, filler, sizeof(filler));
	assert_false(conslog_find(&log, 0, "needle", &after));
	assert_false(conslog_find(&log, 0, "hello", &after));
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(output_arrives_in_order_across_the_index_wrap),
		TEST(an_impossible_out_prod_is_refused),
		TEST(our_own_indices_are_never_read_back),
		TEST(input_fills_the_ring_and_no_more),
		TEST(an_impossible_in_cons_is_refused),
		TEST(the_log_keeps_the_newest_bytes),
		TEST(the_log_is_searched_from_a_position),
	};

	return cmocka_run_group_tests_name("consback", tests, NULL, NULL);
}
