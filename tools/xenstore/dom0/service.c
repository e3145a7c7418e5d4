/*
 * dom0's xenstored: the store, its lock, dom0's own client and
 * xenstored's thread (see <xenstore/dom0.h>).
 *
 * The thread sleeps until something needs it - a domain's store
 * channel fired, the core queued output for a ring or an event for
 * dom0's client (service_kick) - then serves the rings that have work
 * with the lock held, and runs dom0's watch functions without it.
 *
 * Lock: one spinlock over the whole store. Holders never block or
 * yield (the core never does), so on pvguest's cooperative threads a
 * holder is never switched away from; event handlers only set flags and
 * wake the thread, they never take it.
 */
#include "dom0.h"

#include <guest/console.h>
#include <guest/errno.h>
#include <guest/sched.h>
#include <guest/spinlock.h>

static struct xsd_store *store;
static struct xsc *dom0;
static spinlock_t store_lock = SPINLOCK_INIT;
static struct waitq waiters = WAITQ_INIT;
static int work;
static unsigned long wakeups;

static void do_lock(void *ctx)
{
	spin_lock(&store_lock);
}

static void do_unlock(void *ctx)
{
	spin_unlock(&store_lock);
}

/* Wake xenstored's thread (safe from event handlers and the core). */
void service_kick(void)
{
	__atomic_store_n(&work, 1, __ATOMIC_SEQ_CST);
	wake_up(&waiters);
}

static void output_ready(void *ctx, struct xsd_conn *c)
{
	ring_mark(c); /* dom0's client: its events are dispatched below */
	service_kick();
}

static const struct xsd_ops ops = {
	.output_ready = output_ready,
	.introduce = ring_attach,
	.release = ring_detach,
	.lock = do_lock,
	.unlock = do_unlock,
};

static bool has_work(void)
{
	return __atomic_load_n(&work, __ATOMIC_SEQ_CST) != 0;
}

static int xenstored_thread(void *arg)
{
	for (;;) {
		wait_event(waiters, has_work());
		__atomic_store_n(&work, 0, __ATOMIC_SEQ_CST);
		wakeups++;
		spin_lock(&store_lock);
		ring_service_all();
		spin_unlock(&store_lock);
		xsc_dispatch(dom0);
		thread_yield(); /* a busy ring waits for the others' turn */
	}
	return 0;
}

/* Xen's dom0 nodes (xen-init-dom0 writes them). */
static int dom0_nodes(void)
{
	int rc = xsc_write_str(dom0, XS_TX_NONE, "/local/domain/0/name",
			       "Domain-0");

	if (!rc)
		rc = xsc_write_str(dom0, XS_TX_NONE, "/local/domain/0/domid",
				   "0");
	return rc;
}

/*
 * Start xenstored: the store, dom0's client and the thread (on this
 * vCPU). 0, or a negative errno with nothing started.
 */
int xenstored_start(void)
{
	struct thread *t;
	int rc;

	if (store)
		return -EEXIST;
	store = xsd_store_new(&ops, NULL);
	if (!store)
		return -ENOMEM;
	dom0 = xsc_open(store, 0, true);
	rc = dom0 ? dom0_nodes() : -ENOMEM;
	if (rc)
		goto err_store;
	t = thread_create("xenstored", xenstored_thread, NULL);
	if (!t) {
		rc = -ENOMEM;
		goto err_store;
	}
	xenbus_set_transport(&xenstored_xenbus);
	printk("xenstored: serving; dom0's home is /local/domain/0\n");
	return 0;

err_store:
	xsc_close(dom0);
	xsd_store_free(store);
	dom0 = NULL;
	store = NULL;
	printk("xenstored: cannot start (%d)\n", rc);
	return rc;
}

/* Whether xenstored_start() succeeded. */
bool xenstored_running(void)
{
	return store != NULL;
}

/* dom0's own client (NULL before xenstored_start()). */
struct xsc *xenstored_dom0(void)
{
	return dom0;
}

/* Domain domid shut down: @releaseDomain fires (once, until RESUME). */
void xenstored_domain_shutdown(domid_t domid)
{
	if (!store)
		return;
	spin_lock(&store_lock);
	xsd_domain_shutdown(store, domid);
	spin_unlock(&store_lock);
}

/*
 * Domain domid is gone: release it (unmap its ring, drop its nodes,
 * fire @releaseDomain). -ENOENT if xenstored never heard of it.
 */
int xenstored_domain_gone(domid_t domid)
{
	int rc;

	if (!store)
		return -ENOENT;
	spin_lock(&store_lock);
	rc = xsd_domain_gone(store, domid);
	spin_unlock(&store_lock);
	return rc;
}

/* The store's and the rings' figures. */
void xenstored_info(struct xenstored_info *info)
{
	*info = (struct xenstored_info){0};
	if (!store)
		return;
	spin_lock(&store_lock);
	xsd_get_stats(store, &info->stats);
	ring_counts(info);
	spin_unlock(&store_lock);
	info->wakeups = wakeups;
}
