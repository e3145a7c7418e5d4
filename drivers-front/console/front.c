/*
 * A domU's console: the io/console.h ring.
 *
 * The domain builder puts one page, struct xencons_interface, in the
 * domU's own memory (start_info's console.domU.mfn, a frame of the
 * bootstrap region) and opens an event channel for it
 * (console.domU.evtchn) whose other end belongs to the console backend
 * in dom0 (drivers-back/console). The page holds two byte rings with
 * free-running 32-bit indices, each written by one side only:
 *
 *   out[2048]  our output: we advance out_prod, the backend out_cons
 *   in[1024]   typed input: the backend advances in_prod, we in_cons
 *
 * A producer fills slots, makes them visible (wmb), then publishes its
 * index and notifies the channel; a consumer reads the other side's
 * index, reads the slots (rmb before), then publishes its own index (mb
 * before, so the slots are read before the producer may reuse them) and
 * notifies. We keep our own indices privately and only ever read the
 * backend's, so a backend scribbling on ours cannot make us skip bytes.
 *
 * Output policy. A domU with a ring uses it for all its printk text
 * (on Xen a domU's console_io is refused; on Paravane it would print
 * everything a second time). Until the ring console registers, after
 * time_init(), printk keeps the boot messages and this console replays
 * them. When out[] is full:
 *   - if the backend is connected (our port is bound interdomain) we
 *     wait for it to make room, polling the port in 10 ms slices
 *     (SCHEDOP_poll blocks the vCPU, so this works in any context: with
 *     events masked, a lock held, in an event handler);
 *   - if no room appears for CONS_STALL_NS, or no backend is connected
 *     at all (a domU built without one, such as the toolstack tests'),
 *     the bytes that do not fit are dropped and counted, and the console
 *     does not wait again until the backend makes room; then
 *     "[console: N bytes lost]" goes out first. Nothing is lost without
 *     a trace, and a missing backend never hangs the domain.
 *
 * Input. console_read() sleeps on a wait queue that the port's handler
 * wakes; console_readline() is a small line editor on top of it. Input
 * indices that cannot be right (more than in[] holds) are dropped.
 *
 * Locks: out_lock serialises writers on every vCPU, in_lock readers;
 * both are taken with events masked (printk may run in a handler).
 */
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/processor.h>
#include <guest/sched.h>
#include <guest/spinlock.h>
#include <guest/time.h>
#include <paravane/printf.h>
#include <xen/io/console.h>

#define CONS_STALL_NS 5000000000ULL /* 5 s without room: backend stalled */
#define CONS_POLL_NS 10000000ULL    /* one poll slice: 10 ms */

static struct xencons_interface *intf;
static evtchn_port_t port;
static XENCONS_RING_IDX out_prod, in_cons; /* ours; the page's are copies */
static spinlock_t out_lock = SPINLOCK_INIT, in_lock = SPINLOCK_INIT;
static struct waitq input_wq = WAITQ_INIT;
static bool stalled;	   /* do not wait for room until some appears */
static unsigned long lost; /* bytes dropped since the ring last had room */

/* Whether this is a domU whose builder gave it a console ring. */
bool console_ring_present(void)
{
	return !is_initial_domain() && start_info->console.domU.mfn;
}

static void on_event(evtchn_port_t p, void *arg)
{
	wake_up(&input_wq);
}

/* Free slots in out[]; 0 also if the backend's index is impossible. */
static uint32_t out_room(void)
{
	uint32_t used = out_prod - READ_ONCE(intf->out_cons);

	return used > sizeof(intf->out) ? 0 : sizeof(intf->out) - used;
}

/* Copy what fits of s into out[], publish it, notify; returns bytes. */
static size_t put(const char *s, size_t len)
{
	uint32_t room;
	size_t n = 0;

	room = out_room();
	mb(); /* the backend's out_cons before we reuse the slots it freed */
	while (n < len && n < room)
		intf->out[MASK_XENCONS_IDX(out_prod++, intf->out)] = s[n++];
	if (!n)
		return 0;
	wmb(); /* the bytes before the index that publishes them */
	WRITE_ONCE(intf->out_prod, out_prod);
	evtchn_notify(port);
	return n;
}

static bool backend_connected(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = port};

	return !HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) &&
	       st.status == EVTCHNSTAT_interdomain;
}

/*
 * Wait (events masked, out_lock held) until the backend frees room in
 * out[]; false if it is absent or stalled. The backend notifies after
 * consuming; a notification this vCPU's handler cannot take now stays
 * pending and would end every poll at once, so it is cleared here and
 * the handler's work (waking input readers) done in its place.
 */
static bool wait_for_room(void)
{
	uint64_t deadline;
	bool took_event = false, room = false;

	if (stalled || !backend_connected()) {
		stalled = true;
		return false;
	}
	deadline = time_now() + CONS_STALL_NS;
	while (!(room = out_room() != 0)) {
		uint64_t now = time_now();
		struct sched_poll poll = {.nr_ports = 1, .timeout = 0};

		if (now >= deadline)
			break;
		evtchn_clear(port);
		took_event = true;
		if ((room = out_room() != 0))
			break;
		set_xen_guest_handle(poll.ports, &port);
		poll.timeout = MIN(deadline, now + CONS_POLL_NS);
		HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	}
	if (took_event)
		wake_up(&input_wq);
	stalled = !room;
	return room;
}

/*
 * Say how much was dropped, where it was dropped: before anything else
 * is written. False if the note does not fit (nor does anything else).
 */
static bool report_lost(void)
{
	char note[48];
	int n = snprintf(note, sizeof(note), "\n[console: %lu bytes lost]\n",
			 lost);

	while (out_room() < (uint32_t)n)
		if (!wait_for_room())
			return false;
	put(note, (size_t)n);
	lost = 0;
	return true;
}

static void ring_write(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&out_lock);

	if (out_room())
		stalled = false;
	if (lost && !report_lost()) {
		lost += len;
		goto out;
	}
	while (len) {
		size_t n = put(s, len);

		s += n;
		len -= n;
		if (len && !wait_for_room()) {
			lost += len;
			break;
		}
	}
out:
	spin_unlock_irqrestore(&out_lock, flags);
}

static struct console ring_console = {
	.name = "ring",
	.write = ring_write,
};

static void fall_back(const char *why)
{
	intf = NULL;
	console_io_init();
	printk("console: %s; writing through console_io\n", why);
}

/*
 * Bring up a domU's ring console, if it has one: map the page, adopt
 * the port, register (the boot messages are replayed into the ring). If
 * start_info's ring cannot be used, console_io is the console instead.
 */
void console_ring_init(void)
{
	const start_info_t *si = start_info;
	pfn_t pfn;

	if (!console_ring_present())
		return;
	pfn = mfn_to_pfn(_mfn(si->console.domU.mfn));
	if (!pfn_valid_raw(pfn) || !(intf = frame_va(pfn))) {
		fall_back("the console frame is not ours");
		return;
	}
	if (si->console.domU.evtchn >= NR_EVTCHN_PORTS) {
		fall_back("the console port is out of range");
		return;
	}
	port = si->console.domU.evtchn;
	out_prod = READ_ONCE(intf->out_prod);
	in_cons = READ_ONCE(intf->in_cons);
	/* dom0 opened the port for us: adopt it, as bind would. */
	evtchn_set_cpu(port, 0);
	evtchn_set_handler(port, on_event, NULL);
	evtchn_unmask(port);
	console_register(&ring_console);
	printk("console: ring at pfn %#lx, port %u\n", pfn_x(pfn), port);
}

/* Bytes of input waiting (0 also when the backend's index is wrong). */
static bool input_waiting(void)
{
	return READ_ONCE(intf->in_prod) != in_cons;
}

/* Take up to len bytes of input (in_lock held); returns bytes. */
static size_t take(char *buf, size_t len)
{
	XENCONS_RING_IDX prod = READ_ONCE(intf->in_prod);
	size_t n = 0;

	rmb(); /* the index before the bytes it publishes */
	if (prod - in_cons > sizeof(intf->in))
		in_cons = prod; /* impossible: drop rather than read garbage */
	while (in_cons != prod && n < len)
		buf[n++] = intf->in[MASK_XENCONS_IDX(in_cons++, intf->in)];
	mb(); /* the bytes are read before the backend may reuse the slots */
	WRITE_ONCE(intf->in_cons, in_cons);
	evtchn_notify(port);
	return n;
}

/*
 * Read up to len bytes of console input, sleeping until there is some
 * (a thread only). Returns the count, or -ENODEV without a ring console.
 */
long console_read(char *buf, size_t len)
{
	unsigned long flags;
	size_t n = 0;

	if (!intf)
		return -ENODEV;
	while (len && !n) {
		wait_event(input_wq, input_waiting());
		flags = spin_lock_irqsave(&in_lock);
		n = take(buf, len);
		spin_unlock_irqrestore(&in_lock, flags);
	}
	return (long)n;
}

/* One byte of console input (sleeps for it), or -ENODEV. */
int console_getc(void)
{
	char c;
	long n = console_read(&c, 1);

	return n < 0 ? (int)n : (unsigned char)c;
}
