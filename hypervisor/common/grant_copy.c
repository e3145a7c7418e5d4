/*
 * GNTTABOP_copy: the hypervisor copies bytes between two frames, each
 * named either by a grant reference of some domain (granted to the
 * caller) or by one of the caller's own frames (domain DOMID_SELF). The
 * source is pinned read-only, the destination writable, each for the
 * length of one copy (rules 1-3 at the top of grant_table.c), so the
 * granter sees GTF_reading/GTF_writing while it runs.
 *
 * Checks come in Xen's order, and the first that fails is the status:
 * the domains (a frame of another domain: permission_denied; unknown:
 * bad_domain), the source, the destination (bad_gntref, general_error,
 * bad_page as for a mapping; a destination that cannot be written,
 * general_error), then the bounds (an offset plus the length beyond the
 * page: bad_copy_arg).
 */
#include <hv/grant_table.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/page_type.h>

/* One side of a copy, while it is held. */
struct copy_buf {
	struct domain *d;
	bool is_gref, readonly;
	grant_ref_t ref;
	struct page_info *pg; /* a general reference, once claimed */
	mfn_t mfn;
	bool have_pin, have_type;
};

static int16_t lock_domain(const struct gnttab_copy_ptr *p, bool is_gref,
			   struct copy_buf *b)
{
	/* Only the caller's own frames may be named by frame number. */
	if (p->domid != DOMID_SELF && !is_gref)
		return GNTST_permission_denied;
	b->d = get_domain_by_any_id(p->domid);
	return b->d ? GNTST_okay : GNTST_bad_domain;
}

/* Pin or reference the frame p names, writable unless b->readonly. */
static int16_t claim(const struct gnttab_copy_ptr *p, struct copy_buf *b)
{
	int16_t rc;

	if (b->is_gref) {
		rc = grant_pin(b->d, p->u.ref, current->domain->domain_id,
			       b->readonly ? PIN_HOST_RO : PIN_HOST_RW, false,
			       &b->pg, &b->mfn);
		if (rc)
			return rc;
		b->ref = p->u.ref;
		b->have_pin = true;
	} else {
		mfn_t m = _mfn(p->u.gmfn); /* PV: the caller's gmfn is an mfn */

		if (!mfn_valid(m) || !get_page(mfn_to_page(m), b->d))
			return GNTST_bad_page;
		b->pg = mfn_to_page(m);
		b->mfn = m;
	}
	if (!b->readonly) {
		if (get_page_type(b->pg, PGT_writable_page))
			return GNTST_general_error;
		b->have_type = true;
	}
	return GNTST_okay;
}

/* Undo claim() and lock_domain(), as far as they got. */
static void release(struct copy_buf *b)
{
	if (b->have_type)
		put_page_type(b->pg);
	if (b->pg)
		put_page(b->pg);
	if (b->have_pin)
		grant_unpin(b->d, b->ref,
			    b->readonly ? PIN_HOST_RO : PIN_HOST_RW);
	if (b->d)
		put_domain(b->d);
}

static int16_t copy_one(const struct gnttab_copy *op)
{
	struct copy_buf src = {.is_gref = op->flags & GNTCOPY_source_gref,
			       .readonly = true};
	struct copy_buf dst = {.is_gref = op->flags & GNTCOPY_dest_gref};
	int16_t rc;

	rc = lock_domain(&op->source, src.is_gref, &src);
	if (!rc)
		rc = lock_domain(&op->dest, dst.is_gref, &dst);
	if (!rc)
		rc = claim(&op->source, &src);
	if (!rc)
		rc = claim(&op->dest, &dst);
	if (!rc && (op->source.offset + op->len > PAGE_SIZE ||
		    op->dest.offset + op->len > PAGE_SIZE))
		rc = GNTST_bad_copy_arg;
	if (!rc)
		memcpy((char *)mfn_to_virt(dst.mfn) + op->dest.offset,
		       (const char *)mfn_to_virt(src.mfn) + op->source.offset,
		       op->len);
	release(&dst);
	release(&src);
	return rc;
}

/* GNTTABOP_copy: count copies; how many were done if preempted. */
long gnttab_copy(XEN_GUEST_HANDLE_PARAM(gnttab_copy_t) uop, unsigned int count)
{
	struct gnttab_copy op;

	for (unsigned int i = 0; i < count; i++) {
		if (i && hypercall_preempt_check())
			return i;
		if (copy_from_guest(&op, uop, 1))
			return -EFAULT;
		op.status = copy_one(&op);
		if (copy_field_to_guest(uop, &op, status))
			return -EFAULT;
		guest_handle_add_offset(uop, 1);
	}
	return 0;
}
