/*
 * The guest command line (start_info.cmd_line): words separated by
 * spaces, each "key" or "key=value". Later words override earlier ones.
 */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

// kernel/cmdline.c
void cmdline_init(const char *line, size_t max);
const char *cmdline_text(void);
bool cmdline_get(const char *key, char *buf, size_t size);
bool cmdline_has(const char *key);
bool cmdline_is(const char *key, const char *value);
unsigned long cmdline_uint(const char *key, unsigned long def);

#endif /* GUEST_CMDLINE_H */
