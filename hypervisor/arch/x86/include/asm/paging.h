/*
 * The hypervisor's own page tables (the idle page table). Guest page
 * tables share its L4 entries 256-271, so every L3 table below those
 * slots is allocated once at boot and never replaced; later mappings only
 * change L3 and lower entries, which all address spaces see at once.
 */
#ifndef ASM_PAGING_H
#define ASM_PAGING_H

#include <hv/bootinfo.h>
#include <paravane/addr_types.h>

#include <asm/page.h>

extern pte_t *idle_l4;

// arch/x86/paging.c
int map_pages(uintptr_t va, mfn_t mfn, unsigned long nr, uint64_t flags);
void unmap_pages(uintptr_t va, unsigned long nr);
bool lookup_mapping(uintptr_t va, paddr_t *pa, uint64_t *flags);
void paging_init(const struct boot_info *bi);
void paging_set_heap_ready(void);
void *ioremap(paddr_t pa, size_t len, uint64_t flags);

#endif /* ASM_PAGING_H */
