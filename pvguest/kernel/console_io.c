/*
 * The hypervisor console: output through HYPERVISOR_console_io
 * (CONSOLEIO_write). Xen writes the initial domain's text straight to its
 * own serial console; a domU's goes to Xen's log only on a debug build,
 * so domUs will use the PV console ring instead once it exists.
 */
#include <guest/console.h>
#include <guest/hypercall.h>

static void console_io_write(const char *s, size_t len)
{
	while (len) {
		int n = len > 4096 ? 4096 : (int)len;

		if (HYPERVISOR_console_io(CONSOLEIO_write, n, s) < 0)
			return; /* nowhere left to report it */
		s += n;
		len -= (size_t)n;
	}
}

static struct console console_io_console = {
	.name = "console_io",
	.write = console_io_write,
};

/* Register the console_io console. */
void console_io_init(void)
{
	console_register(&console_io_console);
}
