/*
 * Fake direct map for host unit tests: machine frame m is page m of a
 * malloc'd "RAM" arena (fake/page.c), so code that writes frames through
 * mfn_to_virt() (scrubbing, the xenheap, page tables) works on the host,
 * and any access to a frame outside the arena is an assertion failure.
 * The page-table entry format is the hardware's, as in the real
 * asm/page.h.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/lib.h>
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
#define _PAGE_NX (1UL << 63)

#define PTE_ADDR_MASK 0x000ffffffffff000UL
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PAGE_HV_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static inline mfn_t pte_mfn(pte_t e)
{
	return _mfn((e & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

static inline pte_t pte_from_mfn(mfn_t m, uint64_t flags)
{
	return (mfn_x(m) << PAGE_SHIFT) | flags;
}

extern uint8_t *fake_ram;
extern unsigned long fake_ram_frames;

static inline void *maddr_to_virt(paddr_t a)
{
	if (paddr_x(a) >= (uint64_t)fake_ram_frames << PAGE_SHIFT)
		assert_failed("maddr_to_virt: address outside fake RAM",
			      __FILE__, __LINE__);
	return fake_ram + paddr_x(a);
}

static inline void *mfn_to_virt(mfn_t m)
{
	return maddr_to_virt(mfn_to_paddr(m));
}

static inline paddr_t virt_to_maddr(const void *va)
{
	const uint8_t *p = va;

	if (p < fake_ram || p >= fake_ram + (fake_ram_frames << PAGE_SHIFT))
		assert_failed("virt_to_maddr: pointer outside fake RAM",
			      __FILE__, __LINE__);
	return _paddr((uint64_t)(p - fake_ram));
}

static inline mfn_t virt_to_mfn(const void *va)
{
	return paddr_to_mfn(virt_to_maddr(va));
}

#endif /* ASM_PAGE_H */
