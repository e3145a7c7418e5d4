/*
 * The demo domU: two of these ping-pong over an event channel that dom0
 * set up between them (see tools/xl/etc/demo-a.cfg and demo-b.cfg).
 *
 *   evtchn_port=P                (A) P is our port, left unbound for B
 *                                by dom0; we answer every ping on it
 *   evtchn_peer=D evtchn_port=P  (B) bind to port P of domain D and
 *                                ping it; each answer is a round trip
 *   (neither)                    ping-pong with ourselves over a
 *                                loopback channel
 *   rounds=N                     round trips to make (default 1000)
 *   done=poweroff                B: power off after the rounds (tests)
 *
 * Each port's handler counts its notifications and wakes the main
 * thread, which waits on a wait queue for the count it expects
 * (pvguest's events API). Progress goes to the console (the PV console
 * ring, which dom0 shows as "(dN)" lines); a second thread answers each
 * line typed into it (xl console) with how far the ping-pong got. After
 * the rounds both sides stay up, so "xl list" shows them.
 */
#include <guest/app.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/events.h>
#include <guest/sched.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

#define DEFAULT_ROUNDS 1000
#define REPORTS 4

/* Notifications seen on a port, and what the main thread has used. */
struct counter {
	unsigned long seen, used;
};

static struct waitq wq = WAITQ_INIT;
static unsigned long progress; /* pings answered, or round trips made */
static const char *progress_what = "round trips";

/* Answer every line typed on the console with the progress so far. */
static int answer_console(void *arg)
{
	char line[80];

	while (console_readline(line, sizeof(line)) >= 0)
		printk("pingpong: %lu %s so far\n",
		       __atomic_load_n(&progress, __ATOMIC_SEQ_CST),
		       progress_what);
	return 0;
}

static void on_event(evtchn_port_t port, void *arg)
{
	struct counter *c = arg;

	__atomic_fetch_add(&c->seen, 1, __ATOMIC_SEQ_CST);
	wake_up(&wq);
}

/* Wait for a notification counted in c, and use it up. */
static void wait_for(struct counter *c)
{
	wait_event(wq, __atomic_load_n(&c->seen, __ATOMIC_SEQ_CST) > c->used);
	c->used++;
}

static unsigned long every(unsigned long rounds)
{
	return rounds / REPORTS ? rounds / REPORTS : 1;
}

/* A: answer every ping on port, forever. */
static void __noreturn serve(evtchn_port_t port, unsigned long rounds)
{
	static struct counter c;
	unsigned long n = 0;

	/* dom0 opened the port for us: adopt it. */
	evtchn_set_cpu(port, 0);
	evtchn_set_handler(port, on_event, &c);
	evtchn_unmask(port);
	printk("pingpong: serving on port %u\n", port);
	for (;;) {
		wait_for(&c);
		evtchn_notify(port);
		__atomic_store_n(&progress, ++n, __ATOMIC_SEQ_CST);
		if (n % every(rounds) == 0)
			printk("pingpong: answered %lu pings\n", n);
	}
}

/*
 * B: ping rounds times on port, counting answers in c. With a loopback
 * channel, far is its other end (counted in fc), and we answer too.
 */
static int ping(evtchn_port_t port, struct counter *c, evtchn_port_t far,
		struct counter *fc, unsigned long rounds)
{
	for (unsigned long n = 1; n <= rounds; n++) {
		int rc = evtchn_notify(port);

		if (!rc && far) {
			wait_for(fc);
			rc = evtchn_notify(far);
		}
		if (rc) {
			printk("pingpong: send failed (%d)\n", rc);
			return rc;
		}
		wait_for(c);
		__atomic_store_n(&progress, n, __ATOMIC_SEQ_CST);
		if (n % every(rounds) == 0)
			printk("pingpong: %lu round trips\n", n);
	}
	return 0;
}

/* Ping-pong as the command line says, then stay up. */
int app_main(void)
{
	static struct counter c, fc;
	unsigned long rounds = cmdline_uint("rounds", DEFAULT_ROUNDS);
	unsigned long port = cmdline_uint("evtchn_port", 0);
	unsigned long peer = cmdline_uint("evtchn_peer", DOMID_INVALID);
	evtchn_port_t local, far = 0;
	int rc;

	if (!rounds)
		rounds = 1;
	if (console_ring_present())
		thread_create("console", answer_console, NULL);
	if (port && peer == DOMID_INVALID) {
		progress_what = "pings answered";
		serve((evtchn_port_t)port, rounds);
	}
	if (port) {
		rc = evtchn_bind_interdomain((domid_t)peer, (evtchn_port_t)port,
					     on_event, &c, &local);
		if (rc) {
			printk("pingpong: cannot bind to d%lu port %lu (%d)\n",
			       peer, port, rc);
			return EXIT_FAILED;
		}
		printk("pingpong: port %u bound to d%lu port %lu\n", local,
		       peer, port);
	} else {
		rc = evtchn_alloc_unbound(DOMID_SELF, on_event, &fc, &far);
		if (!rc)
			rc = evtchn_bind_interdomain(DOMID_SELF, far, on_event,
						     &c, &local);
		if (rc) {
			printk("pingpong: no loopback channel (%d)\n", rc);
			return EXIT_FAILED;
		}
		printk("pingpong: no peer given; ping-pong with myself on "
		       "ports %u and %u\n",
		       local, far);
	}
	/* Binding notifies the new port once, in case a send was lost. */
	c.used = __atomic_load_n(&c.seen, __ATOMIC_SEQ_CST);
	rc = ping(local, &c, far, &fc, rounds);
	if (rc)
		return EXIT_FAILED;
	if (cmdline_is("done", "poweroff")) {
		printk("pingpong: done, %lu round trips; powering off\n",
		       rounds);
		return EXIT_OK;
	}
	printk("pingpong: done, %lu round trips; idle\n", rounds);
	wait_event(wq, false);
	return EXIT_OK;
}
