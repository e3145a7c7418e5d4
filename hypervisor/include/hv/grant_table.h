/*
 * Grant tables (version 1): how a domain lets another one map or copy
 * its frames, with Xen's <xen/grant_table.h> as the interface. The
 * rules, the locks and what destruction does are written at the top of
 * common/grant_table.c; this header holds the state the grant files
 * share (common/grant_*.c, arch/x86/pv/grant_map.c) and the unit tests
 * inspect.
 */
#ifndef HV_GRANT_TABLE_H
#define HV_GRANT_TABLE_H

#include <hv/lib.h>
#include <paravane/addr_types.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include <asm/memlayout.h>
#include <asm/spinlock.h>

struct domain;
struct page_info;

/* Frames a new table starts with (Xen's INITIAL_NR_GRANT_FRAMES). */
#define GNTTAB_INITIAL_FRAMES 1U
/* Xen 4.17's defaults (gnttab_max_frames=, gnttab_max_maptrack_frames=). */
#define GNTTAB_DEFAULT_MAX_FRAMES 64U
#define GNTTAB_DEFAULT_MAX_MAPTRACK_FRAMES 1024U

#define GNTTAB_ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))

/*
 * Pin counts of an active entry: four 8-bit counters (host and device
 * mappings and copies, read-only and writable), as Xen keeps them. A new
 * pin of a kind is refused once its counter has reached 128 (its bit of
 * PIN_FULL), so none can overflow.
 */
#define PIN_HOST_RW (1U << 0)
#define PIN_HOST_RO (1U << 8)
#define PIN_DEV_RW (1U << 16)
#define PIN_DEV_RO (1U << 24)
#define PIN_WRITERS (0xffU * PIN_HOST_RW | 0xffU * PIN_DEV_RW)
#define PIN_FULL 0x80808080U

/*
 * The hypervisor's side of one grant entry: while pin is non-zero the
 * grant is in use by domid, for frame mfn, and the entry's GTF_reading
 * (and, with writers, GTF_writing) are set in the shared table.
 */
struct active_grant_entry {
	uint32_t pin;
	domid_t domid;
	uint16_t pad;
	mfn_t mfn;
};
#define ACTIVE_PER_PAGE (PAGE_SIZE / sizeof(struct active_grant_entry))

/*
 * One mapping a domain made of another's grant: a maptrack entry, whose
 * index is the grant handle. A used entry holds a reference on the
 * granting domain rd; a free one links the free list through ref.
 * MAPTRACK_BUSY marks an entry an unmap is working on.
 */
struct grant_mapping {
	struct domain *rd;
	grant_ref_t ref;
	uint16_t flags; /* GNTMAP_*; 0 when free */
	uint16_t busy;
};
#define MAPTRACK_PER_PAGE (PAGE_SIZE / sizeof(struct grant_mapping))
#define MAPTRACK_NONE (~0U)

/* A domain's table, in 2^order pages with its two frame lists after it. */
struct grant_table {
	unsigned int order;

	/* lock: the frames, the active entries, the shared entries' flags. */
	spinlock_t lock;
	unsigned int nr_frames, max_frames;
	grant_entry_v1_t **shared;	    /* a slot per frame of the limit */
	struct active_grant_entry **active; /* one page per ACTIVE_PER_PAGE */
	bool shared_released;		    /* the domain is being destroyed */

	/* maptrack_lock: the mappings this domain made (handles). */
	spinlock_t maptrack_lock;
	unsigned int maptrack_frames, max_maptrack_frames;
	struct grant_mapping **maptrack; /* allocated on the first map */
	unsigned int maptrack_order;	 /* its pages: 2^maptrack_order */
	grant_handle_t maptrack_free;	 /* free list head, or MAPTRACK_NONE */
	grant_handle_t maptrack_tail;	 /* and its tail */

	grant_handle_t release_next; /* domain destruction's progress */
};

/* The v1 entry of ref (ref < nr_entries(gt), shared frames present). */
static inline grant_entry_v1_t *shared_entry(const struct grant_table *gt,
					     grant_ref_t ref)
{
	return &gt->shared[ref / GNTTAB_ENTRIES_PER_FRAME]
			  [ref % GNTTAB_ENTRIES_PER_FRAME];
}

static inline struct active_grant_entry *
active_entry(const struct grant_table *gt, grant_ref_t ref)
{
	return &gt->active[ref / ACTIVE_PER_PAGE][ref % ACTIVE_PER_PAGE];
}

static inline unsigned int nr_grant_entries(const struct grant_table *gt)
{
	return gt->nr_frames * (unsigned int)GNTTAB_ENTRIES_PER_FRAME;
}

static inline struct grant_mapping *maptrack_entry(const struct grant_table *gt,
						   grant_handle_t h)
{
	return &gt->maptrack[h / MAPTRACK_PER_PAGE][h % MAPTRACK_PER_PAGE];
}

static inline unsigned int maptrack_limit(const struct grant_table *gt)
{
	return gt->maptrack_frames * (unsigned int)MAPTRACK_PER_PAGE;
}

// common/grant_table.c
int grant_table_init(struct domain *d);
int grant_table_check_config(int32_t max_frames, int32_t max_maptrack_frames,
			     uint32_t grant_opts);
void grant_table_set_limits(struct domain *d, int32_t max_frames,
			    int32_t max_maptrack_frames);
void grant_table_release_shared(struct domain *d);
void grant_table_free(struct domain *d);
long do_grant_table_op(unsigned int cmd, XEN_GUEST_HANDLE_PARAM(void) uop,
		       unsigned int count);
int16_t grant_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
		  uint32_t pin_inc, bool mapping, struct page_info **pg,
		  mfn_t *mfn);
void grant_unpin(struct domain *rd, grant_ref_t ref, uint32_t pin_dec);
struct domain *grant_op_domain(domid_t id, int16_t *status);

// common/grant_mapping.c
long gnttab_map_grant_ref(XEN_GUEST_HANDLE_PARAM(gnttab_map_grant_ref_t) uop,
			  unsigned int count);
long gnttab_unmap_grant_ref(XEN_GUEST_HANDLE_PARAM(gnttab_unmap_grant_ref_t)
				    uop,
			    unsigned int count);
long gnttab_unmap_and_replace(XEN_GUEST_HANDLE_PARAM(gnttab_unmap_and_replace_t)
				      uop,
			      unsigned int count);
int gnttab_release_mappings(struct domain *d);
void maptrack_free_all(struct grant_table *gt);

// common/grant_copy.c
long gnttab_copy(XEN_GUEST_HANDLE_PARAM(gnttab_copy_t) uop, unsigned int count);

// arch/x86/pv/grant_map.c
int16_t create_grant_host_mapping(uint64_t addr, mfn_t frame,
				  unsigned int flags);
int16_t replace_grant_host_mapping(uint64_t addr, mfn_t frame,
				   uint64_t new_addr, unsigned int flags);

#endif /* HV_GRANT_TABLE_H */
