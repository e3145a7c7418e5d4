/*
 * One-shot timers with callbacks. Each CPU has a queue (a binary min-heap
 * ordered by expiry); the local APIC timer is programmed for the earliest
 * entry, and expired timers run from TIMER_SOFTIRQ on the timer's CPU.
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/time.h>
#include <stdbool.h>

struct timer {
	s_time_t expires;
	void (*fn)(void *data);
	void *data;
	unsigned int cpu;
	unsigned int heap_pos; /* 1-based position in its heap; 0: inactive */
};

// common/timer.c
void init_timer(struct timer *t, void (*fn)(void *), void *data,
		unsigned int cpu);
int set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
bool timer_is_active(const struct timer *t);
int timer_init_cpu(unsigned int cpu);
void timer_softirq_action(void);
s_time_t timer_next_deadline(unsigned int cpu);

// arch hook: program this CPU's timer interrupt (0: none needed)
void reprogram_timer(s_time_t deadline);

#endif /* HV_TIMER_H */
