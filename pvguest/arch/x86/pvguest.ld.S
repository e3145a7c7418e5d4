/*
 * Link map of a pvguest kernel (preprocessed; see guest/memlayout.h).
 * One loadable segment from KERNEL_VIRT_BASE, physical addresses equal to
 * virtual ones, plus a PT_NOTE segment with Xen's notes. The hypercall
 * page is the first page-aligned page after the entry code.
 *
 * Linker sets: a file adds a record to set NAME by placing it in section
 * .set.NAME; the records of all objects form one array between
 * __start_set_NAME and __stop_set_NAME (used by the test harness).
 */
#include <guest/memlayout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start)

PHDRS
{
	image PT_LOAD FLAGS(7);
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = KERNEL_VIRT_BASE;
	__image_start = .;

	.text : {
		*(.text.head)
		*(.text.hypercall_page)
		*(.text .text.*)
	} :image

	.note : {
		*(.note.Xen)
	} :image :note

	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__start_set_tests = .;
		KEEP(*(.set.tests))
		__stop_set_tests = .;
	} :image

	.data : {
		*(.data .data.*)
	} :image

	.bss : {
		__bss_start = .;
		*(.bss.page_aligned)
		*(.bss.stack)
		*(.bss .bss.* COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	} :image

	__image_end = .;

	/DISCARD/ : {
		*(.comment)
		*(.eh_frame)
		*(.note.GNU-stack)
		*(.note.gnu.property)
		*(.note.gnu.build-id)
	}
}
