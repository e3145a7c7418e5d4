/*
 * Grant tables inside one domain, timed in TSC cycles. dom0 grants one
 * of its frames to itself (a domain may), so the hypervisor does the
 * work it does for a backend, without a second domain:
 *
 *   grant_map_unmap  one GNTTABOP_map_grant_ref of the grant (host
 *                    mapping, writable, at one address) and one
 *                    GNTTABOP_unmap_grant_ref of it: two hypercalls, the
 *                    unmap's TLB flush included
 *   grant_copy_4k    one GNTTABOP_copy of a whole page from the grant to
 *                    another frame of ours (one operation per call)
 *   memcpy_4k        the same 4 KiB copied by the guest itself, between
 *                    the two frames through its direct map: the baseline
 *
 * run.py turns them into pairs per second and MB/s.
 */
#include <guest/console.h>
#include <guest/grant.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/processor.h>
#include <paravane/string.h>

#include "hvbench.h"

#define PAIRS 5000
#define COPIES 5000
#define MEMCPYS 20000
#define MAP_VA (MAPAREA_BASE + 0x40400000UL)

static domid_t self_id(void)
{
	return 0; /* hvbench runs as dom0 */
}

static int bench_map_unmap(grant_ref_t ref)
{
	uint64_t per[REPS];
	mfn_t l1;
	int rc = pt_ensure(MAP_VA, 1, &l1);

	for (int r = 0; r < REPS && !rc; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < PAIRS && !rc; i++) {
			struct gnttab_map_grant_ref m = {
				.host_addr = MAP_VA,
				.flags = GNTMAP_host_map,
				.ref = ref,
				.dom = self_id(),
			};
			struct gnttab_unmap_grant_ref u = {.host_addr = MAP_VA};

			rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref,
						       &m, 1);
			if (!rc && m.status)
				rc = m.status;
			u.handle = m.handle;
			if (!rc)
				rc = HYPERVISOR_grant_table_op(
					GNTTABOP_unmap_grant_ref, &u, 1);
			if (!rc && u.status)
				rc = u.status;
		}
		per[r] = (rdtsc() - t0) / PAIRS;
	}
	if (rc) {
		printk("hvbench: grant map/unmap failed (%d)\n", rc);
		return rc;
	}
	bench_report("grant_map_unmap", per);
	return 0;
}

static int bench_copy(grant_ref_t ref, mfn_t dst)
{
	uint64_t per[REPS];
	int rc = 0;

	for (int r = 0; r < REPS && !rc; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < COPIES && !rc; i++) {
			struct gnttab_copy c = {
				.source = {.u.ref = ref, .domid = self_id()},
				.dest = {.u.gmfn = mfn_x(dst),
					 .domid = DOMID_SELF},
				.len = PAGE_SIZE,
				.flags = GNTCOPY_source_gref,
			};

			rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
			if (!rc && c.status)
				rc = c.status;
		}
		per[r] = (rdtsc() - t0) / COPIES;
	}
	if (rc) {
		printk("hvbench: grant copy failed (%d)\n", rc);
		return rc;
	}
	bench_report("grant_copy_4k", per);
	return 0;
}

static void bench_memcpy(void *dst, const void *src)
{
	uint64_t per[REPS];

	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < MEMCPYS; i++) {
			memcpy(dst, src, PAGE_SIZE);
			__asm__ __volatile__("" : : "r"(dst) : "memory");
		}
		per[r] = (rdtsc() - t0) / MEMCPYS;
	}
	bench_report("memcpy_4k", per);
}

/* The grant benchmarks; 0, or what failed. */
int bench_grants(void)
{
	grant_ref_t ref;
	pfn_t first;
	int rc = alloc_frames(2, &first);

	if (!rc)
		rc = gnttab_grant_access(self_id(), first, false, &ref);
	if (rc) {
		printk("hvbench: grant setup failed (%d)\n", rc);
		return rc;
	}
	memset(frame_va(first), 0x5a, PAGE_SIZE);
	rc = bench_map_unmap(ref);
	if (!rc)
		rc = bench_copy(ref, pfn_to_mfn(_pfn(pfn_x(first) + 1)));
	if (!rc)
		bench_memcpy(frame_va(_pfn(pfn_x(first) + 1)), frame_va(first));
	if (!rc)
		rc = gnttab_end_access(ref);
	free_frames(first, 2);
	return rc;
}
