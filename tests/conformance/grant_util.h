/*
 * Helpers shared by the grant-table conformance kernels (grant.c,
 * grant_copy.c): one-request hypercalls, our own frames granted to
 * ourselves, the flags a granter sees and copy pointers. All static
 * inline, so a kernel that uses only some of them builds without
 * warnings.
 */
#ifndef CONFORMANCE_GRANT_UTIL_H
#define CONFORMANCE_GRANT_UTIL_H

#include "mmu_util.h"

#include <guest/console.h>
#include <guest/grant.h>
#include <xen/features.h>

#define SELF 0		    /* the conformance kernels run as dom0 */
#define NO_SUCH_DOMAIN 1234 /* a domain id nobody has */

static inline grant_entry_v1_t *sha(grant_ref_t ref)
{
	return (grant_entry_v1_t *)GNTTAB_SHARED_VA + ref;
}

static inline long gnttab_op(unsigned int cmd, void *op, unsigned int count)
{
	return HYPERVISOR_grant_table_op(cmd, op, count);
}

/* One map; the status, and the handle and bus address when asked. */
static inline int16_t map_op(domid_t dom, grant_ref_t ref, uint64_t addr,
			     uint32_t flags, grant_handle_t *h, uint64_t *bus)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = addr, .flags = flags, .ref = ref, .dom = dom};

	EXPECT_OK(gnttab_op(GNTTABOP_map_grant_ref, &op, 1));
	if (h)
		*h = op.handle;
	if (bus)
		*bus = op.dev_bus_addr;
	return op.status;
}

static inline int16_t map_host(grant_ref_t ref, volatile void *va, bool ro,
			       grant_handle_t *h)
{
	mfn_t l1;

	EXPECT_OK(pt_ensure((unsigned long)va, 1, &l1));
	return map_op(SELF, ref, (unsigned long)va,
		      GNTMAP_host_map | (ro ? GNTMAP_readonly : 0), h, NULL);
}

static inline int16_t unmap_op(uint64_t addr, uint64_t bus, grant_handle_t h)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = addr, .dev_bus_addr = bus, .handle = h};

	EXPECT_OK(gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1));
	return op.status;
}

static inline int16_t copy_op(struct gnttab_copy *c)
{
	EXPECT_OK(gnttab_op(GNTTABOP_copy, c, 1));
	return c->status;
}

/* Our frame pfn granted to ourselves. */
static inline grant_ref_t grant(pfn_t pfn, bool ro)
{
	grant_ref_t ref;

	ASSERT_OK(gnttab_grant_access(SELF, pfn, ro, &ref));
	return ref;
}

static inline uint16_t flags_of(grant_ref_t ref)
{
	return gnttab_entry_flags(ref) & (GTF_reading | GTF_writing);
}

static inline struct gnttab_copy_ptr by_ref(grant_ref_t ref, uint16_t offset)
{
	return (struct gnttab_copy_ptr){
		.u.ref = ref, .domid = SELF, .offset = offset};
}

static inline struct gnttab_copy_ptr by_frame(mfn_t mfn, uint16_t offset)
{
	return (struct gnttab_copy_ptr){
		.u.gmfn = mfn_x(mfn), .domid = DOMID_SELF, .offset = offset};
}

#endif /* CONFORMANCE_GRANT_UTIL_H */
