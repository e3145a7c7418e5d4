/*
 * HYPERVISOR_memory_op: a domain's memory reservation and memory maps.
 *
 *   increase_reservation  new frames; their machine frame numbers go back
 *   populate_physmap      new frames for the given pseudo-physical frames
 *                         (the M2P records them); machine frames go back
 *   decrease_reservation  the guest gives frames back (unpinning them)
 *   current_/maximum_reservation, maximum_ram_page, maximum_gpfn
 *   memory_map            the pseudo-physical map the toolstack set
 *   machine_memory_map    the host's map (privileged domains)
 *   machphys_mapping      where the guest finds the read-only M2P
 *
 * Reservation calls return the number of extents done; on a failure part
 * way they report the extents done so far, and a call refused outright
 * (unreadable arguments, unknown domain, extent order or list) does
 * nothing and reports its start extent, as Xen does. A long call
 * continues later: the start extent rides in the command's upper bits.
 * The other common ops take no start extent (-EINVAL); the x86 ops
 * (memory maps, machphys_mapping) see the whole command, so with a start
 * extent they are unknown (-ENOSYS).
 */
#include <hv/bootinfo.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <xen/memory.h>

#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <asm/page_type.h>
#include <asm/pv.h>
#include <asm/setup.h>

#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK ((1UL << MEMOP_EXTENT_SHIFT) - 1)
#define DOMU_MAX_ORDER 9
#define CTLDOM_MAX_ORDER 18 /* Xen's default for a control domain on x86 */
#define MEMF_KNOWN (0xffffU | XENMEMF_exact_node_request | XENMEMF_vnode)

struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __packed;

/* The target domain of a memory op: the caller, or any (privileged) with
 * a reference that put_memop_domain() drops. */
static struct domain *memop_domain(domid_t id, long *rc)
{
	struct domain *curr = current->domain, *d;

	if (id == DOMID_SELF || id == curr->domain_id)
		return curr;
	if (!curr->is_privileged) {
		*rc = -EPERM;
		return NULL;
	}
	d = get_domain_by_id(id);
	if (!d)
		*rc = -ESRCH;
	return d;
}

static void put_memop_domain(struct domain *d)
{
	if (d != current->domain)
		put_domain(d);
}

static struct page_info *alloc_extent(struct domain *d, unsigned int order,
				      unsigned int address_bits)
{
	struct page_info *pg = alloc_domheap_pages(NULL, order);

	if (!pg)
		return NULL;
	if (address_bits && address_bits < 64 &&
	    (mfn_x(page_to_mfn(pg)) + (1UL << order)) >
		    (1UL << (address_bits - PAGE_SHIFT))) {
		free_domheap_pages(pg, order);
		return NULL;
	}
	if (domain_assign_pages(d, pg, order)) {
		free_domheap_pages(pg, order);
		return NULL;
	}
	return pg;
}

static int remove_page(struct domain *d, unsigned long gmfn)
{
	struct page_info *pg;

	if (!mfn_valid(_mfn(gmfn)))
		return -EINVAL;
	pg = mfn_to_page(_mfn(gmfn));
	if (!get_page(pg, d))
		return -EINVAL;
	if (__atomic_fetch_and(&pg->u.inuse.type_info, ~PGT_pinned,
			       __ATOMIC_SEQ_CST) &
	    PGT_pinned)
		put_page_and_type(pg);
	set_gpfn_from_mfn(_mfn(gmfn), INVALID_M2P_ENTRY);
	domain_release_page(pg);
	put_page(pg);
	return 0;
}

/* One extent of a reservation op; 0 or -errno. */
static int do_extent(unsigned long op, struct domain *d,
		     struct xen_memory_reservation *r, unsigned long i)
{
	unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);
	xen_pfn_t in = 0, mfn;
	struct page_info *pg;

	/* Only increase_reservation may go without a list. */
	if (op != XENMEM_increase_reservation &&
	    copy_from_guest_offset(&in, r->extent_start, i, 1))
		return -EFAULT;

	if (op == XENMEM_decrease_reservation) {
		for (unsigned long j = 0; j < (1UL << r->extent_order); j++)
			if (remove_page(d, in + j))
				return -EINVAL;
		return 0;
	}

	pg = alloc_extent(d, r->extent_order, bits);
	if (!pg)
		return -ENOMEM;
	mfn = mfn_x(page_to_mfn(pg));
	for (unsigned long j = 0; j < (1UL << r->extent_order); j++)
		set_gpfn_from_mfn(_mfn(mfn + j), op == XENMEM_populate_physmap
							 ? in + j
							 : INVALID_M2P_ENTRY);
	if (!guest_handle_is_null(r->extent_start) &&
	    copy_to_guest_offset(r->extent_start, i, &mfn, 1))
		return -EFAULT;
	return 0;
}

static long reservation_op(unsigned long op, unsigned long start,
			   XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	unsigned long i;
	long rc = 0;

	if (copy_from_guest_raw(&r, arg.p, sizeof(r)))
		return (long)start;
	if (r.mem_flags & ~MEMF_KNOWN)
		return -EINVAL;
	/* The continuation's command must be able to hold any extent. */
	if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) ||
	    start >= r.nr_extents)
		return (long)start;
	if (r.extent_order > (current->domain->is_privileged ? CTLDOM_MAX_ORDER
							     : DOMU_MAX_ORDER))
		return (long)start;
	/* Like Xen, check where the list starts; each access checks again. */
	if ((!guest_handle_is_null(r.extent_start) ||
	     op != XENMEM_increase_reservation) &&
	    !guest_range_ok(r.extent_start.p + start, sizeof(xen_pfn_t)))
		return (long)start;
	d = memop_domain(r.domid, &rc);
	if (!d)
		return (long)start;

	for (i = start; i < r.nr_extents; i++) {
		if (i != start && hypercall_preempt_check()) {
			unsigned long args[2] = {
				op | (i << MEMOP_EXTENT_SHIFT),
				(unsigned long)arg.p,
			};

			hypercall_create_continuation(__HYPERVISOR_memory_op, 2,
						      args);
			i = 0;
			break;
		}
		if (do_extent(op, d, &r, i))
			break;
	}
	put_memop_domain(d);
	return (long)i;
}

static long copy_map(struct xen_memory_map *map,
		     XEN_GUEST_HANDLE_PARAM(void) arg,
		     const struct e820_entry *e, unsigned int n)
{
	unsigned int nr = MIN(n, map->nr_entries);

	if (nr && copy_to_guest_raw(map->buffer.p, e, nr * sizeof(*e)))
		return -EFAULT;
	map->nr_entries = nr;
	return copy_to_guest_raw(arg.p, map, sizeof(*map)) ? -EFAULT : 0;
}

static long machine_memory_map(XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct xen_memory_map map;
	struct e820_entry e[MAX_MEM_REGIONS];

	if (!current->domain->is_privileged)
		return -EPERM;
	if (copy_from_guest_raw(&map, arg.p, sizeof(map)))
		return -EFAULT;
	for (unsigned int i = 0; i < boot_info.nr_mem; i++)
		e[i] = (struct e820_entry){boot_info.mem[i].addr,
					   boot_info.mem[i].len,
					   boot_info.mem[i].type};
	if (guest_handle_is_null(map.buffer)) { /* just the size */
		map.nr_entries = boot_info.nr_mem;
		return copy_to_guest_raw(arg.p, &map, sizeof(map)) ? -EFAULT
								   : 0;
	}
	/* Xen wants room for one more entry than the map has. */
	if (map.nr_entries < boot_info.nr_mem + 1)
		return -EINVAL;
	return copy_map(&map, arg, e, boot_info.nr_mem);
}

static long reservation_query(unsigned long op,
			      XEN_GUEST_HANDLE_PARAM(void) arg)
{
	domid_t id;
	struct domain *d;
	unsigned long max_pfn;
	long rc = 0;

	if (copy_from_guest_raw(&id, arg.p, sizeof(id)))
		return -EFAULT;
	d = memop_domain(id, &rc);
	if (!d)
		return rc;
	switch (op) {
	case XENMEM_current_reservation: rc = (long)d->tot_pages; break;
	case XENMEM_maximum_reservation: rc = (long)d->max_pages; break;
	default: /* XENMEM_maximum_gpfn: from the p2m size the guest set */
		max_pfn = READ_ONCE(d->shared_info->arch.max_pfn);
		rc = max_pfn ? (long)max_pfn - 1 : 0;
	}
	put_memop_domain(d);
	return rc;
}

/* The x86 ops: cmd is the whole command, start extent included. */
static long x86_memory_op(unsigned long cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	struct xen_machphys_mapping mp;

	switch (cmd) {
	case XENMEM_machine_memory_map: return machine_memory_map(arg);
	case XENMEM_memory_map:
		return -ENOSYS; /* no pseudo-physical map has been set */
	case XENMEM_machphys_mapping:
		mp = (struct xen_machphys_mapping){
			.v_start = RO_MPT_VIRT_START,
			.v_end = RO_MPT_VIRT_END,
			.max_mfn = max_page - 1,
		};
		return copy_to_guest_raw(arg.p, &mp, sizeof(mp)) ? -EFAULT : 0;
	default: return -ENOSYS;
	}
}

/* HYPERVISOR_memory_op(cmd, arg). */
long do_memory_op(unsigned long cmd, XEN_GUEST_HANDLE_PARAM(void) arg)
{
	unsigned long op = cmd & MEMOP_CMD_MASK;
	unsigned long start = cmd >> MEMOP_EXTENT_SHIFT;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap: return reservation_op(op, start, arg);
	case XENMEM_maximum_ram_page: return start ? -EINVAL : (long)max_page;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return start ? -EINVAL : reservation_query(op, arg);
	default: return x86_memory_op(cmd, arg);
	}
}
