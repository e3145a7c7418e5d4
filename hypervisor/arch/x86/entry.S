/*
 * Interrupt and exception entry. Every vector has a 16-byte stub that
 * pushes a zero error code when the CPU does not, records the vector in
 * the upper half of the error-code slot and joins common_interrupt. There
 * the general registers are pushed to complete a struct cpu_user_regs
 * (the layout of Xen's public header), and do_interrupt() gets a pointer
 * to it. The frame is restored as saved, so handlers may edit it.
 *
 * Paravane does not use %gs for per-CPU data (guests own both GS bases),
 * so no entry path needs swapgs and NMIs need no special care.
 */
#include <asm/desc.h>
#include <asm-offsets.h>

.macro SAVE_ALL
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro RESTORE_ALL
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm

	.section .text.entry, "ax"
	.balign 16
	.globl vector_stubs
vector_stubs:
vec = 0
.rept NR_VECTORS
	.balign 16
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code. */
	.if vec != 8 && (vec < 10 || vec > 14) && vec != 17 && vec != 21 && vec != 29 && vec != 30
	pushq	$0
	.endif
	movl	$vec, 4(%rsp)
	jmp	common_interrupt
vec = vec + 1
.endr

common_interrupt:
	cld
	SAVE_ALL
	mov	%rsp, %rdi
	sub	$8, %rsp			/* 16-byte aligned call */
	call	do_interrupt
	add	$8, %rsp
	RESTORE_ALL
	add	$8, %rsp			/* error code and vector */
	iretq

/*
 * SYSCALL from ring 3 arrives at a per-CPU stub (see cpu.c) that saves
 * %rax in the ss slot of this CPU's guest frame, switches to the top of
 * the primary stack, pushes the caller's %rsp and jumps here. We complete
 * the frame as an exception would have built it.
 */
	.globl lstar_enter
lstar_enter:
	movq	8(%rsp), %rax			/* the caller's %rax back */
	movq	$0, 8(%rsp)			/* ss, filled in by C */
	pushq	%r11				/* rflags */
	pushq	$0				/* cs, filled in by C */
	pushq	%rcx				/* rip */
	pushq	$0
	movl	$0x100, 4(%rsp)			/* not a vector: syscall */
	cld
	SAVE_ALL
	mov	%rsp, %rdi
	sub	$8, %rsp
	call	do_syscall
	add	$8, %rsp
	RESTORE_ALL
	add	$8, %rsp
	iretq

/* SYSCALL from 32-bit code in ring 3 (a compat process of a PV guest). */
	.globl cstar_enter
cstar_enter:
	movq	8(%rsp), %rax
	movq	$0, 8(%rsp)
	pushq	%r11
	pushq	$0
	pushq	%rcx
	pushq	$0
	movl	$0x101, 4(%rsp)			/* not a vector: compat syscall */
	cld
	SAVE_ALL
	mov	%rsp, %rdi
	sub	$8, %rsp
	call	do_syscall
	add	$8, %rsp
	RESTORE_ALL
	add	$8, %rsp
	iretq
