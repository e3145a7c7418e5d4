/*
 * Building the M2P table: one 8-byte entry per frame below max_page, in
 * heap frames mapped twice, read-write for the hypervisor and read-only
 * (user-accessible, no-execute) for guests in L4 slot 256. Entries start
 * invalid; domain builders and MMU_MACHPHYS_UPDATE fill them.
 */
#include <hv/lib.h>
#include <hv/mm.h>

#include <asm/m2p.h>
#include <asm/paging.h>

#define M2P_GUEST_FLAGS (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)

/* Allocate, clear and map the M2P table for every frame. */
void m2p_init(void)
{
	unsigned long bytes = max_page * sizeof(unsigned long);
	unsigned long pages = DIV_ROUND_UP(bytes, PAGE_SIZE);

	if (bytes > RO_MPT_VIRT_END - RO_MPT_VIRT_START)
		panic("m2p: %lu frames do not fit the M2P area\n", max_page);
	for (unsigned long i = 0; i < pages; i++) {
		unsigned long *p = alloc_xenheap_pages(0);

		if (!p)
			panic("m2p: out of memory\n");
		for (unsigned int j = 0; j < PAGE_SIZE / sizeof(*p); j++)
			p[j] = INVALID_M2P_ENTRY;
		if (map_pages(RDWR_MPT_VIRT_START + i * PAGE_SIZE,
			      virt_to_mfn(p), 1, PAGE_HV_RW) ||
		    map_pages(RO_MPT_VIRT_START + i * PAGE_SIZE, virt_to_mfn(p),
			      1, M2P_GUEST_FLAGS))
			panic("m2p: out of memory for mappings\n");
	}
	pr_info("M2P: %lu entries, %lu KiB, guest view at %#lx\n", max_page,
		pages * 4, RO_MPT_VIRT_START);
}
