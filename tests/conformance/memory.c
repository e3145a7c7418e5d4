/*
 * Conformance of HYPERVISOR_memory_op for a 64-bit PV initial domain:
 * the reservation calls (increase, decrease, populate_physmap), the
 * queries about the domain's size, and the memory maps. The expected
 * results are Xen 4.17's.
 *
 * Reservation calls return how many extents they did, never an error:
 * a bad argument structure, an unknown domain, an extent order above
 * the limit or an unusable extent list all come back as "0 done" (or as
 * the start extent the command carried, see start_extent_in_command).
 *
 * The initial domain starts with its whole allowance (tot_pages ==
 * max_pages), so a test that wants frames from Xen first gives some of
 * its own back: give_back() takes free pfns off the kernel's mappings
 * and the p2m (physmap.c) and returns their machine frames with
 * decrease_reservation; take_back() fills the pfns again with
 * populate_physmap and hands them to the frame allocator.
 */
#include "harness/test.h"

#include <guest/bootinfo.h>
#include <guest/heap.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/physmap.h>
#include <guest/shared_info.h>
#include <paravane/string.h>

CONFORMANCE_KERNEL("memory");

#define MEMOP_EXTENT_SHIFT 6 /* the start extent's place in the command */
#define HUGE_ORDER 21	     /* above any domain's limit (2^20 at most) */
#define NO_SUCH_DOMAIN 1000
#define SENTINEL 0xdeadUL
#define E820_RAM 1

/* Addresses a hypercall must refuse to read or write through. */
static void *const bad_pointers[] = {
	(void *)0x1000,		      /* guest space, never mapped */
	(void *)0xFFFF830000000000UL, /* the hypervisor's range */
	(void *)0x0000800000000000UL, /* the first non-canonical address */
};

/* xen_memory_map's entries: the e820 format. */
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __packed;

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x30000000UL + i * PAGE_SIZE);
}

static long reservation(unsigned int cmd, xen_pfn_t *list, unsigned long n,
			unsigned int order, domid_t domid)
{
	struct xen_memory_reservation r = {
		.nr_extents = n,
		.extent_order = order,
		.domid = domid,
	};

	set_xen_guest_handle(r.extent_start, list);
	return HYPERVISOR_memory_op(cmd, &r);
}

static long query(unsigned int cmd, domid_t domid)
{
	return HYPERVISOR_memory_op(cmd, &domid);
}

static long current_pages(void)
{
	return query(XENMEM_current_reservation, DOMID_SELF);
}

/* Give n of the kernel's free frames back to Xen; their pfns in *first. */
static void give_back(pfn_t *first, unsigned long n, xen_pfn_t *mfns)
{
	long before = current_pages();

	ASSERT_OK(alloc_frames(n, first));
	ASSERT_OK(physmap_remove(*first, n, mfns));
	ASSERT_EQ(reservation(XENMEM_decrease_reservation, mfns, n, 0,
			      DOMID_SELF),
		  n);
	ASSERT_EQ(current_pages(), before - (long)n);
}

/* Fill the pfns give_back() emptied with fresh frames; free them. */
static void take_back(pfn_t first, unsigned long n, xen_pfn_t *list)
{
	for (unsigned long i = 0; i < n; i++)
		list[i] = pfn_x(first) + i;
	ASSERT_EQ(reservation(XENMEM_populate_physmap, list, n, 0, DOMID_SELF),
		  n);
	ASSERT_OK(physmap_add(first, n, list));
	free_frames(first, n);
}

TEST(memory, current_reservation)
{
	long cur = current_pages();

	EXPECT_EQ(cur, start_info->nr_pages);
	EXPECT_EQ(query(XENMEM_current_reservation, 0), cur); /* our id */
}

TEST(memory, maximum_reservation)
{
	EXPECT_GE(query(XENMEM_maximum_reservation, DOMID_SELF),
		  current_pages());
	EXPECT_EQ(query(XENMEM_maximum_reservation, 0),
		  query(XENMEM_maximum_reservation, DOMID_SELF));
}

/*
 * A PV guest tells Xen its p2m size in shared_info; maximum_gpfn is
 * that less one (0 while it is unset).
 */
TEST(memory, maximum_gpfn)
{
	unsigned long *max_pfn = &HYPERVISOR_shared_info->arch.max_pfn;
	unsigned long saved = *max_pfn;

	*max_pfn = 0;
	EXPECT_EQ(query(XENMEM_maximum_gpfn, DOMID_SELF), 0);
	*max_pfn = start_info->nr_pages;
	EXPECT_EQ(query(XENMEM_maximum_gpfn, DOMID_SELF),
		  start_info->nr_pages - 1);
	*max_pfn = saved;
}

TEST(memory, reservation_queries_refused)
{
	static const unsigned int ops[] = {
		XENMEM_current_reservation,
		XENMEM_maximum_reservation,
		XENMEM_maximum_gpfn,
	};
	domid_t self = DOMID_SELF;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
			EXPECT_ERR(HYPERVISOR_memory_op(ops[i],
							bad_pointers[j]),
				   -EFAULT);
		EXPECT_ERR(query(ops[i], NO_SUCH_DOMAIN), -ESRCH);
		/* These take no start extent. */
		EXPECT_ERR(HYPERVISOR_memory_op(
				   ops[i] | (1U << MEMOP_EXTENT_SHIFT), &self),
			   -EINVAL);
	}
}

/* Every frame we own lies below maximum_ram_page. */
TEST(memory, maximum_ram_page)
{
	long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
	unsigned long highest = 0;

	ASSERT_TRUE(max > 0);
	for (unsigned long pfn = 0; pfn < p2m_nr_pages(); pfn++) {
		mfn_t mfn = pfn_to_mfn(_pfn(pfn));

		if (mfn_valid_raw(mfn) && mfn_x(mfn) > highest)
			highest = mfn_x(mfn);
	}
	EXPECT_LT(highest, max);
	EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_maximum_ram_page |
						(1U << MEMOP_EXTENT_SHIFT),
					NULL),
		   -EINVAL);
}

/* Where the read-only M2P is: Xen's fixed window, up to the last RAM. */
TEST(memory, machphys_mapping)
{
	struct xen_machphys_mapping mp;
	long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

	memset(&mp, 0xff, sizeof(mp));
	ASSERT_OK(HYPERVISOR_memory_op(XENMEM_machphys_mapping, &mp));
	EXPECT_EQ(mp.v_start, MACH2PHYS_VIRT_START);
	EXPECT_EQ(mp.v_end, MACH2PHYS_VIRT_END);
	EXPECT_EQ(mp.max_mfn, max - 1);
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
		EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machphys_mapping,
						bad_pointers[j]),
			   -EFAULT);
	/* The architecture's ops know no start extent: unknown command. */
	EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machphys_mapping |
						(1U << MEMOP_EXTENT_SHIFT),
					&mp),
		   -ENOSYS);
}

/* The host's memory map: our own frames lie in RAM entries. */
TEST(memory, machine_memory_map)
{
	static struct e820_entry e[128];
	struct xen_memory_map map = {.nr_entries = ARRAY_SIZE(e)};
	uint64_t ours = paddr_x(mfn_to_paddr(pfn_to_mfn(_pfn(0))));
	bool found = false;

	set_xen_guest_handle(map.buffer, e);
	ASSERT_OK(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
	ASSERT_TRUE(map.nr_entries > 0);
	ASSERT_TRUE(map.nr_entries <= ARRAY_SIZE(e));
	for (unsigned int i = 0; i < map.nr_entries; i++) {
		EXPECT_GT(e[i].size, 0);
		if (i)
			EXPECT_GE(e[i].addr, e[i - 1].addr + e[i - 1].size);
		if (e[i].type == E820_RAM && ours >= e[i].addr &&
		    ours - e[i].addr < e[i].size)
			found = true;
	}
	EXPECT_TRUE(found);
}

/* A buffer too small for the map is refused rather than filled. */
TEST(memory, machine_memory_map_refused)
{
	static struct e820_entry e[128];
	struct xen_memory_map map = {.nr_entries = 1};

	set_xen_guest_handle(map.buffer, e);
	EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map),
		   -EINVAL);
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++) {
		EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map,
						bad_pointers[j]),
			   -EFAULT);
		map.nr_entries = ARRAY_SIZE(e);
		set_xen_guest_handle(map.buffer, bad_pointers[j]);
		EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map,
						&map),
			   -EFAULT);
	}
	map.nr_entries = ARRAY_SIZE(e);
	set_xen_guest_handle(map.buffer, e);
	EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_machine_memory_map |
						(1U << MEMOP_EXTENT_SHIFT),
					&map),
		   -ENOSYS);
}

/* No pseudo-physical map was ever set for the initial domain. */
TEST(memory, memory_map)
{
	static struct e820_entry e[16];
	struct xen_memory_map map = {.nr_entries = ARRAY_SIZE(e)};

	set_xen_guest_handle(map.buffer, e);
	EXPECT_ERR(HYPERVISOR_memory_op(XENMEM_memory_map, &map), -ENOSYS);
}

TEST(memory, unknown_op)
{
	EXPECT_ERR(HYPERVISOR_memory_op(40, NULL), -ENOSYS);
	EXPECT_ERR(HYPERVISOR_memory_op(63, NULL), -ENOSYS);
}

/*
 * A frame given back leaves the reservation and can no longer be
 * mapped; increase_reservation brings a fresh one, ours to map writable.
 */
TEST(memory, decrease_then_increase)
{
	long before = current_pages();
	volatile uint8_t *va = scratch(0);
	xen_pfn_t old, fresh = SENTINEL;
	pfn_t pfn;

	give_back(&pfn, 1, &old);
	EXPECT_LT(map_frame((void *)va, _mfn(old), 0), 0);
	ASSERT_EQ(reservation(XENMEM_increase_reservation, &fresh, 1, 0,
			      DOMID_SELF),
		  1);
	EXPECT_NE(fresh, SENTINEL);
	EXPECT_EQ(current_pages(), before);
	ASSERT_OK(map_frame((void *)va, _mfn(fresh), PTE_RW));
	va[0] = 0x3c;
	EXPECT_EQ(va[0], 0x3c);
	EXPECT_OK(unmap((void *)va));
	ASSERT_OK(physmap_add(pfn, 1, &fresh));
	EXPECT_EQ(*(volatile uint8_t *)frame_va(pfn), 0x3c);
	free_frames(pfn, 1);
}

/* populate_physmap records each new frame's pfn in the M2P. */
TEST(memory, populate_physmap)
{
	xen_pfn_t list[2];
	pfn_t pfn;

	give_back(&pfn, 2, list);
	list[0] = pfn_x(pfn);
	list[1] = pfn_x(pfn) + 1;
	ASSERT_EQ(reservation(XENMEM_populate_physmap, list, 2, 0, DOMID_SELF),
		  2);
	for (unsigned int i = 0; i < 2; i++) {
		EXPECT_NE(list[i], pfn_x(pfn) + i); /* now the mfn */
		EXPECT_EQ(machine_to_phys_mapping[list[i]], pfn_x(pfn) + i);
	}
	ASSERT_OK(physmap_add(pfn, 2, list));
	free_frames(pfn, 2);
}

/*
 * decrease_reservation stops at the first frame that is not ours (an
 * invalid one, or one already given back): the count says how far it got.
 */
TEST(memory, decrease_not_owned)
{
	long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
	long before = current_pages();
	xen_pfn_t mfns[2], list[3];
	pfn_t pfn;

	ASSERT_OK(alloc_frames(2, &pfn));
	ASSERT_OK(physmap_remove(pfn, 2, mfns));
	list[0] = mfns[0];
	list[1] = (xen_pfn_t)max + 16;
	list[2] = mfns[1];
	EXPECT_EQ(reservation(XENMEM_decrease_reservation, list, 3, 0,
			      DOMID_SELF),
		  1);
	EXPECT_EQ(current_pages(), before - 1);
	EXPECT_EQ(reservation(XENMEM_decrease_reservation, &mfns[0], 1, 0,
			      DOMID_SELF),
		  0);
	EXPECT_EQ(reservation(XENMEM_decrease_reservation, &mfns[1], 1, 0,
			      DOMID_SELF),
		  1);
	EXPECT_EQ(current_pages(), before - 2);
	take_back(pfn, 2, list);
	EXPECT_EQ(current_pages(), before);
}

/*
 * The start extent a continuation carries in the command's upper bits:
 * extents before it count as done; at or past the end, nothing is done.
 */
TEST(memory, start_extent_in_command)
{
	unsigned int inc = XENMEM_increase_reservation,
		     dec = XENMEM_decrease_reservation;
	long before = current_pages();
	xen_pfn_t mfns[3], list[3] = {SENTINEL, SENTINEL, SENTINEL};
	pfn_t pfn;

	give_back(&pfn, 3, mfns);
	EXPECT_EQ(reservation(inc | (2U << MEMOP_EXTENT_SHIFT), list, 3, 0,
			      DOMID_SELF),
		  3);
	EXPECT_EQ(list[0], SENTINEL);
	EXPECT_EQ(list[1], SENTINEL);
	EXPECT_NE(list[2], SENTINEL);
	EXPECT_EQ(current_pages(), before - 2);
	EXPECT_EQ(reservation(inc | (3U << MEMOP_EXTENT_SHIFT), list, 3, 0,
			      DOMID_SELF),
		  3);
	EXPECT_EQ(reservation(inc | (5U << MEMOP_EXTENT_SHIFT), NULL, 3, 0,
			      DOMID_SELF),
		  5);
	EXPECT_EQ(current_pages(), before - 2);
	list[0] = list[1] = SENTINEL; /* never read: before the start */
	EXPECT_EQ(reservation(dec | (2U << MEMOP_EXTENT_SHIFT), list, 3, 0,
			      DOMID_SELF),
		  3);
	EXPECT_EQ(current_pages(), before - 3);
	take_back(pfn, 3, list);
}

/*
 * Refusals, with one frame of room so that a call wrongly carried out
 * would show in the reservation: each does nothing and reports 0.
 */
TEST(memory, reservation_refused)
{
	static const unsigned int ops[] = {
		XENMEM_increase_reservation,
		XENMEM_decrease_reservation,
		XENMEM_populate_physmap,
	};
	long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
	long before = current_pages() - 1;
	xen_pfn_t mfn, gpfn, list;
	pfn_t pfn;

	give_back(&pfn, 1, &mfn);
	gpfn = pfn_x(pfn);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		/* What the list holds if it is read: a pfn, or no mfn at all. */
		list = ops[i] == XENMEM_decrease_reservation ? (xen_pfn_t)max
							     : gpfn;
		for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
			EXPECT_EQ(HYPERVISOR_memory_op(ops[i], bad_pointers[j]),
				  0);
		EXPECT_EQ(reservation(ops[i], &list, 1, 0, NO_SUCH_DOMAIN), 0);
		EXPECT_EQ(reservation(ops[i], &list, 1, HUGE_ORDER, DOMID_SELF),
			  0);
	}
	/* Too many extents to encode a continuation for. */
	EXPECT_EQ(reservation(XENMEM_increase_reservation, NULL,
			      (~0U >> MEMOP_EXTENT_SHIFT) + 1UL, 0, DOMID_SELF),
		  0);
	/* Extent lists outside guest space, or not mapped. */
	EXPECT_EQ(reservation(XENMEM_increase_reservation, bad_pointers[1], 1,
			      0, DOMID_SELF),
		  0);
	EXPECT_EQ(reservation(XENMEM_increase_reservation, bad_pointers[2], 1,
			      0, DOMID_SELF),
		  0);
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++) {
		EXPECT_EQ(reservation(XENMEM_populate_physmap, bad_pointers[j],
				      1, 0, DOMID_SELF),
			  0);
		EXPECT_EQ(reservation(XENMEM_decrease_reservation,
				      bad_pointers[j], 1, 0, DOMID_SELF),
			  0);
	}
	EXPECT_EQ(current_pages(), before);
	take_back(pfn, 1, &gpfn);
}

/*
 * Thousands of extents in one call, long enough for Xen to stop and
 * continue on the way (both in give_back() and in the increase).
 */
TEST(memory, large_reservation)
{
	const unsigned long n = 4096;
	long before = current_pages();
	xen_pfn_t *list = kmalloc(n * sizeof(*list));
	pfn_t pfn;

	ASSERT_TRUE(list != NULL);
	ASSERT_GE(frames_free(), n + 64);
	give_back(&pfn, n, list);
	memset(list, 0xff, n * sizeof(*list));
	ASSERT_EQ(reservation(XENMEM_increase_reservation, list, n, 0,
			      DOMID_SELF),
		  n);
	EXPECT_EQ(current_pages(), before);
	ASSERT_OK(physmap_add(pfn, n, list));
	EXPECT_EQ(machine_to_phys_mapping[list[0]], pfn_x(pfn));
	EXPECT_EQ(machine_to_phys_mapping[list[n - 1]], pfn_x(pfn) + n - 1);
	free_frames(pfn, n);
	kfree(list);
}

/*
 * The initial domain, as a control domain, may take extents far above
 * a domU's limit of order 9: one of order 13 (32 MiB, machine
 * contiguous) fits in the room made for it.
 */
TEST(memory, high_order_extent)
{
	const unsigned int order = 13;
	const unsigned long n = 1UL << order;
	long before = current_pages();
	xen_pfn_t *list = kmalloc(n * sizeof(*list));
	xen_pfn_t base = SENTINEL;
	pfn_t pfn;

	ASSERT_TRUE(list != NULL);
	ASSERT_GE(frames_free(), n + 64);
	give_back(&pfn, n, list);
	EXPECT_EQ(reservation(XENMEM_increase_reservation, NULL, 1, HUGE_ORDER,
			      DOMID_SELF),
		  0);
	ASSERT_EQ(reservation(XENMEM_increase_reservation, &base, 1, order,
			      DOMID_SELF),
		  1);
	EXPECT_EQ(current_pages(), before);
	EXPECT_EQ(base & (n - 1), 0); /* naturally aligned */
	for (unsigned long i = 0; i < n; i++)
		list[i] = base + i;
	ASSERT_OK(physmap_add(pfn, n, list));
	free_frames(pfn, n);
	kfree(list);
}
