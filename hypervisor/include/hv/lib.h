/*
 * The hypervisor's small C library: logging, assertions, panics and the
 * string and number helpers every subsystem uses.
 */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <paravane/compiler.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hv/errno.h>
#include <paravane/printf.h>
#include <paravane/string.h>

/* Log levels, most severe first; loglvl= on the command line picks the cut. */
enum log_level {
	LOG_ERR = 1,
	LOG_WARN = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
};

// common/printk.c
void printk_level(enum log_level lvl, const char *fmt, ...) __printf(2, 3);
void vprintk_level(enum log_level lvl, const char *fmt, va_list ap);
void printk_set_level(enum log_level lvl);
enum log_level printk_get_level(void);
size_t printk_read_ring(char *buf, size_t max, uint32_t *index, bool from_index,
			bool clear);
void printk_force_unlock(void);
void printk_raw(const char *s, size_t len);

#define printk(...) printk_level(LOG_INFO, __VA_ARGS__)
#define pr_err(...) printk_level(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk_level(LOG_WARN, __VA_ARGS__)
#define pr_info(...) printk_level(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk_level(LOG_DEBUG, __VA_ARGS__)

// common/panic.c
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void assert_failed(const char *expr, const char *file, int line) __noreturn;

/* ASSERT is for Paravane's own bugs only; a guest's mistake is an errno. */
#define ASSERT(p)                                                              \
	do {                                                                   \
		if (unlikely(!(p)))                                            \
			assert_failed(#p, __FILE__, __LINE__);                 \
	} while (0)
#define BUG() assert_failed("BUG", __FILE__, __LINE__)

#endif /* HV_LIB_H */
