/*
 * Grant mappings: GNTTABOP_map_grant_ref, unmap_grant_ref and
 * unmap_and_replace, the maptrack table that records each mapping a
 * domain made (the index of its entry is the handle), and the release of
 * a dying domain's mappings. The rules are at the top of grant_table.c.
 *
 * A mapping is for the host (a page-table entry of the caller, written
 * by arch/x86/pv/grant_map.c), for devices (nothing to write without an
 * IOMMU: the pin and the frame references are all, and dev_bus_addr is
 * the frame's machine address), or both. What a mapping holds:
 *
 *   kind         pin          frame references
 *   host, ro     PIN_HOST_RO  general
 *   host, rw     PIN_HOST_RW  general, writable type
 *   device, ro   PIN_DEV_RO   general
 *   device, rw   PIN_DEV_RW   general, writable type
 *
 * Unmapping is in two steps, as in Xen: the page-table entries of a
 * batch are cleared, the TLBs flushed once, and only then are the
 * references, the pins and with them GTF_reading/GTF_writing dropped.
 * Meanwhile the maptrack entry is marked busy, so a second unmap of the
 * same handle is refused (GNTST_bad_handle).
 */
#include <hv/grant_table.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/page_type.h>
#include <asm/pv.h>
#include <asm/smp.h>

/* Unmaps done between two TLB flushes (Xen's GNTTAB_UNMAP_BATCH_SIZE). */
#define UNMAP_BATCH 32

/* Entries released per step of a domain's destruction. */
#define RELEASE_BATCH 1024

#define GNTMAP_KINDS (GNTMAP_device_map | GNTMAP_host_map)

/* ---- The maptrack table ---------------------------------------------- */

/*
 * Add a page of free entries to gt's maptrack (maptrack_lock held);
 * false when the limit is reached or memory is short.
 */
static bool maptrack_grow(struct grant_table *gt)
{
	grant_handle_t first = maptrack_limit(gt);
	struct grant_mapping *page;

	if (gt->maptrack_frames >= gt->max_maptrack_frames)
		return false;
	if (!gt->maptrack) {
		size_t size = gt->max_maptrack_frames * sizeof(void *);

		/* Pages of its own, like the table (see grant_table_init). */
		while ((PAGE_SIZE << gt->maptrack_order) < size)
			gt->maptrack_order++;
		gt->maptrack = alloc_xenheap_pages(gt->maptrack_order);
		if (!gt->maptrack)
			return false;
		memset(gt->maptrack, 0, PAGE_SIZE << gt->maptrack_order);
	}
	page = alloc_xenheap_pages(0);
	if (!page)
		return false;
	memset(page, 0, PAGE_SIZE);
	for (unsigned int i = 0; i < MAPTRACK_PER_PAGE; i++)
		page[i].ref = i + 1 < MAPTRACK_PER_PAGE ? first + i + 1
							: MAPTRACK_NONE;
	gt->maptrack[gt->maptrack_frames++] = page;
	gt->maptrack_free = first; /* the list was empty */
	gt->maptrack_tail = first + MAPTRACK_PER_PAGE - 1;
	return true;
}

/* A free handle of gt, taken off the free list; MAPTRACK_NONE if none. */
static grant_handle_t get_maptrack_handle(struct grant_table *gt)
{
	grant_handle_t h;

	spin_lock(&gt->maptrack_lock);
	if (gt->maptrack_free == MAPTRACK_NONE && !maptrack_grow(gt)) {
		spin_unlock(&gt->maptrack_lock);
		return MAPTRACK_NONE;
	}
	h = gt->maptrack_free;
	gt->maptrack_free = maptrack_entry(gt, h)->ref;
	if (gt->maptrack_free == MAPTRACK_NONE)
		gt->maptrack_tail = MAPTRACK_NONE;
	spin_unlock(&gt->maptrack_lock);
	return h;
}

/*
 * Put handle h back on the free list, at its end, so that a stale
 * handle is reused as late as possible. The entry's domain reference
 * (if any) is the caller's to drop.
 */
static void put_maptrack_handle(struct grant_table *gt, grant_handle_t h)
{
	struct grant_mapping *m;

	spin_lock(&gt->maptrack_lock);
	m = maptrack_entry(gt, h);
	m->rd = NULL;
	m->flags = 0;
	m->busy = 0;
	m->ref = MAPTRACK_NONE;
	if (gt->maptrack_tail == MAPTRACK_NONE)
		gt->maptrack_free = h;
	else
		maptrack_entry(gt, gt->maptrack_tail)->ref = h;
	gt->maptrack_tail = h;
	spin_unlock(&gt->maptrack_lock);
}

/* Free gt's maptrack pages (every entry already released). */
void maptrack_free_all(struct grant_table *gt)
{
	for (unsigned int i = 0; i < gt->maptrack_frames; i++)
		free_xenheap_pages(gt->maptrack[i], 0);
	free_xenheap_pages(gt->maptrack, gt->maptrack_order);
	gt->maptrack = NULL;
	gt->maptrack_frames = 0;
	gt->maptrack_free = gt->maptrack_tail = MAPTRACK_NONE;
}

/* ---- Mapping ------------------------------------------------------------- */

static uint32_t pin_of(unsigned int kinds, bool readonly)
{
	uint32_t pin = 0;

	if (kinds & GNTMAP_device_map)
		pin += readonly ? PIN_DEV_RO : PIN_DEV_RW;
	if (kinds & GNTMAP_host_map)
		pin += readonly ? PIN_HOST_RO : PIN_HOST_RW;
	return pin;
}

/* Drop n writable type and m general references of pg. */
static void put_refs(struct page_info *pg, unsigned int types,
		     unsigned int refs)
{
	while (types--)
		put_page_type(pg);
	while (refs--)
		put_page(pg);
}

static void map_grant_ref(struct gnttab_map_grant_ref *op)
{
	struct domain *ld = current->domain, *rd;
	struct grant_table *lgt = ld->grant_table;
	bool ro = op->flags & GNTMAP_readonly;
	uint32_t pin = pin_of(op->flags, ro);
	unsigned int refs = 0, types = 0;
	struct page_info *pg;
	struct grant_mapping *m;
	grant_handle_t handle;
	mfn_t mfn;
	int16_t rc;

	if (!(op->flags & GNTMAP_KINDS)) {
		op->status = GNTST_bad_gntref;
		return;
	}
	rd = get_domain_by_id(op->dom);
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	handle = get_maptrack_handle(lgt);
	if (handle == MAPTRACK_NONE) {
		rc = GNTST_no_space;
		goto err_domain;
	}
	rc = grant_pin(rd, op->ref, ld->domain_id, pin, true, &pg, &mfn);
	if (rc)
		goto err_handle;
	refs = 1;

	/* The references of rule 3, one set per kind of mapping. */
	rc = GNTST_general_error;
	if ((op->flags & GNTMAP_device_map) && !ro) {
		if (get_page_type(pg, PGT_writable_page))
			goto err_pin;
		types++;
	}
	if (op->flags & GNTMAP_host_map) {
		if (op->flags & GNTMAP_device_map) {
			if (!get_page(pg, rd))
				goto err_pin;
			refs++;
		}
		if (!ro) {
			if (get_page_type(pg, PGT_writable_page))
				goto err_pin;
			types++;
		}
		rc = create_grant_host_mapping(op->host_addr, mfn, op->flags);
		if (rc)
			goto err_pin;
	}

	/* The entry keeps the reference on rd taken above. */
	spin_lock(&lgt->maptrack_lock);
	m = maptrack_entry(lgt, handle);
	m->rd = rd;
	m->ref = op->ref;
	m->busy = 0;
	m->flags = (uint16_t)op->flags;
	spin_unlock(&lgt->maptrack_lock);
	op->handle = handle;
	op->dev_bus_addr = mfn_x(mfn) << PAGE_SHIFT;
	op->status = GNTST_okay;
	return;

err_pin:
	put_refs(pg, types, refs);
	grant_unpin(rd, op->ref, pin);
err_handle:
	put_maptrack_handle(lgt, handle);
err_domain:
	put_domain(rd);
	op->status = rc;
}

/* GNTTABOP_map_grant_ref: count maps; how many were done if preempted. */
long gnttab_map_grant_ref(XEN_GUEST_HANDLE_PARAM(gnttab_map_grant_ref_t) uop,
			  unsigned int count)
{
	struct gnttab_map_grant_ref op;

	for (unsigned int i = 0; i < count; i++) {
		if (i && hypercall_preempt_check())
			return i;
		if (copy_from_guest_offset(&op, uop, i, 1))
			return -EFAULT;
		map_grant_ref(&op);
		if (copy_to_guest_offset(uop, i, &op, 1))
			return -EFAULT;
	}
	return 0;
}

/* ---- Unmapping ----------------------------------------------------------- */

/* One unmap of a batch, between its two steps. */
struct unmap_common {
	/* The request. */
	uint64_t host_addr, dev_bus_addr, new_addr;
	grant_handle_t handle;
	int16_t status;
	/* What the first step did, for the second. */
	unsigned int done; /* GNTMAP_* kinds removed, and readonly */
	struct domain *rd;
	grant_ref_t ref;
	mfn_t mfn;
};

/*
 * First step: find the mapping, mark it busy, remove what the request
 * names (the page-table entry at host_addr, the device mapping if
 * dev_bus_addr is given). Xen's statuses: bad_handle for a handle not in
 * use, bad_dev_addr or general_error for a bus or host address that does
 * not match the mapping.
 */
static void unmap_common(struct unmap_common *op)
{
	struct grant_table *lgt = current->domain->grant_table;
	struct grant_mapping *m;
	unsigned int flags;

	op->done = 0;
	spin_lock(&lgt->maptrack_lock);
	if (op->handle >= maptrack_limit(lgt) ||
	    !((m = maptrack_entry(lgt, op->handle))->flags & GNTMAP_KINDS) ||
	    m->busy) {
		spin_unlock(&lgt->maptrack_lock);
		op->status = GNTST_bad_handle;
		return;
	}
	m->busy = 1;
	op->rd = m->rd;
	op->ref = m->ref;
	flags = m->flags;
	spin_unlock(&lgt->maptrack_lock);

	/* The pin this mapping holds keeps the active entry's frame. */
	spin_lock(&op->rd->grant_table->lock);
	op->mfn = active_entry(op->rd->grant_table, op->ref)->mfn;
	spin_unlock(&op->rd->grant_table->lock);

	op->status = GNTST_bad_dev_addr;
	if (op->dev_bus_addr &&
	    op->dev_bus_addr != (mfn_x(op->mfn) << PAGE_SHIFT))
		goto out;
	if (op->host_addr && (flags & GNTMAP_host_map)) {
		op->status = replace_grant_host_mapping(op->host_addr, op->mfn,
							op->new_addr, flags);
		if (op->status)
			goto out;
		op->done |= GNTMAP_host_map;
	}
	if (op->dev_bus_addr && (flags & GNTMAP_device_map))
		op->done |= GNTMAP_device_map;
	if (op->done)
		op->done |= flags & GNTMAP_readonly;
	op->status = GNTST_okay;
out:
	if (!op->done) {
		spin_lock(&lgt->maptrack_lock);
		m->busy = 0;
		spin_unlock(&lgt->maptrack_lock);
	}
}

/*
 * Second step, after the TLB flush: drop the removed kinds' frame
 * references and pins, and free the handle if nothing is left of it.
 */
static void unmap_common_complete(struct unmap_common *op)
{
	struct grant_table *lgt = current->domain->grant_table;
	bool ro = op->done & GNTMAP_readonly;
	struct page_info *pg = mfn_to_page(op->mfn);
	struct grant_mapping *m;
	unsigned int kinds = op->done & GNTMAP_KINDS, n;
	bool last;

	if (!kinds)
		return;
	n = kinds == GNTMAP_KINDS ? 2 : 1;
	put_refs(pg, ro ? 0 : n, n);
	grant_unpin(op->rd, op->ref, pin_of(kinds, ro));

	spin_lock(&lgt->maptrack_lock);
	m = maptrack_entry(lgt, op->handle);
	m->flags &= (uint16_t)~kinds;
	last = !(m->flags & GNTMAP_KINDS);
	m->busy = 0;
	spin_unlock(&lgt->maptrack_lock);
	if (last) {
		put_maptrack_handle(lgt, op->handle);
		put_domain(op->rd);
	}
}

/* Flush the caller's TLBs everywhere it may have run (and here). */
static void unmap_flush(void)
{
	flush_tlb_mask(READ_ONCE(current->domain->dirty_cpumask) |
		       (1UL << smp_processor_id()));
}

/*
 * Run the unmaps of a batch of count requests: read each (size bytes
 * apiece from reqs) with fetch, unmap, write its status back with put;
 * flush once per UNMAP_BATCH, then complete them. Returns how many were
 * done when preempted, 0 when all were, -EFAULT on a bad request array.
 */
typedef bool (*unmap_fetch_fn)(void *reqs, unsigned int i,
			       struct unmap_common *c);
typedef bool (*unmap_put_fn)(void *reqs, unsigned int i, int16_t status);

static long unmap_batch(void *reqs, unsigned int count, unmap_fetch_fn fetch,
			unmap_put_fn put)
{
	struct unmap_common c[UNMAP_BATCH];
	unsigned int done = 0;

	while (done < count) {
		unsigned int n = MIN(count - done, (unsigned int)UNMAP_BATCH);
		unsigned int i;
		bool fault = false;

		for (i = 0; i < n; i++) {
			if (!fetch(reqs, done + i, &c[i])) {
				fault = true;
				break;
			}
			unmap_common(&c[i]);
			if (!put(reqs, done + i, c[i].status)) {
				i++;
				fault = true;
				break;
			}
		}
		unmap_flush();
		for (unsigned int j = 0; j < i; j++)
			unmap_common_complete(&c[j]);
		if (fault)
			return -EFAULT;
		done += n;
		if (done < count && hypercall_preempt_check())
			return done;
	}
	return 0;
}

static bool fetch_unmap(void *reqs, unsigned int i, struct unmap_common *c)
{
	XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t) h = {.p = reqs};
	struct gnttab_unmap_grant_ref op;

	if (copy_from_guest_offset(&op, h, i, 1))
		return false;
	*c = (struct unmap_common){.host_addr = op.host_addr,
				   .dev_bus_addr = op.dev_bus_addr,
				   .handle = op.handle};
	return true;
}

static bool put_unmap(void *reqs, unsigned int i, int16_t status)
{
	XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t) h = {.p = reqs};
	struct gnttab_unmap_grant_ref op = {.status = status};

	guest_handle_add_offset(h, i);
	return !copy_field_to_guest(h, &op, status);
}

static bool fetch_replace(void *reqs, unsigned int i, struct unmap_common *c)
{
	XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t) h = {.p = reqs};
	struct gnttab_unmap_and_replace op;

	if (copy_from_guest_offset(&op, h, i, 1))
		return false;
	*c = (struct unmap_common){.host_addr = op.host_addr,
				   .new_addr = op.new_addr,
				   .handle = op.handle};
	return true;
}

static bool put_replace(void *reqs, unsigned int i, int16_t status)
{
	XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t) h = {.p = reqs};
	struct gnttab_unmap_and_replace op = {.status = status};

	guest_handle_add_offset(h, i);
	return !copy_field_to_guest(h, &op, status);
}

/* GNTTABOP_unmap_grant_ref: count unmaps, by handle. */
long gnttab_unmap_grant_ref(XEN_GUEST_HANDLE_PARAM(gnttab_unmap_grant_ref_t)
				    uop,
			    unsigned int count)
{
	return unmap_batch(uop.p, count, fetch_unmap, put_unmap);
}

/*
 * GNTTABOP_unmap_and_replace: unmap host mappings and put, in each one's
 * place, the entry that mapped new_addr (which becomes unmapped).
 */
long gnttab_unmap_and_replace(XEN_GUEST_HANDLE_PARAM(gnttab_unmap_and_replace_t)
				      uop,
			      unsigned int count)
{
	return unmap_batch(uop.p, count, fetch_replace, put_replace);
}

/* ---- A dying domain's mappings --------------------------------------- */

/*
 * d is dying (its vCPUs stopped): give up every mapping it made. Pins
 * go; device mappings drop their frame references here, host mappings
 * drop theirs with the page-table entries that hold them, as d's page
 * tables are torn down. -ERESTART when there is more to do.
 */
int gnttab_release_mappings(struct domain *d)
{
	struct grant_table *gt = d->grant_table;
	unsigned int n = 0;

	if (!gt)
		return 0;
	for (; gt->release_next < maptrack_limit(gt); gt->release_next++) {
		struct grant_mapping *m = maptrack_entry(gt, gt->release_next);
		bool ro = m->flags & GNTMAP_readonly;
		struct domain *rd = m->rd;
		mfn_t mfn;

		if (!(m->flags & GNTMAP_KINDS))
			continue;
		if (++n > RELEASE_BATCH)
			return -ERESTART;
		if (m->flags & GNTMAP_device_map) {
			spin_lock(&rd->grant_table->lock);
			mfn = active_entry(rd->grant_table, m->ref)->mfn;
			spin_unlock(&rd->grant_table->lock);
			put_refs(mfn_to_page(mfn), ro ? 0 : 1, 1);
		}
		grant_unpin(rd, m->ref, pin_of(m->flags, ro));
		m->flags = 0;
		m->rd = NULL;
		put_domain(rd);
	}
	return 0;
}
