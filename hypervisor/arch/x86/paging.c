/*
 * The hypervisor's page tables. paging_init() replaces the boot tables
 * with the final ones: the image mapped with per-section permissions
 * (text read-only and executable, rodata read-only, data no-execute),
 * the direct map of every RAM region (2 MiB pages where aligned), and an
 * L3 table under each of L4 slots 256-271. The identity map of low
 * memory that the boot path needed is gone afterwards.
 *
 * Page-table pages come from the boot allocator until the heap is ready,
 * then from the heap. Changes to live mappings flush this CPU's TLB entry;
 * mappings changed after other CPUs are up must be flushed on them too.
 */
#include <hv/lib.h>
#include <hv/mm.h>

#include <asm/paging.h>
#include <asm/processor.h>

#define BOOT_ALLOC_LIMIT _mfn(1UL << (32 - PAGE_SHIFT)) /* boot map: 4 GiB */
#define LARGE_PAGES (1UL << (L2_SHIFT - L1_SHIFT))

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_end[];
extern pte_t boot_l4[];

pte_t *idle_l4;
static bool heap_ready;
static uintptr_t ioremap_next = IOREMAP_VIRT_START;

/* Page tables may come from the heap from now on. */
void paging_set_heap_ready(void)
{
	heap_ready = true;
}

static pte_t *alloc_table(void)
{
	pte_t *t;

	if (heap_ready) {
		t = alloc_xenheap_pages(0);
	} else {
		mfn_t m = bootmem_alloc(1, 1, BOOT_ALLOC_LIMIT);

		t = mfn_x(m) == INVALID_MFN_RAW ? NULL : mfn_to_virt(m);
	}
	if (t)
		memset(t, 0, PAGE_SIZE);
	return t;
}

static pte_t *table_of(pte_t e)
{
	return mfn_to_virt(pte_mfn(e));
}

/* Replace a 2 MiB mapping by an L1 table with the same 512 mappings. */
static int shatter_l2(pte_t *l2e)
{
	pte_t *l1 = alloc_table();
	pte_t e = *l2e;
	uint64_t flags = e & ~PTE_ADDR_MASK & ~_PAGE_PSE;

	if (!l1)
		return -ENOMEM;
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		l1[i] = pte_from_mfn(mfn_add(pte_mfn(e & ~(1UL << 12)), i),
				     flags);
	*l2e = pte_from_mfn(virt_to_mfn(l1), PAGE_HV_TABLE);
	return 0;
}

/*
 * The entry for va at level 2 (want_l1 false) or 1, creating tables on
 * the way; tables on the way to a user mapping are marked user too. NULL
 * when out of memory, or when va lies under a 1 GiB page.
 */
static pte_t *walk(pte_t *l4, uintptr_t va, bool want_l1, uint64_t user)
{
	pte_t *t = l4;
	unsigned int idx[] = {l4_index(va), l3_index(va), l2_index(va)};

	for (unsigned int lvl = 0; lvl < 3; lvl++) {
		pte_t *e = &t[idx[lvl]];

		if (lvl == 2) {
			if (!want_l1)
				return e;
			if ((*e & _PAGE_PRESENT) && (*e & _PAGE_PSE) &&
			    shatter_l2(e))
				return NULL;
		}
		if (!(*e & _PAGE_PRESENT)) {
			pte_t *n = alloc_table();

			if (!n)
				return NULL;
			*e = pte_from_mfn(virt_to_mfn(n), PAGE_HV_TABLE);
		} else if (*e & _PAGE_PSE) {
			return NULL;
		}
		*e |= user;
		t = table_of(*e);
	}
	return &t[l1_index(va)];
}

static int map_in(pte_t *l4, uintptr_t va, mfn_t mfn, unsigned long nr,
		  uint64_t flags, bool live)
{
	while (nr) {
		bool large = !(va & ((LARGE_PAGES << PAGE_SHIFT) - 1)) &&
			     !(mfn_x(mfn) & (LARGE_PAGES - 1)) &&
			     nr >= LARGE_PAGES;
		pte_t *e = walk(l4, va, !large, flags & _PAGE_USER);
		unsigned long n = large ? LARGE_PAGES : 1;

		if (!e)
			return -ENOMEM;
		*e = pte_from_mfn(mfn, flags | (large ? _PAGE_PSE : 0));
		if (live)
			invlpg((void *)va);
		va += n << PAGE_SHIFT;
		mfn = mfn_add(mfn, n);
		nr -= n;
	}
	return 0;
}

/*
 * Map nr frames from mfn at va in the hypervisor's address space, with
 * 2 MiB pages wherever both addresses allow. Returns 0 or -ENOMEM.
 */
int map_pages(uintptr_t va, mfn_t mfn, unsigned long nr, uint64_t flags)
{
	ASSERT(va >= HV_RANGE_START && va + (nr << PAGE_SHIFT) <= HV_RANGE_END);
	return map_in(idle_l4, va, mfn, nr, flags, true);
}

/* Remove the mappings of nr pages at va (splitting large pages). */
void unmap_pages(uintptr_t va, unsigned long nr)
{
	for (; nr; nr--, va += PAGE_SIZE) {
		pte_t *e = walk(idle_l4, va, true, 0);

		if (e) {
			*e = 0;
			invlpg((void *)va);
		}
	}
}

/* Translate a hypervisor virtual address by walking the page tables. */
bool lookup_mapping(uintptr_t va, paddr_t *pa, uint64_t *flags)
{
	pte_t *t = idle_l4 ? idle_l4
			   : (pte_t *)maddr_to_virt(
				     _paddr(read_cr3() & PTE_ADDR_MASK));
	unsigned int shift = L4_SHIFT;

	for (int lvl = 4; lvl >= 1; lvl--, shift -= 9) {
		pte_t e = t[(va >> shift) & 511];

		if (!(e & _PAGE_PRESENT))
			return false;
		if (lvl == 1 || (lvl <= 3 && (e & _PAGE_PSE))) {
			uint64_t mask = (1UL << shift) - 1;

			*pa = _paddr(((e & PTE_ADDR_MASK) & ~mask) |
				     (va & mask));
			if (flags)
				*flags = e & ~PTE_ADDR_MASK;
			return true;
		}
		t = table_of(e);
	}
	return false;
}

/* The machine address behind a hypervisor virtual address. */
paddr_t virt_to_maddr(const void *p)
{
	uintptr_t va = (uintptr_t)p;
	paddr_t pa;

	if (va >= DIRECTMAP_VIRT_START && va < DIRECTMAP_VIRT_END)
		return _paddr(va - DIRECTMAP_VIRT_START);
	if (va >= HV_IMAGE_VIRT_BASE && va < HV_IMAGE_VIRT_END)
		return _paddr(va - HV_IMAGE_VIRT_BASE);
	if (!lookup_mapping(va, &pa, NULL))
		panic("virt_to_maddr: %p is not mapped\n", p);
	return pa;
}

static void map_image_range(pte_t *l4, const char *start, const char *end,
			    uint64_t flags)
{
	uintptr_t va = ROUNDDOWN((uintptr_t)start, PAGE_SIZE);
	unsigned long nr = (ROUNDUP((uintptr_t)end, PAGE_SIZE) - va) >>
			   PAGE_SHIFT;

	if (map_in(l4, va, _mfn((va - HV_IMAGE_VIRT_BASE) >> PAGE_SHIFT), nr,
		   flags, false))
		panic("paging: out of memory mapping the image\n");
}

/* Build the final hypervisor page tables and switch to them. */
void paging_init(const struct boot_info *bi)
{
	pte_t *l4 = alloc_table();

	if (!l4)
		panic("paging: no memory for page tables\n");
	for (unsigned int s = HYPERVISOR_FIRST_SLOT; s <= HYPERVISOR_LAST_SLOT;
	     s++) {
		pte_t *l3 = alloc_table();

		if (!l3)
			panic("paging: no memory for page tables\n");
		l4[s] = pte_from_mfn(virt_to_mfn(l3), PAGE_HV_TABLE);
	}

	map_image_range(l4, __text_start, __text_end, PAGE_HV_RX);
	map_image_range(l4, __rodata_start, __rodata_end, PAGE_HV_RO);
	map_image_range(l4, __data_start, __bss_end, PAGE_HV_RW);

	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_region *r = &bi->mem[i];
		uint64_t s = ROUNDUP(r->addr, PAGE_SIZE);
		uint64_t e = ROUNDDOWN(r->addr + r->len, PAGE_SIZE);

		if (r->type != MEM_AVAILABLE || e <= s)
			continue;
		e = MIN(e, MAX_PHYS_ADDR);
		if (map_in(l4, DIRECTMAP_VIRT_START + s, _mfn(s >> PAGE_SHIFT),
			   (e - s) >> PAGE_SHIFT, PAGE_HV_RW, false))
			panic("paging: out of memory for the direct map\n");
	}

	write_cr3(paddr_x(virt_to_maddr(l4)));
	idle_l4 = l4;
	flush_tlb_all_local();
}

/*
 * Map len bytes of device or firmware memory at pa into the ioremap area
 * with the given flags (PAGE_HV_UC for registers). Mappings are permanent.
 */
void *ioremap(paddr_t pa, size_t len, uint64_t flags)
{
	uintptr_t off = paddr_x(pa) & (PAGE_SIZE - 1);
	unsigned long nr = ROUNDUP(off + len, PAGE_SIZE) >> PAGE_SHIFT;
	uintptr_t va = ioremap_next;

	if (va + (nr << PAGE_SHIFT) > IOREMAP_VIRT_END)
		return NULL;
	for (unsigned long i = 0; i < nr; i++) /* 4 KiB pages only */
		if (map_in(idle_l4, va + (i << PAGE_SHIFT),
			   mfn_add(paddr_to_mfn(pa), i), 1, flags, true))
			return NULL;
	ioremap_next += (nr + 1) << PAGE_SHIFT; /* leave a hole between */
	return (void *)(va + off);
}
