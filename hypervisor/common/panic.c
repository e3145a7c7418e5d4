/*
 * panic() and failed assertions: report, show where, halt this machine.
 * Nothing after a panic is trusted, so the console lock is broken rather
 * than waited for, and a second panic while panicking just halts.
 */
#include <hv/lib.h>
#include <hv/shutdown.h>
#include <hv/percpu.h>
#include <hv/traps.h>

static int panicking;

/* Report a fatal error in Paravane itself and halt. */
void panic(const char *fmt, ...)
{
	va_list ap;

	local_irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		machine_halt(true);
	printk_force_unlock();
	pr_err("****************************************\n");
	pr_err("Panic on CPU %u:\n", smp_processor_id());
	va_start(ap, fmt);
	vprintk_level(LOG_ERR, fmt, ap);
	va_end(ap);
	pr_err("****************************************\n");
	show_backtrace_here();
	machine_halt(true);
}

/* An ASSERT() failed: a bug in Paravane. */
void assert_failed(const char *expr, const char *file, int line)
{
	panic("Assertion '%s' failed at %s:%d\n", expr, file, line);
}
