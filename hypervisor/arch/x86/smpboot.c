/*
 * Bringing up the application processors listed in the ACPI MADT. Each
 * gets its per-CPU state first (stacks, GDT, TSS, SYSCALL stubs), then an
 * INIT and two start-up IPIs that send it through the real-mode
 * trampoline (boot/trampoline.S) into start_secondary() on its own stack.
 * The boot CPU waits for each to come online before starting the next.
 *
 *   maxcpus=<n>   use at most n CPUs, the boot CPU included (default: all)
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <hv/traps.h>

#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/smp.h>

#define TRAMPOLINE_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

extern const char trampoline_start[], trampoline_end[], trampoline_data[];

static void *trampoline_l4;

void start_secondary(void) __noreturn;

/* An AP's first C: adopt its per-CPU state and join the scheduler. */
void start_secondary(void)
{
	unsigned int cpu = smp_processor_id();

	write_cr3(paddr_x(virt_to_maddr(idle_l4)));
	percpu_load(cpu);
	trap_init();
	cpu_enable_features();
	lapic_init();
	lapic_timer_init();
	if (timer_init_cpu(cpu) || sched_init_cpu(cpu))
		panic("CPU %u: no memory for its scheduler\n", cpu);
	__atomic_fetch_or(&cpu_online_map, 1UL << cpu, __ATOMIC_RELEASE);
	local_irq_enable();
	idle_loop();
}

/* A page below 4 GiB (the trampoline loads CR3 in 32-bit mode). */
static void *low_page(void)
{
	void *p = alloc_xenheap_pages(0);

	if (p && paddr_x(virt_to_maddr(p)) >= (1UL << 32)) {
		free_xenheap_pages(p, 0);
		p = NULL;
	}
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/* The trampoline's page table: the hypervisor's, plus low 1 GiB 1:1. */
static int build_trampoline_table(void)
{
	pte_t *l3, *l2;

	trampoline_l4 = low_page();
	l3 = low_page();
	l2 = low_page();
	if (!trampoline_l4 || !l3 || !l2)
		return -ENOMEM;
	memcpy(trampoline_l4, idle_l4, PAGE_SIZE);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		l2[i] = ((uint64_t)i << L2_SHIFT) | TRAMPOLINE_TABLE_FLAGS |
			_PAGE_PSE;
	l3[0] = pte_from_mfn(virt_to_mfn(l2), TRAMPOLINE_TABLE_FLAGS);
	((pte_t *)trampoline_l4)[0] =
		pte_from_mfn(virt_to_mfn(l3), TRAMPOLINE_TABLE_FLAGS);
	return 0;
}

static bool boot_one(unsigned int cpu, uint32_t apic_id,
		     struct trampoline_data *data)
{
	s_time_t deadline;

	if (percpu_init_cpu(cpu)) {
		pr_warn("CPU %u: no memory for its stacks\n", cpu);
		return false;
	}
	percpu_area[cpu].apic_id = apic_id;
	data->stack = stack_primary_top(percpu_area[cpu].stack_block);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_init(apic_id);
	udelay(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_startup(apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
		udelay(200);
	}
	deadline = NOW() + SECONDS(1);
	while (!cpu_online(cpu) && NOW() < deadline)
		cpu_relax();
	return cpu_online(cpu);
}

/* Start every processor the MADT lists. */
static unsigned int opt_maxcpus = NR_CPUS;
integer_param("maxcpus", opt_maxcpus);

void smp_boot_cpus(void)
{
	struct trampoline_data *data = maddr_to_virt(
		_paddr(TRAMPOLINE_PHYS + ((uintptr_t)trampoline_data -
					  (uintptr_t)trampoline_start)));
	uint32_t bsp = lapic_id();
	unsigned int cpu = 1;

	if (acpi.nr_cpus < 2 || opt_maxcpus < 2)
		return;
	if (build_trampoline_table()) {
		pr_warn("SMP: no memory for the trampoline; one CPU only\n");
		return;
	}
	memcpy(maddr_to_virt(_paddr(TRAMPOLINE_PHYS)), trampoline_start,
	       (uintptr_t)trampoline_end - (uintptr_t)trampoline_start);
	data->cr3 = paddr_x(virt_to_maddr(trampoline_l4));
	data->entry = (uintptr_t)start_secondary;

	for (unsigned int i = 0;
	     i < acpi.nr_cpus && cpu < MIN(opt_maxcpus, NR_CPUS); i++) {
		uint32_t id = acpi.cpu_apic_ids[i];

		if (id == bsp)
			continue;
		if (boot_one(cpu, id, data)) {
			nr_online_cpus++;
			cpu++;
		} else {
			pr_warn("CPU with APIC ID %u did not come up\n", id);
		}
	}
	pr_info("SMP: %u CPU(s) online\n", nr_online_cpus);
}
