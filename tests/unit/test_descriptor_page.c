/*
 * Unit tests for segment descriptor pages (arch/x86/pv/descriptor.c, with
 * page_type.c, the real frame table and buddy heap, on the machine of
 * pt_fixture.h): a GDT page takes code, data and not-present descriptors
 * (DPL raised to 3) and refuses system ones, is never mapped writable,
 * update_descriptor checks and respects its type, and set_gdt types the
 * new frames and releases the old ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <hv/hypercall.h>

#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/pv.h>

#include "fake/fake.h"
#include "pt_fixture.h"

/* System and not-present descriptors (code and data: asm/desc.h). */
#define DESC_NOT_PRESENT 0xffff7fffffffffffUL /* all bits but P */
#define DESC_SYS_TYPE0 0x0000800000000000UL   /* present, type 0 */
#define DESC_LDT 0x0000820000000fffUL
#define DESC_TSS 0x0000890000000067UL
#define DESC_CALL_GATE 0x0000ec0000000000UL
#define DESC_INT_GATE 0x00008e0000000000UL

/* ---- Segment descriptor pages ------------------------------------------- */

static void descriptor_page_accepts_code_data_and_not_present(void **state)
{
	unsigned long m = new_frame(&dom_a);

	tab(m)[1] = DESC_CODE64(0);
	tab(m)[2] = DESC_DATA(0);
	tab(m)[3] = DESC_DATA(3);
	tab(m)[4] = DESC_NOT_PRESENT;
	tab(m)[5] = DESC_TSS & ~(1UL << 47);
	tab(m)[6] = DESC_SYS_TYPE0; /* harmless (second half of a gate) */
	assert_int_equal(take(m, &dom_a, PGT_seg_desc_page), 0);
	assert_int_equal(type_of(m), PGT_seg_desc_page);
	assert_true(validated(m));
	assert_int_equal(tab(m)[0], 0);
	assert_int_equal(tab(m)[1], DESC_CODE64(3)); /* DPL raised */
	assert_int_equal(tab(m)[2], DESC_DATA(3));
	assert_int_equal(tab(m)[3], DESC_DATA(3));
	assert_int_equal(tab(m)[4], DESC_NOT_PRESENT);
	assert_int_equal(tab(m)[5], DESC_TSS & ~(1UL << 47));
	assert_int_equal(tab(m)[6], DESC_SYS_TYPE0);
}

static void descriptor_page_refuses_system_descriptors(void **state)
{
	static const uint64_t sys[] = {DESC_LDT, DESC_TSS, DESC_CALL_GATE,
				       DESC_INT_GATE};
	unsigned long m = new_frame(&dom_a);

	for (size_t i = 0; i < ARRAY_SIZE(sys); i++) {
		tab(m)[0] = DESC_CODE64(0);
		tab(m)[300] = sys[i];
		assert_int_equal(take(m, &dom_a, PGT_seg_desc_page), -EINVAL);
		assert_int_equal(type_of(m), PGT_none);
		assert_refs(m, 1, 0);
	}
}

static void descriptor_page_cannot_be_mapped_writable(void **state)
{
	unsigned long m = new_frame(&dom_a), l1 = new_l1(&dom_a);
	unsigned long w = new_frame(&dom_a);

	assert_int_equal(take(m, &dom_a, PGT_seg_desc_page), 0);
	assert_int_equal(set_l1e(&dom_a, l1, pte(m, RW)), -EBUSY);
	assert_int_equal(set_l1e(&dom_a, l1, pte(m, RO)), 0);
	assert_refs(m, 3, 1);
	/* And a frame mapped writable cannot become one. */
	assert_int_equal(set_entry(l1, 1, 1, pte(w, RW)), 0);
	assert_int_equal(take(w, &dom_a, PGT_seg_desc_page), -EINVAL);
	assert_int_equal(type_of(w), PGT_writable_page);
}

static void update_descriptor_checks_and_respects_types(void **state)
{
	unsigned long m = new_frame(&dom_a), l1 = new_l1(&dom_a);
	unsigned long foreign = new_frame(&dom_b);
	uint64_t ma = (m << PAGE_SHIFT) + 8 * 5;

	assert_int_equal(do_update_descriptor(ma, DESC_DATA(0)), 0);
	assert_int_equal(tab(m)[5], DESC_DATA(3));
	assert_refs(m, 1, 0);
	assert_int_equal(do_update_descriptor(ma, DESC_CALL_GATE), -EINVAL);
	assert_int_equal(do_update_descriptor(ma + 4, DESC_DATA(0)), -EINVAL);
	assert_int_equal(tab(m)[5], DESC_DATA(3));
	/* Never into a page table or another domain's frame. */
	assert_int_equal(do_update_descriptor(l1 << PAGE_SHIFT, DESC_DATA(0)),
			 -EINVAL);
	assert_int_equal(tab(l1)[0], 0);
	assert_refs(l1, 2, 1);
	assert_int_equal(do_update_descriptor(foreign << PAGE_SHIFT,
					      DESC_DATA(0)),
			 -EINVAL);
	assert_int_equal(tab(foreign)[0], 0);
}

static void set_gdt_types_the_frames_and_releases_old_ones(void **state)
{
	unsigned long f1 = new_frame(&dom_a), f2 = new_frame(&dom_a);
	unsigned long bad = new_frame(&dom_a);

	tab(f1)[1] = DESC_CODE64(0);
	tab(bad)[1] = DESC_TSS;
	assert_int_equal(pv_set_gdt(&vcpu_a, &f1, 512), 0);
	assert_int_equal(type_of(f1), PGT_seg_desc_page);
	assert_refs(f1, 2, 1);
	assert_int_equal(tab(f1)[1], DESC_CODE64(3));
	assert_int_equal(pv_set_gdt(&vcpu_a, &bad, 512), -EINVAL);
	assert_int_equal(vcpu_a.arch.gdt_frames[0], f1); /* unchanged */
	assert_int_equal(pv_set_gdt(&vcpu_a, &f2, 16), 0);
	assert_refs(f1, 1, 0);
	assert_refs(f2, 2, 1);
	assert_int_equal(fake_gdt_maps, 2);
	pv_destroy_gdt(&vcpu_a);
	assert_refs(f2, 1, 0);
	assert_int_equal(vcpu_a.arch.gdt_frames[0], 0);
}

#define TEST(f)                                                                \
	cmocka_unit_test_setup_teardown(f, pt_fixture_setup,                   \
					pt_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(descriptor_page_accepts_code_data_and_not_present),
		TEST(descriptor_page_refuses_system_descriptors),
		TEST(descriptor_page_cannot_be_mapped_writable),
		TEST(update_descriptor_checks_and_respects_types),
		TEST(set_gdt_types_the_frames_and_releases_old_ones),
	};

	return cmocka_run_group_tests_name("descriptor_page", tests, NULL,
					   NULL);
}
