/*
 * Grant tables from the guest's side (version 1, Xen's
 * <xen/grant_table.h>): granting our frames to other domains, and
 * mapping or copying frames other domains granted to us. The same code
 * runs on Xen and on Paravane.
 *
 * Granting (grant/grant_table.c). Our table is frames Xen allocates and
 * we map at GNTTAB_SHARED_VA; it is set up on first use and grown as
 * references run out, up to the limit Xen reports. A grant is published
 * as the header's protocol says: domid and frame first, a write barrier,
 * then the flags. Ending access is a compare-and-exchange of the flags
 * to 0 that fails while Xen says the grant is in use (GTF_reading or
 * GTF_writing): a frame is reused only once no other domain can reach
 * it. References 0-7 are the toolstack's (GNTTAB_NR_RESERVED_ENTRIES)
 * and are never handed out.
 *
 * Mapping and copying (grant/grant_map.c): a grant of another domain
 * mapped at one of our kernel addresses (ours to choose, or one of the
 * grant window, GRANT_MAP_BASE), unmapped by its handle; and copies
 * between a grant and a buffer of ours done by Xen (GNTTABOP_copy).
 *
 * Errors: granting returns 0 or a negative errno (-ENOSPC: no reference
 * left; -EBUSY: the grant is in use). Mapping and copying return Xen's
 * status of the operation, GNTST_okay (0) or a negative GNTST_*; a
 * hypercall refused as a whole reports GNTST_general_error.
 */
#ifndef GUEST_GRANT_H
#define GUEST_GRANT_H

#include <guest/xen.h>
#include <paravane/addr_types.h>
#include <stdbool.h>
#include <xen/grant_table.h>

// grant/grant_table.c
int gnttab_init(void);
int gnttab_grant_access(domid_t domid, pfn_t pfn, bool readonly,
			grant_ref_t *ref);
int gnttab_end_access(grant_ref_t ref);
bool gnttab_access_in_use(grant_ref_t ref);
uint16_t gnttab_entry_flags(grant_ref_t ref);
unsigned int gnttab_nr_frames(void);
unsigned int gnttab_free_refs(void);

// grant/grant_map.c
int gnttab_map_at(domid_t domid, grant_ref_t ref, void *va, bool readonly,
		  grant_handle_t *handle);
int gnttab_unmap_at(void *va, grant_handle_t handle);
int gnttab_map(domid_t domid, grant_ref_t ref, bool readonly, void **va,
	       grant_handle_t *handle);
int gnttab_unmap(void *va, grant_handle_t handle);
int gnttab_copy_from_grant(domid_t domid, grant_ref_t ref, unsigned int offset,
			   void *dst, unsigned int len);
int gnttab_copy_to_grant(domid_t domid, grant_ref_t ref, unsigned int offset,
			 const void *src, unsigned int len);

#endif /* GUEST_GRANT_H */
