/*
 * A line of console input, edited as a terminal's cooked mode would:
 * printable characters are echoed, backspace (DEL or BS) erases one,
 * Ctrl-U the whole line, and CR, LF or CR LF ends it. Other control
 * characters and escape sequences (arrow keys) are ignored.
 */
#include <guest/console.h>

/*
 * Read one line into buf (NUL-terminated, at most size - 1 characters;
 * the rest of a longer line is dropped). Returns its length, or a
 * negative errno from console_read().
 */
long console_readline(char *buf, size_t size)
{
	static bool last_was_cr;
	size_t len = 0;
	bool esc = false;

	if (!size)
		return 0;
	for (;;) {
		int c = console_getc();

		if (c < 0)
			return c;
		if (c == '\n' && last_was_cr) {
			last_was_cr = false;
			continue; /* the second half of CR LF */
		}
		last_was_cr = c == '\r';
		if (esc) { /* ESC [ ... final byte */
			esc = c == '[' || (c >= 0x20 && c < 0x40);
			continue;
		}
		if (c == '\r' || c == '\n')
			break;
		if (c == 0x7f || c == '\b') {
			if (len) {
				len--;
				console_write("\b \b", 3);
			}
		} else if (c == 0x15) { /* Ctrl-U */
			for (; len; len--)
				console_write("\b \b", 3);
		} else if (c == 0x1b) {
			esc = true;
		} else if (c >= 0x20 && c < 0x7f && len + 1 < size) {
			buf[len++] = (char)c;
			console_write(&buf[len - 1], 1);
		}
	}
	console_write("\n", 1);
	buf[len] = '\0';
	return (long)len;
}
