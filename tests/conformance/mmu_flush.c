/*
 * Memory-management conformance, part 2: TLB flushes. mmuext_op's flush
 * commands and update_va_mapping's flush types must make a changed
 * mapping visible; update_va_mapping's refusals (no L1 behind the
 * address, an address that is not the guest's) come with Xen 4.17's
 * error codes.
 *
 * A flush test maps frame A, reads it (caching the translation), points
 * the entry at frame B without a flush, flushes, and must then see B.
 * Whether A was still seen before the flush is the hypervisor's business
 * (Xen keeps the stale entry, Paravane flushes whenever a mapping's
 * reference goes): it is only reported.
 */
#include "mmu_util.h"

#include <guest/console.h>

CONFORMANCE_KERNEL("mmu_flush");

/* A guest L4 slot that pvguest leaves empty. */
#define FREE_SLOT 300

/* ---- mmuext_op: TLB flushes ---------------------------------------------- */

/* Map A at window n and read it, point the entry at B, run flush: B. */
static void check_flush_shows_new_mapping(unsigned int n,
					  int (*flush)(unsigned long va))
{
	volatile uint8_t *va = win(n, 0);
	pfn_t pa, pb;
	mfn_t ma, mb;
	paddr_t e;

	new_frame(0x11, &pa, &ma);
	new_frame(0x22, &pb, &mb);
	ASSERT_OK(map_frame((void *)va, ma, 0));
	ASSERT_EQ(va[0], 0x11);
	ASSERT_OK(pt_entry_addr((unsigned long)va, 1, &e));
	ASSERT_OK(mmu_update_one(e, leaf(mb, 0)));
	printk("    (before the flush: %s translation)\n",
	       va[0] == 0x11 ? "stale" : "new");
	EXPECT_OK(flush((unsigned long)va));
	EXPECT_EQ(va[0], 0x22);
	EXPECT_OK(unmap((void *)va));
	free_frames(pa, 1);
	free_frames(pb, 1);
}

static int flush_local(unsigned long va)
{
	return mmuext(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

static int flush_all(unsigned long va)
{
	return mmuext(MMUEXT_TLB_FLUSH_ALL, 0);
}

static int invlpg_local_op(unsigned long va)
{
	return mmuext(MMUEXT_INVLPG_LOCAL, va);
}

static int invlpg_all_op(unsigned long va)
{
	return mmuext(MMUEXT_INVLPG_ALL, va);
}

static unsigned long this_vcpu_mask = 1;

static int flush_multi(unsigned long va)
{
	struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_MULTI};

	set_xen_guest_handle(op.arg2.vcpumask, (void *)&this_vcpu_mask);
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static int invlpg_multi(unsigned long va)
{
	struct mmuext_op op = {.cmd = MMUEXT_INVLPG_MULTI};

	op.arg1.linear_addr = va;
	set_xen_guest_handle(op.arg2.vcpumask, (void *)&this_vcpu_mask);
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

TEST(mmuext_op, tlb_flush_local)
{
	check_flush_shows_new_mapping(5, flush_local);
}

TEST(mmuext_op, tlb_flush_all)
{
	check_flush_shows_new_mapping(6, flush_all);
}

TEST(mmuext_op, invlpg_local)
{
	check_flush_shows_new_mapping(7, invlpg_local_op);
}

TEST(mmuext_op, invlpg_all)
{
	check_flush_shows_new_mapping(8, invlpg_all_op);
}

TEST(mmuext_op, tlb_flush_multi)
{
	check_flush_shows_new_mapping(9, flush_multi);
}

TEST(mmuext_op, invlpg_multi)
{
	check_flush_shows_new_mapping(10, invlpg_multi);
}

/* The vCPU mask of a *_MULTI flush is read from the guest: -EINVAL. */
TEST(mmuext_op, flush_multi_bad_mask_pointer)
{
	struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_MULTI};

	set_xen_guest_handle(op.arg2.vcpumask, UNMAPPED_GUEST_VA);
	EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL);
	op.cmd = MMUEXT_INVLPG_MULTI;
	op.arg1.linear_addr = (unsigned long)win(11, 0);
	EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL);
}

/* ---- update_va_mapping --------------------------------------------------- */

/* Map A at va (cached), switch it to B with flags; B must be seen. */
static void check_uvm_flush(unsigned int n, unsigned long flags,
			    bool then_invlpg)
{
	volatile uint8_t *va = win(n, 0);
	pfn_t pa, pb;
	mfn_t ma, mb;

	new_frame(0x31, &pa, &ma);
	new_frame(0x32, &pb, &mb);
	ASSERT_OK(map_frame((void *)va, ma, 0));
	ASSERT_EQ(va[0], 0x31);
	EXPECT_OK(HYPERVISOR_update_va_mapping((unsigned long)va, leaf(mb, 0),
					       flags));
	if (then_invlpg)
		EXPECT_OK(invlpg_local((void *)va));
	EXPECT_EQ(va[0], 0x32);
	EXPECT_EQ(pte_mfn(entry_at((unsigned long)va, 1)), mfn_x(mb));
	EXPECT_OK(unmap((void *)va));
	free_frames(pa, 1);
	free_frames(pb, 1);
}

TEST(update_va_mapping, invlpg_local)
{
	check_uvm_flush(13, UVMF_INVLPG | UVMF_LOCAL, false);
}

TEST(update_va_mapping, invlpg_all)
{
	check_uvm_flush(14, UVMF_INVLPG | UVMF_ALL, false);
}

TEST(update_va_mapping, tlb_flush_local)
{
	check_uvm_flush(15, UVMF_TLB_FLUSH | UVMF_LOCAL, false);
}

TEST(update_va_mapping, tlb_flush_all)
{
	check_uvm_flush(16, UVMF_TLB_FLUSH | UVMF_ALL, false);
}

/* UVMF_NONE changes the entry without a flush; a later INVLPG shows it. */
TEST(update_va_mapping, no_flush)
{
	check_uvm_flush(17, UVMF_NONE, true);
}

/* Flags beyond the flush type name a vCPU mask in guest memory. */
TEST(update_va_mapping, vcpu_mask)
{
	check_uvm_flush(18, UVMF_INVLPG | (unsigned long)&this_vcpu_mask,
			false);
}

/* Flush type 3 is not a flush type: Xen makes the update, flushes nothing. */
TEST(update_va_mapping, invalid_flush_type)
{
	check_uvm_flush(19, UVMF_FLUSHTYPE_MASK, true);
}

/* No L1 table behind va (no L3, or no L2): -EINVAL. */
TEST(update_va_mapping, no_l1_table)
{
	pfn_t pfn;
	mfn_t mfn;

	new_frame(0, &pfn, &mfn);
	EXPECT_ERR(HYPERVISOR_update_va_mapping(SLOT_VA(FREE_SLOT + 1),
						leaf(mfn, 0), UVMF_INVLPG),
		   -EINVAL);
	/* An L2 exists for the map area, but not this far into it. */
	EXPECT_ERR(HYPERVISOR_update_va_mapping(MAPAREA_BASE + 0x7f00000000UL,
						leaf(mfn, 0), UVMF_INVLPG),
		   -EINVAL);
	free_frames(pfn, 1);
}

/* The hypervisor's range and non-canonical addresses: -EINVAL. */
TEST(update_va_mapping, address_not_guest)
{
	static const unsigned long bad[] = {
		HYPERVISOR_VIRT_START,			 /* the read-only M2P */
		HYPERVISOR_VIRT_START + 0x10000000000UL, /* slot 258 */
		HYPERVISOR_VIRT_END - PAGE_SIZE,
		0x0000800000000000UL, /* non-canonical */
		0x8000000000000000UL,
	};
	pfn_t pfn;
	mfn_t mfn;
	unsigned int i;

	new_frame(0, &pfn, &mfn);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_ERR(HYPERVISOR_update_va_mapping(bad[i], leaf(mfn, 0),
							UVMF_INVLPG),
			   -EINVAL);
	free_frames(pfn, 1);
}
