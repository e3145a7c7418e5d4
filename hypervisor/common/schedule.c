/*
 * The scheduler core: which vCPU each CPU runs, and the vCPU state
 * changes that affect it (wake, sleep, block, yield). The policy (who is
 * next, on which CPU) is the credit scheduler in sched_credit.c.
 *
 * Decisions happen in SCHEDULE_SOFTIRQ (schedule()), which ends in
 * context_switch() when the choice changes; nothing ever sleeps inside
 * the hypervisor. A vCPU is "running" from the moment a CPU picks it
 * until that CPU has saved its state (sched_context_switched()); no other
 * CPU takes it in between, and a vCPU woken meanwhile is queued then.
 *
 * SCHEDULE_SOFTIRQ is the highest-numbered softirq, so the others have
 * run by the time a context switch abandons the softirq loop.
 *
 * Lock: one scheduler lock (interrupts off) guards the run queues and the
 * scheduling fields of every vCPU (on_runq, is_running, processor,
 * credit). It nests inside no other lock except the timer queues'.
 */
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>
#include <hv/softirq.h>
#include <hv/timer.h>
#include <hv/vcpu_time.h>

#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/smp.h>

static DEFINE_SPINLOCK(sched_spinlock);
static struct vcpu *idle_vcpus[NR_CPUS];
static struct vcpu *cpu_curr[NR_CPUS];
static bool yielded[NR_CPUS];

/* Take the scheduler lock (see the top of this file). */
unsigned long sched_lock(void)
{
	return spin_lock_irqsave(&sched_spinlock);
}

/* Release the scheduler lock. */
void sched_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&sched_spinlock, flags);
}

/* The vCPU a CPU runs (its idle vCPU if nothing else). */
struct vcpu *current_on(unsigned int cpu)
{
	return READ_ONCE(cpu_curr[cpu]);
}

/* Account v's time in its current runstate and move it to state. */
static void runstate_change(struct vcpu *v, int state, s_time_t now)
{
	struct vcpu_runstate_info *r = &v->runstate;

	if (r->state == state)
		return;
	if (now > (s_time_t)r->state_entry_time)
		r->time[r->state] += (uint64_t)now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = (uint64_t)now;
}

static int waiting_state(const struct vcpu *v)
{
	if (vcpu_runnable(v))
		return RUNSTATE_runnable;
	return (READ_ONCE(v->pause_flags) & VPF_down) ? RUNSTATE_offline
						      : RUNSTATE_blocked;
}

/* Give a CPU its idle vCPU and its queue; the CPU itself calls this. */
int sched_init_cpu(unsigned int cpu)
{
	struct vcpu *idle = vcpu_create(idle_domain, cpu, cpu);

	if (!idle)
		return -ENOMEM;
	idle->pause_flags = 0;
	idle->is_running = true;
	idle_vcpus[cpu] = idle;
	cpu_curr[cpu] = idle;
	csched_init_cpu(cpu);
	if (cpu == smp_processor_id())
		set_current(idle);
	return 0;
}

/* Install the scheduler's softirq and start its accounting. */
void scheduler_init(void)
{
	open_softirq(SCHEDULE_SOFTIRQ, schedule);
	csched_init();
}

/* Make v eligible to run if nothing holds it back. */
void vcpu_wake(struct vcpu *v)
{
	unsigned long flags = sched_lock();

	if (vcpu_runnable(v)) {
		if (!v->is_running)
			runstate_change(v, RUNSTATE_runnable, NOW());
		csched_wake(v);
	}
	sched_unlock(flags);
}

/*
 * An event arrived for v: a blocked or polling v runs again; a v running
 * elsewhere notices on its way back into the guest.
 */
void vcpu_kick(struct vcpu *v)
{
	if (READ_ONCE(v->polling)) {
		WRITE_ONCE(v->polling, false);
		stop_timer(&v->poll_timer);
	}
	if (__atomic_fetch_and(&v->pause_flags, ~VPF_blocked,
			       __ATOMIC_SEQ_CST) &
	    VPF_blocked)
		vcpu_wake(v);
	else if (READ_ONCE(v->is_running))
		smp_send_event_check(v->processor); /* enter the guest anew */
}

/* Take v off its CPU's queue; a running v is descheduled. */
void vcpu_sleep(struct vcpu *v)
{
	unsigned long flags = sched_lock();

	if (v->on_runq)
		runstate_change(v, waiting_state(v), NOW());
	csched_sleep(v);
	sched_unlock(flags);
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
	yielded[smp_processor_id()] = true;
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
	struct vcpu *prev = current, *next;
	unsigned long flags = sched_lock();
	s_time_t now = NOW();

	next = csched_schedule(cpu, prev, now, yielded[cpu]);
	yielded[cpu] = false;
	if (!next)
		next = idle_vcpus[cpu];
	if (next == prev) {
		sched_unlock(flags);
		return;
	}
	if (!is_idle_vcpu(prev)) {
		runstate_change(prev, waiting_state(prev), now);
		stop_timer(&prev->periodic_timer);
	}
	if (!is_idle_vcpu(next))
		runstate_change(next, RUNSTATE_running, now);
	next->is_running = true;
	next->processor = cpu;
	cpu_curr[cpu] = next;
	sched_unlock(flags);
	/* Outside the lock: the periodic timer may raise VIRQ_TIMER now. */
	if (!is_idle_vcpu(next))
		vcpu_timers_start(next);
	context_switch(prev, next);
}

/*
 * context_switch() has saved prev's state: prev may now run elsewhere.
 * If it became runnable while leaving (an event), queue it now.
 */
void sched_context_switched(struct vcpu *prev, struct vcpu *next)
{
	unsigned long flags;

	set_current(next);
	if (prev == next)
		return;
	flags = sched_lock();
	prev->is_running = false;
	if (!is_idle_vcpu(prev) && vcpu_runnable(prev)) {
		if (!prev->on_runq)
			csched_wake(prev);
		else
			csched_context_saved(prev);
	}
	sched_unlock(flags);
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
