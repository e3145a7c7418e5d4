/*
 * A domU's control node: how its toolstack asks it to shut down.
 *
 * As Xen's PV kernels do, the domU says in its home what it understands
 * (control/feature-poweroff and control/feature-reboot, "1") and watches
 * control/shutdown. The toolstack (xl shutdown; libxl's reboot too)
 * writes "poweroff", "halt" or "reboot" there; the domU clears the node, which
 * tells the toolstack it was heard, and shuts down with that reason.
 * Anything else written there is cleared and ignored.
 *
 * Started at boot in a domU whose builder gave it a xenstore ring,
 * unless its command line says "xenbus=off" (for a program that drives
 * the ring by itself). Without a xenstored serving the ring the first
 * write times out and the domU simply does not listen.
 */
#include "xenbus.h"

#include <guest/bootinfo.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/sched.h>
#include <guest/shutdown.h>
#include <paravane/string.h>
#include <xen/sched.h>

#define CLEAR_TRIES 16

static struct xenbus_watch shutdown_watch;

/* Take the request out of control/shutdown: its value, or NULL. */
static char *take_request(void)
{
	for (int i = 0; i < CLEAR_TRIES; i++) {
		xenbus_transaction_t tx;
		char *v = NULL;
		int rc = xenbus_transaction_start(&tx);

		if (rc)
			return NULL;
		rc = xenbus_read(tx, "control/shutdown", &v);
		if (!rc && v[0])
			rc = xenbus_write(tx, "control/shutdown", "");
		if (rc || !v[0]) {
			xenbus_transaction_end(tx, false);
			kfree(v);
			return NULL;
		}
		rc = xenbus_transaction_end(tx, true);
		if (!rc)
			return v;
		kfree(v);
		if (rc != -EAGAIN)
			return NULL;
	}
	return NULL;
}

static void shutdown_requested(struct xenbus_watch *w, const char *path)
{
	char *req = take_request();
	unsigned int reason;

	if (!req)
		return;
	if (!strcmp(req, "poweroff") || !strcmp(req, "halt"))
		reason = SHUTDOWN_poweroff;
	else if (!strcmp(req, "reboot"))
		reason = SHUTDOWN_reboot;
	else {
		printk("control: ignoring shutdown request \"%s\"\n", req);
		kfree(req);
		return;
	}
	printk("control: the toolstack asks for %s\n", req);
	kfree(req);
	if (reason == SHUTDOWN_poweroff)
		kernel_exit(EXIT_OK);
	kernel_shutdown(reason);
}

static int control_thread(void *arg)
{
	int rc = xenbus_write(XBT_NIL, "control/feature-poweroff", "1");

	if (!rc)
		rc = xenbus_write(XBT_NIL, "control/feature-reboot", "1");
	if (!rc)
		rc = xenbus_watch(&shutdown_watch, "control/shutdown",
				  shutdown_requested, NULL);
	if (rc && rc != -ETIMEDOUT)
		printk("control: not listening for shutdown requests (%d)\n",
		       rc);
	return 0;
}

/* Listen for the toolstack's shutdown requests (a domU with xenstore). */
void xenbus_control_init(void)
{
	if (is_initial_domain() || !start_info->store_mfn ||
	    cmdline_is("xenbus", "off"))
		return;
	if (!thread_create("control", control_thread, NULL))
		printk("control: no thread\n");
}
