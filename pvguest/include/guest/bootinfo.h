/*
 * What Xen handed the kernel at boot: start_info (left where Xen put it,
 * in the bootstrap region) and the initial stack pointer.
 */
#ifndef GUEST_BOOTINFO_H
#define GUEST_BOOTINFO_H

#include <guest/xen.h>
#include <stdbool.h>

/* The boot information, valid from bootinfo_init() on. */
extern const start_info_t *start_info;
/* rsp at entry: the top of Xen's boot stack. */
extern unsigned long boot_stack_pointer;

// kernel/bootinfo.c
void bootinfo_init(const start_info_t *si, unsigned long boot_sp);
void bootinfo_print(void);
bool is_initial_domain(void);

#endif /* GUEST_BOOTINFO_H */
