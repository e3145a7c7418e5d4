/*
 * Copies to and from guest memory that survive bad pointers. A fault in
 * one of the string instructions below is looked up in the exception
 * table (extable.c) and execution resumes at its fixup label with %rcx
 * holding the bytes not yet copied, which the function returns.
 *
 * With SMAP on, guest (user) pages are reachable only between stac and
 * clac; smap_enabled says whether those instructions exist.
 */

.macro ASM_STAC
	testb	$1, smap_enabled(%rip)
	jz	1f
	stac
1:
.endm

.macro ASM_CLAC
	testb	$1, smap_enabled(%rip)
	jz	1f
	clac
1:
.endm

.macro EXTABLE insn, fixup
	.pushsection .ex_table, "a"
	.balign 8
	.quad \insn, \fixup
	.popsection
.endm

	.text
/* unsigned long raw_copy_from_user(void *to, const void *from, unsigned long n) */
	.globl raw_copy_from_user
	.globl raw_copy_to_user
raw_copy_from_user:
raw_copy_to_user:
	mov	%rdx, %rcx
	ASM_STAC
.Lcopy:
	rep movsb
.Lcopy_done:
	ASM_CLAC
	mov	%rcx, %rax
	ret
	EXTABLE .Lcopy, .Lcopy_done

/* unsigned long raw_clear_user(void *to, unsigned long n) */
	.globl raw_clear_user
raw_clear_user:
	mov	%rsi, %rcx
	xor	%eax, %eax
	ASM_STAC
.Lclear:
	rep stosb
.Lclear_done:
	ASM_CLAC
	mov	%rcx, %rax
	ret
	EXTABLE .Lclear, .Lclear_done
