/*
 * The hypervisor's own text symbols, for readable backtraces.
 */
#ifndef HV_SYMBOLS_H
#define HV_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

// common/symbols.c
const char *symbol_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size);
void print_symbol(const char *prefix, uintptr_t addr);

#endif /* HV_SYMBOLS_H */
