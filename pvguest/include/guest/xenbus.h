/*
 * xenbus: pvguest's xenstore client, shared by frontends and backends.
 *
 * Transports. A domU reaches xenstored over its xenstore ring, the page
 * and event channel its builder named in start_info (store_mfn,
 * store_evtchn); xenbus connects to it on first use
 * (pvguest/xenbus/ring.c). dom0 runs xenstored itself, so its program
 * installs a transport that calls the store in the same kernel
 * (xenbus_set_transport(), tools/xenstore/dom0/xenbus.c) before any
 * xenbus call. The calls below behave the same over either.
 *
 * Paths. An absolute path starts with '/'; a relative one ("device/vbd")
 * is taken by xenstored as relative to the caller's home,
 * /local/domain/<domid>.
 *
 * Results. Every call returns 0 or a negative errno: the error xenstored
 * replied with (-ENOENT, -EACCES, -EEXIST, -EAGAIN, -ENOSPC, -E2BIG,
 * -EINVAL, ...), -ENODEV when the domain has no xenstore, -ETIMEDOUT
 * when xenstored did not answer within XENBUS_TIMEOUT_NS, -EIO when the
 * ring broke (xenstored reported an error in the page, or sent what
 * cannot be a reply). Strings handed back are NUL-terminated and
 * kmalloc'd; the caller kfree()s them.
 *
 * Context. The calls sleep: threads only, never an event handler. Any
 * number of threads, on any vCPUs, may call at once; requests go out
 * one after the other and each waits for its own reply.
 *
 * Transactions. xenbus_transaction_start() gives a transaction id to
 * pass to the calls that take one (XBT_NIL: none). Its reads see the
 * store as it was at the start plus its own writes; ending it with
 * commit applies its writes at once, or fails with -EAGAIN if another
 * client changed what it touched - the caller retries the whole
 * transaction.
 *
 * Watches. xenbus_watch() asks xenstored to report changes under a path
 * (the node, or any node below it). The function runs on xenbus's watch
 * thread ("xenwatch"), one event at a time, with the path that changed;
 * it runs once straight after registering, as Xen's xenstored fires
 * every new watch. It may call xenbus, except to wait for another
 * watch (xenbus_wait_state() there is -EDEADLK: xenwatch is busy with
 * us). Special paths "@introduceDomain" and "@releaseDomain" report
 * domains coming and going (dom0 only).
 *
 * Device handshake. A split device's frontend and backend each publish
 * a "state" node in their own directory (XenbusState*, <xen/io/xenbus.h>)
 * and watch the other's: xenbus_switch_state() moves one's own,
 * xenbus_wait_state() sleeps until the other end reaches one of a set
 * of states. struct xenbus_device finds the other end's directory and
 * domain the way Xen's drivers do: a frontend's directory has "backend"
 * and "backend-id", a backend's "frontend" and "frontend-id".
 */
#ifndef GUEST_XENBUS_H
#define GUEST_XENBUS_H

#include <paravane/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xenbus.h>
#include <xen/io/xs_wire.h>
#include <xen/xen.h>

#define XENBUS_TIMEOUT_NS 30000000000ULL /* no reply in 30 s: -ETIMEDOUT */
#define XENBUS_PATH_MAX (XENSTORE_ABS_PATH_MAX + 1)

typedef uint32_t xenbus_transaction_t;
#define XBT_NIL ((xenbus_transaction_t)0)

/*
 * How xenbus reaches xenstored. request() sends one message of type with
 * payload (len bytes) and waits for its reply: 0 with the reply's
 * payload in *reply (kmalloc'd, NUL-terminated; *reply_len excludes the
 * NUL), or a negative errno (an ERROR reply already turned into one).
 * A transport that receives watch events as messages (the ring) leaves
 * watch() and unwatch() NULL: XS_WATCH and XS_UNWATCH go through
 * request(). Either way it hands each event to xenbus_watch_event().
 */
struct xenbus_transport {
	const char *name;
	int (*request)(uint32_t type, xenbus_transaction_t tx,
		       const void *payload, uint32_t len, char **reply,
		       uint32_t *reply_len);
	int (*watch)(const char *path, const char *token);
	int (*unwatch)(const char *path, const char *token);
};

struct xenbus_watch;
typedef void (*xenbus_watch_fn)(struct xenbus_watch *w, const char *path);

/*
 * A watch; the caller owns it, xenbus the fields below. It starts
 * zeroed (or unwatched): xenbus_watch() refuses one still registered.
 */
struct xenbus_watch {
	xenbus_watch_fn fn;
	void *arg; /* the caller's */
	char *path;
	char token[20];
	struct xenbus_watch *next;
	bool registered;
};

/* One end of a split device (see the top of this file). */
struct xenbus_device {
	char nodename[XENBUS_PATH_MAX]; /* our directory */
	char otherend[XENBUS_PATH_MAX]; /* the other end's directory */
	domid_t otherend_id;
	bool is_backend;
};

/* The bit of state s, for xenbus_wait_state()'s set. */
#define XENBUS_STATE_BIT(s) (1u << (s))

// xenbus/xenbus.c
void xenbus_set_transport(const struct xenbus_transport *t);
bool xenbus_available(void);
int xenbus_errno(const char *name);
int xenbus_read(xenbus_transaction_t tx, const char *path, char **value);
int xenbus_read_buf(xenbus_transaction_t tx, const char *path, char *buf,
		    size_t size);
int xenbus_read_uint(xenbus_transaction_t tx, const char *path,
		     unsigned long *value);
bool xenbus_exists(xenbus_transaction_t tx, const char *path);
int xenbus_write(xenbus_transaction_t tx, const char *path, const char *value);
int xenbus_printf(xenbus_transaction_t tx, const char *path, const char *fmt,
		  ...) __printf(3, 4);
int xenbus_mkdir(xenbus_transaction_t tx, const char *path);
int xenbus_rm(xenbus_transaction_t tx, const char *path);
int xenbus_directory(xenbus_transaction_t tx, const char *path, char **names,
		     unsigned int *count);
int xenbus_get_perms(xenbus_transaction_t tx, const char *path, char **perms,
		     uint32_t *len);
int xenbus_set_perms(xenbus_transaction_t tx, const char *path,
		     const char *perms, uint32_t len);
int xenbus_transaction_start(xenbus_transaction_t *tx);
int xenbus_transaction_end(xenbus_transaction_t tx, bool commit);
int xenbus_get_domain_path(domid_t domid, char **path);
int xenbus_domid(domid_t *domid);
unsigned long xenbus_requests(void);

// xenbus/control.c
void xenbus_control_init(void);

// xenbus/watch.c
int xenbus_watch(struct xenbus_watch *w, const char *path, xenbus_watch_fn fn,
		 void *arg);
int xenbus_unwatch(struct xenbus_watch *w);
void xenbus_watch_event(const char *path, const char *token);

// xenbus/state.c
const char *xenbus_state_name(enum xenbus_state s);
enum xenbus_state xenbus_read_state(const char *dir);
int xenbus_switch_state(const char *dir, enum xenbus_state s);
int xenbus_wait_state(const char *dir, unsigned int states, uint64_t deadline,
		      enum xenbus_state *state);
int xenbus_device_init(struct xenbus_device *dev, const char *nodename,
		       bool is_backend);
int xenbus_device_wait(struct xenbus_device *dev, unsigned int states,
		       uint64_t deadline, enum xenbus_state *state);

#endif /* GUEST_XENBUS_H */
