/*
 * Creating a domain, timed in dom0 on its vCPU 0:
 *
 *   domain_build           build_domain() of dom0's builder
 *                          (tools/ctrl/build.c) for the exit domU
 *                          (guests/exit.c) with DOMU_MIB MiB: the image's
 *                          ELF headers are read, then createdomain,
 *                          max_vcpus, max_mem, populate_physmap of every
 *                          page, the bootstrap region mapped through
 *                          foreign mmu_update, written and unmapped, the
 *                          store and console ports, hypercall_init, the
 *                          L4 pinned, vCPU 0's context, and unpause
 *   domain_create_to_exit  the same and on until dom0 has seen the new
 *                          domain shut down: its first instruction makes
 *                          SCHEDOP_shutdown(poweroff); the hypervisor
 *                          sends VIRQ_DOM_EXC, dom0 (blocked meanwhile)
 *                          wakes and sees the shutdown with
 *                          getdomaininfo. So it is create-to-entry plus
 *                          one shutdown hypercall and one wake-up of dom0.
 *
 * The domU is not pinned: each hypervisor places it as it places a new
 * domain. Each repetition creates CREATES domains one after the other
 * and reports the mean; each is destroyed, and gone, before the next
 * one (not timed).
 */
#include <guest/console.h>
#include <guest/processor.h>

#include "dombench.h"

#define CREATES 4

/* Build, start and see the exit domU shut down; *built, *exited: cycles. */
static int create_one(const struct build_params *p, uint64_t *built,
		      uint64_t *exited)
{
	struct build_info info;
	uint64_t t0, t1;
	int rc;

	domu_exc_drain();
	t0 = rdtsc();
	rc = build_domain(p, &info);
	t1 = rdtsc();
	if (rc) {
		printk("dombench: domain_build: %s\n", info.error);
		return rc;
	}
	rc = domu_wait_shutdown(info.domid,
				time_now() + DOMU_WAIT_S * NSEC_PER_SEC);
	*exited += rdtsc() - t0;
	*built += t1 - t0;
	if (rc)
		printk("dombench: domain_create_to_exit: domain %u did not "
		       "shut down (%d)\n",
		       info.domid, rc);
	if (domu_destroy(info.domid))
		rc = -1;
	return rc;
}

/* domain_build and domain_create_to_exit. */
int bench_domain_create(void)
{
	struct build_params p = {
		.memory_kb = DOMU_MIB << 10,
		.max_vcpus = 1,
	};
	uint64_t build[REPS], to_exit[REPS];
	int rc = dombench_file("/boot/exit.elf", &p.kernel, &p.kernel_len);

	if (rc)
		return rc;
	for (int r = 0; r < REPS; r++) {
		uint64_t built = 0, exited = 0;

		for (int i = 0; i < CREATES; i++) {
			rc = create_one(&p, &built, &exited);
			if (rc)
				return rc;
		}
		build[r] = built / CREATES;
		to_exit[r] = exited / CREATES;
	}
	bench_report("domain_build", build);
	bench_report("domain_create_to_exit", to_exit);
	return 0;
}
