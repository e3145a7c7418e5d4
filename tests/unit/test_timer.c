/*
 * Unit tests for the timer queues (common/timer.c), with a fake clock
 * (NOW()), a reprogram_timer() that records every deadline it is given,
 * and xzalloc_array()/xfree() on the C heap so AddressSanitizer watches
 * the queue's array as it grows. Covered: expiry order, stopping and
 * moving timers, callbacks that re-arm or stop timers, heap growth, a
 * randomised comparison against a simple model, and per-CPU queues (a
 * timer set on another CPU raises that CPU's TIMER_SOFTIRQ).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/softirq.h>
#include <hv/timer.h>

#include "fake/fake.h"

#define NR_TIMERS 300
#define MAX_EVENTS 4096

/* --- the fakes timer.c needs ------------------------------------------ */

static s_time_t now;
static s_time_t programmed[MAX_EVENTS];
static unsigned int nr_programmed;
static bool alloc_fails;
static unsigned int raised_cpu[MAX_EVENTS];
static unsigned int nr_raised;

s_time_t NOW(void)
{
	return now;
}

void reprogram_timer(s_time_t deadline)
{
	assert_true(nr_programmed < MAX_EVENTS);
	programmed[nr_programmed++] = deadline;
}

/* Another CPU's timer changed: that CPU must re-arm from its softirq. */
void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr)
{
	assert_int_equal(nr, TIMER_SOFTIRQ);
	assert_true(nr_raised < MAX_EVENTS);
	raised_cpu[nr_raised++] = cpu;
}

void *xzalloc_array_bytes(size_t size, size_t n)
{
	return alloc_fails ? NULL : calloc(n, size);
}

void xfree(void *p)
{
	free(p);
}

/* --- test timers and what they record --------------------------------- */

static struct timer timers[NR_TIMERS];
static unsigned int fired[MAX_EVENTS];
static unsigned int nr_fired;

static unsigned int id_of(void *data)
{
	return (unsigned int)(uintptr_t)data;
}

static void record_fire(void *data)
{
	assert_true(nr_fired < MAX_EVENTS);
	fired[nr_fired++] = id_of(data);
}

static void init(unsigned int id, unsigned int cpu)
{
	init_timer(&timers[id], record_fire, (void *)(uintptr_t)id, cpu);
}

static int group_setup(void **state)
{
	for (unsigned int cpu = 0; cpu < 3; cpu++)
		if (timer_init_cpu(cpu))
			return -1;
	return 0;
}

static int setup(void **state)
{
	for (unsigned int i = 0; i < NR_TIMERS; i++)
		init(i, 0);
	now = 0;
	nr_programmed = 0;
	nr_fired = 0;
	nr_raised = 0;
	alloc_fails = false;
	fake_set_cpu(0);
	return 0;
}

/* Leave every queue empty, whatever the test did, and check it unlocked. */
static int teardown(void **state)
{
	unsigned int held = fake_locks_held();

	fake_cpu_recover();
	for (unsigned int i = 0; i < NR_TIMERS; i++)
		stop_timer(&timers[i]);
	fake_set_cpu(0);
	assert_int_equal(held, 0);
	return 0;
}

static void run_softirq_at(s_time_t t)
{
	now = t;
	timer_softirq_action();
}

static void assert_fired(unsigned int n, const unsigned int *ids)
{
	if (nr_fired != n)
		fail_msg("%u timers fired, expected %u", nr_fired, n);
	for (unsigned int i = 0; i < n; i++)
		if (fired[i] != ids[i])
			fail_msg("firing %u was timer %u, expected %u", i,
				 fired[i], ids[i]);
}

static s_time_t last_programmed(void)
{
	assert_true(nr_programmed > 0);
	return programmed[nr_programmed - 1];
}

/* --- the tests ---------------------------------------------------------- */

static void init_timer_makes_an_inactive_timer(void **state)
{
	struct timer *t = &timers[7];

	assert_false(timer_is_active(t));
	assert_ptr_equal(t->fn, record_fire);
	assert_int_equal(id_of(t->data), 7);
	assert_int_equal(t->cpu, 0);
	assert_int_equal(timer_next_deadline(0), 0);
}

static void set_timer_activates_and_programs_deadline(void **state)
{
	assert_int_equal(set_timer(&timers[0], 100), 0);
	assert_true(timer_is_active(&timers[0]));
	assert_int_equal(timers[0].expires, 100);
	assert_int_equal(nr_programmed, 1);
	assert_int_equal(programmed[0], 100);
	assert_int_equal(timer_next_deadline(0), 100);
}

static void only_a_new_earliest_deadline_reprograms(void **state)
{
	set_timer(&timers[0], 300);
	set_timer(&timers[1], 100);
	set_timer(&timers[2], 200); /* not the earliest */
	set_timer(&timers[3], 150);
	assert_int_equal(nr_programmed, 2);
	assert_int_equal(programmed[0], 300);
	assert_int_equal(programmed[1], 100);
	assert_int_equal(timer_next_deadline(0), 100);
}

static void timers_fire_in_expiry_order(void **state)
{
	static const s_time_t when[] = {50, 10, 40, 30, 60, 20};
	static const unsigned int order[] = {1, 5, 3, 2, 0, 4};

	for (unsigned int i = 0; i < ARRAY_SIZE(when); i++)
		set_timer(&timers[i], when[i]);
	run_softirq_at(1000);
	assert_fired(6, order);
	for (unsigned int i = 0; i < ARRAY_SIZE(when); i++)
		assert_false(timer_is_active(&timers[i]));
	assert_int_equal(last_programmed(), 0);
	assert_int_equal(timer_next_deadline(0), 0);
}

static void only_expired_timers_fire(void **state)
{
	static const unsigned int first_two[] = {0, 1};

	for (unsigned int i = 0; i < 4; i++)
		set_timer(&timers[i], 10 * (i + 1)); /* 10, 20, 30, 40 */
	run_softirq_at(25);
	assert_fired(2, first_two);
	assert_true(timer_is_active(&timers[2]));
	assert_true(timer_is_active(&timers[3]));
	assert_int_equal(last_programmed(), 30);
	assert_int_equal(timer_next_deadline(0), 30);
}

static void timer_due_exactly_now_fires(void **state)
{
	static const unsigned int one[] = {4};

	set_timer(&timers[4], 500);
	run_softirq_at(499);
	assert_int_equal(nr_fired, 0);
	run_softirq_at(500);
	assert_fired(1, one);
}

static void deadline_in_the_past_fires_at_next_softirq(void **state)
{
	static const unsigned int one[] = {9};

	now = 1000;
	set_timer(&timers[9], 5);
	assert_int_equal(last_programmed(), 5);
	timer_softirq_action();
	assert_fired(1, one);
}

static void stopped_timer_does_not_fire(void **state)
{
	static const unsigned int rest[] = {0, 2};

	set_timer(&timers[0], 10);
	set_timer(&timers[1], 20);
	set_timer(&timers[2], 30);
	stop_timer(&timers[1]);
	assert_false(timer_is_active(&timers[1]));
	stop_timer(&timers[1]); /* twice: harmless */
	stop_timer(&timers[5]); /* never set: harmless */
	run_softirq_at(100);
	assert_fired(2, rest);
}

static void stopping_earliest_timer_exposes_the_next(void **state)
{
	set_timer(&timers[0], 10);
	set_timer(&timers[1], 20);
	stop_timer(&timers[0]);
	assert_int_equal(timer_next_deadline(0), 20);
	stop_timer(&timers[1]);
	assert_int_equal(timer_next_deadline(0), 0);
	run_softirq_at(100);
	assert_int_equal(nr_fired, 0);
}

static void set_timer_moves_an_active_timer(void **state)
{
	static const unsigned int order[] = {0, 2, 1};

	set_timer(&timers[0], 100);
	set_timer(&timers[1], 200);
	set_timer(&timers[2], 300);
	set_timer(&timers[0], 50); /* earlier: reprograms */
	assert_int_equal(last_programmed(), 50);
	set_timer(&timers[1], 400); /* later */
	assert_int_equal(timer_next_deadline(0), 50);
	run_softirq_at(1000);
	assert_fired(3, order); /* each fires once, at its new time */
}

static void rearm_self(void *data)
{
	struct timer *t = &timers[id_of(data)];

	record_fire(data);
	set_timer(t, t->expires + 10);
}

static void callback_may_rearm_its_own_timer(void **state)
{
	static const unsigned int twice[] = {3, 3};

	init_timer(&timers[3], rearm_self, (void *)3, 0);
	set_timer(&timers[3], 10);
	run_softirq_at(25); /* fires at 10, re-arms at 20: fires again */
	assert_fired(2, twice);
	assert_true(timer_is_active(&timers[3]));
	assert_int_equal(timer_next_deadline(0), 30);
	assert_int_equal(last_programmed(), 30);
}

static void stop_timer_one(void *data)
{
	record_fire(data);
	stop_timer(&timers[1]);
}

static void callback_may_stop_another_timer(void **state)
{
	static const unsigned int only_a[] = {0};

	init_timer(&timers[0], stop_timer_one, (void *)0, 0);
	set_timer(&timers[0], 10);
	set_timer(&timers[1], 20);
	run_softirq_at(30);
	assert_fired(1, only_a);
	assert_false(timer_is_active(&timers[1]));
}

static void set_timer_two_now(void *data)
{
	record_fire(data);
	set_timer(&timers[2], now);
}

static void callback_may_set_a_timer_due_now(void **state)
{
	static const unsigned int both[] = {0, 2};

	init_timer(&timers[0], set_timer_two_now, (void *)0, 0);
	set_timer(&timers[0], 10);
	run_softirq_at(10);
	assert_fired(2, both);
}

static void equal_expiries_all_fire(void **state)
{
	for (unsigned int i = 0; i < 10; i++)
		set_timer(&timers[i], 77);
	run_softirq_at(77);
	assert_int_equal(nr_fired, 10);
	for (unsigned int i = 0; i < 10; i++)
		assert_false(timer_is_active(&timers[i]));
}

static void many_timers_grow_the_queue(void **state)
{
	/* Timer i expires in slot i * 7919 mod 300, a permutation. */
	unsigned int expected[NR_TIMERS];

	for (unsigned int i = 0; i < NR_TIMERS; i++) {
		unsigned int slot = (i * 7919) % NR_TIMERS;

		set_timer(&timers[i], 1000 + slot);
		expected[slot] = i;
	}
	assert_int_equal(timer_next_deadline(0), 1000);
	run_softirq_at(1000 + NR_TIMERS / 2 - 1);
	assert_int_equal(nr_fired, NR_TIMERS / 2);
	run_softirq_at(1000 + NR_TIMERS);
	assert_fired(NR_TIMERS, expected);
}

static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245 + 12345;
	return rng_state >> 8;
}

/* The model's due timers (expiry <= t), earliest first; returns how many. */
static unsigned int model_due(const s_time_t *model, unsigned int n, s_time_t t,
			      unsigned int *ids)
{
	unsigned int nr = 0;

	for (unsigned int i = 0; i < n; i++) {
		unsigned int j = nr++;

		if (model[i] < 0 || model[i] > t) {
			nr--;
			continue;
		}
		while (j > 0 && model[ids[j - 1]] > model[i]) {
			ids[j] = ids[j - 1];
			j--;
		}
		ids[j] = i;
	}
	return nr;
}

static void random_operations_match_a_model(void **state)
{
	enum { N = 64, STEPS = 5000 };
	s_time_t model[N]; /* expiry, or -1 when inactive */
	unsigned int due[N];

	rng_state = 42;
	for (unsigned int i = 0; i < N; i++)
		model[i] = -1;
	for (unsigned int step = 0; step < STEPS; step++) {
		unsigned int id = rng() % N, op = rng() % 8;
		s_time_t min = -1;

		if (op < 5) {
			/* Unique expiries after now: a random slot, plus id. */
			model[id] = (now / N + 1 + rng() % 200) * N + id;
			assert_int_equal(set_timer(&timers[id], model[id]), 0);
		} else if (op < 7) {
			model[id] = -1;
			stop_timer(&timers[id]);
		} else {
			s_time_t t = now + (rng() % 100) * N;
			unsigned int nr_due = model_due(model, N, t, due);

			nr_fired = 0;
			run_softirq_at(t);
			assert_fired(nr_due, due);
			for (unsigned int k = 0; k < nr_due; k++)
				model[due[k]] = -1;
		}
		for (unsigned int i = 0; i < N; i++) {
			assert_int_equal(timer_is_active(&timers[i]),
					 model[i] >= 0);
			if (model[i] >= 0 && (min < 0 || model[i] < min))
				min = model[i];
		}
		assert_int_equal(timer_next_deadline(0), min < 0 ? 0 : min);
	}
}

static void timer_of_another_cpu_runs_only_there(void **state)
{
	static const unsigned int one[] = {1};

	init(1, 1);
	set_timer(&timers[1], 10);
	assert_int_equal(nr_programmed, 0); /* not this CPU's timer */
	assert_int_equal(nr_raised, 1);	    /* but that CPU is told */
	assert_int_equal(raised_cpu[0], 1);
	assert_int_equal(timer_next_deadline(1), 10);
	assert_int_equal(timer_next_deadline(0), 0);
	run_softirq_at(100);
	assert_int_equal(nr_fired, 0);
	fake_set_cpu(1);
	run_softirq_at(100);
	assert_fired(1, one);
}

static void softirq_with_nothing_queued_programs_nothing(void **state)
{
	run_softirq_at(100);
	assert_int_equal(nr_fired, 0);
	assert_int_equal(nr_programmed, 1);
	assert_int_equal(programmed[0], 0);
}

static void full_queue_that_cannot_grow_refuses_the_timer(void **state)
{
	/* CPU 2's queue still has its initial 64 slots. */
	for (unsigned int i = 0; i < 65; i++)
		init(i, 2);
	for (unsigned int i = 0; i < 64; i++)
		assert_int_equal(set_timer(&timers[i], 100 + i), 0);
	alloc_fails = true;
	assert_int_equal(set_timer(&timers[64], 5), -ENOMEM);
	assert_false(timer_is_active(&timers[64]));
	assert_int_equal(timer_next_deadline(2), 100);
	/* Moving a queued timer needs no room. */
	assert_int_equal(set_timer(&timers[10], 1), 0);
	assert_int_equal(timer_next_deadline(2), 1);
	alloc_fails = false;
	assert_int_equal(set_timer(&timers[64], 5), 0);
	assert_int_equal(timer_next_deadline(2), 1);
}

static void init_timer_on_a_bad_cpu_asserts(void **state)
{
	expect_assert_failure(
		init_timer(&timers[0], record_fire, NULL, NR_CPUS));
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(init_timer_makes_an_inactive_timer),
		TEST(set_timer_activates_and_programs_deadline),
		TEST(only_a_new_earliest_deadline_reprograms),
		TEST(timers_fire_in_expiry_order),
		TEST(only_expired_timers_fire),
		TEST(timer_due_exactly_now_fires),
		TEST(deadline_in_the_past_fires_at_next_softirq),
		TEST(stopped_timer_does_not_fire),
		TEST(stopping_earliest_timer_exposes_the_next),
		TEST(set_timer_moves_an_active_timer),
		TEST(callback_may_rearm_its_own_timer),
		TEST(callback_may_stop_another_timer),
		TEST(callback_may_set_a_timer_due_now),
		TEST(equal_expiries_all_fire),
		TEST(many_timers_grow_the_queue),
		TEST(random_operations_match_a_model),
		TEST(timer_of_another_cpu_runs_only_there),
		TEST(softirq_with_nothing_queued_programs_nothing),
		TEST(full_queue_that_cannot_grow_refuses_the_timer),
		TEST(init_timer_on_a_bad_cpu_asserts),
	};

	return cmocka_run_group_tests_name("timer", tests, group_setup, NULL);
}
