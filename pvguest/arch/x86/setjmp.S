/*
 * setjmp() and longjmp() for kernel code: save and restore the
 * callee-saved registers, the stack pointer and the resume address.
 * The fault catcher (kernel/fault.c) and the test harness's fatal
 * assertions unwind with them. struct jmp_buf in guest/setjmp.h matches
 * this layout: rbx, rbp, r12, r13, r14, r15, rsp, rip.
 */
	.text
	.globl setjmp
setjmp:
	mov	%rbx, 0(%rdi)
	mov	%rbp, 8(%rdi)
	mov	%r12, 16(%rdi)
	mov	%r13, 24(%rdi)
	mov	%r14, 32(%rdi)
	mov	%r15, 40(%rdi)
	lea	8(%rsp), %rdx		/* rsp after our return */
	mov	%rdx, 48(%rdi)
	mov	(%rsp), %rdx		/* our return address */
	mov	%rdx, 56(%rdi)
	xor	%eax, %eax
	ret

	.globl longjmp
longjmp:
	mov	%esi, %eax
	test	%eax, %eax
	jnz	1f
	inc	%eax			/* longjmp(buf, 0) returns 1 */
1:	mov	0(%rdi), %rbx
	mov	8(%rdi), %rbp
	mov	16(%rdi), %r12
	mov	24(%rdi), %r13
	mov	32(%rdi), %r14
	mov	40(%rdi), %r15
	mov	48(%rdi), %rsp
	jmp	*56(%rdi)
