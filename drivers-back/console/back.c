/*
 * The console backend's service: one struct consback per attached
 * domain, and one thread, "consback", that drains them.
 *
 * Attach maps the domain's ring page into dom0's foreign window and
 * binds an interdomain channel to the port the builder opened for dom0.
 * The port's handler only marks the console and wakes the thread. The
 * thread drains each marked console's out[] (ring.c checks every index)
 * into its log (log.c), then shows the bytes: raw for the domain that is
 * live (xl console), else as whole lines prefixed "(dN) ", with control
 * characters made visible, through ops->show(). A partial line waits
 * for its end, up to LINE_MAX bytes. After draining it notifies the
 * frontend, which may be waiting for room. A console drains at most
 * DRAIN_BUDGET bytes per pass, and the thread yields between passes, so
 * a domain that never stops writing cannot starve dom0's toolstack.
 *
 * A ring index that cannot be right (ring.c) loses the console: the
 * port is closed and the page unmapped at once, so the backend never
 * looks at that page again; the struct and its log stay until detach.
 *
 * Detach drains what is left (at most a ring's worth, so a frontend
 * still writing cannot hold it), shows the partial line, closes the
 * port and unmaps the page: the domain can then be destroyed and freed.
 */
#include "consback.h"

#include <back/console.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/events.h>
#include <guest/foreign.h>
#include <guest/heap.h>
#include <guest/sched.h>
#include <guest/time.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define LINE_MAX 200
#define DRAIN_BUDGET 4096
#define CHUNK 256
#define SHOW_BUF 4096

struct consback {
	domid_t domid;
	struct xencons_interface *intf;	    /* mapped; NULL once lost */
	evtchn_port_t port;		    /* our end of the channel */
	XENCONS_RING_IDX out_cons, in_prod; /* ours; never read back */
	bool kicked;			    /* notified; set by the handler */
	bool more;			    /* stopped at the budget */
	size_t line_len;		    /* the partial "(dN) " line */
	char line[LINE_MAX];
	struct consback_log log;
	struct consback *next;
};

static struct consback *consoles;
static struct consback_ops ops;
static struct thread *service_thread;
static struct waitq work_wq = WAITQ_INIT;
static domid_t live_domid = DOMID_INVALID;
static char show_buf[SHOW_BUF];
static size_t show_len;
static bool quiet_due; /* shown something; ops->quiet() when it stops */

static struct consback *find(domid_t domid)
{
	for (struct consback *c = consoles; c; c = c->next)
		if (c->domid == domid)
			return c;
	return NULL;
}

static void flush_show(void)
{
	if (!show_len)
		return;
	if (ops.show)
		ops.show(show_buf, show_len);
	else
		console_write(show_buf, show_len);
	show_len = 0;
	quiet_due = true;
}

static void show_text(const char *s, size_t len)
{
	while (len) {
		size_t n = MIN(len, sizeof(show_buf) - show_len);

		memcpy(show_buf + show_len, s, n);
		show_len += n;
		s += n;
		len -= n;
		if (show_len == sizeof(show_buf))
			flush_show();
	}
}

/* Show c's partial line as a whole one, "(dN) text\n". */
static void end_line(struct consback *c)
{
	char prefix[16];
	int n = snprintf(prefix, sizeof(prefix), "(d%u) ", c->domid);

	if (!c->line_len)
		return;
	if (show_len + (size_t)n + c->line_len + 1 > sizeof(show_buf))
		flush_show();
	show_text(prefix, (size_t)n);
	show_text(c->line, c->line_len);
	show_text("\n", 1);
	c->line_len = 0;
}

/* Lines for dom0's console: control characters other than tab as '?'. */
static void add_to_lines(struct consback *c, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\n') {
			end_line(c);
			continue;
		}
		if (ch == '\r')
			continue;
		if (((unsigned char)ch < 0x20 && ch != '\t') || ch == 0x7f)
			ch = '?';
		c->line[c->line_len++] = ch;
		if (c->line_len == LINE_MAX)
			end_line(c);
	}
}

static void notice(const char *fmt, ...) __printf(1, 2);

static void notice(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	show_text(buf, MIN((size_t)n, sizeof(buf) - 1));
	flush_show();
}

static void disconnect(struct consback *c)
{
	evtchn_close(c->port);
	foreign_unmap(c->intf, 1);
	c->intf = NULL;
	c->kicked = c->more = false;
}

/* A bad ring: stop using it at once, keep the log. */
static void lose(struct consback *c, const char *why)
{
	end_line(c);
	disconnect(c);
	notice("console: domain %u: %s; its console is disconnected\n",
	       c->domid, why);
}

/*
 * Move up to budget bytes of c's output to its log and dom0's console.
 * Returns whether it stopped at the budget with more to come.
 */
static bool drain(struct consback *c, size_t budget)
{
	char buf[CHUNK];
	size_t total = 0;
	long n = 0;

	__atomic_store_n(&c->kicked, false, __ATOMIC_SEQ_CST);
	if (!c->intf)
		return false;
	if (!consring_input_sane(c->intf, c->in_prod)) {
		lose(c, "its in_cons index is impossible");
		return false;
	}
	while (total < budget) {
		n = consring_take_output(c->intf, &c->out_cons, buf,
					 MIN(sizeof(buf), budget - total));
		if (n <= 0)
			break;
		conslog_append(&c->log, buf, (size_t)n);
		if (c->domid == live_domid)
			console_write(buf, (size_t)n);
		else
			add_to_lines(c, buf, (size_t)n);
		total += (size_t)n;
	}
	if (n < 0) {
		lose(c, "its out_prod index is impossible");
		return false;
	}
	if (total)
		evtchn_notify(c->port);
	return total == budget;
}

static bool work_waiting(void)
{
	for (struct consback *c = consoles; c; c = c->next)
		if (__atomic_load_n(&c->kicked, __ATOMIC_SEQ_CST) || c->more)
			return true;
	return false;
}

static int service(void *arg)
{
	for (;;) {
		bool more = false;

		if (!quiet_due) {
			wait_event(work_wq, work_waiting());
		} else if (!wait_event_until(work_wq, work_waiting(),
					     time_now() + CONSBACK_QUIET_MS *
								  1000000ULL)) {
			quiet_due = false;
			if (ops.quiet)
				ops.quiet();
			continue;
		}
		for (struct consback *c = consoles; c; c = c->next) {
			if (__atomic_load_n(&c->kicked, __ATOMIC_SEQ_CST) ||
			    c->more)
				c->more = drain(c, DRAIN_BUDGET);
			more |= c->more;
		}
		flush_show();
		if (more)
			thread_yield();
	}
	return 0;
}

static void on_event(evtchn_port_t port, void *arg)
{
	struct consback *c = arg;

	__atomic_store_n(&c->kicked, true, __ATOMIC_SEQ_CST);
	wake_up(&work_wq);
}

/*
 * Start the backend (once); ops says how output is shown (NULL: with
 * printk). Later calls only change the ops.
 */
int consback_init(const struct consback_ops *o)
{
	if (o)
		ops = *o;
	if (service_thread)
		return 0;
	service_thread = thread_create_on(0, "consback", service, NULL);
	return service_thread ? 0 : -ENOMEM;
}

/*
 * Attach domain domid's console: its ring page is machine frame mfn,
 * its port remote_port (opened for dom0 by the builder).
 */
int consback_attach(domid_t domid, xen_pfn_t mfn, evtchn_port_t remote_port)
{
	struct consback *c;
	void *va;
	int rc = consback_init(NULL);

	if (rc)
		return rc;
	if (find(domid))
		return -EEXIST;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->domid = domid;
	rc = foreign_map(domid, &mfn, 1, true, &va);
	if (rc)
		goto err_free;
	c->intf = va;
	c->out_cons = READ_ONCE(c->intf->out_cons);
	c->in_prod = READ_ONCE(c->intf->in_prod);
	rc = evtchn_bind_interdomain(domid, remote_port, on_event, c, &c->port);
	if (rc)
		goto err_unmap;
	c->next = consoles;
	consoles = c;
	/* Look at once: the domain may have written before we bound. */
	on_event(c->port, c);
	return 0;

err_unmap:
	foreign_unmap(va, 1);
err_free:
	kfree(c);
	return rc;
}

/* Detach domid's console (its last output is shown first); no-op if none. */
void consback_detach(domid_t domid)
{
	struct consback **pp = &consoles, *c;

	while (*pp && (*pp)->domid != domid)
		pp = &(*pp)->next;
	c = *pp;
	if (!c)
		return;
	if (c->intf)
		drain(c, sizeof(c->intf->out)); /* may lose it */
	if (c->intf)
		disconnect(c);
	end_line(c);
	flush_show();
	if (live_domid == domid)
		live_domid = DOMID_INVALID;
	*pp = c->next;
	kfree(c);
}

/*
 * Show what domid has written so far, now (at most a ring's worth): its
 * last words before the toolstack reports that it shut down.
 */
void consback_flush(domid_t domid)
{
	struct consback *c = find(domid);

	if (!c || !c->intf)
		return;
	drain(c, sizeof(c->intf->out));
	flush_show();
}

/* Whether domid has a console here, and whether it still works. */
enum consback_state consback_state(domid_t domid)
{
	struct consback *c = find(domid);

	if (!c)
		return CONSBACK_NONE;
	return c->intf ? CONSBACK_CONNECTED : CONSBACK_LOST;
}

/*
 * Type len bytes into domid's console (its in[] ring). Returns how many
 * fitted (the rest is dropped, as a full terminal would), -ESRCH without
 * a console, -ENOTCONN once it is lost.
 */
long consback_send(domid_t domid, const char *s, size_t len)
{
	struct consback *c = find(domid);
	long n;

	if (!c)
		return -ESRCH;
	if (!c->intf)
		return -ENOTCONN;
	n = consring_put_input(c->intf, &c->in_prod, s, len);
	if (n < 0) {
		lose(c, "its in_cons index is impossible");
		return -ENOTCONN;
	}
	if (n)
		evtchn_notify(c->port);
	return n;
}

/*
 * From now on show domid's output raw, as it comes (DOMID_INVALID: no
 * domain; back to lines). Returns the log position where the live
 * output starts: what is before it is in the log, to replay.
 */
uint64_t consback_live(domid_t domid)
{
	struct consback *c = find(live_domid);

	if (c)
		c->line_len = 0; /* shown raw already */
	live_domid = domid;
	c = find(domid);
	if (!c)
		return 0;
	c->line_len = 0; /* in the log, which the caller replays */
	return c->log.end;
}

/*
 * Read domid's log from position from on (see log.c); 0 bytes without a
 * console. *first receives the position of the first byte read.
 */
size_t consback_log_read(domid_t domid, uint64_t from, char *buf, size_t len,
			 uint64_t *first)
{
	struct consback *c = find(domid);

	*first = from;
	return c ? conslog_read(&c->log, from, buf, len, first) : 0;
}

/* Find needle in domid's log from position from on; *after: just past. */
bool consback_log_find(domid_t domid, uint64_t from, const char *needle,
		       uint64_t *after)
{
	struct consback *c = find(domid);

	return c && conslog_find(&c->log, from, needle, after);
}
