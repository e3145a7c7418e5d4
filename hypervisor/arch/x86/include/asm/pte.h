/*
 * x86_64 page-table entries: their flags, the flags of the hypervisor's
 * own mappings, and the table index of an address at each level. Shared
 * by the hypervisor's asm/page.h and the unit tests' fake one.
 */
#ifndef ASM_PTE_H
#define ASM_PTE_H

#include <paravane/addr_types.h>
#include <stdint.h>

#include <asm/memlayout.h>

typedef uint64_t pte_t; /* an entry at any level */

#define _PAGE_PRESENT (1UL << 0)
#define _PAGE_RW (1UL << 1)
#define _PAGE_USER (1UL << 2)
#define _PAGE_PWT (1UL << 3)
#define _PAGE_PCD (1UL << 4)
#define _PAGE_ACCESSED (1UL << 5)
#define _PAGE_DIRTY (1UL << 6)
#define _PAGE_PSE (1UL << 7) /* L2/L3: superpage; L1: PAT */
#define _PAGE_GLOBAL (1UL << 8)
#define _PAGE_AVAIL0 (1UL << 9)
#define _PAGE_AVAIL1 (1UL << 10)
#define _PAGE_AVAIL2 (1UL << 11)
#define _PAGE_GNTTAB (1UL << 62) /* software: installed by a grant map */
#define _PAGE_NX (1UL << 63)

#define PTE_ADDR_MASK 0x000ffffffffff000UL
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Flags of the hypervisor's own mappings. */
#define PAGE_HV_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PAGE_HV_RO (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL | _PAGE_NX)
#define PAGE_HV_RW (PAGE_HV_RO | _PAGE_RW | _PAGE_DIRTY)
#define PAGE_HV_RX (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_GLOBAL)
#define PAGE_HV_UC (PAGE_HV_RW | _PAGE_PCD | _PAGE_PWT)
/* Mappings that differ between address spaces (per-domain area). */
#define PAGE_HV_RO_LOCAL (PAGE_HV_RO & ~_PAGE_GLOBAL)
#define PAGE_HV_RW_LOCAL (PAGE_HV_RW & ~_PAGE_GLOBAL)

static inline mfn_t pte_mfn(pte_t e)
{
	return _mfn((e & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

static inline pte_t pte_from_mfn(mfn_t m, uint64_t flags)
{
	return (mfn_x(m) << PAGE_SHIFT) | flags;
}

static inline unsigned int l1_index(uintptr_t va)
{
	return (va >> L1_SHIFT) & 511;
}
static inline unsigned int l2_index(uintptr_t va)
{
	return (va >> L2_SHIFT) & 511;
}
static inline unsigned int l3_index(uintptr_t va)
{
	return (va >> L3_SHIFT) & 511;
}
static inline unsigned int l4_index(uintptr_t va)
{
	return (va >> L4_SHIFT) & 511;
}

#endif /* ASM_PTE_H */
