/*
 * start_kernel(): pvguest's bring-up, in order. head.S calls it on the
 * kernel stack with Xen's start_info and the boot stack pointer; each
 * step may rely on the ones above it. The program linked with the
 * library (app_main) runs last, and its result is the shutdown code.
 */
#include <guest/app.h>
#include <guest/bootinfo.h>
#include <guest/console.h>
#include <guest/mm.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>
#include <guest/traps.h>
#include <paravane/version.h>

/* Bring the kernel up, run the program, and power off with its result. */
void __noreturn start_kernel(const start_info_t *si, unsigned long boot_sp)
{
	bootinfo_init(si, boot_sp); /* start_info and the command line */
	console_io_init();	    /* printk through console_io */
	shutdown_init();	    /* exit=port */
	printk("Paravane pvguest %s (%s)\n", PARAVANE_VERSION, PARAVANE_ABI);
	bootinfo_print();
	shared_info_init(); /* vcpu_info: event mask, cr2 */
	traps_init();	    /* trap table, event and failsafe callbacks */
	mm_init();	    /* p2m, frame allocator, direct map, heap */
	kernel_exit(app_main());
}
