/*
 * Unit tests for the boot allocator (mm/boot_alloc.c): adding and merging
 * free ranges, reserving (which may split them), highest-fit allocation
 * with alignment and a limit, and the hand-over to the heap, checked by
 * the exact list of ranges bootmem_hand_over() enumerates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <hv/mm.h>

#include "fake/fake.h"

#define MAX_SEEN 300

struct seen_range {
	unsigned long first, nr;
};

static struct seen_range seen[MAX_SEEN];
static unsigned int nr_seen;

static void record_range(mfn_t first, unsigned long nr)
{
	assert_true(nr_seen < MAX_SEEN);
	seen[nr_seen++] = (struct seen_range){mfn_x(first), nr};
}

/*
 * Hand the allocator over and check that it enumerated exactly the n
 * ranges given as (first, nr) pairs, in order.
 */
static void assert_ranges(unsigned int n, ...)
{
	va_list ap;

	nr_seen = 0;
	bootmem_hand_over(record_range);
	if (nr_seen != n)
		fail_msg("%u free ranges, expected %u", nr_seen, n);
	va_start(ap, n);
	for (unsigned int i = 0; i < n; i++) {
		unsigned long first = va_arg(ap, unsigned long);
		unsigned long nr = va_arg(ap, unsigned long);

		if (seen[i].first != first || seen[i].nr != nr)
			fail_msg(
				"range %u is [%lu, +%lu), expected [%lu, +%lu)",
				i, seen[i].first, seen[i].nr, first, nr);
	}
	va_end(ap);
}

static int setup(void **state)
{
	bootmem_init();
	fake_log_clear();
	return 0;
}

static mfn_t limit_none(void)
{
	return _mfn(~0UL);
}

static void empty_allocator_has_nothing(void **state)
{
	assert_int_equal(bootmem_free_pages(), 0);
	assert_int_equal(mfn_x(bootmem_alloc(1, 1, limit_none())),
			 INVALID_MFN_RAW);
	assert_ranges(0);
}

static void add_records_a_range(void **state)
{
	assert_int_equal(bootmem_add(_mfn(100), 50), 0);
	assert_int_equal(bootmem_free_pages(), 50);
	assert_ranges(1, 100UL, 50UL);
}

static void add_of_zero_frames_is_ignored(void **state)
{
	assert_int_equal(bootmem_add(_mfn(100), 0), 0);
	assert_ranges(0);
}

static void add_keeps_ranges_sorted(void **state)
{
	bootmem_add(_mfn(500), 10);
	bootmem_add(_mfn(100), 10);
	bootmem_add(_mfn(300), 10);
	assert_int_equal(bootmem_free_pages(), 30);
	assert_ranges(3, 100UL, 10UL, 300UL, 10UL, 500UL, 10UL);
}

static void add_merges_adjacent_ranges(void **state)
{
	bootmem_add(_mfn(100), 10);
	bootmem_add(_mfn(110), 10); /* touches the end */
	bootmem_add(_mfn(90), 10);  /* touches the start */
	assert_ranges(1, 90UL, 30UL);
}

static void add_merges_overlapping_ranges(void **state)
{
	bootmem_add(_mfn(100), 20);
	bootmem_add(_mfn(110), 20); /* overlaps the end */
	bootmem_add(_mfn(95), 10);  /* overlaps the start */
	bootmem_add(_mfn(100), 5);  /* inside */
	assert_int_equal(bootmem_free_pages(), 35);
	assert_ranges(1, 95UL, 35UL);
}

static void add_bridging_several_ranges_merges_them_all(void **state)
{
	bootmem_add(_mfn(10), 5);
	bootmem_add(_mfn(20), 5);
	bootmem_add(_mfn(30), 5);
	bootmem_add(_mfn(100), 5);
	bootmem_add(_mfn(12), 20); /* [12, 32) joins the first three */
	assert_ranges(2, 10UL, 25UL, 100UL, 5UL);
}

static void add_fails_when_range_table_is_full(void **state)
{
	for (unsigned long i = 0; i < 256; i++)
		assert_int_equal(bootmem_add(_mfn(i * 10), 5), 0);
	assert_int_equal(bootmem_add(_mfn(5000), 5), -ENOSPC);
	/* Growing an existing range still works. */
	assert_int_equal(bootmem_add(_mfn(5), 5), 0);
	assert_int_equal(bootmem_free_pages(), 256 * 5 + 5);
}

static void reserve_in_the_middle_splits_a_range(void **state)
{
	bootmem_add(_mfn(100), 100);
	bootmem_reserve(_mfn(140), 10);
	assert_int_equal(bootmem_free_pages(), 90);
	assert_ranges(2, 100UL, 40UL, 150UL, 50UL);
}

static void reserve_at_either_edge_trims_a_range(void **state)
{
	bootmem_add(_mfn(100), 100);
	bootmem_reserve(_mfn(90), 20);	/* [90, 110) covers the start */
	bootmem_reserve(_mfn(190), 50); /* [190, 240) covers the end */
	assert_ranges(1, 110UL, 80UL);
}

static void reserve_exact_edges_trims_a_range(void **state)
{
	bootmem_add(_mfn(100), 100);
	bootmem_reserve(_mfn(100), 1);
	bootmem_reserve(_mfn(199), 1);
	assert_ranges(1, 101UL, 98UL);
}

static void reserve_spanning_several_ranges(void **state)
{
	bootmem_add(_mfn(0), 10);
	bootmem_add(_mfn(20), 10);
	bootmem_add(_mfn(40), 10);
	bootmem_add(_mfn(60), 10);
	bootmem_add(_mfn(80), 10);
	/* [25, 65): trims [20, 30) and [60, 70), removes [40, 50). */
	bootmem_reserve(_mfn(25), 40);
	assert_int_equal(bootmem_free_pages(), 30);
	assert_ranges(4, 0UL, 10UL, 20UL, 5UL, 65UL, 5UL, 80UL, 10UL);
}

static void reserve_whole_ranges_removes_them(void **state)
{
	bootmem_add(_mfn(10), 10);
	bootmem_add(_mfn(30), 10);
	bootmem_add(_mfn(50), 10);
	bootmem_reserve(_mfn(30), 10);
	bootmem_reserve(_mfn(0), 25);
	assert_ranges(1, 50UL, 10UL);
}

static void reserve_outside_free_ranges_changes_nothing(void **state)
{
	bootmem_add(_mfn(10), 10);
	bootmem_add(_mfn(30), 10);
	bootmem_reserve(_mfn(20), 10); /* exactly the gap */
	bootmem_reserve(_mfn(0), 10);
	bootmem_reserve(_mfn(40), 1000);
	assert_ranges(2, 10UL, 10UL, 30UL, 10UL);
}

static void reserve_of_zero_frames_changes_nothing(void **state)
{
	bootmem_add(_mfn(10), 10);
	bootmem_reserve(_mfn(15), 0);
	assert_ranges(1, 10UL, 10UL);
}

static void reserve_split_with_full_table_panics(void **state)
{
	for (unsigned long i = 0; i < 256; i++)
		bootmem_add(_mfn(i * 10), 5);
	expect_assert_failure(bootmem_reserve(_mfn(2), 1));
	assert_true(fake_log_contains("bootmem: more than 256 free ranges"));
}

static void alloc_takes_highest_frames(void **state)
{
	bootmem_add(_mfn(100), 100);
	bootmem_add(_mfn(300), 100);
	assert_int_equal(mfn_x(bootmem_alloc(10, 1, limit_none())), 390);
	assert_int_equal(mfn_x(bootmem_alloc(10, 1, limit_none())), 380);
	assert_int_equal(bootmem_free_pages(), 180);
	assert_ranges(2, 100UL, 100UL, 300UL, 80UL);
}

static void alloc_aligns_the_first_frame(void **state)
{
	bootmem_add(_mfn(100), 101); /* [100, 201) */
	assert_int_equal(mfn_x(bootmem_alloc(3, 16, limit_none())), 192);
	assert_int_equal(mfn_x(bootmem_alloc(1, 64, limit_none())), 128);
	assert_int_equal(mfn_x(bootmem_alloc(1, 0, limit_none())), 200);
	assert_ranges(3, 100UL, 28UL, 129UL, 63UL, 195UL, 5UL);
}

static void alloc_stays_below_the_limit(void **state)
{
	bootmem_add(_mfn(100), 100);
	bootmem_add(_mfn(300), 100);
	assert_int_equal(mfn_x(bootmem_alloc(10, 1, _mfn(350))), 340);
	/* Nothing of [300, 340) fits 50 frames: the lower range does. */
	assert_int_equal(mfn_x(bootmem_alloc(50, 1, _mfn(340))), 150);
	assert_int_equal(mfn_x(bootmem_alloc(1, 1, _mfn(100))),
			 INVALID_MFN_RAW);
	assert_int_equal(mfn_x(bootmem_alloc(1, 1, _mfn(101))), 100);
}

static void alloc_falls_back_when_alignment_does_not_fit(void **state)
{
	bootmem_add(_mfn(64), 200);   /* [64, 264): 256 is aligned */
	bootmem_add(_mfn(1025), 100); /* [1025, 1125): no 1024-aligned frame */
	assert_int_equal(mfn_x(bootmem_alloc(4, 256, limit_none())), 256);
	assert_int_equal(mfn_x(bootmem_alloc(4, 1024, limit_none())),
			 INVALID_MFN_RAW);
}

static void alloc_failure_changes_nothing(void **state)
{
	bootmem_add(_mfn(10), 10);
	bootmem_add(_mfn(30), 10);
	assert_int_equal(mfn_x(bootmem_alloc(11, 1, limit_none())),
			 INVALID_MFN_RAW);
	assert_int_equal(bootmem_free_pages(), 20);
	assert_ranges(2, 10UL, 10UL, 30UL, 10UL);
}

static void alloc_hands_out_disjoint_frames_until_empty(void **state)
{
	bool used[64] = {false};
	unsigned long m;

	bootmem_add(_mfn(0), 20);
	bootmem_add(_mfn(30), 34);
	while ((m = mfn_x(bootmem_alloc(3, 1, limit_none()))) !=
	       INVALID_MFN_RAW) {
		for (unsigned long i = m; i < m + 3; i++) {
			assert_true(i < 20 || (i >= 30 && i < 64));
			assert_false(used[i]);
			used[i] = true;
		}
	}
	/* 20 = 6*3 + 2 and 34 = 11*3 + 1 frames are left over. */
	assert_int_equal(bootmem_free_pages(), 3);
}

static void alloc_with_bad_alignment_asserts(void **state)
{
	bootmem_add(_mfn(0), 100);
	expect_assert_failure(bootmem_alloc(1, 3, limit_none()));
}

static void hand_over_closes_the_allocator(void **state)
{
	bootmem_add(_mfn(10), 10);
	assert_ranges(1, 10UL, 10UL);
	assert_int_equal(bootmem_free_pages(), 0);
	assert_int_equal(bootmem_add(_mfn(100), 10), 0); /* ignored */
	assert_int_equal(bootmem_free_pages(), 0);
	expect_assert_failure(bootmem_alloc(1, 1, limit_none()));
	assert_ranges(0);
}

static void init_reopens_the_allocator(void **state)
{
	bootmem_add(_mfn(10), 10);
	assert_ranges(1, 10UL, 10UL);
	bootmem_init();
	bootmem_add(_mfn(50), 5);
	assert_int_equal(mfn_x(bootmem_alloc(1, 1, limit_none())), 54);
	assert_ranges(1, 50UL, 4UL);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(empty_allocator_has_nothing),
		TEST(add_records_a_range),
		TEST(add_of_zero_frames_is_ignored),
		TEST(add_keeps_ranges_sorted),
		TEST(add_merges_adjacent_ranges),
		TEST(add_merges_overlapping_ranges),
		TEST(add_bridging_several_ranges_merges_them_all),
		TEST(add_fails_when_range_table_is_full),
		TEST(reserve_in_the_middle_splits_a_range),
		TEST(reserve_at_either_edge_trims_a_range),
		TEST(reserve_exact_edges_trims_a_range),
		TEST(reserve_spanning_several_ranges),
		TEST(reserve_whole_ranges_removes_them),
		TEST(reserve_outside_free_ranges_changes_nothing),
		TEST(reserve_of_zero_frames_changes_nothing),
		TEST(reserve_split_with_full_table_panics),
		TEST(alloc_takes_highest_frames),
		TEST(alloc_aligns_the_first_frame),
		TEST(alloc_stays_below_the_limit),
		TEST(alloc_falls_back_when_alignment_does_not_fit),
		TEST(alloc_failure_changes_nothing),
		TEST(alloc_hands_out_disjoint_frames_until_empty),
		TEST(alloc_with_bad_alignment_asserts),
		TEST(hand_over_closes_the_allocator),
		TEST(init_reopens_the_allocator),
	};

	return cmocka_run_group_tests_name("bootmem", tests, NULL, NULL);
}
