/*
 * Time: Xen's system time, the wall clock, and one-shot timers.
 *
 * System time is nanoseconds since the hypervisor started its clock, the
 * same on every vCPU. Each vCPU's vcpu_info holds a vcpu_time_info: the
 * system time at a TSC stamp and the TSC-to-ns scale; the guest reads
 * its TSC and extrapolates (time_now()). The wall clock is shared_info's
 * wc_sec/wc_nsec, the time of day at system time 0.
 *
 * Timers run on the vCPU that set them: each vCPU keeps its timers in
 * deadline order and asks Xen for a one-shot VIRQ_TIMER at the earliest
 * (VCPUOP_set_singleshot_timer, which a vCPU may only set for itself).
 * A timer's function runs from that VIRQ's handler, with events masked.
 * Xen's default 10 ms periodic timer is stopped on every vCPU at boot,
 * so an idle vCPU sleeps until something is due.
 */
#ifndef GUEST_TIME_H
#define GUEST_TIME_H

#include <guest/xen.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/event_channel.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

/* One vcpu_time_info, read consistently (version even and unchanged). */
struct time_record {
	uint32_t version;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t mul;
	int8_t shift;
	uint8_t flags;
};

struct timer {
	uint64_t deadline;     /* system time at which fn runs */
	void (*fn)(void *arg); /* runs once, events masked */
	void *arg;
	struct timer *next; /* in its vCPU's list, by deadline */
	int cpu;	    /* the vCPU whose list holds it, or -1 */
};

// time/clock.c
void time_record_read(const vcpu_time_info_t *t, struct time_record *r);
uint64_t time_scale_delta(uint64_t tsc_delta, uint32_t mul, int8_t shift);
uint64_t time_at_tsc(const struct time_record *r, uint64_t tsc);
uint64_t rdtsc_ordered(void);
uint64_t time_now(void);
void wallclock_read(uint64_t *sec, uint32_t *nsec);

// time/timer.c
void time_init(void);
void time_cpu_init(void);
evtchn_port_t time_virq_port(unsigned int cpu);
void timer_init(struct timer *t, void (*fn)(void *), void *arg);
void timer_set(struct timer *t, uint64_t deadline);
void timer_stop(struct timer *t);
bool timer_pending(const struct timer *t);
void timer_reprogram(void);

#endif /* GUEST_TIME_H */
