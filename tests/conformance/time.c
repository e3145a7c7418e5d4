/*
 * Conformance of guest time for a 64-bit PV initial domain with two
 * vCPUs, as Xen 4.17 answers: vcpu_time_info and the wall clock in
 * shared_info, the one-shot timer (set_timer_op, VCPUOP_set_singleshot_
 * timer), the periodic timer, and blocking or polling until a timer.
 *
 * Timers are watched raw: with events masked on this vCPU, the test
 * spins on the pending bit of the vCPU's VIRQ_TIMER port (bound by
 * pvguest), reading system time after each look. A VIRQ seen at time t
 * fired before t; one not yet seen at t had not fired when looked at.
 * After each test pvguest's own one-shot timer is put back
 * (timer_reprogram()).
 *
 * Bounds: a timer must not fire before its deadline (allowing EARLY_NS
 * for rounding between Xen's clock and the guest's extrapolation of
 * it), and must be seen within LATE_NS after it. LATE_NS is 1 s: QEMU
 * runs each CPU as a host thread under TCG, and on a loaded two-core
 * host a vCPU's thread was seen to wait up to ~0.7 s for a core, far
 * beyond what the hypervisors themselves add (microseconds). How late
 * timers really are is measured by make bench (timer_lateness), not
 * here.
 */
#include "smp_util.h"

CONFORMANCE_KERNEL("time");

#define LATE_NS (1000 * NSEC_PER_MSEC)
#define EARLY_NS (100 * NSEC_PER_USEC)
#define MS(n) ((uint64_t)(n)*NSEC_PER_MSEC)
#define EPOCH_2020 1577836800ULL
#define EPOCH_2100 4102444800ULL

/* The system time vCPU cpu's own record gives now (no smoothing). */
static uint64_t raw_time(unsigned int cpu)
{
	const vcpu_time_info_t *t = &cpu_of(cpu)->vcpu_info->time;
	struct time_record r;
	uint64_t now;

	do {
		time_record_read(t, &r);
		now = time_at_tsc(&r, rdtsc_ordered());
	} while (READ_ONCE(t->version) != r.version);
	return now;
}

static evtchn_port_t timer_port(void)
{
	return time_virq_port(smp_processor_id());
}

/* Events masked, this vCPU's timer VIRQ clear: ready to watch it. */
static void watch_begin(void)
{
	local_irq_disable();
	evtchn_clear(timer_port());
}

/* Clear the VIRQ again, give pvguest its timer back, unmask. */
static void watch_end(void)
{
	evtchn_clear(timer_port());
	timer_reprogram();
	local_irq_enable();
}

/*
 * Spin until the timer VIRQ is pending or system time passes until.
 * Returns the time read just after it was seen pending, or 0.
 */
static uint64_t watch(uint64_t until)
{
	for (;;) {
		bool fired = evtchn_is_pending(timer_port());
		uint64_t now = time_now();

		if (fired)
			return now;
		if (now > until)
			return 0;
	}
}

static long set_timer_op(uint64_t deadline)
{
	return HYPERVISOR_set_timer_op(deadline);
}

static int singleshot(uint64_t deadline, uint32_t flags)
{
	struct vcpu_set_singleshot_timer st = {.timeout_abs_ns = deadline,
					       .flags = flags};

	return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer,
				  smp_processor_id(), &st);
}

static int set_periodic(unsigned int vcpu, uint64_t period)
{
	struct vcpu_set_periodic_timer pt = {.period_ns = period};

	return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &pt);
}

static int stop_periodic(unsigned int vcpu)
{
	return HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, vcpu, NULL);
}

/* Expect the VIRQ seen at 'seen' for a timer due at deadline. */
#define EXPECT_FIRED_FOR(seen, deadline)                                       \
	do {                                                                   \
		EXPECT_NE(seen, 0);                                            \
		EXPECT_GE((seen) + EARLY_NS, deadline);                        \
		EXPECT_LE(seen, (deadline) + LATE_NS);                         \
	} while (0)

/* ---- the clock ----------------------------------------------------------- */

/* Each vCPU's record is consistent: even version, a usable scale. */
TEST(clock, records_sane)
{
	for (unsigned int cpu = 0; cpu < 2; cpu++) {
		const vcpu_time_info_t *t = &cpu_of(cpu)->vcpu_info->time;
		struct time_record r;

		time_record_read(t, &r);
		EXPECT_EQ(r.version & 1, 0);
		EXPECT_NE(r.mul, 0);
		EXPECT_GE(r.shift, -32);
		EXPECT_LE(r.shift, 32);
		EXPECT_GT(r.system_time, 0);
		EXPECT_NE(r.tsc_timestamp, 0);
	}
}

TEST(clock, monotonic_on_one_vcpu)
{
	uint64_t prev = raw_time(0);

	for (int i = 0; i < 100000; i++) {
		uint64_t now = raw_time(0);

		if (now < prev) {
			EXPECT_GE(now, prev);
			break;
		}
		prev = now;
	}
}

struct pingpong {
	uint64_t (*read)(unsigned int cpu);
	uint64_t stamp; /* the last time read, by either vCPU */
	unsigned long turn;
	unsigned long backwards;
	uint64_t worst;
};

#define ROUNDS 500

/* Read the clock on the turns of one vCPU, after the other's reading. */
static void ping(struct pingpong *p, unsigned int cpu)
{
	for (unsigned long i = cpu; i < 2 * ROUNDS; i += 2) {
		uint64_t now;

		while (__atomic_load_n(&p->turn, __ATOMIC_ACQUIRE) != i)
			cpu_relax();
		now = p->read(cpu);
		if (now < p->stamp) {
			p->backwards++;
			p->worst = MAX(p->worst, p->stamp - now);
		}
		p->stamp = now;
		__atomic_store_n(&p->turn, i + 1, __ATOMIC_RELEASE);
	}
}

static int pong(void *arg)
{
	ping(arg, 1);
	return 0;
}

static void ping_pong(struct pingpong *p)
{
	struct thread *t = thread_create_on(1, "pong", pong, p);

	ASSERT_TRUE(t != NULL);
	ping(p, 0);
	thread_join(t);
}

static uint64_t smoothed_time(unsigned int cpu)
{
	return time_now();
}

/*
 * A time read on one vCPU after a time read on the other (ordered by a
 * hand-off through memory). Each vCPU extrapolates its own record, and
 * Xen 4.17 lets those disagree: tens of microseconds under QEMU, up to
 * ~10 ms on a loaded host (each CPU's scale is calibrated on its own),
 * so the raw clocks are only held to LATE_NS. pvguest's time_now()
 * hides the difference and never goes back.
 */
TEST(clock, vcpus_agree)
{
	struct pingpong raw = {.read = raw_time};
	struct pingpong smooth = {.read = smoothed_time};

	ping_pong(&raw);
	EXPECT_LT(raw.worst, LATE_NS);
	ping_pong(&smooth);
	EXPECT_EQ(smooth.backwards, 0);
}

/*
 * The scale agrees with Xen's own clock: a one-shot timer 300 ms ahead,
 * which Xen fires by its clock, is seen by ours neither early nor late
 * (a scale off by 0.1 % would be 300 us early or late).
 */
TEST(clock, scale_matches_timer)
{
	uint64_t deadline, seen;

	watch_begin();
	deadline = time_now() + MS(300);
	EXPECT_EQ(set_timer_op(deadline), 0);
	seen = watch(deadline + MS(1000));
	watch_end();
	EXPECT_FIRED_FOR(seen, deadline);
}

TEST(wallclock, plausible)
{
	const shared_info_t *s = HYPERVISOR_shared_info;
	uint64_t sec, sec2, wc;
	uint32_t nsec, nsec2;

	EXPECT_EQ(READ_ONCE(s->wc_version) & 1, 0);
	wc = ((uint64_t)s->wc_sec_hi << 32) | s->wc_sec;
	EXPECT_GT(wc, EPOCH_2020);
	EXPECT_LT(wc, EPOCH_2100);
	EXPECT_LT(s->wc_nsec, NSEC_PER_SEC);
	wallclock_read(&sec, &nsec);
	EXPECT_GE(sec, wc);
	EXPECT_LT(nsec, NSEC_PER_SEC);
	sleep_ns(MS(50));
	wallclock_read(&sec2, &nsec2);
	EXPECT_GE((sec2 * NSEC_PER_SEC + nsec2) - (sec * NSEC_PER_SEC + nsec),
		  MS(50));
}

/* ---- the one-shot timer -------------------------------------------------- */

TEST(timer, set_timer_op_fires_at_deadline)
{
	uint64_t deadline, seen;

	watch_begin();
	deadline = time_now() + MS(20);
	EXPECT_EQ(set_timer_op(deadline), 0);
	seen = watch(deadline + MS(1000));
	watch_end();
	EXPECT_FIRED_FOR(seen, deadline);
}

TEST(timer, deadline_in_past_fires_at_once)
{
	uint64_t now, seen;

	watch_begin();
	now = time_now();
	EXPECT_EQ(set_timer_op(now - MS(1)), 0);
	seen = watch(now + MS(1000));
	watch_end();
	EXPECT_NE(seen, 0);
	EXPECT_LE(seen, now + LATE_NS);
}

TEST(timer, zero_cancels)
{
	uint64_t deadline, seen;

	watch_begin();
	deadline = time_now() + MS(20);
	EXPECT_EQ(set_timer_op(deadline), 0);
	EXPECT_EQ(set_timer_op(0), 0);
	seen = watch(deadline + MS(60));
	watch_end();
	EXPECT_EQ(seen, 0);
}

/* There is one one-shot timer: setting it again replaces the deadline. */
TEST(timer, later_call_replaces_deadline)
{
	uint64_t deadline, seen;

	watch_begin();
	EXPECT_EQ(set_timer_op(time_now() + MS(2000)), 0);
	deadline = time_now() + MS(20);
	EXPECT_EQ(set_timer_op(deadline), 0);
	seen = watch(deadline + MS(1000));
	EXPECT_FIRED_FOR(seen, deadline);
	evtchn_clear(timer_port());
	EXPECT_EQ(watch(deadline + MS(100)), 0); /* and only once */
	watch_end();
}

/*
 * Xen's guard against wrapped deadlines: a timeout with the top bit set,
 * or more than 2^50 ns ahead, is taken as "in 100 ms".
 */
TEST(timer, huge_timeout_means_100ms)
{
	static const uint64_t huge[] = {1ULL << 63, ~0ULL - 5};

	for (size_t i = 0; i < ARRAY_SIZE(huge) + 1; i++) {
		uint64_t now, seen, t;

		watch_begin();
		now = time_now();
		t = i < ARRAY_SIZE(huge) ? huge[i] : now + (1ULL << 51);
		EXPECT_EQ(set_timer_op(t), 0);
		seen = watch(now + MS(1000));
		watch_end();
		EXPECT_FIRED_FOR(seen, now + MS(100));
	}
}

TEST(singleshot, fires_at_deadline)
{
	uint64_t deadline, seen;

	watch_begin();
	deadline = time_now() + MS(20);
	EXPECT_OK(singleshot(deadline, VCPU_SSHOTTMR_future));
	seen = watch(deadline + MS(1000));
	watch_end();
	EXPECT_FIRED_FOR(seen, deadline);
}

/*
 * VCPU_SSHOTTMR_future asks Xen to refuse a deadline already past with
 * -ETIME, but the ABI lets Xen ignore it, and Xen 4.17 does: the timer
 * is set and fires at once.
 */
TEST(singleshot, future_flag_ignored)
{
	uint64_t now, seen;

	watch_begin();
	now = time_now();
	EXPECT_OK(singleshot(now - MS(1), VCPU_SSHOTTMR_future));
	seen = watch(now + MS(1000));
	watch_end();
	EXPECT_NE(seen, 0);
	EXPECT_LE(seen, now + LATE_NS);
}

TEST(singleshot, stop)
{
	uint64_t deadline;

	watch_begin();
	deadline = time_now() + MS(20);
	EXPECT_OK(singleshot(deadline, 0));
	EXPECT_OK(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));
	EXPECT_EQ(watch(deadline + MS(60)), 0);
	watch_end();
}

/* Only a vCPU itself may set or stop its one-shot timer. */
TEST(singleshot, other_vcpu_refused)
{
	struct vcpu_set_singleshot_timer st = {.timeout_abs_ns =
						       time_now() + MS(10)};

	EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 1, &st),
		   -EINVAL);
	EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL),
		   -EINVAL);
	EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 99, &st),
		   -ENOENT);
	EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0,
				      (void *)0x1000),
		   -EFAULT);
}

/* ---- the periodic timer -------------------------------------------------- */

/*
 * Ticks come every period while the vCPU runs. The first comes at once:
 * the last tick (before pvguest stopped the default timer at boot) is
 * more than a period ago. Tick n is never seen before start + n periods
 * (a late tick does not make the next one early: the schedule is fixed).
 */
TEST(periodic, period_honoured)
{
	const uint64_t period = MS(20);
	uint64_t start, end, last = 0, longest = 0;
	uint64_t first = 0;
	unsigned int ticks = 0;

	watch_begin();
	start = time_now();
	ASSERT_OK(set_periodic(0, period));
	end = start + 10 * period + period / 2;
	for (;;) {
		uint64_t seen = watch(end);

		if (!seen)
			break;
		evtchn_clear(timer_port());
		EXPECT_GE(seen + EARLY_NS, start + ticks * period);
		if (!ticks)
			first = seen;
		else
			longest = MAX(longest, seen - last);
		last = seen;
		ticks++;
	}
	EXPECT_OK(stop_periodic(0));
	watch_end();
	EXPECT_LT(first - start, period / 2);
	EXPECT_GE(ticks, 3); /* fewer when the host is loaded: see the top */
	EXPECT_LE(ticks, 11);
	EXPECT_LE(longest, period + LATE_NS);
}

TEST(periodic, stop_ends_ticks)
{
	uint64_t now;

	watch_begin();
	ASSERT_OK(set_periodic(0, MS(10)));
	EXPECT_OK(stop_periodic(0));
	evtchn_clear(timer_port());
	now = time_now();
	EXPECT_EQ(watch(now + MS(50)), 0);
	watch_end();
}

TEST(periodic, limits)
{
	EXPECT_ERR(set_periodic(0, MS(1) - 1), -EINVAL);
	EXPECT_ERR(set_periodic(0, 0), -EINVAL);
	watch_begin();
	EXPECT_OK(set_periodic(0, MS(1)));
	EXPECT_OK(stop_periodic(0));
	EXPECT_OK(set_periodic(0, 10000 * NSEC_PER_SEC));
	EXPECT_OK(set_periodic(0, (1ULL << 62) - 1)); /* STIME_DELTA_MAX */
	EXPECT_ERR(set_periodic(0, 1ULL << 62), -EINVAL);
	EXPECT_OK(stop_periodic(0));
	watch_end();
	EXPECT_ERR(set_periodic(99, MS(10)), -ENOENT);
	EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0,
				      (void *)0x1000),
		   -EFAULT);
}

/* Unlike the one-shot timer, another vCPU's periodic timer may be set. */
TEST(periodic, other_vcpu)
{
	unsigned long before = evtchn_upcall_count(1);

	ASSERT_OK(set_periodic(1, MS(10)));
	sleep_ns(MS(50));
	EXPECT_OK(stop_periodic(1));
	EXPECT_GT(evtchn_upcall_count(1), before);
}

/* ---- blocking and polling ------------------------------------------------ */

/* SCHEDOP_block with the one-shot timer armed returns when it fires. */
TEST(block, wakes_on_timer)
{
	uint64_t deadline, woke;

	local_irq_disable();
	deadline = time_now() + MS(30);
	EXPECT_EQ(set_timer_op(deadline), 0);
	EXPECT_OK(HYPERVISOR_sched_op(SCHEDOP_block, NULL));
	woke = time_now();
	local_irq_enable();
	timer_reprogram();
	EXPECT_FIRED_FOR(woke, deadline);
}

static int poll_until(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
	struct sched_poll sp = {.nr_ports = n, .timeout = timeout};

	set_xen_guest_handle(sp.ports, ports);
	return HYPERVISOR_sched_op(SCHEDOP_poll, &sp);
}

/* SCHEDOP_poll on a port that stays quiet returns at its timeout. */
TEST(poll, returns_after_timeout)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF,
					  .remote_dom = DOMID_SELF};
	uint64_t deadline, back;

	ASSERT_OK(HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	deadline = time_now() + MS(30);
	EXPECT_OK(poll_until(&au.port, 1, deadline));
	back = time_now();
	EXPECT_FIRED_FOR(back, deadline);
	EXPECT_OK(close_raw(au.port));
}

/* ... and on the timer VIRQ's port, returns when the timer fires. */
TEST(poll, ends_on_timer_virq)
{
	evtchn_port_t port = timer_port();
	uint64_t deadline, back;

	watch_begin();
	deadline = time_now() + MS(20);
	EXPECT_EQ(set_timer_op(deadline), 0);
	EXPECT_OK(poll_until(&port, 1, deadline + MS(2000)));
	back = time_now();
	EXPECT_TRUE(evtchn_is_pending(port));
	watch_end();
	EXPECT_FIRED_FOR(back, deadline);
}

/* ---- pvguest's timers and sleep ------------------------------------------ */

TEST(sleep, sleeps_for_its_time)
{
	uint64_t t0 = time_now();

	sleep_ns(MS(30));
	EXPECT_FIRED_FOR(time_now(), t0 + MS(30));
}

static int sleep_on_vcpu1(void *arg)
{
	uint64_t *elapsed = arg;
	uint64_t t0 = time_now();

	sleep_ns(MS(30));
	*elapsed = time_now() - t0;
	return (int)smp_processor_id();
}

TEST(sleep, on_vcpu1)
{
	uint64_t elapsed = 0;

	EXPECT_EQ(run_on(1, sleep_on_vcpu1, &elapsed), 1);
	EXPECT_GE(elapsed + EARLY_NS, MS(30));
	EXPECT_LE(elapsed, MS(30) + LATE_NS);
}

struct order {
	int seen[3];
	int n;
};

static void record_order(void *arg)
{
	struct order *o = (struct order *)((uintptr_t)arg & ~3UL);

	o->seen[o->n++] = (int)((uintptr_t)arg & 3);
}

/* Timers set out of order run in deadline order; a stopped one never. */
TEST(sleep, timers_run_in_order)
{
	struct order o __aligned(8) = {{0}, 0};
	struct timer t[4];
	uint64_t now = time_now();

	for (uintptr_t i = 0; i < 4; i++)
		timer_init(&t[i], record_order, (void *)((uintptr_t)&o | i));
	timer_set(&t[2], now + MS(30));
	timer_set(&t[0], now + MS(10));
	timer_set(&t[3], now + MS(15));
	timer_set(&t[1], now + MS(20));
	timer_stop(&t[3]);
	sleep_ns(MS(50));
	EXPECT_EQ(o.n, 3);
	EXPECT_EQ(o.seen[0], 0);
	EXPECT_EQ(o.seen[1], 1);
	EXPECT_EQ(o.seen[2], 2);
	EXPECT_FALSE(timer_pending(&t[3]));
}

static struct waitq never = WAITQ_INIT;

TEST(sleep, wait_with_timeout)
{
	uint64_t t0 = time_now();
	bool ok = wait_event_until(never, false, t0 + MS(20));

	EXPECT_FALSE(ok);
	EXPECT_FIRED_FOR(time_now(), t0 + MS(20));
}
