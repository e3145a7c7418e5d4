/*
 * Mapping other domains' frames (dom0's toolstack): foreign_map() puts
 * machine frames owned by domain domid at consecutive pages of the
 * foreign window (FOREIGN_MAP_BASE, memlayout.h), through mmu_update
 * with foreigndom = domid on the kernel's own L1 entries; the hypervisor
 * checks that the caller is privileged and that the frames belong to
 * domid. A writable mapping holds a writable type reference on each
 * frame, so frames that are to become page tables of domid must be
 * unmapped before the domain's tables are pinned. The window is one
 * thread's (dom0's toolstack runs on one): calls are not serialised.
 */
#ifndef GUEST_FOREIGN_H
#define GUEST_FOREIGN_H

#include <guest/xen.h>
#include <stdbool.h>

// mm/foreign.c
int foreign_map(domid_t domid, const xen_pfn_t *mfns, unsigned long count,
		bool writable, void **va);
int foreign_unmap(void *va, unsigned long count);
unsigned long foreign_mapped_pages(void);

#endif /* GUEST_FOREIGN_H */
