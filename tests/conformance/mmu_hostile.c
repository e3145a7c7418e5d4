/*
 * Hostile memory-management conformance: a guest reaching for what it
 * must never have. Each case checks the refusal (Xen 4.17's error code)
 * and then that nothing changed: the mapping is still what it was, the
 * frame still cannot be written, the table is still a pinned table.
 *
 *   - its own page tables (L1-L4) and its GDT mapped writable;
 *   - frames it does not own: a free frame, the hypervisor's tables;
 *   - the hypervisor's L4 slots 256-271;
 *   - entries the page-table rules forbid: superpages, global and cache
 *     bits above L1, writable self-references, frames beyond the
 *     physical address width, tables that are still writable;
 *   - unpinning the table it runs on;
 *   - bad pointers (unmapped, in the hypervisor, non-canonical) handed
 *     to mmu_update, mmuext_op and set_gdt.
 */
#include "mmu_util.h"

#include <guest/console.h>

CONFORMANCE_KERNEL("mmu_hostile");

/* A guest L4 slot that pvguest leaves empty. */
#define FREE_SLOT 301

#define HYPERVISOR_VA ((void *)0xFFFF830000000000UL) /* Xen's direct map */
#define NONCANONICAL_VA ((void *)0x0000800000000000UL)

static void *const bad_pointers[] = {UNMAPPED_GUEST_VA, HYPERVISOR_VA,
				     NONCANONICAL_VA};

/* va has no mapping: no L1 entry (or no L1 at all), and a read faults. */
static void expect_unmapped(volatile uint8_t *va)
{
	uint64_t pte = 0;
	int rc = pt_lookup((unsigned long)va, 1, &pte);

	if (rc != -ENOENT) {
		EXPECT_OK(rc);
		EXPECT_EQ(pte, 0);
	}
	EXPECT_FAULT(read_byte, (void *)va, TRAP_PF);
}

struct raw_write {
	volatile uint64_t *p;
	uint64_t val;
};

static void write_u64(void *arg)
{
	const struct raw_write *w = arg;

	*w->p = w->val;
}

/*
 * A direct write into frame (through the kernel's read-only view) faults
 * and changes nothing. Xen emulates a guest's write into one of its L1
 * tables as a validated entry update, so the probe writes an entry that
 * no validation accepts, a writable mapping of the frame itself, into
 * an empty slot.
 */
static void expect_not_writable(mfn_t frame)
{
	volatile uint64_t *view = frame_va(mfn_to_pfn(frame));
	struct raw_write w;
	struct fault_info fi;
	unsigned int i = PT_ENTRIES;

	ASSERT_TRUE(view != NULL);
	while (i > 0 && view[i - 1] != 0)
		i--;
	ASSERT_TRUE(i > 0);
	w.p = &view[i - 1];
	w.val = leaf(frame, PTE_RW);
	if (expect_fault(write_u64, &w, TRAP_PF, &fi))
		EXPECT_EQ(fi.error_code & (PFEC_PRESENT | PFEC_WRITE),
			  PFEC_PRESENT | PFEC_WRITE);
	EXPECT_EQ(view[i - 1], 0);
}

/* Map table writable at a fresh va: refused, -EBUSY; nothing changes. */
static void check_table_not_mappable_writable(unsigned int n, mfn_t table)
{
	volatile uint8_t *va = win(n, 1);
	const volatile uint8_t *view = frame_va(mfn_to_pfn(table));
	uint64_t first;

	ASSERT_TRUE(view != NULL);
	ASSERT_OK(map_frame((void *)win(n, 0), table, 0)); /* the L1 exists */
	first = *(const volatile uint64_t *)view;
	EXPECT_ERR(map_frame((void *)va, table, PTE_RW), -EBUSY);
	expect_unmapped(va);
	expect_not_writable(table);
	/* Read-only it may be mapped, and shows the same contents. */
	EXPECT_EQ(*(const volatile uint64_t *)win(n, 0), first);
	EXPECT_OK(unmap((void *)win(n, 0)));
}

/* ---- the guest's own tables and GDT, writable ---------------------------- */

TEST(hostile, writable_map_of_own_l1)
{
	mfn_t l1;

	ASSERT_OK(pt_ensure((unsigned long)win(0, 0), 1, &l1));
	check_table_not_mappable_writable(0, l1);
}

TEST(hostile, writable_map_of_own_l2)
{
	mfn_t l2;

	ASSERT_OK(pt_ensure((unsigned long)win(1, 0), 2, &l2));
	check_table_not_mappable_writable(1, l2);
}

TEST(hostile, writable_map_of_own_l3)
{
	mfn_t l3;

	ASSERT_OK(pt_ensure((unsigned long)win(2, 0), 3, &l3));
	check_table_not_mappable_writable(2, l3);
}

/* The running L4: refused, and still the pinned base table afterwards. */
TEST(hostile, writable_map_of_own_l4)
{
	mfn_t l4 = pagetable_root();

	check_table_not_mappable_writable(3, l4);
	EXPECT_ERR(pin_table(4, l4), -EINVAL); /* still pinned */
}

/* An mmu_update that would make a table writable is refused the same way. */
TEST(hostile, writable_entry_for_own_l1_via_mmu_update)
{
	unsigned long va = (unsigned long)win(4, 0);
	mfn_t l1;
	paddr_t e;

	ASSERT_OK(pt_ensure(va, 1, &l1));
	ASSERT_OK(pt_entry_addr(va, 1, &e));
	EXPECT_ERR(mmu_update_one(e, leaf(l1, PTE_RW)), -EBUSY);
	expect_unmapped((volatile uint8_t *)va);
	expect_not_writable(l1);
}

#define DATA_DESC 0x00cf93000000ffffUL

static void load_ds(uint16_t sel)
{
	__asm__ __volatile__("mov %0, %%ds" : : "r"(sel) : "memory");
}

/* The installed GDT's frame: no writable mapping, no raw mmu_update. */
TEST(hostile, writable_map_of_gdt_frame)
{
	volatile uint8_t *va = win(5, 0);
	unsigned long frames[1];
	pfn_t pfn;
	mfn_t mfn;
	uint64_t *gdt = (uint64_t *)new_frame(0, &pfn, &mfn);

	gdt[1] = DATA_DESC;
	ASSERT_OK(frame_set_readonly(pfn, true));
	frames[0] = mfn_x(mfn);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 2));

	EXPECT_ERR(map_frame((void *)va, mfn, PTE_RW), -EBUSY);
	expect_unmapped(va);
	EXPECT_ERR(mmu_update_one(mfn_to_paddr(mfn), DATA_DESC), -EINVAL);
	EXPECT_EQ(((volatile uint64_t *)gdt)[0], 0);
	expect_not_writable(mfn);
	load_ds(1 << 3 | 3); /* still the GDT */
	load_ds(0);

	ASSERT_OK(HYPERVISOR_set_gdt(frames, 0));
	EXPECT_OK(frame_set_readonly(pfn, false));
	free_frames(pfn, 1);
}

/* ---- frames the guest does not own --------------------------------------- */

static void check_frame_not_mappable(unsigned int n, mfn_t other)
{
	volatile uint8_t *va = win(n, 1);
	paddr_t e;
	mfn_t l1;

	ASSERT_TRUE(!mfn_is_ours(other));
	ASSERT_OK(pt_ensure((unsigned long)va, 1, &l1));
	EXPECT_ERR(map_frame((void *)va, other, 0), -EBUSY);
	EXPECT_ERR(map_frame((void *)va, other, PTE_RW), -EBUSY);
	ASSERT_OK(pt_entry_addr((unsigned long)va, 1, &e));
	EXPECT_ERR(mmu_update_one(e, leaf(other, 0)), -EBUSY);
	expect_unmapped(va);
}

/* A RAM frame nobody gave us (free, or the hypervisor's): -EBUSY. */
TEST(hostile, map_unowned_ram_frame)
{
	mfn_t other;

	ASSERT_OK(find_unowned_ram_frame(&other));
	check_frame_not_mappable(6, other);
}

/*
 * The hypervisor's own page tables: the tables behind L4 slot 256 (the
 * M2P) and 261 (the hypervisor image and frame table), read from the
 * guest's L4 where every hypervisor puts them.
 */
TEST(hostile, map_hypervisor_table_frame)
{
	mfn_t l3;

	ASSERT_OK(find_hypervisor_table_frame(256, &l3));
	check_frame_not_mappable(7, l3);
	ASSERT_OK(find_hypervisor_table_frame(261, &l3));
	check_frame_not_mappable(8, l3);
}

/* Pinning, or switching to, a frame the guest does not own: -EINVAL. */
TEST(hostile, pin_or_load_unowned_frame)
{
	mfn_t other, xen_l3, root = pagetable_root();
	int level;

	ASSERT_OK(find_unowned_ram_frame(&other));
	ASSERT_OK(find_hypervisor_table_frame(261, &xen_l3));
	for (level = 1; level <= 4; level++) {
		EXPECT_ERR(pin_table(level, other), -EINVAL);
		EXPECT_ERR(pin_table(level, xen_l3), -EINVAL);
	}
	EXPECT_ERR(mmuext(MMUEXT_UNPIN_TABLE, mfn_x(xen_l3)), -EINVAL);
	EXPECT_ERR(mmuext(MMUEXT_NEW_BASEPTR, mfn_x(other)), -EINVAL);
	EXPECT_ERR(mmuext(MMUEXT_NEW_USER_BASEPTR, mfn_x(xen_l3)), -EINVAL);
	EXPECT_EQ(mfn_x(pagetable_root()), mfn_x(root));
}

/* Hooking a frame we do not own as a table: -EINVAL, entry unchanged. */
TEST(hostile, hook_unowned_frame_as_table)
{
	unsigned long va = (unsigned long)win(9, 0);
	mfn_t other, l2;
	uint64_t before, after;
	unsigned int i = pt_index(va, 2) + 1;

	ASSERT_OK(find_unowned_ram_frame(&other));
	ASSERT_OK(pt_ensure(va, 2, &l2));
	ASSERT_OK(pt_read_entry(l2, i, &before));
	EXPECT_ERR(mmu_update_one(pt_entry_maddr(l2, i), table_entry(other)),
		   -EINVAL);
	ASSERT_OK(pt_read_entry(l2, i, &after));
	EXPECT_EQ(after, before);
}

/* Copying from a frame we do not own would leak it: -EINVAL. */
TEST(hostile, copy_or_clear_unowned_frame)
{
	struct mmuext_op op = {.cmd = MMUEXT_COPY_PAGE};
	pfn_t pfn;
	mfn_t mfn, other, xen_l3;
	volatile uint8_t *data = new_frame(0x99, &pfn, &mfn);

	ASSERT_OK(find_unowned_ram_frame(&other));
	ASSERT_OK(find_hypervisor_table_frame(261, &xen_l3));
	op.arg1.mfn = mfn_x(mfn);
	op.arg2.src_mfn = mfn_x(xen_l3);
	EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL);
	op.arg2.src_mfn = mfn_x(other);
	EXPECT_ERR(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), -EINVAL);
	EXPECT_EQ(data[0], 0x99);
	EXPECT_EQ(data[PAGE_SIZE - 1], 0x99);
	EXPECT_ERR(mmuext(MMUEXT_CLEAR_PAGE, mfn_x(xen_l3)), -EINVAL);
	EXPECT_ERR(mmuext(MMUEXT_CLEAR_PAGE, mfn_x(other)), -EINVAL);
	free_frames(pfn, 1);
}

/* Rewriting the M2P entry of a frame we do not own: -EINVAL. */
TEST(hostile, machphys_update_hypervisor_frame)
{
	const unsigned long *m2p = machine_to_phys_mapping;
	mmu_update_t req;
	mfn_t xen_l3;
	unsigned long before;

	ASSERT_OK(find_hypervisor_table_frame(261, &xen_l3));
	before = m2p[mfn_x(xen_l3)];
	req.ptr = maddr(xen_l3) | MMU_MACHPHYS_UPDATE;
	req.val = 0;
	EXPECT_ERR(HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF), -EINVAL);
	EXPECT_EQ(m2p[mfn_x(xen_l3)], before);
}

/* ---- the hypervisor's L4 slots ------------------------------------------- */

/* L4 slots 256-271 are the hypervisor's: any update there is -EINVAL. */
TEST(hostile, write_hypervisor_l4_slot)
{
	static const unsigned int slots[] = {256, 258, 260, 261, 262, 271};
	mfn_t root = pagetable_root(), l3;
	uint64_t before, after;
	unsigned int i;

	ASSERT_OK(alloc_pt_frame(&l3));
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		paddr_t e = pt_entry_maddr(root, slots[i]);

		ASSERT_OK(pt_read_entry(root, slots[i], &before));
		EXPECT_ERR(mmu_update_one(e, table_entry(l3)), -EINVAL);
		EXPECT_ERR(mmu_update_one(e, 0), -EINVAL);
		EXPECT_ERR(mmu_update_one(e, before), -EINVAL);
		ASSERT_OK(pt_read_entry(root, slots[i], &after));
		EXPECT_EQ(after, before);
	}
	EXPECT_OK(free_pt_frame(l3)); /* never became a table */
}

/* ---- the table the guest runs on ----------------------------------------- */

/*
 * Unpinning the running L4 only drops the pin: CR3 still holds it as an
 * L4, so it stays validated and protected. Pinning it again works.
 */
TEST(hostile, unpin_running_l4)
{
	mfn_t root = pagetable_root();
	paddr_t e = pt_entry_maddr(root, FREE_SLOT);
	uint64_t pte;

	ASSERT_OK(unpin_table(root));
	check_table_not_mappable_writable(10, root);
	/* Still validated: a bad entry is refused, nothing written. */
	EXPECT_ERR(mmu_update_one(e, table_entry(root) | PTE_PSE), -EINVAL);
	ASSERT_OK(pt_read_entry(root, FREE_SLOT, &pte));
	EXPECT_EQ(pte, 0);
	EXPECT_ERR(unpin_table(root), -EINVAL);
	ASSERT_OK(pin_table(4, root));
	EXPECT_ERR(pin_table(4, root), -EINVAL);
}

/* ---- entries the rules forbid -------------------------------------------- */

/* Write bad into entry index of table, expect err, entry unchanged. */
static void check_entry_refused(mfn_t table, unsigned int index, uint64_t bad,
				int err)
{
	uint64_t before, after;

	ASSERT_OK(pt_read_entry(table, index, &before));
	EXPECT_ERR(mmu_update_one(pt_entry_maddr(table, index), bad), err);
	ASSERT_OK(pt_read_entry(table, index, &after));
	EXPECT_EQ(after, before);
}

/* A 2 MiB superpage in an L2 (PSE): -EINVAL. */
TEST(hostile, superpage_l2_entry)
{
	unsigned long va = (unsigned long)win(11, 0);
	unsigned int i = pt_index(va, 2) + 1; /* would map win(12) */
	pfn_t pfn;
	mfn_t mfn, l2;

	new_frame(0, &pfn, &mfn);
	ASSERT_OK(pt_ensure(va, 2, &l2));
	check_entry_refused(l2, i, leaf(mfn, PTE_PSE), -EINVAL);
	check_entry_refused(l2, i, leaf(mfn, PTE_PSE | PTE_RW), -EINVAL);
	expect_unmapped(win(12, 0));
	free_frames(pfn, 1);
}

/* Global, cache-control and PSE bits in L2-L4 entries: -EINVAL each. */
TEST(hostile, reserved_flags_above_l1)
{
	static const uint64_t bad_flags[] = {PTE_GLOBAL, PTE_PWT, PTE_PCD,
					     PTE_PSE};
	unsigned long va = (unsigned long)win(13, 0);
	mfn_t l1, l2, l3, table;
	unsigned int f;

	ASSERT_OK(pt_ensure(va, 1, &l1));
	ASSERT_OK(pt_ensure(va, 2, &l2));
	ASSERT_OK(pt_ensure(va, 3, &l3));
	ASSERT_OK(alloc_pt_frame(&table));
	for (f = 0; f < ARRAY_SIZE(bad_flags); f++) {
		uint64_t e = table_entry(table) | bad_flags[f];

		check_entry_refused(l2, pt_index(va, 2) + 1, e, -EINVAL);
		check_entry_refused(l3, pt_index(va, 3) + 1, e, -EINVAL);
		check_entry_refused(pagetable_root(), FREE_SLOT, e, -EINVAL);
	}
	EXPECT_OK(free_pt_frame(table)); /* never became a table */
}

/*
 * A table entry pointing at the table itself: read-write it would make
 * the table writable (-EINVAL); read-only it is a linear mapping, which
 * both hypervisors accept. Through it the table is readable but not
 * writable.
 */
TEST(hostile, self_referencing_l2)
{
	unsigned long va = (unsigned long)win(20, 0);
	unsigned int self = pt_index(va, 2) + 3;
	unsigned long self_va =
		(va & ~(pt_level_size(3) - 1)) + self * pt_level_size(2);
	volatile uint64_t *as_data, *l1_view;
	pfn_t pfn;
	mfn_t mfn, l2;

	new_frame(0, &pfn, &mfn);
	ASSERT_OK(map_frame((void *)va, mfn, 0));
	ASSERT_OK(pt_ensure(va, 2, &l2));
	check_entry_refused(l2, self, maddr(l2) | PTE_TABLE, -EINVAL);
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l2, self),
				 maddr(l2) | (PTE_TABLE & ~PTE_RW)));
	/* In the window of slot self, page i shows what L2 entry i names:
	 * page self the L2 itself, page pt_index(va, 2) va's L1. */
	as_data = (volatile uint64_t *)(self_va + self * PAGE_SIZE);
	l1_view = (volatile uint64_t *)(self_va + pt_index(va, 2) * PAGE_SIZE);
	EXPECT_EQ(pte_mfn(as_data[self]), mfn_x(l2));
	EXPECT_EQ(pte_mfn(l1_view[pt_index(va, 1)]), mfn_x(mfn));
	EXPECT_FAULT(write_byte, (void *)as_data, TRAP_PF);
	EXPECT_FAULT(write_byte, (void *)l1_view, TRAP_PF);
	expect_not_writable(l2);
	ASSERT_OK(mmu_update_one(pt_entry_maddr(l2, self), 0));
	EXPECT_OK(tlb_flush_local());
	EXPECT_OK(unmap((void *)va));
	free_frames(pfn, 1);
}

/* The same at the top: a read-only L4 self-reference is accepted. */
TEST(hostile, self_referencing_l4)
{
	mfn_t root = pagetable_root();
	const unsigned long s = FREE_SLOT;
	volatile uint64_t *l4_view;

	check_entry_refused(root, FREE_SLOT, maddr(root) | PTE_TABLE, -EINVAL);
	ASSERT_OK(mmu_update_one(pt_entry_maddr(root, FREE_SLOT),
				 maddr(root) | (PTE_TABLE & ~PTE_RW)));
	/* Through slot s four times, the L4 appears as a page. */
	l4_view =
		(volatile uint64_t *)(SLOT_VA(s) | s << 30 | s << 21 | s << 12);
	EXPECT_EQ(pte_mfn(l4_view[FREE_SLOT]), mfn_x(root));
	EXPECT_FAULT(write_byte, (void *)l4_view, TRAP_PF);
	ASSERT_OK(mmu_update_one(pt_entry_maddr(root, FREE_SLOT), 0));
	EXPECT_OK(tlb_flush_local());
	EXPECT_ERR(pin_table(4, root), -EINVAL); /* still pinned */
}

/* A frame number at or beyond the physical address width: refused. */
TEST(hostile, map_beyond_physical_address_width)
{
	unsigned long va = (unsigned long)win(15, 1);
	unsigned int bits = phys_addr_bits();
	mfn_t l1;

	ASSERT_OK(pt_ensure(va, 1, &l1));
	printk("    (physical address width %u bits)\n", bits);
	check_entry_refused(l1, pt_index(va, 1),
			    (1UL << bits) | PTE_PRESENT | PTE_RW, -EPERM);
	check_entry_refused(l1, pt_index(va, 1), (1UL << 51) | PTE_PRESENT,
			    -EPERM);
	/* Every address bit set: Xen's invalid frame, -EINVAL. */
	check_entry_refused(l1, pt_index(va, 1), PTE_ADDR_MASK | PTE_PRESENT,
			    -EINVAL);
	expect_unmapped((volatile uint8_t *)va);
}

/* A frame still mapped writable cannot be pinned; its mapping keeps working. */
TEST(hostile, pin_writable_frame)
{
	pfn_t pfn;
	mfn_t mfn;
	volatile uint8_t *data = new_frame(0, &pfn, &mfn);
	int level;

	for (level = 1; level <= 4; level++) {
		EXPECT_ERR(pin_table(level, mfn), -EINVAL);
		data[level] = (uint8_t)level;
		EXPECT_EQ(data[level], level);
	}
	free_frames(pfn, 1);
}

/* Hooking a still-writable frame as a lower table: -EINVAL. */
TEST(hostile, hook_writable_frame_as_table)
{
	unsigned long va = (unsigned long)win(16, 0);
	unsigned int i = pt_index(va, 2) + 1;
	pfn_t pfn;
	mfn_t mfn, l2;
	volatile uint8_t *data = new_frame(0, &pfn, &mfn);

	ASSERT_OK(pt_ensure(va, 2, &l2));
	check_entry_refused(l2, i, table_entry(mfn), -EINVAL);
	data[0] = 1; /* still writable */
	EXPECT_EQ(data[0], 1);
	free_frames(pfn, 1);
}

/*
 * Hooking a table whose entries are bad: the table fails validation,
 * with the error of its bad entry, and stays an ordinary frame.
 */
TEST(hostile, hook_table_with_bad_entry)
{
	unsigned long va = (unsigned long)win(17, 0);
	unsigned int i = pt_index(va, 2) + 1;
	pfn_t pfn;
	mfn_t mfn, l2, other;
	uint64_t *t = (uint64_t *)new_frame(0, &pfn, &mfn);

	ASSERT_OK(find_unowned_ram_frame(&other));
	ASSERT_OK(pt_ensure(va, 2, &l2));
	t[7] = leaf(other, 0);
	ASSERT_OK(frame_set_readonly(pfn, true));
	check_entry_refused(l2, i, table_entry(mfn), -EBUSY);
	ASSERT_OK(frame_set_readonly(pfn, false)); /* never became a table */

	t[7] = leaf(mfn, PTE_PSE | PTE_GLOBAL) | (1UL << 51); /* reserved */
	ASSERT_OK(frame_set_readonly(pfn, true));
	check_entry_refused(l2, i, table_entry(mfn), -EPERM);
	ASSERT_OK(frame_set_readonly(pfn, false));
	free_frames(pfn, 1);
}

/* ---- bad pointers -------------------------------------------------------- */

/*
 * mmu_update's request list at a bad address: -EFAULT, nothing done. A
 * list outside guest space is refused before anything (pdone is not
 * written); an unmapped one fails at its first request (pdone = 0).
 */
TEST(hostile, mmu_update_bad_request_pointer)
{
	unsigned int i, done;

	for (i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
		done = 99;
		EXPECT_ERR(HYPERVISOR_mmu_update(bad_pointers[i], 1, &done,
						 DOMID_SELF),
			   -EFAULT);
		EXPECT_EQ(done, bad_pointers[i] == UNMAPPED_GUEST_VA ? 0 : 99);
	}
}

/*
 * A bad pdone: the updates are still made. Xen does not fail a call for
 * the progress count it could not store; the result is the updates'.
 */
TEST(hostile, mmu_update_bad_pdone_pointer)
{
	unsigned long va = (unsigned long)win(18, 0);
	mmu_update_t req;
	uint64_t pte;
	unsigned int i;
	pfn_t pfn;
	mfn_t mfn;
	paddr_t e;

	new_frame(0x21, &pfn, &mfn);
	ASSERT_OK(map_frame((void *)va, mfn, 0));
	ASSERT_OK(pt_entry_addr(va, 1, &e));
	for (i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
		req.ptr = paddr_x(e) | MMU_NORMAL_PT_UPDATE;
		req.val = i & 1 ? leaf(mfn, 0) : 0;
		EXPECT_OK(HYPERVISOR_mmu_update(&req, 1, bad_pointers[i],
						DOMID_SELF));
		ASSERT_OK(pt_lookup(va, 1, &pte));
		EXPECT_EQ(pte_mfn(pte), i & 1 ? mfn_x(mfn) : 0);
	}
	EXPECT_OK(HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG));
	free_frames(pfn, 1);
}

/* mmuext_op's op list at a bad address: -EFAULT, pdone as for mmu_update. */
TEST(hostile, mmuext_op_bad_op_pointer)
{
	unsigned int i, done;

	for (i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
		done = 99;
		EXPECT_ERR(HYPERVISOR_mmuext_op(bad_pointers[i], 1, &done,
						DOMID_SELF),
			   -EFAULT);
		EXPECT_EQ(done, bad_pointers[i] == UNMAPPED_GUEST_VA ? 0 : 99);
	}
}

/* A bad pdone for mmuext_op: the op is still done, the result is its own. */
TEST(hostile, mmuext_op_bad_pdone_pointer)
{
	struct mmuext_op op = {.cmd = MMUEXT_PIN_L1_TABLE};
	unsigned int i;
	mfn_t mfn;

	ASSERT_OK(alloc_pt_frame(&mfn));
	op.arg1.mfn = mfn_x(mfn);
	for (i = 0; i < ARRAY_SIZE(bad_pointers); i++) {
		op.cmd = MMUEXT_PIN_L1_TABLE;
		EXPECT_OK(HYPERVISOR_mmuext_op(&op, 1, bad_pointers[i],
					       DOMID_SELF));
		op.cmd = MMUEXT_UNPIN_TABLE;
		EXPECT_OK(HYPERVISOR_mmuext_op(&op, 1, bad_pointers[i],
					       DOMID_SELF));
	}
	EXPECT_OK(free_pt_frame(mfn));
}

/* set_gdt's frame list at a bad address: -EFAULT. */
TEST(hostile, set_gdt_bad_frame_list_pointer)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_pointers); i++)
		EXPECT_ERR(HYPERVISOR_set_gdt(bad_pointers[i], 2), -EFAULT);
}

/*
 * update_va_mapping's vCPU mask (the flags beyond the flush type) at a
 * bad address: -EFAULT, but the entry was already written.
 */
TEST(hostile, update_va_mapping_bad_vcpu_mask)
{
	unsigned long va = (unsigned long)win(19, 0);
	pfn_t pfn;
	mfn_t mfn;
	uint64_t pte = 0;

	new_frame(0x44, &pfn, &mfn);
	ASSERT_OK(map_frame((void *)win(19, 1), mfn, 0)); /* the L1 */
	EXPECT_ERR(HYPERVISOR_update_va_mapping(va, leaf(mfn, 0),
						UVMF_INVLPG | 0x1000),
		   -EFAULT);
	EXPECT_OK(pt_lookup(va, 1, &pte));
	EXPECT_EQ(pte_mfn(pte), mfn_x(mfn));
	EXPECT_OK(unmap((void *)va));
	EXPECT_OK(unmap((void *)win(19, 1)));
	free_frames(pfn, 1);
}
