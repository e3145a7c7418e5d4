/*
 * Page-table management, done only through Xen's MMU hypercalls:
 * mmu_update writes validated entries, update_va_mapping changes one
 * leaf of the current address space with its TLB flush, and mmuext_op
 * pins tables, switches the base pointer and flushes TLBs. Every function
 * returns 0 or a negative Xen errno (Xen's own when it refused).
 *
 * The conformance tests drive Xen's validation through these functions,
 * so they pass requests on as given: map_frame() of a page-table frame
 * with PTE_RW reaches Xen and comes back refused.
 */
#ifndef GUEST_PAGETABLE_H
#define GUEST_PAGETABLE_H

#include <guest/pgtable.h>
#include <paravane/addr_types.h>
#include <stdint.h>

/* Flags a caller may pass to map_frame(); PRESENT, ACCESSED, DIRTY implied. */
#define MAP_FLAGS_ALLOWED (PTE_RW | PTE_USER | PTE_PWT | PTE_PCD | PTE_NX)

// mm/pagetable.c
void pagetable_init(mfn_t l4);
mfn_t pagetable_root(void);
int mmu_update_one(paddr_t entry, uint64_t val);
int pt_entry_addr(unsigned long va, int level, paddr_t *entry);
int pt_lookup(unsigned long va, int level, uint64_t *pte);
mfn_t virt_to_mfn(const void *va);
int pt_ensure(unsigned long va, int level, mfn_t *table);
int pt_fill(mfn_t table, unsigned int first, const uint64_t *vals,
	    unsigned int count);
int map_frame(void *va, mfn_t mfn, uint64_t flags);
int unmap(void *va);
int pin_table(int level, mfn_t mfn);
int unpin_table(mfn_t mfn);
int new_baseptr(mfn_t l4);
int tlb_flush_local(void);
int invlpg_local(void *va);
int alloc_pt_frame(mfn_t *mfn);
int free_pt_frame(mfn_t mfn);

#endif /* GUEST_PAGETABLE_H */
