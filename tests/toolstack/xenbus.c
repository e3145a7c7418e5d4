/*
 * pvguest's xenbus client (<guest/xenbus.h>) end to end: a dom0 kernel
 * that starts xenstored (tools/xenstore/dom0), which also gives dom0
 * xenbus through its in-process transport, and builds xbclient domUs
 * (guests/xbclient.c), which reach it over their xenstore rings. Each
 * case but the first builds one domU in one of its modes, gives it a
 * home as xl does, introduces it and plays dom0's half: the writes a
 * watch must hear, the write that makes a transaction conflict, the
 * backend of a device handshake. The domU passes by powering off; when
 * it crashes, its data/why is the case's failure.
 *
 * dom0's side of the plumbing (homes, stepping with the domU, checks of
 * what the domU left behind) goes through xenstored's own client
 * (xenstored_dom0()), so that a fault of xenbus shows in the cases that
 * use it; dom0's xenbus is under test in the first case and as the
 * backend of the handshake.
 *
 * Stepping: the domU writes data/step = NAME when it reaches NAME and
 * polls data/go; dom0 polls data/step and writes data/go (see the top
 * of guests/xbclient.c).
 */
#include "harness/test.h"
#include "lib/tslib.h"

#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/foreign.h>
#include <guest/heap.h>
#include <guest/time.h>
#include <guest/xenbus.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xen/sched.h>
#include <xenstore/dom0.h>

CONFORMANCE_KERNEL("toolstack-xenbus");

#define GUEST "/boot/xbclient.elf"
#define POLL_MS 2
/*
 * How long dom0 waits for a domU's step or end: longer than the domU's
 * own waits (guests/xbclient.c), so that a domU that gives up says why.
 * Generous: the toolstack suites share the host with other QEMU runs.
 */
#define GUEST_WAIT_S 60
#define WAIT_NS (GUEST_WAIT_S * NSEC_PER_SEC)

static struct xsc *xs(void)
{
	if (!xenstored_running())
		xenstored_start();
	return xenstored_dom0();
}

/* /local/domain/<domid>/<rel> (the home itself if rel is "") into path. */
static char *dpath(char *path, size_t size, domid_t domid, const char *rel)
{
	snprintf(path, size, "/local/domain/%u%s%s", domid, *rel ? "/" : "",
		 rel);
	return path;
}

static int dom_write(domid_t domid, const char *rel, const char *value)
{
	char path[96];

	return xsc_write_str(xs(), XS_TX_NONE,
			     dpath(path, sizeof(path), domid, rel), value);
}

/* The domain's rel, or NULL; xsd_free() it. */
static char *dom_read(domid_t domid, const char *rel)
{
	char path[96], *v;

	if (xsc_read(xs(), XS_TX_NONE, dpath(path, sizeof(path), domid, rel),
		     &v, NULL))
		return NULL;
	return v;
}

static bool dom_value_is(domid_t domid, const char *rel, const char *want)
{
	char *v = dom_read(domid, rel);
	bool same = v && !strcmp(v, want);

	xsd_free(v);
	return same;
}

/* The domain's home, as every domain has it (tools/xenstore/dom0/home.c). */
static int give_home(xs_tx_t tx, domid_t domid)
{
	return xenstored_write_home(xs(), tx, domid, NULL);
}

/*
 * Build xbclient with cmdline on vcpus vCPUs, give it a home, let setup
 * (may be NULL) add to it in the same transaction, and introduce it.
 */
static int start_guest(const char *cmdline, unsigned int vcpus,
		       int (*setup)(xs_tx_t tx, domid_t domid), domid_t *domid)
{
	struct build_params p = {
		.memory_kb = 8 << 10,
		.max_vcpus = vcpus,
		.cmdline = cmdline,
	};
	struct build_info bi;
	xs_tx_t tx;
	int rc = ts_file(GUEST, &p.kernel, &p.kernel_len);

	rc = rc ? rc : build_domain(&p, &bi);
	if (rc)
		return rc;
	*domid = bi.domid;
	rc = xsc_transaction_start(xs(), &tx);
	if (rc)
		goto err_destroy;
	rc = give_home(tx, bi.domid);
	if (!rc && setup)
		rc = setup(tx, bi.domid);
	if (rc)
		xsc_transaction_end(xs(), tx, false);
	else
		rc = xsc_transaction_end(xs(), tx, true);
	rc = rc ? rc
		: xsc_introduce(xs(), bi.domid, bi.store_mfn, bi.store_port);
	if (rc)
		goto err_destroy;
	return 0;

err_destroy:
	ctrl_destroydomain(bi.domid);
	return rc;
}

/* A destroyed domain: remove its home, release it, wait until it is gone. */
static void release_guest(domid_t domid)
{
	char path[32];

	dpath(path, sizeof(path), domid, "");
	EXPECT_OK(xsc_rm(xs(), XS_TX_NONE, path));
	EXPECT_OK(xenstored_domain_gone(domid));
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
}

/* Destroy the domain and release it. */
static void finish_guest(domid_t domid)
{
	EXPECT_OK(ctrl_destroydomain(domid));
	release_guest(domid);
}

static bool shut_down(domid_t domid)
{
	ctrl_dominfo_t info;

	return ctrl_getdomaininfo(domid, &info) ||
	       (info.flags & XEN_DOMINF_shutdown);
}

/* Fail the case with the domU's reason (data/why), if it left one. */
static void guest_failed(const char *file, int line, domid_t domid,
			 const char *what)
{
	char *why = dom_read(domid, "data/why");

	test_fail(file, line, "%s: domain %u: %s", what, domid,
		  why ? why : "no reason given");
	xsd_free(why);
}

/* Wait until the domU has written name to data/step. */
static bool await_step(domid_t domid, const char *name)
{
	uint64_t deadline = time_now() + WAIT_NS;

	while (!dom_value_is(domid, "data/step", name)) {
		if (shut_down(domid) || time_now() >= deadline)
			return false;
		wait_ms(POLL_MS);
	}
	return true;
}

/* await_step(), failing the case with the domU's reason if it fails. */
static bool step_at(const char *file, int line, domid_t domid, const char *name)
{
	char what[48];

	if (await_step(domid, name))
		return true;
	snprintf(what, sizeof(what), "no step \"%s\"", name);
	guest_failed(file, line, domid, what);
	return false;
}

#define ASSERT_STEP(domid, name)                                               \
	do {                                                                   \
		if (!step_at(__FILE__, __LINE__, domid, name))                 \
			test_abort();                                          \
	} while (0)

/* The domU must end by powering off: its half passed. */
#define EXPECT_PASSED(domid)                                                   \
	do {                                                                   \
		ctrl_dominfo_t info_;                                          \
		int rc_ = ts_wait_shutdown(domid, GUEST_WAIT_S, &info_);       \
		if (rc_)                                                       \
			test_fail(__FILE__, __LINE__,                          \
				  "domain %u did not end (%s)", domid,         \
				  errno_name(rc_));                            \
		else if (ctrl_dominfo_shutdown_reason(&info_) !=               \
			 SHUTDOWN_poweroff)                                    \
			guest_failed(__FILE__, __LINE__, domid, "crashed");    \
	} while (0)

static void run_mode(const char *cmdline, unsigned int vcpus, domid_t *domid)
{
	ASSERT_OK(start_guest(cmdline, vcpus, NULL, domid));
	EXPECT_PASSED(*domid);
}

static volatile unsigned int fired;
static char fired_path[64];

static void on_watch(struct xenbus_watch *w, const char *path)
{
	snprintf(fired_path, sizeof(fired_path), "%s", path);
	__atomic_add_fetch(&fired, 1, __ATOMIC_SEQ_CST);
}

static bool wait_fired(unsigned int n)
{
	for (int i = 0; i < TS_WAIT_S * 1000 && fired < n; i += POLL_MS)
		wait_ms(POLL_MS);
	return fired >= n;
}

/* dom0's xenbus, over xenstored's in-process transport. */
TEST(xenbus, dom0_calls_its_own_xenstored)
{
	struct xenbus_watch w;
	xenbus_transaction_t t;
	unsigned int count;
	char *v, *names;
	domid_t domid = 1;

	ASSERT_TRUE(xs() != NULL);
	ASSERT_TRUE(xenbus_available());
	ASSERT_OK(xenbus_domid(&domid));
	EXPECT_EQ(domid, 0);
	/* Relative paths are dom0's home's. */
	ASSERT_OK(xenbus_write(XBT_NIL, "xbtest/a", "dom0"));
	ASSERT_OK(xenbus_read(XBT_NIL, "/local/domain/0/xbtest/a", &v));
	EXPECT_EQ(strcmp(v, "dom0"), 0);
	kfree(v);
	ASSERT_OK(xenbus_printf(XBT_NIL, "/local/domain/0/xbtest/b", "%d", 7));
	ASSERT_OK(xenbus_directory(XBT_NIL, "xbtest", &names, &count));
	EXPECT_EQ(count, 2);
	kfree(names);
	/* A watch: once registered, once per write, none after unwatch. */
	memset(&w, 0, sizeof(w));
	fired = 0;
	ASSERT_OK(xenbus_watch(&w, "xbtest/a", on_watch, NULL));
	ASSERT_TRUE(wait_fired(1));
	EXPECT_EQ(strcmp(fired_path, "xbtest/a"), 0);
	ASSERT_OK(xenbus_write(XBT_NIL, "xbtest/a", "again"));
	ASSERT_TRUE(wait_fired(2));
	EXPECT_OK(xenbus_unwatch(&w));
	ASSERT_OK(xenbus_write(XBT_NIL, "xbtest/a", "unheard"));
	wait_ms(50);
	EXPECT_EQ(fired, 2);
	/* A transaction. */
	ASSERT_OK(xenbus_transaction_start(&t));
	ASSERT_OK(xenbus_write(t, "xbtest/c", "later"));
	EXPECT_FALSE(xenbus_exists(XBT_NIL, "xbtest/c"));
	ASSERT_OK(xenbus_transaction_end(t, true));
	EXPECT_TRUE(xenbus_exists(XBT_NIL, "xbtest/c"));
	EXPECT_OK(xenbus_rm(XBT_NIL, "xbtest"));
	EXPECT_ERR(xenbus_read(XBT_NIL, "xbtest/a", &v), -ENOENT);
}

TEST(xenbus, nodes_paths_and_permissions)
{
	struct xs_perm *perms;
	unsigned int n;
	char path[64];
	domid_t domid;

	run_mode("mode=nodes", 1, &domid);
	/* What it wrote, seen from dom0. */
	EXPECT_TRUE(dom_value_is(domid, "data/rel", "relative"));
	EXPECT_TRUE(dom_value_is(domid, "data/abs", "absolute"));
	EXPECT_TRUE(dom_value_is(domid, "data/num", "4096"));
	ASSERT_OK(xsc_get_perms(xs(), XS_TX_NONE,
				dpath(path, sizeof(path), domid, "data/p"),
				&perms, &n));
	ASSERT_EQ(n, 2);
	EXPECT_EQ(perms[0].id, domid);
	EXPECT_EQ(perms[0].perms, XS_PERM_NONE);
	EXPECT_EQ(perms[1].id, 0);
	EXPECT_EQ(perms[1].perms, XS_PERM_READ);
	xsd_free(perms);
	finish_guest(domid);
}

TEST(xenbus, errors_come_back_as_errnos)
{
	char *v;
	domid_t domid;

	run_mode("mode=errors", 1, &domid);
	EXPECT_ERR(xsc_read(xs(), XS_TX_NONE, "/local/domain/0/evil", &v, NULL),
		   -ENOENT);
	finish_guest(domid);
}

TEST(xenbus, a_watch_fires_once_per_change)
{
	static const char *const steps[] = {"w1", "w2", "w3"};
	domid_t domid;

	ASSERT_OK(start_guest("mode=watch", 1, NULL, &domid));
	for (int i = 0; i < 3; i++) {
		char value[4];

		ASSERT_STEP(domid, steps[i]);
		snprintf(value, sizeof(value), "%d", i + 1);
		ASSERT_OK(dom_write(domid, "data/w", value));
	}
	ASSERT_STEP(domid, "w4");
	ASSERT_OK(dom_write(domid, "data/w/below", "x"));
	ASSERT_STEP(domid, "unwatched");
	ASSERT_OK(dom_write(domid, "data/w", "after"));
	ASSERT_OK(dom_write(domid, "data/go", "written"));
	EXPECT_PASSED(domid);
	finish_guest(domid);
}

TEST(xenbus, transactions_commit_abort_and_conflict)
{
	domid_t domid;

	ASSERT_OK(start_guest("mode=tx", 1, NULL, &domid));
	ASSERT_STEP(domid, "tx-open");
	ASSERT_OK(dom_write(domid, "data/tx/c", "dom0"));
	ASSERT_OK(dom_write(domid, "data/go", "conflict"));
	EXPECT_PASSED(domid);
	EXPECT_TRUE(dom_value_is(domid, "data/tx/a", "inside"));
	EXPECT_TRUE(dom_read(domid, "data/tx/b") == NULL);
	EXPECT_TRUE(dom_value_is(domid, "data/tx/c", "domU"));
	finish_guest(domid);
}

TEST(xenbus, threads_on_two_vCPUs_get_their_own_replies)
{
	domid_t domid;

	run_mode("mode=threads cpus=2", 2, &domid);
	EXPECT_TRUE(dom_value_is(domid, "data/th/count", "20"));
	finish_guest(domid);
}

/* The device's two directories, as Xen's toolstack lays them out. */
static int add_device(xs_tx_t tx, domid_t domid)
{
	struct xs_perm fe[2] = {{domid, XS_PERM_NONE}, {0, XS_PERM_READ}};
	struct xs_perm be[2] = {{0, XS_PERM_NONE}, {domid, XS_PERM_READ}};
	char bdir[64], fdir[64], path[96], id[8];
	struct xsc *c = xs();
	int rc;

	snprintf(bdir, sizeof(bdir), "/local/domain/0/backend/vtest/%u/0",
		 domid);
	dpath(fdir, sizeof(fdir), domid, "device/vtest/0");
	snprintf(id, sizeof(id), "%u", domid);
	rc = xsc_mkdir(c, tx, bdir);
	rc = rc ? rc : xsc_set_perms(c, tx, bdir, be, 2);
	snprintf(path, sizeof(path), "%s/frontend", bdir);
	rc = rc ? rc : xsc_write_str(c, tx, path, fdir);
	snprintf(path, sizeof(path), "%s/frontend-id", bdir);
	rc = rc ? rc : xsc_write_str(c, tx, path, id);
	snprintf(path, sizeof(path), "%s/state", bdir);
	rc = rc ? rc : xsc_write_str(c, tx, path, "1");
	rc = rc ? rc : xsc_mkdir(c, tx, fdir);
	rc = rc ? rc : xsc_set_perms(c, tx, fdir, fe, 2);
	snprintf(path, sizeof(path), "%s/backend", fdir);
	rc = rc ? rc : xsc_write_str(c, tx, path, bdir);
	snprintf(path, sizeof(path), "%s/backend-id", fdir);
	rc = rc ? rc : xsc_write_str(c, tx, path, "0");
	snprintf(path, sizeof(path), "%s/state", fdir);
	return rc ? rc : xsc_write_str(c, tx, path, "1");
}

/* Wait until the frontend is in state s (or gives up); false if not. */
static bool frontend_in(struct xenbus_device *be, domid_t domid,
			enum xenbus_state s)
{
	uint64_t deadline = time_now() + WAIT_NS;
	enum xenbus_state got = XenbusStateUnknown;

	for (;;) {
		/* A short wait at a time, to notice a domU that crashed. */
		int rc = xenbus_device_wait(be, XENBUS_STATE_BIT(s),
					    time_now() + 200 * NSEC_PER_MSEC,
					    &got);

		if (!rc)
			break;
		if (rc != -ETIMEDOUT || shut_down(domid) ||
		    time_now() >= deadline) {
			printk("    frontend is %s, waited for %s (%s)\n",
			       xenbus_state_name(got), xenbus_state_name(s),
			       errno_name(rc));
			return false;
		}
	}
	return got == s && xenbus_read_state(be->otherend) == s;
}

#define ASSERT_FRONTEND(be, domid, s)                                          \
	do {                                                                   \
		if (!frontend_in(be, domid, s)) {                              \
			guest_failed(__FILE__, __LINE__, domid,                \
				     "frontend not " #s);                      \
			test_abort();                                          \
		}                                                              \
	} while (0)

/* dom0 is the backend, through its own xenbus; the domU the frontend. */
TEST(xenbus, the_state_handshake_with_a_dom0_backend)
{
	struct xenbus_device be;
	char bdir[64], fdir[64], path[96];
	unsigned long ref;
	domid_t domid;

	ASSERT_OK(start_guest("mode=frontend", 1, add_device, &domid));
	snprintf(bdir, sizeof(bdir), "/local/domain/0/backend/vtest/%u/0",
		 domid);
	dpath(fdir, sizeof(fdir), domid, "device/vtest/0");
	ASSERT_OK(xenbus_device_init(&be, bdir, true));
	EXPECT_EQ(strcmp(be.nodename, bdir), 0);
	EXPECT_EQ(strcmp(be.otherend, fdir), 0);
	EXPECT_EQ(be.otherend_id, domid);
	EXPECT_TRUE(be.is_backend);
	EXPECT_EQ(xenbus_read_state(bdir), XenbusStateInitialising);
	ASSERT_OK(xenbus_switch_state(bdir, XenbusStateInitWait));
	ASSERT_FRONTEND(&be, domid, XenbusStateInitialised);
	snprintf(path, sizeof(path), "%s/ring-ref", fdir);
	ASSERT_OK(xenbus_read_uint(XBT_NIL, path, &ref));
	EXPECT_EQ(ref, 8);
	ASSERT_OK(xenbus_switch_state(bdir, XenbusStateConnected));
	ASSERT_FRONTEND(&be, domid, XenbusStateConnected);
	ASSERT_STEP(domid, "connected");
	ASSERT_OK(dom_write(domid, "data/go", "close"));
	ASSERT_FRONTEND(&be, domid, XenbusStateClosing);
	ASSERT_OK(xenbus_switch_state(bdir, XenbusStateClosing));
	ASSERT_FRONTEND(&be, domid, XenbusStateClosed);
	ASSERT_OK(xenbus_switch_state(bdir, XenbusStateClosed));
	EXPECT_PASSED(domid);
	EXPECT_EQ(xenbus_read_state(fdir), XenbusStateClosed);
	EXPECT_EQ(xenbus_read_state(bdir), XenbusStateClosed);
	snprintf(path, sizeof(path), "/local/domain/0/backend/vtest/%u", domid);
	EXPECT_OK(xenbus_rm(XBT_NIL, path));
	finish_guest(domid);
}

/* One round trip with the echo domU: go "n", step "n". */
static bool echo(domid_t domid, unsigned int n)
{
	char value[8];

	snprintf(value, sizeof(value), "%u", n);
	return !dom_write(domid, "data/go", value) && await_step(domid, value);
}

/* The busy domU's first thread has written data/busy/0 past n. */
static bool busy_past(domid_t domid, unsigned long n)
{
	uint64_t deadline = time_now() + WAIT_NS;

	for (;;) {
		char *v = dom_read(domid, "data/busy/0");
		unsigned long k = v ? parse_uint(v, NULL) : 0;

		xsd_free(v);
		if (k > n)
			return true;
		if (shut_down(domid) || time_now() >= deadline)
			return false;
		wait_ms(POLL_MS);
	}
}

/*
 * A domU destroyed while its threads keep xenbus requests coming (and
 * its watch firing): xenstored goes on serving the echo domU and dom0,
 * and releasing the dead one frees everything it held.
 */
TEST(xenbus, a_domU_destroyed_mid_request_disturbs_no_one)
{
	unsigned long mapped = foreign_mapped_pages();
	struct xenstored_info before, during, after;
	domid_t busy, other;
	unsigned int n = 0;
	char *v;

	xenstored_info(&before);
	ASSERT_OK(start_guest("mode=busy cpus=2", 2, NULL, &busy));
	ASSERT_OK(start_guest("mode=echo", 1, NULL, &other));
	ASSERT_TRUE(busy_past(busy, 20));
	while (n < 5)
		ASSERT_TRUE(echo(other, ++n));
	xenstored_info(&during);
	EXPECT_GT(during.ring_in, before.ring_in);
	ASSERT_OK(ctrl_destroydomain(busy));
	/* Its connection is still there, its last requests with it. */
	while (n < 15)
		ASSERT_TRUE(echo(other, ++n));
	ASSERT_OK(xenbus_write(XBT_NIL, "xbtest/alive", "yes"));
	ASSERT_OK(xenbus_read(XBT_NIL, "xbtest/alive", &v));
	EXPECT_EQ(strcmp(v, "yes"), 0);
	kfree(v);
	EXPECT_OK(xenbus_rm(XBT_NIL, "xbtest"));
	release_guest(busy);
	while (n < 20)
		ASSERT_TRUE(echo(other, ++n));
	ASSERT_OK(dom_write(other, "data/go", "end"));
	EXPECT_PASSED(other);
	finish_guest(other);
	xenstored_info(&after);
	EXPECT_EQ(after.rings, before.rings);
	EXPECT_EQ(after.stats.connections, before.stats.connections);
	EXPECT_EQ(foreign_mapped_pages(), mapped);
}
