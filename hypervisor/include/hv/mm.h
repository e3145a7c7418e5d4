/*
 * Machine memory: the frame table, the boot allocator and the buddy heap.
 *
 * Every machine frame below max_page has a struct page_info in the frame
 * table. count_info holds the frame's state, flags and general reference
 * count; u.inuse.type_info holds its page type and type count (the page
 * type system that validated PV page tables build on); owner is the
 * domain the frame belongs to. See mm/frame_table.c for the invariants.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/lib.h>
#include <paravane/addr_types.h>

struct domain;

/* Free-list links are frame numbers, so a page_info stays 32 bytes. */
#define PAGE_LIST_NULL UINT32_MAX
struct page_list_entry {
	uint32_t next, prev;
};

struct page_info {
	struct page_list_entry list;
	unsigned long count_info;
	union {
		struct {
			unsigned long type_info;
		} inuse;
		struct {
			unsigned int
				order; /* valid on the head of a free block */
			unsigned int pad;
		} free;
	} u;
	struct domain *owner;
};

/* count_info: state (2 bits), flags, general reference count. */
#define PGC_state_shift 62
#define PGC_state_mask (3UL << PGC_state_shift)
#define PGC_state_inuse (0UL << PGC_state_shift)
#define PGC_state_free (1UL << PGC_state_shift)
#define PGC_state_reserved (2UL << PGC_state_shift) /* not RAM, or firmware */
#define PGC_allocated (1UL << 61)  /* owner holds its allocation reference */
#define PGC_hv_heap (1UL << 60)	   /* hypervisor heap frame */
#define PGC_need_scrub (1UL << 59) /* free, contents not yet cleared */
#define PGC_count_mask ((1UL << 48) - 1)

/* type_info: type (3 bits), pinned, validated, type count. */
#define PGT_type_shift 61
#define PGT_type_mask (7UL << PGT_type_shift)
#define PGT_none (0UL << PGT_type_shift)
#define PGT_l1_page_table (1UL << PGT_type_shift)
#define PGT_l2_page_table (2UL << PGT_type_shift)
#define PGT_l3_page_table (3UL << PGT_type_shift)
#define PGT_l4_page_table (4UL << PGT_type_shift)
#define PGT_seg_desc_page (5UL << PGT_type_shift)
#define PGT_writable_page (6UL << PGT_type_shift)
#define PGT_pinned (1UL << 60)
#define PGT_validated (1UL << 59)
#define PGT_count_mask ((1UL << 48) - 1)

#define MAX_ORDER 20 /* largest buddy block: 4 GiB */

extern struct page_info *frame_table;
extern unsigned long max_page; /* frames with a frame-table entry */

static inline bool mfn_valid(mfn_t m)
{
	return mfn_x(m) < max_page;
}

static inline struct page_info *mfn_to_page(mfn_t m)
{
	return &frame_table[mfn_x(m)];
}

static inline mfn_t page_to_mfn(const struct page_info *pg)
{
	return _mfn((uint64_t)(pg - frame_table));
}

static inline unsigned long page_state(const struct page_info *pg)
{
	return pg->count_info & PGC_state_mask;
}

// mm/frame_table.c
void frame_table_init(struct page_info *table, unsigned long nr_frames);
void frame_table_mark_ram(mfn_t first, unsigned long nr);
bool page_is_ram(mfn_t m);
bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);
void assign_pages(struct page_info *pg, unsigned int order, struct domain *d);

// mm/boot_alloc.c
void bootmem_init(void);
int bootmem_add(mfn_t first, unsigned long nr);
void bootmem_reserve(mfn_t first, unsigned long nr);
mfn_t bootmem_alloc(unsigned long nr, unsigned long align, mfn_t limit);
unsigned long bootmem_free_pages(void);
typedef void (*bootmem_range_fn)(mfn_t first, unsigned long nr);
void bootmem_hand_over(bootmem_range_fn fn);

// mm/page_alloc.c
void heap_init_range(mfn_t first, unsigned long nr, bool need_scrub);
struct page_info *alloc_heap_pages(unsigned int order);
void free_heap_pages(struct page_info *pg, unsigned int order);
void *alloc_xenheap_pages(unsigned int order);
void free_xenheap_pages(void *v, unsigned int order);
struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order);
void free_domheap_pages(struct page_info *pg, unsigned int order);
extern void (*heap_owner_released)(struct domain *d);
void scrub_page(struct page_info *pg);
unsigned long heap_free_pages(void);
unsigned long heap_total_pages(void);
unsigned long heap_free_pages_of_order(unsigned int order);
void heap_print_stats(void);

// mm/xmalloc.c
void *xmalloc_bytes(size_t size);
void *xzalloc_bytes(size_t size);
void xfree(void *p);
#define xmalloc(type) ((type *)xmalloc_bytes(sizeof(type)))
#define xzalloc(type) ((type *)xzalloc_bytes(sizeof(type)))
#define xzalloc_array(type, n) ((type *)xzalloc_array_bytes(sizeof(type), (n)))
void *xzalloc_array_bytes(size_t size, size_t n);

#endif /* HV_MM_H */
