/*
 * The x86_64 four-level page-table format, as pvguest builds it through
 * Xen's MMU hypercalls (mm/pagetable.c). Entries hold machine frame
 * numbers; Xen validates every entry a guest writes.
 */
#ifndef GUEST_PGTABLE_H
#define GUEST_PGTABLE_H

#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PT_ENTRIES 512
#define PT_LEVELS 4

/* Entry flags (architectural bits). */
#define PTE_PRESENT (1UL << 0)
#define PTE_RW (1UL << 1)
#define PTE_USER (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_ACCESSED (1UL << 5)
#define PTE_DIRTY (1UL << 6)
#define PTE_PSE (1UL << 7)
#define PTE_GLOBAL (1UL << 8)
#define PTE_NX (1UL << 63)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000UL

/* Flags of an entry that points to a lower-level table. */
#define PTE_TABLE (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY)

/* Bytes one entry covers at level (1 = L1 ... 4 = L4). */
static inline uint64_t pt_level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * (level - 1));
}

/* Index of va's entry in its table at level. */
static inline unsigned int pt_index(unsigned long va, int level)
{
	return (unsigned int)(va >> (PAGE_SHIFT + 9 * (level - 1))) &
	       (PT_ENTRIES - 1);
}

static inline uint64_t pte_mfn(uint64_t pte)
{
	return (pte & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

#endif /* GUEST_PGTABLE_H */
