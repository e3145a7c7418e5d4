/*
 * Other domains' grants: mapping them into our address space and
 * copying to and from them through Xen (see guest/grant.h).
 *
 * gnttab_map_at() maps at an address the caller chose: the L1 table for
 * it is made first (pt_ensure), since Xen writes the entry of an
 * existing table. gnttab_map() picks the address in the grant window
 * (GRANT_MAP_BASE), a page at a time from a bitmap under a lock.
 * Copies name our side by machine frame and offset, one operation per
 * page of our buffer that the range touches.
 */
#include <guest/errno.h>
#include <guest/grant.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/spinlock.h>

#define WINDOW_PAGES (GRANT_MAP_SIZE >> PAGE_SHIFT)

static spinlock_t window_lock = SPINLOCK_INIT;
static uint64_t window_used[WINDOW_PAGES / 64];

/* A hypercall refused as a whole counts as a general error. */
static int op_status(int rc, int16_t status)
{
	return rc ? GNTST_general_error : status;
}

/*
 * Map grant ref of domid at our page-aligned kernel address va,
 * read-only or writable; *handle is what unmapping needs.
 */
int gnttab_map_at(domid_t domid, grant_ref_t ref, void *va, bool readonly,
		  grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (unsigned long)va,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = domid,
	};
	mfn_t l1;
	int rc;

	if ((unsigned long)va & ~PAGE_MASK)
		return GNTST_bad_virt_addr;
	if (pt_ensure((unsigned long)va, 1, &l1))
		return GNTST_no_space;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
	if (!rc && op.status == GNTST_okay)
		*handle = op.handle;
	return op_status(rc, op.status);
}

/* Undo gnttab_map_at(); Xen flushes the TLBs before it returns. */
int gnttab_unmap_at(void *va, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = (unsigned long)va,
		.handle = handle,
	};
	int rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return op_status(rc, op.status);
}

static void *window_va(unsigned long i)
{
	return (void *)(GRANT_MAP_BASE + (i << PAGE_SHIFT));
}

static long window_claim(void)
{
	unsigned long flags = spin_lock_irqsave(&window_lock);
	long found = -1;

	for (unsigned long w = 0; w < WINDOW_PAGES / 64 && found < 0; w++) {
		if (window_used[w] == ~0UL)
			continue;
		found = (long)(w * 64 +
			       (unsigned long)__builtin_ctzl(~window_used[w]));
		window_used[w] |= 1UL << (found % 64);
	}
	spin_unlock_irqrestore(&window_lock, flags);
	return found;
}

static void window_release(unsigned long i)
{
	unsigned long flags = spin_lock_irqsave(&window_lock);

	window_used[i / 64] &= ~(1UL << (i % 64));
	spin_unlock_irqrestore(&window_lock, flags);
}

/* Map grant ref of domid at a page of the grant window, returned in *va. */
int gnttab_map(domid_t domid, grant_ref_t ref, bool readonly, void **va,
	       grant_handle_t *handle)
{
	long i = window_claim();
	int st;

	if (i < 0)
		return GNTST_no_space;
	st = gnttab_map_at(domid, ref, window_va((unsigned long)i), readonly,
			   handle);
	if (st) {
		window_release((unsigned long)i);
		return st;
	}
	*va = window_va((unsigned long)i);
	return GNTST_okay;
}

/* Undo gnttab_map(): unmap and give the page of the window back. */
int gnttab_unmap(void *va, grant_handle_t handle)
{
	unsigned long a = (unsigned long)va;
	int st;

	if (a < GRANT_MAP_BASE || a >= GRANT_MAP_BASE + GRANT_MAP_SIZE ||
	    (a & ~PAGE_MASK))
		return GNTST_bad_virt_addr;
	st = gnttab_unmap_at(va, handle);
	if (!st)
		window_release((a - GRANT_MAP_BASE) >> PAGE_SHIFT);
	return st;
}

/*
 * Copy len bytes between offset of grant ref of domid and our buffer
 * buf, in the direction to_grant says; the grant's range must lie in its
 * page (Xen answers GNTST_bad_copy_arg otherwise). Our buffer may cross
 * a page boundary: two operations then.
 */
static int copy(domid_t domid, grant_ref_t ref, unsigned int offset, void *buf,
		unsigned int len, bool to_grant)
{
	struct gnttab_copy ops[2];
	unsigned int n = 0, done = 0;
	int rc;

	if (len > PAGE_SIZE)
		return GNTST_bad_copy_arg; /* as Xen would answer */
	while (done < len) {
		unsigned long a = (unsigned long)buf + done;
		unsigned int in_page = PAGE_SIZE - (a & ~PAGE_MASK);
		unsigned int chunk = len - done < in_page ? len - done
							  : in_page;
		mfn_t m = virt_to_mfn((void *)(a & PAGE_MASK));
		struct gnttab_copy_ptr local = {
			.u.gmfn = mfn_x(m),
			.domid = DOMID_SELF,
			.offset = (uint16_t)(a & ~PAGE_MASK),
		};
		struct gnttab_copy_ptr remote = {
			.u.ref = ref,
			.domid = domid,
			.offset = (uint16_t)(offset + done),
		};

		if (!mfn_valid_raw(m))
			return GNTST_bad_page;
		ops[n] = (struct gnttab_copy){
			.source = to_grant ? local : remote,
			.dest = to_grant ? remote : local,
			.len = (uint16_t)chunk,
			.flags = to_grant ? GNTCOPY_dest_gref
					  : GNTCOPY_source_gref,
		};
		n++;
		done += chunk;
	}
	rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, n);
	for (unsigned int i = 0; i < n && !rc; i++)
		if (ops[i].status != GNTST_okay)
			return ops[i].status;
	return op_status(rc, GNTST_okay);
}

/* Copy len bytes at offset of grant ref of domid into our buffer dst. */
int gnttab_copy_from_grant(domid_t domid, grant_ref_t ref, unsigned int offset,
			   void *dst, unsigned int len)
{
	return copy(domid, ref, offset, dst, len, false);
}

/* Copy len bytes of our buffer src to offset of grant ref of domid. */
int gnttab_copy_to_grant(domid_t domid, grant_ref_t ref, unsigned int offset,
			 const void *src, unsigned int len)
{
	return copy(domid, ref, offset, (void *)src, len, true);
}
