/*
 * The MMU hypercalls of PV guests: mmu_update (write page-table entries
 * and M2P entries), mmuext_op (pin and unpin tables, switch top-level
 * tables, flush TLBs) and update_va_mapping (write the L1 entry of a
 * virtual address). Every change goes through the page-type rules of
 * page_type.c; this file only decodes requests, finds the table to
 * change and takes the references that keep it stable meanwhile.
 *
 * Batches are preemptible: a long mmu_update or mmuext_op leaves a
 * continuation with the remaining count (MMU_UPDATE_PREEMPTED set) and
 * reports progress through pdone as it goes. As in Xen, a request list
 * outside guest space is refused (-EFAULT) before anything is done, and
 * a pdone that cannot be written does not change the result: the
 * requests were made, and their outcome is what the call returns.
 */
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <asm/page_type.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

/* A continued batch: the remaining count carries this bit (as in Xen). */
#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))

/* The domain whose frames a request maps: the caller, or (for dom0) the
 * domain named by foreigndom, with a reference that put_pg_owner()
 * drops. NULL with *rc set when not allowed. */
static struct domain *get_pg_owner(unsigned int foreigndom, long *rc)
{
	struct domain *curr = current->domain, *d;

	if (foreigndom == DOMID_SELF || foreigndom == curr->domain_id)
		return curr;
	if (!curr->is_privileged) {
		*rc = -EPERM;
		return NULL;
	}
	d = get_domain_by_id((domid_t)foreigndom);
	if (!d)
		*rc = -ESRCH;
	return d;
}

static void put_pg_owner(struct domain *d)
{
	if (d != current->domain)
		put_domain(d);
}

static int update_table_entry(struct page_info *pg, unsigned long offset,
			      pte_t val, struct domain *pt_owner,
			      struct domain *pg_owner, bool preserve_ad)
{
	mfn_t m = page_to_mfn(pg);
	pte_t *p = (pte_t *)((char *)mfn_to_virt(m) + offset);
	unsigned long type = page_type(pg);
	int rc;

	switch (type) {
	case PGT_l1_page_table:
	case PGT_l2_page_table:
	case PGT_l3_page_table:
	case PGT_l4_page_table:
		/* A type reference keeps the table validated meanwhile. */
		rc = get_page_type(pg, type);
		if (rc)
			return rc;
		if (type == PGT_l1_page_table)
			rc = mod_l1_entry(p, val, m, pt_owner, pg_owner,
					  preserve_ad);
		else if (type == PGT_l2_page_table)
			rc = mod_l2_entry(p, val, m, pt_owner, preserve_ad);
		else if (type == PGT_l3_page_table)
			rc = mod_l3_entry(p, val, m, pt_owner, preserve_ad);
		else
			rc = mod_l4_entry(p, val, m, pt_owner, preserve_ad);
		put_page_type(pg);
		return rc;
	default:
		/* Not a page table: an ordinary write, if it may be written. */
		rc = get_page_type(pg, PGT_writable_page);
		if (rc)
			return rc;
		WRITE_ONCE(*p, val);
		put_page_type(pg);
		return 0;
	}
}

static int mmu_update_one(const struct mmu_update *req, struct domain *pg_owner)
{
	struct domain *d = current->domain;
	unsigned int cmd = req->ptr & 7;
	uint64_t ptr = req->ptr - cmd;
	mfn_t m = _mfn(ptr >> PAGE_SHIFT);
	struct page_info *pg;
	int rc;

	if (!mfn_valid(m))
		return -EINVAL;
	pg = mfn_to_page(m);
	switch (cmd) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_NO_TRANSLATE: /* a PV guest's frames are machine's */
	case MMU_PT_UPDATE_PRESERVE_AD:
		if (!get_page(pg, d))
			return -EINVAL;
		rc = update_table_entry(pg, ptr & (PAGE_SIZE - 1), req->val, d,
					pg_owner,
					cmd == MMU_PT_UPDATE_PRESERVE_AD);
		put_page(pg);
		return rc;
	case MMU_MACHPHYS_UPDATE:
		if (!get_page(pg, pg_owner))
			return -EINVAL;
		set_gpfn_from_mfn(m, req->val);
		put_page(pg);
		return 0;
	default: return -ENOSYS;
	}
}

/* One request of a batch, already copied from the guest. */
typedef int (*batch_op_fn)(const void *req, struct domain *pg_owner);

/*
 * Apply count requests of size bytes each from the guest array reqs with
 * op, for mmu_update and mmuext_op alike: *pdone (if given) receives how
 * many succeeded, counting those of earlier continuations; a long batch
 * continues later as hypercall nr with the rest of the array.
 */
static long run_batch(unsigned int nr, const void *reqs, size_t size,
		      unsigned int count, uint32_t *pdone,
		      unsigned int foreigndom, batch_op_fn op)
{
	union {
		struct mmu_update u;
		struct mmuext_op e;
	} req;
	unsigned int done = 0, i;
	struct domain *pg_owner;
	long rc = 0;

	ASSERT(size <= sizeof(req));
	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~MMU_UPDATE_PREEMPTED;
		if (pdone)
			(void)copy_from_guest_raw(&done, pdone, sizeof(done));
	}
	if (!guest_range_ok(reqs, (size_t)count * size))
		return -EFAULT;
	pg_owner = get_pg_owner(foreigndom, &rc);
	if (!pg_owner)
		return rc;

	for (i = 0; i < count; i++) {
		const char *r = (const char *)reqs + (size_t)i * size;

		if (i && hypercall_preempt_check()) {
			unsigned long args[4] = {
				(unsigned long)r,
				(count - i) | MMU_UPDATE_PREEMPTED,
				(unsigned long)pdone,
				foreigndom,
			};

			done += i;
			if (pdone)
				(void)copy_to_guest_raw(pdone, &done,
							sizeof(done));
			hypercall_create_continuation(nr, 4, args);
			put_pg_owner(pg_owner);
			return 0;
		}
		if (copy_from_guest_raw(&req, r, size)) {
			rc = -EFAULT;
			break;
		}
		rc = op(&req, pg_owner);
		if (rc)
			break;
	}
	done += i;
	if (pdone)
		(void)copy_to_guest_raw(pdone, &done, sizeof(done));
	put_pg_owner(pg_owner);
	return rc;
}

static int mmu_update_req(const void *req, struct domain *pg_owner)
{
	return mmu_update_one(req, pg_owner);
}

/*
 * HYPERVISOR_mmu_update(reqs, count, pdone, foreigndom): apply count
 * requests; *pdone (if given) receives how many succeeded.
 */
long do_mmu_update(XEN_GUEST_HANDLE_PARAM(mmu_update_t) ureqs,
		   unsigned int count, XEN_GUEST_HANDLE_PARAM(uint) pdone,
		   unsigned int foreigndom)
{
	return run_batch(__HYPERVISOR_mmu_update, ureqs.p, sizeof(*ureqs.p),
			 count, pdone.p, foreigndom, mmu_update_req);
}

/* Make mfn the vCPU's kernel L4 (MMUEXT_NEW_BASEPTR, mov to %cr3). */
int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn)
{
	mfn_t old = v->arch.guest_table;
	int rc;

	if (!mfn_valid(mfn))
		return -EINVAL;
	rc = get_page_and_type(mfn_to_page(mfn), v->domain, PGT_l4_page_table);
	if (rc)
		return rc;
	v->arch.guest_table = mfn;
	if (guest_kernel_mode(v) && v == current)
		write_guest_cr3(v);
	if (mfn_x(old) != INVALID_MFN_RAW)
		put_page_and_type(mfn_to_page(old));
	return 0;
}

static int new_user_baseptr(struct vcpu *v, mfn_t mfn)
{
	mfn_t old = v->arch.guest_table_user;
	int rc;

	if (mfn_x(mfn) == 0) {
		v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
	} else {
		if (!mfn_valid(mfn))
			return -EINVAL;
		rc = get_page_and_type(mfn_to_page(mfn), v->domain,
				       PGT_l4_page_table);
		if (rc)
			return rc;
		v->arch.guest_table_user = mfn;
	}
	if (!guest_kernel_mode(v) && v == current)
		write_guest_cr3(v);
	if (mfn_x(old) != INVALID_MFN_RAW)
		put_page_and_type(mfn_to_page(old));
	return 0;
}

static int pin_table(mfn_t mfn, unsigned long type, struct domain *owner)
{
	struct page_info *pg;
	int rc;

	if (!mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	rc = get_page_and_type(pg, owner, type);
	if (rc)
		return rc;
	if (__atomic_fetch_or(&pg->u.inuse.type_info, PGT_pinned,
			      __ATOMIC_SEQ_CST) &
	    PGT_pinned) {
		put_page_and_type(pg); /* already pinned */
		return -EINVAL;
	}
	return 0;
}

static int unpin_table(mfn_t mfn, struct domain *owner)
{
	struct page_info *pg;

	if (!mfn_valid(mfn))
		return -EINVAL;
	pg = mfn_to_page(mfn);
	if (!get_page(pg, owner))
		return -EINVAL;
	if (!(__atomic_fetch_and(&pg->u.inuse.type_info, ~PGT_pinned,
				 __ATOMIC_SEQ_CST) &
	      PGT_pinned)) {
		put_page(pg);
		return -EINVAL;
	}
	put_page_and_type(pg);
	put_page(pg);
	return 0;
}

/*
 * Read the guest's vCPU bitmap of a *_MULTI flush or of update_va_mapping
 * (one unsigned long per 64 vCPUs); -EFAULT if it cannot be read. The
 * flush itself covers every vCPU as the _ALL variants do, but the mask is
 * read as in Xen, so that a bad pointer is refused.
 */
/* Whom a guest's flush request names. */
enum flush_target { FLUSH_LOCAL, FLUSH_ALL, FLUSH_VCPUS };

/*
 * The CPUs a guest's flush request reaches: this one, every CPU running
 * the domain, or those running the vCPUs of the guest bitmap at mask
 * (-EFAULT if it cannot be read).
 */
static int flush_cpus(const struct domain *d, enum flush_target t,
		      const unsigned long *mask, cpumask_t *cpus)
{
	cpumask_t self = 1UL << smp_processor_id();
	cpumask_t running = READ_ONCE(d->dirty_cpumask) | self;
	unsigned long word = 0;

	*cpus = t == FLUSH_LOCAL ? self : running;
	if (t != FLUSH_VCPUS)
		return 0;
	*cpus = 0;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *w = d->vcpu[i];

		if (i % 64 == 0 &&
		    copy_from_guest_raw(&word, mask + i / 64, sizeof(word)))
			return -EFAULT;
		if (w && ((word >> (i % 64)) & 1))
			*cpus |= 1UL << READ_ONCE(w->processor);
	}
	*cpus &= running;
	return 0;
}

/*
 * Flush the current guest's translations of va (or all of them) from the
 * TLBs of cpus: here by invlpg or a CR3 reload, elsewhere by shootdown.
 */
static void guest_tlb_flush(cpumask_t cpus, bool all, unsigned long va)
{
	cpumask_t self = 1UL << smp_processor_id();

	if (cpus & self) {
		if (all)
			write_guest_cr3(current);
		else if (guest_range_ok((void *)va, 1))
			invlpg((void *)va);
	}
	if (cpus & ~self)
		flush_tlb_mask(cpus & ~self);
}

/* The MMUEXT TLB operations. */
static int mmuext_flush(const struct mmuext_op *op)
{
	const struct domain *d = current->domain;
	bool all = op->cmd == MMUEXT_TLB_FLUSH_LOCAL ||
		   op->cmd == MMUEXT_TLB_FLUSH_MULTI ||
		   op->cmd == MMUEXT_TLB_FLUSH_ALL;
	enum flush_target t = FLUSH_ALL;
	cpumask_t cpus;

	if (op->cmd == MMUEXT_TLB_FLUSH_LOCAL || op->cmd == MMUEXT_INVLPG_LOCAL)
		t = FLUSH_LOCAL;
	else if (op->cmd == MMUEXT_TLB_FLUSH_MULTI ||
		 op->cmd == MMUEXT_INVLPG_MULTI)
		t = FLUSH_VCPUS;
	if (flush_cpus(d, t, op->arg2.vcpumask.p, &cpus))
		return -EINVAL; /* Xen's answer to an unreadable mask */
	guest_tlb_flush(cpus, all, op->arg1.linear_addr);
	return 0;
}

static int copy_or_clear_page(mfn_t dst, mfn_t src, bool copy)
{
	struct domain *d = current->domain;
	struct page_info *dpg, *spg = NULL;
	int rc;

	if (!mfn_valid(dst) || (copy && !mfn_valid(src)))
		return -EINVAL;
	dpg = mfn_to_page(dst);
	rc = get_page_and_type(dpg, d, PGT_writable_page);
	if (rc)
		return rc;
	if (copy) {
		spg = mfn_to_page(src);
		if (!get_page(spg, d)) {
			put_page_and_type(dpg);
			return -EINVAL;
		}
		memcpy(mfn_to_virt(dst), mfn_to_virt(src), PAGE_SIZE);
		put_page(spg);
	} else {
		memset(mfn_to_virt(dst), 0, PAGE_SIZE);
	}
	put_page_and_type(dpg);
	return 0;
}

static int mmuext_one(const struct mmuext_op *op, struct domain *pg_owner)
{
	struct vcpu *v = current;
	static const unsigned long pin_types[] = {
		[MMUEXT_PIN_L1_TABLE] = PGT_l1_page_table,
		[MMUEXT_PIN_L2_TABLE] = PGT_l2_page_table,
		[MMUEXT_PIN_L3_TABLE] = PGT_l3_page_table,
		[MMUEXT_PIN_L4_TABLE] = PGT_l4_page_table,
	};

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return pin_table(_mfn(op->arg1.mfn), pin_types[op->cmd],
				 pg_owner);
	case MMUEXT_UNPIN_TABLE:
		return unpin_table(_mfn(op->arg1.mfn), pg_owner);
	case MMUEXT_NEW_BASEPTR: return pv_new_guest_cr3(v, _mfn(op->arg1.mfn));
	case MMUEXT_NEW_USER_BASEPTR:
		return new_user_baseptr(v, _mfn(op->arg1.mfn));
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL: return mmuext_flush(op);
	case MMUEXT_FLUSH_CACHE:
		if (!v->domain->arch.iomem_allowed)
			return -EACCES;
		__asm__ __volatile__("wbinvd" ::: "memory");
		return 0;
	case MMUEXT_CLEAR_PAGE:
		return copy_or_clear_page(_mfn(op->arg1.mfn), _mfn(0), false);
	case MMUEXT_COPY_PAGE:
		return copy_or_clear_page(_mfn(op->arg1.mfn),
					  _mfn(op->arg2.src_mfn), true);
	default: return -ENOSYS;
	}
}

static int mmuext_req(const void *req, struct domain *pg_owner)
{
	return mmuext_one(req, pg_owner);
}

/*
 * HYPERVISOR_mmuext_op(ops, count, pdone, foreigndom): apply count
 * extended MMU operations; *pdone receives how many succeeded.
 */
long do_mmuext_op(XEN_GUEST_HANDLE_PARAM(mmuext_op_t) uops, unsigned int count,
		  XEN_GUEST_HANDLE_PARAM(uint) pdone, unsigned int foreigndom)
{
	return run_batch(__HYPERVISOR_mmuext_op, uops.p, sizeof(*uops.p), count,
			 pdone.p, foreigndom, mmuext_req);
}

/*
 * The L1 table mapping guest address va in v's current kernel tables,
 * with a general and a type reference; NULL if there is none.
 */
struct page_info *get_l1_of(struct vcpu *v, unsigned long va)
{
	mfn_t m = v->arch.guest_table;
	unsigned int idx[3] = {l4_index(va), l3_index(va), l2_index(va)};
	struct page_info *pg;

	if (mfn_x(m) == INVALID_MFN_RAW)
		return NULL;
	for (unsigned int lvl = 0; lvl < 3; lvl++) {
		pte_t e = ((pte_t *)mfn_to_virt(m))[idx[lvl]];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return NULL;
		m = pte_mfn(e);
		if (!mfn_valid(m))
			return NULL;
	}
	pg = mfn_to_page(m);
	if (get_page_and_type(pg, v->domain, PGT_l1_page_table))
		return NULL;
	return pg;
}

static long update_va_mapping(unsigned long va, uint64_t val,
			      unsigned long flags, struct domain *pg_owner)
{
	struct vcpu *v = current;
	struct page_info *l1;
	unsigned long vcpus = flags & ~UVMF_FLUSHTYPE_MASK;
	enum flush_target t = vcpus == UVMF_LOCAL ? FLUSH_LOCAL
			      : vcpus == UVMF_ALL ? FLUSH_ALL
						  : FLUSH_VCPUS;
	cpumask_t cpus;
	pte_t *pl1e;
	long rc;

	if (!guest_range_ok((void *)va, 1))
		return -EINVAL;
	l1 = get_l1_of(v, va);
	if (!l1)
		return -EINVAL;
	pl1e = (pte_t *)mfn_to_virt(page_to_mfn(l1)) + l1_index(va);
	rc = mod_l1_entry(pl1e, val, page_to_mfn(l1), v->domain, pg_owner,
			  false);
	put_page_and_type(l1);
	if (rc)
		return rc;

	/*
	 * Above the flush type, flags name the vCPUs to flush: UVMF_LOCAL,
	 * UVMF_ALL, or the address of a vCPU bitmap. Flush type 3 is no
	 * flush at all (Xen makes the update and flushes nothing).
	 */
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
	case UVMF_INVLPG:
		if (flush_cpus(v->domain, t, (const unsigned long *)vcpus,
			       &cpus))
			return -EFAULT; /* the entry is written all the same */
		guest_tlb_flush(cpus,
				(flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH,
				va);
		break;
	default: break;
	}
	return 0;
}

/* HYPERVISOR_update_va_mapping(va, val, flags): rewrite va's L1 entry. */
long do_update_va_mapping(unsigned long va, uint64_t val, unsigned long flags)
{
	return update_va_mapping(va, val, flags, current->domain);
}

/* HYPERVISOR_update_va_mapping_otherdomain: map a frame of domid (dom0). */
long do_update_va_mapping_otherdomain(unsigned long va, uint64_t val,
				      unsigned long flags, domid_t domid)
{
	long rc = 0;
	struct domain *d = get_pg_owner(domid, &rc);

	if (!d)
		return rc;
	rc = update_va_mapping(va, val, flags, d);
	put_pg_owner(d);
	return rc;
}
