/*
 * The credit scheduler's policy (common/sched_credit.c), used by the
 * scheduler core (common/schedule.c).
 */
#ifndef HV_SCHED_CREDIT_H
#define HV_SCHED_CREDIT_H

#include <hv/time.h>
#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

#define CSCHED_DEFAULT_WEIGHT 256
#define CSCHED_MAX_WEIGHT 65535

// common/sched_credit.c
void csched_init(void);
int csched_init_cpu(unsigned int cpu);
void csched_vcpu_init(struct vcpu *v);
void csched_wake(struct vcpu *v);
void csched_context_saved(struct vcpu *v);
void csched_sleep(struct vcpu *v);
struct vcpu *csched_schedule(unsigned int cpu, struct vcpu *prev, s_time_t now,
			     bool yielded);
int csched_set_params(struct domain *d, uint16_t weight, uint16_t cap);
void csched_get_params(const struct domain *d, uint16_t *weight, uint16_t *cap);
int csched_set_affinity(struct vcpu *v, uint64_t cpumask);

#endif /* HV_SCHED_CREDIT_H */
