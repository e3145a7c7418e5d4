/*
 * The console layer: printk() formats a message and hands it to every
 * registered console. Dom0 writes through the console_io hypercall
 * (kernel/console_io.c); a domU whose builder gave it a console ring
 * writes into that io/console.h ring instead (drivers-front/console),
 * which also brings typed input (console_read()). Output before the
 * first console registers is kept and replayed to it.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <paravane/compiler.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A console output device. */
struct console {
	const char *name;
	void (*write)(const char *s, size_t len);
	struct console *next;
};

// kernel/console.c
void console_register(struct console *con);
bool console_registered(void);
void console_write(const char *s, size_t len);
int vprintk(const char *fmt, va_list ap);
int printk(const char *fmt, ...) __printf(1, 2);

// kernel/console_io.c
void console_io_init(void);

// drivers-front/console/front.c
bool console_ring_present(void);
void console_ring_init(void);
long console_read(char *buf, size_t len);
int console_getc(void);

// drivers-front/console/readline.c
long console_readline(char *buf, size_t size);

#endif /* GUEST_CONSOLE_H */
