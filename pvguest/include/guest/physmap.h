/*
 * Changing the machine frame behind a pseudo-physical frame, as a
 * balloon driver does around XENMEM_decrease_reservation and
 * XENMEM_increase_reservation / XENMEM_populate_physmap.
 *
 * Before frames go back to Xen, physmap_remove() takes away the kernel's
 * mappings of them and marks them as holes in the p2m; the caller then
 * owns the machine frames it was handed and gives them back. Once new
 * machine frames arrive, physmap_add() records them in the p2m and the
 * M2P and maps them again where the kernel expects them (the direct map
 * and, for early frames, the bootstrap alias). The pfns stay allocated
 * in the frame allocator throughout; only what backs them changes.
 */
#ifndef GUEST_PHYSMAP_H
#define GUEST_PHYSMAP_H

#include <guest/xen.h>
#include <paravane/addr_types.h>

// mm/physmap.c
int physmap_remove(pfn_t first, unsigned long count, xen_pfn_t *mfns);
int physmap_add(pfn_t first, unsigned long count, const xen_pfn_t *mfns);

#endif /* GUEST_PHYSMAP_H */
