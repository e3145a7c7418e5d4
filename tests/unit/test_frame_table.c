/*
 * Unit tests for the frame table (mm/frame_table.c): frame states, the
 * mfn/page conversions, assigning frames to a domain, and the general
 * reference count: get_page() only for the owner, put_page() in pairs,
 * and the last put_page() scrubbing and freeing the frame.
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

#define NR_FRAMES 256
#define RAM_FIRST 8
#define RAM_FRAMES 192

static const struct ram_range ram[] = {{RAM_FIRST, RAM_FRAMES}};

static struct domain dom_a = {1}, dom_b = {2};

static int setup(void **state)
{
	mm_fixture_init(NR_FRAMES, ram, ARRAY_SIZE(ram), false, 0x77);
	return 0;
}

static int teardown(void **state)
{
	unsigned int held = fake_locks_held();

	mm_fixture_fini();
	assert_int_equal(held, 0);
	return 0;
}

static unsigned long count_of(const struct page_info *pg)
{
	return pg->count_info & PGC_count_mask;
}

/* One frame owned by d, holding only its allocation reference. */
static struct page_info *domain_page(struct domain *d)
{
	struct page_info *pg = alloc_domheap_pages(d, 0);

	assert_non_null(pg);
	return pg;
}

static void init_makes_every_frame_reserved(void **state)
{
	struct page_info *t = calloc(64, sizeof(*t));
	struct page_info *saved = frame_table;
	unsigned long saved_max = max_page;

	memset(t, 0xff, 64 * sizeof(*t));
	frame_table_init(t, 64);
	assert_int_equal(max_page, 64);
	for (unsigned long m = 0; m < 64; m++) {
		assert_int_equal(t[m].count_info, PGC_state_reserved);
		assert_int_equal(t[m].list.next, PAGE_LIST_NULL);
		assert_int_equal(t[m].list.prev, PAGE_LIST_NULL);
		assert_null(t[m].owner);
		assert_false(page_is_ram(_mfn(m)));
	}
	frame_table = saved;
	max_page = saved_max;
	free(t);
}

static void mark_ram_makes_frames_in_use_ram(void **state)
{
	struct page_info *t = calloc(64, sizeof(*t));
	struct page_info *saved = frame_table;
	unsigned long saved_max = max_page;

	frame_table_init(t, 64);
	frame_table_mark_ram(_mfn(10), 5);
	for (unsigned long m = 0; m < 64; m++) {
		bool ram = m >= 10 && m < 15;

		assert_int_equal(page_is_ram(_mfn(m)), ram);
		assert_int_equal(page_state(&t[m]),
				 ram ? PGC_state_inuse : PGC_state_reserved);
	}
	/* A range running past max_page stops there (ASan checks). */
	frame_table_mark_ram(_mfn(60), 100);
	assert_true(page_is_ram(_mfn(63)));
	assert_false(page_is_ram(_mfn(64)));
	frame_table = saved;
	max_page = saved_max;
	free(t);
}

static void page_is_ram_follows_the_memory_map(void **state)
{
	assert_false(page_is_ram(_mfn(0)));
	assert_false(page_is_ram(_mfn(RAM_FIRST - 1)));
	assert_true(page_is_ram(_mfn(RAM_FIRST))); /* free */
	assert_true(page_is_ram(_mfn(RAM_FIRST + RAM_FRAMES - 1)));
	assert_false(page_is_ram(_mfn(RAM_FIRST + RAM_FRAMES)));
	assert_false(page_is_ram(_mfn(NR_FRAMES))); /* beyond max_page */
	assert_false(page_is_ram(_mfn(INVALID_MFN_RAW)));
	assert_false(mfn_valid(_mfn(NR_FRAMES)));
	assert_true(mfn_valid(_mfn(NR_FRAMES - 1)));
}

static void mfn_and_page_convert_both_ways(void **state)
{
	for (unsigned long m = 0; m < NR_FRAMES; m += 17) {
		struct page_info *pg = mfn_to_page(_mfn(m));

		assert_ptr_equal(pg, &frame_table[m]);
		assert_int_equal(mfn_x(page_to_mfn(pg)), m);
	}
}

static void assign_pages_gives_owner_and_allocation_ref(void **state)
{
	struct page_info *pg = alloc_heap_pages(2);

	pg[1].u.inuse.type_info = PGT_writable_page | 3; /* stale */
	assign_pages(pg, 2, &dom_a);
	for (int i = 0; i < 4; i++) {
		assert_ptr_equal(pg[i].owner, &dom_a);
		assert_int_equal(pg[i].count_info,
				 PGC_state_inuse | PGC_allocated | 1);
		assert_int_equal(pg[i].u.inuse.type_info, PGT_none);
	}
	for (int i = 0; i < 4; i++)
		put_page(&pg[i]);
	assert_int_equal(heap_free_pages(), RAM_FRAMES);
}

static void assign_pages_refuses_referenced_frames(void **state)
{
	struct page_info *pg = domain_page(&dom_a);

	expect_assert_failure(assign_pages(pg, 0, &dom_b));
	assert_ptr_equal(pg->owner, &dom_a);
	put_page(pg);
}

static void alloc_domheap_without_domain_leaves_frames_unowned(void **state)
{
	struct page_info *pg = alloc_domheap_pages(NULL, 1);

	assert_null(pg[0].owner);
	assert_int_equal(pg[0].count_info, PGC_state_inuse);
	assert_int_equal(pg[1].count_info, PGC_state_inuse);
	free_domheap_pages(pg, 1);
}

static void get_page_by_owner_takes_a_reference(void **state)
{
	struct page_info *pg = domain_page(&dom_a);

	assert_true(get_page(pg, &dom_a));
	assert_int_equal(count_of(pg), 2);
	assert_true(get_page(pg, &dom_a));
	assert_int_equal(count_of(pg), 3);
	assert_true(pg->count_info & PGC_allocated);
	put_page(pg);
	put_page(pg);
	assert_int_equal(count_of(pg), 1);
	put_page(pg);
}

static void get_page_by_other_domain_fails(void **state)
{
	struct page_info *pg = domain_page(&dom_a);

	assert_false(get_page(pg, &dom_b));
	assert_int_equal(count_of(pg), 1);
	assert_ptr_equal(pg->owner, &dom_a);
	put_page(pg);
}

static void get_page_with_null_domain_fails(void **state)
{
	struct page_info *a = domain_page(&dom_a);
	struct page_info *anon = alloc_domheap_pages(NULL, 0);

	assert_false(get_page(a, NULL));
	assert_int_equal(count_of(a), 1);
	/* An unowned frame with a reference is still nobody's to take. */
	anon->count_info |= 1;
	assert_false(get_page(anon, NULL));
	assert_int_equal(count_of(anon), 1);
	anon->count_info &= ~PGC_count_mask;
	free_domheap_pages(anon, 0);
	put_page(a);
}

static void get_page_on_free_frame_fails(void **state)
{
	struct page_info *pg = mfn_to_page(_mfn(RAM_FIRST + 5));

	assert_int_equal(page_state(pg), PGC_state_free);
	pg->owner = &dom_a; /* even if it still looked owned */
	assert_false(get_page(pg, &dom_a));
	assert_int_equal(page_state(pg), PGC_state_free);
	assert_int_equal(count_of(pg), 0);
	pg->owner = NULL;
}

static void get_page_on_reserved_frame_fails(void **state)
{
	struct page_info *pg = mfn_to_page(_mfn(2));

	pg->owner = &dom_a;
	pg->count_info |= 1;
	assert_false(get_page(pg, &dom_a));
	assert_int_equal(pg->count_info, PGC_state_reserved | 1);
	pg->count_info = PGC_state_reserved;
	pg->owner = NULL;
}

static void get_page_with_zero_count_fails(void **state)
{
	/* Owned, in use, but its last reference is already gone. */
	struct page_info *pg = alloc_heap_pages(0);

	pg->owner = &dom_a;
	assert_false(get_page(pg, &dom_a));
	assert_int_equal(count_of(pg), 0);
	pg->owner = NULL;
	free_heap_pages(pg, 0);
}

static void get_page_refuses_to_overflow_count(void **state)
{
	struct page_info *pg = domain_page(&dom_a);

	pg->count_info = PGC_state_inuse | PGC_allocated | (PGC_count_mask - 1);
	assert_true(get_page(pg, &dom_a));
	assert_int_equal(count_of(pg), PGC_count_mask);
	assert_false(get_page(pg, &dom_a));
	assert_int_equal(pg->count_info,
			 PGC_state_inuse | PGC_allocated | PGC_count_mask);
	pg->count_info = PGC_state_inuse | PGC_allocated | 1;
	put_page(pg);
}

static void put_page_pairs_keep_frame_owned(void **state)
{
	struct page_info *pg = domain_page(&dom_a);
	unsigned long free_before = heap_free_pages();

	for (int i = 0; i < 5; i++)
		assert_true(get_page(pg, &dom_a));
	for (int i = 0; i < 5; i++)
		put_page(pg);
	assert_int_equal(count_of(pg), 1);
	assert_ptr_equal(pg->owner, &dom_a);
	assert_int_equal(page_state(pg), PGC_state_inuse);
	assert_int_equal(heap_free_pages(), free_before);
	put_page(pg);
}

static void last_put_page_scrubs_and_frees(void **state)
{
	struct page_info *pg = domain_page(&dom_a);
	unsigned long m = mfn_x(page_to_mfn(pg));
	unsigned long free_before = heap_free_pages();

	memset(mfn_to_virt(_mfn(m)), 0xd0, PAGE_SIZE);
	assert_true(get_page(pg, &dom_a));
	put_page(pg);
	assert_int_equal(heap_free_pages(), free_before); /* still held */
	put_page(pg); /* the allocation reference */
	assert_int_equal(heap_free_pages(), free_before + 1);
	assert_int_equal(page_state(pg), PGC_state_free);
	assert_null(pg->owner);
	assert_true(fake_frame_filled(m, 0));
	assert_false(get_page(pg, &dom_a));
}

static void put_page_underflow_asserts(void **state)
{
	struct page_info *pg = alloc_heap_pages(0);

	expect_assert_failure(put_page(pg));
	pg->count_info = PGC_state_inuse;
	free_heap_pages(pg, 0);
}

static void releasing_domain_memory_merges_back(void **state)
{
	unsigned long initial[MAX_ORDER + 1];
	struct page_info *pg;

	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		initial[o] = heap_free_pages_of_order(o);
	pg = alloc_domheap_pages(&dom_a, 3);
	for (int i = 0; i < 8; i++)
		assert_true(get_page(&pg[i], &dom_a));
	for (int i = 7; i >= 0; i--) {
		put_page(&pg[i]); /* the extra reference */
		put_page(&pg[i]); /* the allocation reference */
	}
	assert_int_equal(heap_free_pages(), RAM_FRAMES);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		assert_int_equal(heap_free_pages_of_order(o), initial[o]);
	/* [8, 200) is 8 + 16 + 32 + 64 + 64 + 8 frames. */
	assert_int_equal(initial[3], 2);
	assert_int_equal(initial[6], 2);
}

static void free_domheap_with_references_asserts(void **state)
{
	struct page_info *pg = domain_page(&dom_a);

	expect_assert_failure(free_domheap_pages(pg, 0));
	assert_ptr_equal(pg->owner, &dom_a);
	put_page(pg);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(init_makes_every_frame_reserved),
		TEST(mark_ram_makes_frames_in_use_ram),
		TEST(page_is_ram_follows_the_memory_map),
		TEST(mfn_and_page_convert_both_ways),
		TEST(assign_pages_gives_owner_and_allocation_ref),
		TEST(assign_pages_refuses_referenced_frames),
		TEST(alloc_domheap_without_domain_leaves_frames_unowned),
		TEST(get_page_by_owner_takes_a_reference),
		TEST(get_page_by_other_domain_fails),
		TEST(get_page_with_null_domain_fails),
		TEST(get_page_on_free_frame_fails),
		TEST(get_page_on_reserved_frame_fails),
		TEST(get_page_with_zero_count_fails),
		TEST(get_page_refuses_to_overflow_count),
		TEST(put_page_pairs_keep_frame_owned),
		TEST(last_put_page_scrubs_and_frees),
		TEST(put_page_underflow_asserts),
		TEST(releasing_domain_memory_merges_back),
		TEST(free_domheap_with_references_asserts),
	};

	return cmocka_run_group_tests_name("frame_table", tests, NULL, NULL);
}
