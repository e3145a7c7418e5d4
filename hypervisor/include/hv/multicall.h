/*
 * Hypercall dispatch state shared by the table and the multicall code.
 */
#ifndef HV_MULTICALL_H
#define HV_MULTICALL_H

#include <hv/percpu.h>
#include <stdbool.h>
#include <xen/xen.h>

struct mc_state {
	bool active;		/* inside do_multicall */
	bool preempted;		/* the current entry left a continuation */
	multicall_entry_t call; /* the entry being executed */
};

extern struct mc_state mc_state[NR_CPUS];

// arch/x86/pv/hypercall.c
long hypercall_call(unsigned long op, const unsigned long *args);

#endif /* HV_MULTICALL_H */
