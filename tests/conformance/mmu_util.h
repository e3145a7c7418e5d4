/*
 * Helpers shared by the memory-management conformance kernels (mmu.c,
 * mmu_flush.c, mmu_gdt.c, mmu_hostile.c): test windows, fresh frames,
 * entry values and one-request hypercalls. All static inline, so a
 * kernel that uses only some of them builds without warnings.
 *
 * Each test maps in its own 2 MiB window of the map area, win(n); the
 * kernels run as separate guests, so their windows never meet.
 */
#ifndef CONFORMANCE_MMU_UTIL_H
#define CONFORMANCE_MMU_UTIL_H

#include "harness/test.h"

#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/ptpeek.h>
#include <guest/traps.h>
#include <paravane/string.h>

/* The start of L4 slot s (slots 256 and up are the upper half). */
#define SLOT_VA(s) (0xFFFF000000000000UL | ((unsigned long)(s) << 39))

#define UNMAPPED_GUEST_VA ((void *)0x1000)

/* Page page of test window n. */
static inline volatile uint8_t *win(unsigned int n, unsigned int page)
{
	return (volatile uint8_t *)(MAPAREA_BASE + 0x40000000UL +
				    n * 0x200000UL + page * PAGE_SIZE);
}

/* A fresh data frame, mapped writable, filled with byte; pfn and mfn. */
static inline uint8_t *new_frame(int byte, pfn_t *pfn, mfn_t *mfn)
{
	uint8_t *va;

	ASSERT_OK(alloc_frames(1, pfn));
	va = frame_va(*pfn);
	ASSERT_TRUE(va != NULL);
	memset(va, byte, PAGE_SIZE);
	*mfn = pfn_to_mfn(*pfn);
	return va;
}

static inline uint64_t maddr(mfn_t mfn)
{
	return paddr_x(mfn_to_paddr(mfn));
}

/* A leaf entry for mfn with flags (PRESENT, ACCESSED, DIRTY implied). */
static inline uint64_t leaf(mfn_t mfn, uint64_t flags)
{
	return maddr(mfn) | flags | PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY;
}

/* An entry pointing at a lower-level table. */
static inline uint64_t table_entry(mfn_t mfn)
{
	return maddr(mfn) | PTE_TABLE;
}

/* The bits of an entry that say what it maps and how (not A/D, U, AVL). */
static inline uint64_t pte_core(uint64_t pte)
{
	return pte & (PTE_ADDR_MASK | PTE_PRESENT | PTE_RW | PTE_NX);
}

/* va's entry at level (0 on failure, which is also reported). */
static inline uint64_t entry_at(unsigned long va, int level)
{
	uint64_t pte = 0;

	EXPECT_OK(pt_lookup(va, level, &pte));
	return pte;
}

/* One mmu_update request: command cmd on machine address ptr. */
static inline int mmu_cmd(paddr_t ptr, unsigned int cmd, uint64_t val)
{
	mmu_update_t req = {.ptr = paddr_x(ptr) | cmd, .val = val};

	return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

/* One mmuext_op with arg1 (an mfn or, in a union, a linear address). */
static inline int mmuext(unsigned int cmd, unsigned long arg1)
{
	struct mmuext_op op = {.cmd = cmd};

	op.arg1.mfn = arg1;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static inline void read_byte(void *va)
{
	(void)*(volatile uint8_t *)va;
}

static inline void write_byte(void *va)
{
	*(volatile uint8_t *)va = 0xee;
}

#endif /* CONFORMANCE_MMU_UTIL_H */
