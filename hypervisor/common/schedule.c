/*
 * The scheduler core: which vCPU each CPU runs.
 *
 * Each CPU has a FIFO run queue of runnable vCPUs and its idle vCPU for
 * when the queue is empty. A vCPU runs until it blocks, yields, or its
 * time slice ends, then goes to the back of its queue. Decisions happen
 * in SCHEDULE_SOFTIRQ (schedule()), which ends in context_switch() when
 * the choice changes; nothing ever sleeps inside the hypervisor.
 *
 * SCHEDULE_SOFTIRQ is the highest-numbered softirq, so the others have
 * run by the time a context switch abandons the softirq loop.
 *
 * Lock: each queue's lock, with interrupts off; never held while taking
 * another CPU's queue lock.
 */
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/timer.h>

#include <asm/processor.h>
#include <asm/pv.h>

#define TIME_SLICE MILLISECS(30)

struct runqueue {
	spinlock_t lock;
	struct vcpu *head, *tail;
	struct vcpu *idle;
	struct timer slice_timer;
};

static struct runqueue runqueues[NR_CPUS];

static void runq_insert(struct runqueue *rq, struct vcpu *v)
{
	v->next_in_runq = NULL;
	if (rq->tail)
		rq->tail->next_in_runq = v;
	else
		rq->head = v;
	rq->tail = v;
	v->on_runq = true;
}

static struct vcpu *runq_pop(struct runqueue *rq)
{
	struct vcpu *v = rq->head;

	if (v) {
		rq->head = v->next_in_runq;
		if (!rq->head)
			rq->tail = NULL;
		v->on_runq = false;
		v->next_in_runq = NULL;
	}
	return v;
}

static void runq_remove(struct runqueue *rq, struct vcpu *v)
{
	struct vcpu **pp = &rq->head, *prev = NULL;

	while (*pp && *pp != v) {
		prev = *pp;
		pp = &(*pp)->next_in_runq;
	}
	if (!*pp)
		return;
	*pp = v->next_in_runq;
	if (rq->tail == v)
		rq->tail = prev;
	v->on_runq = false;
	v->next_in_runq = NULL;
}

static void slice_expired(void *data)
{
	raise_softirq(SCHEDULE_SOFTIRQ);
}

/* Give a CPU its run queue and idle vCPU. */
int sched_init_cpu(unsigned int cpu)
{
	struct runqueue *rq = &runqueues[cpu];
	struct vcpu *idle = vcpu_create(idle_domain, cpu, cpu);

	if (!idle)
		return -ENOMEM;
	idle->pause_flags = 0;
	idle->is_running = true;
	spin_lock_init(&rq->lock);
	rq->idle = idle;
	init_timer(&rq->slice_timer, slice_expired, NULL, cpu);
	if (cpu == smp_processor_id())
		set_current(idle);
	return 0;
}

/* Install the scheduler's softirq. */
void scheduler_init(void)
{
	open_softirq(SCHEDULE_SOFTIRQ, schedule);
}

/* Make v eligible to run if nothing holds it back. */
void vcpu_wake(struct vcpu *v)
{
	struct runqueue *rq = &runqueues[v->processor];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	if (vcpu_runnable(v) && !v->on_runq && !v->is_running) {
		runq_insert(rq, v);
		cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
	}
	spin_unlock_irqrestore(&rq->lock, flags);
}

/* Take v off its CPU's queue; a running v is descheduled. */
void vcpu_sleep(struct vcpu *v)
{
	struct runqueue *rq = &runqueues[v->processor];
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	if (v->on_runq)
		runq_remove(rq, v);
	if (v->is_running)
		cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
	spin_unlock_irqrestore(&rq->lock, flags);
}

static bool events_need_delivery(const struct vcpu *v)
{
	return v->vcpu_info && READ_ONCE(v->vcpu_info->evtchn_upcall_pending) &&
	       !READ_ONCE(v->vcpu_info->evtchn_upcall_mask);
}

/*
 * The running vCPU waits for an event. Checked after setting the flag, so
 * an event that arrived meanwhile is not missed.
 */
void vcpu_block(void)
{
	struct vcpu *v = current;

	__atomic_fetch_or(&v->pause_flags, VPF_blocked, __ATOMIC_SEQ_CST);
	if (events_need_delivery(v))
		__atomic_fetch_and(&v->pause_flags, ~VPF_blocked,
				   __ATOMIC_SEQ_CST);
	else
		raise_softirq(SCHEDULE_SOFTIRQ);
}

/* The running vCPU lets others run first. */
void vcpu_yield(void)
{
	raise_softirq(SCHEDULE_SOFTIRQ);
}

/* Whether a long hypercall should stop and continue later. */
bool hypercall_preempt_check(void)
{
	return softirq_pending(smp_processor_id()) ||
	       events_need_delivery(current);
}

/* SCHEDULE_SOFTIRQ: pick the next vCPU for this CPU and switch to it. */
void schedule(void)
{
	unsigned int cpu = smp_processor_id();
	struct runqueue *rq = &runqueues[cpu];
	struct vcpu *prev = current, *next;
	unsigned long flags = spin_lock_irqsave(&rq->lock);

	if (!is_idle_vcpu(prev) && vcpu_runnable(prev) && !prev->on_runq)
		runq_insert(rq, prev);
	next = runq_pop(rq);
	if (!next)
		next = rq->idle;
	spin_unlock_irqrestore(&rq->lock, flags);

	if (!is_idle_vcpu(next))
		set_timer(&rq->slice_timer, NOW() + TIME_SLICE);
	else
		stop_timer(&rq->slice_timer);
	if (next == prev)
		return;
	context_switch(prev, next);
}

/* What a CPU does when it has nothing to run: softirqs, else halt. */
void idle_loop(void)
{
	unsigned int cpu = smp_processor_id();

	for (;;) {
		local_irq_disable();
		if (softirq_pending(cpu))
			do_softirq();
		else
			safe_halt();
	}
}
