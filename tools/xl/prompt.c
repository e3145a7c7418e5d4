/*
 * dom0's console prompt: "dom0# ", a line read with
 * HYPERVISOR_console_io(CONSOLEIO_read) and echoed as it is typed
 * (backspace erases, Ctrl-U clears the line, Ctrl-C abandons it, escape
 * sequences such as arrow keys are ignored), then run by xl_run_line().
 * Messages that arrive meanwhile (a domain shut down) are printed on
 * their own line and the prompt, with what was typed, is shown again.
 */
#include "xl.h"

#include <guest/console.h>
#include <guest/hypercall.h>

#define PROMPT "dom0# "
#define READ_CHUNK 64

static char line[XL_LINE_MAX];
static size_t len;
static bool shown, last_was_cr;
static enum { PLAIN, ESCAPE, CSI } esc;

/* Show the prompt and the line typed so far. */
void prompt_show(void)
{
	printk(PROMPT "%.*s", (int)len, line);
	shown = true;
}

/* Move off the prompt's line (before printing something else). */
void prompt_hide(void)
{
	if (shown)
		printk("\n");
	shown = false;
}

/* Print a message from the toolstack without garbling the prompt. */
void xl_log(const char *fmt, ...)
{
	bool was_shown = shown;
	va_list ap;

	prompt_hide();
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	if (was_shown)
		prompt_show();
}

static void enter(void)
{
	printk("\n");
	shown = false;
	line[len] = '\0';
	len = 0;
	xl_run_line(line);
	prompt_show();
}

static void key(char c)
{
	bool cr = c == '\r';

	if (esc != PLAIN) { /* skip ESC [ ... final */
		if (esc == ESCAPE)
			esc = c == '[' ? CSI : PLAIN;
		else if (c >= 0x40 && c <= 0x7e)
			esc = PLAIN;
		return;
	}
	if (c == '\n' && last_was_cr) {
		last_was_cr = false;
		return; /* the second half of CR LF */
	}
	last_was_cr = cr;
	switch (c) {
	case '\r':
	case '\n': enter(); break;
	case 0x7f:
	case '\b':
		if (len) {
			len--;
			printk("\b \b");
		}
		break;
	case 0x15: /* Ctrl-U */
		while (len) {
			len--;
			printk("\b \b");
		}
		break;
	case 0x03: /* Ctrl-C */
		printk("^C\n");
		len = 0;
		prompt_show();
		break;
	case 0x1b: esc = ESCAPE; break;
	default:
		if (c >= 0x20 && c < 0x7f && len + 1 < sizeof(line)) {
			line[len++] = c;
			printk("%c", c);
		}
		break;
	}
}

/* Read and handle everything typed so far. */
void prompt_input(void)
{
	char buf[READ_CHUNK];
	int n;

	while ((n = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf)) >
	       0)
		for (int i = 0; i < n; i++)
			key(buf[i]);
}
