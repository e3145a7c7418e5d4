/*
 * Softirqs. A pending bit per CPU and per softirq; do_softirq() runs the
 * handlers of this CPU's pending bits, lowest number first, until none is
 * left. Handlers run with interrupts enabled.
 */
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/softirq.h>

#include <asm/processor.h>
#include <asm/smp.h>

static softirq_handler_t handlers[NR_SOFTIRQS];
static unsigned long pending[NR_CPUS];

/* Install the handler of a softirq. */
void open_softirq(enum softirq_nr nr, softirq_handler_t fn)
{
	handlers[nr] = fn;
}

/* Mark a softirq pending on a CPU (it runs there). */
void cpu_raise_softirq(unsigned int cpu, enum softirq_nr nr)
{
	if (!(__atomic_fetch_or(&pending[cpu], 1UL << nr, __ATOMIC_SEQ_CST) &
	      (1UL << nr)))
		smp_send_event_check(cpu); /* nothing if cpu is this one */
}

/* Mark a softirq pending on this CPU. */
void raise_softirq(enum softirq_nr nr)
{
	cpu_raise_softirq(smp_processor_id(), nr);
}

/* Whether a CPU has softirq work. */
bool softirq_pending(unsigned int cpu)
{
	return __atomic_load_n(&pending[cpu], __ATOMIC_RELAXED) != 0;
}

/* Run this CPU's pending softirqs. */
void do_softirq(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long bits;
	bool irqs_on = local_irq_is_enabled();

	while ((bits = __atomic_exchange_n(&pending[cpu], 0,
					   __ATOMIC_SEQ_CST))) {
		local_irq_enable();
		for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++)
			if ((bits & (1UL << nr)) && handlers[nr])
				handlers[nr]();
		local_irq_disable();
	}
	if (irqs_on)
		local_irq_enable();
}
