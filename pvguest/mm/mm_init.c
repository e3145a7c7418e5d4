/*
 * mm_init(): memory bring-up, in order.
 *
 *   1. the p2m list from start_info;
 *   2. Xen's bootstrap page tables and the extent of its mapping;
 *   3. the frame allocator, its bitmaps in the first free frames, with
 *      the boot data, the bitmaps and p2m holes reserved and the
 *      bootstrap page tables marked as page tables;
 *   4. the direct map of every frame.
 * The heap (heap.c) needs nothing more: it takes frames as it goes.
 */
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pgtable.h>
#include <guest/shutdown.h>

static void frame_alloc_init(const start_info_t *si)
{
	unsigned long nr = p2m_nr_pages();
	unsigned long frames =
		DIV_ROUND_UP(page_alloc_bytes_needed(nr), PAGE_SIZE);
	unsigned long first = pfn_x(bootmap_first_free());
	unsigned long pt_first = (si->pt_base - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
	unsigned long pfn, i;

	if (first + frames > pfn_x(bootmap_end()))
		panic("mm: the bootstrap mapping has no room for the frame "
		      "bitmaps (%lu frames)",
		      frames);
	page_alloc_init(nr, frame_va(_pfn(first)));
	reserve_frames(_pfn(0), first + frames);
	for (pfn = 0; pfn < nr; pfn++)
		if (!mfn_valid_raw(pfn_to_mfn(_pfn(pfn))))
			reserve_frames(_pfn(pfn), 1);
	for (i = 0; i < si->nr_pt_frames; i++)
		frame_mark_pagetable(_pfn(pt_first + i), true);
}

/* Bring up memory management; the kernel cannot go on if it fails. */
void mm_init(void)
{
	const start_info_t *si = start_info;
	int rc;

	p2m_init(si);
	rc = bootmap_init(si, boot_stack_pointer);
	if (rc)
		panic("mm: cannot adopt the bootstrap page tables (%d)", rc);
	frame_alloc_init(si);
	rc = directmap_init();
	if (rc)
		panic("mm: building the direct map failed (%d)", rc);

	printk("mm: %lu frames (%lu MiB); boot data in pfns 0-%#lx, "
	       "bootstrap mapping to pfn %#lx\n",
	       p2m_nr_pages(), p2m_nr_pages() >> 8,
	       pfn_x(bootmap_first_free()) - 1, pfn_x(bootmap_end()) - 1);
	printk("mm: direct map at %#lx, %lu frames free\n", DIRECTMAP_BASE,
	       frames_free());
}
