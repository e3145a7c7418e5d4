/*
 * dom0: the privileged domain's program. It reads its ramdisk, enters
 * itself as Domain-0, starts xenstored (tools/xenstore/dom0), starts
 * every domain configured in /etc/xl/auto,
 * runs the commands given on its command line, then reads commands at
 * the "dom0# " prompt for ever (until "poweroff").
 *
 * Command-line options (after pvguest's own):
 *
 *   xl.auto=0          do not autostart /etc/xl/auto
 *   xl.run="CMD; CMD"  run these commands first (for tests and scripts);
 *                      it must be the last option: the rest of the line
 *                      (or what the quotes enclose) is the command list
 */
#include "xl.h"

#include <guest/app.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <paravane/string.h>
#include <xenstore/dom0.h>

#define RUN_KEY "xl.run="

/*
 * The text after "xl.run=", unquoted, into buf; false if absent. Boot
 * loaders pass quotes on differently: GRUB turns xl.run="a; b" into
 * "xl.run=a; b" (quotes around the whole word) and puts a backslash
 * before each \, ' and " inside, which is undone here; Xen passes it
 * as is.
 */
static bool run_option(char *buf, size_t size)
{
	const char *line = cmdline_text(), *p = line, *v = NULL;
	bool quoted = false;
	size_t len;

	while (!v) {
		const char *hit = p;

		while (*hit && strncmp(hit, RUN_KEY, strlen(RUN_KEY)))
			hit++;
		if (!*hit)
			return false;
		if (hit == line || hit[-1] == ' ' || hit[-1] == '"') {
			quoted = hit > line && hit[-1] == '"';
			v = hit + strlen(RUN_KEY);
		}
		p = hit + 1;
	}
	if (*v == '"') {
		quoted = true;
		v++;
	}
	for (len = 0; *v && !(quoted && *v == '"') && len + 1 < size; v++) {
		if (*v == '\\' && (v[1] == '\\' || v[1] == '\'' || v[1] == '"'))
			v++;
		buf[len++] = *v;
	}
	buf[len] = '\0';
	return true;
}

static void run_commands(void)
{
	static char cmds[XL_LINE_MAX * 2];
	char *p = cmds;

	if (!run_option(cmds, sizeof(cmds)))
		return;
	while (*p) {
		char *end = strchr(p, ';');

		if (end)
			*end = '\0';
		while (*p == ' ')
			p++;
		if (*p) {
			printk("dom0# %s\n", p);
			xl_run_line(p);
		}
		if (!end)
			break;
		p = end + 1;
	}
}

/* dom0's main program. */
int app_main(void)
{
	printk("dom0: Paravane's toolstack; type 'help' for the commands\n");
	ramdisk_init();
	domains_init();
	xenstored_start(); /* before any domain: they find each other there */
	xl_events_init();
	xl_console_init();
	if (!cmdline_is("xl.auto", "0"))
		create_autostart();
	run_commands();
	prompt_show();
	prompt_input(); /* anything typed before we were listening */
	for (;;) {
		bool input;

		if (xl_events_wait(0, &input))
			xl_events_sleep_ms(
				100); /* should not happen; do not spin */
		if (input)
			prompt_input();
	}
}
