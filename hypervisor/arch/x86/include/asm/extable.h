/*
 * Exception fixups (see extable.c).
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#include <stdbool.h>
#include <stdint.h>

extern bool smap_enabled;

// arch/x86/extable.c
uintptr_t search_exception_table(uintptr_t rip);

#endif /* ASM_EXTABLE_H */
