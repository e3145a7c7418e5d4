/*
 * Switching threads (sched/thread.c).
 *
 * switch_context(save_sp, sp, prev) pushes the registers the C ABI says
 * a call preserves, saves rsp in *save_sp, loads sp, pops the same
 * registers from the new stack and returns there: into the schedule()
 * call that the other thread left by the same path, or, the first time,
 * into thread_entry. Either way rax (the return value) is prev, the
 * thread just left, which the new side settles (finish_switch()).
 * Everything else (rflags, the event mask) is the caller's business.
 */
	.text
	.globl switch_context
switch_context:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, (%rdi)
	mov	%rsi, %rsp
	mov	%rdx, %rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

/*
 * A new thread's first return lands here, with r12 = the thread (set up
 * by thread_create_on()) and rsp 16-byte aligned.
 */
	.globl thread_entry
thread_entry:
	mov	%rax, %rdi
	mov	%r12, %rsi
	xor	%ebp, %ebp
	call	thread_main
	ud2
