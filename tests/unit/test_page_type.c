/*
 * Unit tests for page types and validated page tables
 * (arch/x86/pv/page_type.c, with the real frame table, buddy heap and the
 * descriptor pages of arch/x86/pv/descriptor.c, on the machine of
 * pt_fixture.h): type and general reference counts, a frame changing type
 * only at type count zero, validation and devalidation of L1-L4 tables,
 * the entry rules (ownership, I/O frames, flags, linear entries, the
 * hypervisor's L4 slots, grant mappings), single-entry updates and the
 * TLB flushes that type changes and dropped mappings cause. Descriptor
 * pages are test_descriptor_page.c's. Every case reads the counts back
 * from the frames' page_info.
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

#define U _PAGE_USER
#define A_D (_PAGE_ACCESSED | _PAGE_DIRTY)

/* ---- Type and reference counting ---------------------------------------- */

static void type_references_count_up_and_down(void **state)
{
	unsigned long m = new_frame(&dom_a);

	assert_int_equal(get_page_type(pg(m), PGT_writable_page), 0);
	assert_int_equal(get_page_type(pg(m), PGT_writable_page), 0);
	assert_int_equal(type_of(m), PGT_writable_page);
	assert_true(validated(m));
	assert_refs(m, 1, 2); /* get_page_type takes no general reference */
	put_page_type(pg(m));
	assert_refs(m, 1, 1);
	put_page_type(pg(m));
	assert_refs(m, 1, 0);

	/* get_page_and_type takes both kinds, for the owner only. */
	assert_int_equal(take(m, &dom_a, PGT_writable_page), 0);
	assert_refs(m, 2, 1);
	assert_int_equal(take(m, &dom_b, PGT_writable_page), -EINVAL);
	assert_refs(m, 2, 1); /* another domain got neither */
	drop(m);
	assert_refs(m, 1, 0);
}

static void type_count_neither_overflows_nor_underflows(void **state)
{
	unsigned long m = new_frame(&dom_a);
	unsigned long full = PGT_writable_page | PGT_validated | PGT_count_mask;

	expect_assert_failure(put_page_type(pg(m)));
	assert_refs(m, 1, 0);
	pg(m)->u.inuse.type_info = full;
	assert_int_equal(get_page_type(pg(m), PGT_writable_page), -EINVAL);
	assert_int_equal(pg(m)->u.inuse.type_info, full);
	pg(m)->u.inuse.type_info = PGT_none;
}

static void writable_frame_becomes_page_table_only_when_unmapped(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_frame(&dom_a);

	tab(l1)[0] = pte(data, RW);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_int_equal(type_of(data), PGT_writable_page);
	assert_refs(data, 2, 1);

	assert_int_equal(get_page_type(pg(data), L1), -EINVAL);
	assert_int_equal(take(data, &dom_a, L1), -EINVAL);
	assert_int_equal(type_of(data), PGT_writable_page);
	assert_refs(data, 2, 1);

	drop(l1); /* the writable mapping goes */
	assert_refs(data, 1, 0);
	assert_int_equal(take(data, &dom_a, L1), 0);
	assert_int_equal(type_of(data), L1);
}

static void page_table_cannot_be_taken_writable(void **state)
{
	unsigned long l1 = new_l1(&dom_a), other = new_l1(&dom_a);

	assert_int_equal(get_page_type(pg(l1), PGT_writable_page), -EINVAL);
	/* Nor mapped writable by another table; read-only is fine. */
	assert_int_equal(set_l1e(&dom_a, other, pte(l1, RW)), -EBUSY);
	assert_int_equal(tab(other)[0], 0);
	assert_int_equal(type_of(l1), L1);
	assert_refs(l1, 2, 1);
	assert_int_equal(set_l1e(&dom_a, other, pte(l1, RO)), 0);
	assert_refs(l1, 3, 1);

	drop(other);
	assert_refs(l1, 2, 1);
	drop(l1); /* no longer a table: now it may be written */
	assert_int_equal(get_page_type(pg(l1), PGT_writable_page), 0);
	assert_int_equal(type_of(l1), PGT_writable_page);
}

static void validation_sets_validated_once(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_frame(&dom_a);

	tab(l1)[0] = pte(data, RO);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_true(validated(l1));
	assert_refs(data, 2, 0);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_refs(l1, 3, 2);
	assert_refs(data, 2, 0); /* the entry's reference is taken once */
	drop(l1);
	assert_true(validated(l1));
	assert_refs(data, 2, 0);
	drop(l1);
	assert_refs(data, 1, 0);
}

static void failed_validation_leaves_no_type_and_no_refs(void **state)
{
	unsigned long ro = new_frame(&dom_a), rw = new_frame(&dom_a);
	unsigned long foreign = new_frame(&dom_b), l1 = new_frame(&dom_a);

	tab(l1)[0] = pte(ro, RO);
	tab(l1)[1] = pte(rw, RW);
	tab(l1)[7] = pte(foreign, RO);
	assert_int_equal(take(l1, &dom_a, L1), -EBUSY);
	assert_int_equal(type_of(l1), PGT_none);
	assert_false(validated(l1));
	assert_refs(l1, 1, 0);
	assert_refs(ro, 1, 0);
	assert_refs(rw, 1, 0);
	assert_refs(foreign, 1, 0);
	/* The frame is free to take another type. */
	assert_int_equal(get_page_type(pg(l1), PGT_writable_page), 0);
}

static void failed_l2_validation_devalidates_the_l1s_it_took(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_frame(&dom_a);
	unsigned long l2 = new_frame(&dom_a), foreign_l1 = new_frame(&dom_b);

	tab(l1)[0] = pte(data, RW);
	tab(l2)[0] = pte(l1, RW);
	tab(l2)[1] = pte(foreign_l1, RW);
	assert_int_equal(take(l2, &dom_a, L2), -EINVAL);
	assert_int_equal(type_of(l2), PGT_none);
	assert_false(validated(l1));
	assert_refs(l1, 1, 0);
	assert_refs(data, 1, 0);
	assert_refs(foreign_l1, 1, 0);
}

static void last_type_reference_drops_references_of_entries(void **state)
{
	unsigned long a = new_frame(&dom_a), b = new_frame(&dom_a);
	unsigned long l1 = new_frame(&dom_a);

	tab(l1)[0] = pte(a, RO);
	tab(l1)[1] = pte(b, RW);
	tab(l1)[2] = pte(b, RW);
	tab(l1)[511] = pte(a, RO);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_refs(a, 3, 0);
	assert_refs(b, 3, 2);

	drop(l1);
	assert_refs(a, 1, 0);
	assert_refs(b, 1, 0);
	assert_int_equal(type_of(l1), L1);
	assert_false(validated(l1));
	assert_refs(l1, 1, 0);

	/* Taking the type again revalidates and retakes them. */
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_refs(a, 3, 0);
	assert_refs(b, 3, 2);
	drop(l1);
	assert_refs(a, 1, 0);
}

static void pinned_bit_is_cleared_when_type_count_reaches_zero(void **state)
{
	unsigned long l1 = new_frame(&dom_a), w = new_frame(&dom_a);

	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	pg(l1)->u.inuse.type_info |= PGT_pinned; /* as MMUEXT_PIN_L1_TABLE */
	drop(l1);
	assert_true(pinned(l1));
	drop(l1);
	assert_false(pinned(l1));
	assert_refs(l1, 1, 0);

	/* A type that needs no validation too. */
	assert_int_equal(get_page_type(pg(w), PGT_writable_page), 0);
	pg(w)->u.inuse.type_info |= PGT_pinned;
	put_page_type(pg(w));
	assert_false(pinned(w));
	assert_refs(w, 1, 0);
}

/* ---- L1 entries -------------------------------------------------------- */

static void l1_entry_takes_a_reference_and_if_writable_a_type(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_l1(&dom_a);
	unsigned long l1b = new_frame(&dom_a);

	assert_int_equal(set_l1e(&dom_a, l1, pte(data, RO)), 0);
	assert_refs(data, 2, 0); /* read-only: a general reference only */
	assert_int_equal(type_of(data), PGT_none);
	assert_int_equal(set_l1e(&dom_a, l1, 0), 0);
	assert_refs(data, 1, 0);

	tab(l1b)[0] = pte(data, RW);
	tab(l1b)[1] = pte(data, RW);
	assert_int_equal(take(l1b, &dom_a, L1), 0);
	assert_refs(data, 3, 2); /* writable: a writable type reference each */
	assert_int_equal(type_of(data), PGT_writable_page);
	assert_true(validated(data));
	drop(l1b);
	assert_refs(data, 1, 0);
}

static void l1_refuses_a_frame_of_another_domain(void **state)
{
	unsigned long foreign = new_frame(&dom_b);

	assert_int_equal(validate_with(&dom_a, L1, pte(foreign, RO)), -EBUSY);
	assert_int_equal(validate_with(&dom_a, L1, pte(foreign, RW)), -EBUSY);
	assert_refs(foreign, 1, 0);
	assert_int_equal(type_of(foreign), PGT_none);
}

static void l1_refuses_a_free_frame(void **state)
{
	unsigned long l1 = new_frame(&dom_a), l1b = new_l1(&dom_a);
	unsigned long f = new_frame(&dom_a);

	put_page(pg(f)); /* back to the heap */
	assert_int_equal(page_state(pg(f)), PGC_state_free);
	tab(l1)[0] = pte(f, RO);
	assert_int_equal(take(l1, &dom_a, L1), -EBUSY);
	assert_int_equal(type_of(l1), PGT_none);
	assert_int_equal(set_l1e(&dom_a, l1b, pte(f, RW)), -EBUSY);
	assert_int_equal(page_state(pg(f)), PGC_state_free);
	assert_int_equal(refs(f), 0);
	assert_null(pg(f)->owner);
}

static void l1_refuses_a_hypervisor_frame(void **state)
{
	void *heap = alloc_xenheap_pages(0);
	unsigned long x = mfn_x(virt_to_mfn(heap));
	unsigned long held = mfn_x(page_to_mfn(alloc_domheap_pages(NULL, 0)));

	pg(held)->count_info |= 1; /* a reference of its own, owner NULL */
	assert_int_equal(validate_with(&dom_a, L1, pte(x, RO)), -EBUSY);
	assert_int_equal(validate_with(&dom_a, L1, pte(x, RW)), -EBUSY);
	assert_int_equal(validate_with(&dom_a, L1, pte(held, RO)), -EBUSY);
	assert_int_equal(validate_with(&dom_io, L1, pte(held, RW)), -EBUSY);
	assert_refs(x, 0, 0);
	assert_refs(held, 1, 0);
	assert_null(pg(held)->owner);
}

static void l1_refuses_io_frames_without_io_rights(void **state)
{
	assert_int_equal(validate_with(&dom_a, L1, pte(IO_FRAME, RO)), -EPERM);
	assert_int_equal(validate_with(&dom_a, L1, pte(BEYOND_TABLE, RW)),
			 -EPERM);
	assert_int_equal(pg(IO_FRAME)->count_info, PGC_state_reserved);
}

static void l1_maps_io_frames_for_a_domain_with_io_rights(void **state)
{
	unsigned long l1 = new_frame(&dom_io);

	tab(l1)[0] = pte(IO_FRAME, RW | _PAGE_PCD);
	tab(l1)[1] = pte(BEYOND_TABLE, RW | _PAGE_PWT);
	assert_int_equal(take(l1, &dom_io, L1), 0);
	/* Device memory carries no reference. */
	assert_int_equal(pg(IO_FRAME)->count_info, PGC_state_reserved);
	assert_int_equal(pg(IO_FRAME)->u.inuse.type_info, 0);
	drop(l1);
	assert_int_equal(pg(IO_FRAME)->count_info, PGC_state_reserved);
	assert_refs(l1, 1, 0);
}

static void l1_refuses_apic_mmio_even_with_io_rights(void **state)
{
	static const unsigned long apic[] = {0xfec00, 0xfed00, 0xfee00,
					     0xfeeff};
	static const unsigned long beside[] = {0xfebff, 0xfef00};
	unsigned long l1 = new_l1(&dom_io);

	for (size_t i = 0; i < ARRAY_SIZE(apic); i++) {
		assert_int_equal(set_l1e(&dom_io, l1, pte(apic[i], RW)),
				 -EPERM);
		assert_int_equal(tab(l1)[0], 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(beside); i++)
		assert_int_equal(set_l1e(&dom_io, l1, pte(beside[i], RW)), 0);
	assert_int_equal(validate_with(&dom_io, L1, pte(0xfee00, RO)), -EPERM);
}

static void l1_refuses_cache_attributes_without_io_rights(void **state)
{
	static const uint64_t attr[] = {_PAGE_PWT, _PAGE_PCD,
					_PAGE_PSE /* PAT */};
	unsigned long data = new_frame(&dom_a), l1 = new_l1(&dom_a);
	unsigned long io_data = new_frame(&dom_io), io_l1 = new_l1(&dom_io);

	for (size_t i = 0; i < ARRAY_SIZE(attr); i++) {
		pte_t e = pte(data, RW | attr[i]);

		assert_int_equal(validate_with(&dom_a, L1, e), -EINVAL);
		assert_int_equal(set_l1e(&dom_a, l1, e), -EINVAL);
		assert_int_equal(tab(l1)[0], 0);
		assert_refs(data, 1, 0);
		e = pte(io_data, RW | attr[i]);
		assert_int_equal(set_l1e(&dom_io, io_l1, e), 0);
	}
	assert_refs(io_data, 2, 1);
}

static void l1_refuses_frames_beyond_the_physical_address_width(void **state)
{
	unsigned long l1 = new_l1(&dom_io);
	unsigned long all_ones = PTE_ADDR_MASK >> PAGE_SHIFT; /* no frame */

	boot_cpu.phys_addr_bits = 36; /* frames below 1 << 24 */
	assert_int_equal(set_l1e(&dom_io, l1, pte(1UL << 24, RO)), -EPERM);
	assert_int_equal(set_l1e(&dom_io, l1, pte(1UL << 39, RO)), -EPERM);
	assert_int_equal(set_l1e(&dom_io, l1, pte(all_ones, RO)), -EINVAL);
	assert_int_equal(tab(l1)[0], 0);
	assert_int_equal(set_l1e(&dom_io, l1, pte((1UL << 24) - 1, RO)), 0);
	assert_int_equal(validate_with(&dom_a, L1, pte(1UL << 24, RO)), -EPERM);
	assert_int_equal(validate_with(&dom_io, L1, pte(1UL << 24, RO)),
			 -EPERM);
}

static void l1_entry_keeps_guest_bits_gains_user_loses_global(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_frame(&dom_a);
	unsigned long l1b = new_l1(&dom_a);
	uint64_t guest = _PAGE_AVAIL0 | _PAGE_AVAIL1 | _PAGE_AVAIL2 |
			 (0x3ffUL << 52) | _PAGE_NX | A_D;

	tab(l1)[0] = pte(data, RO | _PAGE_GLOBAL);
	tab(l1)[1] = pte(data, RW | U);
	tab(l1)[2] = pte(data, RW | guest);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_int_equal(tab(l1)[0], pte(data, RO | U));
	assert_int_equal(tab(l1)[1], pte(data, RW | U));
	assert_int_equal(tab(l1)[2], pte(data, RW | U | guest));
	assert_int_equal(set_l1e(&dom_a, l1b, pte(data, RW | _PAGE_GLOBAL)), 0);
	assert_int_equal(tab(l1b)[0], pte(data, RW | U));
	assert_refs(data, 5, 3);
}

/* ---- Grant mappings in L1 tables (rule 8) ------------------------------- */

/* A grant map's entry: written directly, its references taken for it. */
static void install_grant_entry(unsigned long l1, unsigned long data, bool rw)
{
	assert_true(get_page(pg(data), pg(data)->owner));
	if (rw)
		assert_int_equal(get_page_type(pg(data), PGT_writable_page), 0);
	tab(l1)[0] = pte(data, (rw ? RW : RO) | U | A_D | _PAGE_GNTTAB);
}

static void guest_cannot_write_the_grant_bit(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_l1(&dom_a);

	assert_int_equal(validate_with(&dom_a, L1,
				       pte(data, RO | _PAGE_GNTTAB)),
			 -EINVAL);
	assert_int_equal(set_l1e(&dom_a, l1, pte(data, RW | _PAGE_GNTTAB)),
			 -EINVAL);
	assert_int_equal(tab(l1)[0], 0);
	assert_refs(data, 1, 0);
}

static void replacing_a_grant_entry_crashes_the_guest(void **state)
{
	unsigned long data = new_frame(&dom_b), l1 = new_l1(&dom_a);
	unsigned long mine = new_frame(&dom_a);

	install_grant_entry(l1, data, true);
	assert_refs(data, 2, 1);
	assert_int_equal(set_l1e(&dom_a, l1, pte(mine, RO)), 0);
	assert_int_equal(pt_crashes, 1);
	assert_ptr_equal(pt_crashed, &dom_a);
	/* The references the entry held went with it all the same. */
	assert_refs(data, 1, 0);
}

static void ending_a_table_with_a_grant_entry_crashes_its_owner(void **state)
{
	unsigned long data = new_frame(&dom_b), l1 = new_l1(&dom_a);

	install_grant_entry(l1, data, false);
	drop(l1);
	assert_int_equal(pt_crashes, 1);
	assert_ptr_equal(pt_crashed, &dom_a);
	assert_refs(data, 1, 0);
}

static void dying_domain_loses_grant_entries_quietly(void **state)
{
	unsigned long data = new_frame(&dom_b), l1 = new_l1(&dom_a);

	install_grant_entry(l1, data, true);
	dom_a.is_dying = true;
	drop(l1);
	assert_int_equal(pt_crashes, 0);
	assert_refs(data, 1, 0);
	assert_int_equal(type_of(data), PGT_writable_page);
}

static void same_frame_update_keeps_the_grant_bit(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_l1(&dom_a);

	install_grant_entry(l1, data, true);
	assert_int_equal(set_l1e(&dom_a, l1, pte(data, RW | _PAGE_AVAIL1)), 0);
	assert_int_equal(tab(l1)[0] & _PAGE_GNTTAB, _PAGE_GNTTAB);
	assert_int_equal(tab(l1)[0] & _PAGE_AVAIL1, _PAGE_AVAIL1);
	assert_int_equal(pt_crashes, 0);
	assert_refs(data, 2, 1);
	/* Taking it away is still an implicit unmap. */
	assert_int_equal(set_l1e(&dom_a, l1, 0), 0);
	assert_int_equal(pt_crashes, 1);
	assert_refs(data, 1, 0);
}

static void l1_ignores_not_present_entries(void **state)
{
	unsigned long l1 = new_frame(&dom_a);
	pte_t junk = ~_PAGE_PRESENT;

	tab(l1)[0] = junk;
	tab(l1)[5] = pte(IO_FRAME, _PAGE_RW | _PAGE_PCD);
	assert_int_equal(take(l1, &dom_a, L1), 0);
	assert_int_equal(tab(l1)[0], junk); /* kept as written */
	assert_int_equal(tab(l1)[5], pte(IO_FRAME, _PAGE_RW | _PAGE_PCD));
	drop(l1);
	assert_refs(l1, 1, 0);
}

/* ---- L2-L4 entries ----------------------------------------------------- */

static void ln_entry_must_point_at_the_next_lower_type(void **state)
{
	unsigned long l1 = new_l1(&dom_a), l2 = new_frame(&dom_a);
	unsigned long w = new_frame(&dom_a), foreign = new_frame(&dom_b);

	assert_int_equal(take(l2, &dom_a, L2), 0);
	assert_int_equal(take(w, &dom_a, PGT_writable_page), 0);

	assert_int_equal(validate_with(&dom_a, L3, pte(l1, RW)), -EINVAL);
	assert_int_equal(validate_with(&dom_a, L2, pte(w, RW)), -EINVAL);
	assert_int_equal(validate_with(&dom_a, L4, pte(l2, RW)), -EINVAL);
	assert_int_equal(validate_with(&dom_a, L2, pte(foreign, RO)), -EINVAL);
	assert_int_equal(validate_with(&dom_a, L3, pte(BEYOND_TABLE, RO)),
			 -EINVAL);
	assert_int_equal(validate_with(&dom_a, L2, pte(IO_FRAME, RO)), -EINVAL);
	/* Nothing the refused entries named was touched. */
	assert_refs(l1, 2, 1);
	assert_refs(w, 2, 1);
	assert_refs(l2, 2, 1);
	assert_refs(foreign, 1, 0);
	assert_int_equal(type_of(foreign), PGT_none);
	/* The right level is accepted, and takes a type reference. */
	assert_int_equal(validate_with(&dom_a, L3, pte(l2, RW)), 0);
}

static void ln_entry_refuses_superpages_global_and_cache_bits(void **state)
{
	unsigned long l1 = new_frame(&dom_a), l2 = new_frame(&dom_a);
	unsigned long l3 = new_frame(&dom_a);

	assert_int_equal(validate_with(&dom_a, L2, pte(l1, RW | _PAGE_PSE)),
			 -EINVAL);
	assert_int_equal(validate_with(&dom_a, L3, pte(l2, RW | _PAGE_PSE)),
			 -EINVAL);
	assert_int_equal(validate_with(&dom_a, L2, pte(l1, RW | _PAGE_GLOBAL)),
			 -EINVAL);
	assert_int_equal(validate_with(&dom_a, L3, pte(l2, RW | _PAGE_PCD)),
			 -EINVAL);
	assert_int_equal(validate_with(&dom_a, L4, pte(l3, RW | _PAGE_PWT)),
			 -EINVAL);
	assert_int_equal(type_of(l1), PGT_none);
	assert_int_equal(type_of(l2), PGT_none);
	assert_int_equal(type_of(l3), PGT_none);
	assert_refs(l1, 1, 0);
}

static void ln_entry_gains_user_and_validates_its_target(void **state)
{
	unsigned long data = new_frame(&dom_a), l1 = new_frame(&dom_a);
	unsigned long l2 = new_frame(&dom_a);

	tab(l1)[0] = pte(data, RW);
	tab(l2)[0] = pte(l1, RW | _PAGE_NX);
	assert_int_equal(take(l2, &dom_a, L2), 0);
	assert_int_equal(tab(l2)[0], pte(l1, RW | U | _PAGE_NX));
	assert_int_equal(type_of(l1), L1);
	assert_true(validated(l1));
	assert_refs(l1, 2, 1);
	assert_refs(data, 2, 1);
}

static void read_only_self_reference_takes_no_reference(void **state)
{
	unsigned long l4 = new_frame(&dom_a), l2 = new_frame(&dom_a);

	tab(l4)[0] = pte(l4, RO);
	tab(l4)[300] = pte(l4, RO | _PAGE_ACCESSED);
	assert_int_equal(take(l4, &dom_a, L4), 0);
	assert_refs(l4, 2, 1); /* the allocation's and ours */
	assert_int_equal(tab(l4)[0], pte(l4, RO | U));
	drop(l4);
	assert_refs(l4, 1, 0);

	tab(l2)[9] = pte(l2, RO);
	assert_int_equal(take(l2, &dom_a, L2), 0);
	assert_refs(l2, 2, 1);
	drop(l2);
	assert_refs(l2, 1, 0);
}

static void writable_self_reference_is_refused(void **state)
{
	unsigned long l4 = new_frame(&dom_a), l3 = new_frame(&dom_a);
	unsigned long l2 = new_frame(&dom_a);

	tab(l4)[0] = pte(l4, RW);
	tab(l3)[0] = pte(l3, RW);
	tab(l2)[0] = pte(l2, RW);
	assert_int_equal(take(l4, &dom_a, L4), -EINVAL);
	assert_int_equal(take(l3, &dom_a, L3), -EINVAL);
	assert_int_equal(take(l2, &dom_a, L2), -EINVAL);

	/* Nor by an update, nor by making a read-only one writable. */
	tab(l4)[0] = 0;
	assert_int_equal(take(l4, &dom_a, L4), 0);
	assert_int_equal(set_entry(l4, 4, 1, pte(l4, RW)), -EINVAL);
	assert_int_equal(tab(l4)[1], 0);
	assert_int_equal(set_entry(l4, 4, 1, pte(l4, RO)), 0);
	assert_int_equal(set_entry(l4, 4, 1, pte(l4, RW)), -EINVAL);
	assert_int_equal(tab(l4)[1], pte(l4, RO | U));
	assert_refs(l4, 2, 1);
}

static void linear_entry_to_another_l2_is_refused(void **state)
{
	unsigned long l2a = new_frame(&dom_a), l2c = new_frame(&dom_a);

	assert_int_equal(take(l2a, &dom_a, L2), 0);
	assert_int_equal(validate_with(&dom_a, L2, pte(l2a, RO)), -EINVAL);
	assert_int_equal(take(l2c, &dom_a, L2), 0);
	assert_int_equal(set_entry(l2c, 2, 0, pte(l2a, RO)), -EINVAL);
	assert_int_equal(tab(l2c)[0], 0);
	assert_int_equal(type_of(l2a), L2);
	assert_refs(l2a, 2, 1);
}

static void l4_validation_installs_the_hypervisor_slots(void **state)
{
	unsigned long l4 = new_frame(&dom_a), l4b = new_frame(&dom_b);
	unsigned long data = new_frame(&dom_a), foreign = new_frame(&dom_b);
	unsigned long l3 = new_frame(&dom_a);
	pte_t perdomain = pte_from_mfn(virt_to_mfn(dom_a.arch.perdomain_l3),
				       PAGE_HV_TABLE);

	/* Whatever the guest wrote in slots 256-271 is not looked at. */
	tab(l4)[256] = pte(data, RW);
	tab(l4)[260] = pte(foreign, RW);
	tab(l4)[265] = pte(l4, RW);
	tab(l4)[271] = pte(data, RW | _PAGE_PSE);
	tab(l4)[255] = pte(l3, RW);
	tab(l4)[272] = pte(l4, RO);
	assert_int_equal(take(l4, &dom_a, L4), 0);
	for (unsigned int s = HYPERVISOR_FIRST_SLOT; s <= HYPERVISOR_LAST_SLOT;
	     s++)
		assert_int_equal(tab(l4)[s],
				 s == 260 ? perdomain : fake_idle_l4_entry(s));
	assert_refs(data, 1, 0);
	assert_refs(foreign, 1, 0);
	assert_refs(l3, 2, 1);
	drop(l4); /* and devalidation leaves them alone */
	assert_refs(data, 1, 0);
	assert_refs(foreign, 1, 0);
	assert_refs(l3, 1, 0);
	assert_refs(l4, 1, 0);

	/* A domain without a per-domain area gets the idle slot 260. */
	tab(l4b)[260] = pte(l4b, RO);
	assert_int_equal(take(l4b, &dom_b, L4), 0);
	assert_int_equal(tab(l4b)[260], fake_idle_l4_entry(260));
}

static void mod_l4_entry_refuses_hypervisor_slots(void **state)
{
	static const unsigned int hv_slots[] = {256, 260, 261, 271};
	unsigned long l4 = new_frame(&dom_a), l3 = new_frame(&dom_a);

	assert_int_equal(take(l4, &dom_a, L4), 0);
	for (size_t i = 0; i < ARRAY_SIZE(hv_slots); i++) {
		unsigned int s = hv_slots[i];
		pte_t before = tab(l4)[s];

		assert_int_equal(set_entry(l4, 4, s, pte(l3, RW)), -EINVAL);
		assert_int_equal(set_entry(l4, 4, s, 0), -EINVAL);
		assert_int_equal(tab(l4)[s], before);
	}
	assert_int_equal(type_of(l3), PGT_none);
	assert_refs(l3, 1, 0);
	/* The slots on either side are the guest's. */
	assert_int_equal(set_entry(l4, 4, 255, pte(l3, RW)), 0);
	assert_int_equal(set_entry(l4, 4, 272, pte(l3, RW)), 0);
	assert_int_equal(type_of(l3), L3);
	assert_refs(l3, 3, 2);
}

/* ---- Updating single entries ------------------------------------------- */

static void mod_l1_entry_moves_references_to_the_new_frame(void **state)
{
	unsigned long a = new_frame(&dom_a), b = new_frame(&dom_a);
	unsigned long l1 = new_l1(&dom_a);

	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RW)), 0);
	assert_refs(a, 2, 1);
	assert_int_equal(set_l1e(&dom_a, l1, pte(b, RW)), 0);
	assert_int_equal(tab(l1)[0], pte(b, RW | U));
	assert_refs(a, 1, 0);
	assert_refs(b, 2, 1);
	/* Writable to read-only of the same frame gives back the type. */
	assert_int_equal(set_l1e(&dom_a, l1, pte(b, RO)), 0);
	assert_refs(b, 2, 0);
}

static void mod_l1_entry_takes_new_references_before_dropping_old(void **state)
{
	unsigned long x = new_frame(&dom_a), l1 = new_l1(&dom_a);

	assert_int_equal(set_l1e(&dom_a, l1, pte(x, RO)), 0);
	put_page(pg(x)); /* the domain let go: only the mapping holds x */
	assert_int_equal(set_l1e(&dom_a, l1, pte(x, RW)), 0);
	assert_int_equal(page_state(pg(x)), PGC_state_inuse);
	assert_ptr_equal(pg(x)->owner, &dom_a);
	assert_refs(x, 1, 1);
	assert_int_equal(set_l1e(&dom_a, l1, 0), 0);
	assert_int_equal(page_state(pg(x)), PGC_state_free);
}

static void mod_l1_entry_same_frame_and_access_takes_no_refs(void **state)
{
	unsigned long a = new_frame(&dom_a), l1 = new_l1(&dom_a);
	pte_t e = pte(a, RW | _PAGE_NX | _PAGE_AVAIL0);

	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RW)), 0);
	assert_int_equal(set_l1e(&dom_a, l1, e), 0);
	assert_int_equal(tab(l1)[0], e | U);
	assert_refs(a, 2, 1);
	pv_pay_owed_tlb_flush(); /* no reference was dropped */
	assert_int_equal(fake_tlb.mask_flushes, 0);
}

static void preserve_ad_keeps_accessed_and_dirty(void **state)
{
	unsigned long a = new_frame(&dom_a), b = new_frame(&dom_a);
	unsigned long l1 = new_l1(&dom_a), l2 = new_frame(&dom_a);
	pte_t *p = &tab(l1)[0], *q = &tab(l2)[3];

	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RW)), 0);
	*p |= A_D; /* as the CPU would */
	assert_int_equal(mod_l1_entry(p, pte(a, RW | _PAGE_NX), _mfn(l1),
				      &dom_a, &dom_a, true),
			 0);
	assert_int_equal(*p, pte(a, RW | U | _PAGE_NX | A_D));
	assert_int_equal(
		mod_l1_entry(p, pte(b, RW), _mfn(l1), &dom_a, &dom_a, true), 0);
	assert_int_equal(*p, pte(b, RW | U | A_D));
	assert_int_equal(set_l1e(&dom_a, l1, pte(b, RW)), 0);
	assert_int_equal(*p, pte(b, RW | U)); /* not asked to keep them */
	assert_refs(a, 1, 0);
	assert_refs(b, 2, 1);

	/* At L2 too. */
	*q = pte(l1, RW);
	assert_int_equal(take(l2, &dom_a, L2), 0);
	*q |= _PAGE_ACCESSED;
	assert_int_equal(mod_l2_entry(q, pte(l1, RW | _PAGE_NX), _mfn(l2),
				      &dom_a, true),
			 0);
	assert_int_equal(*q, pte(l1, RW | U | _PAGE_NX | _PAGE_ACCESSED));
	assert_refs(l1, 3, 2);
}

static void mod_l1_entry_failure_leaves_entry_and_counts(void **state)
{
	unsigned long a = new_frame(&dom_a), foreign = new_frame(&dom_b);
	unsigned long l1 = new_l1(&dom_a);
	pte_t old;

	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RW)), 0);
	old = tab(l1)[0];
	assert_int_equal(set_l1e(&dom_a, l1, pte(foreign, RW)), -EBUSY);
	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RW | _PAGE_PCD)), -EINVAL);
	assert_int_equal(set_l1e(&dom_a, l1, pte(IO_FRAME, RO)), -EPERM);
	assert_int_equal(tab(l1)[0], old);
	assert_refs(a, 2, 1);
	assert_refs(foreign, 1, 0);
}

static void mod_l2_entry_moves_type_references_between_l1s(void **state)
{
	unsigned long d1 = new_frame(&dom_a), d2 = new_frame(&dom_a);
	unsigned long l1a = new_frame(&dom_a), l1b = new_frame(&dom_a);
	unsigned long l2 = new_frame(&dom_a);

	tab(l1a)[0] = pte(d1, RW);
	tab(l1b)[0] = pte(d2, RO);
	tab(l2)[0] = pte(l1a, RW);
	assert_int_equal(take(l2, &dom_a, L2), 0);
	assert_refs(d1, 2, 1);
	assert_int_equal(set_entry(l2, 2, 0, pte(l1b, RW)), 0);
	assert_false(validated(l1a));
	assert_refs(l1a, 1, 0);
	assert_refs(d1, 1, 0);
	assert_int_equal(type_of(l1b), L1);
	assert_true(validated(l1b));
	assert_refs(l1b, 2, 1);
	assert_refs(d2, 2, 0);
	assert_int_equal(tab(l2)[0], pte(l1b, RW | U));
}

static void mod_ln_entry_takes_new_references_before_dropping_old(void **state)
{
	unsigned long l3 = new_frame(&dom_a), l2 = new_frame(&dom_a);
	unsigned long l1 = new_frame(&dom_a);

	tab(l2)[0] = pte(l1, RW);
	tab(l3)[0] = pte(l2, RO);
	assert_int_equal(take(l3, &dom_a, L3), 0);
	put_page(pg(l2)); /* only the L3 entry holds the L2 now */
	assert_int_equal(set_entry(l3, 3, 0, pte(l2, RW)), 0);
	assert_int_equal(page_state(pg(l2)), PGC_state_inuse);
	assert_true(validated(l2));
	assert_refs(l2, 1, 1);
	assert_refs(l1, 2, 1); /* never devalidated */
	assert_int_equal(tab(l3)[0], pte(l2, RW | U));
}

static void mod_ln_entry_failure_leaves_entry_and_counts(void **state)
{
	unsigned long l3 = new_frame(&dom_a), l2 = new_frame(&dom_a);
	unsigned long l1 = new_l1(&dom_a);
	pte_t old;

	tab(l3)[0] = pte(l2, RW);
	assert_int_equal(take(l3, &dom_a, L3), 0);
	old = tab(l3)[0];
	assert_int_equal(set_entry(l3, 3, 0, pte(l1, RW)), -EINVAL);
	assert_int_equal(set_entry(l3, 3, 0, pte(l2, RW | _PAGE_PSE)), -EINVAL);
	assert_int_equal(tab(l3)[0], old);
	assert_refs(l2, 2, 1);
	assert_refs(l1, 2, 1);
}

/* ---- TLB flushes ------------------------------------------------------- */

static void type_change_flushes_the_tlb(void **state)
{
	unsigned long m = new_frame(&dom_a);

	assert_int_equal(get_page_type(pg(m), PGT_writable_page), 0);
	assert_int_equal(fake_tlb.flush_all, 0); /* from no type */
	put_page_type(pg(m));
	assert_int_equal(get_page_type(pg(m), L1), 0);
	assert_int_equal(fake_tlb.flush_all, 1); /* writable -> L1 */
	put_page_type(pg(m));
	assert_int_equal(get_page_type(pg(m), L1), 0);
	assert_int_equal(fake_tlb.flush_all, 1); /* same type again */
	put_page_type(pg(m));
	assert_int_equal(get_page_type(pg(m), PGT_writable_page), 0);
	assert_int_equal(fake_tlb.flush_all, 2); /* L1 -> writable */
}

static void dropped_mapping_owes_exactly_one_tlb_flush(void **state)
{
	unsigned long a = new_frame(&dom_a), l1 = new_l1(&dom_a);
	unsigned long l1b = new_frame(&dom_a);

	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RW)), 0);
	pv_pay_owed_tlb_flush(); /* adding a mapping owes nothing */
	assert_int_equal(fake_tlb.mask_flushes, 0);
	assert_int_equal(set_l1e(&dom_a, l1, 0), 0);
	assert_int_equal(fake_tlb.mask_flushes, 0); /* owed, not yet paid */
	pv_pay_owed_tlb_flush();
	assert_int_equal(fake_tlb.mask_flushes, 1);
	assert_int_equal(fake_tlb.last_mask, dom_a.dirty_cpumask);
	pv_pay_owed_tlb_flush();
	assert_int_equal(fake_tlb.mask_flushes, 1);

	/* So does devalidating a table with mappings. */
	tab(l1b)[0] = pte(a, RO);
	assert_int_equal(take(l1b, &dom_a, L1), 0);
	drop(l1b);
	pv_pay_owed_tlb_flush();
	assert_int_equal(fake_tlb.mask_flushes, 2);
}

static void owed_tlb_flush_is_paid_on_its_own_cpu(void **state)
{
	unsigned long a = new_frame(&dom_a), l1 = new_l1(&dom_a);

	assert_int_equal(set_l1e(&dom_a, l1, pte(a, RO)), 0);
	fake_set_cpu(1);
	assert_int_equal(set_l1e(&dom_a, l1, 0), 0);
	fake_set_cpu(0);
	pv_pay_owed_tlb_flush();
	assert_int_equal(fake_tlb.mask_flushes, 0);
	fake_set_cpu(1);
	pv_pay_owed_tlb_flush();
	assert_int_equal(fake_tlb.mask_flushes, 1);
	fake_set_cpu(0);
}

/* ---- A whole address space ---------------------------------------------- */

static void four_level_tree_validates_and_tears_down_to_zero(void **state)
{
	unsigned long l4 = new_frame(&dom_a), l3 = new_frame(&dom_a);
	unsigned long l2 = new_frame(&dom_a), l1 = new_frame(&dom_a);
	unsigned long d_ro = new_frame(&dom_a), d_rw = new_frame(&dom_a);
	const unsigned long all[] = {l4, l3, l2, l1, d_ro, d_rw};
	unsigned long free_before = heap_free_pages();

	tab(l4)[0] = pte(l3, RW);
	tab(l4)[511] = pte(l4, RO); /* linear */
	tab(l3)[0] = pte(l2, RW);
	tab(l3)[1] = pte(l2, RO);
	tab(l2)[0] = pte(l1, RW);
	tab(l1)[0] = pte(d_ro, RO);
	tab(l1)[1] = pte(d_rw, RW);
	tab(l1)[2] = pte(d_rw, RO);
	assert_int_equal(take(l4, &dom_a, L4), 0);

	assert_refs(l4, 2, 1);
	assert_int_equal(type_of(l3), L3);
	assert_refs(l3, 2, 1);
	assert_int_equal(type_of(l2), L2);
	assert_refs(l2, 3, 2);
	assert_int_equal(type_of(l1), L1);
	assert_refs(l1, 2, 1);
	assert_refs(d_ro, 2, 0);
	assert_refs(d_rw, 3, 1);
	for (size_t i = 0; i < 4; i++)
		assert_true(validated(all[i]));

	drop(l4);
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		assert_refs(all[i], 1, 0);
		if (i < 4) /* a writable page keeps PGT_validated */
			assert_false(validated(all[i]));
	}
	pv_pay_owed_tlb_flush();
	assert_int_equal(fake_tlb.mask_flushes, 1);

	/* The domain lets go: every frame goes back to the heap. */
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		put_page(pg(all[i]));
	assert_int_equal(heap_free_pages(), free_before + ARRAY_SIZE(all));
}

#define TEST(f)                                                                \
	cmocka_unit_test_setup_teardown(f, pt_fixture_setup,                   \
					pt_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(type_references_count_up_and_down),
		TEST(type_count_neither_overflows_nor_underflows),
		TEST(writable_frame_becomes_page_table_only_when_unmapped),
		TEST(page_table_cannot_be_taken_writable),
		TEST(validation_sets_validated_once),
		TEST(failed_validation_leaves_no_type_and_no_refs),
		TEST(failed_l2_validation_devalidates_the_l1s_it_took),
		TEST(last_type_reference_drops_references_of_entries),
		TEST(pinned_bit_is_cleared_when_type_count_reaches_zero),
		TEST(l1_entry_takes_a_reference_and_if_writable_a_type),
		TEST(l1_refuses_a_frame_of_another_domain),
		TEST(l1_refuses_a_free_frame),
		TEST(l1_refuses_a_hypervisor_frame),
		TEST(l1_refuses_io_frames_without_io_rights),
		TEST(l1_maps_io_frames_for_a_domain_with_io_rights),
		TEST(l1_refuses_apic_mmio_even_with_io_rights),
		TEST(l1_refuses_cache_attributes_without_io_rights),
		TEST(l1_refuses_frames_beyond_the_physical_address_width),
		TEST(l1_entry_keeps_guest_bits_gains_user_loses_global),
		TEST(guest_cannot_write_the_grant_bit),
		TEST(replacing_a_grant_entry_crashes_the_guest),
		TEST(ending_a_table_with_a_grant_entry_crashes_its_owner),
		TEST(dying_domain_loses_grant_entries_quietly),
		TEST(same_frame_update_keeps_the_grant_bit),
		TEST(l1_ignores_not_present_entries),
		TEST(ln_entry_must_point_at_the_next_lower_type),
		TEST(ln_entry_refuses_superpages_global_and_cache_bits),
		TEST(ln_entry_gains_user_and_validates_its_target),
		TEST(read_only_self_reference_takes_no_reference),
		TEST(writable_self_reference_is_refused),
		TEST(linear_entry_to_another_l2_is_refused),
		TEST(l4_validation_installs_the_hypervisor_slots),
		TEST(mod_l4_entry_refuses_hypervisor_slots),
		TEST(mod_l1_entry_moves_references_to_the_new_frame),
		TEST(mod_l1_entry_takes_new_references_before_dropping_old),
		TEST(mod_l1_entry_same_frame_and_access_takes_no_refs),
		TEST(preserve_ad_keeps_accessed_and_dirty),
		TEST(mod_l1_entry_failure_leaves_entry_and_counts),
		TEST(mod_l2_entry_moves_type_references_between_l1s),
		TEST(mod_ln_entry_takes_new_references_before_dropping_old),
		TEST(mod_ln_entry_failure_leaves_entry_and_counts),
		TEST(type_change_flushes_the_tlb),
		TEST(dropped_mapping_owes_exactly_one_tlb_flush),
		TEST(owed_tlb_flush_is_paid_on_its_own_cpu),
		TEST(four_level_tree_validates_and_tears_down_to_zero),
	};

	return cmocka_run_group_tests_name("page_type", tests, NULL, NULL);
}
