/*
 * The state of the one fake CPU: its interrupt flag and TLB
 * (fake/asm/processor.h), the locks it holds (fake/asm/spinlock.h), its
 * number (fake/asm/stack.h) and what CPUID says about it
 * (asm/cpufeature.h). Interrupts start enabled, as in a running
 * hypervisor; the CPU has 40 physical address bits, as QEMU's default.
 * CPUs 0 and 1 are online; flush_tlb_mask() records its mask and flushes
 * the fake TLB when the mask holds the current CPU. A test may set
 * fake_after_unlock to act as another CPU would in the moment after some
 * lock is released.
 */
#include <asm/cpufeature.h>
#include <asm/smp.h>
#include <asm/spinlock.h>
#include <asm/stack.h>

#include "fake.h"

#define MAX_HELD 16

bool fake_irq_enabled = true;
struct fake_tlb fake_tlb;
struct cpu_info fake_cpu_info;
cpumask_t cpu_online_map = 0x3;
unsigned int nr_online_cpus = 2;
struct cpuinfo boot_cpu = {.phys_addr_bits = 40, .virt_addr_bits = 48};

static spinlock_t *held[MAX_HELD];
static unsigned int nr_held;

void (*fake_after_unlock)(spinlock_t *l);

void fake_lock_acquired(spinlock_t *l)
{
	if (nr_held == MAX_HELD)
		assert_failed("fake spinlock: too many locks held", __FILE__,
			      __LINE__);
	held[nr_held++] = l;
}

void fake_lock_released(spinlock_t *l)
{
	for (unsigned int i = 0; i < nr_held; i++) {
		if (held[i] == l) {
			held[i] = held[--nr_held];
			break;
		}
	}
	if (fake_after_unlock)
		fake_after_unlock(l);
}

/* How many locks the CPU holds now. */
unsigned int fake_locks_held(void)
{
	return nr_held;
}

/*
 * After an expected assertion failure unwound a critical section: drop
 * every held lock and re-enable interrupts, as panic handling would.
 */
void fake_cpu_recover(void)
{
	while (nr_held)
		held[--nr_held]->held = false;
	fake_irq_enabled = true;
	fake_after_unlock = NULL;
}

/* Make smp_processor_id() return cpu. */
void fake_set_cpu(unsigned int cpu)
{
	fake_cpu_info.cpu_id = cpu;
}

void flush_tlb_mask(cpumask_t mask)
{
	fake_tlb.mask_flushes++;
	fake_tlb.last_mask = mask;
	if (mask & (1UL << fake_cpu_info.cpu_id))
		flush_tlb_all_local();
}
