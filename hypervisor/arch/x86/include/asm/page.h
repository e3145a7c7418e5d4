/*
 * The hypervisor's direct map, and page-table entries (asm/pte.h). The
 * direct map covers all RAM at DIRECTMAP_VIRT_START + physical address,
 * so a machine frame's hypervisor address is a single addition.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <paravane/addr_types.h>
#include <stdint.h>

#include <asm/memlayout.h>
#include <asm/pte.h>

/* The hypervisor's address of any RAM byte. */
static inline void *maddr_to_virt(paddr_t a)
{
	return (void *)(DIRECTMAP_VIRT_START + paddr_x(a));
}

static inline void *mfn_to_virt(mfn_t m)
{
	return maddr_to_virt(mfn_to_paddr(m));
}

/* The machine address of a direct-map or image address. */
paddr_t virt_to_maddr(const void *va);

static inline mfn_t virt_to_mfn(const void *va)
{
	return paddr_to_mfn(virt_to_maddr(va));
}

#endif /* ASM_PAGE_H */
