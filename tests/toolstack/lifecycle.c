/*
 * Domains made and unmade by dom0's builder: what the domctls report
 * about a built domain, and that nothing leaks - 200 domains created
 * and destroyed give back every page (physinfo's free pages return to
 * the same figure), every port and every domain id; a build that fails
 * (bad image, too little or too much memory, bad vCPU count) leaves no
 * domain behind.
 */
#include "harness/test.h"
#include "lib/tslib.h"

#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/foreign.h>
#include <guest/heap.h>
#include <paravane/string.h>

CONFORMANCE_KERNEL("toolstack-lifecycle");

#define ROUNDS 200
#define SETTLE_TRIES 100 /* 10 s: freeing may finish after destroydomain */

/*
 * The host's free pages while no domU exists, measured by the first
 * test before any domain is built. Every later count is taken once
 * earlier destructions have finished (Xen frees a destroyed domain's
 * last pages, its structures, a little after it leaves the list), that
 * is once the figure is back to this one; if it never comes back,
 * something leaked.
 */
static unsigned long idle_free;

/* Free pages, once they stop changing towards want (or the last seen). */
static unsigned long settled_free_pages(unsigned long want)
{
	unsigned long now = ts_free_pages();

	for (int i = 0; i < SETTLE_TRIES && now != want; i++) {
		wait_ms(100);
		now = ts_free_pages();
	}
	return now;
}

/* Free pages with no domU left; fails the test if they do not return. */
static unsigned long free_when_idle(void)
{
	unsigned long now = settled_free_pages(idle_free);

	EXPECT_EQ(now, idle_free);
	return now;
}

static int build_from(const char *path, unsigned long kb, unsigned int vcpus,
		      struct build_info *bi)
{
	struct build_params p = {.memory_kb = kb, .max_vcpus = vcpus};
	int rc = ts_file(path, &p.kernel, &p.kernel_len);

	return rc ? rc : build_domain(&p, bi);
}

/* A refused build: the error, no new domain, no memory gone. */
static void expect_refused(const char *path, unsigned long kb,
			   unsigned int vcpus, int err)
{
	unsigned int before = ts_nr_domains();
	struct build_info bi;

	free_when_idle();
	EXPECT_ERR(build_from(path, kb, vcpus, &bi), err);
	printk("    refused: %s\n", bi.error);
	EXPECT_NE(bi.error[0], '\0');
	EXPECT_EQ(ts_nr_domains(), before);
	free_when_idle();
	EXPECT_EQ(foreign_mapped_pages(), 0);
}

TEST(lifecycle, host_memory_with_no_domU)
{
	/* First bind what dom0 itself will use, then count. */
	ts_exc_drain();
	ts_next_free_port();
	idle_free = ts_free_pages();
	ASSERT_NE(idle_free, 0);
	printk("    %lu pages free\n", idle_free);
}

TEST(lifecycle, a_built_domain_is_described_by_the_domctls)
{
	struct xen_domctl_getvcpuinfo vi;
	struct xen_domctl_sched_credit sc = {.weight = 512, .cap = 25};
	vcpu_guest_context_t *ctxt = kzalloc(sizeof(*ctxt));
	struct build_params p = {.memory_kb = 8 << 10, .max_vcpus = 2};
	struct build_info bi;
	ctrl_dominfo_t info;
	uint64_t cpus = 0;

	ASSERT_TRUE(ctxt != NULL);
	ASSERT_OK(ts_file(TS_PROBE, &p.kernel, &p.kernel_len));
	ASSERT_OK(build_create(&p, &bi));
	ASSERT_OK(build_image(&p, &bi));
	ASSERT_OK(ctrl_getdomaininfo(bi.domid, &info));
	EXPECT_EQ(info.domain, bi.domid);
	EXPECT_EQ(info.tot_pages, 2048);
	EXPECT_EQ(info.max_pages, 2048);
	EXPECT_EQ(info.max_vcpu_id, 1);
	EXPECT_EQ(info.nr_online_vcpus, 1); /* vCPU 0; the guest starts 1 */
	EXPECT_TRUE(info.flags & XEN_DOMINF_paused);
	EXPECT_FALSE(info.flags & XEN_DOMINF_shutdown);
	EXPECT_EQ(ctrl_current_reservation(bi.domid), 2048);

	/* vCPU 0 enters the kernel with start_info in %rsi. */
	ASSERT_OK(ctrl_getvcpucontext(bi.domid, 0, ctxt));
	EXPECT_EQ(ctxt->user_regs.rip, bi.entry);
	EXPECT_EQ(ctxt->user_regs.rsi, bi.start_info_va);
	EXPECT_TRUE(ctxt->flags & VGCF_online);
	ASSERT_OK(ctrl_getvcpuinfo(bi.domid, 0, &vi));
	EXPECT_TRUE(vi.online);
	ASSERT_OK(ctrl_getvcpuinfo(bi.domid, 1, &vi));
	EXPECT_FALSE(vi.online);
	EXPECT_ERR(ctrl_getvcpuinfo(bi.domid, 2, &vi), -EINVAL);
	EXPECT_ERR(ctrl_getvcpucontext(bi.domid, 2, ctxt), -EINVAL);
	/* vCPU 1 exists but was never given a context. */
	EXPECT_ERR(ctrl_getvcpucontext(bi.domid, 1, ctxt), -ENODATA);
	EXPECT_ERR(ctrl_setvcpuaffinity(bi.domid, 2, 1), -EINVAL);

	/* Affinity and credit settings read back as set. */
	EXPECT_OK(ctrl_setvcpuaffinity(bi.domid, 0, 1));
	EXPECT_OK(ctrl_getvcpuaffinity(bi.domid, 0, &cpus));
	EXPECT_EQ(cpus & ((1ULL << ts_nr_cpus()) - 1), 1);
	EXPECT_OK(ctrl_sched_credit_put(bi.domid, &sc));
	sc = (struct xen_domctl_sched_credit){0};
	EXPECT_OK(ctrl_sched_credit_get(bi.domid, &sc));
	EXPECT_EQ(sc.weight, 512);
	EXPECT_EQ(sc.cap, 25);
	/* A weight of 0 and a cap of 0xffff change nothing (Xen's rule). */
	sc = (struct xen_domctl_sched_credit){.weight = 0, .cap = 0xffff};
	EXPECT_OK(ctrl_sched_credit_put(bi.domid, &sc));
	sc = (struct xen_domctl_sched_credit){0};
	EXPECT_OK(ctrl_sched_credit_get(bi.domid, &sc));
	EXPECT_EQ(sc.weight, 512);
	EXPECT_EQ(sc.cap, 25);

	/* Paused by the toolstack until unpaused; then it runs. */
	EXPECT_OK(ctrl_unpausedomain(bi.domid));
	ASSERT_OK(ctrl_getdomaininfo(bi.domid, &info));
	EXPECT_FALSE(info.flags & XEN_DOMINF_paused);
	/* A running vCPU's context can be read too (Xen pauses it). */
	EXPECT_OK(ctrl_getvcpucontext(bi.domid, 0, ctxt));
	EXPECT_TRUE(ctxt->flags & VGCF_online);
	EXPECT_OK(ctrl_pausedomain(bi.domid));
	ASSERT_OK(ctrl_getdomaininfo(bi.domid, &info));
	EXPECT_TRUE(info.flags & XEN_DOMINF_paused);
	EXPECT_OK(ctrl_unpausedomain(bi.domid));

	EXPECT_OK(ctrl_destroydomain(bi.domid));
	EXPECT_OK(ts_wait_gone(bi.domid, TS_WAIT_S));
	kfree(ctxt);
}

TEST(lifecycle, operations_on_a_missing_domain_are_esrch)
{
	ctrl_dominfo_t info;
	domid_t none = 0x7000;

	EXPECT_ERR(ctrl_getdomaininfo(none, &info), -ESRCH);
	EXPECT_ERR(ctrl_destroydomain(none), -ESRCH);
	EXPECT_ERR(ctrl_pausedomain(none), -ESRCH);
	EXPECT_ERR(ctrl_unpausedomain(none), -ESRCH);
	EXPECT_ERR(ctrl_max_mem(none, 1024), -ESRCH);
}

TEST(lifecycle, create_and_destroy_200_domains_leaks_nothing)
{
	unsigned long free = free_when_idle();
	evtchn_port_t port = ts_next_free_port();
	unsigned int domains = ts_nr_domains();
	domid_t domid = 0;

	ASSERT_NE(port, 0);
	for (unsigned int i = 0; i < ROUNDS; i++) {
		/* Every tenth one runs before it is destroyed. */
		int rc = ts_build(TS_PROBE, "mode=idle", 8, 1, i % 10 == 0,
				  &domid);

		if (rc) {
			test_fail(__FILE__, __LINE__, "build %u failed: %d", i,
				  rc);
			break;
		}
		rc = ctrl_destroydomain(domid);
		if (rc) {
			test_fail(__FILE__, __LINE__, "destroy %u failed: %d",
				  i, rc);
			break;
		}
	}
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
	EXPECT_EQ(settled_free_pages(free), free);
	EXPECT_EQ(ts_nr_domains(), domains);
	EXPECT_EQ(ts_next_free_port(), port);
	EXPECT_EQ(foreign_mapped_pages(), 0);
	/* Domain ids were not used up: one more still works. */
	ASSERT_OK(ts_build(TS_PROBE, "mode=idle", 8, 1, true, &domid));
	EXPECT_OK(ctrl_destroydomain(domid));
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
}

TEST(lifecycle, a_bad_image_is_refused_cleanly)
{
	expect_refused("/boot/bad.elf", 8 << 10, 1, -EINVAL);
}

TEST(lifecycle, a_truncated_image_is_refused_cleanly)
{
	expect_refused("/boot/truncated.elf", 8 << 10, 1, -EINVAL);
}

TEST(lifecycle, too_little_memory_is_refused_cleanly)
{
	expect_refused(TS_PROBE, 1 << 10, 1, -ENOMEM);
}

TEST(lifecycle, more_memory_than_the_host_has_is_refused_cleanly)
{
	/* createdomain succeeds; populate_physmap runs out; destroyed. */
	expect_refused(TS_PROBE, (idle_free + 1024) * 4, 1, -ENOMEM);
}

TEST(lifecycle, a_bad_vcpu_count_is_refused_cleanly)
{
	expect_refused(TS_PROBE, 8 << 10, 0, -EINVAL);
	expect_refused(TS_PROBE, 8 << 10, 33, -EINVAL);
}
