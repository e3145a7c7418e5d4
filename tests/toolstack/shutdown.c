/*
 * A domU's end as dom0 sees it: VIRQ_DOM_EXC fires, and getdomaininfo
 * reports XEN_DOMINF_shutdown with the reason (poweroff, reboot,
 * suspend, crash, or a code latched with SCHEDOP_shutdown_code) in the
 * flags' shutdown field. The domain stays, shut down, until destroyed;
 * destroying it fires VIRQ_DOM_EXC again and it is gone.
 */
#include "harness/test.h"
#include "lib/tslib.h"

#include <guest/hypercall.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xen/sched.h>

CONFORMANCE_KERNEL("toolstack-shutdown");

static void expect_reason(const char *cmdline, unsigned int reason)
{
	ctrl_dominfo_t info;
	domid_t domid;

	ts_exc_drain();
	ASSERT_OK(ts_build(TS_PROBE, cmdline, 8, 1, true, &domid));
	ASSERT_OK(ts_wait_shutdown(domid, TS_WAIT_S, &info));
	EXPECT_TRUE(ts_exc_seen(TS_WAIT_S));
	EXPECT_TRUE(info.flags & XEN_DOMINF_shutdown);
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), reason);
	EXPECT_FALSE(info.flags & XEN_DOMINF_dying);
	/* It stays until destroyed; destroying it is announced too. */
	ASSERT_OK(ctrl_getdomaininfo(domid, &info));
	ASSERT_OK(ctrl_destroydomain(domid));
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
	EXPECT_TRUE(ts_exc_seen(TS_WAIT_S));
	EXPECT_ERR(ctrl_getdomaininfo(domid, &info), -ESRCH);
}

TEST(shutdown, poweroff_is_reported)
{
	expect_reason("mode=shutdown reason=poweroff", SHUTDOWN_poweroff);
}

TEST(shutdown, reboot_is_reported)
{
	expect_reason("mode=shutdown reason=reboot", SHUTDOWN_reboot);
}

TEST(shutdown, suspend_is_reported)
{
	expect_reason("mode=shutdown reason=suspend", SHUTDOWN_suspend);
}

TEST(shutdown, crash_is_reported)
{
	expect_reason("mode=shutdown reason=crash", SHUTDOWN_crash);
}

TEST(shutdown, latched_code_is_the_reason)
{
	expect_reason("mode=code code=3", SHUTDOWN_crash);
}

TEST(shutdown, watchdog_reason_is_passed_on)
{
	expect_reason("mode=shutdown reason=4", SHUTDOWN_watchdog);
}

TEST(shutdown, every_domctl_and_sysctl_is_refused_to_a_domU)
{
	/*
	 * The probe powers off only if each one was refused with -EPERM
	 * (on Xen, a few are refused by their argument checks first;
	 * Paravane checks the caller before anything else).
	 */
	expect_reason(ts_on_paravane() ? "mode=perm strict" : "mode=perm",
		      SHUTDOWN_poweroff);
}

TEST(shutdown, ramdisk_and_cmdline_reach_the_domU)
{
	static const char data[] = "a ramdisk for a domU\n";
	struct build_params p = {
		.ramdisk = data,
		.ramdisk_len = sizeof(data) - 1,
		.memory_kb = 8 << 10,
		.max_vcpus = 1,
	};
	struct build_info bi;
	ctrl_dominfo_t info;
	char cmdline[64];
	unsigned long sum = 0;

	for (size_t i = 0; i < p.ramdisk_len; i++)
		sum += (uint8_t)data[i];
	snprintf(cmdline, sizeof(cmdline), "mode=ramdisk size=%zu sum=%lu",
		 p.ramdisk_len, sum);
	p.cmdline = cmdline;
	ASSERT_OK(ts_file(TS_PROBE, &p.kernel, &p.kernel_len));
	ASSERT_OK(build_domain(&p, &bi));
	ASSERT_OK(ts_wait_shutdown(bi.domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	EXPECT_OK(ctrl_destroydomain(bi.domid));
	EXPECT_OK(ts_wait_gone(bi.domid, TS_WAIT_S));
}
