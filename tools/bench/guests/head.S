/*
 * The start of a minimal benchmark domU (tools/bench/guests): Xen's ELF
 * notes, the hypercall page and an entry point, nothing more. Such a
 * kernel has no trap table, no event callback and no memory management
 * of its own: guest_main(start_info) runs on the boot stack that the
 * domain builder set up and must never return. Built for dom0's
 * benchmarks (tools/bench/dombench.c), where a whole guest kernel's
 * start of day would hide what is measured.
 *
 * The image is linked with physical addresses equal to virtual ones
 * (minimal.ld), so VIRT_BASE and PADDR_OFFSET are both its start.
 */
#include <paravane/xen_note.h>
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "Paravane-bench")
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad __image_start)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad __image_start)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad _start)
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)

	/* Filled with int3; the builder has the hypervisor write the stubs. */
	.section .text.hypercall_page, "ax"
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill	4096, 1, 0xcc
	.size	hypercall_page, 4096

	/* rsi: start_info's address; rsp: the top of the boot stack. */
	.section .text.head, "ax"
	.globl _start
_start:
	cld
	mov	%rsi, %rdi
	xor	%ebp, %ebp
	call	guest_main
	ud2
