/*
 * The demo domU: two of these ping-pong over an event channel that dom0
 * set up between them (see tools/xl/etc/demo-a.cfg and demo-b.cfg).
 *
 *   evtchn_port=P              (A) P is our port, left unbound for B by
 *                              dom0; we answer every notification on it
 *   evtchn_peer=D evtchn_port=P  (B) bind to port P of domain D and
 *                              ping it; each answer is one round trip
 *   (neither)                  ping-pong with ourselves over a loopback
 *                              channel
 *   rounds=N                   round trips to make (default 1000)
 *   done=poweroff              B: power off after the rounds (tests)
 *
 * Progress goes to the console (on Xen a domU's console_io output is
 * refused, which changes nothing else). After the rounds both sides stay
 * up, waiting on their port, so "xl list" shows them. Waiting is
 * SCHEDOP_poll with events masked.
 */
#include <guest/app.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/hypercall.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

#define DEFAULT_ROUNDS 1000
#define REPORTS 4

static unsigned long option(const char *key, unsigned long def)
{
	char buf[24];
	const char *end;
	unsigned long v;

	if (!cmdline_get(key, buf, sizeof(buf)) || !buf[0])
		return def;
	v = parse_uint(buf, &end);
	return *end ? def : v;
}

/* Consume a notification on port; whether there was one. */
static bool take_pending(evtchn_port_t port)
{
	xen_ulong_t *word = &HYPERVISOR_shared_info->evtchn_pending[port / 64];
	xen_ulong_t bit = 1UL << (port % 64);

	return __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit;
}

/* Wait for a notification on port and consume it. */
static void wait_port(evtchn_port_t port)
{
	struct sched_poll poll = {.nr_ports = 1};

	set_xen_guest_handle(poll.ports, &port);
	while (!take_pending(port))
		HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}

static int notify(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static int bind(domid_t dom, evtchn_port_t remote, evtchn_port_t *local)
{
	struct evtchn_bind_interdomain b = {
		.remote_dom = dom,
		.remote_port = remote,
	};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);

	if (!rc)
		*local = b.local_port;
	return rc;
}

/* A: answer every ping on our port, forever. */
static void __noreturn serve(evtchn_port_t port, unsigned long rounds)
{
	unsigned long n = 0;

	printk("pingpong: serving on port %u\n", port);
	for (;;) {
		wait_port(port);
		notify(port);
		if (++n % (rounds / REPORTS ? rounds / REPORTS : 1) == 0)
			printk("pingpong: answered %lu pings\n", n);
	}
}

/*
 * B: ping rounds times on port, waiting for each answer there. With a
 * loopback channel (far is its other end, 0 otherwise) we answer too.
 */
static int ping(evtchn_port_t port, evtchn_port_t far, unsigned long rounds)
{
	for (unsigned long n = 1; n <= rounds; n++) {
		int rc = notify(port);

		if (!rc && far) {
			wait_port(far);
			rc = notify(far);
		}
		if (rc) {
			printk("pingpong: send failed (%d)\n", rc);
			return rc;
		}
		wait_port(port);
		if (n % (rounds / REPORTS ? rounds / REPORTS : 1) == 0)
			printk("pingpong: %lu round trips\n", n);
	}
	return 0;
}

/* A channel from us to ourselves: *local and its other end *far. */
static int loopback(evtchn_port_t *local, evtchn_port_t *far)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = DOMID_SELF};
	int rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);

	if (rc)
		return rc;
	*far = a.port;
	return bind(DOMID_SELF, a.port, local);
}

/* Ping-pong as the command line says, then wait on the port for good. */
int app_main(void)
{
	unsigned long rounds = option("rounds", DEFAULT_ROUNDS);
	unsigned long port = option("evtchn_port", 0);
	unsigned long peer = option("evtchn_peer", DOMID_INVALID);
	evtchn_port_t local, far = 0;
	int rc;

	if (!rounds)
		rounds = 1;
	if (port && peer == DOMID_INVALID)
		serve((evtchn_port_t)port, rounds);
	if (port) {
		rc = bind((domid_t)peer, (evtchn_port_t)port, &local);
		if (rc) {
			printk("pingpong: cannot bind to d%lu port %lu (%d)\n",
			       peer, port, rc);
			return EXIT_FAILED;
		}
		printk("pingpong: port %u bound to d%lu port %lu\n", local,
		       peer, port);
	} else {
		rc = loopback(&local, &far);
		if (rc) {
			printk("pingpong: no loopback channel (%d)\n", rc);
			return EXIT_FAILED;
		}
		printk("pingpong: no peer given; ping-pong with myself on "
		       "ports %u and %u\n",
		       local, far);
	}
	/* Binding notifies the new port once, in case one was lost. */
	take_pending(local);
	rc = ping(local, far, rounds);
	if (rc)
		return EXIT_FAILED;
	if (cmdline_is("done", "poweroff")) {
		printk("pingpong: done, %lu round trips; powering off\n",
		       rounds);
		return EXIT_OK;
	}
	printk("pingpong: done, %lu round trips; idle\n", rounds);
	for (;;)
		wait_port(local);
}
