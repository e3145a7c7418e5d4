/*
 * Memory bring-up, in order:
 *
 *  1. the boot allocator gets every RAM region of the memory map, minus
 *     the first MiB (firmware data, later the AP start-up trampoline), the
 *     hypervisor image and the boot modules;
 *  2. paging_init() builds the final page tables from boot-allocator
 *     frames (the direct map now covers all RAM);
 *  3. the frame table is allocated and mapped, every frame marked
 *     reserved, then RAM frames marked in use;
 *  4. what the boot allocator has left goes to the buddy heap, marked as
 *     needing a scrub before first use.
 */
#include <hv/lib.h>
#include <hv/mm.h>

#include <asm/paging.h>
#include <asm/setup.h>

#define LOW_MEMORY_END 0x100000UL
#define BOOT_LIMIT _mfn(1UL << (32 - PAGE_SHIFT))

extern char __image_end[];

static void print_memory_map(const struct boot_info *bi)
{
	uint64_t ram = 0;

	pr_info("Memory map (from %s):\n",
		bi->loader[0] ? bi->loader : "the boot loader");
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];

		pr_info("  %016lx - %016lx  %s\n", r->addr, r->addr + r->len,
			mem_type_name(r->type));
		if (r->type == MEM_AVAILABLE)
			ram += r->len;
	}
	if (bi->mem_truncated)
		pr_warn("  (more regions than Paravane keeps; rest ignored)\n");
	pr_info("RAM: %lu MiB\n", ram >> 20);
}

static void ram_range(const struct mem_region *r, uint64_t *s, uint64_t *e)
{
	*s = ROUNDUP(r->addr, PAGE_SIZE);
	*e = MIN(ROUNDDOWN(r->addr + r->len, PAGE_SIZE), MAX_PHYS_ADDR);
}

static void give_to_heap(mfn_t first, unsigned long nr)
{
	heap_init_range(first, nr, true);
}

/* Bring up the frame table and the heap from the boot memory map. */
void mm_init(const struct boot_info *bi)
{
	uint64_t max_ram = 0, image_end;
	unsigned long nr_frames, ft_pages;
	mfn_t ft;

	print_memory_map(bi);
	bootmem_init();
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		uint64_t s, e;

		ram_range(&bi->mem[i], &s, &e);
		if (bi->mem[i].type != MEM_AVAILABLE || e <= s)
			continue;
		if (bootmem_add(_mfn(s >> PAGE_SHIFT), (e - s) >> PAGE_SHIFT))
			panic("mm: memory map too fragmented\n");
		max_ram = MAX(max_ram, e);
	}
	if (!max_ram)
		panic("mm: the memory map has no RAM\n");

	image_end =
		ROUNDUP((uintptr_t)__image_end - HV_IMAGE_VIRT_BASE, PAGE_SIZE);
	bootmem_reserve(_mfn(0), LOW_MEMORY_END >> PAGE_SHIFT);
	bootmem_reserve(_mfn(HV_BOOT_PHYS >> PAGE_SHIFT),
			(image_end - HV_BOOT_PHYS) >> PAGE_SHIFT);
	for (unsigned int i = 0; i < bi->nr_mods; i++) {
		const struct boot_module *m = &bi->mods[i];
		uint64_t s = ROUNDDOWN(paddr_x(m->start), PAGE_SIZE);
		uint64_t e = ROUNDUP(paddr_x(m->start) + m->size, PAGE_SIZE);

		bootmem_reserve(_mfn(s >> PAGE_SHIFT), (e - s) >> PAGE_SHIFT);
	}

	paging_init(bi);

	nr_frames = max_ram >> PAGE_SHIFT;
	ft_pages =
		DIV_ROUND_UP(nr_frames * sizeof(struct page_info), PAGE_SIZE);
	ft = bootmem_alloc(ft_pages, ft_pages >= 512 ? 512 : 1, BOOT_LIMIT);
	if (mfn_x(ft) == INVALID_MFN_RAW ||
	    map_pages(FRAMETABLE_VIRT_START, ft, ft_pages, PAGE_HV_RW))
		panic("mm: no memory for the frame table (%lu pages)\n",
		      ft_pages);
	frame_table_init((struct page_info *)FRAMETABLE_VIRT_START, nr_frames);
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		uint64_t s, e;

		ram_range(&bi->mem[i], &s, &e);
		if (bi->mem[i].type == MEM_AVAILABLE && e > s)
			frame_table_mark_ram(_mfn(s >> PAGE_SHIFT),
					     (e - s) >> PAGE_SHIFT);
	}
	pr_info("Frame table: %lu frames, %lu KiB at %#lx\n", nr_frames,
		ft_pages * 4, FRAMETABLE_VIRT_START);

	bootmem_hand_over(give_to_heap);
	paging_set_heap_ready();
	heap_print_stats();
}
