/*
 * A domU that keeps dom0's xenstored busy for dombench's xenstore
 * figures (tools/bench/dombench_xenstore.c): a pvguest kernel (it needs
 * the xenbus client, <guest/xenbus.h>) that writes a small value to
 * data/v under its home and reads it back, for ever, until dom0
 * destroys it. Every REPORT pairs it also writes how many it has made
 * to data/pairs, so that dom0 sees it running. A reply it did not
 * expect ends it (a crash), which dom0 notices.
 */
#include <guest/app.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <guest/shutdown.h>
#include <guest/xenbus.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define REPORT 32

static void __noreturn failed(const char *what, int rc)
{
	printk("xsload: %s: %s\n", what, errno_name(rc));
	kernel_crash();
}

int app_main(void)
{
	for (unsigned long k = 1;; k++) {
		char value[24], *back;
		int rc;

		snprintf(value, sizeof(value), "%lu", k);
		rc = xenbus_write(XBT_NIL, "data/v", value);
		if (rc)
			failed("write", rc);
		rc = xenbus_read(XBT_NIL, "data/v", &back);
		if (rc)
			failed("read", rc);
		if (strcmp(back, value))
			failed("read back another value", -EIO);
		kfree(back);
		if (k % REPORT == 0) {
			rc = xenbus_printf(XBT_NIL, "data/pairs", "%lu", k);
			if (rc)
				failed("report", rc);
		}
	}
	return EXIT_OK;
}
