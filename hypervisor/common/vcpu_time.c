/*
 * Time as guests see it, and their timers.
 *
 * Each vCPU's vcpu_info holds a vcpu_time_info: system time (ns since the
 * hypervisor started its clock) at a TSC stamp, and the TSC-to-ns scale,
 * so the guest computes the time from its own rdtsc. Updates follow the
 * version protocol: the version is odd while the fields change. The wall
 * clock at system time zero is in shared_info (wc_sec, wc_nsec), from the
 * CMOS clock at boot.
 *
 * Timers raise VIRQ_TIMER on their vCPU: the one-shot timer
 * (set_timer_op, VCPUOP_set_singleshot_timer) and the periodic one
 * (VCPUOP_set_periodic_timer; 10 ms by default, as on Xen).
 */
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/vcpu_time.h>

#define DEFAULT_PERIOD MILLISECS(10)

static uint64_t boot_wallclock_sec; /* epoch seconds at system time 0 */
static uint32_t boot_wallclock_nsec;

/* Read the wall clock once, for every domain's shared_info. */
void wallclock_init(void)
{
	uint64_t rtc = rtc_read_epoch();
	s_time_t now = NOW();

	/* The RTC second started somewhere before now; take now as its start. */
	boot_wallclock_sec = rtc - (uint64_t)(now / SECONDS(1));
	boot_wallclock_nsec = (uint32_t)(now % SECONDS(1));
	if (boot_wallclock_nsec) {
		boot_wallclock_sec--;
		boot_wallclock_nsec = SECONDS(1) - boot_wallclock_nsec;
	}
	printk("Wall clock: %lu s since the epoch at boot\n",
	       (unsigned long)boot_wallclock_sec);
}

/* Write the wall clock into d's shared_info (version protocol). */
void update_domain_wallclock(struct domain *d)
{
	struct shared_info *s = d->shared_info;

	if (!s)
		return;
	WRITE_ONCE(s->wc_version, s->wc_version + 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->wc_sec = (uint32_t)boot_wallclock_sec;
	s->wc_sec_hi = (uint32_t)(boot_wallclock_sec >> 32);
	s->wc_nsec = boot_wallclock_nsec;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(s->wc_version, s->wc_version + 1);
}

/* Refresh v's vcpu_time_info from the TSC (version protocol). */
void update_vcpu_system_time(struct vcpu *v)
{
	const struct time_scale *sc = tsc_to_ns_scale();
	struct vcpu_time_info *t;
	uint64_t tsc;

	if (!v->vcpu_info)
		return;
	t = &v->vcpu_info->time;
	WRITE_ONCE(t->version, (t->version + 1) | 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tsc = rdtsc_ordered();
	t->tsc_timestamp = tsc;
	t->system_time = (uint64_t)tsc_to_system_time(tsc);
	t->tsc_to_system_mul = sc->mul;
	t->tsc_shift = sc->shift;
	t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	WRITE_ONCE(t->version, t->version + 1);
}

static void singleshot_fired(void *data)
{
	send_guest_vcpu_virq(data, VIRQ_TIMER);
}

/*
 * The periodic timer, as Xen's vcpu_periodic_timer_work(): tick now if
 * a whole period has passed since the last tick, then arm for one
 * period after the last tick. periodic_next is the last tick plus the
 * period (just the last tick while no period is set). Runs when the
 * timer fires, when the period is set, and when the vCPU is scheduled
 * in (its timer is stopped while it is not running); never under the
 * scheduler lock, since it raises an event.
 */
static void periodic_work(struct vcpu *v)
{
	s_time_t now = NOW();

	if (!v->periodic_period)
		return;
	if (now >= v->periodic_next) {
		send_guest_vcpu_virq(v, VIRQ_TIMER);
		v->periodic_next = now + v->periodic_period;
	}
	set_timer(&v->periodic_timer, v->periodic_next);
}

static void periodic_fired(void *data)
{
	periodic_work(data);
}

/* Give a new vCPU its timers, on the CPU it runs on. */
void vcpu_timers_init(struct vcpu *v)
{
	init_timer(&v->singleshot_timer, singleshot_fired, v, v->processor);
	init_timer(&v->periodic_timer, periodic_fired, v, v->processor);
	v->periodic_period = DEFAULT_PERIOD;
	v->periodic_next = DEFAULT_PERIOD; /* as if it last ticked at 0 */
}

/* Stop a vCPU's timers (going down, or its domain is dying). */
void vcpu_timers_stop(struct vcpu *v)
{
	stop_timer(&v->singleshot_timer);
	stop_timer(&v->periodic_timer);
	stop_timer(&v->poll_timer);
}

/* Arm (or with 0, stop) the one-shot timer at absolute system time. */
void vcpu_set_singleshot(struct vcpu *v, s_time_t deadline)
{
	if (!deadline) {
		stop_timer(&v->singleshot_timer);
		return;
	}
	set_timer(&v->singleshot_timer, deadline); /* past: fires at once */
}

/* Start (period > 0) or stop the periodic timer. */
void vcpu_set_periodic(struct vcpu *v, s_time_t period)
{
	s_time_t last = v->periodic_next - v->periodic_period;

	stop_timer(&v->periodic_timer);
	v->periodic_period = period;
	v->periodic_next = last + period;
	periodic_work(v);
}

/* A vCPU is scheduled in: its periodic timer runs again (see above). */
void vcpu_timers_start(struct vcpu *v)
{
	periodic_work(v);
}

/*
 * HYPERVISOR_set_timer_op(timeout): the one-shot timer; 0 stops it.
 * Like Xen, a timeout that looks wrapped (top bit set, or more than
 * 2^50 ns, about 13 days, ahead) is taken as "in 100 ms": old guests set
 * such values when they had no timer due, or after a jiffies wrap.
 */
long do_set_timer_op(uint64_t timeout)
{
	s_time_t t = (s_time_t)timeout, ahead = t - NOW();

	if (t < 0 || (ahead > 0 && (ahead >> 50)))
		t = NOW() + MILLISECS(100);
	vcpu_set_singleshot(current, t);
	return 0;
}
