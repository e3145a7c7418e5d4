/*
 * Page types: how Paravane lets a PV guest write its own page tables and
 * still never reach memory it does not own.
 *
 * Every frame has a type (u.inuse.type_info): none, L1..L4 page table,
 * segment-descriptor page, or writable. The type is held by a type
 * count, and each type reference also holds a general reference
 * (count_info). The rules, each enforced here and each exercised by a
 * conformance test:
 *
 *  1. A frame changes type only when its type count is zero. So a frame
 *     in use as a page table (or GDT) can never be mapped writable, and a
 *     frame mapped writable anywhere can never become a page table.
 *  2. A page-table type is taken only after validation: every present
 *     entry of the table is checked and takes its own references (below);
 *     a table whose validation fails gets no type. Dropping the last type
 *     reference of a table drops the references of all its entries.
 *  3. An L1 entry maps a frame the guest owns (a general reference; a
 *     writable mapping also takes a writable type reference), or, for a
 *     domain with I/O rights (dom0), a frame that is not RAM and not one
 *     of the hypervisor's devices. Free frames, other domains' frames and
 *     the hypervisor's frames are refused (-EBUSY); I/O frames without
 *     rights, and frames beyond the physical address width, are refused
 *     (-EPERM).
 *  4. An Ln entry (n > 1) points at a frame of type L(n-1) owned by the
 *     same domain. The one exception is a linear (recursive) entry: a
 *     read-only entry pointing at the table that holds it. A writable
 *     self-reference, or a linear entry to another table, is refused.
 *  5. Flags outside the guest-settable set are refused (-EINVAL):
 *     superpages, global bits above L1, reserved bits; cache attributes
 *     in L1 only for domains with I/O rights.
 *  6. L4 slots 256-271 belong to the hypervisor: validation fills them with
 *     the hypervisor's entries and no guest update may touch them.
 *  7. Whenever a frame changes type, TLBs are flushed, so no stale
 *     translation survives a page table becoming writable (or the
 *     reverse).
 *  8. An L1 entry with _PAGE_GNTTAB was written by a grant map
 *     (arch/x86/pv/grant_map.c) and maps another domain's (or the
 *     domain's own) granted frame; its references were taken by the grant
 *     code and are dropped when the entry goes. Only unmap_grant_ref may
 *     remove it. A guest cannot write the bit (-EINVAL); an update that
 *     keeps the entry's frame and access keeps the bit; any other change
 *     of such an entry - an update, or the end of its table - while the
 *     domain is alive is an implicit unmap, and crashes the domain.
 *     (Dying, its tables go and so do the entries, quietly.) This is what
 *     Xen's debug builds do; its release builds (Debian's among them)
 *     define the bit as 0, let guests use bit 62 and let implicit unmaps
 *     through, the references going with the entry all the same.
 *
 * The type count is updated with compare-and-exchange. A count above zero
 * without PGT_validated means "being validated (or devalidated) by someone
 * else": other CPUs wait for it to settle.
 */
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/cpufeature.h>
#include <asm/memlayout.h>
#include <asm/page_type.h>
#include <asm/paging.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define CACHE_ATTRS (_PAGE_PWT | _PAGE_PCD | _PAGE_PSE /* PAT in an L1 */)
#define HIGH_AVAIL (0x7ffUL << 52) /* software bits 52-62 */
#define GUEST_FLAGS                                                            \
	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED |              \
	 _PAGE_DIRTY | _PAGE_AVAIL0 | _PAGE_AVAIL1 | _PAGE_AVAIL2 |            \
	 HIGH_AVAIL | _PAGE_NX)
#define L1_ALLOWED                                                             \
	((GUEST_FLAGS | _PAGE_GLOBAL | PTE_ADDR_MASK) & ~_PAGE_GNTTAB)
#define LN_ALLOWED (GUEST_FLAGS | PTE_ADDR_MASK)

/* Frames of local APIC and IO-APIC registers: never mapped by guests. */
#define APIC_MMIO_FIRST 0xfec00UL
#define APIC_MMIO_LAST 0xfeeffUL

/* Whether an L4 slot is the guest's (not one of the hypervisor's). */
bool is_guest_l4_slot(unsigned int slot)
{
	return slot < HYPERVISOR_FIRST_SLOT || slot > HYPERVISOR_LAST_SLOT;
}

/*
 * A reference held by a mapping was dropped on this CPU: the guest must
 * not keep using a cached translation to the frame once it returns, since
 * the frame may be freed and handed to someone else.
 */
static bool tlb_flush_owed[NR_CPUS];

static void owe_tlb_flush(void)
{
	tlb_flush_owed[smp_processor_id()] = true;
}

/* Before returning to a guest: flush if a mapping's reference went. */
void pv_pay_owed_tlb_flush(void)
{
	unsigned int cpu = smp_processor_id();

	if (tlb_flush_owed[cpu]) {
		tlb_flush_owed[cpu] = false;
		flush_tlb_mask(current->domain->dirty_cpumask);
	}
}

/* Flush every CPU that may hold translations through a retyped frame. */
void flush_tlb_for_type_change(void)
{
	flush_tlb_mask(cpu_online_map);
}

static unsigned long l1_disallowed(const struct domain *d)
{
	unsigned long allowed = L1_ALLOWED;

	if (d->arch.iomem_allowed)
		allowed |= CACHE_ATTRS;
	return ~allowed;
}

/* ---- L1 entries -------------------------------------------------------- */

static int get_page_from_l1e(pte_t e, struct domain *l1e_owner,
			     struct domain *pg_owner)
{
	mfn_t mfn = pte_mfn(e);
	struct page_info *pg;

	if (!(e & _PAGE_PRESENT))
		return 0;
	if (e & l1_disallowed(l1e_owner))
		return -EINVAL;

	/* Xen's codes: all address bits set is no frame at all (-EINVAL);
	 * beyond the address width is I/O space no domain may map. */
	if (mfn_x(mfn) == PTE_ADDR_MASK >> PAGE_SHIFT)
		return -EINVAL;
	if (mfn_x(mfn) >> (boot_cpu.phys_addr_bits - PAGE_SHIFT))
		return -EPERM;
	if (!page_is_ram(mfn)) {
		if (!pg_owner->arch.iomem_allowed)
			return -EPERM;
		if (mfn_x(mfn) >= APIC_MMIO_FIRST &&
		    mfn_x(mfn) <= APIC_MMIO_LAST)
			return -EPERM;
		return 0; /* device memory carries no reference */
	}

	pg = mfn_to_page(mfn);
	if (!get_page(pg, pg_owner))
		return -EBUSY;
	if ((e & _PAGE_RW) && get_page_type(pg, PGT_writable_page)) {
		put_page(pg);
		return -EBUSY;
	}
	return 0;
}

/*
 * Drop the references of L1 entry e of a table owned by l1e_owner, which
 * is crashed if e was a grant mapping and it is alive (rule 8).
 */
void put_page_from_l1e(pte_t e, struct domain *l1e_owner)
{
	mfn_t mfn = pte_mfn(e);

	if (!(e & _PAGE_PRESENT))
		return;
	if ((e & _PAGE_GNTTAB) && !l1e_owner->is_shutting_down &&
	    !l1e_owner->is_dying)
		domain_crash(l1e_owner,
			     "implicit unmap of a granted frame "
			     "(entry %#lx)",
			     (unsigned long)e);
	owe_tlb_flush();
	if (!page_is_ram(mfn))
		return;
	if (e & _PAGE_RW)
		put_page_and_type(mfn_to_page(mfn));
	else
		put_page(mfn_to_page(mfn));
}

/* Guest kernels run in ring 3: every guest mapping is a user mapping. */
static pte_t adjust_guest_l1e(pte_t e)
{
	if (e & _PAGE_PRESENT)
		e = (e | _PAGE_USER) & ~_PAGE_GLOBAL;
	return e;
}

static pte_t adjust_guest_lne(pte_t e)
{
	return (e & _PAGE_PRESENT) ? (e | _PAGE_USER) : e;
}

/* ---- L2-L4 entries ----------------------------------------------------- */

static const unsigned long lower_type[5] = {
	[2] = PGT_l1_page_table,
	[3] = PGT_l2_page_table,
	[4] = PGT_l3_page_table,
};

/* A level-lvl entry of table tmfn: takes references on what it names. */
static int get_page_from_lne(pte_t e, unsigned int lvl, mfn_t tmfn,
			     struct domain *d)
{
	mfn_t mfn = pte_mfn(e);

	if (!(e & _PAGE_PRESENT))
		return 0;
	if (e & ~LN_ALLOWED)
		return -EINVAL;
	if (mfn_eq(mfn, tmfn)) {
		/* A linear (recursive) entry: read-only, no reference. */
		return (e & _PAGE_RW) ? -EINVAL : 0;
	}
	if (!mfn_valid(mfn))
		return -EINVAL;
	/* A lower table that fails validation: its bad entry's error. */
	return get_page_and_type(mfn_to_page(mfn), d, lower_type[lvl]);
}

static void put_page_from_lne(pte_t e, mfn_t tmfn)
{
	if (!(e & _PAGE_PRESENT))
		return;
	owe_tlb_flush();
	if (!mfn_eq(pte_mfn(e), tmfn))
		put_page_and_type(mfn_to_page(pte_mfn(e)));
}

/* The hypervisor's L4 entries, copied into a guest's top-level table. */
void write_hv_l4_slots(pte_t *l4, const struct domain *d)
{
	for (unsigned int s = HYPERVISOR_FIRST_SLOT; s <= HYPERVISOR_LAST_SLOT;
	     s++)
		l4[s] = idle_l4[s];
	if (d->arch.perdomain_l3)
		l4[l4_slot(PERDOMAIN_VIRT_START)] = pte_from_mfn(
			virt_to_mfn(d->arch.perdomain_l3), PAGE_HV_TABLE);
}

/* ---- Validating and devalidating whole tables -------------------------- */

static unsigned int table_level(unsigned long type)
{
	return (unsigned int)(type >> PGT_type_shift);
}

static bool entry_is_guest(unsigned int lvl, unsigned int i)
{
	return lvl != 4 || is_guest_l4_slot(i);
}

static void release_entries(pte_t *t, unsigned int lvl, mfn_t tmfn,
			    unsigned int upto, struct domain *owner)
{
	for (unsigned int i = 0; i < upto; i++) {
		if (!entry_is_guest(lvl, i))
			continue;
		if (lvl == 1)
			put_page_from_l1e(t[i], owner);
		else
			put_page_from_lne(t[i], tmfn);
	}
}

static int validate_table(struct page_info *pg, unsigned long type)
{
	struct domain *d = pg->owner;
	unsigned int lvl = table_level(type);
	mfn_t tmfn = page_to_mfn(pg);
	pte_t *t = mfn_to_virt(tmfn);
	int rc = 0;
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		if (!entry_is_guest(lvl, i))
			continue;
		if (lvl == 1) {
			rc = get_page_from_l1e(t[i], d, d);
			if (!rc)
				t[i] = adjust_guest_l1e(t[i]);
		} else {
			rc = get_page_from_lne(t[i], lvl, tmfn, d);
			if (!rc)
				t[i] = adjust_guest_lne(t[i]);
		}
		if (rc)
			break;
	}
	if (rc) {
		release_entries(t, lvl, tmfn, i, d);
		return rc;
	}
	if (lvl == 4)
		write_hv_l4_slots(t, d);
	return 0;
}

static int validate_page(struct page_info *pg, unsigned long type)
{
	if (type == PGT_seg_desc_page)
		return validate_segdesc_page(pg);
	return validate_table(pg, type);
}

static void devalidate_page(struct page_info *pg, unsigned long type)
{
	if (type >= PGT_l1_page_table && type <= PGT_l4_page_table)
		release_entries(mfn_to_virt(page_to_mfn(pg)), table_level(type),
				page_to_mfn(pg), PT_ENTRIES, pg->owner);
}

static bool needs_validation(unsigned long type)
{
	return type != PGT_writable_page && type != PGT_none;
}

/*
 * Take a type reference of the given type. Fails (-EINVAL) if the frame
 * holds another type, or (any error of validation) if the frame does not
 * validate as that type. The caller holds a general reference.
 */
int get_page_type(struct page_info *pg, unsigned long type)
{
	unsigned long x, nx, y = READ_ONCE(pg->u.inuse.type_info);
	bool flush;
	int rc;

again:
	do {
		x = y;
		nx = x + 1;
		flush = false;
		if ((nx & PGT_count_mask) == 0)
			return -EINVAL; /* count would overflow */
		if ((x & PGT_count_mask) == 0) {
			if ((x & PGT_type_mask) != type ||
			    !(x & PGT_validated)) {
				flush = (x & PGT_type_mask) != type &&
					(x & PGT_type_mask) != PGT_none;
				nx = type | 1;
				if (!needs_validation(type))
					nx |= PGT_validated;
			}
		} else {
			if ((x & PGT_type_mask) != type)
				return -EINVAL;
			if (!(x & PGT_validated)) {
				/* Someone else is (de)validating: wait. */
				while ((y = READ_ONCE(pg->u.inuse.type_info)) ==
				       x)
					cpu_relax();
				goto again;
			}
		}
	} while ((y = __sync_val_compare_and_swap(&pg->u.inuse.type_info, x,
						  nx)) != x);

	if (flush)
		flush_tlb_for_type_change();
	if (!(nx & PGT_validated)) {
		rc = validate_page(pg, type);
		if (rc) {
			/* Nobody else can hold a reference yet. */
			WRITE_ONCE(pg->u.inuse.type_info, PGT_none);
			return rc;
		}
		__atomic_fetch_or(&pg->u.inuse.type_info, PGT_validated,
				  __ATOMIC_RELEASE);
	}
	return 0;
}

/* Drop a type reference; the last one of a table devalidates it. */
void put_page_type(struct page_info *pg)
{
	unsigned long x, nx, y = READ_ONCE(pg->u.inuse.type_info);

	for (;;) {
		x = y;
		ASSERT((x & PGT_count_mask) != 0);
		nx = x - 1;
		if ((nx & PGT_count_mask) == 0 && (x & PGT_validated) &&
		    needs_validation(x & PGT_type_mask)) {
			/* Hold the last reference, unvalidated, while the
			 * entries' references are dropped. */
			y = __sync_val_compare_and_swap(&pg->u.inuse.type_info,
							x, x & ~PGT_validated);
			if (y != x)
				continue;
			devalidate_page(pg, x & PGT_type_mask);
			x &= ~PGT_validated;
			nx &= ~(PGT_validated | PGT_pinned);
			WRITE_ONCE(pg->u.inuse.type_info, nx);
			return;
		}
		if ((nx & PGT_count_mask) == 0)
			nx &= ~PGT_pinned;
		y = __sync_val_compare_and_swap(&pg->u.inuse.type_info, x, nx);
		if (y == x)
			return;
	}
}

/* A general and a type reference together; -EINVAL if either fails. */
int get_page_and_type(struct page_info *pg, struct domain *d,
		      unsigned long type)
{
	int rc;

	if (!get_page(pg, d))
		return -EINVAL;
	rc = get_page_type(pg, type);
	if (rc)
		put_page(pg);
	return rc;
}

/* Drop what get_page_and_type() took. */
void put_page_and_type(struct page_info *pg)
{
	put_page_type(pg);
	put_page(pg);
}

/* ---- Updating one entry of a validated table --------------------------- */

/* Store nl at *p if *p still equals *ol; refresh *ol otherwise. */
static bool update_entry(pte_t *p, pte_t *ol, pte_t nl, bool preserve_ad)
{
	pte_t want = preserve_ad ? nl | (*ol & (_PAGE_ACCESSED | _PAGE_DIRTY))
				 : nl;
	pte_t seen = __sync_val_compare_and_swap(p, *ol, want);

	if (seen == *ol)
		return true;
	*ol = seen;
	return false;
}

/*
 * Replace the entry at pl1e (in validated L1 l1mfn of pt_owner) with
 * nl1e, mapping a frame of pg_owner. The new entry's references are taken
 * before the old one's are dropped.
 */
int mod_l1_entry(pte_t *pl1e, pte_t nl1e, mfn_t l1mfn, struct domain *pt_owner,
		 struct domain *pg_owner, bool preserve_ad)
{
	pte_t ol1e = READ_ONCE(*pl1e);
	int rc;

	(void)l1mfn;
	if (nl1e & _PAGE_PRESENT) {
		if (nl1e & l1_disallowed(pt_owner))
			return -EINVAL;
		nl1e = adjust_guest_l1e(nl1e);
		/* Same frame, same access: no references change (and a
		 * grant mapping stays one, rule 8). */
		if ((ol1e & _PAGE_PRESENT) &&
		    mfn_eq(pte_mfn(ol1e), pte_mfn(nl1e)) &&
		    !((ol1e ^ nl1e) & (_PAGE_RW | CACHE_ATTRS))) {
			while (!update_entry(pl1e, &ol1e,
					     nl1e | (ol1e & _PAGE_GNTTAB),
					     preserve_ad))
				;
			return 0;
		}
		rc = get_page_from_l1e(nl1e, pt_owner, pg_owner);
		if (rc)
			return rc;
	}
	while (!update_entry(pl1e, &ol1e, nl1e, preserve_ad))
		;
	put_page_from_l1e(ol1e, pt_owner);
	return 0;
}

static int mod_lN_entry(pte_t *p, pte_t nl, unsigned int lvl, mfn_t tmfn,
			struct domain *d, bool preserve_ad)
{
	pte_t ol = READ_ONCE(*p);
	int rc;

	if (nl & _PAGE_PRESENT) {
		if (nl & ~LN_ALLOWED)
			return -EINVAL;
		nl = adjust_guest_lne(nl);
		if ((ol & _PAGE_PRESENT) && mfn_eq(pte_mfn(ol), pte_mfn(nl)) &&
		    !((ol ^ nl) & _PAGE_RW)) {
			while (!update_entry(p, &ol, nl, preserve_ad))
				;
			return 0;
		}
		rc = get_page_from_lne(nl, lvl, tmfn, d);
		if (rc)
			return rc;
	}
	while (!update_entry(p, &ol, nl, preserve_ad))
		;
	put_page_from_lne(ol, tmfn);
	return 0;
}

/* Replace an entry of a validated L2 table (see mod_l1_entry). */
int mod_l2_entry(pte_t *pl2e, pte_t nl2e, mfn_t l2mfn, struct domain *d,
		 bool preserve_ad)
{
	return mod_lN_entry(pl2e, nl2e, 2, l2mfn, d, preserve_ad);
}

/* Replace an entry of a validated L3 table (see mod_l1_entry). */
int mod_l3_entry(pte_t *pl3e, pte_t nl3e, mfn_t l3mfn, struct domain *d,
		 bool preserve_ad)
{
	return mod_lN_entry(pl3e, nl3e, 3, l3mfn, d, preserve_ad);
}

/* Replace a guest entry of a validated L4 table; slots 256-271 refused. */
int mod_l4_entry(pte_t *pl4e, pte_t nl4e, mfn_t l4mfn, struct domain *d,
		 bool preserve_ad)
{
	unsigned int slot = ((uintptr_t)pl4e & (PAGE_SIZE - 1)) / sizeof(pte_t);

	if (!is_guest_l4_slot(slot))
		return -EINVAL;
	return mod_lN_entry(pl4e, nl4e, 4, l4mfn, d, preserve_ad);
}
