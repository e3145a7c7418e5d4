/*
 * Pseudo-physical memory of a PV guest.
 *
 * A PV domain owns nr_pages machine frames, numbered 0..nr_pages-1 as
 * pseudo-physical frames (pfn_t) by the p2m list Xen hands it; the
 * read-only M2P table in Xen's range translates back. Page-table entries
 * hold machine frames (mfn_t); everything else in pvguest counts in pfns.
 *
 * A frame is visible to the kernel through at most two mappings: the
 * bootstrap alias (Xen's initial mapping of the first frames at
 * KERNEL_VIRT_BASE + pfn * 4 KiB) and the direct map (DIRECTMAP_BASE +
 * pfn * 4 KiB) that mm_init() builds. Both are read-only for page-table
 * frames, writable otherwise: Xen refuses to use a frame as a page table
 * while any writable mapping of it exists.
 */
#ifndef GUEST_MM_H
#define GUEST_MM_H

#include <guest/xen.h>
#include <paravane/addr_types.h>
#include <stdbool.h>

#define INVALID_PFN_RAW (~0UL)

static inline bool mfn_valid_raw(mfn_t m)
{
	return mfn_x(m) != INVALID_MFN_RAW;
}

static inline bool pfn_valid_raw(pfn_t p)
{
	return pfn_x(p) != INVALID_PFN_RAW;
}

// mm/p2m.c
void p2m_init(const start_info_t *si);
unsigned long p2m_nr_pages(void);
mfn_t pfn_to_mfn(pfn_t pfn);
pfn_t mfn_to_pfn(mfn_t mfn);

// mm/page_alloc.c
unsigned long page_alloc_bytes_needed(unsigned long nr_pages);
void page_alloc_init(unsigned long nr_pages, void *mem);
void reserve_frames(pfn_t first, unsigned long count);
int alloc_frames(unsigned long count, pfn_t *first);
void free_frames(pfn_t first, unsigned long count);
unsigned long frames_free(void);
bool frame_is_allocated(pfn_t pfn);
bool frame_is_pagetable(pfn_t pfn);
void frame_mark_pagetable(pfn_t pfn, bool is_pt);

// mm/directmap.c
int bootmap_init(const start_info_t *si, unsigned long boot_sp);
pfn_t bootmap_first_free(void);
pfn_t bootmap_end(void);
int directmap_init(void);
void *frame_va(pfn_t pfn);
pfn_t virt_to_pfn(const void *va);
int frame_set_readonly(pfn_t pfn, bool ro);

// mm/mm_init.c
void mm_init(void);

#endif /* GUEST_MM_H */
