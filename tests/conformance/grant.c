/*
 * Grant-table conformance (version 1), within one domain: a domain may
 * grant its own frames to itself, so dom0 plays granter and grantee at
 * once, through pvguest's grant client (guest/grant.h) for the granting
 * and through the hypercall itself for what is being checked:
 * setup_table and query_size, set_version and get_status_frames (version
 * 1 only: Xen is booted with gnttab=max-ver:1 for this kernel, see
 * run.py), mapping (read-only, writable, for devices, by PTE address,
 * the GTF_* flags the granter sees meanwhile), unmapping, the pin and
 * maptrack limits; copying and swapping are grant_copy.c's. The
 * statuses are Xen 4.17's. Destroying a domain while its grant is
 * mapped needs two domains: tests/toolstack/grant.c.
 *
 * Crafted entries (sub-page, transitive, a frame that is not ours) are
 * written straight into our table, which the client maps at
 * GNTTAB_SHARED_VA.
 */
#include "grant_util.h"

CONFORMANCE_KERNEL("grant");

#define FREE_SLOT 300 /* a guest L4 slot pvguest leaves empty */

/* Xen 4.17's maptrack limit for dom0: 1024 frames of 256 entries. */
#define MAPTRACK_LIMIT (1024 * 256)
#define PIN_MAX 128 /* uses of one kind a grant can have at once */

/* ---- The table ------------------------------------------------------------ */

TEST(table, query_size)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	ASSERT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
	EXPECT_EQ(q.status, GNTST_okay);
	EXPECT_GE(q.nr_frames, 1);
	EXPECT_EQ(q.max_nr_frames, 64); /* Xen's default for dom0 */
	q.dom = NO_SUCH_DOMAIN;
	ASSERT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
	EXPECT_EQ(q.status, GNTST_bad_domain);
	EXPECT_ERR(gnttab_op(GNTTABOP_query_size, &q, 2), -EINVAL);
}

/* setup_table grows the table and names frames we can map and write. */
TEST(table, setup_table_grows_and_names_our_frames)
{
	xen_pfn_t frames[4] = {0};
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 4};
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	volatile uint8_t *va = win(0, 0);

	set_xen_guest_handle(st.frame_list, frames);
	ASSERT_OK(gnttab_op(GNTTABOP_setup_table, &st, 1));
	ASSERT_EQ(st.status, GNTST_okay);
	ASSERT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
	EXPECT_GE(q.nr_frames, 4);
	/* The third frame, mapped writable: an entry written there is
	 * entry 1024 + 0 of the table. */
	ASSERT_OK(map_frame((void *)va, _mfn(frames[2]), PTE_RW));
	ASSERT_OK(gnttab_init());
	sha(1024)->domid = 0x1234;
	EXPECT_EQ(((grant_entry_v1_t *)va)->domid, 0x1234);
	sha(1024)->domid = 0;
	EXPECT_OK(unmap((void *)va));
}

TEST(table, setup_table_refusals)
{
	xen_pfn_t frames[1];
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 65};

	set_xen_guest_handle(st.frame_list, frames);
	EXPECT_ERR(gnttab_op(GNTTABOP_setup_table, &st, 2), -EINVAL);
	EXPECT_ERR(gnttab_op(GNTTABOP_setup_table, &st, 0), -EINVAL);
	/* Beyond the domain's limit: a status, not an error. */
	ASSERT_OK(gnttab_op(GNTTABOP_setup_table, &st, 1));
	EXPECT_EQ(st.status, GNTST_general_error);
	st.nr_frames = 1;
	st.dom = NO_SUCH_DOMAIN;
	ASSERT_OK(gnttab_op(GNTTABOP_setup_table, &st, 1));
	EXPECT_EQ(st.status, GNTST_bad_domain);
	/* A frame list that is not ours. */
	st.dom = DOMID_SELF;
	set_xen_guest_handle(st.frame_list, (xen_pfn_t *)0xFFFF830000000000UL);
	EXPECT_ERR(gnttab_op(GNTTABOP_setup_table, &st, 1), -EFAULT);
}

/* Version 1 is the only one this hypervisor offers (max-ver:1 on Xen). */
TEST(table, set_and_get_version)
{
	struct gnttab_set_version sv = {.version = 1};
	struct gnttab_get_version gv = {.dom = DOMID_SELF};

	EXPECT_OK(gnttab_op(GNTTABOP_set_version, &sv, 1));
	EXPECT_EQ(sv.version, 1);
	sv.version = 2;
	EXPECT_ERR(gnttab_op(GNTTABOP_set_version, &sv, 1), -ENOSYS);
	EXPECT_EQ(sv.version, 1);
	sv.version = 3;
	EXPECT_ERR(gnttab_op(GNTTABOP_set_version, &sv, 1), -EINVAL);
	EXPECT_EQ(sv.version, 1);
	gv.version = 99;
	EXPECT_OK(gnttab_op(GNTTABOP_get_version, &gv, 1));
	EXPECT_EQ(gv.version, 1);
	gv.dom = NO_SUCH_DOMAIN;
	EXPECT_ERR(gnttab_op(GNTTABOP_get_version, &gv, 1), -ESRCH);
}

/* Version 1 has no status frames. */
TEST(table, get_status_frames_refused)
{
	uint64_t frames[1];
	struct gnttab_get_status_frames gs = {.nr_frames = 1,
					      .dom = DOMID_SELF};

	set_xen_guest_handle(gs.frame_list, frames);
	ASSERT_OK(gnttab_op(GNTTABOP_get_status_frames, &gs, 1));
	EXPECT_EQ(gs.status, GNTST_general_error);
	gs.nr_frames = 0;
	ASSERT_OK(gnttab_op(GNTTABOP_get_status_frames, &gs, 1));
	EXPECT_EQ(gs.status, GNTST_okay);
	gs.dom = NO_SUCH_DOMAIN;
	ASSERT_OK(gnttab_op(GNTTABOP_get_status_frames, &gs, 1));
	EXPECT_EQ(gs.status, GNTST_bad_domain);
	EXPECT_ERR(gnttab_op(GNTTABOP_get_status_frames, &gs, 2), -EINVAL);
}

TEST(table, bad_commands)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	EXPECT_ERR(gnttab_op(GNTTABOP_transfer + 100, &q, 1), -ENOSYS);
	EXPECT_ERR(gnttab_op(GNTTABOP_query_size | (1U << 12), &q, 1), -EINVAL);
	EXPECT_ERR(gnttab_op(GNTTABOP_map_grant_ref, &q, 0x80000000U), -EINVAL);
	/* A request array that is not ours. */
	EXPECT_ERR(gnttab_op(GNTTABOP_map_grant_ref,
			     (void *)0xFFFF830000000000UL, 1),
		   -EFAULT);
	EXPECT_ERR(gnttab_op(GNTTABOP_copy, (void *)0xFFFF830000000000UL, 1),
		   -EFAULT);
	EXPECT_OK(gnttab_op(GNTTABOP_map_grant_ref, NULL, 0));
}

/* ---- Mapping ----------------------------------------------------------- */

/*
 * A writable mapping shows the frame both ways; the granter sees
 * GTF_reading and GTF_writing while it exists, neither afterwards.
 */
TEST(map, writable_mapping_and_its_flags)
{
	volatile uint8_t *va = win(1, 0);
	pfn_t pfn;
	mfn_t mfn;
	uint8_t *data = new_frame(0x3c, &pfn, &mfn);
	grant_ref_t ref = grant(pfn, false);
	grant_handle_t h;

	EXPECT_EQ(flags_of(ref), 0);
	ASSERT_EQ(map_host(ref, va, false, &h), GNTST_okay);
	EXPECT_EQ(flags_of(ref), GTF_reading | GTF_writing);
	EXPECT_EQ(va[7], 0x3c);
	va[8] = 0x99;
	EXPECT_EQ(data[8], 0x99);
	EXPECT_EQ(pte_core(entry_at((unsigned long)va, 1)),
		  maddr(mfn) | PTE_PRESENT | PTE_RW | PTE_NX);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* A read-only mapping reads; a write through it faults. */
TEST(map, readonly_mapping_then_write_faults)
{
	volatile uint8_t *va = win(2, 0);
	pfn_t pfn;
	mfn_t mfn;
	struct fault_info fi;
	grant_handle_t h;
	grant_ref_t ref;

	new_frame(0x5e, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_EQ(map_host(ref, va, true, &h), GNTST_okay);
	EXPECT_EQ(flags_of(ref), GTF_reading);
	EXPECT_EQ(va[100], 0x5e);
	EXPECT_EQ(pte_core(entry_at((unsigned long)va, 1)),
		  maddr(mfn) | PTE_PRESENT | PTE_NX);
	if (expect_fault(write_byte, (void *)va, TRAP_PF, &fi)) {
		EXPECT_EQ(fi.cr2, (unsigned long)va);
		EXPECT_TRUE(fi.error_code & 2); /* a write */
		EXPECT_TRUE(fi.error_code & 1); /* to a present page */
	}
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* GTF_readonly: a writable mapping is refused, a read-only one is not. */
TEST(map, readonly_grant_refuses_writable_mapping)
{
	volatile uint8_t *va = win(3, 0);
	pfn_t pfn;
	mfn_t mfn;
	grant_handle_t h;
	grant_ref_t ref;

	new_frame(0x11, &pfn, &mfn);
	ref = grant(pfn, true);
	EXPECT_EQ(map_host(ref, va, false, &h), GNTST_general_error);
	EXPECT_EQ(flags_of(ref), 0);
	ASSERT_EQ(map_host(ref, va, true, &h), GNTST_okay);
	EXPECT_EQ(va[0], 0x11);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* After end of access (GTF_permit_access cleared) nothing maps it. */
TEST(map, after_end_of_access_refused)
{
	volatile uint8_t *va = win(4, 0);
	pfn_t pfn;
	mfn_t mfn;
	grant_handle_t h;
	grant_ref_t ref;

	new_frame(0x22, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_OK(gnttab_end_access(ref));
	EXPECT_EQ(map_host(ref, va, true, &h), GNTST_general_error);
	EXPECT_EQ(sha(ref)->flags, 0);
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
	free_frames(pfn, 1);
}

/* Entries that do not grant us a full page: refused, flags untouched. */
TEST(map, entries_that_do_not_grant_a_mapping)
{
	volatile uint8_t *va = win(5, 0);
	pfn_t pfn;
	mfn_t mfn;
	grant_handle_t h;
	grant_ref_t ref;

	new_frame(0x33, &pfn, &mfn);
	ref = grant(pfn, false);
	sha(ref)->domid = 5; /* granted to someone else */
	EXPECT_EQ(map_host(ref, va, true, &h), GNTST_general_error);
	sha(ref)->domid = SELF;
	sha(ref)->flags = GTF_permit_access | GTF_sub_page;
	EXPECT_EQ(map_host(ref, va, true, &h), GNTST_general_error);
	sha(ref)->flags = GTF_transitive;
	EXPECT_EQ(map_host(ref, va, true, &h), GNTST_general_error);
	sha(ref)->flags = GTF_accept_transfer;
	EXPECT_EQ(map_host(ref, va, true, &h), GNTST_general_error);
	EXPECT_EQ(sha(ref)->flags, GTF_accept_transfer);
	sha(ref)->flags = GTF_permit_access;
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

TEST(map, bad_references_domains_and_flags)
{
	volatile uint8_t *va = win(6, 0);
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	grant_handle_t h;
	pfn_t pfn;
	mfn_t mfn;
	grant_ref_t ref;

	new_frame(0x44, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
	EXPECT_EQ(map_host(q.nr_frames * 512, va, true, &h), GNTST_bad_gntref);
	EXPECT_EQ(map_host(~0U, va, true, &h), GNTST_bad_gntref);
	EXPECT_EQ(map_op(SELF, ref, (unsigned long)va, GNTMAP_readonly, &h,
			 NULL),
		  GNTST_bad_gntref); /* neither host nor device */
	EXPECT_EQ(map_op(NO_SUCH_DOMAIN, ref, (unsigned long)va,
			 GNTMAP_host_map, &h, NULL),
		  GNTST_bad_domain);
	/* The granting domain is named by its id, never DOMID_SELF. */
	EXPECT_EQ(map_op(DOMID_SELF, ref, (unsigned long)va, GNTMAP_host_map,
			 &h, NULL),
		  GNTST_bad_domain);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* A grant of a frame that is not ours, or no L1 behind the address. */
TEST(map, bad_frame_or_address)
{
	volatile uint8_t *va = win(7, 0);
	unsigned long no_l1 = SLOT_VA(FREE_SLOT) + 0x1000;
	grant_handle_t h;
	pfn_t pfn;
	mfn_t mfn;
	grant_ref_t ref;

	new_frame(0x55, &pfn, &mfn);
	ref = grant(pfn, false);
	EXPECT_EQ(map_op(SELF, ref, no_l1, GNTMAP_host_map, &h, NULL),
		  GNTST_general_error);
	EXPECT_EQ(flags_of(ref), 0);
	sha(ref)->frame = 0; /* machine frame 0 is nobody's */
	EXPECT_EQ(map_host(ref, va, true, &h), GNTST_bad_page);
	EXPECT_EQ(flags_of(ref), 0);
	sha(ref)->frame = (uint32_t)mfn_x(mfn);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/*
 * A frame in use as a page table cannot be mapped writable (the mapping
 * would need a writable type); read-only it can. And a frame mapped
 * writable through a grant cannot become a page table.
 */
TEST(map, page_types_hold_both_ways)
{
	volatile uint8_t *va = win(8, 0);
	grant_handle_t h;
	grant_ref_t ref;
	mfn_t l1;

	ASSERT_OK(alloc_pt_frame(&l1));
	ASSERT_OK(pin_table(1, l1));
	ref = grant(mfn_to_pfn(l1), false);
	EXPECT_EQ(map_host(ref, va, false, &h), GNTST_general_error);
	EXPECT_EQ(flags_of(ref), 0);
	ASSERT_EQ(map_host(ref, va, true, &h), GNTST_okay);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_OK(unpin_table(l1));

	/* No table now, and read-only in our direct map: mapped writable
	 * through the grant, it cannot be pinned until unmapped. */
	ASSERT_EQ(map_host(ref, va, false, &h), GNTST_okay);
	EXPECT_ERR(pin_table(1, l1), -EINVAL);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_OK(pin_table(1, l1));
	EXPECT_OK(unpin_table(l1));
	EXPECT_OK(gnttab_end_access(ref));
	EXPECT_OK(free_pt_frame(l1));
}

/* Device mappings: no page-table entry, the frame's bus address. */
TEST(map, device_mapping)
{
	pfn_t pfn;
	mfn_t mfn;
	uint64_t bus = 0;
	grant_handle_t h;
	grant_ref_t ref;

	new_frame(0x66, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_EQ(map_op(SELF, ref, 0, GNTMAP_device_map, &h, &bus),
		  GNTST_okay);
	EXPECT_EQ(bus, maddr(mfn));
	EXPECT_EQ(flags_of(ref), GTF_reading | GTF_writing);
	EXPECT_ERR(gnttab_end_access(ref), -EBUSY);
	/* Without the bus address nothing is unmapped; a wrong one fails. */
	EXPECT_EQ(unmap_op(0, 0, h), GNTST_okay);
	EXPECT_EQ(flags_of(ref), GTF_reading | GTF_writing);
	EXPECT_EQ(unmap_op(0, bus + PAGE_SIZE, h), GNTST_bad_dev_addr);
	EXPECT_EQ(unmap_op(0, bus, h), GNTST_okay);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_EQ(unmap_op(0, bus, h), GNTST_bad_handle);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* GNTMAP_contains_pte: host_addr is the machine address of the entry. */
TEST(map, by_pte_address)
{
	volatile uint8_t *va = win(9, 0);
	paddr_t e;
	mfn_t l1, mfn;
	pfn_t pfn;
	grant_handle_t h;
	grant_ref_t ref;

	new_frame(0x77, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_OK(pt_ensure((unsigned long)va, 1, &l1));
	ASSERT_OK(pt_entry_addr((unsigned long)va, 1, &e));
	ASSERT_EQ(map_op(SELF, ref, paddr_x(e),
			 GNTMAP_host_map | GNTMAP_contains_pte, &h, NULL),
		  GNTST_okay);
	EXPECT_EQ(va[1], 0x77);
	va[2] = 0x78;
	EXPECT_EQ(unmap_op(paddr_x(e) + 8, 0, h), GNTST_general_error);
	EXPECT_EQ(unmap_op(paddr_x(e), 0, h), GNTST_okay);
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
	/* A misaligned entry address maps nothing. */
	EXPECT_EQ(map_op(SELF, ref, paddr_x(e) + 1,
			 GNTMAP_host_map | GNTMAP_contains_pte, &h, NULL),
		  GNTST_general_error);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* XENFEAT_gnttab_map_avail_bits: the guest's bits reach the entry. */
TEST(map, guest_available_bits)
{
	volatile uint8_t *va = win(10, 0);
	xen_feature_info_t fi = {.submap_idx = 0};
	grant_handle_t h;
	pfn_t pfn;
	mfn_t mfn, l1;
	grant_ref_t ref;

	ASSERT_OK(HYPERVISOR_xen_version(XENVER_get_features, &fi));
	ASSERT_TRUE(fi.submap & (1U << XENFEAT_gnttab_map_avail_bits));
	new_frame(0x12, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_OK(pt_ensure((unsigned long)va, 1, &l1));
	ASSERT_EQ(map_op(SELF, ref, (unsigned long)va,
			 GNTMAP_host_map | GNTMAP_readonly |
				 (5U << _GNTMAP_guest_avail0),
			 &h, NULL),
		  GNTST_okay);
	EXPECT_EQ(entry_at((unsigned long)va, 1) & 0xe00, 5UL << 9);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* One grant at two addresses: the flags go with the last mapping. */
TEST(map, same_grant_twice)
{
	volatile uint8_t *a = win(11, 0), *b = win(11, 1);
	grant_handle_t ha, hb;
	pfn_t pfn;
	mfn_t mfn;
	grant_ref_t ref;

	new_frame(0x21, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_EQ(map_host(ref, a, false, &ha), GNTST_okay);
	ASSERT_EQ(map_host(ref, b, true, &hb), GNTST_okay);
	EXPECT_NE(ha, hb);
	a[5] = 0x55;
	EXPECT_EQ(b[5], 0x55);
	EXPECT_EQ(unmap_op((unsigned long)a, 0, ha), GNTST_okay);
	EXPECT_EQ(flags_of(ref), GTF_reading); /* the reader remains */
	EXPECT_EQ(unmap_op((unsigned long)b, 0, hb), GNTST_okay);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* A grant has at most 128 uses of one kind at once. */
TEST(map, pin_count_limit)
{
	grant_handle_t h[PIN_MAX + 1];
	pfn_t pfn;
	mfn_t mfn;
	grant_ref_t ref;
	unsigned int i;

	new_frame(0x31, &pfn, &mfn);
	ref = grant(pfn, false);
	for (i = 0; i < PIN_MAX; i++)
		ASSERT_EQ(map_op(SELF, ref, 0,
				 GNTMAP_device_map | GNTMAP_readonly, &h[i],
				 NULL),
			  GNTST_okay);
	EXPECT_EQ(map_op(SELF, ref, 0, GNTMAP_device_map | GNTMAP_readonly,
			 &h[i], NULL),
		  GNTST_general_error);
	/* Another kind still may. */
	EXPECT_EQ(map_op(SELF, ref, 0, GNTMAP_device_map, &h[PIN_MAX], NULL),
		  GNTST_okay);
	EXPECT_EQ(unmap_op(0, maddr(mfn), h[PIN_MAX]), GNTST_okay);
	for (i = 0; i < PIN_MAX; i++)
		EXPECT_EQ(unmap_op(0, maddr(mfn), h[i]), GNTST_okay);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* ---- Unmapping --------------------------------------------------------- */

TEST(unmap, twice_and_bad_handles)
{
	volatile uint8_t *va = win(12, 0);
	grant_handle_t h;
	pfn_t pfn;
	mfn_t mfn;
	grant_ref_t ref;

	new_frame(0x41, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_EQ(map_host(ref, va, false, &h), GNTST_okay);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_bad_handle);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, 0xffffff), GNTST_bad_handle);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, ~0U), GNTST_bad_handle);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/*
 * The address must be the mapping's (else general_error, the mapping
 * stays); an address of 0 unmaps nothing and succeeds.
 */
TEST(unmap, address_must_match)
{
	volatile uint8_t *va = win(13, 0), *other = win(13, 1);
	grant_handle_t h;
	pfn_t pfn;
	mfn_t mfn, l1;
	grant_ref_t ref;

	new_frame(0x42, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_EQ(map_host(ref, va, false, &h), GNTST_okay);
	ASSERT_OK(pt_ensure((unsigned long)other, 1, &l1));
	EXPECT_EQ(unmap_op((unsigned long)other, 0, h), GNTST_general_error);
	EXPECT_EQ(unmap_op(0, 0, h), GNTST_okay);
	EXPECT_EQ(va[0], 0x42); /* still mapped */
	EXPECT_EQ(flags_of(ref), GTF_reading | GTF_writing);
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
}

/* unmap_and_replace: the mapping at new_addr moves over the grant's. */
TEST(unmap, and_replace)
{
	volatile uint8_t *va = win(14, 0), *nva = win(14, 1);
	struct gnttab_unmap_and_replace op;
	grant_handle_t h;
	pfn_t pfn, pb;
	mfn_t mfn, mb;
	grant_ref_t ref;

	new_frame(0x51, &pfn, &mfn);
	new_frame(0x52, &pb, &mb);
	ref = grant(pfn, false);
	ASSERT_EQ(map_host(ref, va, false, &h), GNTST_okay);
	ASSERT_OK(map_frame((void *)nva, mb, 0));
	op = (struct gnttab_unmap_and_replace){.host_addr = (unsigned long)va,
					       .new_addr = (unsigned long)nva,
					       .handle = h};
	ASSERT_OK(gnttab_op(GNTTABOP_unmap_and_replace, &op, 1));
	EXPECT_EQ(op.status, GNTST_okay);
	EXPECT_EQ(va[0], 0x52);
	EXPECT_EQ(entry_at((unsigned long)nva, 1), 0);
	EXPECT_FAULT(read_byte, (void *)nva, TRAP_PF);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(unmap((void *)va));
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pfn, 1);
	free_frames(pb, 1);
}

/*
 * Maptrack exhaustion: dom0 may hold 1024 pages of mappings. Device
 * mappings need no address, so one frame granted 1030 times, each grant
 * mapped 128 times read-only and 128 times writable, reaches the limit.
 * (Xen keeps one entry of each vCPU's free list in reserve, so it stops
 * an entry or two short.) Freeing one handle makes room for one more.
 */
TEST(maptrack, exhaustion)
{
	enum { BATCH = 512, NR_REFS = 1030 };
	struct gnttab_map_grant_ref *ops;
	grant_handle_t *handles;
	grant_ref_t *refs;
	unsigned long n = 0, bytes = (unsigned long)MAPTRACK_LIMIT * 4;
	pfn_t pfn, hpfn, opfn;
	mfn_t mfn;
	int16_t last = GNTST_okay;

	new_frame(0x61, &pfn, &mfn);
	ASSERT_OK(alloc_frames(bytes / PAGE_SIZE, &hpfn));
	ASSERT_OK(alloc_frames(4 + 5, &opfn));
	handles = frame_va(hpfn);
	ops = frame_va(opfn);
	refs = (grant_ref_t *)((char *)ops + 4 * PAGE_SIZE);
	for (unsigned int i = 0; i < NR_REFS; i++)
		refs[i] = grant(pfn, false);

	for (unsigned long done = 0; last == GNTST_okay; done += BATCH) {
		for (unsigned int i = 0; i < BATCH; i++) {
			unsigned long k = done + i;

			ops[i] = (struct gnttab_map_grant_ref){
				.flags = GNTMAP_device_map |
					 (k & 1 ? GNTMAP_readonly : 0),
				.ref = refs[k / (2 * PIN_MAX)],
				.dom = SELF,
			};
		}
		ASSERT_OK(gnttab_op(GNTTABOP_map_grant_ref, ops, BATCH));
		for (unsigned int i = 0; i < BATCH; i++) {
			if (ops[i].status != GNTST_okay) {
				last = ops[i].status;
				break;
			}
			handles[n++] = ops[i].handle;
		}
		if (done + BATCH > NR_REFS * 2UL * PIN_MAX)
			break;
	}
	printk("    %lu mappings, then status %d\n", n, last);
	EXPECT_EQ(last, GNTST_no_space);
	EXPECT_LE(n, MAPTRACK_LIMIT);
	EXPECT_GE(n, MAPTRACK_LIMIT - 2);

	/* Room for one more once one goes. */
	ASSERT_GT(n, 0);
	EXPECT_EQ(unmap_op(0, maddr(mfn), handles[--n]), GNTST_okay);
	EXPECT_EQ(map_op(SELF, refs[0], 0, GNTMAP_device_map | GNTMAP_readonly,
			 &handles[n], NULL),
		  GNTST_general_error); /* refs[0]'s readers are full */
	EXPECT_EQ(map_op(SELF, refs[NR_REFS - 1], 0,
			 GNTMAP_device_map | GNTMAP_readonly, &handles[n],
			 NULL),
		  GNTST_okay);
	n++;

	/* Unmap them all, in batches. */
	for (unsigned long done = 0; done < n; done += BATCH) {
		struct gnttab_unmap_grant_ref *u = (void *)ops;
		unsigned int c = n - done < BATCH ? n - done : BATCH;

		for (unsigned int i = 0; i < c; i++)
			u[i] = (struct gnttab_unmap_grant_ref){
				.dev_bus_addr = maddr(mfn),
				.handle = handles[done + i]};
		ASSERT_OK(gnttab_op(GNTTABOP_unmap_grant_ref, u, c));
		for (unsigned int i = 0; i < c; i++)
			if (u[i].status != GNTST_okay) {
				EXPECT_EQ(u[i].status, GNTST_okay);
				break;
			}
	}
	for (unsigned int i = 0; i < NR_REFS; i++) {
		EXPECT_EQ(flags_of(refs[i]), 0);
		EXPECT_OK(gnttab_end_access(refs[i]));
	}
	free_frames(opfn, 4 + 5);
	free_frames(hpfn, bytes / PAGE_SIZE);
	free_frames(pfn, 1);
}
