/*
 * The buddy heap: all RAM not used by the image, the boot modules and the
 * boot allocator, in power-of-two blocks of up to 2^MAX_ORDER frames. It
 * backs both the hypervisor's own heap (xenheap: frames reached through
 * the direct map) and domain memory (domheap: frames with an owner).
 *
 * A free block is a run of "free" frames whose first frame (the head) is
 * on free_lists[order] and records the order. Freeing merges a block with
 * its buddy (the block at mfn ^ 2^order) while the buddy is a free head of
 * the same order.
 *
 * Scrubbing: frames that enter the heap at boot may hold anything, so they
 * carry PGC_need_scrub and are cleared when first allocated; so do the
 * hypervisor's own frames once freed (free_xenheap_pages). Frames a domain
 * gives back are cleared before they are freed. No frame reaches a new
 * owner with an old owner's data.
 *
 * Lock: heap_lock protects the free lists and counters; it nests inside
 * no other lock except printk's.
 */
#include <hv/mm.h>

#include <asm/page.h>
#include <asm/spinlock.h>

static uint32_t free_lists[MAX_ORDER + 1];
static unsigned long free_blocks[MAX_ORDER + 1];
static unsigned long avail_pages, total_pages;
static DEFINE_SPINLOCK(heap_lock);
static bool lists_ready;

static void init_lists(void)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		free_lists[o] = PAGE_LIST_NULL;
	lists_ready = true;
}

static void list_push(unsigned int order, struct page_info *pg)
{
	uint32_t idx = (uint32_t)mfn_x(page_to_mfn(pg));
	uint32_t head = free_lists[order];

	pg->list.next = head;
	pg->list.prev = PAGE_LIST_NULL;
	if (head != PAGE_LIST_NULL)
		frame_table[head].list.prev = idx;
	free_lists[order] = idx;
	free_blocks[order]++;
}

static void list_remove(unsigned int order, struct page_info *pg)
{
	uint32_t next = pg->list.next, prev = pg->list.prev;

	if (prev == PAGE_LIST_NULL)
		free_lists[order] = next;
	else
		frame_table[prev].list.next = next;
	if (next != PAGE_LIST_NULL)
		frame_table[next].list.prev = prev;
	pg->list.next = pg->list.prev = PAGE_LIST_NULL;
	free_blocks[order]--;
}

/* Put a block on the free lists, merging it with free buddies. */
static void free_block_locked(struct page_info *pg, unsigned int order)
{
	uint64_t mfn = mfn_x(page_to_mfn(pg));

	for (unsigned long i = 0; i < (1UL << order); i++) {
		unsigned long scrub = pg[i].count_info & PGC_need_scrub;

		ASSERT(page_state(&pg[i]) == PGC_state_inuse);
		pg[i].count_info = PGC_state_free | scrub;
		pg[i].owner = NULL;
		pg[i].u.free.order = UINT32_MAX;
	}
	avail_pages += 1UL << order;

	while (order < MAX_ORDER) {
		uint64_t buddy = mfn ^ (1UL << order);
		struct page_info *b;

		if (!mfn_valid(_mfn(buddy)))
			break;
		b = mfn_to_page(_mfn(buddy));
		if (page_state(b) != PGC_state_free || b->u.free.order != order)
			break;
		list_remove(order, b);
		b->u.free.order = UINT32_MAX;
		mfn &= ~(1UL << order);
		order++;
	}
	pg = mfn_to_page(_mfn(mfn));
	pg->u.free.order = order;
	list_push(order, pg);
}

/*
 * Give RAM frames [first, first + nr) to the heap. They must be marked in
 * use (frame_table_mark_ram). need_scrub: their contents are unknown.
 */
void heap_init_range(mfn_t first, unsigned long nr, bool need_scrub)
{
	uint64_t m = mfn_x(first), end = m + nr;
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	if (!lists_ready)
		init_lists();
	while (m < end) {
		unsigned int order = 0;

		while (order < MAX_ORDER && !(m & (1UL << order)) &&
		       m + (2UL << order) <= end)
			order++;
		for (unsigned long i = 0; i < (1UL << order); i++) {
			struct page_info *pg = mfn_to_page(_mfn(m + i));

			ASSERT(page_state(pg) == PGC_state_inuse);
			pg->count_info = PGC_state_inuse |
					 (need_scrub ? PGC_need_scrub : 0);
		}
		free_block_locked(mfn_to_page(_mfn(m)), order);
		total_pages += 1UL << order;
		m += 1UL << order;
	}
	spin_unlock_irqrestore(&heap_lock, flags);
}

/* Clear a frame's contents. */
void scrub_page(struct page_info *pg)
{
	memset(mfn_to_virt(page_to_mfn(pg)), 0, PAGE_SIZE);
	pg->count_info &= ~PGC_need_scrub;
}

/*
 * Allocate 2^order contiguous frames, naturally aligned. They come back
 * in use, with no owner, no references and clean contents. NULL when no
 * block is large enough.
 */
struct page_info *alloc_heap_pages(unsigned int order)
{
	struct page_info *pg;
	unsigned long flags;
	unsigned int o;

	if (order > MAX_ORDER)
		return NULL;
	flags = spin_lock_irqsave(&heap_lock);
	for (o = order; o <= MAX_ORDER; o++)
		if (lists_ready && free_lists[o] != PAGE_LIST_NULL)
			break;
	if (o > MAX_ORDER) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	pg = &frame_table[free_lists[o]];
	list_remove(o, pg);
	while (o > order) { /* give back the upper halves */
		struct page_info *half;

		o--;
		half = pg + (1UL << o);
		half->u.free.order = o;
		list_push(o, half);
	}
	for (unsigned long i = 0; i < (1UL << order); i++) {
		pg[i].count_info = PGC_state_inuse |
				   (pg[i].count_info & PGC_need_scrub);
		pg[i].u.inuse.type_info = 0;
		pg[i].owner = NULL;
	}
	avail_pages -= 1UL << order;
	spin_unlock_irqrestore(&heap_lock, flags);

	for (unsigned long i = 0; i < (1UL << order); i++)
		if (pg[i].count_info & PGC_need_scrub)
			scrub_page(&pg[i]);
	return pg;
}

/* Return 2^order in-use frames (no owner, no references) to the heap. */
void free_heap_pages(struct page_info *pg, unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	free_block_locked(pg, order);
	spin_unlock_irqrestore(&heap_lock, flags);
}

/* Hypervisor memory: 2^order frames, returned as a direct-map address. */
void *alloc_xenheap_pages(unsigned int order)
{
	struct page_info *pg = alloc_heap_pages(order);

	if (!pg)
		return NULL;
	for (unsigned long i = 0; i < (1UL << order); i++)
		pg[i].count_info |= PGC_hv_heap;
	return mfn_to_virt(page_to_mfn(pg));
}

/* Free memory from alloc_xenheap_pages(). */
void free_xenheap_pages(void *v, unsigned int order)
{
	struct page_info *pg;

	if (!v)
		return;
	pg = mfn_to_page(virt_to_mfn(v));
	for (unsigned long i = 0; i < (1UL << order); i++) {
		ASSERT(pg[i].count_info & PGC_hv_heap);
		/* The next owner may be a domain: clear it before reuse. */
		pg[i].count_info = (pg[i].count_info & ~PGC_hv_heap) |
				   PGC_need_scrub;
	}
	free_heap_pages(pg, order);
}

/*
 * Domain memory: 2^order frames owned by d (each with its allocation
 * reference), or unowned frames when d is NULL.
 */
struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order)
{
	struct page_info *pg = alloc_heap_pages(order);

	if (pg && d)
		assign_pages(pg, order, d);
	return pg;
}

/* Told when a frame that had an owner is freed (the domain code). */
void (*heap_owner_released)(struct domain *d);

/* Scrub 2^order domain frames and return them to the heap. */
void free_domheap_pages(struct page_info *pg, unsigned int order)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct domain *owner = pg[i].owner;

		ASSERT((pg[i].count_info & PGC_count_mask) == 0);
		scrub_page(&pg[i]);
		pg[i].owner = NULL;
		pg[i].u.inuse.type_info = 0;
		pg[i].count_info = PGC_state_inuse;
		if (owner && heap_owner_released)
			heap_owner_released(owner);
	}
	free_heap_pages(pg, order);
}

/* Frames currently free in the heap. */
unsigned long heap_free_pages(void)
{
	return __atomic_load_n(&avail_pages, __ATOMIC_RELAXED);
}

/* Frames the heap manages, free or not. */
unsigned long heap_total_pages(void)
{
	return total_pages;
}

/* Free blocks of exactly this order. */
unsigned long heap_free_pages_of_order(unsigned int order)
{
	return order <= MAX_ORDER ? free_blocks[order] : 0;
}

/* Log the heap's size and its free blocks by order. */
void heap_print_stats(void)
{
	pr_info("Heap: %lu of %lu frames free (%lu MiB of %lu MiB)\n",
		avail_pages, total_pages, avail_pages >> 8, total_pages >> 8);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		if (free_blocks[o])
			pr_debug("  order %2u: %lu free blocks\n", o,
				 free_blocks[o]);
}
