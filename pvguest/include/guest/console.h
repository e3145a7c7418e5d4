/*
 * The console layer: printk() formats a message and hands it to every
 * registered console. Dom0 writes through the console_io hypercall
 * (kernel/console_io.c); a domU's PV console ring (io/console.h) will be
 * one more struct console. Output before the first console registers is
 * kept and replayed to it.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <paravane/compiler.h>
#include <stdarg.h>
#include <stddef.h>

/* A console output device. */
struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	struct console *next;
};

// kernel/console.c
void console_register(struct console *con);
void console_write(const char *s, size_t len);
int vprintk(const char *fmt, va_list ap);
int printk(const char *fmt, ...) __printf(1, 2);

// kernel/console_io.c
void console_io_init(void);

#endif /* GUEST_CONSOLE_H */
