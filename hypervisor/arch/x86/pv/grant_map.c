/*
 * The page-table side of a PV grant mapping: writing, and clearing, the
 * L1 entry that maps a granted frame at the caller's host address.
 *
 * The entry is named by a virtual address of the caller's current
 * kernel tables, or with GNTMAP_contains_pte by the machine address of
 * the entry itself in one of the caller's L1 tables. It is written
 * directly, not through the page-type rules for guest updates: the grant
 * code (common/grant_mapping.c) took the frame references the entry
 * holds, and marks it with _PAGE_GNTTAB so that only unmap_grant_ref
 * removes it (rule 8 of page_type.c). What the entry held before is
 * released as a guest update would release it.
 *
 * A grant mapping is never executable; it is writable unless
 * GNTMAP_readonly; like every PV guest mapping it is a user mapping (the
 * guest kernel runs in ring 3); GNTMAP_guest_avail bits go to the
 * entry's three available bits (XENFEAT_gnttab_map_avail_bits).
 */
#include <hv/grant_table.h>
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/guest_access.h>
#include <asm/page.h>
#include <asm/page_type.h>
#include <asm/pv.h>

#define AVAIL_SHIFT 9 /* _PAGE_AVAIL0..2 */

static pte_t grant_pte_flags(unsigned int flags)
{
	pte_t f = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER |
		  _PAGE_GNTTAB | _PAGE_NX;

	if (!(flags & GNTMAP_readonly))
		f |= _PAGE_RW;
	f |= (pte_t)((flags >> _GNTMAP_guest_avail0) & 7) << AVAIL_SHIFT;
	return f;
}

/*
 * The L1 entry a request names, in a table of the current domain that
 * the caller holds (general and type reference) until put_l1();
 * NULL if there is none.
 */
static pte_t *get_l1e(uint64_t addr, bool contains_pte, struct page_info **l1)
{
	struct vcpu *v = current;
	struct page_info *pg;

	if (contains_pte) {
		mfn_t m = _mfn(addr >> PAGE_SHIFT);

		if (!IS_ALIGNED(addr, sizeof(pte_t)) || !mfn_valid(m))
			return NULL;
		pg = mfn_to_page(m);
		if (!get_page(pg, v->domain))
			return NULL;
		/* Only a table already in use as an L1: never retype. */
		if (page_type(pg) != PGT_l1_page_table ||
		    get_page_type(pg, PGT_l1_page_table)) {
			put_page(pg);
			return NULL;
		}
		*l1 = pg;
		return (pte_t *)((char *)mfn_to_virt(m) +
				 (addr & (PAGE_SIZE - 1)));
	}
	if (!guest_range_ok((void *)(uintptr_t)addr, 1))
		return NULL;
	pg = get_l1_of(v, (unsigned long)addr);
	if (!pg)
		return NULL;
	*l1 = pg;
	return (pte_t *)mfn_to_virt(page_to_mfn(pg)) +
	       l1_index((unsigned long)addr);
}

static void put_l1(struct page_info *l1)
{
	put_page_and_type(l1);
}

/* Replace *p with nl if it still holds ol; the value found otherwise. */
static pte_t swap_entry(pte_t *p, pte_t ol, pte_t nl)
{
	return __sync_val_compare_and_swap(p, ol, nl);
}

/*
 * Map frame at the caller's host address addr (GNTMAP_* flags); the
 * frame's references are the caller's, and pass to the entry.
 * GNTST_okay or, if the entry cannot be found, GNTST_general_error.
 */
int16_t create_grant_host_mapping(uint64_t addr, mfn_t frame,
				  unsigned int flags)
{
	pte_t nl1e = pte_from_mfn(frame, grant_pte_flags(flags));
	struct page_info *l1;
	pte_t *pl1e = get_l1e(addr, flags & GNTMAP_contains_pte, &l1);
	pte_t ol1e;

	if (!pl1e)
		return GNTST_general_error;
	ol1e = READ_ONCE(*pl1e);
	for (pte_t seen; (seen = swap_entry(pl1e, ol1e, nl1e)) != ol1e;)
		ol1e = seen;
	put_l1(l1);
	put_page_from_l1e(ol1e, current->domain);
	return GNTST_okay;
}

/*
 * Zap the entry mapping new_addr (unmap_and_replace); its value, with
 * its references, is the caller's. False if there is none.
 */
static bool steal_entry(uint64_t new_addr, pte_t *out)
{
	struct page_info *l1;
	pte_t *pl1e = get_l1e(new_addr, false, &l1);
	pte_t ol1e;

	if (!pl1e)
		return false;
	ol1e = READ_ONCE(*pl1e);
	for (pte_t seen; (seen = swap_entry(pl1e, ol1e, 0)) != ol1e;)
		ol1e = seen;
	put_l1(l1);
	*out = ol1e;
	return true;
}

/*
 * Remove the grant mapping of frame at addr (flags as it was mapped): the
 * entry must map frame with the mapping's presence and access, else
 * GNTST_general_error. It becomes empty, or (new_addr, not with
 * GNTMAP_contains_pte) takes the entry that mapped new_addr. The frame
 * references the entry held are the caller's to drop, after a TLB flush.
 */
int16_t replace_grant_host_mapping(uint64_t addr, mfn_t frame,
				   uint64_t new_addr, unsigned int flags)
{
	pte_t want = pte_from_mfn(frame, grant_pte_flags(flags));
	bool contains_pte = flags & GNTMAP_contains_pte;
	pte_t nl1e = 0, ol1e;
	struct page_info *l1;
	pte_t *pl1e;
	int16_t rc = GNTST_general_error;

	if (new_addr && (contains_pte || !steal_entry(new_addr, &nl1e)))
		return GNTST_general_error;
	pl1e = get_l1e(addr, contains_pte, &l1);
	if (!pl1e)
		goto out;
	ol1e = READ_ONCE(*pl1e);
	if (!mfn_eq(pte_mfn(ol1e), frame) ||
	    ((ol1e ^ want) & (_PAGE_PRESENT | _PAGE_RW))) {
		put_l1(l1);
		goto out;
	}
	if (swap_entry(pl1e, ol1e, nl1e) == ol1e) {
		rc = GNTST_okay;
		nl1e = 0; /* now the entry's */
	}
	put_l1(l1);
out:
	/* A stolen entry that found no home: release what it held. */
	put_page_from_l1e(nl1e, current->domain);
	return rc;
}
