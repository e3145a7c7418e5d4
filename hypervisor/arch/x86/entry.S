/*
 * Interrupt and exception entry. Every vector has a 16-byte stub that
 * pushes a zero error code when the CPU does not, records the vector in
 * the upper half of the error-code slot and joins common_interrupt. There
 * the general registers are pushed to complete a struct cpu_user_regs
 * (the layout of Xen's public header), and do_interrupt() gets a pointer
 * to it. The frame is restored as saved, so handlers may edit it. A
 * frame from ring 3 (a guest) leaves through exit_to_guest() instead,
 * which delivers pending work and returns with restore_guest.
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

.macro ASM_CLAC
	testb	$1, smap_enabled(%rip)
	jz	1f
	clac
1:
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
	ASM_CLAC
	SAVE_ALL
	mov	%rsp, %rdi
	sub	$8, %rsp			/* 16-byte aligned call */
	call	do_interrupt
	testb	$3, 8 + UREGS_cs(%rsp)
	jnz	ret_from_guest_trap		/* from a guest: leave through C */
	add	$8, %rsp
	RESTORE_ALL
	add	$8, %rsp			/* error code and vector */
	iretq

/*
 * SYSCALL from ring 3 arrives at a per-CPU stub (see percpu.c) that saves
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
	jmp	exit_to_guest

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
	jmp	exit_to_guest

/*
 * bool load_segment_selector(int which, uint16_t sel): load %ds, %es, %fs
 * or %gs (which = 0..3); a refused selector loads the null selector and
 * returns false.
 */
	.globl load_segment_selector
load_segment_selector:
	mov	$1, %eax
	cmp	$1, %edi
	jb	.Lds
	je	.Les
	cmp	$2, %edi
	je	.Lfs
.Lgs:	mov	%esi, %gs
	ret
.Lds:	mov	%esi, %ds
	ret
.Les:	mov	%esi, %es
	ret
.Lfs:	mov	%esi, %fs
	ret
.Lseg_fault:
	xor	%eax, %eax
	ret
	.pushsection .ex_table, "a"
	.balign 8
	.quad .Lgs, .Lseg_fault_gs
	.quad .Lds, .Lseg_fault_ds
	.quad .Les, .Lseg_fault_es
	.quad .Lfs, .Lseg_fault_fs
	.popsection
.Lseg_fault_gs:
	xor	%esi, %esi
	mov	%esi, %gs
	jmp	.Lseg_fault
.Lseg_fault_ds:
	xor	%esi, %esi
	mov	%esi, %ds
	jmp	.Lseg_fault
.Lseg_fault_es:
	xor	%esi, %esi
	mov	%esi, %es
	jmp	.Lseg_fault
.Lseg_fault_fs:
	xor	%esi, %esi
	mov	%esi, %fs
	jmp	.Lseg_fault

/*
 * void restore_guest(struct cpu_user_regs *regs): return to the guest
 * from its frame at the top of this CPU's stack, with interrupts off.
 * If the CPU refuses the frame (bad selector, non-canonical address),
 * the fault is fixed up into pv_iret_failed(), which delivers it to the
 * guest as raised in the context it was returning to, as Xen does.
 */
	.globl restore_guest
restore_guest:
	mov	%rdi, %rsp
	RESTORE_ALL
	add	$8, %rsp
.Liret_to_guest:
	iretq
	.pushsection .ex_table, "a"
	.balign 8
	.quad .Liret_to_guest, .Liret_failed
	.popsection

/*
 * void restore_guest_sysret(struct cpu_user_regs *regs): the same return
 * by sysretq, for frames it restores exactly (see pv_can_sysret()): rcx
 * and r11 already hold rip and rflags, cs and ss are the selectors STAR
 * gives, and rip is canonical, so sysretq cannot fault in ring 0 with
 * the guest's %rsp loaded. Interrupts stay off until sysretq loads
 * rflags; an NMI or #MC in between runs on its IST stack.
 */
	.globl restore_guest_sysret
restore_guest_sysret:
	mov	%rdi, %rsp
	RESTORE_ALL
	movq	UREGS_rsp - UREGS_error_code(%rsp), %rsp
	sysretq

/*
 * The fault was handled on this stack and fixed up to here with %rsp back
 * at regs->rip and the guest's values in every register, but its
 * exception frame and handler overwrote the saved registers below. The
 * CPU aligned %rsp down to 16 bytes before pushing that frame (by 8, as
 * &regs->es is aligned), so the fault's error code and vector word lies
 * 56 bytes below regs->rip. Keep it, save the registers again, and
 * pv_iret_failed() finds the complete frame where it always is.
 */
.if (UREGS_es - UREGS_rip) % 16 != 8
	.error "guest frame layout changed: recompute IRET_FAULT_EC"
.endif
IRET_FAULT_EC = -(8 + 48)
.Liret_failed:
	xchg	%rax, IRET_FAULT_EC(%rsp)
	mov	%rax, UREGS_error_code - UREGS_rip(%rsp)
	mov	IRET_FAULT_EC(%rsp), %rax
	sub	$(UREGS_rip - UREGS_error_code), %rsp
	SAVE_ALL
	sub	$8, %rsp			/* 16-byte aligned call */
	call	pv_iret_failed
