/*
 * Unit tests for the buddy heap (mm/page_alloc.c) on a fake machine of
 * 4096 frames whose RAM has reserved holes: the initial blocks, natural
 * alignment, splitting and merging, exhaustion and accounting, scrubbing
 * of boot memory and of freed domain memory, and the xenheap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <asm/page.h>
#include <asm/processor.h>

#include "fake/fake.h"
#include "mm_fixture.h"

#define NR_FRAMES 4096
#define FILL 0xa5

/* RAM with holes at [0, 16), [1000, 1024) and [3000, 3072). */
static const struct ram_range layout[] = {
	{16, 984},
	{1024, 1976},
	{3072, 1024},
};
#define LAYOUT_FRAMES 3984UL

/*
 * The blocks that RAM forms, worked out by hand: [16, 1000) is 16+32+64+
 * 128+256 | 256+128+64+32+8; [1024, 3000) is 1024+512+256+128+32+16+8;
 * [3072, 4096) is one 1024-frame block.
 */
static const unsigned long layout_blocks[MAX_ORDER + 1] = {
	[3] = 2, [4] = 2, [5] = 3, [6] = 2, [7] = 3, [8] = 3, [9] = 1, [10] = 2,
};

static int setup_layout(void **state)
{
	mm_fixture_init(NR_FRAMES, layout, ARRAY_SIZE(layout), true, FILL);
	return 0;
}

/* Only [3072, 4096): a single free block of order 10. */
static const struct ram_range single[] = {{3072, 1024}};

static int setup_single(void **state)
{
	mm_fixture_init(NR_FRAMES, single, ARRAY_SIZE(single), false, FILL);
	return 0;
}

static int teardown(void **state)
{
	unsigned int held = fake_locks_held();
	bool irqs = fake_irq_enabled;

	mm_fixture_fini();
	assert_int_equal(held, 0);
	assert_true(irqs);
	return 0;
}

static void assert_blocks(const unsigned long *expected)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		unsigned long got = heap_free_pages_of_order(o);

		if (got != expected[o])
			fail_msg("order %u: %lu free blocks, expected %lu", o,
				 got, expected[o]);
	}
}

static unsigned long mfn_of(const struct page_info *pg)
{
	return mfn_x(page_to_mfn(pg));
}

static void init_forms_maximal_aligned_blocks(void **state)
{
	assert_blocks(layout_blocks);
	assert_int_equal(heap_free_pages(), LAYOUT_FRAMES);
	assert_int_equal(mm_fixture_total_pages(), LAYOUT_FRAMES);
}

static void init_in_pieces_merges_into_one_block(void **state)
{
	/* [3072, 4096) given to the heap as 8 pieces, out of order. */
	static const unsigned int piece[] = {5, 0, 7, 2, 1, 6, 3, 4};
	unsigned long expected[MAX_ORDER + 1] = {[10] = 1};

	mm_fixture_init(NR_FRAMES, NULL, 0, false, FILL);
	frame_table_mark_ram(_mfn(3072), 1024);
	for (unsigned int i = 0; i < ARRAY_SIZE(piece); i++)
		heap_init_range(_mfn(3072 + piece[i] * 128), 128, false);
	assert_blocks(expected);
	assert_int_equal(heap_free_pages(), 1024);
}

static void alloc_every_order_is_naturally_aligned(void **state)
{
	for (unsigned int o = 0; o <= 10; o++) {
		struct page_info *pg = alloc_heap_pages(o);

		assert_non_null(pg);
		assert_int_equal(mfn_of(pg) & ((1UL << o) - 1), 0);
		for (unsigned long i = 0; i < (1UL << o); i++) {
			assert_true(page_is_ram(page_to_mfn(&pg[i])));
			assert_int_equal(page_state(&pg[i]), PGC_state_inuse);
			assert_null(pg[i].owner);
			assert_int_equal(pg[i].count_info & PGC_count_mask, 0);
		}
		free_heap_pages(pg, o);
	}
	assert_blocks(layout_blocks);
}

static void alloc_beyond_largest_block_returns_null(void **state)
{
	assert_null(alloc_heap_pages(11));
	assert_null(alloc_heap_pages(MAX_ORDER));
	assert_null(alloc_heap_pages(MAX_ORDER + 1));
	assert_null(alloc_heap_pages(~0U));
	assert_int_equal(heap_free_pages(), LAYOUT_FRAMES);
	assert_blocks(layout_blocks);
}

static void alloc_splits_block_and_keeps_upper_halves(void **state)
{
	unsigned long expected[MAX_ORDER + 1] = {0};
	struct page_info *pg = alloc_heap_pages(0);

	assert_non_null(pg);
	assert_int_equal(mfn_of(pg), 3072); /* the lowest frame */
	for (unsigned int o = 0; o < 10; o++)
		expected[o] = 1; /* 3073, 3074, 3076, ..., 3584 */
	assert_blocks(expected);
	assert_int_equal(heap_free_pages(), 1023);

	free_heap_pages(pg, 0);
	memset(expected, 0, sizeof(expected));
	expected[10] = 1;
	assert_blocks(expected);
}

static void alloc_prefers_smallest_sufficient_block(void **state)
{
	/* layout has an order-3 block; an order-3 request must not split. */
	unsigned long expected[MAX_ORDER + 1];
	struct page_info *pg = alloc_heap_pages(3);

	memcpy(expected, layout_blocks, sizeof(expected));
	expected[3]--;
	assert_non_null(pg);
	assert_blocks(expected);
	free_heap_pages(pg, 3);
}

static void free_merges_with_lower_and_upper_buddies(void **state)
{
	struct page_info *p[4];
	unsigned long expected[MAX_ORDER + 1] = {0};

	for (int i = 0; i < 4; i++) /* frames 3072..3075 */
		p[i] = alloc_heap_pages(0);
	assert_int_equal(mfn_of(p[3]), 3075);

	free_heap_pages(p[1], 0); /* buddy 3072 in use: no merge */
	assert_int_equal(heap_free_pages_of_order(0), 1);
	free_heap_pages(p[2], 0); /* buddy 3075 in use: no merge */
	assert_int_equal(heap_free_pages_of_order(0), 2);
	free_heap_pages(p[0], 0); /* merges upward with 3073 */
	assert_int_equal(heap_free_pages_of_order(0), 1);
	assert_int_equal(heap_free_pages_of_order(1), 1);
	free_heap_pages(p[3], 0); /* merges down with 3074, then all the way */
	expected[10] = 1;
	assert_blocks(expected);
	assert_int_equal(heap_free_pages(), 1024);
}

static void free_in_any_order_restores_original_blocks(void **state)
{
	static const unsigned int orders[] = {0, 3, 1, 7, 0, 2, 9,  4, 0,
					      5, 6, 1, 8, 2, 0, 10, 3};
	struct page_info *pg[ARRAY_SIZE(orders)];
	unsigned long used = 0;

	for (size_t i = 0; i < ARRAY_SIZE(orders); i++) {
		pg[i] = alloc_heap_pages(orders[i]);
		assert_non_null(pg[i]);
		used += 1UL << orders[i];
	}
	assert_int_equal(heap_free_pages(), LAYOUT_FRAMES - used);
	/* Free odd indices forwards, then even ones backwards. */
	for (size_t i = 1; i < ARRAY_SIZE(orders); i += 2)
		free_heap_pages(pg[i], orders[i]);
	for (size_t i = (ARRAY_SIZE(orders) - 1) & ~1UL;; i -= 2) {
		free_heap_pages(pg[i], orders[i]);
		if (!i)
			break;
	}
	assert_int_equal(heap_free_pages(), LAYOUT_FRAMES);
	assert_blocks(layout_blocks);
}

static void exhaustion_returns_null_and_recovers(void **state)
{
	struct page_info **all = calloc(LAYOUT_FRAMES, sizeof(*all));
	unsigned long n = 0;
	struct page_info *pg;

	while ((pg = alloc_heap_pages(0)) != NULL) {
		assert_true(n < LAYOUT_FRAMES);
		all[n++] = pg;
	}
	assert_int_equal(n, LAYOUT_FRAMES);
	assert_int_equal(heap_free_pages(), 0);
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		assert_null(alloc_heap_pages(o));
		assert_int_equal(heap_free_pages_of_order(o), 0);
	}
	while (n)
		free_heap_pages(all[--n], 0);
	assert_blocks(layout_blocks);
	free(all);
}

static void no_frame_is_handed_out_twice(void **state)
{
	uint8_t *owner = calloc(NR_FRAMES, 1);
	unsigned long got = 0;
	unsigned int o = 0;

	/* Mixed orders until nothing is left, marking every frame. */
	for (unsigned int i = 0;; i++) {
		struct page_info *pg = alloc_heap_pages(o);

		if (!pg) {
			if (o == 0)
				break;
			o--;
			continue;
		}
		for (unsigned long j = 0; j < (1UL << o); j++) {
			unsigned long m = mfn_of(pg) + j;

			assert_true(page_is_ram(_mfn(m)));
			if (owner[m])
				fail_msg("frame %lu handed out twice", m);
			owner[m] = 1;
		}
		got += 1UL << o;
		o = (i * 7) % 6; /* 0, 1, 2, 3, 4, 5, 0, ... */
	}
	assert_int_equal(got, LAYOUT_FRAMES);
	for (unsigned long m = 0; m < NR_FRAMES; m++)
		assert_int_equal(owner[m], page_is_ram(_mfn(m)));
	free(owner);
}

static void free_count_tracks_every_operation(void **state)
{
	struct page_info *pg[11];
	unsigned long free = LAYOUT_FRAMES;

	for (unsigned int o = 0; o <= 10; o++) {
		pg[o] = alloc_heap_pages(o);
		free -= 1UL << o;
		assert_int_equal(heap_free_pages(), free);
	}
	for (unsigned int o = 0; o <= 10; o++) {
		free_heap_pages(pg[o], o);
		free += 1UL << o;
		assert_int_equal(heap_free_pages(), free);
	}
	assert_int_equal(mm_fixture_total_pages(), LAYOUT_FRAMES);
}

static void boot_memory_is_zeroed_when_allocated(void **state)
{
	unsigned long seen = 0;
	struct page_info *pg;

	/* need_scrub: every frame starts as FILL and must come back zero. */
	while ((pg = alloc_heap_pages(0)) != NULL) {
		if (!fake_frame_filled(mfn_of(pg), 0))
			fail_msg("frame %lu not scrubbed", mfn_of(pg));
		assert_int_equal(pg->count_info & PGC_need_scrub, 0);
		seen++;
	}
	assert_int_equal(seen, LAYOUT_FRAMES);
}

static void scrubbing_never_touches_reserved_frames(void **state)
{
	mm_fixture_drain(); /* scrubs every RAM frame */
	for (unsigned long m = 0; m < NR_FRAMES; m++)
		if (!page_is_ram(_mfn(m)) && !fake_frame_filled(m, FILL))
			fail_msg("reserved frame %lu was written", m);
}

static void clean_memory_is_not_rescrubbed(void **state)
{
	/* setup_single: the RAM was given as clean, so FILL survives. */
	struct page_info *pg = alloc_heap_pages(2);

	for (unsigned long i = 0; i < 4; i++)
		assert_true(fake_frame_filled(mfn_of(pg) + i, FILL));
	free_heap_pages(pg, 2);
}

static void free_domheap_pages_scrubs_before_freeing(void **state)
{
	struct page_info *pg = alloc_domheap_pages(NULL, 2);
	unsigned long m = mfn_of(pg);

	for (unsigned long i = 0; i < 4; i++)
		memset(mfn_to_virt(_mfn(m + i)), 0x5a, PAGE_SIZE);
	free_domheap_pages(pg, 2);
	for (unsigned long i = 0; i < 4; i++) {
		assert_int_equal(page_state(&pg[i]), PGC_state_free);
		assert_true(fake_frame_filled(m + i, 0));
	}
	/* And the next owner of those frames sees zeros. */
	pg = alloc_domheap_pages(NULL, 2);
	assert_int_equal(mfn_of(pg), m);
	for (unsigned long i = 0; i < 4; i++)
		assert_true(fake_frame_filled(m + i, 0));
	free_domheap_pages(pg, 2);
}

static void freed_xenheap_memory_is_scrubbed_before_reuse(void **state)
{
	uint8_t *v = alloc_xenheap_pages(1);
	unsigned long m = mfn_of(mfn_to_page(virt_to_mfn(v)));
	struct page_info *pg;

	memset(v, 0x3c, 2 * PAGE_SIZE); /* hypervisor secrets */
	free_xenheap_pages(v, 1);
	pg = alloc_domheap_pages(NULL, 1);
	assert_int_equal(mfn_of(pg), m);
	assert_true(fake_frame_filled(m, 0));
	assert_true(fake_frame_filled(m + 1, 0));
	free_domheap_pages(pg, 1);
}

static void xenheap_pages_are_flagged_and_mapped(void **state)
{
	for (unsigned int o = 0; o <= 4; o++) {
		uint8_t *v = alloc_xenheap_pages(o);
		struct page_info *pg;

		assert_non_null(v);
		assert_int_equal((uintptr_t)v & (PAGE_SIZE - 1), 0);
		pg = mfn_to_page(virt_to_mfn(v));
		assert_ptr_equal(mfn_to_virt(page_to_mfn(pg)), v);
		for (unsigned long i = 0; i < (1UL << o); i++) {
			assert_true(pg[i].count_info & PGC_hv_heap);
			assert_int_equal(page_state(&pg[i]), PGC_state_inuse);
		}
		memset(v, 0xee, PAGE_SIZE << o); /* it is all writable */
		free_xenheap_pages(v, o);
		for (unsigned long i = 0; i < (1UL << o); i++) {
			assert_false(pg[i].count_info & PGC_hv_heap);
			assert_int_equal(page_state(&pg[i]), PGC_state_free);
		}
	}
	free_xenheap_pages(NULL, 3); /* ignored */
	assert_int_equal(heap_free_pages(), 1024);
}

static void xenheap_alloc_fails_cleanly_when_empty(void **state)
{
	void *a = alloc_xenheap_pages(10);

	assert_non_null(a);
	assert_null(alloc_xenheap_pages(0));
	free_xenheap_pages(a, 10);
	assert_int_equal(heap_free_pages_of_order(10), 1);
}

static void free_xenheap_of_domheap_page_asserts(void **state)
{
	struct page_info *pg = alloc_heap_pages(0);

	expect_assert_failure(
		free_xenheap_pages(mfn_to_virt(page_to_mfn(pg)), 0));
	fake_cpu_recover();
	free_heap_pages(pg, 0);
}

static void double_free_asserts(void **state)
{
	struct page_info *pg = alloc_heap_pages(1);

	free_heap_pages(pg, 1);
	expect_assert_failure(free_heap_pages(pg, 1));
	fake_cpu_recover();
	assert_int_equal(heap_free_pages(), 1024);
}

static void free_of_reserved_frame_asserts(void **state)
{
	expect_assert_failure(free_heap_pages(mfn_to_page(_mfn(1000)), 0));
	fake_cpu_recover();
	assert_int_equal(heap_free_pages(), LAYOUT_FRAMES);
}

static void blocks_of_order_count_after_split(void **state)
{
	struct page_info *pg = alloc_heap_pages(3);
	unsigned long expected[MAX_ORDER + 1] = {
		[3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1, [8] = 1, [9] = 1,
	};

	assert_blocks(expected);
	assert_int_equal(heap_free_pages_of_order(MAX_ORDER + 1), 0);
	assert_int_equal(heap_free_pages_of_order(~0U), 0);
	free_heap_pages(pg, 3);
}

static void interrupts_stay_off_if_they_were_off(void **state)
{
	struct page_info *pg;

	fake_irq_enabled = false;
	pg = alloc_heap_pages(0);
	assert_false(fake_irq_enabled);
	free_heap_pages(pg, 0);
	assert_false(fake_irq_enabled);
	fake_irq_enabled = true;
	assert_int_equal(fake_locks_held(), 0);
}

static void print_stats_reports_free_and_total(void **state)
{
	struct page_info *pg = alloc_heap_pages(4);
	char line[64];

	/* The total counts every test's heap; the free count is ours. */
	snprintf(line, sizeof(line), "Heap: 3968 of %lu frames free",
		 heap_total_pages());
	heap_print_stats();
	assert_true(fake_log_contains(line));
	assert_true(fake_log_contains("order 10: 2 free blocks"));
	free_heap_pages(pg, 4);
}

#define LAYOUT_TEST(f)                                                         \
	cmocka_unit_test_setup_teardown(f, setup_layout, teardown)
#define SINGLE_TEST(f)                                                         \
	cmocka_unit_test_setup_teardown(f, setup_single, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		LAYOUT_TEST(init_forms_maximal_aligned_blocks),
		LAYOUT_TEST(init_in_pieces_merges_into_one_block),
		LAYOUT_TEST(alloc_every_order_is_naturally_aligned),
		LAYOUT_TEST(alloc_beyond_largest_block_returns_null),
		SINGLE_TEST(alloc_splits_block_and_keeps_upper_halves),
		LAYOUT_TEST(alloc_prefers_smallest_sufficient_block),
		SINGLE_TEST(free_merges_with_lower_and_upper_buddies),
		LAYOUT_TEST(free_in_any_order_restores_original_blocks),
		LAYOUT_TEST(exhaustion_returns_null_and_recovers),
		LAYOUT_TEST(no_frame_is_handed_out_twice),
		LAYOUT_TEST(free_count_tracks_every_operation),
		LAYOUT_TEST(boot_memory_is_zeroed_when_allocated),
		LAYOUT_TEST(scrubbing_never_touches_reserved_frames),
		SINGLE_TEST(clean_memory_is_not_rescrubbed),
		SINGLE_TEST(free_domheap_pages_scrubs_before_freeing),
		SINGLE_TEST(freed_xenheap_memory_is_scrubbed_before_reuse),
		SINGLE_TEST(xenheap_pages_are_flagged_and_mapped),
		SINGLE_TEST(xenheap_alloc_fails_cleanly_when_empty),
		SINGLE_TEST(free_xenheap_of_domheap_page_asserts),
		SINGLE_TEST(double_free_asserts),
		LAYOUT_TEST(free_of_reserved_frame_asserts),
		SINGLE_TEST(blocks_of_order_count_after_split),
		LAYOUT_TEST(interrupts_stay_off_if_they_were_off),
		LAYOUT_TEST(print_stats_reports_free_and_total),
	};

	return cmocka_run_group_tests_name("buddy", tests, NULL, NULL);
}
