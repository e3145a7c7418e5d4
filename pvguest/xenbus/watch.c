/*
 * xenbus watches (see <guest/xenbus.h>).
 *
 * Each registered watch has a token of its own ("xb" and a number that
 * is never reused), by which xenstored's events find it. A transport
 * hands every event to xenbus_watch_event(), which copies it into a
 * queue; thread "xenwatch" (started with the first watch) takes them
 * one at a time and calls the function of the watch whose token it
 * names, if that watch is still registered. So watch functions never
 * run inside a transport or an event handler, and may call xenbus.
 *
 * xenbus_unwatch() returns only once the function is not running and
 * will not run again (unless it is the function itself that unwatches).
 *
 * The queue holds at most XENBUS_MAX_QUEUED events; those beyond, or
 * that find no memory, are dropped and counted (xenbus_watch_dropped()).
 * One step of xenwatch, xenbus_watch_dispatch(), is its own function,
 * so the unit tests can run it in place of the thread.
 *
 * Lock: watch_lock guards the list of watches, the queue and the
 * watch running now.
 */
#include "xenbus.h"

#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/sched.h>
#include <guest/spinlock.h>
#include <paravane/printf.h>
#include <paravane/string.h>

/* A queued event: the path that changed and the watch's token. */
struct event {
	struct event *next;
	char *token;
	char path[];
};

static spinlock_t watch_lock = SPINLOCK_INIT;
static struct xenbus_watch *watches;
static struct event *queue_head, *queue_tail;
static unsigned int queued;
static unsigned long dropped;
static struct xenbus_watch *running; /* whose function runs now */
static struct thread *xenwatch;
static struct waitq queue_wq = WAITQ_INIT; /* an event was queued */
static struct waitq idle_wq = WAITQ_INIT;  /* a function returned */
static unsigned long next_token = 1;
static int thread_state; /* 0: none, 1: starting, 2: running */

/* Take the next event off the queue with its watch (NULL: stale). */
static struct event *next_event(struct xenbus_watch **w)
{
	unsigned long flags = spin_lock_irqsave(&watch_lock);
	struct event *e = queue_head;

	*w = NULL;
	if (e) {
		queue_head = e->next;
		if (!queue_head)
			queue_tail = NULL;
		queued--;
		for (struct xenbus_watch *i = watches; i; i = i->next)
			if (!strcmp(i->token, e->token))
				*w = i;
		running = *w;
	}
	spin_unlock_irqrestore(&watch_lock, flags);
	return e;
}

static bool have_events(void)
{
	return READ_ONCE(queue_head) != NULL;
}

/*
 * Run the next queued event: call its watch's function, if the watch is
 * still registered, then wake those waiting for it to return. False if
 * the queue was empty. Only xenwatch (or a unit test) calls it.
 */
bool xenbus_watch_dispatch(void)
{
	struct xenbus_watch *w;
	struct event *e;
	unsigned long flags;

	e = next_event(&w);
	if (!e)
		return false;
	if (w)
		w->fn(w, e->path);
	kfree(e);
	flags = spin_lock_irqsave(&watch_lock);
	running = NULL;
	spin_unlock_irqrestore(&watch_lock, flags);
	wake_up(&idle_wq);
	return true;
}

static int xenwatch_thread(void *arg)
{
	for (;;) {
		wait_event(queue_wq, have_events());
		xenbus_watch_dispatch();
	}
	return 0;
}

/* Events dropped so far: the queue was full or memory ran out. */
unsigned long xenbus_watch_dropped(void)
{
	return __atomic_load_n(&dropped, __ATOMIC_RELAXED);
}

/* Start thread xenwatch once; false if it cannot run. */
static bool start_xenwatch(void)
{
	int none = 0;

	if (__atomic_compare_exchange_n(&thread_state, &none, 1, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		xenwatch = thread_create("xenwatch", xenwatch_thread, NULL);
		__atomic_store_n(&thread_state, xenwatch ? 2 : 0,
				 __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&thread_state, __ATOMIC_ACQUIRE) == 1)
		thread_yield();
	return __atomic_load_n(&thread_state, __ATOMIC_ACQUIRE) == 2;
}

/*
 * An event from xenstored for the watch with token: queue it for
 * xenwatch. Called by transports, from a thread.
 */
void xenbus_watch_event(const char *path, const char *token)
{
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
	struct event *e = kmalloc(sizeof(*e) + plen + tlen);
	unsigned long flags;

	if (!e) {
		__atomic_fetch_add(&dropped, 1, __ATOMIC_RELAXED);
		return;
	}
	memcpy(e->path, path, plen);
	e->token = e->path + plen;
	memcpy(e->token, token, tlen);
	e->next = NULL;
	flags = spin_lock_irqsave(&watch_lock);
	if (queued >= XENBUS_MAX_QUEUED) {
		spin_unlock_irqrestore(&watch_lock, flags);
		kfree(e);
		if (!__atomic_fetch_add(&dropped, 1, __ATOMIC_RELAXED))
			printk("xenbus: watch events are being dropped\n");
		return;
	}
	if (queue_tail)
		queue_tail->next = e;
	else
		queue_head = e;
	queue_tail = e;
	queued++;
	spin_unlock_irqrestore(&watch_lock, flags);
	wake_up(&queue_wq);
}

static bool not_running(struct xenbus_watch *w)
{
	return READ_ONCE(running) != w;
}

/* Whether the caller is a watch function (thread xenwatch). */
bool xenbus_in_watch(void)
{
	return xenwatch && current_thread() == xenwatch;
}

/* Wait until w's function is not running (unless we are it). */
static void wait_until_not_running(struct xenbus_watch *w)
{
	if (!xenbus_in_watch())
		wait_event(idle_wq, not_running(w));
}

static void unlink_watch(struct xenbus_watch *w)
{
	unsigned long flags = spin_lock_irqsave(&watch_lock);

	for (struct xenbus_watch **pp = &watches; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	spin_unlock_irqrestore(&watch_lock, flags);
}

/*
 * Watch path: fn(w, changed_path) runs on xenwatch now and after every
 * change at or below path, until xenbus_unwatch(w). w stays the
 * caller's, and must live until then.
 */
int xenbus_watch(struct xenbus_watch *w, const char *path, xenbus_watch_fn fn,
		 void *arg)
{
	size_t plen = strlen(path) + 1;
	unsigned long flags;
	int rc;

	if (plen > XENBUS_PATH_MAX)
		return -E2BIG;
	if (w->registered)
		return -EBUSY; /* it is in the list: starting again would break it */
	if (!start_xenwatch())
		return -ENOMEM;
	*w = (struct xenbus_watch){.fn = fn, .arg = arg};
	w->path = kmalloc(plen);
	if (!w->path)
		return -ENOMEM;
	memcpy(w->path, path, plen);
	snprintf(w->token, sizeof(w->token), "xb%lu",
		 __atomic_fetch_add(&next_token, 1, __ATOMIC_RELAXED));
	/* Listed first: the event for the registration may come at once. */
	flags = spin_lock_irqsave(&watch_lock);
	w->next = watches;
	watches = w;
	spin_unlock_irqrestore(&watch_lock, flags);
	rc = xenbus_send_watch(path, w->token, true);
	if (rc) {
		/*
		 * Its event may have come (a late reply to a request that
		 * timed out): its function may be running. And xenstored may
		 * hold the watch after all: take it back, or try to.
		 */
		unlink_watch(w);
		if (rc == -ETIMEDOUT)
			xenbus_send_watch(path, w->token, false);
		wait_until_not_running(w);
		kfree(w->path);
		w->path = NULL;
		return rc;
	}
	w->registered = true;
	return 0;
}

/* Stop watching; w's function has returned and will not run again. */
int xenbus_unwatch(struct xenbus_watch *w)
{
	int rc;

	if (!w->registered)
		return -ENOENT;
	unlink_watch(w);
	rc = xenbus_send_watch(w->path, w->token, false);
	wait_until_not_running(w);
	kfree(w->path);
	w->path = NULL;
	w->registered = false;
	return rc;
}
