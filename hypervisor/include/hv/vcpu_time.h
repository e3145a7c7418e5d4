/*
 * Guest time and vCPU timers (common/vcpu_time.c).
 */
#ifndef HV_VCPU_TIME_H
#define HV_VCPU_TIME_H

#include <hv/time.h>

struct domain;
struct vcpu;

// common/vcpu_time.c
void wallclock_init(void);
void update_domain_wallclock(struct domain *d);
void update_vcpu_system_time(struct vcpu *v);
void vcpu_timers_init(struct vcpu *v);
void vcpu_timers_start(struct vcpu *v);
void vcpu_timers_stop(struct vcpu *v);
void vcpu_set_singleshot(struct vcpu *v, s_time_t deadline);
void vcpu_set_periodic(struct vcpu *v, s_time_t period);
long do_set_timer_op(uint64_t timeout);

#endif /* HV_VCPU_TIME_H */
