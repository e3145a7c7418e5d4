/*
 * Trap, event and failsafe entry, and the one return path.
 *
 * Xen bounces an exception to the handler named in the trap table with
 * rcx, r11, [error code], rip, cs, rflags, rsp, ss on the stack (see
 * guest/traps.h). Each stub restores rcx and r11, evens out the error
 * code, pushes its vector and joins trap_common, which saves the other
 * registers into a struct trap_frame and calls do_trap().
 *
 * Every return goes through the iret hypercall, even kernel to kernel:
 * Xen then restores the event mask from the frame's rflags.IF in the same
 * step as it returns, so no event can slip in between clearing the mask
 * and leaving (the window a plain iretq would open, since IF is not ours
 * to change in ring 3). The iret stub pushes rcx, r11 and rax itself and
 * wants [flags], rip, cs, rflags, rsp, ss above them.
 */
#include <guest/traps.h>
#include <guest/xen.h>

/* A trap whose vector pushes no error code: make room for one. */
.macro TRAP_NOERR name, vector
	.globl \name
\name:
	pop	%rcx
	pop	%r11
	pushq	$0
	pushq	$\vector
	jmp	trap_common
.endm

/* A trap whose vector pushes an error code (8, 10-14, 17, 21). */
.macro TRAP_ERR name, vector
	.globl \name
\name:
	pop	%rcx
	pop	%r11
	pushq	$\vector
	jmp	trap_common
.endm

	.text
TRAP_NOERR divide_error, TRAP_DE
TRAP_NOERR debug, TRAP_DB
TRAP_NOERR int3, TRAP_BP
TRAP_NOERR overflow, TRAP_OF
TRAP_NOERR bounds, TRAP_BR
TRAP_NOERR invalid_op, TRAP_UD
TRAP_NOERR device_not_available, TRAP_NM
TRAP_ERR double_fault, TRAP_DF
TRAP_NOERR coprocessor_segment_overrun, 9
TRAP_ERR invalid_tss, TRAP_TS
TRAP_ERR segment_not_present, TRAP_NP
TRAP_ERR stack_segment, TRAP_SS
TRAP_ERR general_protection, TRAP_GP
TRAP_ERR page_fault, TRAP_PF
TRAP_NOERR coprocessor_error, TRAP_MF
TRAP_ERR alignment_check, TRAP_AC
TRAP_NOERR machine_check, TRAP_MC
TRAP_NOERR simd_error, TRAP_XM
TRAP_NOERR virtualization_exception, TRAP_VE
TRAP_ERR control_protection, TRAP_CP

/* Event upcall: rcx, r11, rip, cs, rflags, rsp, ss. */
TRAP_NOERR hypervisor_callback, TRAP_EVENT

/*
 * Failsafe callback: rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss.
 * The segment values are dropped; the handler reports and crashes.
 */
	.globl failsafe_callback
failsafe_callback:
	pop	%rcx
	pop	%r11
	add	$32, %rsp
	pushq	$0
	pushq	$TRAP_FAILSAFE
	jmp	trap_common

trap_common:
	cld
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	call	do_trap

	.globl trap_return
trap_return:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$8, %rsp		/* vector */
	movq	$0, (%rsp)		/* error code slot: iret flags, not in syscall */
	jmp	hypercall_page + __HYPERVISOR_iret * 32

/* The trap table's handlers, by vector; 0 where none is registered. */
	.section .rodata
	.balign 8
	.globl exception_entry
exception_entry:
	.quad divide_error, debug, 0, int3, overflow, bounds, invalid_op
	.quad device_not_available, double_fault, coprocessor_segment_overrun
	.quad invalid_tss, segment_not_present, stack_segment
	.quad general_protection, page_fault, 0, coprocessor_error
	.quad alignment_check, machine_check, simd_error
	.quad virtualization_exception, control_protection
	.size exception_entry, . - exception_entry
