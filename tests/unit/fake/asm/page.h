/*
 * Fake direct map for host unit tests: machine frame m is page m of a
 * malloc'd "RAM" arena (fake/page.c), so code that writes frames through
 * mfn_to_virt() (scrubbing, the xenheap, page tables) works on the host,
 * and any access to a frame outside the arena is an assertion failure.
 * The page-table entry format is the real one (asm/pte.h).
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <hv/lib.h>
#include <paravane/addr_types.h>
#include <stdint.h>

#include <asm/memlayout.h>
#include <asm/pte.h>

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
