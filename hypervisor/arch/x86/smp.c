/*
 * Inter-processor interrupts:
 *
 *   EVENT_CHECK_VECTOR     "look at your softirqs / your guest's events"
 *   CALL_FUNCTION_VECTOR   run a function, then acknowledge
 *
 * A TLB shootdown is a function call: each CPU flushes, then acknowledges,
 * so when the caller goes on no CPU it named holds an old translation.
 * Calls go one at a time (call_lock). A CPU that waits for the lock or
 * for acknowledgements does so with interrupts enabled, so two CPUs
 * waiting on each other both make progress.
 */
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/traps.h>

#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/spinlock.h>

cpumask_t cpu_online_map = 1; /* the boot CPU */
unsigned int nr_online_cpus = 1;

static DEFINE_SPINLOCK(call_lock);
static struct {
	void (*fn)(void *);
	void *arg;
	cpumask_t pending;
} call_data;

static void event_check_interrupt(struct cpu_user_regs *regs)
{
	lapic_eoi(); /* the return path looks at softirqs and events */
}

static void call_function_interrupt(struct cpu_user_regs *regs)
{
	void (*fn)(void *) = call_data.fn;
	void *arg = call_data.arg;

	lapic_eoi();
	fn(arg);
	__atomic_fetch_and(&call_data.pending, ~(1UL << smp_processor_id()),
			   __ATOMIC_SEQ_CST);
}

/* Install the IPI handlers. */
void smp_init(void)
{
	set_irq_handler(EVENT_CHECK_VECTOR, event_check_interrupt);
	set_irq_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
}

static void send_ipi_mask(cpumask_t mask, uint8_t vector)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((mask >> cpu) & 1)
			lapic_send_ipi(percpu_area[cpu].apic_id, vector);
}

static void wait_for(cpumask_t *pending)
{
	unsigned long flags = read_rflags();

	local_irq_enable();
	while (__atomic_load_n(pending, __ATOMIC_SEQ_CST))
		cpu_relax();
	local_irq_restore(flags);
	if (!(flags & X86_EFLAGS_IF))
		local_irq_disable();
}

/* Make cpu notice its softirqs (and its guest's events) soon. */
void smp_send_event_check(unsigned int cpu)
{
	if (cpu != smp_processor_id() && cpu_online(cpu))
		lapic_send_ipi(percpu_area[cpu].apic_id, EVENT_CHECK_VECTOR);
}

/* Flush the TLBs (global entries included) of every CPU in mask. */
static void flush_this_cpu(void *unused)
{
	flush_tlb_all_local();
}

void flush_tlb_mask(cpumask_t mask)
{
	smp_call_function(mask, flush_this_cpu, NULL);
}

/* Run fn(arg) on every CPU in mask (this one too) and wait for them. */
void smp_call_function(cpumask_t mask, void (*fn)(void *), void *arg)
{
	unsigned int self = smp_processor_id();
	cpumask_t others = mask & cpu_online_map & ~(1UL << self);
	unsigned long flags;

	if (others) {
		flags = read_rflags();
		local_irq_enable();
		spin_lock(&call_lock);
		call_data.fn = fn;
		call_data.arg = arg;
		call_data.pending = others;
		send_ipi_mask(others, CALL_FUNCTION_VECTOR);
		wait_for(&call_data.pending);
		spin_unlock(&call_lock);
		local_irq_restore(flags);
		if (!(flags & X86_EFLAGS_IF))
			local_irq_disable();
	}
	if (mask & (1UL << self))
		fn(arg);
}
