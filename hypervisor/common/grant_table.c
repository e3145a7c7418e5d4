/*
 * Grant tables, version 1: a domain's grant table, the GTF_* protocol on
 * its entries, the table operations (setup_table, query_size,
 * set_version, get_version, get_status_frames, swap_grant_ref) and
 * HYPERVISOR_grant_table_op. Mapping is in grant_mapping.c, copying in
 * grant_copy.c, the page-table side of a mapping in
 * arch/x86/pv/grant_map.c.
 *
 * A domain's table is nr_frames shared frames of grant_entry_v1_t that
 * the hypervisor allocates and the domain maps (setup_table gives their
 * machine frame numbers), grown on request up to max_frames; beside each
 * entry the hypervisor keeps an active entry that the guest never sees.
 *
 * The rules (Xen's), each enforced here or in the files named above:
 *
 *  1. A grant is used (mapped, or pinned for the length of a copy) only
 *     while its entry says GTF_permit_access for the user's domain id,
 *     without GTF_sub_page for a mapping, and without GTF_readonly for a
 *     write. The first use sets GTF_reading (and GTF_writing for a
 *     writer) with compare-and-exchange on the flags and domid together,
 *     so a guest that changes the entry meanwhile is seen; a guest that
 *     keeps changing it is refused after a few tries.
 *  2. While a grant is in use its active entry holds the pin counts, the
 *     user's domain and the frame, taken once at the first use: a guest
 *     that rewrites the entry changes nothing until the last user is
 *     gone. GTF_writing stays set while any writer pin is held,
 *     GTF_reading while any pin is; they are cleared only when the last
 *     such pin goes, after the TLB flush that follows an unmap. So a
 *     granter that sees neither flag knows no one can reach the frame.
 *  3. Every user holds a general reference on the granted frame (and a
 *     writable type reference for writing), so the frame can neither be
 *     freed, nor change owner, nor become a page table while mapped.
 *     A host mapping's references belong to its page-table entry (see
 *     arch/x86/pv/grant_map.c), a device mapping's to the maptrack
 *     entry, a copy's to the copy.
 *  4. Every mapping is a maptrack entry of the mapping domain (its index
 *     is the handle), holding a reference on the granting domain; at most
 *     max_maptrack_frames pages of them.
 *
 * Destruction. When a domain dies, the mappings it made are released
 * (grant_mapping.c: its pins on other domains' grants go; its page
 * tables, torn down, drop the host mappings' frame references); its own
 * shared frames are given back (grant_table_release_shared), after which
 * the flags of its entries are no longer written. Mappings other domains
 * hold of its grants stay valid: they keep its frames, its active
 * entries and the domain structure alive until they are unmapped, and
 * meanwhile the domain is listed as dying. The table itself goes with
 * the structure (grant_table_free).
 *
 * Locks: a table's lock guards its frames, active entries and the flags
 * the hypervisor writes into its shared entries; maptrack_lock guards the
 * mappings a domain made. Neither is held while the other, or another
 * table's, is taken; both nest outside the heap lock only.
 */
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/pv.h>

/* Xen's GNTTABOP_CONTINUATION_ARG_SHIFT: the command's opaque bits. */
#define GNTTABOP_CMD_MASK 0xfffU

/* How often a shared entry that keeps changing is re-read (Xen: 5). */
#define SET_STATUS_TRIES 5

static unsigned int opt_max_grant_frames = GNTTAB_DEFAULT_MAX_FRAMES;
integer_param("gnttab_max_frames", opt_max_grant_frames);

static unsigned int opt_max_maptrack_frames =
	GNTTAB_DEFAULT_MAX_MAPTRACK_FRAMES;
integer_param("gnttab_max_maptrack_frames", opt_max_maptrack_frames);

/* ---- The table's frames -------------------------------------------------- */

/* The most frames a table may have (gnttab_max_frames=, at least one). */
static unsigned int limit_frames(void)
{
	return MAX(opt_max_grant_frames, GNTTAB_INITIAL_FRAMES);
}

static unsigned int active_pages(unsigned int frames)
{
	return DIV_ROUND_UP(frames * (unsigned int)GNTTAB_ENTRIES_PER_FRAME,
			    (unsigned int)ACTIVE_PER_PAGE);
}

/*
 * Grow d's table to nr frames (with the lock held, or before the table
 * is published): new shared frames, zeroed and shared with d, and the
 * active pages they need. -ENOMEM leaves the table as it was.
 */
static int grow_table(struct domain *d, unsigned int nr)
{
	struct grant_table *gt = d->grant_table;
	unsigned int a0 = active_pages(gt->nr_frames), a1 = active_pages(nr);
	unsigned int i;

	ASSERT(nr <= gt->max_frames && nr <= limit_frames());
	for (i = a0; i < a1; i++) {
		gt->active[i] = alloc_xenheap_pages(0);
		if (!gt->active[i])
			goto err_active;
		memset(gt->active[i], 0, PAGE_SIZE);
	}
	for (i = gt->nr_frames; i < nr; i++) {
		gt->shared[i] = alloc_xenheap_pages(0);
		if (!gt->shared[i])
			goto err_shared;
		memset(gt->shared[i], 0, PAGE_SIZE);
	}
	for (i = gt->nr_frames; i < nr; i++)
		share_hv_page_with_guest(gt->shared[i], d);
	gt->nr_frames = nr;
	return 0;

err_shared:
	while (i-- > gt->nr_frames) {
		free_xenheap_pages(gt->shared[i], 0);
		gt->shared[i] = NULL;
	}
	i = a1;
err_active:
	while (i-- > a0) {
		free_xenheap_pages(gt->active[i], 0);
		gt->active[i] = NULL;
	}
	return -ENOMEM;
}

/*
 * Give d a grant table with the hypervisor's default limits and its
 * first frame (createdomain then sets the limits it was asked for). The
 * table's own state and its frame lists share pages of their own, so
 * that a domain's end gives every page back.
 */
int grant_table_init(struct domain *d)
{
	unsigned int max = limit_frames(), order = 0;
	size_t size = sizeof(struct grant_table) +
		      (max + active_pages(max)) * sizeof(void *);
	struct grant_table *gt;

	while ((PAGE_SIZE << order) < size)
		order++;
	gt = alloc_xenheap_pages(order);
	if (!gt)
		return -ENOMEM;
	memset(gt, 0, PAGE_SIZE << order);
	gt->order = order;
	spin_lock_init(&gt->lock);
	spin_lock_init(&gt->maptrack_lock);
	gt->max_frames = max;
	gt->max_maptrack_frames = opt_max_maptrack_frames;
	gt->maptrack_free = gt->maptrack_tail = MAPTRACK_NONE;
	gt->shared = (grant_entry_v1_t **)(gt + 1);
	gt->active = (struct active_grant_entry **)(gt->shared + max);
	d->grant_table = gt;
	if (grow_table(d, GNTTAB_INITIAL_FRAMES)) {
		d->grant_table = NULL;
		free_xenheap_pages(gt, order);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Check createdomain's grant settings as Xen 4.17 does: known option
 * bits, grant version 1 (the only one Paravane offers), and limits
 * (negative: the default) of at least one frame and no more than the
 * hypervisor's own. 0 or -EINVAL.
 */
int grant_table_check_config(int32_t max_frames, int32_t max_maptrack_frames,
			     uint32_t grant_opts)
{
	uint32_t version = XEN_DOMCTL_GRANT_version(grant_opts);
	int64_t frames = max_frames, maptrack = max_maptrack_frames;

	if (frames < 0)
		frames = limit_frames();
	if (maptrack < 0)
		maptrack = opt_max_maptrack_frames;

	if (grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
		return -EINVAL;
	if (version != 1)
		return -EINVAL;
	if (frames < GNTTAB_INITIAL_FRAMES || frames > limit_frames() ||
	    maptrack > opt_max_maptrack_frames)
		return -EINVAL;
	return 0;
}

/* Apply limits that grant_table_check_config() accepted, before d runs. */
void grant_table_set_limits(struct domain *d, int32_t max_frames,
			    int32_t max_maptrack_frames)
{
	struct grant_table *gt = d->grant_table;

	if (max_frames >= 0)
		gt->max_frames = (unsigned int)max_frames;
	if (max_maptrack_frames >= 0)
		gt->max_maptrack_frames = (unsigned int)max_maptrack_frames;
}

/*
 * d is being destroyed: give back its shared frames (each is freed once
 * nothing else maps it). Its entries' flags are not written after this.
 */
void grant_table_release_shared(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (!gt)
		return;
	spin_lock(&gt->lock);
	gt->shared_released = true;
	for (unsigned int i = 0; i < gt->nr_frames; i++) {
		domain_release_page(mfn_to_page(virt_to_mfn(gt->shared[i])));
		gt->shared[i] = NULL;
	}
	spin_unlock(&gt->lock);
}

/* d's structure goes: free what is left of its table. */
void grant_table_free(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (!gt)
		return;
	ASSERT(gt->shared_released || !gt->nr_frames);
	maptrack_free_all(gt);
	for (unsigned int i = 0; i < active_pages(gt->nr_frames); i++)
		free_xenheap_pages(gt->active[i], 0);
	d->grant_table = NULL;
	free_xenheap_pages(gt, gt->order);
}

/* ---- The GTF_* protocol ------------------------------------------------ */

/* The top bits of the counters pin_inc adds to: set, a counter is full. */
static uint32_t pin_full(uint32_t pin_inc)
{
	return (pin_inc << 7) & PIN_FULL;
}

/*
 * Mark shared entry sha in use by ldom (rule 1): GTF_reading, and
 * GTF_writing unless readonly. Unless the grant is already pinned, the
 * entry must grant access to ldom (no sub-page grant for a mapping).
 * GNTST_okay or GNTST_general_error.
 */
static int16_t set_status(grant_entry_v1_t *sha, domid_t ldom, bool readonly,
			  bool mapping, bool pinned)
{
	uint32_t *word = (uint32_t *)sha; /* flags, then domid */
	uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
	uint32_t old = READ_ONCE(*word);

	for (unsigned int tries = 0; tries < SET_STATUS_TRIES; tries++) {
		uint16_t flags = (uint16_t)old;
		domid_t domid = (domid_t)(old >> 16);
		uint32_t new, seen;

		if (!pinned &&
		    ((flags & mask) != GTF_permit_access || domid != ldom))
			return GNTST_general_error;
		if (!readonly && (flags & GTF_readonly))
			return GNTST_general_error;
		new = old | GTF_reading | (readonly ? 0 : GTF_writing);
		seen = __sync_val_compare_and_swap(word, old, new);
		if (seen == old)
			return GNTST_okay;
		old = seen;
	}
	return GNTST_general_error; /* the guest keeps changing it */
}

/* Clear flags of ref's shared entry, unless the frames were given back. */
static void clear_status(struct grant_table *gt, grant_ref_t ref,
			 uint16_t flags)
{
	if (flags && !gt->shared_released)
		__atomic_fetch_and(&shared_entry(gt, ref)->flags,
				   (uint16_t)~flags, __ATOMIC_SEQ_CST);
}

/* The flags to clear once pins (of which writers, if any) went. */
static uint16_t flags_to_clear(uint32_t pin, bool writer)
{
	uint16_t f = 0;

	if (writer && !(pin & PIN_WRITERS))
		f |= GTF_writing;
	if (!pin)
		f |= GTF_reading;
	return f;
}

/*
 * Pin grant ref of rd for domain ldom (rules 1-3): add pin_inc (PIN_*,
 * one or two kinds) to its active entry, and take a general reference on
 * the frame for the caller (*pg, *mfn). A mapping refuses sub-page
 * grants. Xen's statuses: bad_gntref, general_error (entry or pin
 * refused), bad_page (the entry names a frame rd does not own), and for
 * a frame that went meanwhile general_error (mapping) or bad_domain.
 */
int16_t grant_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
		  uint32_t pin_inc, bool mapping, struct page_info **pg,
		  mfn_t *mfn)
{
	struct grant_table *gt = rd->grant_table;
	bool writer = pin_inc & PIN_WRITERS;
	struct active_grant_entry *act;
	grant_entry_v1_t *sha;
	int16_t rc = GNTST_okay;

	*pg = NULL;
	spin_lock(&gt->lock);
	if (gt->shared_released) {
		rc = GNTST_bad_domain;
		goto out;
	}
	if (ref >= nr_grant_entries(gt)) {
		rc = GNTST_bad_gntref;
		goto out;
	}
	act = active_entry(gt, ref);
	sha = shared_entry(gt, ref);
	if (act->pin &&
	    (act->domid != ldom || (act->pin & pin_full(pin_inc)))) {
		rc = GNTST_general_error;
		goto out;
	}
	if (!act->pin || (writer && !(act->pin & PIN_WRITERS))) {
		rc = set_status(sha, ldom, !writer, mapping, act->pin != 0);
		if (rc)
			goto out;
	}
	if (!act->pin) {
		mfn_t m = _mfn(READ_ONCE(sha->frame)); /* PV: gfn is mfn */

		if (!mfn_valid(m) || !get_page(mfn_to_page(m), rd)) {
			clear_status(gt, ref, flags_to_clear(0, writer));
			rc = GNTST_bad_page;
			goto out;
		}
		act->domid = ldom;
		act->mfn = m;
		*pg = mfn_to_page(m);
	} else if (!get_page(mfn_to_page(act->mfn), rd)) {
		clear_status(gt, ref, flags_to_clear(act->pin, writer));
		rc = mapping ? GNTST_general_error : GNTST_bad_domain;
		goto out;
	} else {
		*pg = mfn_to_page(act->mfn);
	}
	act->pin += pin_inc;
	*mfn = act->mfn;
out:
	spin_unlock(&gt->lock);
	return rc;
}

/*
 * Drop pins pin_dec of rd's grant ref (the caller dropped its frame
 * references); the last writer clears GTF_writing, the last user
 * GTF_reading.
 */
void grant_unpin(struct domain *rd, grant_ref_t ref, uint32_t pin_dec)
{
	struct grant_table *gt = rd->grant_table;
	struct active_grant_entry *act;

	spin_lock(&gt->lock);
	act = active_entry(gt, ref);
	ASSERT(act->pin >= pin_dec);
	act->pin -= pin_dec;
	clear_status(gt, ref, flags_to_clear(act->pin, pin_dec & PIN_WRITERS));
	spin_unlock(&gt->lock);
}

/* ---- Table operations ---------------------------------------------------- */

/*
 * The domain a table operation names (DOMID_SELF or an id), with a
 * reference; another domain's only for a privileged caller. NULL with
 * *status GNTST_bad_domain or GNTST_permission_denied.
 */
struct domain *grant_op_domain(domid_t id, int16_t *status)
{
	struct domain *d = get_domain_by_any_id(id);

	if (!d) {
		*status = GNTST_bad_domain;
		return NULL;
	}
	if (d != current->domain && !current->domain->is_privileged) {
		put_domain(d);
		*status = GNTST_permission_denied;
		return NULL;
	}
	return d;
}

/*
 * Copy the machine frames of d's first n shared frames to the guest
 * list, a chunk at a time (the lock is not held while copying); a frame
 * that cannot be written makes the status GNTST_bad_virt_addr.
 */
static int16_t copy_frame_list(struct domain *d,
			       XEN_GUEST_HANDLE(xen_pfn_t) list, unsigned int n)
{
	struct grant_table *gt = d->grant_table;
	xen_pfn_t chunk[32];
	int16_t rc = GNTST_okay;

	for (unsigned int i = 0; i < n; i += ARRAY_SIZE(chunk)) {
		unsigned int c = MIN(n - i, (unsigned int)ARRAY_SIZE(chunk));

		spin_lock(&gt->lock);
		if (gt->shared_released) {
			spin_unlock(&gt->lock);
			return GNTST_general_error;
		}
		for (unsigned int j = 0; j < c; j++)
			chunk[j] = mfn_x(virt_to_mfn(gt->shared[i + j]));
		spin_unlock(&gt->lock);
		for (unsigned int j = 0; j < c; j++)
			if (copy_to_guest_offset(list, i + j, &chunk[j], 1))
				rc = GNTST_bad_virt_addr;
	}
	return rc;
}

static long gnttab_setup_table(XEN_GUEST_HANDLE_PARAM(gnttab_setup_table_t) uop,
			       unsigned int count)
{
	struct gnttab_setup_table op;
	struct grant_table *gt;
	struct domain *d;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, 1))
		return -EFAULT;
	if (!guest_range_ok(op.frame_list.p,
			    (unsigned long)op.nr_frames * sizeof(xen_pfn_t)))
		return -EFAULT;
	d = grant_op_domain(op.dom, &op.status);
	if (!d)
		goto out;
	gt = d->grant_table;
	op.status = GNTST_general_error;
	spin_lock(&gt->lock);
	if (op.nr_frames <= gt->max_frames && !gt->shared_released &&
	    (op.nr_frames <= gt->nr_frames || !grow_table(d, op.nr_frames)))
		op.status = GNTST_okay;
	spin_unlock(&gt->lock);
	if (op.status == GNTST_okay)
		op.status = copy_frame_list(d, op.frame_list, op.nr_frames);
	put_domain(d);
out:
	return copy_field_to_guest(uop, &op, status) ? -EFAULT : 0;
}

static long gnttab_query_size(XEN_GUEST_HANDLE_PARAM(gnttab_query_size_t) uop,
			      unsigned int count)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, 1))
		return -EFAULT;
	d = grant_op_domain(op.dom, &op.status);
	if (d) {
		spin_lock(&d->grant_table->lock);
		op.nr_frames = d->grant_table->nr_frames;
		op.max_nr_frames = d->grant_table->max_frames;
		spin_unlock(&d->grant_table->lock);
		op.status = GNTST_okay;
		put_domain(d);
	}
	return copy_to_guest(uop, &op, 1) ? -EFAULT : 0;
}

/*
 * Version 1 is the only one: asking for it succeeds, asking for 2 is
 * refused with -ENOSYS as Xen refuses a domain whose maximum grant
 * version is 1. Either way the version in force is written back.
 */
static long gnttab_set_version(XEN_GUEST_HANDLE_PARAM(gnttab_set_version_t) uop)
{
	struct gnttab_set_version op;
	long rc;

	if (copy_from_guest(&op, uop, 1))
		return -EFAULT;
	if (op.version == 1)
		rc = 0;
	else if (op.version == 2)
		rc = -ENOSYS;
	else
		rc = -EINVAL;
	op.version = 1;
	return copy_to_guest(uop, &op, 1) ? -EFAULT : rc;
}

static long gnttab_get_version(XEN_GUEST_HANDLE_PARAM(gnttab_get_version_t) uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(&op, uop, 1))
		return -EFAULT;
	d = get_domain_by_any_id(op.dom);
	if (!d)
		return -ESRCH;
	if (d != current->domain && !current->domain->is_privileged) {
		put_domain(d);
		return -EPERM;
	}
	put_domain(d);
	op.version = 1;
	return copy_field_to_guest(uop, &op, version) ? -EFAULT : 0;
}

/* Version 1 has no status frames: any request for one is refused. */
static long
gnttab_get_status_frames(XEN_GUEST_HANDLE_PARAM(gnttab_get_status_frames_t) uop,
			 unsigned int count)
{
	struct gnttab_get_status_frames op;
	struct domain *d;

	if (count != 1)
		return -EINVAL;
	if (copy_from_guest(&op, uop, 1))
		return -EFAULT;
	d = grant_op_domain(op.dom, &op.status);
	if (d) {
		op.status = op.nr_frames ? GNTST_general_error : GNTST_okay;
		put_domain(d);
	}
	return copy_field_to_guest(uop, &op, status) ? -EFAULT : 0;
}

/* Swap two entries of the caller's table, neither of them in use. */
static int16_t swap_grant_ref(grant_ref_t a, grant_ref_t b)
{
	struct grant_table *gt = current->domain->grant_table;
	int16_t rc = GNTST_okay;

	spin_lock(&gt->lock);
	if (a >= nr_grant_entries(gt) || b >= nr_grant_entries(gt))
		rc = GNTST_bad_gntref;
	else if (a != b &&
		 (active_entry(gt, a)->pin || active_entry(gt, b)->pin))
		rc = GNTST_eagain;
	else if (a != b) {
		grant_entry_v1_t t = *shared_entry(gt, a);

		*shared_entry(gt, a) = *shared_entry(gt, b);
		*shared_entry(gt, b) = t;
	}
	spin_unlock(&gt->lock);
	return rc;
}

static long
gnttab_swap_grant_ref(XEN_GUEST_HANDLE_PARAM(gnttab_swap_grant_ref_t) uop,
		      unsigned int count)
{
	struct gnttab_swap_grant_ref op;

	for (unsigned int i = 0; i < count; i++) {
		if (i && hypercall_preempt_check())
			return i;
		if (copy_from_guest(&op, uop, 1))
			return -EFAULT;
		op.status = swap_grant_ref(op.ref_a, op.ref_b);
		if (copy_field_to_guest(uop, &op, status))
			return -EFAULT;
		guest_handle_add_offset(uop, 1);
	}
	return 0;
}

/* ---- HYPERVISOR_grant_table_op ---------------------------------------- */

/*
 * HYPERVISOR_grant_table_op(cmd, uop, count): count operations of kind
 * cmd from the array uop. Batches stop early when they have run long and
 * continue with the rest; each operation reports in its status field,
 * the call itself fails only for a bad command, count or array.
 */
long do_grant_table_op(unsigned int cmd, XEN_GUEST_HANDLE_PARAM(void) uop,
		       unsigned int count)
{
	size_t size = 0;
	long rc;

	if ((int)count < 0 || (cmd & ~GNTTABOP_CMD_MASK))
		return -EINVAL;

	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		size = sizeof(gnttab_map_grant_ref_t);
		break;
	case GNTTABOP_unmap_grant_ref:
		size = sizeof(gnttab_unmap_grant_ref_t);
		break;
	case GNTTABOP_unmap_and_replace:
		size = sizeof(gnttab_unmap_and_replace_t);
		break;
	case GNTTABOP_copy: size = sizeof(gnttab_copy_t); break;
	case GNTTABOP_swap_grant_ref:
		size = sizeof(gnttab_swap_grant_ref_t);
		break;
	default: break;
	}
	if (size && !guest_range_ok(uop.p, (unsigned long)count * size))
		return -EFAULT;

	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		rc = gnttab_map_grant_ref(
			guest_handle_from_arg(gnttab_map_grant_ref_t, uop.p),
			count);
		break;
	case GNTTABOP_unmap_grant_ref:
		rc = gnttab_unmap_grant_ref(
			guest_handle_from_arg(gnttab_unmap_grant_ref_t, uop.p),
			count);
		break;
	case GNTTABOP_unmap_and_replace:
		rc = gnttab_unmap_and_replace(
			guest_handle_from_arg(gnttab_unmap_and_replace_t,
					      uop.p),
			count);
		break;
	case GNTTABOP_copy:
		rc = gnttab_copy(guest_handle_from_arg(gnttab_copy_t, uop.p),
				 count);
		break;
	case GNTTABOP_swap_grant_ref:
		rc = gnttab_swap_grant_ref(
			guest_handle_from_arg(gnttab_swap_grant_ref_t, uop.p),
			count);
		break;
	case GNTTABOP_setup_table:
		rc = gnttab_setup_table(
			guest_handle_from_arg(gnttab_setup_table_t, uop.p),
			count);
		break;
	case GNTTABOP_query_size:
		rc = gnttab_query_size(
			guest_handle_from_arg(gnttab_query_size_t, uop.p),
			count);
		break;
	case GNTTABOP_set_version:
		rc = gnttab_set_version(
			guest_handle_from_arg(gnttab_set_version_t, uop.p));
		break;
	case GNTTABOP_get_version:
		rc = gnttab_get_version(
			guest_handle_from_arg(gnttab_get_version_t, uop.p));
		break;
	case GNTTABOP_get_status_frames:
		rc = gnttab_get_status_frames(
			guest_handle_from_arg(gnttab_get_status_frames_t,
					      uop.p),
			count);
		break;
	default: rc = -ENOSYS; break; /* transfer, cache_flush among them */
	}

	if (rc > 0) {
		/* rc operations done: the rest later, from the next one. */
		unsigned long args[3] = {
			cmd,
			(unsigned long)uop.p + (unsigned long)rc * size,
			count - (unsigned long)rc,
		};

		hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3,
					      args);
		rc = 0;
	}
	return rc;
}
