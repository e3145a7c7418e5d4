/*
 * The frame table: one struct page_info per machine frame below max_page.
 *
 * Invariants (checked by the unit tests in tests/unit/test_frame_table.c):
 *
 *  1. Every frame is in exactly one state. "reserved" frames are not RAM,
 *     or are firmware's; they are never allocated. "free" frames are in
 *     the buddy heap with a zero reference count and no owner. "inuse"
 *     frames belong to the hypervisor (owner NULL) or to a domain.
 *  2. A frame owned by a domain holds the allocation reference: it has
 *     PGC_allocated and a reference count of at least 1 until the domain
 *     releases it.
 *  3. References are taken with get_page() and dropped with put_page(),
 *     in pairs. get_page() succeeds only on an in-use frame with a
 *     non-zero count whose owner is the asking domain; the frame's owner
 *     cannot change while anyone holds a reference.
 *  4. When the last reference goes, the frame is scrubbed and freed.
 *  5. (Page types, issue of validated page tables.) A non-zero type count
 *     implies a non-zero reference count; a frame's type changes only
 *     when its type count is zero.
 *
 * The reference count is updated with compare-and-exchange so that
 * get_page() never resurrects a frame whose count already reached zero.
 */
#include <hv/mm.h>

struct page_info *frame_table;
unsigned long max_page;

/* Start with every frame reserved; RAM is marked afterwards. */
void frame_table_init(struct page_info *table, unsigned long nr_frames)
{
	frame_table = table;
	max_page = nr_frames;
	for (unsigned long i = 0; i < nr_frames; i++) {
		table[i] = (struct page_info){
			.list = {PAGE_LIST_NULL, PAGE_LIST_NULL},
			.count_info = PGC_state_reserved,
		};
	}
}

/* Mark RAM frames as in use by the hypervisor (the heap frees them). */
void frame_table_mark_ram(mfn_t first, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		mfn_t m = mfn_add(first, i);

		if (!mfn_valid(m))
			break;
		mfn_to_page(m)->count_info = PGC_state_inuse;
	}
}

/* Whether a frame is RAM that Paravane manages (free or in use). */
bool page_is_ram(mfn_t m)
{
	return mfn_valid(m) && page_state(mfn_to_page(m)) != PGC_state_reserved;
}

/*
 * Take a general reference on a frame owned by d. Fails on a frame that
 * is not allocated, belongs to someone else, or whose count would
 * overflow.
 */
bool get_page(struct page_info *pg, const struct domain *d)
{
	unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);

	do {
		if ((x & PGC_state_mask) != PGC_state_inuse)
			return false;
		if ((x & PGC_count_mask) == 0 ||
		    (x & PGC_count_mask) == PGC_count_mask)
			return false;
	} while (!__atomic_compare_exchange_n(&pg->count_info, &x, x + 1, false,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));

	if (READ_ONCE(pg->owner) != d || !d) {
		put_page(pg);
		return false;
	}
	return true;
}

/* Drop a general reference; the last one frees (and scrubs) the frame. */
void put_page(struct page_info *pg)
{
	unsigned long x =
		__atomic_sub_fetch(&pg->count_info, 1, __ATOMIC_RELEASE);

	ASSERT((x & PGC_count_mask) != PGC_count_mask); /* underflow */
	if ((x & PGC_count_mask) == 0)
		free_domheap_pages(pg, 0);
}

/*
 * Give 2^order fresh frames to d: each gets its owner, the allocation
 * reference and no type.
 */
void assign_pages(struct page_info *pg, unsigned int order, struct domain *d)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		ASSERT(page_state(&pg[i]) == PGC_state_inuse);
		ASSERT((pg[i].count_info & PGC_count_mask) == 0);
		pg[i].owner = d;
		pg[i].u.inuse.type_info = PGT_none;
		pg[i].count_info = PGC_state_inuse | PGC_allocated | 1;
	}
}
