/*
 * Basic conformance tests: a first pass over the hypercalls every PV
 * kernel depends on (xen_version, console_io, the MMU hypercalls,
 * sched_op) and over trap delivery. The expected results, error codes
 * included, are what Xen 4.17 does; Paravane must do the same.
 *
 * Mappings go into a scratch window of the map area; frames come from
 * the pvguest frame allocator and are given back at the end of a test.
 */
#include "harness/test.h"

#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/traps.h>
#include <paravane/string.h>

CONFORMANCE_KERNEL("basic");

/* An address no test maps: low guest space, below any user mapping. */
#define UNMAPPED_GUEST_VA ((void *)0x1000)

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x10000000UL + i * PAGE_SIZE);
}

/* A fresh data frame, filled with byte; its pfn and mfn. */
static void *new_frame(int byte, pfn_t *pfn, mfn_t *mfn)
{
	void *va;

	ASSERT_OK(alloc_frames(1, pfn));
	va = frame_va(*pfn);
	ASSERT_TRUE(va != NULL);
	memset(va, byte, PAGE_SIZE);
	*mfn = pfn_to_mfn(*pfn);
	return va;
}

static uint64_t leaf(mfn_t mfn, uint64_t flags)
{
	return paddr_x(mfn_to_paddr(mfn)) | flags | PTE_PRESENT | PTE_ACCESSED |
	       PTE_DIRTY;
}

TEST(xen_version, version)
{
	int v = HYPERVISOR_xen_version(XENVER_version, NULL);

	EXPECT_EQ(v >> 16, 4);
	EXPECT_EQ(v & 0xffff, 17);
}

TEST(xen_version, bad_pointer)
{
	EXPECT_ERR(HYPERVISOR_xen_version(XENVER_extraversion,
					  UNMAPPED_GUEST_VA),
		   -EFAULT);
}

TEST(console_io, write)
{
	static const char msg[] = "    (console_io write test)\n";

	EXPECT_OK(HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg));
}

TEST(console_io, bad_pointer)
{
	EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_write, 16,
					 UNMAPPED_GUEST_VA),
		   -EFAULT);
}

TEST(console_io, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_console_io(99, 0, NULL), -ENOSYS);
}

/* mmu_update writes a leaf entry; the frame shows at both addresses. */
TEST(mmu, update_maps_frame)
{
	volatile uint8_t *va = scratch(0);
	paddr_t entry;
	pfn_t pfn;
	mfn_t mfn;
	uint8_t *data = new_frame(0x5a, &pfn, &mfn);

	ASSERT_OK(map_frame(scratch(1), mfn, 0)); /* creates the L1 */
	ASSERT_OK(pt_entry_addr((unsigned long)va, 1, &entry));
	ASSERT_OK(mmu_update_one(entry, leaf(mfn, PTE_RW)));
	EXPECT_EQ(va[0], 0x5a);
	EXPECT_EQ(va[PAGE_SIZE - 1], 0x5a);
	va[7] = 0xa5;
	EXPECT_EQ(data[7], 0xa5);
	EXPECT_EQ(mfn_x(virt_to_mfn((void *)va)), mfn_x(mfn));

	EXPECT_OK(mmu_update_one(entry, 0));
	EXPECT_OK(invlpg_local((void *)va));
	EXPECT_OK(unmap(scratch(1)));
	free_frames(pfn, 1);
}

/* Xen never lets a page-table frame be mapped writable: -EBUSY. */
TEST(mmu, writable_pagetable_refused)
{
	const uint64_t *view = scratch(3);
	uint64_t pte;
	mfn_t l1;

	ASSERT_OK(pt_ensure((unsigned long)scratch(2), 1, &l1));
	EXPECT_ERR(map_frame(scratch(3), l1, PTE_RW), -EBUSY);
	ASSERT_OK(map_frame(scratch(3), l1, 0));
	ASSERT_OK(pt_lookup((unsigned long)scratch(3), 1, &pte));
	EXPECT_EQ(view[pt_index((unsigned long)scratch(3), 1)], pte);
	EXPECT_OK(unmap(scratch(3)));
}

/* update_va_mapping switches a page between frames, flushing the TLB. */
TEST(mmu, update_va_mapping)
{
	unsigned long va = (unsigned long)scratch(4);
	volatile uint8_t *p = (volatile uint8_t *)va;
	pfn_t pa, pb;
	mfn_t ma, mb;

	new_frame(0x11, &pa, &ma);
	new_frame(0x22, &pb, &mb);
	ASSERT_OK(map_frame((void *)va, ma, 0));
	EXPECT_EQ(p[100], 0x11);
	EXPECT_OK(HYPERVISOR_update_va_mapping(va, leaf(mb, 0),
					       UVMF_INVLPG | UVMF_LOCAL));
	EXPECT_EQ(p[100], 0x22);
	EXPECT_OK(
		HYPERVISOR_update_va_mapping(va, 0, UVMF_INVLPG | UVMF_LOCAL));
	free_frames(pa, 1);
	free_frames(pb, 1);
}

/* Pinning validates a table; while pinned it cannot become writable. */
TEST(mmu, pin_unpin_l1)
{
	pfn_t pfn;
	mfn_t mfn;

	ASSERT_OK(alloc_pt_frame(&mfn));
	pfn = mfn_to_pfn(mfn);
	EXPECT_OK(pin_table(1, mfn));
	EXPECT_ERR(frame_set_readonly(pfn, false), -EBUSY);
	EXPECT_OK(unpin_table(mfn));
	EXPECT_OK(free_pt_frame(mfn));
}

/* A frame with a writable mapping cannot be pinned: -EINVAL. */
TEST(mmu, pin_writable_refused)
{
	pfn_t pfn;
	mfn_t mfn;

	new_frame(0, &pfn, &mfn);
	EXPECT_ERR(pin_table(1, mfn), -EINVAL);
	free_frames(pfn, 1);
}

/*
 * mmu_update aimed at an ordinary (writable-type) frame is not refused:
 * Xen performs it as a checked write of the value.
 */
TEST(mmu, update_writes_data_frame)
{
	pfn_t pfn;
	mfn_t mfn;
	volatile uint64_t *data = new_frame(0, &pfn, &mfn);

	EXPECT_OK(mmu_update_one(paddr_add(mfn_to_paddr(mfn), 8),
				 0x1234567800000000UL));
	EXPECT_EQ(data[0], 0);
	EXPECT_EQ(data[1], 0x1234567800000000UL);
	free_frames(pfn, 1);
}

/* The hypervisor's range is not the guest's to map: -EINVAL. */
TEST(mmu, xen_range_refused)
{
	pfn_t pfn;
	mfn_t mfn;

	new_frame(0, &pfn, &mfn);
	EXPECT_ERR(HYPERVISOR_update_va_mapping(HYPERVISOR_VIRT_START +
							0x100000000UL,
						leaf(mfn, 0), UVMF_INVLPG),
		   -EINVAL);
	free_frames(pfn, 1);
}

/*
 * A second L4 sharing the kernel's lower tables: pin it, run on it,
 * switch back, unpin and free it.
 */
TEST(mmu, new_baseptr)
{
	mfn_t old = pagetable_root(), l4;
	const uint64_t *cur = frame_va(mfn_to_pfn(old));
	unsigned int i;

	ASSERT_TRUE(cur != NULL);
	ASSERT_OK(alloc_pt_frame(&l4));
	for (i = 0; i < PT_ENTRIES; i++) {
		if (i >= 256 && i < 272) /* Xen's slots: Xen fills them */
			continue;
		if (cur[i] & PTE_PRESENT)
			ASSERT_OK(pt_fill(l4, i, &cur[i], 1));
	}
	ASSERT_OK(pin_table(4, l4));
	EXPECT_OK(new_baseptr(l4));
	EXPECT_EQ(mfn_x(pagetable_root()), mfn_x(l4));
	EXPECT_EQ(mfn_x(virt_to_mfn(cur)), mfn_x(old)); /* walks the new L4 */
	EXPECT_OK(new_baseptr(old));
	EXPECT_OK(unpin_table(l4));
	EXPECT_OK(free_pt_frame(l4));
}

TEST(sched_op, shutdown_code_bad_pointer)
{
	EXPECT_ERR(HYPERVISOR_sched_op(SCHEDOP_shutdown_code,
				       UNMAPPED_GUEST_VA),
		   -EFAULT);
}

TEST(sched_op, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_sched_op(99, NULL), -ENOSYS);
}

static void read_byte(void *va)
{
	(void)*(volatile uint8_t *)va;
}

/* A read of an unmapped page: #PF with cr2 and a kernel-mode error code. */
TEST(traps, page_fault)
{
	struct fault_info fi;

	if (!expect_fault(read_byte, scratch(5), TRAP_PF, &fi))
		return;
	EXPECT_EQ(fi.cr2, (uint64_t)scratch(5));
	EXPECT_EQ(fi.error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_USER), 0);
}

static void breakpoint(void *unused)
{
	__asm__ __volatile__("int3");
}

TEST(traps, int3)
{
	EXPECT_FAULT(breakpoint, NULL, TRAP_BP);
}

static void invalid_opcode(void *unused)
{
	__asm__ __volatile__("ud2");
}

TEST(traps, invalid_opcode)
{
	EXPECT_FAULT(invalid_opcode, NULL, TRAP_UD);
}

static void soft_int(void *unused)
{
	__asm__ __volatile__("int $0x20");
}

/* INT n of a vector without a trap-table entry: #GP naming the gate. */
TEST(traps, int_n_not_allowed)
{
	struct fault_info fi;

	if (!expect_fault(soft_int, NULL, TRAP_GP, &fi))
		return;
	EXPECT_EQ(fi.int_vector, 0x20);
	EXPECT_TRUE(fi.error_code & SELEC_IDT);
}
