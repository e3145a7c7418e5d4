/*
 * Domains and virtual CPUs.
 *
 * A domain owns memory (its page list), a shared_info page, event state
 * and up to max_vcpus vCPUs. Each physical CPU also has an idle vCPU in
 * the idle domain, which runs when nothing else can. `current` is the
 * vCPU the running CPU executes.
 *
 * Life cycle: domain_create() -> (builder) -> domain_unpause() -> running
 * -> domain_shutdown(reason) (the guest asked, or domain_crash()) ->
 * domain_destroy() (issue of domain control: dom0's toolstack).
 *
 * Lock order: domlist_lock, then a domain's lock, then its
 * page_alloc_lock, then the heap lock.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/event.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/timer.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

#include <asm/domain.h>
#include <asm/spinlock.h>

#define MAX_VIRT_CPUS_PER_DOMAIN XEN_LEGACY_MAX_VCPUS

/* vCPU pause flags: why a vCPU cannot run. */
#define VPF_blocked (1UL << 0) /* waiting for an event (block, poll, hlt) */
#define VPF_down (1UL << 1)    /* not brought up */
#define VPF_crashed (1UL << 2) /* its domain crashed or shut down */

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;
	unsigned int processor; /* the CPU it runs on */
	struct vcpu_info *vcpu_info;

	unsigned long pause_flags; /* VPF_*: runnable when zero */
	bool is_initialised; /* has a context to run (builder, VCPUOP_initialise) */
	int pause_count;     /* domain_pause() nesting */
	bool is_running;
	struct vcpu *next_in_runq;
	bool on_runq;

	/* Credit scheduler (sched_credit.c): CPU time owed, in ns. */
	s_time_t credit, credit_since;
	bool boosted;	       /* woke with credit: runs before the rest */
	bool moving;	       /* off its CPU for affinity, not woken */
	uint64_t cpu_affinity; /* CPUs it may run on */

	/* SCHEDOP_poll: the ports polled and the timeout. */
	struct timer poll_timer;
	bool polling;

	/* Guest timers (common/vcpu_time.c), raising VIRQ_TIMER. */
	struct timer singleshot_timer, periodic_timer;
	s_time_t periodic_period, periodic_next;

	/* Time spent in each RUNSTATE_* (VCPUOP_get_runstate_info), and
	 * the guest's copy of it (register_runstate_memory_area). */
	struct vcpu_runstate_info runstate;
	unsigned long runstate_area;

	/* A vcpu_info moved into a guest page (register_vcpu_info). */
	struct page_info *vcpu_info_page;

	/* A hypercall left its continuation in the registers. */
	bool hcall_preempted;

	/* The port each VIRQ of this vCPU is bound to (0: none). */
	evtchn_port_t virq_to_evtchn[NR_VIRQS];

	struct arch_vcpu arch;
};

struct domain {
	domid_t domain_id;
	bool is_privileged;
	struct domain *next_in_list;

	spinlock_t lock;
	unsigned int max_vcpus;
	struct vcpu **vcpu;

	struct shared_info *shared_info;

	/* Event channels: buckets of ports, allocated as ports are used. */
	spinlock_t event_lock;
	struct evtchn *evtchn_buckets[NR_EVTCHN_BUCKETS];
	unsigned int max_evtchns; /* ports 0 .. max_evtchns - 1 */

	/* Grant table (common/grant_table.c): its grants and its mappings. */
	struct grant_table *grant_table;

	/* Memory: frames this domain owns, linked through page_info.list. */
	spinlock_t page_alloc_lock;
	uint32_t page_list_head;
	unsigned long tot_pages, max_pages;

	/*
	 * Lifetime: one reference for being alive (dropped when destroyed),
	 * one per holder of get_domain(), one while any frame still names
	 * this domain as owner. At zero the domain leaves the domain list
	 * (until then a destroyed domain is listed, dying) and is freed.
	 */
	int refcnt;
	unsigned long owned_frames;
	bool is_dying;		/* destruction under way: refuse new work */
	bool controller_paused; /* paused by dom0 (domctl), as created */
	xen_domain_handle_t handle;
	unsigned int destroy_stage; /* how far domain_destroy() got */

	/* Shutdown: reason latched by SCHEDOP_shutdown_code or shutdown. */
	bool is_shutting_down;
	bool is_shut_down;
	unsigned int shutdown_code; /* SHUTDOWN_*, or SHUTDOWN_CODE_NONE */
	int pause_count;

	unsigned long vm_assist;

	/* Credit scheduler: share, limit (percent of a CPU; 0 none). */
	unsigned int weight, cap, active_vcpus;
	uint64_t acct_cpus; /* CPUs its active vCPUs may use (accounting) */
	int64_t acct_share; /* its credit this period, once fixed */

	/* CPUs that may hold this domain's translations in their TLBs. */
	uint64_t dirty_cpumask;

	struct arch_domain arch;
};

#define SHUTDOWN_CODE_NONE (~0U)

static inline struct vcpu *get_current(void)
{
	return get_cpu_info()->current_vcpu;
}
#define current get_current()

static inline void set_current(struct vcpu *v)
{
	get_cpu_info()->current_vcpu = v;
}

static inline bool is_idle_domain(const struct domain *d)
{
	return d->domain_id == DOMID_IDLE;
}

static inline bool is_idle_vcpu(const struct vcpu *v)
{
	return is_idle_domain(v->domain);
}

static inline bool vcpu_runnable(const struct vcpu *v)
{
	return !READ_ONCE(v->pause_flags) && !READ_ONCE(v->pause_count) &&
	       !READ_ONCE(v->domain->pause_count);
}

extern struct domain *idle_domain;
extern struct domain *hardware_domain; /* dom0 */

// common/domain.c
struct domain *domain_create(domid_t id, bool privileged,
			     unsigned int max_vcpus);
struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu);
struct domain *get_domain_by_id(domid_t id);
struct domain *get_domain_by_any_id(domid_t id);
bool get_domain(struct domain *d);
void put_domain(struct domain *d);
int domain_destroy(struct domain *d);
void domlist_read_lock(void);
void domlist_read_unlock(void);
struct domain *first_domain(void);
struct domain *next_domain(struct domain *d);
struct domain *get_dying_or_live_domain(domid_t id);
int domain_assign_pages(struct domain *d, struct page_info *pg,
			unsigned int order);
void domain_release_page(struct page_info *pg);
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
void share_hv_page_with_guest(void *page, struct domain *d);
int idle_domain_init(void);

// common/schedule.c
void scheduler_init(void);
int sched_init_cpu(unsigned int cpu);
void vcpu_wake(struct vcpu *v);
void vcpu_kick(struct vcpu *v);
void vcpu_block(void);
void vcpu_yield(void);
void vcpu_sleep(struct vcpu *v);
void schedule(void);
void idle_loop(void) __noreturn;
unsigned long sched_lock(void);
void sched_unlock(unsigned long flags);
struct vcpu *current_on(unsigned int cpu);
void sched_context_switched(struct vcpu *prev, struct vcpu *next);
bool hypercall_preempt_check(void);

#endif /* HV_SCHED_H */
