/*
 * The freestanding string library shared by the hypervisor and pvguest
 * (lib/string.c, lib/strutil.c). Host-compiled unit tests use the C
 * library's own mem* and str* functions instead.
 */
#ifndef PARAVANE_STRING_H
#define PARAVANE_STRING_H

#include <stddef.h>
#include <stdint.h>

#ifdef PARAVANE_HOST_TEST
#include <string.h>
#else
// lib/string.c
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

// lib/strutil.c (also built for host tests)
size_t strlcpy(char *dst, const char *src, size_t size);
uint64_t parse_uint(const char *s, const char **end);
uint64_t parse_size(const char *s, const char **end);

#endif /* PARAVANE_STRING_H */
