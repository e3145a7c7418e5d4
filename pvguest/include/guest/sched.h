/*
 * Kernel threads: cooperative, each bound to one vCPU for its life.
 *
 * A thread runs until it yields, waits or exits; event handlers never
 * switch threads, they only wake them. Each vCPU has its own run queue
 * and an idle thread that blocks the vCPU in Xen (SCHEDOP_block) when
 * nothing is runnable; waking a thread of another vCPU queues it there
 * and sends that vCPU an IPI, which ends its block.
 *
 * Waiting. A wait queue holds the threads waiting for something; the
 * code that changes the something calls wake_up(). wait_event(wq, cond)
 * queues the thread and marks it blocked before testing cond, so a
 * wake_up() between the test and the switch is not lost: it makes the
 * thread runnable again and the switch comes straight back.
 *
 * Thread states (a thread's state is guarded by its vCPU's run-queue
 * lock):
 *   RUNNING   on its vCPU now        RUNNABLE  in its vCPU's run queue
 *   BLOCKED   waiting for a wake     EXITED    done, waiting for join
 */
#ifndef GUEST_SCHED_H
#define GUEST_SCHED_H

#include <guest/percpu.h>
#include <guest/spinlock.h>
#include <guest/time.h>
#include <paravane/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define THREAD_STACK_SIZE 0x4000
#define THREAD_NAME_MAX 16

enum thread_state {
	THREAD_RUNNING,
	THREAD_RUNNABLE,
	THREAD_BLOCKED,
	THREAD_EXITED
};

struct waiter;

struct waitq {
	spinlock_t lock;
	struct waiter *head;
};

#define WAITQ_INIT                                                             \
	{                                                                      \
		SPINLOCK_INIT, NULL                                            \
	}

struct thread {
	unsigned long sp; /* saved stack pointer while switched out */
	struct cpu *cpu;  /* the vCPU it runs on, for life */
	enum thread_state state;
	char name[THREAD_NAME_MAX];
	int (*fn)(void *arg);
	void *arg;
	int exit_code;
	void *stack;	      /* allocated stack (NULL: a boot stack) */
	struct thread *next;  /* run-queue link */
	struct waitq joiners; /* thread_join() waits here */
	volatile bool dead;   /* exited and switched away for good */
};

/* A thread waiting on a wait queue (lives on the waiter's stack). */
struct waiter {
	struct thread *thread;
	struct waiter *next;
	bool queued;
};

static inline struct thread *current_thread(void)
{
	return this_cpu()->current;
}

// sched/thread.c
void sched_init(void);
void sched_cpu_init(void);
struct thread *thread_create(const char *name, int (*fn)(void *), void *arg);
struct thread *thread_create_on(unsigned int cpu, const char *name,
				int (*fn)(void *), void *arg);
void thread_yield(void);
void __noreturn thread_exit(int code);
int thread_join(struct thread *t);
void thread_wake(struct thread *t);
void thread_set_blocked(void);
void thread_set_running(void);
void schedule(void);
void __noreturn cpu_idle(void);

// sched/wait.c
void waitq_init(struct waitq *wq);
void wait_prepare(struct waitq *wq, struct waiter *w);
void wait_finish(struct waitq *wq, struct waiter *w);
void wake_up(struct waitq *wq);
void sleep_until(uint64_t deadline);
void sleep_ns(uint64_t ns);
void sched_timeout_start(struct timer *t, uint64_t deadline);

/* Wait until cond holds; cond is re-tested after every wake_up(wq). */
#define wait_event(wq, cond)                                                   \
	do {                                                                   \
		struct waiter w_ = {NULL, NULL, false};                        \
		for (;;) {                                                     \
			wait_prepare(&(wq), &w_);                              \
			if (cond)                                              \
				break;                                         \
			schedule();                                            \
		}                                                              \
		wait_finish(&(wq), &w_);                                       \
	} while (0)

/*
 * Wait until cond holds or system time reaches deadline; evaluates to
 * whether cond held.
 */
#define wait_event_until(wq, cond, deadline)                                   \
	({                                                                     \
		struct waiter w_ = {NULL, NULL, false};                        \
		struct timer t_;                                               \
		uint64_t d_ = (deadline);                                      \
		bool ok_;                                                      \
		sched_timeout_start(&t_, d_);                                  \
		for (;;) {                                                     \
			wait_prepare(&(wq), &w_);                              \
			ok_ = (cond);                                          \
			if (ok_ || !timer_pending(&t_))                        \
				break;                                         \
			schedule();                                            \
		}                                                              \
		wait_finish(&(wq), &w_);                                       \
		timer_stop(&t_);                                               \
		ok_;                                                           \
	})

#endif /* GUEST_SCHED_H */
