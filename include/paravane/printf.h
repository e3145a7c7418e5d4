/*
 * Formatted output into a buffer (lib/vsnprintf.c), shared by the
 * hypervisor and pvguest.
 */
#ifndef PARAVANE_PRINTF_H
#define PARAVANE_PRINTF_H

#include <paravane/compiler.h>
#include <stdarg.h>
#include <stddef.h>

// lib/vsnprintf.c
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* PARAVANE_PRINTF_H */
