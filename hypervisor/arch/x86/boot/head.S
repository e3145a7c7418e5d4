/*
 * Multiboot2 entry. GRUB enters mb2_entry in 32-bit protected mode with
 * paging off, %eax = the multiboot2 magic and %ebx = the physical address
 * of the boot information. We check for long mode, build boot page tables
 * that map
 *
 *   - low 1 GiB identity       (only to survive the switch; removed later)
 *   - the image window         HV_IMAGE_VIRT_BASE + [0, 1 GiB)
 *   - the direct map           DIRECTMAP_VIRT_START + [0, 4 GiB)
 *
 * all with 2 MiB pages, enable long mode and jump to the linked (high)
 * address of the image, where C takes over in start_paravane().
 */
#include <asm/memlayout.h>
#include <asm/stack.h>
#include <asm-offsets.h>

#define MB2_MAGIC 0xe85250d6
#define MB2_BOOT_MAGIC 0x36d76289
#define MB2_ARCH_I386 0

/* Physical address of a symbol in the high (linked) part of the image. */
#define PA(sym) ((sym) - HV_IMAGE_VIRT_BASE)

#define PDE_LARGE 0x83 /* present, writable, 2 MiB */
#define PTE_TABLE 0x03 /* present, writable */

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl mb2_entry
mb2_entry:
	cli
	cld
	mov	$boot_stack32_top, %esp
	mov	%ebx, boot_mbi			/* cpuid clobbers %ebx */

	cmp	$MB2_BOOT_MAGIC, %eax
	mov	$msg_no_mb2, %esi
	jne	early_fail

	/* Long mode (and so NX, SYSCALL, PAE) must be there. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	mov	$msg_no_lm, %esi
	jb	early_fail
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	early_fail
	mov	%edx, %ebp			/* bit 20: NX */

	/* Zero .bss: the page tables below live there. */
	mov	$PA(__bss_start), %edi
	mov	$PA(__bss_end), %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	/* Identity map 0-1 GiB. */
	mov	$PA(boot_l2_ident), %edx
	call	fill_l2_1g
	mov	$PA(boot_l2_ident) + PTE_TABLE, %eax
	mov	%eax, PA(boot_l3_ident)
	mov	$PA(boot_l3_ident) + PTE_TABLE, %eax
	mov	%eax, PA(boot_l4)

	/* Image window: HV_IMAGE_VIRT_BASE + x -> x for x < 1 GiB. */
	mov	$PA(boot_l2_image), %edx
	call	fill_l2_1g
	mov	$PA(boot_l2_image) + PTE_TABLE, %eax
	mov	%eax, PA(boot_l3_hv) + ((HV_IMAGE_VIRT_BASE >> 30) & 511) * 8
	mov	$PA(boot_l3_hv) + PTE_TABLE, %eax
	mov	%eax, PA(boot_l4) + ((HV_IMAGE_VIRT_BASE >> 39) & 511) * 8

	/* Direct map: 4 GiB through four L2 tables. */
	movl	$0, boot_dmap_next
	mov	$PA(boot_l2_dmap), %edx
	mov	$PA(boot_l3_dmap), %ebx
	mov	$4, %ecx
1:	push	%ecx
	call	fill_l2_1g_at
	pop	%ecx
	lea	PTE_TABLE(%edx), %eax
	mov	%eax, (%ebx)
	add	$4096, %edx
	add	$8, %ebx
	dec	%ecx
	jnz	1b
	mov	$PA(boot_l3_dmap) + PTE_TABLE, %eax
	mov	%eax, PA(boot_l4) + ((DIRECTMAP_VIRT_START >> 39) & 511) * 8

	/* PAE, then long mode (with NX if the CPU has it), then paging. */
	mov	%cr4, %eax
	or	$0x20, %eax
	mov	%eax, %cr4
	mov	$PA(boot_l4), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER */
	rdmsr
	or	$0x101, %eax			/* LME | SCE */
	bt	$20, %ebp
	jnc	2f
	or	$0x800, %eax			/* NXE */
2:	wrmsr
	mov	%cr0, %eax
	or	$0x80010001, %eax		/* PG | WP | PE */
	mov	%eax, %cr0

	lgdt	boot_gdt_ptr
	mov	boot_mbi, %edi
	ljmp	$0x08, $long_mode_low

/* Fill the L2 table at %edx with 512 2 MiB entries for [0, 1 GiB). */
fill_l2_1g:
	xor	%eax, %eax			/* first physical address */
	jmp	3f
/* Same, continuing from the physical address in boot_dmap_next. */
fill_l2_1g_at:
	mov	boot_dmap_next, %eax
3:	xor	%ecx, %ecx
4:	lea	PDE_LARGE(%eax), %esi
	mov	%esi, (%edx, %ecx, 8)
	movl	$0, 4(%edx, %ecx, 8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$512, %ecx
	jne	4b
	mov	%eax, boot_dmap_next
	ret

/* Print the NUL-terminated message at %esi on COM1 and stop. */
early_fail:
	mov	$0x3f8 + 5, %dx
5:	in	%dx, %al
	test	$0x20, %al
	jz	5b
	lodsb
	test	%al, %al
	jz	6f
	mov	$0x3f8, %dx
	out	%al, %dx
	jmp	early_fail
6:	cli
	hlt
	jmp	6b

	.code64
long_mode_low:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	movabs	$long_mode_high, %rax
	jmp	*%rax

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff		/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
boot_dmap_next:
	.long 0
boot_mbi:
	.long 0
msg_no_mb2:
	.asciz "Paravane: not started by a multiboot2 loader\r\n"
msg_no_lm:
	.asciz "Paravane: this CPU has no long mode (x86_64 required)\r\n"
	.balign 16
	.space 1024
boot_stack32_top:

	.text
long_mode_high:
	lea	bsp_boot_stack + STACK_SIZE - CPU_INFO_SIZE(%rip), %rsp
	mov	%edi, %edi			/* zero-extend the mbi address */
	xor	%ebp, %ebp
	call	start_paravane
	ud2

	.section .bss.page_aligned, "aw", @nobits
	.balign 4096
	.globl boot_l4
boot_l4:	.space 4096
boot_l3_ident:	.space 4096
boot_l2_ident:	.space 4096
boot_l3_hv:	.space 4096
boot_l2_image:	.space 4096
boot_l3_dmap:	.space 4096
boot_l2_dmap:	.space 4096 * 4

	.section .bss.stack_aligned, "aw", @nobits
	.balign STACK_SIZE
	.globl bsp_boot_stack
bsp_boot_stack:
	.space STACK_SIZE
