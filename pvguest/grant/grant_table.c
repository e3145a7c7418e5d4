/*
 * Our grant table: setting it up, handing out references and granting
 * access to our frames (see guest/grant.h for the protocol).
 *
 * The table starts with the frames Xen gave the domain (query_size) and
 * grows a frame at a time (setup_table with one more) when references
 * run out. Each frame Xen names is mapped writable at GNTTAB_SHARED_VA.
 * Free references are a bitmap; one lock (events masked, since frontends
 * may grant from event handlers) covers the bitmap and growth.
 */
#include <guest/errno.h>
#include <guest/grant.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/processor.h>
#include <guest/spinlock.h>

#define REFS_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define MAX_REFS (GNTTAB_SHARED_MAX_FRAMES * REFS_PER_FRAME)

static spinlock_t lock = SPINLOCK_INIT;
static bool ready;
static unsigned int nr_frames, max_frames;
static uint64_t used[MAX_REFS / 64];
static unsigned int nr_used; /* the reserved references count as used */

static grant_entry_v1_t *entry(grant_ref_t ref)
{
	return (grant_entry_v1_t *)GNTTAB_SHARED_VA + ref;
}

static bool ref_used(grant_ref_t ref)
{
	return (used[ref / 64] >> (ref % 64)) & 1;
}

static void mark(grant_ref_t ref, bool on)
{
	if (on)
		used[ref / 64] |= 1UL << (ref % 64);
	else
		used[ref / 64] &= ~(1UL << (ref % 64));
	nr_used = on ? nr_used + 1 : nr_used - 1;
}

/*
 * Ask Xen for n frames in all and map those not mapped yet. The lock is
 * held: setup_table and the mappings are made once, by one vCPU.
 */
static int grow_to(unsigned int n)
{
	xen_pfn_t frames[GNTTAB_SHARED_MAX_FRAMES];
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = n};
	int rc;

	set_xen_guest_handle(st.frame_list, frames);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
	if (rc)
		return rc;
	if (st.status != GNTST_okay)
		return -ENOSPC;
	for (unsigned int i = nr_frames; i < n; i++) {
		rc = map_frame((void *)(GNTTAB_SHARED_VA + i * PAGE_SIZE),
			       _mfn(frames[i]), PTE_RW | PTE_NX);
		if (rc)
			return rc;
		nr_frames = i + 1;
	}
	return 0;
}

static int init_locked(void)
{
	struct gnttab_query_size q = {.dom = DOMID_SELF};
	int rc;

	if (ready)
		return 0;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
	if (rc)
		return rc;
	if (q.status != GNTST_okay)
		return -EINVAL;
	max_frames = q.max_nr_frames < GNTTAB_SHARED_MAX_FRAMES
			     ? q.max_nr_frames
			     : GNTTAB_SHARED_MAX_FRAMES;
	rc = grow_to(q.nr_frames ? q.nr_frames : 1);
	if (rc)
		return rc;
	for (grant_ref_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++)
		mark(r, true);
	ready = true;
	return 0;
}

/* Set up our grant table (done by the first call that needs it). */
int gnttab_init(void)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	int rc = init_locked();

	spin_unlock_irqrestore(&lock, flags);
	return rc;
}

/* A free reference, marked used; grows the table if needed. */
static int alloc_ref(grant_ref_t *ref)
{
	int rc;

	for (;;) {
		unsigned int limit = nr_frames * (unsigned int)REFS_PER_FRAME;

		for (grant_ref_t r = GNTTAB_NR_RESERVED_ENTRIES; r < limit;
		     r++) {
			if (used[r / 64] == ~0UL) {
				r |= 63;
				continue;
			}
			if (!ref_used(r)) {
				mark(r, true);
				*ref = r;
				return 0;
			}
		}
		if (nr_frames >= max_frames)
			return -ENOSPC;
		rc = grow_to(nr_frames + 1);
		if (rc)
			return rc;
	}
}

/*
 * Let domid use our frame pfn (read-only, or read and write); *ref is the
 * reference to hand it. 0, -ENOSPC when no reference is left, or the
 * error of setting up or growing the table.
 */
int gnttab_grant_access(domid_t domid, pfn_t pfn, bool readonly,
			grant_ref_t *ref)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	grant_entry_v1_t *e;
	int rc = init_locked();

	if (!rc)
		rc = alloc_ref(ref);
	spin_unlock_irqrestore(&lock, flags);
	if (rc)
		return rc;
	e = entry(*ref);
	e->domid = domid;
	e->frame = (uint32_t)mfn_x(pfn_to_mfn(pfn));
	wmb(); /* the entry is complete before it is valid */
	WRITE_ONCE(e->flags, (uint16_t)(GTF_permit_access |
					(readonly ? GTF_readonly : 0)));
	return 0;
}

/* The flags of our entry ref as they are now (Xen updates them). */
uint16_t gnttab_entry_flags(grant_ref_t ref)
{
	return READ_ONCE(entry(ref)->flags);
}

/* Whether the other domain is using the grant (mapped, or copying). */
bool gnttab_access_in_use(grant_ref_t ref)
{
	return gnttab_entry_flags(ref) & (GTF_reading | GTF_writing);
}

/*
 * Take back grant ref and free the reference: 0, -EBUSY while the other
 * domain maps it (the grant stays as it was), -EINVAL for a reference
 * we did not hand out.
 */
int gnttab_end_access(grant_ref_t ref)
{
	uint16_t *flags = &entry(ref)->flags;
	uint16_t old;
	unsigned long f;

	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= MAX_REFS ||
	    !ref_used(ref))
		return -EINVAL;
	old = READ_ONCE(*flags);
	do {
		if (old & (GTF_reading | GTF_writing))
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(
		flags, &old, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
	f = spin_lock_irqsave(&lock);
	mark(ref, false);
	spin_unlock_irqrestore(&lock, f);
	return 0;
}

/* Frames of our table mapped so far (0 before the first use). */
unsigned int gnttab_nr_frames(void)
{
	return nr_frames;
}

/* References that could be handed out without growing the table. */
unsigned int gnttab_free_refs(void)
{
	return nr_frames * (unsigned int)REFS_PER_FRAME - nr_used;
}
