/*
 * A simulated machine for the credit scheduler's tests: a fake clock, fake
 * timers run by the simulation when they expire, SCHEDULE_SOFTIRQ as a
 * per-CPU flag, and the scheduler core's part (schedule.c) played by
 * sched_fixture.c: it asks csched_schedule() what each CPU runs next,
 * switches to it and requeues the vCPU it left, as schedule() and
 * sched_context_switched() do. Time is charged to whatever each CPU runs,
 * so a test can compare the CPU time vCPUs got.
 *
 * Every decision is checked as it is made: the chosen vCPU is runnable,
 * allowed on the CPU, on no queue and not running elsewhere; a violation
 * fails the case at once. Include <cmocka.h> first.
 */
#ifndef UNIT_SCHED_FIXTURE_H
#define UNIT_SCHED_FIXTURE_H

#include <hv/sched.h>
#include <hv/sched_credit.h>

#define SIM_CPUS 2 /* CPUs 0 and 1, as fake/cpu.c has online */
#define SIM_MAX_VCPUS 16

struct sim {
	s_time_t now;
	struct vcpu *running[SIM_CPUS]; /* the idle vCPU when nothing */
	struct vcpu idle[SIM_CPUS];
	bool schedule_pending[SIM_CPUS];
	bool yielded[SIM_CPUS];
	unsigned long decisions, switches;
	struct vcpu *vcpus[SIM_MAX_VCPUS];
	s_time_t ran_on[SIM_MAX_VCPUS][SIM_CPUS]; /* CPU time per vCPU */
	unsigned int nr_vcpus;
};
extern struct sim sim;

int sim_setup(void **state);
int sim_teardown(void **state);
void sim_online_cpus(unsigned int n);
struct domain *sim_domain(domid_t id, unsigned int nr_vcpus, uint16_t weight,
			  uint16_t cap);
void sim_wake(struct vcpu *v);
void sim_sleep(struct vcpu *v);
void sim_yield(unsigned int cpu);
struct vcpu *sim_schedule(unsigned int cpu);
void sim_softirqs(void);
void sim_run(s_time_t duration);
s_time_t sim_ran(const struct vcpu *v);
s_time_t sim_ran_on(const struct vcpu *v, unsigned int cpu);
void sim_clear_ran(void);
bool sim_tick_active(unsigned int cpu);

#endif /* UNIT_SCHED_FIXTURE_H */
