/*
 * A domU that answers on its console: each line typed into it (xl
 * console, or dom0's "send") comes back in capitals. It shows the PV
 * console both ways, input through the ring's in[] and the answer
 * through out[], and is what the console round-trip tests talk to.
 *
 *   echo> hello paravane
 *   HELLO PARAVANE
 *
 * "poweroff" powers the domain off.
 */
#include <guest/app.h>
#include <guest/console.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

#define LINE 160

/* Read lines and answer them until "poweroff". */
int app_main(void)
{
	char line[LINE];
	long n;

	printk("echo: ready; every line typed here comes back in capitals\n");
	for (;;) {
		printk("echo> ");
		n = console_readline(line, sizeof(line));
		if (n < 0) {
			printk("echo: this domain has no console input (%ld)\n",
			       n);
			return EXIT_FAILED;
		}
		if (!strcmp(line, "poweroff"))
			return EXIT_OK;
		for (long i = 0; i < n; i++)
			if (line[i] >= 'a' && line[i] <= 'z')
				line[i] = (char)(line[i] - 'a' + 'A');
		printk("%s\n", line);
	}
}
