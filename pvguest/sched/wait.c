/*
 * Waiting: wait queues, sleeping, timeouts.
 *
 * wait_prepare() marks the thread blocked and queues its waiter, both
 * under the wait queue's lock; wake_up() dequeues every waiter and wakes
 * its thread under the same lock. So a waker either finds the waiter
 * queued and the thread blocked (and wakes it), or comes before both
 * (and the waiter's condition test, which follows, sees its change).
 * Every pass of wait_event() queues the waiter again, since a wake_up()
 * takes it off even when the condition is still false for this waiter.
 *
 * Sleeping uses a timer on the sleeper's own vCPU whose function wakes
 * the thread; the thread sleeps until that timer has run.
 */
#include <guest/sched.h>

void waitq_init(struct waitq *wq)
{
	spin_lock_init(&wq->lock);
	wq->head = NULL;
}

/* Queue w for the running thread and mark the thread blocked. */
void wait_prepare(struct waitq *wq, struct waiter *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	thread_set_blocked();
	if (!w->queued || w->thread != current_thread()) {
		w->thread = current_thread();
		w->next = wq->head;
		wq->head = w;
		w->queued = true;
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* The wait is over: take w off wq and mark the thread running. */
void wait_finish(struct waitq *wq, struct waiter *w)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	if (w->queued) {
		struct waiter **p = &wq->head;

		while (*p && *p != w)
			p = &(*p)->next;
		if (*p)
			*p = w->next;
		w->queued = false;
	}
	thread_set_running();
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* Wake every thread waiting on wq (safe from event handlers). */
void wake_up(struct waitq *wq)
{
	unsigned long flags = spin_lock_irqsave(&wq->lock);

	while (wq->head) {
		struct waiter *w = wq->head;

		wq->head = w->next;
		w->queued = false;
		thread_wake(w->thread);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void timeout_wake(void *arg)
{
	thread_wake(arg);
}

/* Arm t to wake the running thread at deadline (for wait_event_until). */
void sched_timeout_start(struct timer *t, uint64_t deadline)
{
	timer_init(t, timeout_wake, current_thread());
	timer_set(t, deadline);
}

/* Sleep until system time deadline (ns); other threads run meanwhile. */
void sleep_until(uint64_t deadline)
{
	struct timer t;

	sched_timeout_start(&t, deadline);
	for (;;) {
		thread_set_blocked();
		if (!timer_pending(&t))
			break;
		schedule();
	}
	thread_set_running();
}

/* Sleep for ns nanoseconds. */
void sleep_ns(uint64_t ns)
{
	sleep_until(time_now() + ns);
}
