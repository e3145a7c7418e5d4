/*
 * Unit tests for xmalloc (mm/xmalloc.c) over the real buddy heap on a
 * fake machine: 16-byte alignment, size classes that do not overlap,
 * reuse of freed blocks, whole-page allocations that go back to the heap,
 * zeroing, overflow checks and the header check in xfree(). The pools
 * keep their pages, so the heap is built once for the whole group and
 * every test frees what it allocates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <asm/page.h>

#include "fake/fake.h"
#include "mm_fixture.h"

#define NR_FRAMES 4096

static const struct ram_range ram[] = {{16, NR_FRAMES - 16}};

static int group_setup(void **state)
{
	mm_fixture_init(NR_FRAMES, ram, ARRAY_SIZE(ram), true, 0xcc);
	return 0;
}

static int group_teardown(void **state)
{
	mm_fixture_fini();
	return 0;
}

static int check_unlocked(void **state)
{
	unsigned int held = fake_locks_held();

	fake_cpu_recover();
	assert_int_equal(held, 0);
	return 0;
}

static bool aligned16(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static void blocks_are_aligned_and_disjoint(void **state)
{
	enum { N = 400 };
	uint8_t *p[N];
	size_t size[N];

	for (unsigned int i = 0; i < N; i++) {
		size[i] = (i * 37) % 3000;
		p[i] = xmalloc_bytes(size[i]);
		assert_non_null(p[i]);
		assert_true(aligned16(p[i]));
		memset(p[i], (int)(i & 0xff), size[i]);
	}
	for (unsigned int i = 0; i < N; i++)
		for (size_t j = 0; j < size[i]; j++)
			if (p[i][j] != (uint8_t)i)
				fail_msg(
					"block %u (%zu bytes) overwritten at %zu",
					i, size[i], j);
	for (unsigned int i = 0; i < N; i++)
		xfree(p[i]);
}

static void freed_block_is_reused_by_its_class(void **state)
{
	void *p = xmalloc_bytes(100), *q;

	xfree(p);
	q = xmalloc_bytes(100);
	assert_ptr_equal(q, p);
	xfree(q);
	q = xmalloc_bytes(90); /* same 128-byte class */
	assert_ptr_equal(q, p);
	xfree(q);
	q = xmalloc_bytes(200); /* another class */
	assert_ptr_not_equal(q, p);
	xfree(q);
}

static void zero_byte_allocations_are_distinct(void **state)
{
	void *a = xmalloc_bytes(0), *b = xmalloc_bytes(0);

	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	xfree(a);
	xfree(b);
}

static void largest_pool_block_stays_in_the_pool(void **state)
{
	/* 4080 bytes + the 16-byte header fill the 4096-byte class. */
	void *p = xmalloc_bytes(4080);
	unsigned long free_after_alloc = heap_free_pages();

	assert_non_null(p);
	memset(p, 1, 4080);
	xfree(p);
	assert_int_equal(heap_free_pages(), free_after_alloc);
}

static void large_allocation_takes_pages_and_gives_them_back(void **state)
{
	unsigned long before = heap_free_pages();
	uint8_t *p = xmalloc_bytes(4081); /* one byte too many for a pool */

	assert_non_null(p);
	assert_int_equal(heap_free_pages(), before - 2);
	assert_int_equal((uintptr_t)p & (PAGE_SIZE - 1), 16);
	memset(p, 2, 4081);
	xfree(p);
	assert_int_equal(heap_free_pages(), before);

	p = xmalloc_bytes(1 << 20); /* 1 MiB + header: order 9 */
	assert_non_null(p);
	assert_int_equal(heap_free_pages(), before - 512);
	memset(p, 3, 1 << 20);
	xfree(p);
	assert_int_equal(heap_free_pages(), before);
}

static void xzalloc_returns_zeroed_memory(void **state)
{
	struct thing {
		uint64_t a[20];
	} * t;
	uint8_t *p = xmalloc_bytes(150);

	memset(p, 0xff, 150);
	xfree(p);
	p = xzalloc_bytes(150); /* the same, dirty, block */
	for (int i = 0; i < 150; i++)
		assert_int_equal(p[i], 0);
	xfree(p);

	t = xmalloc(struct thing);
	memset(t, 0xff, sizeof(*t));
	xfree(t);
	t = xzalloc(struct thing);
	for (int i = 0; i < 20; i++)
		assert_int_equal(t->a[i], 0);
	xfree(t);
}

static void xzalloc_array_checks_for_overflow(void **state)
{
	uint32_t *a = xzalloc_array(uint32_t, 100);

	assert_non_null(a);
	for (int i = 0; i < 100; i++)
		assert_int_equal(a[i], 0);
	xfree(a);
	assert_null(xzalloc_array_bytes(SIZE_MAX / 2, 3));
	assert_null(xzalloc_array_bytes(1UL << 32, 1UL << 32));
}

static void oversized_requests_fail(void **state)
{
	unsigned long before = heap_free_pages();

	assert_null(xmalloc_bytes(SIZE_MAX));
	assert_null(xmalloc_bytes(PAGE_SIZE << MAX_ORDER));
	assert_null(xmalloc_bytes(64UL << 20)); /* more than the machine */
	assert_int_equal(heap_free_pages(), before);
}

static void exhausted_heap_fails_then_recovers(void **state)
{
	void *p[64];
	unsigned int n = 0;
	unsigned long before = heap_free_pages();

	while (n < ARRAY_SIZE(p) && (p[n] = xmalloc_bytes(1 << 20)) != NULL)
		n++;
	assert_true(n > 0 && n < ARRAY_SIZE(p));
	assert_true(heap_free_pages() < 512);
	while (n)
		xfree(p[--n]);
	assert_int_equal(heap_free_pages(), before);
}

static void xfree_of_null_is_ignored(void **state)
{
	xfree(NULL);
}

static void xfree_of_corrupted_block_asserts(void **state)
{
	uint32_t *p = xmalloc_bytes(64);
	uint32_t magic = p[-4];

	p[-4] = 0;
	expect_assert_failure(xfree(p));
	p[-4] = magic;
	xfree(p);
}

#define TEST(f) cmocka_unit_test_teardown(f, check_unlocked)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(blocks_are_aligned_and_disjoint),
		TEST(freed_block_is_reused_by_its_class),
		TEST(zero_byte_allocations_are_distinct),
		TEST(largest_pool_block_stays_in_the_pool),
		TEST(large_allocation_takes_pages_and_gives_them_back),
		TEST(xzalloc_returns_zeroed_memory),
		TEST(xzalloc_array_checks_for_overflow),
		TEST(oversized_requests_fail),
		TEST(exhausted_heap_fails_then_recovers),
		TEST(xfree_of_null_is_ignored),
		TEST(xfree_of_corrupted_block_asserts),
	};

	return cmocka_run_group_tests_name("xmalloc", tests, group_setup,
					   group_teardown);
}
