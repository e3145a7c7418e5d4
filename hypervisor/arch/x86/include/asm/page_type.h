/*
 * Page types and validated page-table entries for PV guests (see
 * arch/x86/pv/page_type.c for the rules and invariants).
 */
#ifndef ASM_PAGE_TYPE_H
#define ASM_PAGE_TYPE_H

#include <hv/mm.h>

#include <asm/page.h>

struct domain;

// arch/x86/pv/page_type.c
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
int get_page_and_type(struct page_info *pg, struct domain *d,
		      unsigned long type);
void put_page_and_type(struct page_info *pg);
void put_page_from_l1e(pte_t e, struct domain *l1e_owner);
int mod_l1_entry(pte_t *pl1e, pte_t nl1e, mfn_t l1mfn, struct domain *pt_owner,
		 struct domain *pg_owner, bool preserve_ad);
int mod_l2_entry(pte_t *pl2e, pte_t nl2e, mfn_t l2mfn, struct domain *d,
		 bool preserve_ad);
int mod_l3_entry(pte_t *pl3e, pte_t nl3e, mfn_t l3mfn, struct domain *d,
		 bool preserve_ad);
int mod_l4_entry(pte_t *pl4e, pte_t nl4e, mfn_t l4mfn, struct domain *d,
		 bool preserve_ad);
void flush_tlb_for_type_change(void);
void pv_pay_owed_tlb_flush(void);

// arch/x86/pv/descriptor.c
int validate_segdesc_page(struct page_info *pg);
bool is_guest_l4_slot(unsigned int slot);
void write_hv_l4_slots(pte_t *l4, const struct domain *d);

static inline unsigned long page_type(const struct page_info *pg)
{
	return pg->u.inuse.type_info & PGT_type_mask;
}

static inline unsigned long page_type_count(const struct page_info *pg)
{
	return pg->u.inuse.type_info & PGT_count_mask;
}

#endif /* ASM_PAGE_TYPE_H */
