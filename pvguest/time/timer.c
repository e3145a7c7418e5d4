/*
 * One-shot timers on each vCPU, driven by VIRQ_TIMER.
 *
 * Each vCPU has a list of its timers, earliest first, under a lock (a
 * timer may be stopped from another vCPU). Whenever the head changes,
 * the vCPU asks Xen for one VIRQ_TIMER at the head's deadline with
 * VCPUOP_set_singleshot_timer, or cancels it when the list empties. A
 * deadline already past is fine: Xen fires at once. The VIRQ's handler
 * takes every expired timer off the list, runs its function, and sets
 * the next deadline.
 *
 * Only the owning vCPU may program its one-shot timer (Xen refuses one
 * vCPU setting another's). A timer stopped from elsewhere is just taken
 * off the list; the owner may then see one early VIRQ, which finds
 * nothing expired and re-arms for the new head.
 */
#include <guest/console.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/percpu.h>
#include <guest/shutdown.h>
#include <guest/spinlock.h>
#include <guest/time.h>

struct timer_queue {
	spinlock_t lock;
	struct timer *head;
	evtchn_port_t port; /* VIRQ_TIMER of this vCPU */
};

static struct timer_queue queues[MAX_CPUS];
static struct evtchn_reset_hook reset_hook;

/* Ask Xen for VIRQ_TIMER at this vCPU's earliest deadline; q locked. */
static void program(struct timer_queue *q)
{
	unsigned int cpu = smp_processor_id();
	int rc;

	if (q->head) {
		struct vcpu_set_singleshot_timer st = {
			.timeout_abs_ns = q->head->deadline,
		};

		rc = HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, cpu, &st);
	} else {
		rc = HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, cpu,
					NULL);
	}
	if (rc)
		panic("vCPU %u: one-shot timer refused (%d)", cpu, rc);
}

/* Run this vCPU's expired timers and arm for the next one. */
static void timer_virq(evtchn_port_t port, void *arg)
{
	struct timer_queue *q = &queues[smp_processor_id()];

	for (;;) {
		uint64_t now = time_now();
		struct timer *t;

		spin_lock(&q->lock);
		t = q->head;
		if (!t || t->deadline > now) {
			program(q);
			spin_unlock(&q->lock);
			return;
		}
		q->head = t->next;
		t->next = NULL;
		WRITE_ONCE(t->cpu, -1);
		spin_unlock(&q->lock);
		t->fn(t->arg);
	}
}

static void bind_timer_virq(unsigned int cpu)
{
	int rc = evtchn_bind_virq(VIRQ_TIMER, cpu, timer_virq, NULL,
				  &queues[cpu].port);

	if (rc)
		panic("vCPU %u: cannot bind VIRQ_TIMER (%d)", cpu, rc);
}

/* After EVTCHNOP_reset: bind every online vCPU's VIRQ_TIMER again. */
static void rebind_timer_virqs(void)
{
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
		if (cpu_online(cpu))
			bind_timer_virq(cpu);
}

/* This vCPU's timers: stop Xen's periodic tick, bind VIRQ_TIMER. */
void time_cpu_init(void)
{
	unsigned int cpu = smp_processor_id();
	int rc;

	spin_lock_init(&queues[cpu].lock);
	rc = HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, cpu, NULL);
	if (rc)
		panic("vCPU %u: cannot stop the periodic timer (%d)", cpu, rc);
	bind_timer_virq(cpu);
}

/* The boot vCPU's timers, and the clock's first reading. */
void time_init(void)
{
	uint64_t sec;
	uint32_t nsec;

	time_cpu_init();
	reset_hook.rebind = rebind_timer_virqs;
	evtchn_on_reset(&reset_hook);
	wallclock_read(&sec, &nsec);
	printk("time: system time %llu ns, wall clock %llu s since the epoch\n",
	       (unsigned long long)time_now(), (unsigned long long)sec);
}

/* The port of vCPU cpu's VIRQ_TIMER. */
evtchn_port_t time_virq_port(unsigned int cpu)
{
	return queues[cpu].port;
}

/* Prepare t to call fn(arg) when it expires. */
void timer_init(struct timer *t, void (*fn)(void *), void *arg)
{
	t->deadline = 0;
	t->fn = fn;
	t->arg = arg;
	t->next = NULL;
	t->cpu = -1;
}

/* Unlink t from q's list if it is there; q locked. True if it was head. */
static bool unlink(struct timer_queue *q, struct timer *t)
{
	struct timer **p = &q->head;

	while (*p && *p != t)
		p = &(*p)->next;
	if (!*p)
		return false;
	*p = t->next;
	t->next = NULL;
	t->cpu = -1;
	return p == &q->head;
}

/* Arm t (stopping it first if armed) to expire at deadline, on this vCPU. */
void timer_set(struct timer *t, uint64_t deadline)
{
	struct timer_queue *q;
	struct timer **p;
	unsigned long flags;

	timer_stop(t);
	q = &queues[smp_processor_id()];
	flags = spin_lock_irqsave(&q->lock);
	t->deadline = deadline;
	for (p = &q->head; *p && (*p)->deadline <= deadline; p = &(*p)->next)
		;
	t->next = *p;
	*p = t;
	t->cpu = (int)smp_processor_id();
	if (q->head == t)
		program(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Disarm t; it will not run after this returns (unless already running). */
void timer_stop(struct timer *t)
{
	for (;;) {
		int cpu = READ_ONCE(t->cpu);
		struct timer_queue *q;
		unsigned long flags;
		bool head;

		if (cpu < 0)
			return;
		q = &queues[cpu];
		flags = spin_lock_irqsave(&q->lock);
		if (t->cpu != cpu) { /* moved meanwhile: look again */
			spin_unlock_irqrestore(&q->lock, flags);
			continue;
		}
		head = unlink(q, t);
		if (head && cpu == (int)smp_processor_id())
			program(q);
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
}

/* Whether t is armed. */
bool timer_pending(const struct timer *t)
{
	return READ_ONCE(t->cpu) >= 0;
}

/*
 * Program this vCPU's one-shot timer from its list again: for code that
 * used the one-shot timer directly (tests) and wants the kernel's back.
 */
void timer_reprogram(void)
{
	struct timer_queue *q = &queues[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&q->lock);

	program(q);
	spin_unlock_irqrestore(&q->lock, flags);
}
