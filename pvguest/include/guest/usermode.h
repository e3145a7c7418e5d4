/*
 * Guest user mode.
 *
 * A 64-bit PV vCPU has two top-level page tables: the kernel's
 * (MMUEXT_NEW_BASEPTR) and the user's (MMUEXT_NEW_USER_BASEPTR). Xen
 * switches between them, and swaps the kernel and user GS bases, on every
 * transition: the iret hypercall to a CS with RPL 3 enters user mode, and
 * every bounce out of user mode (syscall, exception, event) enters kernel
 * mode on the stack named by stack_switch. Returning to user mode with no
 * user L4 crashes the domain.
 *
 * user_l4_create() builds a user L4 that shares every guest slot of the
 * kernel's, so code and data of the image are reachable from user mode
 * (Xen maps guest pages user-accessible in 64-bit PV); a caller may then
 * replace single slots with pt_fill().
 */
#ifndef GUEST_USERMODE_H
#define GUEST_USERMODE_H

#include <paravane/addr_types.h>
#include <paravane/compiler.h>
#include <stdbool.h>

// kernel/usermode.c
int user_l4_create(mfn_t *l4);
int user_l4_destroy(mfn_t l4);
int set_user_baseptr(mfn_t l4);
void __noreturn enter_user_mode(unsigned long rip, unsigned long rsp,
				bool events);

#endif /* GUEST_USERMODE_H */
