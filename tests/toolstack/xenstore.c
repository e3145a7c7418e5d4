/*
 * dom0's xenstored serving domUs over their rings: a dom0 kernel that
 * starts xenstored (tools/xenstore/dom0), builds the xsclient domU
 * (guests/xsclient.c), gives it a home as xl does and introduces it.
 * The domU writes, reads, watches (dom0 fires its watch), runs a
 * transaction and reconnects its ring; dom0's own watch hears the
 * domU's writes. Hostile domUs (a payload over the limit, bad ring
 * indexes) lose their connection with the error in their page while
 * the others are served. Releasing a domain unmaps its page, frees its
 * connection and fires @releaseDomain.
 */
#include "harness/test.h"
#include "lib/tslib.h"

#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/foreign.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xen/sched.h>
#include <xenstore/dom0.h>

CONFORMANCE_KERNEL("toolstack-xenstore");

#define GUEST "/boot/xsclient.elf"

static volatile unsigned int heard;
static char heard_path[64];

static void on_watch(const char *path, const char *token, void *arg)
{
	snprintf(heard_path, sizeof(heard_path), "%s", path);
	heard++;
}

static struct xsc *xs(void)
{
	if (!xenstored_running())
		xenstored_start();
	return xenstored_dom0();
}

/* The domain's home, as every domain has it (tools/xenstore/dom0/home.c). */
static int give_home(domid_t domid)
{
	return xenstored_write_home(xs(), XS_TX_NONE, domid, NULL);
}

/* Build the client domU in mode and introduce it. */
static int start_guest(const char *mode, struct build_info *bi)
{
	char cmdline[48];
	struct build_params p = {.memory_kb = 8 << 10, .max_vcpus = 1};
	int rc = ts_file(GUEST, &p.kernel, &p.kernel_len);

	/* xenbus=off: the ring is the test's, not pvguest's own client's. */
	snprintf(cmdline, sizeof(cmdline), "xenbus=off mode=%s", mode);
	p.cmdline = cmdline;
	rc = rc ? rc : build_domain(&p, bi);
	rc = rc ? rc : give_home(bi->domid);
	return rc ? rc
		  : xsc_introduce(xs(), bi->domid, bi->store_mfn,
				  bi->store_port);
}

/* Destroy it, release it, and wait until it is really gone. */
static void finish_guest(domid_t domid)
{
	char path[32];

	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	EXPECT_OK(ctrl_destroydomain(domid));
	EXPECT_OK(xsc_rm(xs(), 0, path));
	EXPECT_OK(xenstored_domain_gone(domid));
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
}

static bool wait_heard(unsigned int n)
{
	for (int i = 0; i < TS_WAIT_S * 100 && heard < n; i++)
		wait_ms(10);
	return heard >= n;
}

TEST(xenstore, a_domU_talks_over_its_ring)
{
	unsigned long mapped = foreign_mapped_pages();
	struct xenstored_info before, after;
	char path[64], *v;
	struct build_info bi;
	ctrl_dominfo_t info;

	ASSERT_TRUE(xs() != NULL);
	xenstored_info(&before);
	heard = 0;
	ASSERT_OK(start_guest("talk", &bi));
	snprintf(path, sizeof(path), "/local/domain/%u/data/ready", bi.domid);
	ASSERT_OK(xsc_watch(xs(), path, "ready", on_watch, NULL));
	ASSERT_TRUE(wait_heard(2)); /* the first event, then the domU's */
	EXPECT_EQ(strcmp(heard_path, path), 0);
	snprintf(path, sizeof(path), "/local/domain/%u/data/cmd", bi.domid);
	ASSERT_OK(xsc_write_str(xs(), 0, path, "go"));
	ASSERT_OK(ts_wait_shutdown(bi.domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	snprintf(path, sizeof(path), "/local/domain/%u/data/result", bi.domid);
	ASSERT_OK(xsc_read(xs(), 0, path, &v, NULL));
	EXPECT_EQ(strcmp(v, "ok"), 0);
	xsd_free(v);
	snprintf(path, sizeof(path), "/local/domain/%u/data/greeting",
		 bi.domid);
	ASSERT_OK(xsc_read(xs(), 0, path, &v, NULL));
	EXPECT_EQ(strcmp(v, "hello from the domU"), 0);
	xsd_free(v);
	snprintf(path, sizeof(path), "/local/domain/%u/data/ready", bi.domid);
	EXPECT_OK(xsc_unwatch(xs(), path, "ready"));
	xenstored_info(&after);
	EXPECT_EQ(after.rings, before.rings + 1);
	EXPECT_GT(after.ring_in, before.ring_in);
	EXPECT_GT(after.ring_out, before.ring_out);
	finish_guest(bi.domid);
	xenstored_info(&after);
	EXPECT_EQ(after.rings, before.rings);
	EXPECT_EQ(after.stats.connections, before.stats.connections);
	EXPECT_EQ(foreign_mapped_pages(), mapped);
}

static void hostile(const char *mode)
{
	struct build_info bi, good;
	ctrl_dominfo_t info;

	ASSERT_OK(start_guest(mode, &bi));
	ASSERT_OK(ts_wait_shutdown(bi.domid, TS_WAIT_S, &info));
	/* It found the error in its page and powered off. */
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	/* Meanwhile the others are served. */
	heard = 0;
	ASSERT_OK(start_guest("talk", &good));
	{
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%u/data/ready",
			 good.domid);
		ASSERT_OK(xsc_watch(xs(), path, "ready", on_watch, NULL));
		ASSERT_TRUE(wait_heard(2));
		snprintf(path, sizeof(path), "/local/domain/%u/data/cmd",
			 good.domid);
		ASSERT_OK(xsc_write_str(xs(), 0, path, "go"));
	}
	ASSERT_OK(ts_wait_shutdown(good.domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	finish_guest(bi.domid);
	finish_guest(good.domid);
}

TEST(xenstore, an_oversized_request_cuts_the_domU_off)
{
	hostile("oversize");
}

TEST(xenstore, bad_ring_indexes_cut_the_domU_off)
{
	hostile("badidx");
}

/* A domU that keeps its ring busy does not keep xenstored from others. */
TEST(xenstore, a_flooding_domU_does_not_starve_the_others)
{
	struct build_info flood, good;
	ctrl_dominfo_t info;
	char path[64], *v;

	ASSERT_OK(start_guest("flood", &flood));
	wait_ms(200);
	heard = 0;
	ASSERT_OK(start_guest("talk", &good));
	snprintf(path, sizeof(path), "/local/domain/%u/data/ready", good.domid);
	ASSERT_OK(xsc_watch(xs(), path, "ready", on_watch, NULL));
	ASSERT_TRUE(wait_heard(2));
	snprintf(path, sizeof(path), "/local/domain/%u/data/cmd", good.domid);
	ASSERT_OK(xsc_write_str(xs(), 0, path, "go"));
	ASSERT_OK(ts_wait_shutdown(good.domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	/* And the flood was being served all along. */
	snprintf(path, sizeof(path), "/local/domain/%u/data/flood",
		 flood.domid);
	ASSERT_OK(xsc_read(xs(), 0, path, &v, NULL));
	EXPECT_GT(parse_uint(v, NULL), 100);
	xsd_free(v);
	finish_guest(flood.domid);
	finish_guest(good.domid);
}

TEST(xenstore, release_fires_releaseDomain)
{
	struct build_info bi;
	bool yes = false;

	heard = 0;
	ASSERT_OK(xsc_watch(xs(), "@releaseDomain", "rel", on_watch, NULL));
	ASSERT_TRUE(wait_heard(1));
	ASSERT_OK(start_guest("oversize", &bi));
	ASSERT_OK(xsc_is_introduced(xs(), bi.domid, &yes));
	EXPECT_TRUE(yes);
	ASSERT_OK(xsc_release(xs(), bi.domid));
	ASSERT_TRUE(wait_heard(2));
	EXPECT_EQ(strcmp(heard_path, "@releaseDomain"), 0);
	ASSERT_OK(xsc_is_introduced(xs(), bi.domid, &yes));
	EXPECT_FALSE(yes);
	EXPECT_OK(xsc_unwatch(xs(), "@releaseDomain", "rel"));
	EXPECT_OK(ctrl_destroydomain(bi.domid));
	EXPECT_OK(ts_wait_gone(bi.domid, TS_WAIT_S));
}
