/*
 * Boot-time entry points of the x86 bring-up.
 */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

#include <hv/bootinfo.h>

extern struct boot_info boot_info;

// arch/x86/mm_init.c
void mm_init(const struct boot_info *bi);

// arch/x86/selftest.c
bool selftest_requested(void);
void selftest_run(void);

#endif /* ASM_SETUP_H */
