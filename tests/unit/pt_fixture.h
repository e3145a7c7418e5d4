/*
 * A machine for the PV page-table tests: the mm fixture's fake RAM,
 * frame table and heap (mm_fixture.h), two ordinary guests (dom_a,
 * dom_b), one with I/O rights (dom_io, as dom0) and a vCPU of dom_a that
 * is `current`; and helpers that build tables in fresh frames, change
 * their entries and read back the frames' counts. Frames are named by
 * number. Include <cmocka.h> first: assert_refs() is a cmocka assertion.
 */
#ifndef UNIT_PT_FIXTURE_H
#define UNIT_PT_FIXTURE_H

#include <hv/sched.h>

#include <asm/page.h>
#include <asm/page_type.h>

#include "mm_fixture.h"

#define PT_NR_FRAMES 512
#define PT_RAM_FIRST 16
#define PT_RAM_FRAMES 448
#define IO_FRAME 4	       /* reserved: below RAM */
#define BEYOND_TABLE 0x80000UL /* no frame-table entry: device memory */

#define RO (_PAGE_PRESENT)
#define RW (_PAGE_PRESENT | _PAGE_RW)
#define L1 PGT_l1_page_table
#define L2 PGT_l2_page_table
#define L3 PGT_l3_page_table
#define L4 PGT_l4_page_table

extern struct domain dom_a, dom_b, dom_io;
extern struct vcpu vcpu_a;

/* domain_crash() is a recorder: how often, and the last domain crashed. */
extern unsigned int pt_crashes;
extern struct domain *pt_crashed;

int pt_fixture_setup(void **state);
int pt_fixture_teardown(void **state);
unsigned long new_frame(struct domain *d);
unsigned long new_l1(struct domain *d);
int validate_with(struct domain *d, unsigned long type, pte_t e);
int set_l1e(struct domain *d, unsigned long l1, pte_t e);
int set_entry(unsigned long t, unsigned int lvl, unsigned int i, pte_t e);

static inline struct page_info *pg(unsigned long m)
{
	return mfn_to_page(_mfn(m));
}

/* The frame's contents as a table of entries (or of descriptors). */
static inline pte_t *tab(unsigned long m)
{
	return mfn_to_virt(_mfn(m));
}

static inline pte_t pte(unsigned long m, uint64_t flags)
{
	return pte_from_mfn(_mfn(m), flags);
}

static inline unsigned long refs(unsigned long m)
{
	return pg(m)->count_info & PGC_count_mask;
}

static inline unsigned long type_refs(unsigned long m)
{
	return page_type_count(pg(m));
}

static inline unsigned long type_of(unsigned long m)
{
	return page_type(pg(m));
}

static inline bool validated(unsigned long m)
{
	return pg(m)->u.inuse.type_info & PGT_validated;
}

static inline bool pinned(unsigned long m)
{
	return pg(m)->u.inuse.type_info & PGT_pinned;
}

static inline int take(unsigned long m, struct domain *d, unsigned long type)
{
	return get_page_and_type(pg(m), d, type);
}

static inline void drop(unsigned long m)
{
	put_page_and_type(pg(m));
}

/* Frame m holds general and type references (a macro: the line is ours). */
#define assert_refs(m, general, type)                                          \
	do {                                                                   \
		assert_int_equal(refs(m), (general));                          \
		assert_int_equal(type_refs(m), (type));                        \
	} while (0)

#endif /* UNIT_PT_FIXTURE_H */
