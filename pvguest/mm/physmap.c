/*
 * Changing the machine frames behind pseudo-physical frames (see
 * guest/physmap.h): the p2m list, the M2P and the kernel's two views
 * (direct map, bootstrap alias) move together.
 *
 * The p2m list is the one Xen built at start_info.mfn_list, which
 * pfn_to_mfn() reads; it lies in the bootstrap region, mapped writable.
 * M2P entries change through mmu_update's MMU_MACHPHYS_UPDATE, and only
 * for frames the domain owns. Direct-map entries are written one L1 at
 * a time with batched mmu_update; the bootstrap alias, which only the
 * first frames have, with update_va_mapping. A failure part way leaves
 * the frames half moved: callers treat it as fatal.
 */
#include <guest/bootinfo.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/physmap.h>

#define INVALID_P2M_ENTRY (~0UL)
#define M2P_BATCH 32

/* New entries for one L1's worth of the direct map. */
static uint64_t ptes[PT_ENTRIES];

static xen_pfn_t *p2m_list(void)
{
	return (xen_pfn_t *)start_info->mfn_list;
}

/* The kernel's entry for a data frame: present, writable. */
static uint64_t data_pte(xen_pfn_t mfn)
{
	return (mfn << PAGE_SHIFT) | PTE_PRESENT | PTE_RW | PTE_ACCESSED |
	       PTE_DIRTY;
}

static bool in_direct_map(unsigned long pfn)
{
	return (unsigned long)frame_va(_pfn(pfn)) ==
	       DIRECTMAP_BASE + (pfn << PAGE_SHIFT);
}

/* Direct-map entries of [first, first + count) to mfns, or cleared. */
static int set_direct_map(unsigned long first, unsigned long count,
			  const xen_pfn_t *mfns)
{
	unsigned long i, n;

	for (i = 0; i < count && in_direct_map(first + i); i += n) {
		unsigned long va = DIRECTMAP_BASE + ((first + i) << PAGE_SHIFT);
		unsigned int idx = pt_index(va, 1);
		mfn_t l1;
		int rc;

		n = MIN(count - i, (unsigned long)(PT_ENTRIES - idx));
		for (unsigned long j = 0; j < n; j++)
			ptes[j] = mfns ? data_pte(mfns[i + j]) : 0;
		rc = pt_ensure(va, 1, &l1);
		if (!rc)
			rc = pt_fill(l1, idx, ptes, (unsigned int)n);
		if (rc)
			return rc;
	}
	return 0;
}

/* Bootstrap-alias entries of [first, first + count) likewise. */
static int set_boot_alias(unsigned long first, unsigned long count,
			  const xen_pfn_t *mfns)
{
	unsigned long end = MIN(first + count, pfn_x(bootmap_end()));

	for (unsigned long pfn = first; pfn < end; pfn++) {
		unsigned long va = KERNEL_VIRT_BASE + (pfn << PAGE_SHIFT);
		int rc = HYPERVISOR_update_va_mapping(
			va, mfns ? data_pte(mfns[pfn - first]) : 0,
			UVMF_INVLPG | UVMF_ALL);

		if (rc)
			return rc;
	}
	return 0;
}

static int set_m2p(unsigned long first, unsigned long count,
		   const xen_pfn_t *mfns)
{
	mmu_update_t req[M2P_BATCH];
	unsigned long i, n;

	for (i = 0; i < count; i += n) {
		int rc;

		n = MIN(count - i, (unsigned long)M2P_BATCH);
		for (unsigned long j = 0; j < n; j++) {
			req[j].ptr = (mfns[i + j] << PAGE_SHIFT) |
				     MMU_MACHPHYS_UPDATE;
			req[j].val = first + i + j;
		}
		rc = HYPERVISOR_mmu_update(req, (unsigned int)n, NULL,
					   DOMID_SELF);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Unmap pfns [first, first + count) and make them p2m holes; their
 * machine frames go to mfns[], for the caller to give back to Xen.
 */
int physmap_remove(pfn_t first, unsigned long count, xen_pfn_t *mfns)
{
	unsigned long f = pfn_x(first);
	int rc;

	if (f > p2m_nr_pages() || count > p2m_nr_pages() - f)
		return -EINVAL;
	for (unsigned long i = 0; i < count; i++) {
		mfn_t mfn = pfn_to_mfn(_pfn(f + i));

		if (!mfn_valid_raw(mfn) || frame_is_pagetable(_pfn(f + i)))
			return -EINVAL;
		mfns[i] = mfn_x(mfn);
	}
	rc = set_boot_alias(f, count, NULL);
	if (!rc)
		rc = set_direct_map(f, count, NULL);
	if (!rc)
		rc = tlb_flush_local();
	if (rc)
		return rc;
	for (unsigned long i = 0; i < count; i++)
		p2m_list()[f + i] = INVALID_P2M_ENTRY;
	return 0;
}

/*
 * Back pfns [first, first + count), which must be holes, with the
 * machine frames mfns[] the domain now owns, and map them again.
 */
int physmap_add(pfn_t first, unsigned long count, const xen_pfn_t *mfns)
{
	unsigned long f = pfn_x(first);
	int rc;

	if (f > p2m_nr_pages() || count > p2m_nr_pages() - f)
		return -EINVAL;
	for (unsigned long i = 0; i < count; i++)
		if (mfn_valid_raw(pfn_to_mfn(_pfn(f + i))))
			return -EBUSY;
	rc = set_m2p(f, count, mfns);
	if (rc)
		return rc;
	for (unsigned long i = 0; i < count; i++)
		p2m_list()[f + i] = mfns[i];
	rc = set_boot_alias(f, count, mfns);
	if (!rc)
		rc = set_direct_map(f, count, mfns);
	return rc;
}
