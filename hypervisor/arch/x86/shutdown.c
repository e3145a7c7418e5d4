/*
 * Halting the machine. After a panic the CPU stops with interrupts off.
 * With the debug_exit option (used by tests under QEMU), the final status
 * is also written to the isa-debug-exit port, so the run ends by itself.
 * When dom0 powers off, so does the machine (ACPI S5; QEMU exits).
 */
#include <hv/lib.h>
#include <hv/param.h>
#include <hv/shutdown.h>

#include <xen/sched.h>

#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/shutdown.h>
#include <asm/processor.h>
#include <paravane/qemu_exit.h>

static bool opt_debug_exit;
boolean_param("debug_exit", opt_debug_exit);

/* Whether the run reports its end through QEMU's isa-debug-exit device. */
bool debug_exit_enabled(void)
{
	return opt_debug_exit;
}

static void __noreturn stop_cpu(void)
{
	for (;;) {
		local_irq_disable();
		__asm__ __volatile__("hlt");
	}
}

/* Stop this CPU for good; panicked says whether this is a failure. */
void machine_halt(bool panicked)
{
	local_irq_disable();
	pr_err("System halted.\n");
	if (opt_debug_exit)
		outb(PARAVANE_DEBUG_EXIT_PORT,
		     panicked ? PARAVANE_EXIT_PANIC : PARAVANE_EXIT_SUCCESS);
	stop_cpu();
}

static void __noreturn machine_restart(void)
{
	local_irq_disable();
	pr_err("Rebooting.\n");
	outb(0x64, 0xfe); /* pulse the reset line through the 8042 */
	stop_cpu();
}

/*
 * dom0 shut down: the machine follows. Under test (debug_exit), a power
 * off reports success and anything else failure, so a test run's
 * verdict is its dom0's shutdown reason.
 */
void hardware_domain_shutdown(unsigned int reason)
{
	if (opt_debug_exit)
		machine_test_exit(reason == SHUTDOWN_poweroff
					  ? PARAVANE_EXIT_SUCCESS
					  : PARAVANE_EXIT_FAILURE);
	if (reason == SHUTDOWN_reboot)
		machine_restart();
	if (reason == SHUTDOWN_poweroff) {
		pr_info("dom0 has powered off; powering off.\n");
		local_irq_disable();
		acpi_power_off();
		pr_warn("ACPI power-off failed.\n");
	}
	pr_info("dom0 has shut down; halting.\n");
	machine_halt(false);
}

/* End a test run with one of the PARAVANE_EXIT_* codes. */
void machine_test_exit(unsigned int code)
{
	local_irq_disable();
	pr_info("Test run finished (exit code %#x).\n", code);
	if (opt_debug_exit)
		outb(PARAVANE_DEBUG_EXIT_PORT, (uint8_t)code);
	stop_cpu();
}
