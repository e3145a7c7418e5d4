/*
 * Grant-table conformance (version 1), within one domain, continued from
 * grant.c: copying (both ways, every bound, reference, domain, frame and
 * permission check, batches), swapping entries, and pvguest's grant
 * client (ending access while mapped, a growing table, its copy
 * helpers). Xen is booted with gnttab=max-ver:1 here too (run.py).
 */
#include "grant_util.h"

CONFORMANCE_KERNEL("grant_copy");

/* ---- Copying ------------------------------------------------------------- */

/* From a grant to our frame and back, within the pages. */
TEST(copy, both_ways)
{
	pfn_t ps, pd;
	mfn_t ms, md;
	uint8_t *src = new_frame(0x70, &ps, &ms);
	uint8_t *dst = new_frame(0x00, &pd, &md);
	grant_ref_t ro = grant(ps, true), rw = grant(pd, false);
	struct gnttab_copy c = {.source = by_ref(ro, 100),
				.dest = by_frame(md, 200),
				.len = 300,
				.flags = GNTCOPY_source_gref};

	for (int i = 0; i < 4096; i++)
		src[i] = (uint8_t)i;
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(memcmp(dst + 200, src + 100, 300), 0);
	EXPECT_EQ(dst[199], 0);
	EXPECT_EQ(dst[500], 0);
	c = (struct gnttab_copy){.source = by_frame(ms, 0),
				 .dest = by_ref(rw, 4000),
				 .len = 96,
				 .flags = GNTCOPY_dest_gref};
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(memcmp(dst + 4000, src, 96), 0);
	/* Grant to grant, and a whole page. */
	c = (struct gnttab_copy){.source = by_ref(ro, 0),
				 .dest = by_ref(rw, 0),
				 .len = 4096,
				 .flags = GNTCOPY_source_gref |
					  GNTCOPY_dest_gref};
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(memcmp(dst, src, 4096), 0);
	c.len = 0;
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(flags_of(ro), 0); /* pinned only while copying */
	EXPECT_EQ(flags_of(rw), 0);
	EXPECT_OK(gnttab_end_access(ro));
	EXPECT_OK(gnttab_end_access(rw));
	free_frames(ps, 1);
	free_frames(pd, 1);
}

/* An offset plus the length beyond the page, on either side. */
TEST(copy, out_of_bounds)
{
	pfn_t ps, pd;
	mfn_t ms, md;
	grant_ref_t ref;
	struct gnttab_copy c;

	new_frame(0x71, &ps, &ms);
	new_frame(0x00, &pd, &md);
	ref = grant(ps, true);
	c = (struct gnttab_copy){.source = by_ref(ref, 4000),
				 .dest = by_frame(md, 0),
				 .len = 97,
				 .flags = GNTCOPY_source_gref};
	EXPECT_EQ(copy_op(&c), GNTST_bad_copy_arg);
	c.source.offset = 0;
	c.dest.offset = 4095;
	c.len = 2;
	EXPECT_EQ(copy_op(&c), GNTST_bad_copy_arg);
	c.dest.offset = 0xffff;
	c.len = 0xffff;
	EXPECT_EQ(copy_op(&c), GNTST_bad_copy_arg);
	c.dest.offset = 4095;
	c.len = 1;
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(ps, 1);
	free_frames(pd, 1);
}

/* Bad references, domains and frames; the first failing check wins. */
TEST(copy, bad_references_domains_frames)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	pfn_t ps, pd;
	mfn_t ms, md;
	grant_ref_t ref;
	struct gnttab_copy c;

	new_frame(0x72, &ps, &ms);
	new_frame(0x00, &pd, &md);
	ref = grant(ps, true);
	ASSERT_OK(gnttab_op(GNTTABOP_query_size, &q, 1));
	c = (struct gnttab_copy){.source = by_ref(q.nr_frames * 512, 4000),
				 .dest = by_frame(md, 0),
				 .len = 200,
				 .flags = GNTCOPY_source_gref};
	EXPECT_EQ(copy_op(&c), GNTST_bad_gntref); /* before the bounds */
	c.source = by_ref(ref, 0);
	c.source.domid = NO_SUCH_DOMAIN;
	EXPECT_EQ(copy_op(&c), GNTST_bad_domain);
	/* Our own frames by number only as DOMID_SELF, not by our id. */
	c.source = by_ref(ref, 0);
	c.dest.domid = SELF;
	EXPECT_EQ(copy_op(&c), GNTST_permission_denied);
	c.dest = by_frame(_mfn(0), 0); /* machine frame 0 is nobody's */
	EXPECT_EQ(copy_op(&c), GNTST_bad_page);
	c.dest = by_frame(md, 0);
	c.source = by_frame(_mfn(0), 0);
	c.flags = 0;
	EXPECT_EQ(copy_op(&c), GNTST_bad_page);
	EXPECT_EQ(flags_of(ref), 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(ps, 1);
	free_frames(pd, 1);
}

/* Permissions: read-only grants, ended grants, tables as destinations. */
TEST(copy, permissions)
{
	pfn_t ps, pd;
	mfn_t ms, md, l1;
	grant_ref_t ro, rw;
	struct gnttab_copy c;

	new_frame(0x73, &ps, &ms);
	new_frame(0x00, &pd, &md);
	ro = grant(pd, true);
	c = (struct gnttab_copy){.source = by_frame(ms, 0),
				 .dest = by_ref(ro, 0),
				 .len = 8,
				 .flags = GNTCOPY_dest_gref};
	EXPECT_EQ(copy_op(&c), GNTST_general_error); /* a read-only grant */
	EXPECT_EQ(flags_of(ro), 0);
	rw = grant(pd, false);
	ASSERT_OK(gnttab_end_access(rw));
	c.dest = by_ref(rw, 0);
	EXPECT_EQ(copy_op(&c), GNTST_general_error); /* access ended */
	ASSERT_OK(alloc_pt_frame(&l1));
	ASSERT_OK(pin_table(1, l1));
	c.dest = by_frame(l1, 0);
	c.flags = 0;
	EXPECT_EQ(copy_op(&c), GNTST_general_error); /* a page table */
	EXPECT_OK(unpin_table(l1));
	EXPECT_OK(free_pt_frame(l1));
	EXPECT_OK(gnttab_end_access(ro));
	free_frames(ps, 1);
	free_frames(pd, 1);
}

/* Version 1 knows no sub-page grants: copying ignores the flag. */
TEST(copy, sub_page_flag_ignored_by_copy)
{
	pfn_t ps, pd;
	mfn_t ms, md;
	uint8_t *dst;
	grant_ref_t ref;
	struct gnttab_copy c;

	new_frame(0x74, &ps, &ms);
	dst = new_frame(0x00, &pd, &md);
	ref = grant(ps, true);
	sha(ref)->flags |= GTF_sub_page;
	c = (struct gnttab_copy){.source = by_ref(ref, 4000),
				 .dest = by_frame(md, 0),
				 .len = 96,
				 .flags = GNTCOPY_source_gref};
	EXPECT_EQ(copy_op(&c), GNTST_okay);
	EXPECT_EQ(dst[95], 0x74);
	sha(ref)->flags = GTF_transitive;
	EXPECT_EQ(copy_op(&c), GNTST_general_error);
	sha(ref)->flags = GTF_permit_access | GTF_readonly;
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(ps, 1);
	free_frames(pd, 1);
}

/* A batch: each operation has its own status. */
TEST(copy, batch_statuses)
{
	pfn_t ps, pd;
	mfn_t ms, md;
	uint8_t *dst;
	grant_ref_t ref;
	struct gnttab_copy c[3];

	new_frame(0x75, &ps, &ms);
	dst = new_frame(0x00, &pd, &md);
	ref = grant(ps, true);
	for (int i = 0; i < 3; i++)
		c[i] = (struct gnttab_copy){.source = by_ref(ref, 0),
					    .dest = by_frame(md, i * 16),
					    .len = 16,
					    .flags = GNTCOPY_source_gref,
					    .status = 99};
	c[1].dest.offset = 4090;
	ASSERT_OK(gnttab_op(GNTTABOP_copy, c, 3));
	EXPECT_EQ(c[0].status, GNTST_okay);
	EXPECT_EQ(c[1].status, GNTST_bad_copy_arg);
	EXPECT_EQ(c[2].status, GNTST_okay);
	EXPECT_EQ(dst[32], 0x75);
	EXPECT_EQ(dst[16], 0);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(ps, 1);
	free_frames(pd, 1);
}

/* ---- Swapping entries ---------------------------------------------------- */

TEST(table, swap_grant_ref)
{
	struct gnttab_swap_grant_ref op;
	volatile uint8_t *va = win(15, 0);
	grant_handle_t h;
	pfn_t pa, pb;
	mfn_t ma, mb;
	grant_ref_t a, b;

	new_frame(0x81, &pa, &ma);
	new_frame(0x82, &pb, &mb);
	a = grant(pa, false);
	b = grant(pb, true);
	op = (struct gnttab_swap_grant_ref){.ref_a = a, .ref_b = b};
	ASSERT_OK(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1));
	EXPECT_EQ(op.status, GNTST_okay);
	EXPECT_EQ(sha(a)->frame, mfn_x(mb));
	EXPECT_EQ(sha(a)->flags, GTF_permit_access | GTF_readonly);
	EXPECT_EQ(sha(b)->frame, mfn_x(ma));
	ASSERT_EQ(map_host(a, va, true, &h), GNTST_okay);
	EXPECT_EQ(va[0], 0x82);
	ASSERT_OK(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1));
	EXPECT_EQ(op.status, GNTST_eagain); /* a is in use */
	EXPECT_EQ(unmap_op((unsigned long)va, 0, h), GNTST_okay);
	op.ref_b = ~0U;
	ASSERT_OK(gnttab_op(GNTTABOP_swap_grant_ref, &op, 1));
	EXPECT_EQ(op.status, GNTST_bad_gntref);
	EXPECT_OK(gnttab_end_access(a));
	EXPECT_OK(gnttab_end_access(b));
	free_frames(pa, 1);
	free_frames(pb, 1);
}

/* ---- The client ---------------------------------------------------------- */

/* end_access is refused while the grant is mapped, and works after. */
TEST(client, end_access_refused_while_mapped)
{
	grant_handle_t h;
	void *va;
	pfn_t pfn;
	mfn_t mfn;
	grant_ref_t ref;

	new_frame(0x91, &pfn, &mfn);
	ref = grant(pfn, false);
	ASSERT_EQ(gnttab_map(SELF, ref, false, &va, &h), GNTST_okay);
	EXPECT_EQ(*(volatile uint8_t *)va, 0x91);
	EXPECT_TRUE(gnttab_access_in_use(ref));
	EXPECT_ERR(gnttab_end_access(ref), -EBUSY);
	EXPECT_EQ(sha(ref)->flags & GTF_permit_access, GTF_permit_access);
	EXPECT_EQ(gnttab_unmap(va, h), GNTST_okay);
	EXPECT_FALSE(gnttab_access_in_use(ref));
	EXPECT_OK(gnttab_end_access(ref));
	EXPECT_ERR(gnttab_end_access(ref), -EINVAL);
	EXPECT_ERR(gnttab_end_access(3), -EINVAL); /* reserved */
	free_frames(pfn, 1);
}

/* Running out of references grows the table by a frame. */
TEST(client, table_grows)
{
	static grant_ref_t refs[8192];
	unsigned int before, n;
	pfn_t pfn;
	mfn_t mfn;

	ASSERT_OK(gnttab_init());
	before = gnttab_nr_frames();
	n = gnttab_free_refs() + 10;
	ASSERT_LE(n, ARRAY_SIZE(refs));
	new_frame(0x92, &pfn, &mfn);
	for (unsigned int i = 0; i < n; i++)
		ASSERT_OK(gnttab_grant_access(SELF, pfn, true, &refs[i]));
	EXPECT_EQ(gnttab_nr_frames(), before + 1);
	for (unsigned int i = 0; i < n; i++)
		EXPECT_OK(gnttab_end_access(refs[i]));
	free_frames(pfn, 1);
}

/* The copy helpers, with our buffer across a page boundary. */
TEST(client, copy_helpers)
{
	pfn_t pg, pb;
	mfn_t mg;
	uint8_t *page = new_frame(0x00, &pg, &mg);
	uint8_t *buf;
	grant_ref_t ref;

	ASSERT_OK(alloc_frames(2, &pb));
	buf = frame_va(pb);
	for (int i = 0; i < 2 * 4096; i++)
		buf[i] = (uint8_t)(i * 7);
	ref = grant(pg, false);
	EXPECT_EQ(gnttab_copy_to_grant(SELF, ref, 10, buf + 4000, 1000),
		  GNTST_okay);
	EXPECT_EQ(memcmp(page + 10, buf + 4000, 1000), 0);
	memset(buf, 0, 8192);
	EXPECT_EQ(gnttab_copy_from_grant(SELF, ref, 10, buf + 4090, 1000),
		  GNTST_okay);
	EXPECT_EQ(memcmp(buf + 4090, page + 10, 1000), 0);
	EXPECT_EQ(gnttab_copy_from_grant(SELF, ref, 4000, buf, 200),
		  GNTST_bad_copy_arg);
	EXPECT_OK(gnttab_end_access(ref));
	free_frames(pb, 2);
	free_frames(pg, 1);
}
