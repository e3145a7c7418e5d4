/*
 * Per-vCPU data: each vCPU that pvguest runs has one struct cpu, and its
 * guest kernel GS base points at it (set with set_segment_base for vCPU
 * 0, through the vcpu_guest_context for the others). this_cpu() is then
 * a single %gs-relative load, valid from the first line of
 * start_kernel() and in every trap and event handler.
 *
 * Threads never move between vCPUs (sched/), so a thread may keep what
 * this_cpu() returned for as long as it runs.
 */
#ifndef GUEST_PERCPU_H
#define GUEST_PERCPU_H

#include <guest/xen.h>
#include <stdbool.h>

/* vCPUs pvguest can run: those with a vcpu_info slot in shared_info. */
#define MAX_CPUS XEN_LEGACY_MAX_VCPUS

struct thread;

struct cpu {
	struct cpu *self;	/* at %gs:0, for this_cpu() */
	unsigned int id;	/* the vCPU number Xen knows it by */
	vcpu_info_t *vcpu_info; /* in shared_info, or a registered page */
	struct thread *current; /* the thread running on it */
	void *boot_stack;	/* the stack it started on (its idle thread) */
	volatile bool online;	/* running pvguest, takes threads */
};

/* The vCPU the caller runs on. */
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	__asm__("movq %%gs:0, %0" : "=r"(c));
	return c;
}

/* The number of the vCPU the caller runs on. */
static inline unsigned int smp_processor_id(void)
{
	return this_cpu()->id;
}

// kernel/smp.c
void percpu_init_boot(void);
struct cpu *cpu_of(unsigned int id);
bool cpu_online(unsigned int id);
unsigned int nr_cpus(void);

#endif /* GUEST_PERCPU_H */
