/*
 * The application processors' way into long mode. The boot CPU copies
 * this code to TRAMPOLINE_PHYS (below 1 MiB, page aligned: the start-up
 * IPI names its page) and fills in the data at its end: a page table
 * that maps the low megabyte one to one beside the hypervisor's own
 * slots, the long-mode entry point and the AP's stack. An AP starts here
 * in real mode at TRAMPOLINE_PHYS, with CS = TRAMPOLINE_PHYS >> 4.
 */
#include <asm/smp.h>

#define T(x) (TRAMPOLINE_PHYS + ((x) - trampoline_start))

	.section .rodata, "a"
	.balign 16
	.globl trampoline_start
	.globl trampoline_end
trampoline_start:
	.code16
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tramp_gdt_ptr - trampoline_start
	mov	%cr0, %eax
	or	$1, %eax			/* protected mode */
	mov	%eax, %cr0
	ljmpl	$0x08, $T(.Lpm32)

	.code32
.Lpm32:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%cr4, %eax
	or	$0x20, %eax			/* PAE */
	mov	%eax, %cr4
	mov	T(tramp_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER: LME, NXE, SCE */
	rdmsr
	or	$0x901, %eax
	wrmsr
	mov	%cr0, %eax
	or	$0x80010001, %eax		/* PG, WP, PE */
	mov	%eax, %cr0
	ljmp	$0x18, $T(.Llm64)

	.code64
.Llm64:
	mov	T(tramp_stack), %rsp
	mov	T(tramp_entry), %rax
	xor	%ebp, %ebp
	jmp	*%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff		/* 0x10: data */
	.quad 0x00af9a000000ffff		/* 0x18: 64-bit code */
tramp_gdt_ptr:
	.short tramp_gdt_ptr - tramp_gdt - 1
	.long T(tramp_gdt)

	.balign 8
	.globl trampoline_data
trampoline_data:
tramp_cr3:
	.quad 0
tramp_entry:
	.quad 0
tramp_stack:
	.quad 0
trampoline_end:
