/*
 * The XenbusState handshake of split devices (see <guest/xenbus.h>).
 *
 * Each end writes its state, a decimal XenbusState, into "state" in its
 * own directory and watches the other end's. The usual course:
 *
 *   frontend                           backend
 *   Initialising                       Initialising
 *                                      InitWait (details published)
 *   Initialised (rings granted)
 *                                      Connected
 *   Connected
 *   ... either end: Closing, then both Closed.
 *
 * What the other end writes is its to choose: a missing or malformed
 * state reads as XenbusStateUnknown, and paths it names are checked
 * before they are used.
 */
#include "xenbus.h"

#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/sched.h>
#include <guest/time.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define SWITCH_TRIES 16 /* transactions retried on -EAGAIN */

static const char *const names[] = {
	[XenbusStateUnknown] = "Unknown",
	[XenbusStateInitialising] = "Initialising",
	[XenbusStateInitWait] = "InitWait",
	[XenbusStateInitialised] = "Initialised",
	[XenbusStateConnected] = "Connected",
	[XenbusStateClosing] = "Closing",
	[XenbusStateClosed] = "Closed",
	[XenbusStateReconfiguring] = "Reconfiguring",
	[XenbusStateReconfigured] = "Reconfigured",
};

const char *xenbus_state_name(enum xenbus_state s)
{
	if ((unsigned int)s < ARRAY_SIZE(names) && names[s])
		return names[s];
	return "?";
}

/* dir/state into path; -E2BIG if it does not fit. */
static int state_path(char *path, const char *dir)
{
	int n = snprintf(path, XENBUS_PATH_MAX, "%s/state", dir);

	return n < 0 || n >= XENBUS_PATH_MAX ? -E2BIG : 0;
}

/* The state published in dir (Unknown if none can be read). */
enum xenbus_state xenbus_read_state(const char *dir)
{
	char path[XENBUS_PATH_MAX];
	unsigned long v;

	if (state_path(path, dir) || xenbus_read_uint(XBT_NIL, path, &v) ||
	    v > XenbusStateReconfigured)
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

/*
 * Publish state s in dir, which must exist: a device whose directory
 * the toolstack removed is not brought back by a late switch.
 */
int xenbus_switch_state(const char *dir, enum xenbus_state s)
{
	char path[XENBUS_PATH_MAX];
	int rc = state_path(path, dir);

	if (rc)
		return rc;
	for (int i = 0; i < SWITCH_TRIES; i++) {
		xenbus_transaction_t tx;
		char *v = NULL;

		rc = xenbus_transaction_start(&tx);
		if (rc)
			break;
		rc = xenbus_read(tx, dir, &v); /* -ENOENT: removed */
		kfree(v);
		if (!rc)
			rc = xenbus_printf(tx, path, "%d", s);
		if (rc) {
			xenbus_transaction_end(tx, false);
			break;
		}
		rc = xenbus_transaction_end(tx, true);
		if (rc != -EAGAIN)
			break;
	}
	return rc;
}

/* What a state wait's watch shares with its waiter. */
struct state_wait {
	struct xenbus_watch watch;
	struct waitq wq;
	volatile unsigned long fired;
};

static void state_changed(struct xenbus_watch *w, const char *path)
{
	struct state_wait *sw = w->arg;

	sw->fired++;
	wake_up(&sw->wq);
}

/*
 * Sleep until dir's state is one of states (XENBUS_STATE_BIT()s) or
 * system time reaches deadline; the state last seen into *state.
 * -ETIMEDOUT if it never was one of them.
 */
int xenbus_wait_state(const char *dir, unsigned int states, uint64_t deadline,
		      enum xenbus_state *state)
{
	char path[XENBUS_PATH_MAX];
	struct state_wait sw = {.wq = WAITQ_INIT};
	enum xenbus_state s = XenbusStateUnknown;
	int rc = state_path(path, dir);

	if (xenbus_in_watch())
		rc = -EDEADLK; /* the events it waits for come through us */
	if (!rc)
		rc = xenbus_watch(&sw.watch, path, state_changed, &sw);
	while (!rc) {
		unsigned long seen = sw.fired;

		s = xenbus_read_state(dir);
		if (states & XENBUS_STATE_BIT(s))
			break;
		if (!wait_event_until(sw.wq, sw.fired != seen, deadline))
			rc = -ETIMEDOUT;
	}
	if (sw.watch.registered)
		xenbus_unwatch(&sw.watch);
	*state = s;
	return rc;
}

/* Read the id in dir/name: a domain id below DOMID_FIRST_RESERVED. */
static int read_domid(const char *dir, const char *name, domid_t *id)
{
	char path[XENBUS_PATH_MAX];
	unsigned long v;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	int rc;

	if (n < 0 || n >= (int)sizeof(path))
		return -E2BIG;
	rc = xenbus_read_uint(XBT_NIL, path, &v);
	if (rc)
		return rc;
	if (v >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	*id = (domid_t)v;
	return 0;
}

/*
 * Set dev up for the device whose directory (ours) is nodename: find
 * the other end's directory and domain there ("backend"/"backend-id"
 * for a frontend, "frontend"/"frontend-id" for a backend).
 */
int xenbus_device_init(struct xenbus_device *dev, const char *nodename,
		       bool is_backend)
{
	const char *end = is_backend ? "frontend" : "backend";
	char path[XENBUS_PATH_MAX], id[16];
	int n, rc;

	*dev = (struct xenbus_device){.is_backend = is_backend};
	if (strlcpy(dev->nodename, nodename, sizeof(dev->nodename)) >=
	    sizeof(dev->nodename))
		return -E2BIG;
	n = snprintf(path, sizeof(path), "%s/%s", nodename, end);
	if (n < 0 || n >= (int)sizeof(path))
		return -E2BIG;
	rc = xenbus_read_buf(XBT_NIL, path, dev->otherend,
			     sizeof(dev->otherend));
	if (rc)
		return rc == -ERANGE ? -EINVAL : rc;
	if (dev->otherend[0] != '/')
		return -EINVAL; /* the other end's directory is absolute */
	snprintf(id, sizeof(id), "%s-id", end);
	return read_domid(nodename, id, &dev->otherend_id);
}

/* Wait for the other end of dev to reach one of states. */
int xenbus_device_wait(struct xenbus_device *dev, unsigned int states,
		       uint64_t deadline, enum xenbus_state *state)
{
	return xenbus_wait_state(dev->otherend, states, deadline, state);
}
