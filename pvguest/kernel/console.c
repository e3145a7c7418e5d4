/*
 * The console layer and printk().
 *
 * printk() formats into a buffer on the stack (lib/vsnprintf.c), so it
 * may be called from a trap handler that interrupted another printk().
 * Messages go to every registered console. Until the first console
 * registers they are kept in early_buf, and each console replays that
 * buffer when it registers, so a domU's ring console, which comes up
 * once events and time work, still shows the boot messages.
 */
#include <guest/console.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define PRINTK_MAX 512
#define EARLY_BUF_SIZE 4096

static struct console *consoles;
static char early_buf[EARLY_BUF_SIZE];
static size_t early_len;

/* Add a console; it first receives what was printed before any existed. */
void console_register(struct console *con)
{
	if (early_len)
		con->write(early_buf, early_len);
	con->next = consoles;
	consoles = con;
}

/* Whether any console has registered (until then text is only kept). */
bool console_registered(void)
{
	return consoles != NULL;
}

/* Write len bytes to every console (or keep them until one registers). */
void console_write(const char *s, size_t len)
{
	struct console *con;

	if (!consoles) {
		size_t room = sizeof(early_buf) - early_len;
		size_t n = len < room ? len : room;

		memcpy(early_buf + early_len, s, n);
		early_len += n;
		return;
	}
	for (con = consoles; con; con = con->next)
		con->write(s, len);
}

/* Format and print a message; returns the length it would have had. */
int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_MAX];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;

	console_write(buf, len);
	return n;
}

/* Format and print a message; returns the length it would have had. */
int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
