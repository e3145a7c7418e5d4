/*
 * The kernel's views of its frames: Xen's bootstrap mapping and the
 * direct map.
 *
 * Bootstrap alias. Xen maps a pfn-contiguous region from KERNEL_VIRT_BASE:
 * the image, then (in this order) initrd, p2m list, start_info, the
 * bootstrap page tables and the boot stack, rounded up to 4 MiB with at
 * least 512 KiB to spare. bootmap_init() finds where the boot data ends
 * (first free pfn) and where the mapping ends (walking the tables).
 *
 * Direct map. directmap_init() maps every pfn at DIRECTMAP_BASE + pfn *
 * 4 KiB, one L1 (2 MiB) at a time, each filled with one batched
 * mmu_update. The L3, L2 and L1 frames it needs come from the allocator,
 * whose first free frames lie inside the bootstrap alias; once the first
 * 2 MiB are mapped, the direct map runs far ahead of the allocator.
 *
 * Invariant: a frame marked as page table (page_alloc.c) has no writable
 * mapping; frame_set_readonly() changes both aliases and the mark
 * together, and the direct map consults the mark as it maps.
 */
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>

#define FILL_CHUNK 64

static unsigned long boot_free; /* first pfn after Xen's boot data */
static unsigned long boot_end;	/* first pfn past the bootstrap mapping */
static unsigned long dmap_end;	/* pfns below it are in the direct map */

static unsigned long boot_va(unsigned long pfn)
{
	return KERNEL_VIRT_BASE + (pfn << PAGE_SHIFT);
}

static unsigned long va_to_boot_pfn(unsigned long va)
{
	return (va - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
}

/* A kernel view of pfn's contents (direct map preferred), or NULL. */
void *frame_va(pfn_t pfn)
{
	if (pfn_x(pfn) < dmap_end)
		return (void *)(DIRECTMAP_BASE + (pfn_x(pfn) << PAGE_SHIFT));
	if (pfn_x(pfn) < boot_end)
		return (void *)boot_va(pfn_x(pfn));
	return NULL;
}

/*
 * The pfn behind a direct-map or bootstrap-region address, or
 * INVALID_PFN_RAW (for the map area, use virt_to_mfn()).
 */
pfn_t virt_to_pfn(const void *va)
{
	unsigned long a = (unsigned long)va;

	if (a >= DIRECTMAP_BASE &&
	    a - DIRECTMAP_BASE < (dmap_end << PAGE_SHIFT))
		return _pfn((a - DIRECTMAP_BASE) >> PAGE_SHIFT);
	if (a >= KERNEL_VIRT_BASE && va_to_boot_pfn(a) < boot_end)
		return _pfn(va_to_boot_pfn(a));
	return _pfn(INVALID_PFN_RAW);
}

static unsigned long page_end(unsigned long va, unsigned long bytes)
{
	return (va + bytes + PAGE_SIZE - 1) & PAGE_MASK;
}

/* Whether the bootstrap mapping maps pfn at its alias. */
static bool boot_alias_present(unsigned long pfn)
{
	uint64_t pte;

	if (pt_lookup(boot_va(pfn), 1, &pte) || !(pte & PTE_PRESENT))
		return false;
	return pte_mfn(pte) == mfn_x(pfn_to_mfn(_pfn(pfn)));
}

/* Adopt Xen's bootstrap tables and find the extent of its mapping. */
int bootmap_init(const start_info_t *si, unsigned long boot_sp)
{
	unsigned long end = (unsigned long)__image_end;
	unsigned long l4_pfn = va_to_boot_pfn(si->pt_base);
	mfn_t l4 = pfn_to_mfn(_pfn(l4_pfn));

	/* Everything Xen placed in the region counts as boot data. */
	end = MAX(end,
		  page_end(si->mfn_list, si->nr_pages * sizeof(xen_pfn_t)));
	end = MAX(end, page_end((unsigned long)si, PAGE_SIZE));
	end = MAX(end, page_end(si->pt_base, si->nr_pt_frames * PAGE_SIZE));
	end = MAX(end, page_end(boot_sp, 0));
	if (si->mod_len && !(si->flags & SIF_MOD_START_PFN))
		end = MAX(end, page_end(si->mod_start, si->mod_len));
	boot_free = va_to_boot_pfn(end);
	boot_end = boot_free; /* all of it is mapped: Xen placed it there */

	/* The L4 in use must be the one start_info names. */
	if (!mfn_valid_raw(l4) || pfn_x(mfn_to_pfn(l4)) != l4_pfn)
		return -EINVAL;
	pagetable_init(l4);

	while (boot_end < p2m_nr_pages() && boot_alias_present(boot_end))
		boot_end++;
	return 0;
}

/* First pfn after Xen's boot data. */
pfn_t bootmap_first_free(void)
{
	return _pfn(boot_free);
}

/* First pfn past the bootstrap mapping. */
pfn_t bootmap_end(void)
{
	return _pfn(boot_end);
}

static int set_alias(unsigned long va, mfn_t mfn, bool ro)
{
	uint64_t pte = paddr_x(mfn_to_paddr(mfn)) | PTE_PRESENT | PTE_ACCESSED |
		       PTE_DIRTY | (ro ? 0 : PTE_RW);

	return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG | UVMF_ALL);
}

/* Make every kernel mapping of pfn read-only (page table) or writable. */
int frame_set_readonly(pfn_t pfn, bool ro)
{
	mfn_t mfn = pfn_to_mfn(pfn);
	unsigned long p = pfn_x(pfn);
	int rc = 0;

	if (!mfn_valid_raw(mfn))
		return -EINVAL;
	/* Mark it first, so that a direct map built later maps it read-only. */
	if (ro)
		frame_mark_pagetable(pfn, true);
	if (p < boot_end) {
		rc = set_alias(boot_va(p), mfn, ro);
		if (rc)
			goto err;
	}
	if (p < dmap_end) {
		rc = set_alias(DIRECTMAP_BASE + (p << PAGE_SHIFT), mfn, ro);
		if (rc)
			goto err_boot_alias;
	}
	if (!ro)
		frame_mark_pagetable(pfn, false);
	return 0;

err_boot_alias:
	if (p < boot_end)
		set_alias(boot_va(p), mfn, !ro);
err:
	if (ro)
		frame_mark_pagetable(pfn, false);
	return rc;
}

/* Map pfns [base, base + count) of one L1's worth into the direct map. */
static int map_chunk(unsigned long base, unsigned int count)
{
	uint64_t vals[FILL_CHUNK];
	unsigned int i, j, n;
	unsigned long va;
	mfn_t l1;
	int rc;

	rc = pt_ensure(DIRECTMAP_BASE + (base << PAGE_SHIFT), 1, &l1);
	if (rc)
		return rc;
	for (i = 0; i < count; i += n) {
		n = MIN(count - i, FILL_CHUNK);
		for (j = 0; j < n; j++) {
			pfn_t pfn = _pfn(base + i + j);
			mfn_t mfn = pfn_to_mfn(pfn);

			vals[j] = 0;
			if (!mfn_valid_raw(mfn))
				continue; /* a hole stays unmapped */
			vals[j] = paddr_x(mfn_to_paddr(mfn)) | PTE_PRESENT |
				  PTE_ACCESSED | PTE_DIRTY |
				  (frame_is_pagetable(pfn) ? 0 : PTE_RW);
		}
		va = DIRECTMAP_BASE + ((base + i) << PAGE_SHIFT);
		rc = pt_fill(l1, pt_index(va, 1), vals, n);
		if (rc)
			return rc;
		dmap_end = base + i + n;
	}
	return 0;
}

/* Map every pseudo-physical frame at DIRECTMAP_BASE + pfn * 4 KiB. */
int directmap_init(void)
{
	unsigned long nr = p2m_nr_pages();
	unsigned long base;
	int rc;

	if (nr > (DIRECTMAP_SIZE >> PAGE_SHIFT)) {
		printk("mm: direct map limited to %lu of %lu frames\n",
		       DIRECTMAP_SIZE >> PAGE_SHIFT, nr);
		nr = DIRECTMAP_SIZE >> PAGE_SHIFT;
	}
	for (base = 0; base < nr; base += PT_ENTRIES) {
		rc = map_chunk(base, (unsigned int)MIN(nr - base, PT_ENTRIES));
		if (rc)
			return rc;
	}
	return 0;
}
