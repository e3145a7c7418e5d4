/*
 * A guest that cannot survive its own mistake, for the integration tests
 * of domain crashes. The command line picks the mistake:
 *
 *   unhandled   clear the trap table, then execute ud2: there is no
 *               handler to bounce to
 *   badstack    point the stack at an unmapped address, then trap: the
 *               bounce frame cannot be written
 *
 * Either way the hypervisor must crash this domain, print its registers,
 * and carry on.
 */
#include <guest/app.h>
#include <guest/bootinfo.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/hypercall.h>
#include <guest/shutdown.h>

/* Commit the requested mistake; returning means it did not crash us. */
int app_main(void)
{
	if (cmdline_is("crash", "unhandled")) {
		printk("crash: clearing the trap table, then ud2\n");
		HYPERVISOR_set_trap_table(NULL);
		__asm__ __volatile__("ud2");
	} else if (cmdline_is("crash", "badstack")) {
		printk("crash: trapping on an unmapped stack\n");
		__asm__ __volatile__("mov $0x10000, %%rsp\n\t"
				     "int3" ::
					     : "memory");
	}
	printk("crash: still alive\n");
	return EXIT_FAILED;
}
