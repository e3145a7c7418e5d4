/*
 * Ending the kernel.
 *
 * A clean end is SCHEDOP_shutdown_code with the result code, then
 * SCHEDOP_shutdown(SHUTDOWN_poweroff). Xen keeps the first code given
 * and reports it as the domain's shutdown reason, so on real Xen a
 * non-zero code shows as that reason (1: "reboot"). A crash is
 * SCHEDOP_shutdown(SHUTDOWN_crash).
 *
 * "exit=port" on the command line additionally writes the result to
 * QEMU's isa-debug-exit port, so a dom0 test run ends QEMU itself (Xen
 * halts but leaves QEMU running when dom0 powers off). Port I/O needs the
 * virtual IOPL raised first (PHYSDEVOP_set_iopl), as a Linux dom0 does.
 */
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/hypercall.h>
#include <guest/processor.h>
#include <guest/shutdown.h>
#include <paravane/qemu_exit.h>

static bool exit_port;

/* Read the shutdown options from the command line. */
void shutdown_init(void)
{
	exit_port = cmdline_is("exit", "port");
}

static void report_to_port(unsigned int value)
{
	struct physdev_set_iopl iopl = {.iopl = 1};
	int rc;

	if (!exit_port)
		return;
	rc = HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl);
	if (rc) {
		printk("pvguest: exit=port: set_iopl failed (%d)\n", rc);
		return;
	}
	outb(PARAVANE_DEBUG_EXIT_PORT, (uint8_t)value);
}

static void __noreturn shutdown(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

/* Power off with a result code (EXIT_OK, EXIT_FAILED or the app's own). */
void __noreturn kernel_exit(int code)
{
	struct sched_shutdown s = {.reason = (unsigned int)code};
	int rc;

	printk("pvguest: powering off (code %d)\n", code);
	rc = HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &s);
	if (rc)
		printk("pvguest: SCHEDOP_shutdown_code failed (%d)\n", rc);
	report_to_port(code == EXIT_OK ? PARAVANE_EXIT_SUCCESS
				       : PARAVANE_EXIT_FAILURE);
	shutdown(SHUTDOWN_poweroff);
}

/* Shut down for reason (SHUTDOWN_reboot, ...), as the toolstack asked. */
void __noreturn kernel_shutdown(unsigned int reason)
{
	printk("pvguest: shutting down (reason %u)\n", reason);
	shutdown(reason);
}

/* Crash the domain: Xen reports it (and, for dom0, stops the machine). */
void __noreturn kernel_crash(void)
{
	printk("pvguest: crashing the domain\n");
	report_to_port(PARAVANE_EXIT_FAILURE);
	shutdown(SHUTDOWN_crash);
}

/* Report a fatal kernel error and crash. */
void __noreturn panic(const char *fmt, ...)
{
	va_list ap;

	/* Too early for the console ring: console_io is all there is. */
	if (!console_registered())
		console_io_init();
	printk("pvguest: panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	kernel_crash();
}
