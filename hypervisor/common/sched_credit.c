/*
 * A credit scheduler: proportional share with weights and caps, one run
 * queue per CPU, as Xen's credit scheduler works.
 *
 * Every accounting period (30 ms) the CPU time of the period, on the
 * online CPUs that the active vCPUs may use, is handed out as credit (in
 * nanoseconds) to the domains that have work, in proportion to their
 * weights. A domain gets no more than its vCPUs can use (one CPU each,
 * within their affinity) and, with a cap, no more than cap percent of one
 * CPU; what it cannot use goes to the others by weight, as Xen's
 * accounting does. So domains confined to one CPU share that CPU by
 * weight. A domain's share is split among its active vCPUs. Running burns
 * credit at the rate of the CPU time used.
 * Accounting keeps each vCPU's credit between minus one slice and two
 * periods, as Xen does: time a vCPU used while no one else wanted the
 * CPU is no debt that starves it later.
 *
 * A vCPU with credit is UNDER, one without is OVER. Each CPU runs the
 * first UNDER vCPU of its queue, else steals an UNDER vCPU from another
 * CPU (within the vCPU's affinity), else runs an OVER one, else idles;
 * a vCPU that yielded comes after all of them for that choice.
 * A capped domain out of credit is parked: its vCPUs wait for the next
 * accounting. A running vCPU keeps the CPU for a 30 ms slice unless an
 * UNDER vCPU waits behind an OVER one (checked every 10 ms tick).
 *
 * Boost, as Xen's BOOST priority: a vCPU that wakes UNDER (an event for
 * a blocked vCPU) is boosted. It queues before every vCPU that is not,
 * and takes the CPU at once from a running vCPU that is not boosted (or,
 * from a boosted one, at its next tick), so the latency of an event (an
 * I/O completion, a reply) does not wait for another vCPU's slice. The
 * boost ends at the first tick it runs through, when it is preempted and
 * when it yields; credit still bounds what a vCPU that keeps waking
 * gets, since once OVER it wakes unboosted. A vCPU moved for its
 * affinity did not wake and gets no boost.
 *
 * Locking: every function here runs under the scheduler lock
 * (schedule.c), which guards all queues and every vCPU's scheduling
 * fields; the accounting and the ticks take it themselves.
 */
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>
#include <hv/softirq.h>
#include <hv/timer.h>

#include <asm/smp.h>

#define ACCT_PERIOD MILLISECS(30)
#define TICK MILLISECS(10)
#define SLICE MILLISECS(30)
#define CREDIT_CAP (2 * ACCT_PERIOD) /* no vCPU hoards more than this */
#define CREDIT_FLOOR (-SLICE)	     /* nor owes more than this */

struct csched_queue {
	struct vcpu *head; /* FIFO through next_in_runq */
	struct timer tick;
	s_time_t slice_end;
};

static struct csched_queue queues[NR_CPUS];
static struct timer acct_timer;

static bool is_under(const struct vcpu *v)
{
	return READ_ONCE(v->credit) > 0;
}

static bool parked(const struct vcpu *v)
{
	return v->domain->cap && READ_ONCE(v->credit) <= 0;
}

static bool allowed_on(const struct vcpu *v, unsigned int cpu)
{
	return (v->cpu_affinity >> cpu) & 1;
}

/* Queue v at the back, or a boosted v behind the other boosted ones. */
static void queue_insert(struct csched_queue *q, struct vcpu *v)
{
	struct vcpu **pp = &q->head;

	while (*pp && (!v->boosted || (*pp)->boosted))
		pp = &(*pp)->next_in_runq;
	v->next_in_runq = *pp;
	*pp = v;
	v->on_runq = true;
}

static void queue_remove(struct csched_queue *q, struct vcpu *v)
{
	struct vcpu **pp = &q->head;

	while (*pp && *pp != v)
		pp = &(*pp)->next_in_runq;
	if (*pp) {
		*pp = v->next_in_runq;
		v->next_in_runq = NULL;
		v->on_runq = false;
	}
}

/*
 * The first queued vCPU other than skip (may be NULL) that may run on
 * cpu and is UNDER (or any).
 */
static struct vcpu *queue_first(struct csched_queue *q, unsigned int cpu,
				bool under_only, const struct vcpu *skip)
{
	for (struct vcpu *v = q->head; v; v = v->next_in_runq)
		if (v != skip && allowed_on(v, cpu) && !parked(v) &&
		    (!under_only || is_under(v)))
			return v;
	return NULL;
}

/* Whether a boosted vCPU that may run on cpu waits in its queue. */
static bool boost_waiting(struct csched_queue *q, unsigned int cpu)
{
	const struct vcpu *v = queue_first(q, cpu, true, NULL);

	return v && v->boosted;
}

static void tick_fired(void *data)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *curr = current;
	struct csched_queue *q = &queues[cpu];
	s_time_t now = NOW();

	unsigned long flags;

	if (is_idle_vcpu(curr))
		return;
	flags = sched_lock();
	/* Burn what ran since the last look; preempt if someone deserves it. */
	curr->credit -= now - curr->credit_since;
	curr->credit_since = now;
	curr->boosted = false; /* it ran through a tick */
	if (now >= q->slice_end ||
	    (!is_under(curr) && queue_first(q, cpu, true, NULL)) ||
	    boost_waiting(q, cpu) || parked(curr))
		raise_softirq(SCHEDULE_SOFTIRQ);
	sched_unlock(flags);
	set_timer(&q->tick, now + TICK);
}

/* The most credit d can use in a period: a CPU per active vCPU, within
 * the CPUs they may use, and its cap. */
static s_time_t domain_peak(const struct domain *d)
{
	unsigned int cpus = cpumask_weight(d->acct_cpus);
	s_time_t peak = (s_time_t)MIN(d->active_vcpus, cpus) * ACCT_PERIOD;

	if (d->cap)
		peak = MIN(peak, ACCT_PERIOD * (s_time_t)d->cap / 100);
	return peak;
}

/*
 * Count each domain's active vCPUs and the CPUs they may use; return the
 * CPUs any of them may use. acct_share < 0 marks a share not yet fixed.
 */
static uint64_t count_active(void)
{
	uint64_t all = 0;

	for (struct domain *d = first_domain(); d; d = next_domain(d)) {
		d->active_vcpus = 0;
		d->acct_cpus = 0;
		d->acct_share = -1;
		for (unsigned int i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpu[i];

			if (v && vcpu_runnable(v)) {
				d->active_vcpus++;
				d->acct_cpus |= v->cpu_affinity &
						cpu_online_map;
			}
		}
		if (d->active_vcpus)
			all |= d->acct_cpus;
	}
	return all;
}

/*
 * Split pool among the active domains by weight. A domain whose part is
 * more than it can use gets what it can use, and the rest is split again
 * among the others, until every part fits.
 */
static void split_pool(s_time_t pool)
{
	for (bool clamped = true; clamped;) {
		uint64_t weight = 0;
		struct domain *d;

		clamped = false;
		for (d = first_domain(); d; d = next_domain(d))
			if (d->active_vcpus && d->acct_share < 0)
				weight += d->weight;
		for (d = first_domain(); d && weight; d = next_domain(d)) {
			s_time_t fair;

			if (!d->active_vcpus || d->acct_share >= 0)
				continue;
			fair = (s_time_t)((uint64_t)MAX(pool, 0) * d->weight /
					  weight);
			if (fair > domain_peak(d)) {
				d->acct_share = domain_peak(d);
				pool -= d->acct_share;
				clamped = true;
			}
		}
		if (clamped)
			continue;
		for (d = first_domain(); d && weight; d = next_domain(d))
			if (d->active_vcpus && d->acct_share < 0)
				d->acct_share =
					(s_time_t)((uint64_t)MAX(pool, 0) *
						   d->weight / weight);
	}
}

/* Hand out one period's CPU time as credit (CPU 0, every period). */
static void account(void *data)
{
	struct domain *d;
	unsigned long flags;
	uint64_t cpus;

	domlist_read_lock();
	flags = sched_lock();

	cpus = count_active();
	split_pool((s_time_t)cpumask_weight(cpus) * ACCT_PERIOD);
	for (d = first_domain(); d; d = next_domain(d)) {
		s_time_t share;

		if (!d->active_vcpus)
			continue;
		share = d->acct_share / d->active_vcpus;
		for (unsigned int i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpu[i];
			s_time_t c;

			if (!v || !vcpu_runnable(v))
				continue;
			c = v->credit + share;
			v->credit = MAX(MIN(c, CREDIT_CAP), CREDIT_FLOOR);
			/* A parked vCPU may run again: let its CPU decide. */
			cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
		}
	}
	sched_unlock(flags);
	domlist_read_unlock();
	set_timer(&acct_timer, NOW() + ACCT_PERIOD);
}

/* Start the accounting. */
void csched_init(void)
{
	init_timer(&acct_timer, account, NULL, 0);
	set_timer(&acct_timer, NOW() + ACCT_PERIOD);
}

/* Give a CPU its queue. */
int csched_init_cpu(unsigned int cpu)
{
	init_timer(&queues[cpu].tick, tick_fired, NULL, cpu);
	return 0;
}

/* A new vCPU: may run anywhere, starts with a slice of credit. */
void csched_vcpu_init(struct vcpu *v)
{
	v->cpu_affinity = ~0ULL;
	v->credit = TICK;
}

/* Pick where a waking vCPU should queue: an idle CPU if it has one. */
static unsigned int pick_cpu(const struct vcpu *v)
{
	unsigned int cpu = v->processor;

	if (allowed_on(v, cpu) && cpu_online(cpu) &&
	    (is_idle_vcpu(current_on(cpu)) || current_on(cpu) == v))
		return cpu;
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (cpu_online(c) && allowed_on(v, c) &&
		    is_idle_vcpu(current_on(c)) && !queues[c].head)
			return c;
	if (allowed_on(v, cpu) && cpu_online(cpu))
		return cpu;
	for (unsigned int c = 0; c < NR_CPUS; c++)
		if (cpu_online(c) && allowed_on(v, c))
			return c;
	return 0;
}

/* Queue v on a good CPU and poke that CPU. */
static void enqueue(struct vcpu *v)
{
	unsigned int cpu = pick_cpu(v);

	v->processor = cpu;
	queue_insert(&queues[cpu], v);
	cpu_raise_softirq(cpu, SCHEDULE_SOFTIRQ);
}

/*
 * A vCPU became runnable: queue it, boosted if it has credit. One that
 * only left its CPU for its affinity (moving) is queued unboosted.
 */
void csched_wake(struct vcpu *v)
{
	if (v->is_running || v->on_runq)
		return; /* context_saved() queues it once it is off its CPU */
	v->boosted = !v->moving && is_under(v) && !parked(v);
	v->moving = false;
	enqueue(v);
}

/*
 * v's CPU has saved its state and v waits in that CPU's queue: an idle
 * CPU it may run on can take it now (see steal()).
 */
void csched_context_saved(struct vcpu *v)
{
	if (!v->on_runq || !is_under(v))
		return;
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		if (c != v->processor && cpu_online(c) && allowed_on(v, c) &&
		    is_idle_vcpu(current_on(c))) {
			cpu_raise_softirq(c, SCHEDULE_SOFTIRQ);
			return;
		}
	}
}

/* A vCPU stopped being runnable: take it off its queue. */
void csched_sleep(struct vcpu *v)
{
	v->moving = false;
	if (v->on_runq)
		queue_remove(&queues[v->processor], v);
	if (v->is_running)
		cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
}

/*
 * Take an UNDER vCPU that may run here from another CPU's queue. Not one
 * still running there: a preempted vCPU is queued before its CPU has
 * saved its state (csched_context_saved() offers it once it has).
 */
static struct vcpu *steal(unsigned int cpu)
{
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		struct vcpu *v;

		if (c == cpu || !cpu_online(c) || !queues[c].head)
			continue;
		v = queue_first(&queues[c], cpu, true, NULL);
		if (v && !v->is_running) {
			queue_remove(&queues[c], v);
			v->processor = cpu;
			return v;
		}
	}
	return NULL;
}

/*
 * Choose what cpu runs next; prev is what it ran until now (put back in
 * the queue if still runnable; at the back if it yielded). For this one
 * choice a vCPU that yielded counts as OVER and comes last: an UNDER
 * vCPU here or on another CPU, then any other vCPU here, runs first. So
 * a yield gives way even to an OVER vCPU, as in Xen, where the yielding
 * vCPU goes behind one of lower priority.
 */
struct vcpu *csched_schedule(unsigned int cpu, struct vcpu *prev, s_time_t now,
			     bool yielded)
{
	struct csched_queue *q = &queues[cpu];
	const struct vcpu *skip = yielded ? prev : NULL;
	struct vcpu *next;

	if (!is_idle_vcpu(prev)) {
		prev->credit -= now - prev->credit_since;
		prev->credit_since = now;
		if (vcpu_runnable(prev) && !allowed_on(prev, cpu)) {
			prev->boosted = false; /* context_saved() moves it */
			prev->moving = true;
		}
		if (vcpu_runnable(prev) && allowed_on(prev, cpu) &&
		    !prev->on_runq) {
			/*
			 * A running UNDER vCPU keeps its slice unless it
			 * yields or a boosted one waits (unless it is one).
			 */
			if (!yielded && is_under(prev) && now < q->slice_end &&
			    !parked(prev) &&
			    (prev->boosted || !boost_waiting(q, cpu)))
				return prev;
			prev->boosted = false;
			queue_insert(q, prev);
		}
	}
	next = queue_first(q, cpu, true, skip);
	if (!next)
		next = steal(cpu);
	if (!next)
		next = queue_first(q, cpu, false, skip);
	if (!next)
		next = queue_first(q, cpu, false, NULL); /* prev, if anyone */
	if (!next) {
		stop_timer(&q->tick);
		return NULL; /* the idle vCPU */
	}
	if (next->on_runq)
		queue_remove(q, next);
	if (next != prev)
		q->slice_end = now + SLICE;
	next->credit_since = now;
	set_timer(&q->tick, now + TICK);
	return next;
}

/* XEN_DOMCTL_SCHEDOP_putinfo: weight 1..65535 (0: keep), cap 0..100*CPUs. */
int csched_set_params(struct domain *d, uint16_t weight, uint16_t cap)
{
	if (cap > 100 * NR_CPUS)
		return -EINVAL;
	if (weight)
		d->weight = weight;
	d->cap = cap;
	return 0;
}

/* XEN_DOMCTL_SCHEDOP_getinfo. */
void csched_get_params(const struct domain *d, uint16_t *weight, uint16_t *cap)
{
	*weight = (uint16_t)d->weight;
	*cap = (uint16_t)d->cap;
}

/* Restrict a vCPU to the CPUs in cpumask (at least one online). */
int csched_set_affinity(struct vcpu *v, uint64_t cpumask)
{
	if (!(cpumask & cpu_online_map))
		return -EINVAL;
	v->cpu_affinity = cpumask;
	if (v->on_runq && !allowed_on(v, v->processor)) {
		queue_remove(&queues[v->processor], v);
		enqueue(v);
	}
	if (v->is_running && !allowed_on(v, v->processor))
		cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
	return 0;
}
