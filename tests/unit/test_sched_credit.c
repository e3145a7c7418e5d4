/*
 * Unit tests for the credit scheduler (common/sched_credit.c), driven
 * through its interface on the simulated machine of sched_fixture.h:
 * CPU time in proportion to weight, caps (also for a domain alone),
 * UNDER vCPUs before OVER ones, yield, a woken vCPU preempting an OVER
 * one, boost (a vCPU waking UNDER runs at once, within its weight),
 * idling, affinity (never run outside it, moved when it changes,
 * stealing within it; domains pinned to one CPU share it by weight),
 * set_params' ranges, and sleeping vCPUs never chosen. Shares are
 * measured in simulated CPU time over simulated seconds, never in
 * wall-clock time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <asm/smp.h>

#include "fake/fake.h"
#include "sched_fixture.h"

#define CPU0 (1ULL << 0)
#define CPU1 (1ULL << 1)

static struct vcpu *vcpu_of(struct domain *d)
{
	return d->vcpu[0];
}

/* |got - want| <= want * pct / 100 (a macro: the line is the test's). */
#define assert_within(got, want, pct)                                          \
	do {                                                                   \
		s_time_t g_ = (got), w_ = (want);                              \
		if ((g_ > w_ ? g_ - w_ : w_ - g_) * 100 > w_ * (pct))          \
			fail_msg("%s = %ld, expected %ld within %d%%", #got,   \
				 (long)g_, (long)w_, (pct));                   \
	} while (0)

/* ---- Proportional share -------------------------------------------- */

static void weights_share_one_cpu_in_proportion(void **state)
{
	struct vcpu *a, *b;

	sim_online_cpus(1);
	a = vcpu_of(sim_domain(1, 1, 256, 0));
	b = vcpu_of(sim_domain(2, 1, 512, 0));
	sim_wake(a);
	sim_wake(b);
	sim_run(SECONDS(1)); /* settle */
	sim_clear_ran();
	sim_run(SECONDS(6));
	assert_int_equal(sim_ran(a) + sim_ran(b), SECONDS(6));
	assert_within(sim_ran(b), 2 * sim_ran(a), 2);
}

static void equal_weights_share_equally(void **state)
{
	struct vcpu *v[3];

	sim_online_cpus(1);
	for (unsigned int i = 0; i < 3; i++) {
		v[i] = vcpu_of(sim_domain((domid_t)(i + 1), 1, 256, 0));
		sim_wake(v[i]);
	}
	sim_run(SECONDS(3));
	for (unsigned int i = 0; i < 3; i++)
		assert_within(sim_ran(v[i]), SECONDS(1), 2);
}

static void weights_share_two_cpus_in_proportion(void **state)
{
	struct domain *a = sim_domain(1, 2, 256, 0);
	struct domain *b = sim_domain(2, 2, 768, 0);
	s_time_t ta = 0, tb = 0;

	for (unsigned int i = 0; i < 2; i++) {
		sim_wake(a->vcpu[i]);
		sim_wake(b->vcpu[i]);
	}
	sim_run(SECONDS(1));
	sim_clear_ran();
	sim_run(SECONDS(6));
	for (unsigned int i = 0; i < 2; i++) {
		ta += sim_ran(a->vcpu[i]);
		tb += sim_ran(b->vcpu[i]);
	}
	assert_int_equal(ta + tb, SECONDS(12));
	assert_within(tb, 3 * ta, 2);
}

/*
 * A vCPU alone on its CPU uses more than its weighted share of the
 * machine (the rest of the CPU would idle). That is no debt: once another
 * vCPU arrives, the two share the CPU at once.
 */
static void time_nobody_wanted_is_not_held_against_a_vcpu(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *b = vcpu_of(sim_domain(2, 1, 768, 0));
	struct vcpu *c = vcpu_of(sim_domain(3, 1, 256, 0));

	assert_int_equal(csched_set_affinity(a, CPU0), 0);
	assert_int_equal(csched_set_affinity(b, CPU1), 0);
	assert_int_equal(csched_set_affinity(c, CPU0), 0);
	sim_wake(a);
	sim_wake(b);
	sim_run(SECONDS(6));
	assert_int_equal(sim_ran(a), SECONDS(6));
	sim_sleep(b);
	sim_wake(c);
	sim_clear_ran();
	sim_run(SECONDS(2));
	assert_within(sim_ran(a), SECONDS(1), 3);
	assert_within(sim_ran(c), SECONDS(1), 3);
}

/* ---- Caps ------------------------------------------------------------ */

static void cap_limits_a_domain_alone(void **state)
{
	struct vcpu *v = vcpu_of(sim_domain(1, 1, 256, 50));

	sim_wake(v);
	sim_run(SECONDS(6));
	assert_within(sim_ran(v), SECONDS(3), 2);
}

static void cap_is_for_the_whole_domain(void **state)
{
	struct domain *d = sim_domain(1, 2, 256, 100);

	sim_wake(d->vcpu[0]);
	sim_wake(d->vcpu[1]);
	sim_run(SECONDS(6));
	assert_within(sim_ran(d->vcpu[0]) + sim_ran(d->vcpu[1]), SECONDS(6), 2);
}

static void capped_domain_leaves_the_rest_to_others(void **state)
{
	struct vcpu *capped, *other;

	sim_online_cpus(1);
	capped = vcpu_of(sim_domain(1, 1, 512, 25));
	other = vcpu_of(sim_domain(2, 1, 256, 0));
	sim_wake(capped);
	sim_wake(other);
	sim_run(SECONDS(6));
	assert_within(sim_ran(capped), SECONDS(6) / 4, 3);
	assert_within(sim_ran(other), SECONDS(6) * 3 / 4, 2);
}

static void no_cap_uses_a_whole_cpu(void **state)
{
	struct vcpu *v = vcpu_of(sim_domain(1, 1, 256, 0));

	sim_wake(v);
	sim_run(SECONDS(2));
	assert_int_equal(sim_ran(v), SECONDS(2));
}

/* ---- Choosing the next vCPU ------------------------------------------- */

static void under_runs_before_over(void **state)
{
	struct vcpu *over, *under;

	sim_online_cpus(1);
	over = vcpu_of(sim_domain(1, 1, 256, 0));
	under = vcpu_of(sim_domain(2, 1, 256, 0));
	over->credit = -MILLISECS(5);
	under->credit = MILLISECS(5);
	sim_wake(over); /* first in the queue */
	sim_wake(under);
	assert_ptr_equal(sim_schedule(0), under);
	/* Once it is OVER too, they take turns in queue order. */
	under->credit = -MILLISECS(1);
	sim.now += MILLISECS(1);
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), over);
}

static void yield_lets_the_other_run(void **state)
{
	struct vcpu *a, *b;

	sim_online_cpus(1);
	a = vcpu_of(sim_domain(1, 1, 256, 0));
	b = vcpu_of(sim_domain(2, 1, 256, 0));
	sim_wake(a);
	assert_ptr_equal(sim_schedule(0), a);
	sim_wake(b);
	/* Within its slice an UNDER vCPU keeps the CPU... */
	sim.now += MILLISECS(1);
	assert_ptr_equal(sim_schedule(0), a);
	/* ...unless it yields; then it waits behind b. */
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), b);
	assert_true(a->on_runq);
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), a);
}

/*
 * A yield gives way even to an OVER vCPU, as in Xen: the vCPU that
 * yielded comes last for that choice, whatever its credit. (Once, an
 * UNDER vCPU that yielded was chosen again at once, so two domains
 * yielding to each other on one CPU did not alternate.)
 */
static void yield_gives_way_to_an_over_vcpu(void **state)
{
	struct vcpu *under, *over;

	sim_online_cpus(1);
	under = vcpu_of(sim_domain(1, 1, 256, 0));
	over = vcpu_of(sim_domain(2, 1, 256, 0));
	sim_wake(under);
	assert_ptr_equal(sim_schedule(0), under);
	sim_wake(over);
	under->credit = MILLISECS(5);
	over->credit = -MILLISECS(5);
	sim.now += MICROSECS(10);
	assert_ptr_equal(sim_schedule(0), under); /* no yield: it stays */
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), over);
	assert_true(under->on_runq);
	sim.now += MICROSECS(10);
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), under);
}

static void yield_alone_keeps_running(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));

	sim_online_cpus(1);
	sim_wake(a);
	assert_ptr_equal(sim_schedule(0), a);
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), a);
}

static void woken_vcpu_preempts_an_over_one(void **state)
{
	struct vcpu *hog, *woken;

	sim_online_cpus(1);
	hog = vcpu_of(sim_domain(1, 1, 256, 0));
	woken = vcpu_of(sim_domain(2, 1, 256, 0));
	sim_wake(hog);
	assert_ptr_equal(sim_schedule(0), hog);
	sim.now += MILLISECS(25); /* burns past its credit: OVER */
	sim_wake(woken);
	assert_true(sim.schedule_pending[0]);
	assert_ptr_equal(sim_schedule(0), woken);
	assert_true(hog->on_runq);
	assert_true(hog->credit < 0);
}

/* ---- Boost ------------------------------------------------------------ */

/*
 * A vCPU that wakes UNDER takes the CPU at once from a running UNDER
 * vCPU in the middle of its slice (without boost it would wait up to
 * 30 ms); the preempted one, unboosted, queues again.
 */
static void woken_under_vcpu_preempts_a_running_under_one(void **state)
{
	struct vcpu *busy, *woken;

	sim_online_cpus(1);
	busy = vcpu_of(sim_domain(1, 1, 256, 0));
	woken = vcpu_of(sim_domain(2, 1, 256, 0));
	busy->credit = woken->credit = MILLISECS(60);
	sim_run(MILLISECS(5)); /* off the accounting's beat */
	sim_wake(busy);
	sim_softirqs();
	sim_run(MILLISECS(11)); /* a tick: its own boost is over */
	assert_ptr_equal(sim.running[0], busy);
	sim_wake(woken);
	assert_true(woken->boosted);
	assert_true(sim.schedule_pending[0]);
	assert_ptr_equal(sim_schedule(0), woken);
	assert_true(busy->on_runq);
	assert_false(busy->boosted);
}

/* A vCPU that wakes OVER is not boosted: it waits for the slice. */
static void woken_over_vcpu_gets_no_boost(void **state)
{
	struct vcpu *busy, *woken;

	sim_online_cpus(1);
	busy = vcpu_of(sim_domain(1, 1, 256, 0));
	woken = vcpu_of(sim_domain(2, 1, 256, 0));
	busy->credit = MILLISECS(20);
	woken->credit = -MILLISECS(5);
	sim_wake(busy);
	assert_ptr_equal(sim_schedule(0), busy);
	busy->boosted = false;
	sim.now += MILLISECS(1);
	sim_wake(woken);
	assert_false(woken->boosted);
	assert_ptr_equal(sim_schedule(0), busy);
}

/* Boost ends at the first tick the vCPU runs through. */
static void boost_ends_at_a_tick(void **state)
{
	struct vcpu *v = vcpu_of(sim_domain(1, 1, 256, 0));

	sim_online_cpus(1);
	v->credit = MILLISECS(20);
	sim_wake(v);
	assert_true(v->boosted);
	sim_softirqs();
	assert_ptr_equal(sim.running[0], v);
	sim_run(MILLISECS(11));
	assert_false(v->boosted);
}

/* A vCPU woken while a boosted one runs gets the CPU at its tick. */
static void second_boosted_waker_runs_at_the_first_ones_tick(void **state)
{
	struct vcpu *first, *second;

	sim_online_cpus(1);
	first = vcpu_of(sim_domain(1, 1, 256, 0));
	second = vcpu_of(sim_domain(2, 1, 256, 0));
	first->credit = second->credit = MILLISECS(60);
	sim_run(MILLISECS(5)); /* off the accounting's beat */
	sim_wake(first);
	sim_softirqs();
	sim_wake(second);
	sim_softirqs();
	assert_ptr_equal(sim.running[0], first); /* boosted: it stays */
	sim_run(MILLISECS(11));
	assert_ptr_equal(sim.running[0], second);
}

/*
 * A running vCPU moved to another CPU by its affinity did not wake: it
 * gets no boost there and waits behind the vCPU running on that CPU.
 */
static void moved_vcpu_gets_no_boost(void **state)
{
	struct vcpu *moved = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *there = vcpu_of(sim_domain(2, 1, 256, 0));

	moved->credit = there->credit = MILLISECS(60);
	assert_int_equal(csched_set_affinity(moved, CPU0), 0);
	assert_int_equal(csched_set_affinity(there, CPU1), 0);
	sim_run(MILLISECS(5)); /* off the accounting's beat */
	sim_wake(moved);
	sim_wake(there);
	sim_softirqs();
	sim_run(MILLISECS(11)); /* a tick: their boosts are over */
	assert_ptr_equal(sim.running[0], moved);
	assert_ptr_equal(sim.running[1], there);
	assert_int_equal(csched_set_affinity(moved, CPU1), 0);
	sim_softirqs();
	assert_false(moved->boosted);
	assert_ptr_equal(sim.running[1], there);
	assert_true(moved->on_runq);
}

/*
 * A preempted vCPU is queued while its CPU is still switching away from
 * it: another CPU must not take it until its state is saved, then is
 * told it may. (Once an idle CPU stole it at once, and the vCPU ran on
 * two CPUs, its flags saying it ran on neither.)
 */
static void vcpu_still_switching_out_is_not_stolen(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *b = vcpu_of(sim_domain(2, 1, 256, 0));
	unsigned long flags;
	struct vcpu *next;

	assert_int_equal(csched_set_affinity(b, CPU0), 0);
	a->credit = b->credit = MILLISECS(60);
	sim_run(MILLISECS(5)); /* off the accounting's beat */
	sim_wake(a);
	sim_softirqs();
	sim_run(MILLISECS(11)); /* a tick: its boost is over */
	assert_ptr_equal(sim.running[0], a);
	sim_wake(b); /* boosted: CPU 0 will switch to it */

	fake_set_cpu(0);
	flags = sched_lock();
	next = csched_schedule(0, a, sim.now, false);
	sched_unlock(flags);
	assert_ptr_equal(next, b);
	assert_true(a->on_runq && a->is_running); /* queued, not yet saved */

	fake_set_cpu(1);
	flags = sched_lock();
	assert_null(csched_schedule(1, &sim.idle[1], sim.now, false));
	sched_unlock(flags);

	/* CPU 0 finishes the switch, as sched_context_switched() does. */
	flags = sched_lock();
	sim.schedule_pending[0] = false;
	b->is_running = true;
	b->processor = 0;
	sim.running[0] = b;
	a->is_running = false;
	csched_context_saved(a);
	sched_unlock(flags);
	assert_true(sim.schedule_pending[1]);
	sim_softirqs();
	assert_ptr_equal(sim.running[1], a);
	assert_ptr_equal(sim.running[0], b);
}

/* Two boosted vCPUs queue in the order they woke, before the rest. */
static void boosted_vcpus_queue_first_in_wake_order(void **state)
{
	struct vcpu *plain = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *b1 = vcpu_of(sim_domain(2, 1, 256, 0));
	struct vcpu *b2 = vcpu_of(sim_domain(3, 1, 256, 0));

	sim_online_cpus(1);
	plain->credit = b1->credit = b2->credit = MILLISECS(20);
	sim_wake(plain);
	plain->boosted = false;
	sim_wake(b1);
	sim_wake(b2);
	assert_ptr_equal(sim_schedule(0), b1);
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), b2);
	sim_yield(0);
	assert_ptr_equal(sim_schedule(0), plain);
}

/*
 * A vCPU that keeps waking (runs 1 ms, sleeps 0.1 ms) against one that
 * never sleeps: boost gives it the CPU whenever it wakes, but credit
 * keeps it to its share by their equal weights (it gets 40-55%).
 */
static void boost_does_not_beat_the_weights(void **state)
{
	struct vcpu *hog, *waker;

	sim_online_cpus(1);
	hog = vcpu_of(sim_domain(1, 1, 256, 0));
	waker = vcpu_of(sim_domain(2, 1, 256, 0));
	sim_wake(hog);
	for (int i = 0; i < 5500; i++) {
		sim_wake(waker);
		sim_softirqs();
		sim_run(MILLISECS(1));
		sim_sleep(waker);
		sim_softirqs();
		sim_run(MICROSECS(100));
	}
	assert_true(sim_ran(waker) <= sim_ran(hog) * 11 / 10);
	assert_true(sim_ran(waker) * 10 >= (sim_ran(waker) + sim_ran(hog)) * 4);
}

static void slice_ends_and_the_queue_turns(void **state)
{
	struct vcpu *a, *b;

	sim_online_cpus(1);
	a = vcpu_of(sim_domain(1, 1, 256, 0));
	b = vcpu_of(sim_domain(2, 1, 256, 0));
	a->credit = b->credit = MILLISECS(60);
	sim_run(MILLISECS(5)); /* off the accounting's beat */
	sim_wake(a);
	sim_wake(b);
	b->boosted = false; /* the slice is what this is about, not boost */
	sim_softirqs();
	assert_ptr_equal(sim.running[0], a);
	/*
	 * The ticks at 15 and 25 ms, and the accounting at 30, leave a
	 * running; the tick at 35 ms ends its 30 ms slice.
	 */
	sim_run(MILLISECS(29));
	assert_ptr_equal(sim.running[0], a);
	sim_run(MILLISECS(2));
	assert_ptr_equal(sim.running[0], b);
	assert_true(a->on_runq);
}

static void nothing_runnable_idles(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));

	assert_ptr_equal(sim_schedule(0), &sim.idle[0]);
	assert_false(sim_tick_active(0));
	sim_wake(a);
	sim_softirqs();
	assert_ptr_equal(sim.running[a->processor], a);
	assert_true(sim_tick_active(a->processor));
	sim_sleep(a);
	assert_true(sim.schedule_pending[a->processor]);
	sim_softirqs();
	for (unsigned int cpu = 0; cpu < SIM_CPUS; cpu++) {
		assert_ptr_equal(sim.running[cpu], &sim.idle[cpu]);
		assert_false(sim_tick_active(cpu));
	}
	sim_run(SECONDS(1));
	assert_int_equal(sim_ran(a), 0);
}

/* ---- Sleeping vCPUs ------------------------------------------------- */

static void sleeping_vcpus_are_never_chosen(void **state)
{
	struct vcpu *a, *b;

	sim_online_cpus(1);
	a = vcpu_of(sim_domain(1, 1, 256, 0));
	b = vcpu_of(sim_domain(2, 1, 256, 0));
	sim_wake(a);
	sim_wake(b);
	sim_sleep(b); /* queued, then asleep */
	assert_false(b->on_runq);
	assert_ptr_equal(sim_schedule(0), a);
	sim_sleep(a); /* running, then asleep */
	assert_true(sim.schedule_pending[0]);
	assert_ptr_equal(sim_schedule(0), &sim.idle[0]);
	sim_run(SECONDS(1));
	assert_int_equal(sim_ran(a) + sim_ran(b), 0);
}

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245U + 12345U;
	return *seed >> 8;
}

/*
 * vCPUs of several domains sleep and wake at random moments on both
 * CPUs, some pinned: the fixture checks every decision (runnable, within
 * affinity, not running elsewhere), and a sleeping vCPU gets no time.
 */
static void random_sleeps_and_wakes_keep_every_choice_valid(void **state)
{
	struct domain *d[3] = {sim_domain(1, 2, 256, 0),
			       sim_domain(2, 2, 512, 30),
			       sim_domain(3, 1, 128, 0)};
	struct vcpu *all[5] = {d[0]->vcpu[0], d[0]->vcpu[1], d[1]->vcpu[0],
			       d[1]->vcpu[1], d[2]->vcpu[0]};
	uint32_t seed = 77;

	assert_int_equal(csched_set_affinity(all[1], CPU1), 0);
	assert_int_equal(csched_set_affinity(all[4], CPU0), 0);
	for (unsigned int step = 0; step < 3000; step++) {
		struct vcpu *v = all[next_random(&seed) % 5];
		s_time_t before = sim_ran(v);
		bool asleep = next_random(&seed) % 2;

		if (asleep)
			sim_sleep(v);
		else
			sim_wake(v);
		if (next_random(&seed) % 4 == 0)
			sim_yield(next_random(&seed) % SIM_CPUS);
		sim_run(MICROSECS(next_random(&seed) % 20000));
		if (asleep)
			assert_int_equal(sim_ran(v), before);
	}
	assert_int_equal(sim_ran_on(all[1], 0), 0);
	assert_int_equal(sim_ran_on(all[4], 1), 0);
}

/* ---- Affinity ---------------------------------------------------------- */

static void pinned_vcpus_run_only_where_allowed(void **state)
{
	struct domain *d = sim_domain(1, 3, 256, 0);
	struct vcpu *free_ = vcpu_of(sim_domain(2, 1, 256, 0));

	assert_int_equal(csched_set_affinity(d->vcpu[0], CPU0), 0);
	assert_int_equal(csched_set_affinity(d->vcpu[1], CPU1), 0);
	assert_int_equal(csched_set_affinity(d->vcpu[2], CPU1), 0);
	for (unsigned int i = 0; i < 3; i++)
		sim_wake(d->vcpu[i]);
	sim_wake(free_);
	sim_run(SECONDS(3));
	assert_int_equal(sim_ran_on(d->vcpu[0], 1), 0);
	assert_int_equal(sim_ran_on(d->vcpu[1], 0), 0);
	assert_int_equal(sim_ran_on(d->vcpu[2], 0), 0);
	for (unsigned int i = 0; i < 3; i++)
		assert_true(sim_ran(d->vcpu[i]) > 0);
	assert_true(sim_ran(free_) > 0);
	assert_int_equal(sim_ran(d->vcpu[0]) + sim_ran(d->vcpu[1]) +
				 sim_ran(d->vcpu[2]) + sim_ran(free_),
			 SECONDS(6));
}

/* Two domains pinned to one CPU of two share that CPU by weight: the
 * pool is the CPUs their vCPUs may use, not the whole machine. */
static void weights_share_a_cpu_they_are_pinned_to(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *b = vcpu_of(sim_domain(2, 1, 512, 0));

	assert_int_equal(csched_set_affinity(a, CPU1), 0);
	assert_int_equal(csched_set_affinity(b, CPU1), 0);
	sim_wake(a);
	sim_wake(b);
	sim_run(SECONDS(1));
	sim_clear_ran();
	sim_run(SECONDS(6));
	assert_int_equal(sim_ran_on(a, 0) + sim_ran_on(b, 0), 0);
	assert_int_equal(sim_ran(a) + sim_ran(b), SECONDS(6));
	assert_within(sim_ran(b), 2 * sim_ran(a), 2);
}

static void changing_affinity_moves_a_queued_vcpu(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *b = vcpu_of(sim_domain(2, 1, 256, 0));

	assert_int_equal(csched_set_affinity(a, CPU0), 0);
	assert_int_equal(csched_set_affinity(b, CPU0), 0);
	sim_wake(a);
	sim_wake(b);
	sim_softirqs();
	assert_ptr_equal(sim.running[0], a);
	assert_true(b->on_runq);
	assert_int_equal(b->processor, 0);
	assert_int_equal(csched_set_affinity(b, CPU1), 0);
	assert_int_equal(b->processor, 1);
	assert_true(sim.schedule_pending[1]);
	sim_softirqs();
	assert_ptr_equal(sim.running[1], b);
}

static void changing_affinity_moves_a_running_vcpu(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));

	assert_int_equal(csched_set_affinity(a, CPU0), 0);
	sim_wake(a);
	sim_softirqs();
	assert_ptr_equal(sim.running[0], a);
	assert_int_equal(csched_set_affinity(a, CPU1), 0);
	assert_true(sim.schedule_pending[0]);
	sim_softirqs();
	assert_ptr_equal(sim.running[0], &sim.idle[0]);
	assert_ptr_equal(sim.running[1], a);
	sim_run(SECONDS(1));
	assert_int_equal(sim_ran_on(a, 0), 0);
}

static void affinity_must_name_an_online_cpu(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));

	assert_int_equal(csched_set_affinity(a, 0), -EINVAL);
	assert_int_equal(csched_set_affinity(a, 1ULL << 5), -EINVAL);
	assert_int_equal(csched_set_affinity(a, 1ULL << 63), -EINVAL);
	assert_int_equal(a->cpu_affinity, ~0ULL);
	assert_int_equal(csched_set_affinity(a, CPU1 | (1ULL << 5)), 0);
}

/* An idle CPU takes an UNDER vCPU queued on another, within affinity. */
static void idle_cpu_steals_within_affinity(void **state)
{
	struct vcpu *a = vcpu_of(sim_domain(1, 1, 256, 0));
	struct vcpu *b = vcpu_of(sim_domain(2, 1, 256, 0));
	struct vcpu *c = vcpu_of(sim_domain(3, 1, 256, 0));
	struct vcpu *all[] = {a, b, c};

	/* a runs on CPU 0, b and c wait there; CPU 1 idles. */
	for (unsigned int i = 0; i < ARRAY_SIZE(all); i++) {
		assert_int_equal(csched_set_affinity(all[i], CPU0), 0);
		sim_wake(all[i]);
	}
	sim_softirqs();
	assert_ptr_equal(sim.running[0], a);
	assert_int_equal(csched_set_affinity(c, CPU0 | CPU1), 0);
	assert_true(b->on_runq && c->on_runq);
	assert_int_equal(c->processor, 0);

	/* b may not go to CPU 1; c may, but not while it is OVER. */
	c->credit = -MILLISECS(1);
	assert_ptr_equal(sim_schedule(1), &sim.idle[1]);
	c->credit = MILLISECS(1);
	assert_ptr_equal(sim_schedule(1), c);
	assert_int_equal(c->processor, 1);
	assert_false(c->on_runq);
	assert_true(b->on_runq);
	assert_int_equal(b->processor, 0);
}

/* ---- Parameters -------------------------------------------------------- */

static void set_params_checks_ranges(void **state)
{
	struct domain *d = sim_domain(1, 1, 256, 0);
	uint16_t w, c;

	assert_int_equal(csched_set_params(d, 1, 0), 0);
	csched_get_params(d, &w, &c);
	assert_int_equal(w, 1);
	assert_int_equal(csched_set_params(d, CSCHED_MAX_WEIGHT, 100), 0);
	csched_get_params(d, &w, &c);
	assert_int_equal(w, CSCHED_MAX_WEIGHT);
	assert_int_equal(c, 100);
	/* Weight 0 keeps the weight, as in Xen; the cap is always set. */
	assert_int_equal(csched_set_params(d, 0, 0), 0);
	csched_get_params(d, &w, &c);
	assert_int_equal(w, CSCHED_MAX_WEIGHT);
	assert_int_equal(c, 0);
	/*
	 * A cap is at most 100 per CPU. Xen sets any cap and reads 0xffff
	 * as "keep"; Paravane refuses both.
	 */
	assert_int_equal(csched_set_params(d, 0, 100 * NR_CPUS), 0);
	assert_int_equal(csched_set_params(d, 512, 100 * NR_CPUS + 1), -EINVAL);
	assert_int_equal(csched_set_params(d, 512, 0xffff), -EINVAL);
	csched_get_params(d, &w, &c);
	assert_int_equal(w, CSCHED_MAX_WEIGHT);
	assert_int_equal(c, 100 * NR_CPUS);
}

static void new_vcpu_may_run_anywhere_with_some_credit(void **state)
{
	struct domain *d = sim_domain(1, 1, 0, 0);

	assert_int_equal(d->weight, CSCHED_DEFAULT_WEIGHT);
	assert_int_equal(vcpu_of(d)->cpu_affinity, ~0ULL);
	assert_true(vcpu_of(d)->credit > 0);
}

#define SIM_TEST(f) cmocka_unit_test_setup_teardown(f, sim_setup, sim_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		SIM_TEST(weights_share_one_cpu_in_proportion),
		SIM_TEST(equal_weights_share_equally),
		SIM_TEST(weights_share_two_cpus_in_proportion),
		SIM_TEST(time_nobody_wanted_is_not_held_against_a_vcpu),
		SIM_TEST(cap_limits_a_domain_alone),
		SIM_TEST(cap_is_for_the_whole_domain),
		SIM_TEST(capped_domain_leaves_the_rest_to_others),
		SIM_TEST(no_cap_uses_a_whole_cpu),
		SIM_TEST(under_runs_before_over),
		SIM_TEST(yield_lets_the_other_run),
		SIM_TEST(yield_gives_way_to_an_over_vcpu),
		SIM_TEST(yield_alone_keeps_running),
		SIM_TEST(woken_vcpu_preempts_an_over_one),
		SIM_TEST(woken_under_vcpu_preempts_a_running_under_one),
		SIM_TEST(woken_over_vcpu_gets_no_boost),
		SIM_TEST(boost_ends_at_a_tick),
		SIM_TEST(second_boosted_waker_runs_at_the_first_ones_tick),
		SIM_TEST(moved_vcpu_gets_no_boost),
		SIM_TEST(vcpu_still_switching_out_is_not_stolen),
		SIM_TEST(boosted_vcpus_queue_first_in_wake_order),
		SIM_TEST(boost_does_not_beat_the_weights),
		SIM_TEST(slice_ends_and_the_queue_turns),
		SIM_TEST(nothing_runnable_idles),
		SIM_TEST(sleeping_vcpus_are_never_chosen),
		SIM_TEST(random_sleeps_and_wakes_keep_every_choice_valid),
		SIM_TEST(pinned_vcpus_run_only_where_allowed),
		SIM_TEST(weights_share_a_cpu_they_are_pinned_to),
		SIM_TEST(changing_affinity_moves_a_queued_vcpu),
		SIM_TEST(changing_affinity_moves_a_running_vcpu),
		SIM_TEST(affinity_must_name_an_online_cpu),
		SIM_TEST(idle_cpu_steals_within_affinity),
		SIM_TEST(set_params_checks_ranges),
		SIM_TEST(new_vcpu_may_run_anywhere_with_some_credit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
