/*
 * A machine for the grant-table tests: the mm fixture's fake RAM, frame
 * table and heap, with the real page types (arch/x86/pv/page_type.c) on
 * top, and three listed domains (fake/domain.c) each with a grant table
 * from grant_table_init():
 *
 *   gdom0  id 0, privileged, 2 vCPUs
 *   gdom1  id 1, 2 vCPUs
 *   gdom2  id 2, 2 vCPUs
 *
 * `current` is vCPU 0 of gdom1 unless a test calls gt_as(). The arch side
 * of a host mapping is a recorder: create_grant_host_mapping() writes a
 * fake page-table entry of the current domain (gt_pte), refusing address
 * GT_BAD_ADDR; replace_grant_host_mapping() checks and clears it as the
 * real one does. share_hv_page_with_guest(), domain_release_page() and
 * domain_crash() behave as common/domain.c's. Include <cmocka.h> first.
 */
#ifndef UNIT_GT_FIXTURE_H
#define UNIT_GT_FIXTURE_H

#include <hv/grant_table.h>
#include <hv/sched.h>

#include "mm_fixture.h"

#define GT_NR_VCPUS 2
#define GT_BAD_ADDR 0xbad000UL /* no L1 entry behind it */
#define GT_NR_PTES 8

extern struct domain *gdom0, *gdom1, *gdom2;

/* The host mappings the current domains hold, as the fake arch keeps them. */
struct gt_pte {
	struct domain *d;
	uint64_t addr;
	mfn_t mfn;
	unsigned int flags;
	bool used;
};
extern struct gt_pte gt_ptes[GT_NR_PTES];
extern unsigned int gt_crashes, gt_continuations;
extern unsigned long gt_continuation_args[3];
extern bool gt_preempt; /* what hypercall_preempt_check() answers */

int gt_setup(void **state);
int gt_teardown(void **state);
void gt_as(struct domain *d);
struct gt_pte *gt_pte_at(struct domain *d, uint64_t addr);
unsigned int gt_handles_in_use(struct domain *d);

/* A fresh frame of d (its allocation reference, no type). */
mfn_t gt_frame(struct domain *d, uint8_t fill);
/* d grants its frame mfn to domid: the entry's fields, flags last. */
grant_ref_t gt_grant(struct domain *d, grant_ref_t ref, domid_t domid,
		     mfn_t mfn, uint16_t flags);
grant_entry_v1_t *gt_entry(struct domain *d, grant_ref_t ref);
struct active_grant_entry *gt_active(struct domain *d, grant_ref_t ref);

/* The hypercalls, as the current domain; each returns the call's result. */
long gt_op(unsigned int cmd, void *arg, unsigned int count);
int16_t gt_map(domid_t dom, grant_ref_t ref, uint64_t addr, uint32_t flags,
	       grant_handle_t *handle);
int16_t gt_unmap(uint64_t addr, uint64_t bus, grant_handle_t handle);

static inline unsigned long gt_refs(mfn_t m)
{
	return mfn_to_page(m)->count_info & PGC_count_mask;
}

static inline unsigned long gt_type_refs(mfn_t m)
{
	return mfn_to_page(m)->u.inuse.type_info & PGT_count_mask;
}

#endif /* UNIT_GT_FIXTURE_H */
