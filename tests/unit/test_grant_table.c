/*
 * Unit tests for grant tables (common/grant_table.c, grant_mapping.c,
 * grant_copy.c) on the machine of gt_fixture.h, with the real frame
 * table and page types under them: the table's life (its first frame,
 * growth, limits, what destruction gives back), the hypercall's edges
 * and continuations, the GTF_* flags the granter sees, the references
 * and pins a mapping or a copy holds and gives back on every path, the
 * pin and maptrack limits, and a dying domain on either side of a
 * mapping. Expected answers are Xen 4.17's; the conformance kernel
 * tests/conformance/grant.c checks the same on real Xen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/page_type.h>

#include "fake/fake.h"
#include "gt_fixture.h"

#define RW_FLAGS (GTF_reading | GTF_writing)
#define VA 0x400000UL

static uint16_t busy_flags(struct domain *d, grant_ref_t ref)
{
	return gt_entry(d, ref)->flags & RW_FLAGS;
}

/* ---- The table ------------------------------------------------------------ */

static void new_table_has_one_frame_shared_with_its_domain(void **state)
{
	struct grant_table *gt = gdom1->grant_table;
	struct page_info *pg = mfn_to_page(virt_to_mfn(gt->shared[0]));

	assert_int_equal(gt->nr_frames, 1);
	assert_int_equal(gt->max_frames, GNTTAB_DEFAULT_MAX_FRAMES);
	assert_int_equal(gt->max_maptrack_frames,
			 GNTTAB_DEFAULT_MAX_MAPTRACK_FRAMES);
	assert_ptr_equal(pg->owner, gdom1);
	assert_true(pg->count_info & PGC_allocated);
	assert_true(fake_frame_filled(mfn_x(page_to_mfn(pg)), 0));
	assert_null(gt->maptrack); /* made on the first map */
}

static void createdomain_settings_are_checked_as_xen_4_17(void **state)
{
	assert_int_equal(grant_table_check_config(-1, -1, 1), 0);
	assert_int_equal(grant_table_check_config(1, 0, 1), 0);
	assert_int_equal(grant_table_check_config(64, 1024, 1), 0);
	assert_int_equal(grant_table_check_config(-1, -1, 0), -EINVAL);
	assert_int_equal(grant_table_check_config(-1, -1, 2), -EINVAL);
	assert_int_equal(grant_table_check_config(-1, -1, 1 | 0x10), -EINVAL);
	assert_int_equal(grant_table_check_config(0, -1, 1), -EINVAL);
	assert_int_equal(grant_table_check_config(65, -1, 1), -EINVAL);
	assert_int_equal(grant_table_check_config(-1, 1025, 1), -EINVAL);
	grant_table_set_limits(gdom1, 4, 2);
	assert_int_equal(gdom1->grant_table->max_frames, 4);
	assert_int_equal(gdom1->grant_table->max_maptrack_frames, 2);
	grant_table_set_limits(gdom1, -1, -1); /* negative: unchanged */
	assert_int_equal(gdom1->grant_table->max_frames, 4);
}

static void setup_table_grows_and_lists_frames(void **state)
{
	xen_pfn_t frames[4] = {0};
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 3};
	struct grant_table *gt = gdom1->grant_table;

	set_xen_guest_handle(st.frame_list, frames);
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), 0);
	assert_int_equal(st.status, GNTST_okay);
	assert_int_equal(gt->nr_frames, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(frames[i], mfn_x(virt_to_mfn(gt->shared[i])));
		assert_ptr_equal(mfn_to_page(_mfn(frames[i]))->owner, gdom1);
	}
	assert_int_equal(frames[3], 0);
	/* Asking for fewer neither shrinks the table nor lists more. */
	st.nr_frames = 1;
	frames[1] = 0;
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), 0);
	assert_int_equal(gt->nr_frames, 3);
	assert_int_equal(frames[1], 0);
}

static void setup_table_refusals(void **state)
{
	xen_pfn_t frames[1];
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 65};

	set_xen_guest_handle(st.frame_list, frames);
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), 0);
	assert_int_equal(st.status, GNTST_general_error);
	assert_int_equal(gdom1->grant_table->nr_frames, 1);
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 2), -EINVAL);
	st.nr_frames = 1;
	st.dom = 2; /* an ordinary domain names only itself */
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), 0);
	assert_int_equal(st.status, GNTST_permission_denied);
	st.dom = 9;
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), 0);
	assert_int_equal(st.status, GNTST_bad_domain);
	gt_as(gdom0); /* dom0 may name any domain */
	st.dom = 2;
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), 0);
	assert_int_equal(st.status, GNTST_okay);
	set_xen_guest_handle(st.frame_list, (xen_pfn_t *)0xFFFF830000000000UL);
	assert_int_equal(gt_op(GNTTABOP_setup_table, &st, 1), -EFAULT);
}

static void versions_and_status_frames(void **state)
{
	struct gnttab_set_version sv = {.version = 2};
	struct gnttab_get_version gv = {.dom = DOMID_SELF};
	struct gnttab_get_status_frames gs = {.nr_frames = 1,
					      .dom = DOMID_SELF};
	struct gnttab_query_size q = {.dom = DOMID_SELF};

	assert_int_equal(gt_op(GNTTABOP_set_version, &sv, 1), -ENOSYS);
	assert_int_equal(sv.version, 1);
	sv.version = 0;
	assert_int_equal(gt_op(GNTTABOP_set_version, &sv, 1), -EINVAL);
	assert_int_equal(sv.version, 1);
	sv.version = 1;
	assert_int_equal(gt_op(GNTTABOP_set_version, &sv, 1), 0);
	assert_int_equal(gt_op(GNTTABOP_get_version, &gv, 1), 0);
	assert_int_equal(gv.version, 1);
	gv.dom = 2;
	assert_int_equal(gt_op(GNTTABOP_get_version, &gv, 1), -EPERM);
	assert_int_equal(gt_op(GNTTABOP_get_status_frames, &gs, 1), 0);
	assert_int_equal(gs.status, GNTST_general_error);
	assert_int_equal(gt_op(GNTTABOP_query_size, &q, 1), 0);
	assert_int_equal(q.status, GNTST_okay);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, 64);
}

static void hypercall_edges(void **state)
{
	struct gnttab_map_grant_ref op = {0};

	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, &op, 0x80000000U),
			 -EINVAL);
	assert_int_equal(gt_op(GNTTABOP_map_grant_ref | 0x1000, &op, 1),
			 -EINVAL);
	assert_int_equal(gt_op(GNTTABOP_transfer, &op, 1), -ENOSYS);
	assert_int_equal(gt_op(GNTTABOP_cache_flush, &op, 1), -ENOSYS);
	assert_int_equal(gt_op(99, &op, 1), -ENOSYS);
	assert_int_equal(gt_op(GNTTABOP_map_grant_ref,
			       (void *)0xFFFF830000000000UL, 1),
			 -EFAULT);
	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, NULL, 0), 0);
}

/* ---- Mapping ------------------------------------------------------------- */

/* gdom2 grants a frame to gdom1, which maps it writable for the host. */
static void host_mapping_holds_pin_refs_and_flags(void **state)
{
	mfn_t m = gt_frame(gdom2, 0x5a);
	grant_ref_t ref = gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	grant_handle_t h;
	struct gt_pte *p;

	assert_int_equal(gt_map(2, ref, VA, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(busy_flags(gdom2, ref), RW_FLAGS);
	assert_int_equal(gt_active(gdom2, ref)->pin, PIN_HOST_RW);
	assert_int_equal(gt_active(gdom2, ref)->domid, 1);
	assert_int_equal(gt_refs(m), 2);
	assert_int_equal(gt_type_refs(m), 1);
	assert_int_equal(gdom2->refcnt, 2); /* the maptrack entry's */
	p = gt_pte_at(gdom1, VA);
	assert_non_null(p);
	assert_true(mfn_eq(p->mfn, m));

	assert_int_equal(gt_unmap(VA, 0, h), GNTST_okay);
	assert_null(gt_pte_at(gdom1, VA));
	assert_int_equal(busy_flags(gdom2, ref), 0);
	assert_int_equal(gt_active(gdom2, ref)->pin, 0);
	assert_int_equal(gt_refs(m), 1);
	assert_int_equal(gt_type_refs(m), 0);
	assert_int_equal(gdom2->refcnt, 1);
	assert_int_equal(gt_unmap(VA, 0, h), GNTST_bad_handle);
}

static void readonly_mapping_takes_no_type(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	grant_ref_t ref = gt_grant(gdom2, 9, 1, m, GTF_permit_access);
	grant_handle_t h;

	assert_int_equal(gt_map(2, ref, VA, GNTMAP_host_map | GNTMAP_readonly,
				&h),
			 GNTST_okay);
	assert_int_equal(busy_flags(gdom2, ref), GTF_reading);
	assert_int_equal(gt_refs(m), 2);
	assert_int_equal(gt_type_refs(m), 0);
	/* The frame could become a page table meanwhile: a read-only
	 * mapping does not prevent it. A writable one would. */
	assert_int_equal(gt_unmap(VA, 0, h), GNTST_okay);
	assert_int_equal(gt_refs(m), 1);
}

/* Each refusal leaves no pin, no reference, no flag and no handle. */
static void refused_maps_leave_nothing(void **state)
{
	mfn_t m = gt_frame(gdom2, 0), l1 = gt_frame(gdom2, 0);
	grant_handle_t h;

	gt_grant(gdom2, 8, 1, m, GTF_permit_access | GTF_readonly);
	gt_grant(gdom2, 9, 3, m, GTF_permit_access);
	gt_grant(gdom2, 10, 1, m, GTF_permit_access | GTF_sub_page);
	gt_grant(gdom2, 11, 1, _mfn(3), GTF_permit_access); /* reserved */
	gt_grant(gdom2, 12, 1, l1, GTF_permit_access);
	gt_grant(gdom2, 13, 1, m, GTF_permit_access);
	assert_int_equal(get_page_and_type(mfn_to_page(l1), gdom2,
					   PGT_l1_page_table),
			 0);

	assert_int_equal(gt_map(2, 8, VA, GNTMAP_host_map, &h),
			 GNTST_general_error);
	assert_int_equal(gt_map(2, 9, VA, GNTMAP_host_map, &h),
			 GNTST_general_error);
	assert_int_equal(gt_map(2, 10, VA, GNTMAP_host_map, &h),
			 GNTST_general_error);
	assert_int_equal(gt_map(2, 11, VA, GNTMAP_host_map, &h),
			 GNTST_bad_page);
	assert_int_equal(gt_map(2, 12, VA, GNTMAP_host_map, &h),
			 GNTST_general_error);
	assert_int_equal(gt_map(2, 13, GT_BAD_ADDR, GNTMAP_host_map, &h),
			 GNTST_general_error);
	assert_int_equal(gt_map(2, 512, VA, GNTMAP_host_map, &h),
			 GNTST_bad_gntref);
	assert_int_equal(gt_map(2, 13, VA, 0, &h), GNTST_bad_gntref);
	assert_int_equal(gt_map(7, 13, VA, GNTMAP_host_map, &h),
			 GNTST_bad_domain);
	for (grant_ref_t r = 8; r <= 13; r++) {
		assert_int_equal(gt_active(gdom2, r)->pin, 0);
		assert_int_equal(busy_flags(gdom2, r), 0);
	}
	assert_int_equal(gt_refs(m), 1);
	assert_int_equal(gt_type_refs(m), 0);
	assert_int_equal(gt_refs(l1), 2);
	assert_int_equal(gt_type_refs(l1), 1);
	assert_null(gt_pte_at(gdom1, VA));
	assert_int_equal(gdom2->refcnt, 1);
	assert_int_equal(gt_handles_in_use(gdom1), 0);
	put_page_and_type(mfn_to_page(l1));
}

static void device_and_host_mapping_together(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	grant_ref_t ref = gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	struct gnttab_map_grant_ref op = {.host_addr = VA,
					  .flags = GNTMAP_host_map |
						   GNTMAP_device_map,
					  .ref = ref,
					  .dom = 2};
	uint64_t bus = mfn_x(m) << PAGE_SHIFT;

	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, &op, 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(op.dev_bus_addr, bus);
	assert_int_equal(gt_active(gdom2, ref)->pin, PIN_HOST_RW | PIN_DEV_RW);
	assert_int_equal(gt_refs(m), 3);
	assert_int_equal(gt_type_refs(m), 2);
	/* The host part first, then the device part. */
	assert_int_equal(gt_unmap(VA, 0, op.handle), GNTST_okay);
	assert_int_equal(gt_active(gdom2, ref)->pin, PIN_DEV_RW);
	assert_int_equal(busy_flags(gdom2, ref), RW_FLAGS);
	assert_int_equal(gt_unmap(0, bus + PAGE_SIZE, op.handle),
			 GNTST_bad_dev_addr);
	assert_int_equal(gt_unmap(0, bus, op.handle), GNTST_okay);
	assert_int_equal(gt_active(gdom2, ref)->pin, 0);
	assert_int_equal(busy_flags(gdom2, ref), 0);
	assert_int_equal(gt_refs(m), 1);
	assert_int_equal(gt_type_refs(m), 0);
	assert_int_equal(gdom2->refcnt, 1);
}

/* 128 uses of a kind at once; the 129th is refused, other kinds not. */
static void pin_counters_stop_at_128(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	grant_ref_t ref = gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	grant_handle_t h[130];
	uint64_t bus = mfn_x(m) << PAGE_SHIFT;

	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(gt_map(2, ref, 0,
					GNTMAP_device_map | GNTMAP_readonly,
					&h[i]),
				 GNTST_okay);
	assert_int_equal(gt_map(2, ref, 0, GNTMAP_device_map | GNTMAP_readonly,
				&h[128]),
			 GNTST_general_error);
	assert_int_equal(gt_map(2, ref, 0, GNTMAP_device_map, &h[128]),
			 GNTST_okay);
	assert_int_equal(gt_unmap(0, bus, h[128]), GNTST_okay);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(gt_unmap(0, bus, h[i]), GNTST_okay);
	assert_int_equal(gt_active(gdom2, ref)->pin, 0);
	assert_int_equal(gt_refs(m), 1);
}

static void maptrack_limit_and_reuse(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	uint64_t bus = mfn_x(m) << PAGE_SHIFT;
	grant_handle_t h[MAPTRACK_PER_PAGE + 1];
	unsigned int n = 0;
	int16_t st;

	grant_table_set_limits(gdom1, -1, 1);
	for (grant_ref_t r = 8; r < 16; r++)
		gt_grant(gdom2, r, 1, m, GTF_permit_access);
	while ((st = gt_map(2, 8 + n / 64, 0,
			    GNTMAP_device_map | GNTMAP_readonly, &h[n])) ==
	       GNTST_okay)
		n++;
	assert_int_equal(st, GNTST_no_space);
	assert_int_equal(n, MAPTRACK_PER_PAGE);
	assert_int_equal(gdom1->grant_table->maptrack_frames, 1);
	/* A freed handle is given again, after the others freed before it. */
	assert_int_equal(gt_unmap(0, bus, h[5]), GNTST_okay);
	assert_int_equal(gt_unmap(0, bus, h[9]), GNTST_okay);
	assert_int_equal(gt_map(2, 8, 0, GNTMAP_device_map | GNTMAP_readonly,
				&h[n]),
			 GNTST_okay);
	assert_int_equal(h[n], h[5]);
	h[5] = h[n];
	assert_int_equal(gt_map(2, 8, 0, GNTMAP_device_map | GNTMAP_readonly,
				&h[9]),
			 GNTST_okay);
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(gt_unmap(0, bus, h[i]), GNTST_okay);
	assert_int_equal(gt_refs(m), 1);
	assert_int_equal(gdom2->refcnt, 1);
	assert_int_equal(gt_handles_in_use(gdom1), 0);
}

static void unmap_refusals_keep_the_mapping(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	grant_ref_t ref = gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	grant_handle_t h;

	assert_int_equal(gt_map(2, ref, VA, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(gt_unmap(VA + PAGE_SIZE, 0, h), GNTST_general_error);
	assert_int_equal(gt_unmap(VA, 0, h + 1), GNTST_bad_handle);
	assert_int_equal(gt_unmap(VA, 0, 1U << 30), GNTST_bad_handle);
	assert_int_equal(gt_unmap(0, 0, h), GNTST_okay); /* does nothing */
	assert_non_null(gt_pte_at(gdom1, VA));
	assert_int_equal(gt_active(gdom2, ref)->pin, PIN_HOST_RW);
	assert_int_equal(gdom1->grant_table->maptrack[0][h].busy, 0);
	assert_int_equal(gt_unmap(VA, 0, h), GNTST_okay);
	assert_int_equal(gt_refs(m), 1);
}

/* Unmaps are flushed before their references and flags go. */
static void unmap_batch_flushes_once_per_32(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	struct gnttab_unmap_grant_ref u[40];
	uint64_t bus = mfn_x(m) << PAGE_SHIFT;

	gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	for (unsigned int i = 0; i < 40; i++) {
		u[i] = (struct gnttab_unmap_grant_ref){.dev_bus_addr = bus};
		assert_int_equal(gt_map(2, 8, 0, GNTMAP_device_map,
					&u[i].handle),
				 GNTST_okay);
	}
	fake_tlb.mask_flushes = 0;
	assert_int_equal(gt_op(GNTTABOP_unmap_grant_ref, u, 40), 0);
	assert_int_equal(fake_tlb.mask_flushes, 2);
	for (unsigned int i = 0; i < 40; i++)
		assert_int_equal(u[i].status, GNTST_okay);
	assert_int_equal(gt_refs(m), 1);
}

/* A long batch stops after the first operation and continues. */
static void long_batch_leaves_a_continuation(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	struct gnttab_map_grant_ref op[3];

	gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	for (unsigned int i = 0; i < 3; i++)
		op[i] = (struct gnttab_map_grant_ref){
			.flags = GNTMAP_device_map, .ref = 8, .dom = 2};
	gt_preempt = true;
	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, op, 3), 0);
	assert_int_equal(gt_continuations, 1);
	assert_int_equal(gt_continuation_args[0], GNTTABOP_map_grant_ref);
	assert_int_equal(gt_continuation_args[1], (unsigned long)&op[1]);
	assert_int_equal(gt_continuation_args[2], 2);
	assert_int_equal(op[0].status, GNTST_okay);
	gt_preempt = false;
	assert_int_equal(gt_unmap(0, op[0].dev_bus_addr, op[0].handle),
			 GNTST_okay);
}

/* ---- Copying ------------------------------------------------------------- */

static void copy_moves_bytes_and_releases_everything(void **state)
{
	mfn_t src = gt_frame(gdom2, 0x11), dst = gt_frame(gdom1, 0);
	grant_ref_t ref = gt_grant(gdom2, 8, 1, src, GTF_permit_access);
	struct gnttab_copy c = {
		.source = {.u.ref = ref, .domid = 2, .offset = 10},
		.dest = {.u.gmfn = mfn_x(dst),
			 .domid = DOMID_SELF,
			 .offset = 20},
		.len = 100,
		.flags = GNTCOPY_source_gref,
	};
	uint8_t *d = mfn_to_virt(dst);

	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_okay);
	assert_int_equal(d[19], 0);
	assert_int_equal(d[20], 0x11);
	assert_int_equal(d[119], 0x11);
	assert_int_equal(d[120], 0);
	assert_int_equal(gt_active(gdom2, ref)->pin, 0);
	assert_int_equal(busy_flags(gdom2, ref), 0);
	assert_int_equal(gt_refs(src), 1);
	assert_int_equal(gt_refs(dst), 1);
	assert_int_equal(gt_type_refs(dst), 0);
	assert_int_equal(gdom2->refcnt, 1);
}

static void copy_statuses_in_xen_order(void **state)
{
	mfn_t src = gt_frame(gdom2, 0), dst = gt_frame(gdom1, 0);
	mfn_t theirs = gt_frame(gdom2, 0);
	struct gnttab_copy c = {
		.source = {.u.ref = 8, .domid = 2, .offset = 4000},
		.dest = {.u.gmfn = mfn_x(dst), .domid = DOMID_SELF},
		.len = 200,
		.flags = GNTCOPY_source_gref,
	};

	gt_grant(gdom2, 8, 1, src, GTF_permit_access | GTF_readonly);
	gt_grant(gdom2, 9, 1, src, GTF_permit_access | GTF_readonly);
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_bad_copy_arg);
	c.source.u.ref = 600; /* the reference is checked before the bounds */
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_bad_gntref);
	c.source.u.ref = 8;
	c.source.offset = 0;
	c.dest.domid = 1; /* frames by number only as DOMID_SELF */
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_permission_denied);
	c.dest.domid = DOMID_SELF;
	c.dest.u.gmfn = mfn_x(theirs); /* not the caller's */
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_bad_page);
	/* Writing to a read-only grant. */
	c = (struct gnttab_copy){
		.source = {.u.gmfn = mfn_x(dst), .domid = DOMID_SELF},
		.dest = {.u.ref = 9, .domid = 2},
		.len = 8,
		.flags = GNTCOPY_dest_gref,
	};
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_general_error);
	c.dest.domid = 7;
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_bad_domain);
	for (grant_ref_t r = 8; r <= 9; r++) {
		assert_int_equal(gt_active(gdom2, r)->pin, 0);
		assert_int_equal(busy_flags(gdom2, r), 0);
	}
	assert_int_equal(gt_refs(src), 1);
	assert_int_equal(gt_refs(dst), 1);
	assert_int_equal(gt_type_refs(dst), 0);
	assert_int_equal(gdom2->refcnt, 1);
}

/* A copy during a writable mapping leaves the mapping's flags set. */
static void copy_keeps_flags_of_a_mapping(void **state)
{
	mfn_t m = gt_frame(gdom2, 0), mine = gt_frame(gdom1, 0x42);
	grant_ref_t ref = gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	struct gnttab_copy c = {
		.source = {.u.gmfn = mfn_x(mine), .domid = DOMID_SELF},
		.dest = {.u.ref = ref, .domid = 2},
		.len = 8,
		.flags = GNTCOPY_dest_gref,
	};
	grant_handle_t h;

	assert_int_equal(gt_map(2, ref, VA, GNTMAP_host_map | GNTMAP_readonly,
				&h),
			 GNTST_okay);
	assert_int_equal(gt_op(GNTTABOP_copy, &c, 1), 0);
	assert_int_equal(c.status, GNTST_okay);
	assert_int_equal(busy_flags(gdom2, ref), GTF_reading);
	assert_int_equal(gt_unmap(VA, 0, h), GNTST_okay);
	assert_int_equal(busy_flags(gdom2, ref), 0);
}

/* ---- Destruction ------------------------------------------------------- */

/*
 * The mapping domain dies: its pins go and the granter's flags clear;
 * device mappings drop their references now, host mappings with the
 * page-table entries (here, by hand, as the page tables' end would).
 */
static void dying_mapper_releases_its_mappings(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	grant_handle_t hh, hd;
	struct gt_pte *p;

	gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	gt_grant(gdom2, 9, 1, m, GTF_permit_access);
	assert_int_equal(gt_map(2, 8, VA, GNTMAP_host_map, &hh), GNTST_okay);
	assert_int_equal(gt_map(2, 9, 0, GNTMAP_device_map, &hd), GNTST_okay);
	assert_int_equal(gt_refs(m), 3);
	assert_int_equal(gdom2->refcnt, 3);
	gdom1->is_dying = true;
	assert_int_equal(gnttab_release_mappings(gdom1), 0);
	assert_int_equal(gt_active(gdom2, 8)->pin, 0);
	assert_int_equal(gt_active(gdom2, 9)->pin, 0);
	assert_int_equal(busy_flags(gdom2, 8), 0);
	assert_int_equal(busy_flags(gdom2, 9), 0);
	assert_int_equal(gdom2->refcnt, 1);
	assert_int_equal(gt_refs(m), 2); /* the host mapping's entry */
	assert_int_equal(gt_type_refs(m), 1);
	p = gt_pte_at(gdom1, VA);
	put_page_and_type(mfn_to_page(p->mfn));
	p->used = false;
	assert_int_equal(gt_refs(m), 1);
}

static void release_of_many_mappings_is_preemptible(void **state)
{
	mfn_t m = gt_frame(gdom2, 0);
	unsigned int n = 0;

	for (grant_ref_t r = 8; r < 8 + 9; r++) {
		gt_grant(gdom2, r, 1, m, GTF_permit_access);
		for (unsigned int i = 0; i < 128; i++, n++)
			assert_int_equal(gt_map(2, r, 0,
						GNTMAP_device_map |
							GNTMAP_readonly,
						NULL),
					 GNTST_okay);
	}
	assert_int_equal(gt_refs(m), 1 + n);
	gdom1->is_dying = true;
	assert_int_equal(gnttab_release_mappings(gdom1), -ERESTART);
	assert_int_equal(gt_refs(m), 1 + n - 1024); /* 1024 at a time */
	assert_int_equal(gnttab_release_mappings(gdom1), 0);
	assert_int_equal(gt_refs(m), 1);
	assert_int_equal(gdom2->refcnt, 1);
}

/*
 * The granting domain dies while its grant is mapped: its shared frames
 * go back, the mapped frame stays with the mapping; unmapping then
 * works and writes nothing into the given-back table.
 */
static void dying_granter_keeps_mapped_frames_until_unmapped(void **state)
{
	mfn_t m = gt_frame(gdom2, 0x77);
	mfn_t table = virt_to_mfn(gdom2->grant_table->shared[0]);
	grant_handle_t h;
	struct gnttab_map_grant_ref op = {
		.host_addr = VA, .flags = GNTMAP_host_map, .ref = 8, .dom = 2};

	gt_grant(gdom2, 8, 1, m, GTF_permit_access);
	assert_int_equal(gt_map(2, 8, VA, GNTMAP_host_map, &h), GNTST_okay);
	/* gdom2 is destroyed: its memory and its table's frames go back. */
	gdom2->is_dying = true;
	domain_release_page(mfn_to_page(m));
	grant_table_release_shared(gdom2);
	assert_int_equal(page_state(mfn_to_page(table)), PGC_state_free);
	assert_int_equal(page_state(mfn_to_page(m)), PGC_state_inuse);
	assert_int_equal(gt_refs(m), 1);
	assert_true(fake_frame_filled(mfn_x(m), 0x77));
	/* No new use of its grants. */
	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, &op, 1), 0);
	assert_int_equal(op.status, GNTST_bad_domain);
	gdom2->is_dying = false; /* (found by id again, to reach the table) */
	assert_int_equal(gt_op(GNTTABOP_map_grant_ref, &op, 1), 0);
	assert_int_equal(op.status, GNTST_bad_domain);
	/* Unmapping still works; the last reference frees the frame. */
	assert_int_equal(gt_unmap(VA, 0, h), GNTST_okay);
	assert_int_equal(gt_active(gdom2, 8)->pin, 0);
	assert_int_equal(page_state(mfn_to_page(m)), PGC_state_free);
	assert_int_equal(gdom2->refcnt, 1);
}

/* ---- Swapping ------------------------------------------------------------ */

static void swap_refuses_entries_in_use(void **state)
{
	mfn_t a = gt_frame(gdom1, 0), b = gt_frame(gdom1, 0);
	struct gnttab_swap_grant_ref op = {.ref_a = 8, .ref_b = 9};
	grant_handle_t h;

	gt_grant(gdom1, 8, 1, a, GTF_permit_access);
	gt_grant(gdom1, 9, 1, b, GTF_permit_access | GTF_readonly);
	assert_int_equal(gt_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_int_equal(gt_entry(gdom1, 8)->frame, mfn_x(b));
	assert_int_equal(gt_entry(gdom1, 9)->flags, GTF_permit_access);
	assert_int_equal(gt_map(1, 9, 0, GNTMAP_device_map, &h), GNTST_okay);
	assert_int_equal(gt_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
	assert_int_equal(op.status, GNTST_eagain);
	assert_int_equal(gt_unmap(0, mfn_x(a) << PAGE_SHIFT, h), GNTST_okay);
	op.ref_a = 512;
	assert_int_equal(gt_op(GNTTABOP_swap_grant_ref, &op, 1), 0);
	assert_int_equal(op.status, GNTST_bad_gntref);
	assert_int_equal(gdom1->refcnt, 1);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, gt_setup, gt_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(new_table_has_one_frame_shared_with_its_domain),
		TEST(createdomain_settings_are_checked_as_xen_4_17),
		TEST(setup_table_grows_and_lists_frames),
		TEST(setup_table_refusals),
		TEST(versions_and_status_frames),
		TEST(hypercall_edges),
		TEST(host_mapping_holds_pin_refs_and_flags),
		TEST(readonly_mapping_takes_no_type),
		TEST(refused_maps_leave_nothing),
		TEST(device_and_host_mapping_together),
		TEST(pin_counters_stop_at_128),
		TEST(maptrack_limit_and_reuse),
		TEST(unmap_refusals_keep_the_mapping),
		TEST(unmap_batch_flushes_once_per_32),
		TEST(long_batch_leaves_a_continuation),
		TEST(copy_moves_bytes_and_releases_everything),
		TEST(copy_statuses_in_xen_order),
		TEST(copy_keeps_flags_of_a_mapping),
		TEST(dying_mapper_releases_its_mappings),
		TEST(release_of_many_mappings_is_preemptible),
		TEST(dying_granter_keeps_mapped_frames_until_unmapped),
		TEST(swap_refuses_entries_in_use),
	};

	return cmocka_run_group_tests_name("grant_table", tests, NULL, NULL);
}
