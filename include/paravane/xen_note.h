/*
 * XEN_NOTE(type, desc) in assembly: one ELF note named "Xen" (namesz,
 * descsz, type, name, descriptor), the form Xen's domain builders read
 * (<xen/elfnote.h> names the types). Put notes in a section of type
 * @note, e.g. .section .note.Xen, "a", @note.
 */
#ifndef PARAVANE_XEN_NOTE_H
#define PARAVANE_XEN_NOTE_H

#ifdef __ASSEMBLY__
/* Assembler syntax, which clang-format would mangle. */
/* clang-format off */
#define XEN_NOTE(type, desc)                                                   \
	.balign 4;                                                             \
	.long 2f - 1f;                                                         \
	.long 4f - 3f;                                                         \
	.long type;                                                            \
1:	.asciz "Xen";                                                          \
2:	.balign 4;                                                             \
3:	desc;                                                                  \
4:	.balign 4
/* clang-format on */
#endif

#endif /* PARAVANE_XEN_NOTE_H */
