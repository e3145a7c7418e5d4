/*
 * Memory-management conformance, part 1: mmu_update (entries, new
 * tables, M2P updates, batches) and mmuext_op on tables and pages
 * (pinning, base pointers, clear and copy), on their success paths and
 * their ordinary refusals, with the error codes Xen 4.17 returns. TLB
 * flushes and update_va_mapping are in mmu_flush.c, descriptor tables in
 * mmu_gdt.c, and a guest reaching for what it must never have (its own
 * tables writable, frames it does not own, the hypervisor's slots, bad
 * pointers) in mmu_hostile.c.
 *
 * Frames and tables are given back at the end of each test; a table is
 * free again only once the hypervisor dropped its type, so freeing one
 * (making it writable) is itself a check that every reference went.
 */
#include "mmu_util.h"

CONFORMANCE_KERNEL("mmu");

/* A guest L4 slot that pvguest leaves empty: for whole new trees. */
#define FREE_SLOT 300
#define TREE_VA (SLOT_VA(FREE_SLOT) + 0x40201000UL) /* L3 1, L2 1, L1 1 */

/* ---- mmu_update ---------------------------------------------------------- */

/* An L1 entry written by mmu_update maps the frame; writing 0 unmaps it. */
TEST(mmu_update, map_and_unmap_l1_entry)
{
	volatile uint8_t *va = win(0, 0);
	paddr_t e;
	pfn_t pfn;
	mfn_t mfn;
	uint8_t *data = new_frame(0x5a, &pfn, &mfn);

	ASSERT_OK(map_frame((void *)win(0, 1), mfn, 0)); /* creates the L1 */
	ASSERT_OK(pt_entry_addr((unsigned long)va, 1, &e));
	ASSERT_OK(mmu_update_one(e, leaf(mfn, PTE_RW)));
	EXPECT_EQ(va[0], 0x5a);
	va[9] = 0xa5;
	EXPECT_EQ(data[9], 0xa5);
	EXPECT_EQ(pte_core(entry_at((unsigned long)va, 1)),
		  maddr(mfn) | PTE_PRESENT | PTE_RW);

	ASSERT_OK(mmu_update_one(e, 0));
	EXPECT_OK(invlpg_local((void *)va));
	EXPECT_EQ(entry_at((unsigned long)va, 1), 0);
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
	EXPECT_OK(unmap((void *)win(0, 1)));
	free_frames(pfn, 1);
}

/*
 * New tables hooked in top-down: an empty L3 into the L4, then an L2, an
 * L1 and the leaf, each update validated against a live table.
 */
TEST(mmu_update, hook_new_tables_top_down)
{
	volatile uint8_t *va = (volatile uint8_t *)TREE_VA;
	mfn_t l3, l2, l1, mfn;
	pfn_t pfn;
	uint8_t *data = new_frame(0x77, &pfn, &mfn);

	ASSERT_OK(alloc_pt_frame(&l3));
	ASSERT_OK(alloc_pt_frame(&l2));
	ASSERT_OK(alloc_pt_frame(&l1));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(pagetable_root(), FREE_SLOT),
				 table_entry(l3)));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l3, pt_index(TREE_VA, 3)),
				 table_entry(l2)));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l2, pt_index(TREE_VA, 2)),
				 table_entry(l1)));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l1, pt_index(TREE_VA, 1)),
				 leaf(mfn, PTE_RW)));
	EXPECT_EQ(va[0], 0x77);
	va[1] = 0x78;
	EXPECT_EQ(data[1], 0x78);
	/* In use as tables, they cannot become writable. */
	EXPECT_ERR(frame_set_readonly(mfn_to_pfn(l2), false), -EBUSY);

	/* One L4 entry holds the whole tree: clearing it releases all. */
	ASSERT_OK(
		mmu_update_one(pt_entry_maddr(pagetable_root(), FREE_SLOT), 0));
	EXPECT_OK(tlb_flush_local());
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
	EXPECT_OK(free_pt_frame(l1));
	EXPECT_OK(free_pt_frame(l2));
	EXPECT_OK(free_pt_frame(l3));
	free_frames(pfn, 1);
}

/*
 * New tables filled bottom-up while they are not page tables yet (those
 * writes are plain checked writes), then validated all at once when the
 * L3 is hooked into the L4.
 */
TEST(mmu_update, hook_new_tables_bottom_up)
{
	volatile uint8_t *va = (volatile uint8_t *)TREE_VA;
	mfn_t l3, l2, l1, mfn;
	pfn_t pfn;

	new_frame(0x66, &pfn, &mfn);
	ASSERT_OK(alloc_pt_frame(&l3));
	ASSERT_OK(alloc_pt_frame(&l2));
	ASSERT_OK(alloc_pt_frame(&l1));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l1, pt_index(TREE_VA, 1)),
				 leaf(mfn, 0)));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l2, pt_index(TREE_VA, 2)),
				 table_entry(l1)));
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l3, pt_index(TREE_VA, 3)),
				 table_entry(l2)));
	/* Not page tables yet: they could still be made writable. */
	ASSERT_OK(mmu_update_one(pt_entry_maddr(pagetable_root(), FREE_SLOT),
				 table_entry(l3)));
	EXPECT_EQ(va[123], 0x66);
	EXPECT_ERR(frame_set_readonly(mfn_to_pfn(l1), false), -EBUSY);

	ASSERT_OK(
		mmu_update_one(pt_entry_maddr(pagetable_root(), FREE_SLOT), 0));
	EXPECT_OK(tlb_flush_local());
	EXPECT_OK(free_pt_frame(l1));
	EXPECT_OK(free_pt_frame(l2));
	EXPECT_OK(free_pt_frame(l3));
	free_frames(pfn, 1);
}

/* MMU_PT_UPDATE_PRESERVE_AD keeps the entry's accessed and dirty bits. */
TEST(mmu_update, preserve_ad_keeps_accessed_dirty)
{
	unsigned long va = (unsigned long)win(1, 0);
	pfn_t pa, pb;
	mfn_t ma, mb;
	paddr_t e;
	uint64_t pte;

	new_frame(1, &pa, &ma);
	new_frame(2, &pb, &mb);
	ASSERT_OK(map_frame((void *)va, ma, 0));
	ASSERT_OK(pt_entry_addr(va, 1, &e));

	/* A and D set, then replaced without them: they stay. */
	ASSERT_OK(mmu_update_one(e, leaf(ma, 0)));
	ASSERT_OK(
		mmu_cmd(e, MMU_PT_UPDATE_PRESERVE_AD, maddr(mb) | PTE_PRESENT));
	pte = entry_at(va, 1);
	EXPECT_EQ(pte_mfn(pte), mfn_x(mb));
	EXPECT_EQ(pte & (PTE_ACCESSED | PTE_DIRTY), PTE_ACCESSED | PTE_DIRTY);

	/* A normal update writes them as given. */
	ASSERT_OK(mmu_update_one(e, maddr(ma) | PTE_PRESENT));
	pte = entry_at(va, 1);
	EXPECT_EQ(pte_mfn(pte), mfn_x(ma));
	EXPECT_EQ(pte & (PTE_ACCESSED | PTE_DIRTY), 0);

	EXPECT_OK(unmap((void *)va));
	free_frames(pa, 1);
	free_frames(pb, 1);
}

/* For a PV guest MMU_PT_UPDATE_NO_TRANSLATE is a normal checked update. */
TEST(mmu_update, no_translate_is_normal_update)
{
	unsigned long va = (unsigned long)win(2, 0);
	pfn_t pfn;
	mfn_t mfn, l1;
	paddr_t e;

	new_frame(0x3c, &pfn, &mfn);
	ASSERT_OK(pt_ensure(va, 1, &l1));
	ASSERT_OK(pt_entry_addr(va, 1, &e));
	ASSERT_OK(mmu_cmd(e, MMU_PT_UPDATE_NO_TRANSLATE, leaf(mfn, 0)));
	EXPECT_OK(invlpg_local((void *)va));
	EXPECT_EQ(*(volatile uint8_t *)va, 0x3c);
	/* ... and as checked: the L1 itself may not be mapped writable. */
	EXPECT_ERR(mmu_cmd(e, MMU_PT_UPDATE_NO_TRANSLATE, leaf(l1, PTE_RW)),
		   -EBUSY);
	EXPECT_EQ(pte_mfn(entry_at(va, 1)), mfn_x(mfn));
	EXPECT_OK(unmap((void *)va));
	free_frames(pfn, 1);
}

/* Command bits 4-7 name no command: -ENOSYS, nothing written. */
TEST(mmu_update, unknown_command)
{
	unsigned long va = (unsigned long)win(3, 0);
	unsigned int cmd;
	pfn_t pfn;
	mfn_t mfn;
	paddr_t e;

	new_frame(0, &pfn, &mfn);
	ASSERT_OK(map_frame((void *)win(3, 1), mfn, 0));
	ASSERT_OK(pt_entry_addr(va, 1, &e));
	for (cmd = 4; cmd < 8; cmd++) {
		EXPECT_ERR(mmu_cmd(e, cmd, leaf(mfn, 0)), -ENOSYS);
		EXPECT_EQ(entry_at(va, 1), 0);
	}
	EXPECT_OK(unmap((void *)win(3, 1)));
	free_frames(pfn, 1);
}

/* MMU_MACHPHYS_UPDATE sets a frame's M2P entry, seen in the read-only M2P. */
TEST(mmu_update, machphys_update)
{
	const unsigned long *m2p = machine_to_phys_mapping;
	pfn_t pfn;
	mfn_t mfn;

	new_frame(0, &pfn, &mfn);
	EXPECT_EQ(m2p[mfn_x(mfn)], pfn_x(pfn));
	ASSERT_OK(mmu_cmd(mfn_to_paddr(mfn), MMU_MACHPHYS_UPDATE, 0x12345));
	EXPECT_EQ(m2p[mfn_x(mfn)], 0x12345);
	ASSERT_OK(mmu_cmd(mfn_to_paddr(mfn), MMU_MACHPHYS_UPDATE, pfn_x(pfn)));
	EXPECT_EQ(m2p[mfn_x(mfn)], pfn_x(pfn));
	EXPECT_EQ(mfn_x(pfn_to_mfn(mfn_to_pfn(mfn))), mfn_x(mfn));
	free_frames(pfn, 1);
}

/* Only the M2P entries of the domain's own frames: -EINVAL otherwise. */
TEST(mmu_update, machphys_update_unowned_frame)
{
	const unsigned long *m2p = machine_to_phys_mapping;
	mfn_t other;
	unsigned long before;

	ASSERT_OK(find_unowned_ram_frame(&other));
	before = m2p[mfn_x(other)];
	EXPECT_ERR(mmu_cmd(mfn_to_paddr(other), MMU_MACHPHYS_UPDATE, 7),
		   -EINVAL);
	EXPECT_EQ(m2p[mfn_x(other)], before);
}

/*
 * A batch stops at the first failing request: the result is its error,
 * pdone counts the requests done, earlier ones stay applied and later
 * ones are not made.
 */
TEST(mmu_update, batch_stops_at_failure)
{
	unsigned long va = (unsigned long)win(4, 0);
	mmu_update_t req[3];
	unsigned int done = 99;
	pfn_t pfn;
	mfn_t mfn, l1;
	paddr_t e;

	new_frame(0x42, &pfn, &mfn);
	ASSERT_OK(pt_ensure(va, 1, &l1));
	ASSERT_OK(pt_entry_addr(va, 1, &e));
	req[0].ptr = paddr_x(e) | MMU_NORMAL_PT_UPDATE;
	req[0].val = leaf(mfn, 0);
	req[1].ptr = (paddr_x(e) + 8) | MMU_NORMAL_PT_UPDATE;
	req[1].val = leaf(l1, PTE_RW); /* a page table, writable: refused */
	req[2].ptr = (paddr_x(e) + 16) | MMU_NORMAL_PT_UPDATE;
	req[2].val = leaf(mfn, 0);
	EXPECT_ERR(HYPERVISOR_mmu_update(req, 3, &done, DOMID_SELF), -EBUSY);
	EXPECT_EQ(done, 1);
	EXPECT_EQ(pte_mfn(entry_at(va, 1)), mfn_x(mfn));
	EXPECT_EQ(entry_at(va + PAGE_SIZE, 1), 0);
	EXPECT_EQ(entry_at(va + 2 * PAGE_SIZE, 1), 0);

	/* A whole batch that succeeds reports every request done. */
	req[1].val = leaf(mfn, 0);
	EXPECT_OK(HYPERVISOR_mmu_update(req, 3, &done, DOMID_SELF));
	EXPECT_EQ(done, 3);
	EXPECT_OK(HYPERVISOR_mmu_update(req, 0, &done, DOMID_SELF));
	EXPECT_EQ(done, 0);
	EXPECT_OK(unmap((void *)va));
	EXPECT_OK(unmap((void *)(va + PAGE_SIZE)));
	EXPECT_OK(unmap((void *)(va + 2 * PAGE_SIZE)));
	free_frames(pfn, 1);
}

/* The table written must be the domain's own frame: -EINVAL. */
TEST(mmu_update, ptr_not_owned)
{
	pfn_t pfn;
	mfn_t mfn, other;

	new_frame(0, &pfn, &mfn);
	ASSERT_OK(find_unowned_ram_frame(&other));
	EXPECT_ERR(mmu_update_one(mfn_to_paddr(other), leaf(mfn, 0)), -EINVAL);
	/* Beyond the last machine frame. */
	EXPECT_ERR(mmu_update_one(_paddr(1UL << 51), leaf(mfn, 0)), -EINVAL);
	free_frames(pfn, 1);
}

/* A foreign domain that does not exist: -ESRCH from both calls. */
TEST(mmu_update, unknown_foreign_domain)
{
	mmu_update_t req = {.ptr = 0, .val = 0};
	struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_LOCAL};

	EXPECT_ERR(HYPERVISOR_mmu_update(&req, 1, NULL, 0x7000), -ESRCH);
	EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, 0x7000), -ESRCH);
}

/* ---- mmuext_op: pinning -------------------------------------------------- */

/* Each level pins (an empty table validates) and unpins; pinned, it stays
 * a page table and cannot become writable. */
TEST(mmuext_op, pin_unpin_each_level)
{
	int level;

	for (level = 1; level <= 4; level++) {
		mfn_t mfn;

		ASSERT_OK(alloc_pt_frame(&mfn));
		EXPECT_OK(pin_table(level, mfn));
		EXPECT_ERR(frame_set_readonly(mfn_to_pfn(mfn), false), -EBUSY);
		EXPECT_OK(unpin_table(mfn));
		EXPECT_OK(free_pt_frame(mfn));
	}
}

/* Pinning twice is refused (-EINVAL); one unpin releases the table. */
TEST(mmuext_op, double_pin_refused)
{
	mfn_t mfn;

	ASSERT_OK(alloc_pt_frame(&mfn));
	ASSERT_OK(pin_table(2, mfn));
	EXPECT_ERR(pin_table(2, mfn), -EINVAL);
	EXPECT_OK(unpin_table(mfn));
	EXPECT_OK(free_pt_frame(mfn));
}

/* Unpinning a table that is not pinned: -EINVAL. */
TEST(mmuext_op, unpin_not_pinned_refused)
{
	mfn_t mfn;

	ASSERT_OK(alloc_pt_frame(&mfn));
	EXPECT_ERR(unpin_table(mfn), -EINVAL);
	ASSERT_OK(pin_table(1, mfn));
	EXPECT_OK(unpin_table(mfn));
	EXPECT_ERR(unpin_table(mfn), -EINVAL);
	EXPECT_OK(free_pt_frame(mfn));
}

/* A frame has one type at a time: a pinned L1 cannot be pinned as L2. */
TEST(mmuext_op, pin_as_other_level_refused)
{
	mfn_t mfn;

	ASSERT_OK(alloc_pt_frame(&mfn));
	ASSERT_OK(pin_table(1, mfn));
	EXPECT_ERR(pin_table(2, mfn), -EINVAL);
	EXPECT_ERR(pin_table(4, mfn), -EINVAL);
	EXPECT_OK(unpin_table(mfn));
	EXPECT_OK(free_pt_frame(mfn));
}

/* ---- mmuext_op: base pointers -------------------------------------------- */

/* A new L4 sharing the kernel's guest entries (not pinned: the switch
 * itself validates it). Returns it, or fails the test. */
static mfn_t copy_of_kernel_l4(void)
{
	const uint64_t *cur = frame_va(mfn_to_pfn(pagetable_root()));
	unsigned int i;
	mfn_t l4;

	ASSERT_TRUE(cur != NULL);
	ASSERT_OK(alloc_pt_frame(&l4));
	for (i = 0; i < PT_ENTRIES; i++) {
		if (i >= 256 && i < 272) /* the hypervisor's slots */
			continue;
		if (cur[i] & PTE_PRESENT)
			ASSERT_OK(pt_fill(l4, i, &cur[i], 1));
	}
	return l4;
}

/* MMUEXT_NEW_BASEPTR to a fresh (unpinned) L4 and back. */
TEST(mmuext_op, new_baseptr_and_back)
{
	mfn_t old = pagetable_root(), l4 = copy_of_kernel_l4();
	static volatile int marker = 0x1234;

	ASSERT_OK(new_baseptr(l4));
	EXPECT_EQ(marker, 0x1234);
	marker = 0x4321;
	EXPECT_EQ(mfn_x(virt_to_mfn((void *)&marker)),
		  mfn_x(pfn_to_mfn(virt_to_pfn((void *)&marker))));
	/* In use as the base, it cannot become writable. */
	EXPECT_ERR(frame_set_readonly(mfn_to_pfn(l4), false), -EBUSY);
	ASSERT_OK(new_baseptr(old));
	EXPECT_EQ(marker, 0x4321);
	EXPECT_OK(free_pt_frame(l4)); /* no longer referenced */
}

/* NEW_BASEPTR to something that is not an L4 is refused; CR3 stays. */
TEST(mmuext_op, new_baseptr_refused)
{
	mfn_t root = pagetable_root(), l1;
	pfn_t pfn;
	mfn_t data;

	new_frame(0, &pfn, &data);
	ASSERT_OK(alloc_pt_frame(&l1));
	ASSERT_OK(pin_table(1, l1));
	EXPECT_ERR(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(data)), -EINVAL);
	EXPECT_ERR(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(l1)), -EINVAL);
	EXPECT_EQ(mfn_x(pagetable_root()), mfn_x(root));
	EXPECT_EQ(((volatile uint8_t *)frame_va(pfn))[0], 0); /* still works */
	EXPECT_OK(unpin_table(l1));
	EXPECT_OK(free_pt_frame(l1));
	free_frames(pfn, 1);
}

/* NEW_USER_BASEPTR takes a reference on its L4; 0 clears it. */
TEST(mmuext_op, new_user_baseptr_and_clear)
{
	mfn_t l4;
	pfn_t pfn;
	mfn_t data;

	ASSERT_OK(alloc_pt_frame(&l4));
	EXPECT_OK(mmuext(MMUEXT_NEW_USER_BASEPTR, mfn_x(l4)));
	/* Held by the vCPU as its user L4: still a page table. */
	EXPECT_ERR(frame_set_readonly(mfn_to_pfn(l4), false), -EBUSY);
	EXPECT_OK(mmuext(MMUEXT_NEW_USER_BASEPTR, mfn_x(l4))); /* again */
	EXPECT_OK(mmuext(MMUEXT_NEW_USER_BASEPTR, 0));
	EXPECT_OK(mmuext(MMUEXT_NEW_USER_BASEPTR, 0)); /* already clear */
	EXPECT_OK(free_pt_frame(l4));

	/* A frame that cannot be an L4 is refused. */
	new_frame(0, &pfn, &data);
	EXPECT_ERR(mmuext(MMUEXT_NEW_USER_BASEPTR, mfn_x(data)), -EINVAL);
	free_frames(pfn, 1);
}

/* ---- mmuext_op: page operations, batches, unknown commands --------------- */

TEST(mmuext_op, clear_and_copy_page)
{
	struct mmuext_op op = {.cmd = MMUEXT_COPY_PAGE};
	pfn_t pa, pb;
	mfn_t ma, mb;
	uint8_t *a = new_frame(0x5c, &pa, &ma);
	uint8_t *b = new_frame(0x00, &pb, &mb);

	a[100] = 0x17;
	op.arg1.mfn = mfn_x(mb);
	op.arg2.src_mfn = mfn_x(ma);
	ASSERT_OK(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	EXPECT_EQ(memcmp(a, b, PAGE_SIZE), 0);

	ASSERT_OK(mmuext(MMUEXT_CLEAR_PAGE, mfn_x(ma)));
	EXPECT_EQ(a[0], 0);
	EXPECT_EQ(a[100], 0);
	EXPECT_EQ(a[PAGE_SIZE - 1], 0);
	EXPECT_EQ(b[100], 0x17);
	free_frames(pa, 1);
	free_frames(pb, 1);
}

/* A page table may be a copy's source but never its target nor cleared. */
TEST(mmuext_op, clear_and_copy_page_table_refused)
{
	struct mmuext_op op = {.cmd = MMUEXT_COPY_PAGE};
	uint64_t before, after;
	pfn_t pfn;
	mfn_t mfn, l1;
	uint64_t *data = (uint64_t *)new_frame(0, &pfn, &mfn);

	ASSERT_OK(pt_ensure((unsigned long)win(12, 0), 1, &l1));
	ASSERT_OK(map_frame((void *)win(12, 3), mfn, 0));
	ASSERT_OK(pt_read_entry(l1, 3, &before));

	EXPECT_ERR(mmuext(MMUEXT_CLEAR_PAGE, mfn_x(l1)), -EINVAL);
	op.arg1.mfn = mfn_x(l1);
	op.arg2.src_mfn = mfn_x(mfn);
	EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL);
	ASSERT_OK(pt_read_entry(l1, 3, &after));
	EXPECT_EQ(after, before);

	op.arg1.mfn = mfn_x(mfn);
	op.arg2.src_mfn = mfn_x(l1);
	EXPECT_OK(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	EXPECT_EQ(data[3], before);
	EXPECT_OK(unmap((void *)win(12, 3)));
	free_frames(pfn, 1);
}

/* A failing op in a batch: its error, pdone = ops done, later ones not. */
TEST(mmuext_op, batch_stops_at_failure)
{
	struct mmuext_op op[3];
	unsigned int done = 99;
	mfn_t a, b, c;

	ASSERT_OK(alloc_pt_frame(&a));
	ASSERT_OK(alloc_pt_frame(&b));
	ASSERT_OK(alloc_pt_frame(&c));
	memset(op, 0, sizeof(op));
	op[0].cmd = MMUEXT_PIN_L1_TABLE;
	op[0].arg1.mfn = mfn_x(a);
	op[1].cmd = MMUEXT_UNPIN_TABLE; /* b is not pinned */
	op[1].arg1.mfn = mfn_x(b);
	op[2].cmd = MMUEXT_PIN_L1_TABLE;
	op[2].arg1.mfn = mfn_x(c);
	EXPECT_ERR(HYPERVISOR_mmuext_op(op, 3, &done, DOMID_SELF), -EINVAL);
	EXPECT_EQ(done, 1);
	EXPECT_OK(unpin_table(a));	     /* the first was done */
	EXPECT_ERR(unpin_table(c), -EINVAL); /* the third was not */
	EXPECT_OK(free_pt_frame(a));
	EXPECT_OK(free_pt_frame(b));
	EXPECT_OK(free_pt_frame(c));
}

TEST(mmuext_op, unknown_command)
{
	/* 14 lies between MMUEXT_SET_LDT and MMUEXT_NEW_USER_BASEPTR. */
	EXPECT_ERR(mmuext(14, 0), -ENOSYS);
	EXPECT_ERR(mmuext(21, 0), -ENOSYS);
	EXPECT_ERR(mmuext(99, 0), -ENOSYS);
}
