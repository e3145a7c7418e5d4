/*
 * libFuzzer target for the console backend's ring and log code
 * (drivers-back/console/ring.c, log.c), which face a frontend that may
 * write anything into its ring page at any time. The input is the page
 * as the frontend left it (struct xencons_interface; a short input
 * leaves the rest zero), then a script: each op byte and its argument
 * takes output, puts input, or lets the frontend scribble an index.
 * Whatever the page says, a call stays inside the page (it is a heap
 * block of its exact size), takes or puts no more than asked and than a
 * ring holds, and moves the backend's own index by exactly that much;
 * the log keeps and finds what was taken.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "consback.h"

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static uint32_t word(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void take(struct xencons_interface *page, XENCONS_RING_IDX *cons,
		 struct consback_log *log, size_t len)
{
	static char buf[4096];
	XENCONS_RING_IDX before = *cons;
	uint64_t end = log->end, after;
	long n = consring_take_output(page, cons, buf, len);

	if (n < 0) {
		check(*cons == before);
		return;
	}
	check((size_t)n <= len && (size_t)n <= sizeof(page->out));
	check(*cons - before == (uint32_t)n);
	check(n == 0 || page->out_cons == *cons);
	conslog_append(log, buf, (size_t)n);
	check(log->end == end + (uint64_t)n);
	if (n >= 4 && buf[0] && buf[1] && buf[2] && buf[3]) {
		char needle[5] = {buf[0], buf[1], buf[2], buf[3], 0};

		check(conslog_find(log, end, needle, &after));
		check(after <= log->end);
	}
}

static void put(struct xencons_interface *page, XENCONS_RING_IDX *prod,
		size_t len)
{
	static const char text[2048];
	XENCONS_RING_IDX before = *prod;
	long n = consring_put_input(page, prod, text, len);

	if (n < 0) {
		check(*prod == before);
		return;
	}
	check((size_t)n <= len && (size_t)n <= sizeof(page->in));
	check(*prod - before == (uint32_t)n);
	check(n == 0 || page->in_prod == *prod);
}

/* Fuzz one page and script. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xencons_interface *page = calloc(1, sizeof(*page));
	static struct consback_log log;
	XENCONS_RING_IDX cons, prod;
	size_t n = size < sizeof(*page) ? size : sizeof(*page);
	char buf[64];
	uint64_t first;

	if (!page)
		return 0;
	memcpy(page, data, n);
	memset(&log, 0, sizeof(log));
	cons = page->out_cons;
	prod = page->in_prod;
	for (size_t i = n; i + 1 < size; i += 2) {
		uint8_t arg = data[i + 1];

		switch (data[i] & 3) {
		case 0: take(page, &cons, &log, (size_t)arg * 16); break;
		case 1: put(page, &prod, (size_t)arg * 8); break;
		case 2:
			if (i + 5 < size)
				page->out_prod = word(&data[i + 2]);
			else
				page->out_prod = cons + arg * 9U;
			break;
		default:
			if (i + 5 < size)
				page->in_cons = word(&data[i + 2]);
			else
				page->in_cons = prod - arg * 5U;
			break;
		}
		check(consring_input_sane(page, prod) ==
		      (prod - page->in_cons <= sizeof(page->in)));
	}
	check(conslog_read(&log, (uint64_t)n, buf, sizeof(buf), &first) <=
	      sizeof(buf));
	check(first >= conslog_start(&log) && first <= log.end);
	free(page);
	return 0;
}
