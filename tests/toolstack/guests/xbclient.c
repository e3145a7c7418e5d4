/*
 * A domU that exercises pvguest's xenbus client (<guest/xenbus.h>) over
 * its xenstore ring, against dom0's xenstored: the domU half of the
 * xenbus kernel's cases (tests/toolstack/xenbus.c). Each mode (command
 * line mode=NAME) is one case. Its result reaches dom0 through how it
 * ends - poweroff: passed; crash: failed, with the reason in data/why
 * (and on its console).
 *
 * dom0 and the domU go in step through two nodes of the domU's home:
 * the domU writes data/step = NAME when it has reached NAME, dom0
 * writes data/go = NAME to let it go on. Both poll.
 *
 *   nodes     write, read, read_buf, read_uint, printf, exists, mkdir,
 *             rm, directory; relative and absolute paths; the domain's
 *             path and id; get and set permissions
 *   errors    ENOENT, EACCES, EINVAL, and the connection still serves
 *   watch     a watch on data/w fires once when registered and once per
 *             change dom0 makes there (steps "w1".."w4"), none after
 *             unwatch ("unwatched", go "written")
 *   tx        a transaction's write is invisible outside until commit;
 *             abort discards; a write dom0 makes to data/tx/c while one
 *             is open ("tx-open", go "conflict") fails its commit with
 *             EAGAIN, and the retry commits
 *   threads   (cpus=2) THREADS threads on both vCPUs make requests at
 *             once; every reply must be the caller's; a counter raised
 *             in transactions by all of them ends exact
 *   frontend  the frontend of device vtest/0 (dom0 is its backend):
 *             Initialising -> InitWait -> Initialised -> Connected
 *             ("connected", go "close") -> Closing -> Closed, each side
 *             waiting for the other's state before it moves on
 *   echo      answer dom0's go "N" with step "N" until go is "end"
 *   busy      threads on both vCPUs make requests for ever, with a
 *             watch firing on their writes (dom0 destroys it)
 */
#include <guest/app.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/percpu.h>
#include <guest/sched.h>
#include <guest/shutdown.h>
#include <guest/time.h>
#include <guest/xenbus.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define WAIT_NS (40 * NSEC_PER_SEC)	  /* below dom0's wait for a step */
#define EVENT_WAIT_NS (10 * NSEC_PER_SEC) /* for a watch event */
#define POLL_NS (2 * NSEC_PER_MSEC)
#define QUIET_NS (100 * NSEC_PER_MSEC) /* no event may come in this long */
#define THREADS 4
#define ROUNDS 20
#define TX_ROUNDS 5

static domid_t self;

static void __noreturn fail(const char *fmt, ...) __printf(1, 2);

/* Report why (data/why and the console) and crash. */
static void __noreturn fail(const char *fmt, ...)
{
	static char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printk("xbclient: FAILED: %s\n", why);
	xenbus_write(XBT_NIL, "data/why", why);
	kernel_crash();
}

/* expr must return want (0 or a negative errno). */
#define CHECK_RC(expr, want)                                                   \
	do {                                                                   \
		int rc_ = (expr), want_ = (want);                              \
		if (rc_ != want_)                                              \
			fail("line %d: %s returned %s, expected %s", __LINE__, \
			     #expr, errno_name(rc_), errno_name(want_));       \
	} while (0)
#define CHECK_OK(expr) CHECK_RC(expr, 0)
#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			fail("line %d: %s", __LINE__, #cond);                  \
	} while (0)

/* path's value must be want. */
static void expect_value(xenbus_transaction_t tx, const char *path,
			 const char *want)
{
	char *v;
	int rc = xenbus_read(tx, path, &v);

	if (rc)
		fail("read %s: %s, expected \"%s\"", path, errno_name(rc),
		     want);
	if (strcmp(v, want))
		fail("read %s: \"%s\", expected \"%s\"", path, v, want);
	kfree(v);
}

/* Tell dom0 we reached name. */
static void step(const char *name)
{
	CHECK_OK(xenbus_write(XBT_NIL, "data/step", name));
}

/* Wait until dom0 writes name to data/go. */
static void await(const char *name)
{
	uint64_t deadline = time_now() + WAIT_NS;
	char *v;

	for (;;) {
		if (!xenbus_read(XBT_NIL, "data/go", &v)) {
			bool go = !strcmp(v, name);

			kfree(v);
			if (go)
				return;
		}
		if (time_now() >= deadline)
			fail("dom0 did not say \"%s\"", name);
		sleep_ns(POLL_NS);
	}
}

/* Whether the NUL-separated list of count names holds name. */
static bool listed(const char *names, unsigned int count, const char *name)
{
	for (unsigned int i = 0; i < count; i++, names += strlen(names) + 1)
		if (!strcmp(names, name))
			return true;
	return false;
}

static void paths(void)
{
	char *home, path[64], buf[9];
	unsigned long u;
	domid_t domid;

	CHECK_OK(xenbus_domid(&domid));
	CHECK(domid == self);
	CHECK_OK(xenbus_get_domain_path(self, &home));
	snprintf(path, sizeof(path), "/local/domain/%u", self);
	CHECK(!strcmp(home, path));
	CHECK_OK(xenbus_read_uint(XBT_NIL, "domid", &u));
	CHECK(u == self);
	/* A relative write read back both ways, and an absolute one. */
	CHECK_OK(xenbus_write(XBT_NIL, "data/rel", "relative"));
	snprintf(path, sizeof(path), "%s/data/rel", home);
	expect_value(XBT_NIL, path, "relative");
	snprintf(path, sizeof(path), "%s/data/abs", home);
	CHECK_OK(xenbus_write(XBT_NIL, path, "absolute"));
	expect_value(XBT_NIL, "data/abs", "absolute");
	kfree(home);
	/* read_buf: the value fits, or the call says it did not. */
	CHECK_OK(xenbus_read_buf(XBT_NIL, "data/rel", buf, sizeof(buf)));
	CHECK(!strcmp(buf, "relative"));
	CHECK_RC(xenbus_read_buf(XBT_NIL, "data/rel", buf, 4), -ERANGE);
	CHECK(!strcmp(buf, "rel"));
}

static void values(void)
{
	unsigned long u;

	CHECK_OK(xenbus_printf(XBT_NIL, "data/num", "%u", 4096u));
	CHECK_OK(xenbus_read_uint(XBT_NIL, "data/num", &u));
	CHECK(u == 4096);
	CHECK_OK(xenbus_printf(XBT_NIL, "data/fmt", "%s-%d", "ring", 7));
	expect_value(XBT_NIL, "data/fmt", "ring-7");
	CHECK_OK(xenbus_write(XBT_NIL, "data/empty", ""));
	expect_value(XBT_NIL, "data/empty", "");
	CHECK(xenbus_exists(XBT_NIL, "data/num"));
	CHECK(!xenbus_exists(XBT_NIL, "data/nothing"));
}

static void tree(void)
{
	unsigned int count;
	char *names;

	CHECK_OK(xenbus_mkdir(XBT_NIL, "data/dir"));
	CHECK(xenbus_exists(XBT_NIL, "data/dir"));
	expect_value(XBT_NIL, "data/dir", "");
	CHECK_OK(xenbus_directory(XBT_NIL, "data/dir", &names, &count));
	CHECK(count == 0);
	kfree(names);
	CHECK_OK(xenbus_write(XBT_NIL, "data/dir/x", "1"));
	CHECK_OK(xenbus_write(XBT_NIL, "data/dir/y", "2"));
	CHECK_OK(xenbus_mkdir(XBT_NIL, "data/dir/z/deep"));
	CHECK_OK(xenbus_directory(XBT_NIL, "data/dir", &names, &count));
	CHECK(count == 3);
	CHECK(listed(names, count, "x") && listed(names, count, "y") &&
	      listed(names, count, "z"));
	kfree(names);
	CHECK_OK(xenbus_rm(XBT_NIL, "data/dir/y"));
	CHECK(!xenbus_exists(XBT_NIL, "data/dir/y"));
	CHECK_OK(xenbus_directory(XBT_NIL, "data/dir", &names, &count));
	CHECK(count == 2 && !listed(names, count, "y"));
	kfree(names);
	/* rm takes the whole tree. */
	CHECK_OK(xenbus_rm(XBT_NIL, "data/dir"));
	CHECK(!xenbus_exists(XBT_NIL, "data/dir/z/deep"));
	CHECK(!xenbus_exists(XBT_NIL, "data/dir"));
}

static void perms(void)
{
	char want[32], *got;
	uint32_t got_len;
	int len;

	/* Ours, readable by dom0; dom0 checks them from its side. */
	CHECK_OK(xenbus_write(XBT_NIL, "data/p", "guarded"));
	len = snprintf(want, sizeof(want), "n%u%cr0", self, '\0');
	CHECK_OK(xenbus_set_perms(XBT_NIL, "data/p", want, (uint32_t)len + 1));
	CHECK_OK(xenbus_get_perms(XBT_NIL, "data/p", &got, &got_len));
	CHECK(got_len == (uint32_t)len + 1);
	CHECK(!memcmp(got, want, (size_t)len + 1));
	kfree(got);
}

static void nodes(void)
{
	paths();
	values();
	tree();
	perms();
}

static void errors(void)
{
	char name[32], *v;
	unsigned long u;
	unsigned int n;

	CHECK_RC(xenbus_read(XBT_NIL, "data/missing", &v), -ENOENT);
	CHECK_RC(xenbus_read_uint(XBT_NIL, "data/missing", &u), -ENOENT);
	CHECK_RC(xenbus_directory(XBT_NIL, "data/missing", &v, &n), -ENOENT);
	CHECK_RC(xenbus_write(XBT_NIL, "/local/domain/0/evil", "x"), -EACCES);
	CHECK_RC(xenbus_mkdir(XBT_NIL, "/local/domain/0/evil"), -EACCES);
	CHECK_RC(xenbus_read(XBT_NIL, "data//bad", &v), -EINVAL);
	CHECK_RC(xenbus_write(XBT_NIL, "data/bad path", "x"), -EINVAL);
	CHECK_RC(xenbus_write(XBT_NIL, "data/trailing/", "x"), -EINVAL);
	CHECK_RC(xenbus_errno("EAGAIN"), -EAGAIN);
	/* And the connection still serves. */
	snprintf(name, sizeof(name), "%u", self);
	CHECK_OK(xenbus_write(XBT_NIL, "data/after", name));
	expect_value(XBT_NIL, "data/after", name);
}

static volatile unsigned int fired;
static char fired_path[64];

static void on_watch(struct xenbus_watch *w, const char *path)
{
	snprintf(fired_path, sizeof(fired_path), "%s", path);
	__atomic_add_fetch(&fired, 1, __ATOMIC_SEQ_CST);
}

/* Wait until the watch fired n times; then it must stay at n. */
static void expect_fired(unsigned int n, const char *path)
{
	uint64_t deadline = time_now() + EVENT_WAIT_NS;

	while (fired < n) {
		if (time_now() >= deadline)
			fail("the watch fired %u times, expected %u", fired, n);
		sleep_ns(POLL_NS);
	}
	sleep_ns(QUIET_NS);
	if (fired != n)
		fail("the watch fired %u times, expected %u", fired, n);
	if (strcmp(fired_path, path))
		fail("the watch fired for \"%s\", expected \"%s\"", fired_path,
		     path);
}

static void watch(void)
{
	static const char *const changes[] = {"w1", "w2", "w3"};
	struct xenbus_watch w;

	memset(&w, 0, sizeof(w));
	CHECK_OK(xenbus_write(XBT_NIL, "data/w", "0"));
	CHECK_OK(xenbus_watch(&w, "data/w", on_watch, NULL));
	expect_fired(1, "data/w");
	/* dom0 writes data/w at each step. */
	for (unsigned int i = 0; i < 3; i++) {
		step(changes[i]);
		expect_fired(2 + i, "data/w");
	}
	/* ... and makes a node below it: the watch covers the subtree. */
	step("w4");
	expect_fired(5, "data/w/below");
	CHECK_OK(xenbus_unwatch(&w));
	step("unwatched");
	await("written");
	sleep_ns(QUIET_NS);
	if (fired != 5)
		fail("the watch fired %u times after unwatch", fired - 5);
	expect_value(XBT_NIL, "data/w", "after");
}

static void tx(void)
{
	xenbus_transaction_t t;
	char *v;
	int rc = -EAGAIN;

	CHECK_OK(xenbus_mkdir(XBT_NIL, "data/tx"));
	/* A write inside is the transaction's own until it commits. */
	CHECK_OK(xenbus_transaction_start(&t));
	CHECK(t != XBT_NIL);
	CHECK_OK(xenbus_write(t, "data/tx/a", "inside"));
	expect_value(t, "data/tx/a", "inside");
	CHECK_RC(xenbus_read(XBT_NIL, "data/tx/a", &v), -ENOENT);
	CHECK_OK(xenbus_transaction_end(t, true));
	expect_value(XBT_NIL, "data/tx/a", "inside");
	/* Abort discards. */
	CHECK_OK(xenbus_transaction_start(&t));
	CHECK_OK(xenbus_write(t, "data/tx/b", "dropped"));
	CHECK_OK(xenbus_transaction_end(t, false));
	CHECK(!xenbus_exists(XBT_NIL, "data/tx/b"));
	/* dom0 writes data/tx/c while we have read and written it. */
	CHECK_OK(xenbus_write(XBT_NIL, "data/tx/c", "before"));
	CHECK_OK(xenbus_transaction_start(&t));
	expect_value(t, "data/tx/c", "before");
	CHECK_OK(xenbus_write(t, "data/tx/c", "domU"));
	step("tx-open");
	await("conflict");
	expect_value(t, "data/tx/c", "domU");
	CHECK_RC(xenbus_transaction_end(t, true), -EAGAIN);
	expect_value(XBT_NIL, "data/tx/c", "dom0");
	/* The retry sees dom0's value and commits. */
	for (int i = 0; i < 3 && rc == -EAGAIN; i++) {
		CHECK_OK(xenbus_transaction_start(&t));
		expect_value(t, "data/tx/c", "dom0");
		CHECK_OK(xenbus_write(t, "data/tx/c", "domU"));
		rc = xenbus_transaction_end(t, true);
	}
	CHECK_OK(rc);
	expect_value(XBT_NIL, "data/tx/c", "domU");
}

struct worker {
	unsigned int id;
	char why[96];
};

static struct worker workers[THREADS];

/* Raise data/th/count by one in a transaction, retried on EAGAIN. */
static int raise_count(void)
{
	for (int tries = 0; tries < 100; tries++) {
		xenbus_transaction_t t;
		unsigned long n = 0;
		int rc = xenbus_transaction_start(&t);

		if (rc)
			return rc;
		rc = xenbus_read_uint(t, "data/th/count", &n);
		if (!rc)
			rc = xenbus_printf(t, "data/th/count", "%lu", n + 1);
		if (rc) {
			xenbus_transaction_end(t, false);
			return rc;
		}
		rc = xenbus_transaction_end(t, true);
		if (rc != -EAGAIN)
			return rc;
	}
	return -EAGAIN;
}

static int work(void *arg)
{
	struct worker *w = arg;
	char path[32], value[32], *v;
	unsigned long u;
	int rc;

	snprintf(path, sizeof(path), "data/th/%u", w->id);
	for (unsigned int k = 0; k < ROUNDS; k++) {
		snprintf(value, sizeof(value), "thread %u round %u", w->id, k);
		rc = xenbus_write(XBT_NIL, path, value);
		if (!rc)
			rc = xenbus_read(XBT_NIL, path, &v);
		if (rc) {
			snprintf(w->why, sizeof(w->why), "%s: %s", path,
				 errno_name(rc));
			return 1;
		}
		if (strcmp(v, value)) {
			snprintf(w->why, sizeof(w->why),
				 "%s: \"%s\", expected \"%s\"", path, v, value);
			kfree(v);
			return 1;
		}
		kfree(v);
		rc = xenbus_read_uint(XBT_NIL, "domid", &u);
		if (rc || u != self) {
			snprintf(w->why, sizeof(w->why), "domid: %s, %lu",
				 errno_name(rc), u);
			return 1;
		}
		if (k < TX_ROUNDS && (rc = raise_count())) {
			snprintf(w->why, sizeof(w->why), "count: %s",
				 errno_name(rc));
			return 1;
		}
	}
	return 0;
}

static void threads(void)
{
	struct thread *t[THREADS];
	unsigned long before = xenbus_requests(), u;
	unsigned int count;
	char *names;

	CHECK(nr_cpus() == 2);
	CHECK_OK(xenbus_write(XBT_NIL, "data/th/count", "0"));
	for (unsigned int i = 0; i < THREADS; i++) {
		workers[i].id = i;
		t[i] = thread_create_on(i % 2, "worker", work, &workers[i]);
		CHECK(t[i] != NULL);
	}
	for (unsigned int i = 0; i < THREADS; i++)
		if (thread_join(t[i]))
			fail("thread %u: %s", i, workers[i].why);
	CHECK_OK(xenbus_read_uint(XBT_NIL, "data/th/count", &u));
	if (u != THREADS * TX_ROUNDS)
		fail("count %lu, expected %u", u, THREADS * TX_ROUNDS);
	CHECK_OK(xenbus_directory(XBT_NIL, "data/th", &names, &count));
	CHECK(count == THREADS + 1);
	kfree(names);
	CHECK(xenbus_requests() - before >= THREADS * ROUNDS * 3);
}

/* Wait until the backend is in state; it must not be in another. */
static void expect_backend(struct xenbus_device *dev, enum xenbus_state s)
{
	enum xenbus_state got;

	CHECK_OK(xenbus_device_wait(dev, XENBUS_STATE_BIT(s),
				    time_now() + WAIT_NS, &got));
	if (got != s)
		fail("backend %s, expected %s", xenbus_state_name(got),
		     xenbus_state_name(s));
	CHECK(xenbus_read_state(dev->otherend) == s);
}

static void frontend(void)
{
	struct xenbus_device dev;
	enum xenbus_state got;
	char want[64];

	CHECK_OK(xenbus_device_init(&dev, "device/vtest/0", false));
	snprintf(want, sizeof(want), "/local/domain/0/backend/vtest/%u/0",
		 self);
	if (strcmp(dev.otherend, want))
		fail("backend at \"%s\", expected \"%s\"", dev.otherend, want);
	CHECK(dev.otherend_id == 0 && !dev.is_backend);
	CHECK(xenbus_read_state(dev.nodename) == XenbusStateInitialising);
	expect_backend(&dev, XenbusStateInitWait);
	/* It stays in InitWait until we are Initialised. */
	CHECK_RC(xenbus_device_wait(&dev,
				    XENBUS_STATE_BIT(XenbusStateConnected),
				    time_now() + 50 * NSEC_PER_MSEC, &got),
		 -ETIMEDOUT);
	CHECK_OK(xenbus_printf(XBT_NIL, "device/vtest/0/ring-ref", "%u", 8u));
	CHECK_OK(xenbus_switch_state(dev.nodename, XenbusStateInitialised));
	expect_backend(&dev, XenbusStateConnected);
	CHECK_OK(xenbus_switch_state(dev.nodename, XenbusStateConnected));
	/* Connected until the backend has seen it; then we unplug first. */
	step("connected");
	await("close");
	CHECK_OK(xenbus_switch_state(dev.nodename, XenbusStateClosing));
	expect_backend(&dev, XenbusStateClosing);
	CHECK_OK(xenbus_switch_state(dev.nodename, XenbusStateClosed));
	expect_backend(&dev, XenbusStateClosed);
	CHECK(xenbus_read_state(dev.nodename) == XenbusStateClosed);
}

static void echo(void)
{
	uint64_t deadline = time_now() + WAIT_NS;
	char *v;

	for (;;) {
		int rc = xenbus_read(XBT_NIL, "data/go", &v);

		if (!rc && !strcmp(v, "end")) {
			kfree(v);
			return;
		}
		if (!rc) {
			rc = xenbus_write(XBT_NIL, "data/step", v);
			if (rc)
				fail("echo: %s", errno_name(rc));
			kfree(v);
			deadline = time_now() + WAIT_NS;
		}
		if (time_now() >= deadline)
			fail("echo: dom0 went quiet");
		sleep_ns(POLL_NS);
	}
}

static void on_busy(struct xenbus_watch *w, const char *path)
{
	__atomic_add_fetch(&fired, 1, __ATOMIC_SEQ_CST);
}

/* Requests for ever: writes, reads, listings and transactions. */
static int churn(void *arg)
{
	unsigned int id = (unsigned int)(unsigned long)arg;
	char path[32], *v;

	snprintf(path, sizeof(path), "data/busy/%u", id);
	for (unsigned long k = 0;; k++) {
		xenbus_transaction_t t;
		unsigned int n;

		xenbus_printf(XBT_NIL, path, "%lu", k);
		if (!xenbus_read(XBT_NIL, path, &v))
			kfree(v);
		if (!xenbus_directory(XBT_NIL, "data/busy", &v, &n))
			kfree(v);
		if (!xenbus_transaction_start(&t)) {
			xenbus_printf(t, "data/busy/tx", "%u", id);
			xenbus_transaction_end(t, k % 2);
		}
	}
	return 0;
}

static void __noreturn busy(void)
{
	static struct xenbus_watch w;

	CHECK_OK(xenbus_mkdir(XBT_NIL, "data/busy"));
	CHECK_OK(xenbus_watch(&w, "data/busy", on_busy, NULL));
	for (unsigned int i = 0; i < 4; i++)
		CHECK(thread_create_on(i % nr_cpus(), "churn", churn,
				       (void *)(unsigned long)i) != NULL);
	for (;;)
		sleep_ns(NSEC_PER_SEC);
}

int app_main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} modes[] = {
		{"nodes", nodes}, {"errors", errors},	{"watch", watch},
		{"tx", tx},	  {"threads", threads}, {"frontend", frontend},
		{"echo", echo},	  {"busy", busy},
	};
	char mode[16] = "";

	cmdline_get("mode", mode, sizeof(mode));
	CHECK_OK(xenbus_domid(&self));
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(mode, modes[i].name)) {
			modes[i].fn();
			printk("xbclient: %s passed\n", mode);
			return EXIT_OK;
		}
	fail("unknown mode \"%s\"", mode);
}
