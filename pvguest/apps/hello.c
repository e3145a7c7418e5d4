/*
 * The smallest pvguest kernel: say hello and power off. Also a check that
 * the memory code works: a heap allocation and a mapping of it in the
 * map area, read back through both addresses.
 */
#include <guest/app.h>
#include <guest/console.h>
#include <guest/heap.h>
#include <guest/memlayout.h>
#include <guest/pagetable.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

/* Print hello and check the heap and a mapping; 0 if all is well. */
int app_main(void)
{
	char *msg = kmalloc(PAGE_SIZE);
	void *window = (void *)MAPAREA_BASE;
	int rc;

	printk("Hello from the Paravane PV guest kernel!\n");
	if (!msg)
		return EXIT_FAILED;
	strlcpy(msg, "read back through a second mapping", PAGE_SIZE);
	rc = map_frame(window,
		       virt_to_mfn((void *)((unsigned long)msg & PAGE_MASK)),
		       0);
	if (rc) {
		printk("hello: map_frame failed (%d)\n", rc);
		return EXIT_FAILED;
	}
	printk("hello: %s\n",
	       (const char *)window + ((unsigned long)msg & ~PAGE_MASK));
	unmap(window);
	kfree(msg);
	return EXIT_OK;
}
