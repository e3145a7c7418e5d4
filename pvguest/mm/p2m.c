/*
 * Translations between pseudo-physical and machine frames.
 *
 * pfn -> mfn: the p2m list Xen built in the bootstrap region
 * (start_info.mfn_list, nr_pages entries; INVALID_P2M_ENTRY marks a hole).
 * mfn -> pfn: the machine-to-phys table Xen maps read-only at
 * MACH2PHYS_VIRT_START in every address space. An M2P entry is only
 * trusted when the p2m maps that pfn back to the same mfn; any other mfn
 * (another domain's, Xen's) yields an invalid pfn.
 */
#include <guest/mm.h>

#define INVALID_P2M_ENTRY (~0UL)

static const xen_pfn_t *p2m;
static unsigned long nr_pages;

/* Take the p2m list and the domain's size from start_info. */
void p2m_init(const start_info_t *si)
{
	p2m = (const xen_pfn_t *)si->mfn_list;
	nr_pages = si->nr_pages;
}

/* Number of pseudo-physical frames (valid pfns are below it). */
unsigned long p2m_nr_pages(void)
{
	return nr_pages;
}

/* The machine frame behind pfn, or INVALID_MFN_RAW for a hole. */
mfn_t pfn_to_mfn(pfn_t pfn)
{
	if (pfn_x(pfn) >= nr_pages || p2m[pfn_x(pfn)] == INVALID_P2M_ENTRY)
		return _mfn(INVALID_MFN_RAW);
	return _mfn(p2m[pfn_x(pfn)]);
}

/* The pfn of one of our own machine frames, or INVALID_PFN_RAW. */
pfn_t mfn_to_pfn(mfn_t mfn)
{
	const unsigned long *m2p = machine_to_phys_mapping;
	unsigned long pfn;

	if (mfn_x(mfn) >= MACH2PHYS_NR_ENTRIES)
		return _pfn(INVALID_PFN_RAW);
	pfn = m2p[mfn_x(mfn)];
	if (pfn >= nr_pages || p2m[pfn] != mfn_x(mfn))
		return _pfn(INVALID_PFN_RAW);
	return _pfn(pfn);
}
