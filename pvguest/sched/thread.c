/*
 * Threads and the per-vCPU scheduler.
 *
 * Each vCPU has a FIFO run queue and an idle thread. schedule() puts the
 * running thread at the tail (if it is still runnable), takes the head
 * (or the idle thread) and switches to it with switch_context() (arch/
 * x86/switch.S), which saves the callee-saved registers on the old stack
 * and returns on the new one. The switch happens with events masked;
 * each thread restores its own mask when its schedule() call returns.
 *
 * Locks. A vCPU's run-queue lock guards its queue, its current thread
 * and the state of its threads; a wait queue's lock is taken before a
 * run-queue lock, never after. Only the owning vCPU takes threads off
 * its queue, so a thread that is still switching away can be made
 * runnable by another vCPU without ever running twice.
 *
 * Boot contexts become threads: vCPU 0's is "main" (it runs app_main),
 * a secondary vCPU's is its idle thread. vCPU 0's idle thread gets a
 * stack of its own. An exited thread is freed by thread_join(), once the
 * thread that ran after it has marked it dead: until then its stack may
 * still be in use by the switch.
 */
#include <guest/console.h>
#include <guest/heap.h>
#include <guest/hypercall.h>
#include <guest/sched.h>
#include <guest/shutdown.h>
#include <guest/smp.h>
#include <paravane/string.h>

struct runqueue {
	spinlock_t lock;
	struct thread *head, *tail;
	struct thread *idle;
};

static struct runqueue runqueues[MAX_CPUS];
static struct thread boot_threads[MAX_CPUS];

// arch/x86/switch.S
struct thread *switch_context(unsigned long *save_sp, unsigned long sp,
			      struct thread *prev);
void thread_entry(void);

static struct runqueue *rq_of(const struct thread *t)
{
	return &runqueues[t->cpu->id];
}

static void enqueue(struct runqueue *rq, struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	t->next = NULL;
	if (rq->tail)
		rq->tail->next = t;
	else
		rq->head = t;
	rq->tail = t;
}

static struct thread *dequeue(struct runqueue *rq)
{
	struct thread *t = rq->head;

	if (t) {
		rq->head = t->next;
		if (!rq->head)
			rq->tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* After a switch, on the new thread: settle the thread we left. */
static void finish_switch(struct thread *prev)
{
	if (prev->state == THREAD_EXITED) {
		WRITE_ONCE(prev->dead, true);
		wake_up(&prev->joiners);
	}
}

/* Switch to the next runnable thread of this vCPU, if any. */
void schedule(void)
{
	struct cpu *c = this_cpu();
	struct runqueue *rq = &runqueues[c->id];
	unsigned long flags = spin_lock_irqsave(&rq->lock);
	struct thread *prev = c->current, *next;

	if (prev->state == THREAD_RUNNING && prev != rq->idle)
		enqueue(rq, prev);
	next = dequeue(rq);
	if (!next)
		next = rq->idle;
	if (prev == rq->idle && next != prev)
		prev->state = THREAD_RUNNABLE;
	next->state = THREAD_RUNNING;
	c->current = next;
	spin_unlock(&rq->lock);
	if (next != prev)
		finish_switch(switch_context(&prev->sp, next->sp, prev));
	local_irq_restore(flags);
}

/* A new thread's first code (reached from thread_entry). */
void __noreturn thread_main(struct thread *prev, struct thread *self);
void __noreturn thread_main(struct thread *prev, struct thread *self)
{
	finish_switch(prev);
	local_irq_enable();
	thread_exit(self->fn(self->arg));
}

/* Make t runnable if it is blocked; it runs on its own vCPU. */
void thread_wake(struct thread *t)
{
	struct runqueue *rq = rq_of(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);
	bool kick = false;

	if (t->state == THREAD_BLOCKED) {
		if (t->cpu->current == t) {
			t->state = THREAD_RUNNING; /* not switched out yet */
		} else {
			enqueue(rq, t);
			kick = t->cpu != this_cpu();
		}
	}
	spin_unlock(&rq->lock);
	if (kick)
		smp_send_ipi(t->cpu->id);
	local_irq_restore(flags);
}

/* Mark the running thread blocked: the next schedule() leaves it. */
void thread_set_blocked(void)
{
	struct thread *t = current_thread();
	struct runqueue *rq = rq_of(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	t->state = THREAD_BLOCKED;
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Undo thread_set_blocked() (the thread no longer waits). */
void thread_set_running(void)
{
	struct thread *t = current_thread();
	struct runqueue *rq = rq_of(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	if (t->state == THREAD_BLOCKED)
		t->state = THREAD_RUNNING;
	spin_unlock_irqrestore(&rq->lock, flags);
}

static void thread_setup(struct thread *t, struct cpu *c, const char *name)
{
	t->cpu = c;
	strlcpy(t->name, name, sizeof(t->name));
	waitq_init(&t->joiners);
}

/*
 * A thread on vCPU cpu that will run fn(arg); its return value is the
 * exit code. NULL if cpu is not online or memory ran out.
 */
struct thread *thread_create_on(unsigned int cpu, const char *name,
				int (*fn)(void *), void *arg)
{
	struct thread *t;
	unsigned long *sp, flags;
	struct runqueue *rq;

	if (!cpu_online(cpu))
		return NULL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->stack = kmalloc(THREAD_STACK_SIZE);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	thread_setup(t, cpu_of(cpu), name);
	t->fn = fn;
	t->arg = arg;
	/*
	 * The frame switch_context() pops: r15, r14, r13, r12 (= t), rbx,
	 * rbp, then thread_entry as the return address. Placed so that
	 * thread_entry starts with rsp 16-byte aligned, as after a call's
	 * return, and calls thread_main() with the ABI's alignment.
	 */
	sp = (unsigned long *)(((unsigned long)t->stack + THREAD_STACK_SIZE) &
			       ~15UL) -
	     9;
	memset(sp, 0, 9 * sizeof(*sp));
	sp[3] = (unsigned long)t;
	sp[6] = (unsigned long)thread_entry;
	t->sp = (unsigned long)sp;

	rq = rq_of(t);
	flags = spin_lock_irqsave(&rq->lock);
	enqueue(rq, t);
	spin_unlock(&rq->lock);
	if (t->cpu != this_cpu())
		smp_send_ipi(cpu);
	local_irq_restore(flags);
	return t;
}

/* A thread on the caller's vCPU. */
struct thread *thread_create(const char *name, int (*fn)(void *), void *arg)
{
	return thread_create_on(smp_processor_id(), name, fn, arg);
}

/* Let the other runnable threads of this vCPU run first. */
void thread_yield(void)
{
	schedule();
}

/* End the running thread with code; thread_join() collects it. */
void __noreturn thread_exit(int code)
{
	struct thread *t = current_thread();
	struct runqueue *rq = rq_of(t);
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	(void)flags;
	t->exit_code = code;
	t->state = THREAD_EXITED;
	spin_unlock(&rq->lock);
	schedule();
	panic("thread %s ran after it exited", t->name);
}

/* Wait for t to exit, free it, and return its exit code. */
int thread_join(struct thread *t)
{
	int code;

	wait_event(t->joiners, READ_ONCE(t->dead));
	code = t->exit_code;
	kfree(t->stack);
	kfree(t);
	return code;
}

/*
 * What a vCPU does when it has nothing to run: with events masked, look
 * at the run queue; if it is empty, SCHEDOP_block, which unmasks events
 * and sleeps until one is pending, in one step, so an event that comes
 * after the look still ends the block. The event's handler runs on the
 * way back (and may queue a thread); then schedule.
 */
void __noreturn cpu_idle(void)
{
	struct runqueue *rq = &runqueues[smp_processor_id()];

	for (;;) {
		local_irq_disable();
		if (!READ_ONCE(rq->head))
			HYPERVISOR_sched_op(SCHEDOP_block, NULL);
		local_irq_enable();
		schedule();
	}
}

static int idle_thread_fn(void *arg)
{
	cpu_idle();
}

/* This vCPU's run queue, with its boot context as running thread. */
static struct thread *sched_cpu_setup(const char *name)
{
	struct cpu *c = this_cpu();
	struct thread *t = &boot_threads[c->id];

	spin_lock_init(&runqueues[c->id].lock);
	thread_setup(t, c, name);
	t->state = THREAD_RUNNING;
	c->current = t;
	return t;
}

/* The boot vCPU: the boot context is "main"; an idle thread is made. */
void sched_init(void)
{
	struct runqueue *rq = &runqueues[0];
	struct thread *idle;
	unsigned long flags;

	sched_cpu_setup("main");
	/* Built like any thread, then taken back out of the run queue. */
	idle = thread_create_on(0, "idle", idle_thread_fn, NULL);
	if (!idle)
		panic("sched: no memory for the idle thread");
	flags = spin_lock_irqsave(&rq->lock);
	rq->head = rq->tail = NULL;
	rq->idle = idle;
	spin_unlock_irqrestore(&rq->lock, flags);
	printk("sched: cooperative threads, one run queue per vCPU\n");
}

/* A secondary vCPU: its boot context is its idle thread. */
void sched_cpu_init(void)
{
	runqueues[smp_processor_id()].idle = sched_cpu_setup("idle");
}
