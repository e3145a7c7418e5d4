/*
 * Small PV kernel images for the ELF parser's unit tests and the seeds of
 * its fuzz corpus: an ELF64 header, three program headers (a PT_LOAD of
 * the whole file, a PT_NOTE of the given notes and a PT_GNU_STACK the
 * parser must skip), the notes, and 64 bytes of "code". With the
 * standard notes the kernel spans [ELF_KSTART, ELF_KEND).
 */
#ifndef UNIT_ELF_IMAGE_H
#define UNIT_ELF_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define ELF_KPHYS 0x200000UL
#define ELF_VIRT_BASE 0xffffffff80000000UL
#define ELF_KSTART (ELF_VIRT_BASE + ELF_KPHYS) /* PADDR_OFFSET 0 */
#define ELF_KSIZE 0x3000UL
#define ELF_KEND (ELF_KSTART + ELF_KSIZE)
#define ELF_ENTRY (ELF_KSTART + 0x40)	/* the ENTRY note */
#define ELF_E_ENTRY (ELF_KSTART + 0x80) /* the header's e_entry */
#define ELF_HYPERCALL_PAGE (ELF_KSTART + 0x1000)
#define ELF_NR_PHDRS 3
#define PT_GNU_STACK 0x6474e551U

struct note_spec {
	uint32_t type;
	const void *desc; /* len bytes */
	uint32_t len;
	const char *name; /* "Xen" when NULL */
};

/* A note holding a 64-bit number, and one holding a string. */
#define NOTE_NUM(t, v)                                                         \
	{                                                                      \
		(t), &(uint64_t){(v)}, 8, NULL                                 \
	}
#define NOTE_STR(t, s)                                                         \
	{                                                                      \
		(t), (s), sizeof(s), NULL                                      \
	}

struct elf_image {
	uint8_t *data; /* malloc'd, exactly size bytes */
	size_t size;
	size_t notes_off; /* file offset of the first note */
};

/* Every note a kernel may give (all valid together), and one not Xen's. */
extern const struct note_spec elf_image_standard_notes[];
extern const size_t elf_image_nr_standard_notes;

void elf_image_build(struct elf_image *img, const struct note_spec *notes,
		     size_t nr);
void elf_image_free(struct elf_image *img);

#endif /* UNIT_ELF_IMAGE_H */
