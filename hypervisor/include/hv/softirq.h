/*
 * Softirqs: work raised from interrupt context and run later, with
 * interrupts enabled, from the idle loop or on the way back to a guest.
 */
#ifndef HV_SOFTIRQ_H
#define HV_SOFTIRQ_H

#include <stdbool.h>

enum softirq_nr {
	TIMER_SOFTIRQ,
	PIRQ_SOFTIRQ,
	CONSOLE_SOFTIRQ,
	SCHEDULE_SOFTIRQ, /* last: it may switch stacks and not return */
	NR_SOFTIRQS
};

typedef void (*softirq_handler_t)(void);

// common/softirq.c
void open_softirq(enum softirq_nr nr, softirq_handler_t fn);
void raise_softirq(enum softirq_nr nr);
void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr);
bool softirq_pending(unsigned int cpu);
void do_softirq(void);

#endif /* HV_SOFTIRQ_H */
