/*
 * dom0's console prompt: "dom0# ", a line read with
 * HYPERVISOR_console_io(CONSOLEIO_read) and echoed as it is typed
 * (backspace erases, Ctrl-U clears the line, Ctrl-C abandons it, escape
 * sequences such as arrow keys are ignored), then run by xl_run_line().
 * Messages that arrive meanwhile (a domain shut down) are printed on
 * their own line and the prompt, with what was typed, is shown again.
 * Domains' console lines (the console backend's show) move the prompt
 * out of their way too, but it comes back only once they stop, so a
 * burst of lines is not interleaved with prompts.
 *
 * Input is read in chunks; a command that reads the console itself (xl
 * console) first gets the rest of the chunk its command line came in.
 */
#include "xl.h"

#include <guest/console.h>
#include <guest/hypercall.h>
#include <paravane/string.h>

#define PROMPT "dom0# "
#define READ_CHUNK 64

static char line[XL_LINE_MAX];
static size_t len;
static bool shown, last_was_cr;
static bool hidden; /* moved away for console lines; back when quiet */
static char input[READ_CHUNK];
static int input_len, input_pos; /* input[input_pos..input_len): unread */
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

/* Show domains' console lines (the console backend's show hook). */
void prompt_show_output(const char *text, size_t len)
{
	if (shown) {
		prompt_hide();
		hidden = true;
	}
	console_write(text, len);
}

/* The console lines stopped (the backend's quiet hook): prompt again. */
void prompt_output_quiet(void)
{
	if (hidden) {
		hidden = false;
		prompt_show();
	}
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
	shown = hidden = false;
	line[len] = '\0';
	len = 0;
	xl_run_line(line);
	prompt_show();
}

static void key(char c)
{
	bool cr = c == '\r';

	prompt_output_quiet(); /* typing brings the prompt back */

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

/*
 * Console input for a command that reads it itself: what the prompt has
 * read but not used, else what CONSOLEIO_read has. Returns the count.
 */
int prompt_read_input(char *buf, int max)
{
	int n = MIN(max, input_len - input_pos);

	if (n <= 0)
		return HYPERVISOR_console_io(CONSOLEIO_read, max, buf);
	memcpy(buf, input + input_pos, (size_t)n);
	input_pos += n;
	return n;
}

/* Read and handle everything typed so far. */
void prompt_input(void)
{
	for (;;) {
		if (input_pos == input_len) {
			int n = HYPERVISOR_console_io(CONSOLEIO_read,
						      sizeof(input), input);

			input_pos = input_len = 0;
			if (n <= 0)
				return;
			input_len = n;
		}
		key(input[input_pos++]);
	}
}
