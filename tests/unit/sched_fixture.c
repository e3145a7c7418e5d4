/*
 * The credit scheduler's simulated machine (see sched_fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hv/softirq.h>
#include <hv/timer.h>

#include <asm/smp.h>

#include "fake/fake.h"
#include "sched_fixture.h"

#define MAX_TIMERS 8
#define MAX_DOMAINS 8

struct sim sim;

static struct domain idle_dom = {.domain_id = DOMID_IDLE};
static struct timer *timers[MAX_TIMERS]; /* acct, then CPU 0, 1 ticks */
static unsigned int nr_timers;
static struct domain *domains[MAX_DOMAINS];
static unsigned int nr_domains;
static DEFINE_SPINLOCK(sched_spinlock);

/* ---- The services sched_credit.c uses ----------------------------------- */

s_time_t NOW(void)
{
	return sim.now;
}

void init_timer(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < nr_timers && timers[i] != t; i++)
		;
	if (i == nr_timers) {
		assert_true(nr_timers < MAX_TIMERS);
		timers[nr_timers++] = t;
	}
	*t = (struct timer){.fn = fn, .data = data, .cpu = cpu};
}

/* heap_pos is 1 while the timer is armed. */
int set_timer(struct timer *t, s_time_t expires)
{
	t->expires = expires;
	t->heap_pos = 1;
	return 0;
}

void stop_timer(struct timer *t)
{
	t->heap_pos = 0;
}

void raise_softirq(enum softirq_nr nr)
{
	cpu_raise_softirq(smp_processor_id(), nr);
}

void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr)
{
	assert_int_equal(nr, SCHEDULE_SOFTIRQ);
	assert_true(cpu < SIM_CPUS);
	sim.schedule_pending[cpu] = true;
}

unsigned long sched_lock(void)
{
	return spin_lock_irqsave(&sched_spinlock);
}

void sched_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&sched_spinlock, flags);
}

struct vcpu *current_on(unsigned int cpu)
{
	assert_true(cpu < SIM_CPUS);
	return sim.running[cpu];
}

/* ---- The machine -------------------------------------------------------- */

/* With n CPUs online (1 or 2). */
void sim_online_cpus(unsigned int n)
{
	cpu_online_map = (1UL << n) - 1;
	nr_online_cpus = n;
}

static void free_domains(void)
{
	for (unsigned int i = 0; i < nr_domains; i++) {
		struct domain *d = domains[i];

		for (unsigned int v = 0; v < d->max_vcpus; v++)
			free(d->vcpu[v]);
		free(d->vcpu);
		free(d);
	}
	nr_domains = 0;
}

/*
 * A fresh machine at time 0: both CPUs online and idle, no domains, the
 * scheduler's accounting started and each CPU's queue set up.
 */
int sim_setup(void **state)
{
	fake_cpu_recover();
	fake_domains_clear();
	free_domains();
	memset(&sim, 0, sizeof(sim));
	nr_timers = 0;
	sim_online_cpus(SIM_CPUS);
	for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++) {
		sim.idle[cpu] = (struct vcpu){.vcpu_id = cpu,
					      .domain = &idle_dom,
					      .processor = cpu,
					      .is_running = true};
		sim.running[cpu] = &sim.idle[cpu];
	}
	fake_set_cpu(0);
	fake_cpu_info.current_vcpu = sim.running[0];
	csched_init();
	for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++)
		assert_int_equal(csched_init_cpu(cpu), 0);
	assert_int_equal(nr_timers, 1 + SIM_CPUS);
	return 0;
}

/*
 * Put every vCPU to sleep, which must empty every queue (a CPU with
 * nothing to run idles), and free the machine.
 */
int sim_teardown(void **state)
{
	unsigned int held = fake_locks_held();

	fake_cpu_recover();
	for (unsigned int i = 0; i < sim.nr_vcpus; i++)
		sim_sleep(sim.vcpus[i]);
	for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++)
		assert_ptr_equal(sim_schedule(cpu), &sim.idle[cpu]);
	fake_domains_clear();
	free_domains();
	fake_cpu_info.current_vcpu = NULL;
	sim_online_cpus(SIM_CPUS);
	assert_int_equal(held, 0);
	return 0;
}

/*
 * A listed domain with nr_vcpus vCPUs (down: sim_wake starts them), vCPU
 * i on CPU i % 2, with the given weight and cap.
 */
struct domain *sim_domain(domid_t id, unsigned int nr_vcpus, uint16_t weight,
			  uint16_t cap)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	assert_true(nr_domains < MAX_DOMAINS);
	domains[nr_domains++] = d;
	d->domain_id = id;
	d->max_vcpus = nr_vcpus;
	d->weight = CSCHED_DEFAULT_WEIGHT;
	d->vcpu = calloc(nr_vcpus, sizeof(*d->vcpu));
	assert_non_null(d->vcpu);
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = calloc(1, sizeof(*v));

		assert_non_null(v);
		assert_true(sim.nr_vcpus < SIM_MAX_VCPUS);
		v->vcpu_id = i;
		v->domain = d;
		v->processor = i % SIM_CPUS;
		v->pause_flags = VPF_down;
		csched_vcpu_init(v);
		d->vcpu[i] = v;
		sim.vcpus[sim.nr_vcpus++] = v;
	}
	assert_int_equal(csched_set_params(d, weight, cap), 0);
	fake_domain_add(d);
	return d;
}

/* v becomes runnable (vcpu_wake). */
void sim_wake(struct vcpu *v)
{
	unsigned long flags;

	v->pause_flags = 0;
	flags = sched_lock();
	if (vcpu_runnable(v))
		csched_wake(v);
	sched_unlock(flags);
}

/* v blocks (vcpu_block, then vcpu_sleep's part). */
void sim_sleep(struct vcpu *v)
{
	unsigned long flags;

	v->pause_flags |= VPF_blocked;
	flags = sched_lock();
	csched_sleep(v);
	sched_unlock(flags);
}

/* What cpu runs yields (vcpu_yield). */
void sim_yield(unsigned int cpu)
{
	sim.yielded[cpu] = true;
	sim.schedule_pending[cpu] = true;
}

static void check_choice(unsigned int cpu, const struct vcpu *prev,
			 const struct vcpu *next)
{
	if (next == &sim.idle[cpu])
		return;
	if (!vcpu_runnable(next))
		fail_msg("CPU %u chose d%u v%u, which cannot run", cpu,
			 next->domain->domain_id, next->vcpu_id);
	if (!((next->cpu_affinity >> cpu) & 1))
		fail_msg("CPU %u chose d%u v%u outside its affinity %#lx", cpu,
			 next->domain->domain_id, next->vcpu_id,
			 (unsigned long)next->cpu_affinity);
	if (next->on_runq)
		fail_msg("CPU %u chose d%u v%u, still queued", cpu,
			 next->domain->domain_id, next->vcpu_id);
	for (unsigned int c = 0; c < SIM_CPUS; c++)
		if (c != cpu && sim.running[c] == next)
			fail_msg("CPU %u chose d%u v%u, running on CPU %u", cpu,
				 next->domain->domain_id, next->vcpu_id, c);
	if (next != prev && next->is_running)
		fail_msg("CPU %u chose d%u v%u, not yet switched away", cpu,
			 next->domain->domain_id, next->vcpu_id);
}

/*
 * SCHEDULE_SOFTIRQ on cpu: ask the policy, switch, and requeue the vCPU
 * left behind if it can still run (schedule() and
 * sched_context_switched()). Returns what cpu runs now.
 */
struct vcpu *sim_schedule(unsigned int cpu)
{
	struct vcpu *prev = sim.running[cpu], *next;
	unsigned long flags;

	fake_set_cpu(cpu);
	fake_cpu_info.current_vcpu = prev;
	sim.schedule_pending[cpu] = false;
	flags = sched_lock();
	next = csched_schedule(cpu, prev, sim.now, sim.yielded[cpu]);
	sim.yielded[cpu] = false;
	sim.decisions++;
	if (!next)
		next = &sim.idle[cpu];
	sched_unlock(flags);
	check_choice(cpu, prev, next);
	if (next == prev)
		return next;

	flags = sched_lock();
	next->is_running = true;
	next->processor = cpu;
	sim.running[cpu] = next;
	sim.switches++;
	sched_unlock(flags);

	fake_cpu_info.current_vcpu = next;
	flags = sched_lock();
	prev->is_running = false;
	if (prev->domain != &idle_dom && vcpu_runnable(prev)) {
		if (!prev->on_runq)
			csched_wake(prev);
		else
			csched_context_saved(prev);
	}
	sched_unlock(flags);
	return next;
}

/* Run SCHEDULE_SOFTIRQ on every CPU that has it raised, until none has. */
void sim_softirqs(void)
{
	for (bool again = true; again;) {
		again = false;
		for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++) {
			if (sim.schedule_pending[cpu]) {
				sim_schedule(cpu);
				again = true;
			}
		}
	}
}

static int vcpu_index(const struct vcpu *v)
{
	for (unsigned int i = 0; i < sim.nr_vcpus; i++)
		if (sim.vcpus[i] == v)
			return (int)i;
	return -1;
}

/* Advance the clock to t, charging the time to what each CPU runs. */
static void advance(s_time_t t)
{
	for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++) {
		int i = vcpu_index(sim.running[cpu]);

		if (i >= 0)
			sim.ran_on[i][cpu] += t - sim.now;
	}
	sim.now = t;
}

static struct timer *earliest(void)
{
	struct timer *e = NULL;

	for (unsigned int i = 0; i < nr_timers; i++)
		if (timers[i]->heap_pos &&
		    (!e || timers[i]->expires < e->expires))
			e = timers[i];
	return e;
}

/*
 * Let the machine run for duration: at each expiry the due timers fire on
 * their CPUs (as TIMER_SOFTIRQ), then SCHEDULE_SOFTIRQ runs where raised.
 */
void sim_run(s_time_t duration)
{
	s_time_t end = sim.now + duration;

	for (;;) {
		struct timer *t;

		sim_softirqs();
		t = earliest();
		if (!t || t->expires > end)
			break;
		advance(MAX(t->expires, sim.now));
		while ((t = earliest()) && t->expires <= sim.now) {
			t->heap_pos = 0;
			fake_set_cpu(t->cpu);
			fake_cpu_info.current_vcpu = sim.running[t->cpu];
			t->fn(t->data);
		}
	}
	advance(end);
}

/* CPU time v got on every CPU since the last sim_clear_ran(). */
s_time_t sim_ran(const struct vcpu *v)
{
	s_time_t sum = 0;

	for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++)
		sum += sim_ran_on(v, cpu);
	return sum;
}

s_time_t sim_ran_on(const struct vcpu *v, unsigned int cpu)
{
	int i = vcpu_index(v);

	assert_true(i >= 0);
	return sim.ran_on[i][cpu];
}

/* Start counting CPU time from now. */
void sim_clear_ran(void)
{
	memset(sim.ran_on, 0, sizeof(sim.ran_on));
}

/* Whether cpu's scheduler tick is armed. */
bool sim_tick_active(unsigned int cpu)
{
	return timers[1 + cpu]->heap_pos != 0;
}
