/*
 * String and memory helpers, implemented in common/string.c (the compiler
 * may also inline its builtins for the mem* functions).
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <stddef.h>
#include <stdint.h>

#ifdef PARAVANE_HOST_TEST
#include <string.h>
#else
// common/string.c
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

// common/strutil.c (also built for host tests)
size_t strlcpy(char *dst, const char *src, size_t size);
uint64_t parse_uint(const char *s, const char **end);
uint64_t parse_size(const char *s, const char **end);

#endif /* HV_STRING_H */
