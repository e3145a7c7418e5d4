/*
 * start_paravane(): the boot CPU's path from the first line of C to the
 * idle loop. It reads as the table of contents of the hypervisor's
 * bring-up; each step lives in its own file.
 */
#include <hv/bootinfo.h>
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/sched.h>
#include <hv/softirq.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <hv/vcpu_time.h>
#include <hv/traps.h>
#include <paravane/version.h>

#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/domain_build.h>
#include <asm/irq.h>
#include <asm/m2p.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/smp.h>

#define MB2_INFO_MAX (64 * 1024)

extern const struct kernel_param __setup_start[], __setup_end[];

struct boot_info boot_info;

void start_paravane(uint32_t mbi_pa) __noreturn;

static void print_modules(const struct boot_info *bi)
{
	pr_info("Boot modules: %u%s\n", bi->nr_mods,
		bi->mods_truncated ? " (more were given; ignored)" : "");
	for (unsigned int i = 0; i < bi->nr_mods; i++) {
		const struct boot_module *m = &bi->mods[i];

		pr_info("  module %u: %016lx - %016lx (%lu KiB) '%s'\n", i,
			paddr_x(m->start), paddr_x(m->start) + m->size,
			DIV_ROUND_UP(m->size, 1024), m->cmdline);
	}
}

static void __noreturn start_paravane_late(void)
{
	acpi_init(&boot_info);
	pic_disable();
	lapic_init();
	ioapic_init();
	pirq_init();
	console_init_irq();
	time_init();
	lapic_timer_init();
	wallclock_init();
	if (timer_init_cpu(0))
		panic("no memory for the timer queue\n");
	open_softirq(TIMER_SOFTIRQ, timer_softirq_action);
	if (idle_domain_init() || sched_init_cpu(0))
		panic("cannot create the idle vCPU\n");
	scheduler_init();
	smp_init();
	local_irq_enable();
	smp_boot_cpus();

	pr_info("Paravane ready: %u CPU(s) found, %lu MiB free\n", acpi.nr_cpus,
		heap_free_pages() >> 8);
	if (selftest_requested())
		selftest_run();
	create_dom0();
	idle_loop();
}

/* Called by the boot path (boot/head.S) in long mode on the boot stack. */
void start_paravane(uint32_t mbi_pa)
{
	struct boot_info *bi = &boot_info;
	int rc;

	console_init_early();
	percpu_early_init_bsp();
	trap_init();

	rc = mb2_parse(maddr_to_virt(_paddr(mbi_pa)), MB2_INFO_MAX, bi);
	if (rc)
		panic("malformed multiboot2 information at %#x\n", mbi_pa);
	cmdline_parse(bi->cmdline, __setup_start,
		      ((uintptr_t)__setup_end - (uintptr_t)__setup_start) /
			      sizeof(struct kernel_param));
	console_init();

	pr_info("Paravane %s, a paravirtualizing microhypervisor (guest ABI: %s)\n",
		PARAVANE_VERSION, PARAVANE_ABI);
	pr_info("Command line: %s\n", bi->cmdline);

	cpu_identify(&boot_cpu);
	cpu_print_info(&boot_cpu);
	cpu_enable_features();
	print_modules(bi);
	mm_init(bi);
	m2p_init();

	rc = percpu_init_cpu(0);
	if (rc)
		panic("cannot set up the boot CPU's stacks and GDT (%d)\n", rc);
	percpu_load(0);
	reset_stack_and_jump(percpu_area[0].stack_block, start_paravane_late);
}
