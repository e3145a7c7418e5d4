/*
 * hvbench: a PV kernel that measures the hypervisor under it. Booted as
 * dom0 of Paravane and of Xen 4.17 by tools/bench/run.py, it times in
 * TSC cycles:
 *
 *   null_hypercall   xen_version(XENVER_version), a call that does nothing
 *   mmu_update       one entry of a 512-entry mmu_update batch (mapping
 *                    and unmapping 512 frames read-only in one L1)
 *   trap_bounce      int3 bounced to a handler that returns straight away
 *                    through the iret hypercall
 *
 * and the event-channel round trips and timer lateness of bench_events.c,
 * and the grant-table figures of bench_grant.c.
 *
 * Each figure is the median of REPS repetitions, and every repetition is
 * printed too: "bench <name> <rep> <cycles>" and "bench <name> median
 * <cycles>". The run ends through exit=port or the shutdown code.
 */
#include <guest/app.h>
#include <guest/console.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/pgtable.h>
#include <guest/processor.h>
#include <guest/shutdown.h>
#include <guest/traps.h>

#include "hvbench.h"
#define NULL_CALLS 20000
#define BATCH 512
#define MMU_ROUNDS 20
#define TRAPS 20000
#define BENCH_VA (MAPAREA_BASE + 0x40000000UL)

static mmu_update_t reqs[BATCH];

/* A #BP handler that returns at once: the frame is Xen's bounce frame. */
void bench_bp_entry(void);
__asm__(".text\n"
	".globl bench_bp_entry\n"
	"bench_bp_entry:\n\t"
	"pop %rcx\n\t"
	"pop %r11\n\t"
	"pushq $0\n\t" /* iret flags */
	"jmp hypercall_page + " STRINGIFY(__HYPERVISOR_iret) " * 32\n");

static void bench_null_hypercall(void)
{
	uint64_t per[REPS];

	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < NULL_CALLS; i++)
			HYPERVISOR_xen_version(XENVER_version, NULL);
		per[r] = (rdtsc() - t0) / NULL_CALLS;
	}
	bench_report("null_hypercall", per);
}

static int bench_mmu_update(void)
{
	uint64_t per[REPS];
	mfn_t l1;
	pfn_t first;
	int rc = pt_ensure(BENCH_VA, 1, &l1);

	if (!rc)
		rc = alloc_frames(BATCH, &first);
	if (rc) {
		printk("hvbench: mmu_update setup failed (%d)\n", rc);
		return rc;
	}
	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = rdtsc();

		for (int round = 0; round < MMU_ROUNDS; round++) {
			for (int pass = 0; pass < 2; pass++) {
				for (int i = 0; i < BATCH; i++) {
					mfn_t m = pfn_to_mfn(
						_pfn(pfn_x(first) + i));

					reqs[i].ptr =
						paddr_x(mfn_to_paddr(l1)) +
						i * 8;
					reqs[i].val =
						pass ? 0
						     : mfn_x(m) << 12 |
								PTE_PRESENT |
								PTE_ACCESSED;
				}
				rc = HYPERVISOR_mmu_update(reqs, BATCH, NULL,
							   DOMID_SELF);
				if (rc) {
					printk("hvbench: mmu_update: %d\n", rc);
					return rc;
				}
			}
		}
		per[r] = (rdtsc() - t0) / (MMU_ROUNDS * 2 * BATCH);
	}
	bench_report("mmu_update", per);
	free_frames(first, BATCH);
	return 0;
}

static int bench_trap_bounce(void)
{
	trap_info_t t[2] = {
		{.vector = TRAP_BP,
		 .flags = 3,
		 .cs = FLAT_KERNEL_CS,
		 .address = (unsigned long)bench_bp_entry},
		{0},
	};
	uint64_t per[REPS];
	int rc = HYPERVISOR_set_trap_table(t);

	if (rc)
		return rc;
	for (int r = 0; r < REPS; r++) {
		uint64_t t0 = rdtsc();

		for (int i = 0; i < TRAPS; i++)
			__asm__ __volatile__("int3" ::: "memory");
		per[r] = (rdtsc() - t0) / TRAPS;
	}
	traps_init(); /* the kernel's own table again */
	bench_report("trap_bounce", per);
	return 0;
}

/* Run every benchmark; the figures go to the console. */
int app_main(void)
{
	printk("hvbench: %d repetitions, TSC cycles per operation\n", REPS);
	bench_null_hypercall();
	if (bench_mmu_update() || bench_trap_bounce() ||
	    bench_evtchn_loopback() || bench_evtchn_vcpus() ||
	    bench_timer_lateness() || bench_grants())
		return EXIT_FAILED;
	printk("hvbench: done\n");
	return EXIT_OK;
}
