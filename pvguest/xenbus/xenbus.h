/* xenbus's own declarations, between its files. */
#ifndef XENBUS_XENBUS_H
#define XENBUS_XENBUS_H

#include <guest/sched.h>
#include <guest/xenbus.h>

/*
 * A request waiting for its reply (ring.c; on its sender's stack). The
 * reader settles it (rc, or reply and len) and sets done last.
 */
struct xenbus_pending {
	struct xenbus_pending *next;
	uint32_t req_id;
	uint32_t type; /* its reply has this type, or XS_ERROR */
	bool done;     /* set last, with a release store, by the reader */
	int rc;
	char *reply;
	uint32_t len;
	struct waitq wq; /* its sender sleeps here */
};

// xenbus/ring.c
extern const struct xenbus_transport xenbus_ring_transport;
int xenbus_ring_connect(void);

// xenbus/ring_msg.c
int xenbus_rsp_avail(const struct xenstore_domain_interface *intf);
int xenbus_req_room(const struct xenstore_domain_interface *intf);
int xenbus_rsp_take(struct xenstore_domain_interface *intf, void *dst,
		    uint32_t len);
bool xenbus_msg_fits(const struct xsd_sockmsg *h);
struct xenbus_pending *xenbus_reply_match(struct xenbus_pending **list,
					  const struct xsd_sockmsg *h,
					  char *body);
bool xenbus_event_split(const char *body, uint32_t len, const char **token);

// xenbus/watch.c
#define XENBUS_MAX_QUEUED 1024 /* watch events beyond this are dropped */
bool xenbus_in_watch(void);
bool xenbus_watch_dispatch(void);
unsigned long xenbus_watch_dropped(void);

// xenbus/xenbus.c
int xenbus_send_watch(const char *path, const char *token, bool add);

#endif /* XENBUS_XENBUS_H */
