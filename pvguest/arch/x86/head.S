/*
 * What Xen needs to boot the image: the ELF notes, the hypercall page
 * and the entry point. Nothing here is Paravane-specific, so the same
 * image boots on real Xen.
 *
 * Notes (see <xen/elfnote.h>). The image is linked with physical
 * addresses equal to virtual ones, so PADDR_OFFSET equals VIRT_BASE and
 * Xen maps the image at its link address; pfn 0 is its first page.
 *
 * Hypercall page. Named by the HYPERCALL_PAGE note; Xen writes a 32-byte
 * stub for each hypercall number into it while building the domain. It
 * is filled with int3 here, so a kernel booted without it traps.
 *
 * Entry. Xen starts the initial vCPU at _start in guest kernel mode (ring
 * 3, FLAT_KERNEL_CS) with rsi = the virtual address of start_info and rsp
 * at the top of a one-page boot stack in the bootstrap region; events are
 * masked. Switch to the kernel stack in .bss and enter C with
 * start_kernel(start_info, boot rsp).
 *
 * Secondary vCPUs start at secondary_entry, as kernel/smp.c asked in
 * VCPUOP_initialise: on their own stack, with rdi = their struct cpu
 * and their kernel GS base pointing at it, events masked.
 */
#include <guest/memlayout.h>
#include <paravane/version.h>
#include <paravane/xen_note.h>
#include <xen/elfnote.h>

	.section .note.Xen, "a", @note
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "Paravane")
	XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz PARAVANE_VERSION)
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad KERNEL_VIRT_BASE)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad KERNEL_VIRT_BASE)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad _start)
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)

	.section .text.hypercall_page, "ax"
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill	4096, 1, 0xcc
	.size	hypercall_page, 4096

	.section .text.head, "ax"
	.globl _start
_start:
	cld
	mov	%rsi, %rdi
	mov	%rsp, %rsi
	lea	kernel_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	call	start_kernel
	ud2

	.globl secondary_entry
secondary_entry:
	cld
	xor	%ebp, %ebp
	call	secondary_start
	ud2

	.section .bss.stack, "aw", @nobits
	.balign 4096
	.globl kernel_stack, kernel_stack_top
kernel_stack:
	.skip	KERNEL_STACK_SIZE
kernel_stack_top:
