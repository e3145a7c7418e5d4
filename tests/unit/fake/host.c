/*
 * Host versions of the hypervisor's logging and fatal-error services
 * (common/printk.c, common/panic.c) for unit tests. printk output is kept
 * in a buffer that tests inspect; panic() and a failed ASSERT() go to
 * cmocka's mock_assert(), so a test can expect them with
 * expect_assert_failure() and any other one fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hv/lib.h>

#include "fake.h"

static char log_buf[64 * 1024];
static size_t log_len;

/* Line-buffer stdout so that a crashing test loses no reported result. */
__attribute__((constructor)) static void unbuffer_stdout(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

void vprintk_level(enum log_level lvl, const char *fmt, va_list ap)
{
	size_t room = sizeof(log_buf) - log_len;
	int n = vsnprintf(log_buf + log_len, room, fmt, ap);

	if (n > 0)
		log_len += (size_t)n < room ? (size_t)n : room - 1;
}

void printk_level(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_level(lvl, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	static char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk_level(LOG_ERR, "panic: %s", msg);
	mock_assert(0, msg, __FILE__, __LINE__);
	abort(); /* not reached: mock_assert() leaves the test */
}

void assert_failed(const char *expr, const char *file, int line)
{
	printk_level(LOG_ERR, "assertion failed: %s at %s:%d\n", expr, file,
		     line);
	mock_assert(0, expr, file, line);
	abort(); /* not reached: mock_assert() leaves the test */
}

/* Everything printk'd since the last fake_log_clear(). */
const char *fake_log(void)
{
	return log_buf;
}

/* Forget the printk log. */
void fake_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

/* Whether the printk log contains s. */
bool fake_log_contains(const char *s)
{
	return strstr(log_buf, s) != NULL;
}
