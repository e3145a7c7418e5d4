/*
 * The PV console end to end, with dom0's own backend (drivers-back/
 * console) on both hypervisors: a domU built by dom0's builder writes
 * its console into the io/console.h ring, the backend drains it into
 * the domain's log, and input typed into in[] comes back from the echo
 * domU (pvguest/apps/echo.c) in capitals. A full ring makes the domU
 * wait for the backend, so nothing is lost; a frontend that writes
 * impossible ring indices loses its console and nothing else; a domU
 * whose backend is missing, or stops reading, is not held up for long;
 * detaching leaves no mapping and no port behind.
 */
#include "harness/test.h"
#include "lib/tslib.h"

#include <back/console.h>
#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/events.h>
#include <guest/foreign.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xen/sched.h>

CONFORMANCE_KERNEL("toolstack-console");

#define ECHO "/boot/echo.elf"
#define FLOOD_LINES 400

/* Build kernel with cmdline, attach its console, then let it run. */
static int start_attached(const char *kernel, const char *cmdline,
			  domid_t *domid)
{
	struct build_params p = {
		.cmdline = cmdline,
		.memory_kb = 8 << 10,
		.max_vcpus = 1,
	};
	struct build_info bi;
	int rc = ts_file(kernel, &p.kernel, &p.kernel_len);

	if (!rc)
		rc = build_create(&p, &bi);
	if (rc)
		return rc;
	rc = build_image(&p, &bi);
	if (!rc)
		rc = consback_attach(bi.domid, bi.console_mfn, bi.console_port);
	if (!rc)
		rc = ctrl_unpausedomain(bi.domid);
	if (rc) {
		printk("    %s: %s (%d)\n", kernel, bi.error, rc);
		consback_detach(bi.domid);
		ctrl_destroydomain(bi.domid);
		return rc;
	}
	*domid = bi.domid;
	return 0;
}

/* Wait until domid's console log has text after *pos; *pos moves past. */
static bool wait_for_text(domid_t domid, uint64_t *pos, const char *text)
{
	uint64_t deadline = wait_now() + TS_WAIT_S * 1000000000ULL;

	while (!consback_log_find(domid, *pos, text, pos)) {
		if (wait_now() >= deadline) {
			printk("    no \"%s\" from domain %u\n", text, domid);
			return false;
		}
		wait_ms(10);
	}
	return true;
}

static void stop(domid_t domid)
{
	consback_detach(domid);
	EXPECT_OK(ctrl_destroydomain(domid));
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
}

TEST(console, backend_starts)
{
	/* Bind what dom0 itself uses first, so later port counts compare. */
	ts_exc_drain();
	ts_next_free_port();
	ASSERT_OK(consback_init(NULL));
}

TEST(console, output_reaches_the_log_boot_messages_first)
{
	uint64_t pos = 0;
	domid_t domid;

	ASSERT_OK(start_attached(ECHO, "", &domid));
	EXPECT_EQ(consback_state(domid), CONSBACK_CONNECTED);
	/* Kept by printk before the ring was up, then replayed into it. */
	EXPECT_TRUE(wait_for_text(domid, &pos, "Paravane pvguest"));
	EXPECT_TRUE(wait_for_text(domid, &pos, "console: ring at pfn"));
	EXPECT_TRUE(wait_for_text(domid, &pos, "echo: ready"));
	stop(domid);
}

TEST(console, round_trip_through_the_echo_domU)
{
	static const char line[] = "hello paravane\r";
	ctrl_dominfo_t info;
	uint64_t pos = 0;
	domid_t domid;

	ASSERT_OK(start_attached(ECHO, "", &domid));
	ASSERT_TRUE(wait_for_text(domid, &pos, "echo> "));
	EXPECT_EQ(consback_send(domid, line, strlen(line)), (long)strlen(line));
	EXPECT_TRUE(wait_for_text(domid, &pos, "hello paravane\n"));
	EXPECT_TRUE(wait_for_text(domid, &pos, "HELLO PARAVANE\n"));
	/* Bytes, not lines: a line may come in pieces. */
	EXPECT_EQ(consback_send(domid, "sec", 3), 3);
	EXPECT_EQ(consback_send(domid, "ond\n", 4), 4);
	EXPECT_TRUE(wait_for_text(domid, &pos, "SECOND\n"));
	EXPECT_EQ(consback_send(domid, "poweroff\r", 9), 9);
	ASSERT_OK(ts_wait_shutdown(domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	stop(domid);
}

TEST(console, a_key_sent_before_the_domU_runs_waits_for_it)
{
	uint64_t pos = 0;
	domid_t domid;

	/*
	 * The event reaches a domU that has no callbacks yet: it must stay
	 * pending until the kernel masks and then takes it (on Xen, the
	 * builder masks events in the new shared_info, as libxenguest does).
	 */
	ASSERT_OK(start_attached(ECHO, "", &domid));
	EXPECT_EQ(consback_send(domid, "early\r", 6), 6);
	EXPECT_TRUE(wait_for_text(domid, &pos, "echo> early\n"));
	EXPECT_TRUE(wait_for_text(domid, &pos, "EARLY\n"));
	stop(domid);
}

TEST(console, nothing_is_lost_when_the_ring_fills)
{
	char cmdline[32], want[40];
	ctrl_dominfo_t info;
	uint64_t pos = 0;
	domid_t domid;

	/* About 7 KiB of lines through a 2 KiB ring. */
	snprintf(cmdline, sizeof(cmdline), "mode=flood lines=%u", FLOOD_LINES);
	ASSERT_OK(start_attached(TS_PROBE, cmdline, &domid));
	ASSERT_OK(ts_wait_shutdown(domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	consback_flush(domid); /* what it wrote before it went */
	for (unsigned int i = 0; i < FLOOD_LINES; i++) {
		snprintf(want, sizeof(want), "\nflood %u of %u\n", i,
			 FLOOD_LINES);
		if (!consback_log_find(domid, pos, want, &pos)) {
			test_fail(__FILE__, __LINE__, "line %u is missing", i);
			break;
		}
		pos--; /* its newline starts the next one */
	}
	EXPECT_FALSE(consback_log_find(domid, 0, "bytes lost", &pos));
	stop(domid);
}

TEST(console, a_domU_without_backend_is_not_held_up)
{
	char cmdline[32];
	ctrl_dominfo_t info;
	domid_t domid;

	/* Nobody drains its ring: it fills, and the rest is dropped. */
	snprintf(cmdline, sizeof(cmdline), "mode=flood lines=%u", FLOOD_LINES);
	ASSERT_OK(ts_build(TS_PROBE, cmdline, 8, 1, true, &domid));
	ASSERT_OK(ts_wait_shutdown(domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	EXPECT_OK(ctrl_destroydomain(domid));
	EXPECT_OK(ts_wait_gone(domid, TS_WAIT_S));
}

TEST(console, a_backend_that_stops_reading_holds_the_domU_only_a_while)
{
	struct build_params p = {.memory_kb = 8 << 10, .max_vcpus = 1};
	struct build_info bi;
	ctrl_dominfo_t info;
	evtchn_port_t port;
	char cmdline[32];

	/*
	 * A backend that connects and then never reads: the domU waits for
	 * room (5 s), then drops the rest of its output and goes on.
	 */
	snprintf(cmdline, sizeof(cmdline), "mode=flood lines=%u", FLOOD_LINES);
	p.cmdline = cmdline;
	ASSERT_OK(ts_file(TS_PROBE, &p.kernel, &p.kernel_len));
	ASSERT_OK(build_create(&p, &bi));
	ASSERT_OK(build_image(&p, &bi));
	ASSERT_OK(evtchn_bind_interdomain(bi.domid, bi.console_port, NULL, NULL,
					  &port));
	ASSERT_OK(ctrl_unpausedomain(bi.domid));
	EXPECT_OK(ts_wait_shutdown(bi.domid, TS_WAIT_S, &info));
	EXPECT_EQ(ctrl_dominfo_shutdown_reason(&info), SHUTDOWN_poweroff);
	EXPECT_OK(evtchn_close(port));
	EXPECT_OK(ctrl_destroydomain(bi.domid));
	EXPECT_OK(ts_wait_gone(bi.domid, TS_WAIT_S));
}

TEST(console, what_a_stalled_backend_missed_is_reported_not_hidden)
{
	struct build_params p = {.memory_kb = 8 << 10, .max_vcpus = 1};
	struct build_info bi;
	ctrl_dominfo_t info;
	evtchn_port_t port;
	char cmdline[48], want[40];
	uint64_t pos = 0, lost;
	unsigned int i;

	/*
	 * Connected but not reading until the domU has given up waiting;
	 * then the backend takes over and a key makes the domU write
	 * again. Every line is in the log, or a loss is reported after
	 * the last one that is.
	 */
	snprintf(cmdline, sizeof(cmdline), "mode=flood lines=%u then=input",
		 FLOOD_LINES);
	p.cmdline = cmdline;
	ASSERT_OK(ts_file(TS_PROBE, &p.kernel, &p.kernel_len));
	ASSERT_OK(build_create(&p, &bi));
	ASSERT_OK(build_image(&p, &bi));
	ASSERT_OK(evtchn_bind_interdomain(bi.domid, bi.console_port, NULL, NULL,
					  &port));
	ASSERT_OK(ctrl_unpausedomain(bi.domid));
	wait_ms(7000); /* the frontend waits 5 s for room */
	EXPECT_OK(evtchn_close(port));
	ASSERT_OK(consback_attach(bi.domid, bi.console_mfn, bi.console_port));
	EXPECT_EQ(consback_send(bi.domid, "\r", 1), 1);
	EXPECT_OK(ts_wait_shutdown(bi.domid, TS_WAIT_S, &info));
	consback_flush(bi.domid);
	for (i = 0; i < FLOOD_LINES; i++) {
		snprintf(want, sizeof(want), "\nflood %u of %u\n", i,
			 FLOOD_LINES);
		if (!consback_log_find(bi.domid, pos, want, &pos))
			break;
		pos--;
	}
	printk("    %u of %u lines came through\n", i, FLOOD_LINES);
	if (i < FLOOD_LINES)
		EXPECT_TRUE(consback_log_find(bi.domid, pos, " bytes lost]",
					      &lost));
	EXPECT_TRUE(consback_log_find(bi.domid, pos, "flood: done", &pos));
	stop(bi.domid);
}

static void expect_lost(const char *cmdline)
{
	uint64_t deadline = wait_now() + TS_WAIT_S * 1000000000ULL;
	uint64_t pos = 0;
	domid_t domid, echo;

	ASSERT_OK(start_attached(TS_PROBE, cmdline, &domid));
	while (consback_state(domid) == CONSBACK_CONNECTED &&
	       wait_now() < deadline)
		wait_ms(10);
	EXPECT_EQ(consback_state(domid), CONSBACK_LOST);
	EXPECT_ERR(consback_send(domid, "x", 1), -ENOTCONN);
	/* The page is no longer mapped; dom0 and other consoles go on. */
	EXPECT_EQ(foreign_mapped_pages(), 0);
	ASSERT_OK(start_attached(ECHO, "", &echo));
	EXPECT_TRUE(wait_for_text(echo, &pos, "echo> "));
	EXPECT_EQ(consback_send(echo, "still here\r", 11), 11);
	EXPECT_TRUE(wait_for_text(echo, &pos, "STILL HERE"));
	stop(echo);
	stop(domid);
	EXPECT_EQ(consback_state(domid), CONSBACK_NONE);
}

TEST(console, an_impossible_out_prod_loses_only_that_console)
{
	expect_lost("mode=badcons idx=out_prod");
}

TEST(console, an_impossible_in_cons_loses_only_that_console)
{
	expect_lost("mode=badcons idx=in_cons");
}

TEST(console, detach_leaves_no_mapping_and_no_port)
{
	evtchn_port_t port = ts_next_free_port();
	uint64_t pos = 0;
	domid_t domid;

	ASSERT_OK(start_attached(ECHO, "", &domid));
	EXPECT_EQ(foreign_mapped_pages(), 1);
	EXPECT_TRUE(wait_for_text(domid, &pos, "echo> "));
	stop(domid);
	EXPECT_EQ(consback_state(domid), CONSBACK_NONE);
	EXPECT_EQ(foreign_mapped_pages(), 0);
	EXPECT_EQ(ts_next_free_port(), port);
}
