/*
 * xenbus in dom0: pvguest's xenstore client (<guest/xenbus.h>) reaching
 * the xenstored in this same kernel through dom0's client, so dom0's
 * backends speak xenbus as domUs' frontends do. xenstored_start()
 * installs it.
 *
 * A request is one xsc_call(): the same message layer as a ring, with
 * dom0's rights. A watch is an xsc_watch() whose events, dispatched on
 * xenstored's thread, go to xenbus's own queue (xenbus_watch_event()),
 * so xenbus's watch functions run on its xenwatch thread, as in a domU.
 */
#include "dom0.h"

#include <guest/xenbus.h>

static int request(uint32_t type, xenbus_transaction_t tx, const void *payload,
		   uint32_t len, char **reply, uint32_t *reply_len)
{
	return xsc_call(xenstored_dom0(), type, tx, payload, len, reply,
			reply_len);
}

static void forward(const char *path, const char *token, void *arg)
{
	xenbus_watch_event(path, token);
}

static int watch(const char *path, const char *token)
{
	return xsc_watch(xenstored_dom0(), path, token, forward, NULL);
}

static int unwatch(const char *path, const char *token)
{
	return xsc_unwatch(xenstored_dom0(), path, token);
}

const struct xenbus_transport xenstored_xenbus = {
	.name = "dom0's xenstored",
	.request = request,
	.watch = watch,
	.unwatch = unwatch,
};
