/*
 * start_kernel(): pvguest's bring-up, in order. head.S calls it on the
 * kernel stack with Xen's start_info and the boot stack pointer; each
 * step may rely on the ones above it. The program linked with the
 * library (app_main) runs last, on the boot context (now the thread
 * "main" of vCPU 0), and its result is the shutdown code.
 *
 * A domU's console is its io/console.h ring, which needs events and
 * time; until it registers, printk keeps the text and replays it then.
 *
 * Events stay masked (as Xen starts every vCPU) until the upcall handler,
 * the timer and the scheduler are ready; the secondary vCPUs come up
 * after that, since bringing one up waits for it with events on.
 */
#include <guest/app.h>
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/events.h>
#include <guest/mm.h>
#include <guest/percpu.h>
#include <guest/sched.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>
#include <guest/smp.h>
#include <guest/time.h>
#include <guest/traps.h>
#include <guest/xenbus.h>
#include <paravane/version.h>

/* Bring the kernel up, run the program, and power off with its result. */
void __noreturn start_kernel(const start_info_t *si, unsigned long boot_sp)
{
	percpu_init_boot();	    /* vCPU 0's struct cpu, this_cpu() */
	bootinfo_init(si, boot_sp); /* start_info and the command line */
	if (!console_ring_present())
		console_io_init(); /* printk through console_io (dom0) */
	shutdown_init();	   /* exit=port */
	printk("Paravane pvguest %s (%s)\n", PARAVANE_VERSION, PARAVANE_ABI);
	bootinfo_print();
	shared_info_init();    /* vcpu_info: event mask, cr2 */
	traps_init();	       /* trap table, event and failsafe callbacks */
	mm_init();	       /* p2m, frame allocator, direct map, heap */
	events_init();	       /* every port masked, upcall handler ready */
	time_init();	       /* periodic tick off, VIRQ_TIMER bound */
	console_ring_init();   /* a domU's console: the io/console.h ring */
	sched_init();	       /* this context becomes thread "main" */
	local_irq_enable();    /* events on */
	smp_init();	       /* the other vCPUs ("cpus=N") */
	xenbus_control_init(); /* a domU hears xl shutdown ("xenbus=off") */
	kernel_exit(app_main());
}
