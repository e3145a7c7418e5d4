/*
 * Small PV kernel images (see elf_image.h).
 */
#include <stdlib.h>
#include <string.h>

#include <paravane/pv_elf.h>
#include <hv/lib.h>
#include <xen/elfnote.h>

#include "elf_image.h"

const struct note_spec elf_image_standard_notes[] = {
	NOTE_STR(XEN_ELFNOTE_GUEST_OS, "Paravane-test"),
	NOTE_STR(XEN_ELFNOTE_GUEST_VERSION, "1.0"),
	NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
	NOTE_STR(XEN_ELFNOTE_LOADER, "generic"),
	NOTE_NUM(XEN_ELFNOTE_VIRT_BASE, ELF_VIRT_BASE),
	NOTE_NUM(XEN_ELFNOTE_PADDR_OFFSET, 0),
	NOTE_NUM(XEN_ELFNOTE_ENTRY, ELF_ENTRY),
	NOTE_NUM(XEN_ELFNOTE_HYPERCALL_PAGE, ELF_HYPERCALL_PAGE),
	NOTE_STR(XEN_ELFNOTE_FEATURES,
		 "writable_descriptor_tables|!dom0|!pae_pgdir_above_4gb|"
		 "frobnicate"),
	NOTE_STR(XEN_ELFNOTE_PAE_MODE, "yes"),
	{XEN_ELFNOTE_SUPPORTED_FEATURES,
	 &(uint32_t){1U << XENFEAT_hvm_callback_vector}, 4, NULL},
	{XEN_ELFNOTE_ENTRY, "not Xen's", 10, "GNU"},
};
const size_t elf_image_nr_standard_notes = ARRAY_SIZE(elf_image_standard_notes);

static size_t put(uint8_t *buf, size_t off, const void *p, size_t n)
{
	memcpy(buf + off, p, n);
	return off + ROUNDUP(n, 4);
}

/* Build an image holding notes into an allocation of exactly its size. */
void elf_image_build(struct elf_image *img, const struct note_spec *notes,
		     size_t nr)
{
	static uint8_t buf[8192];
	struct elf64_ehdr eh = {
		.e_ident = {0x7f, 'E', 'L', 'F', 2, 1, 1},
		.e_type = 2, /* ET_EXEC */
		.e_machine = 62,
		.e_version = 1,
		.e_entry = ELF_E_ENTRY,
		.e_phoff = sizeof(eh),
		.e_ehsize = sizeof(eh),
		.e_phentsize = sizeof(struct elf64_phdr),
		.e_phnum = ELF_NR_PHDRS,
	};
	struct elf64_phdr ph[ELF_NR_PHDRS];
	size_t off = sizeof(eh) + sizeof(ph), notes_off = off, code_off;

	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; i < nr; i++) {
		const char *name = notes[i].name ? notes[i].name : "Xen";
		uint32_t hdr[3] = {(uint32_t)strlen(name) + 1, notes[i].len,
				   notes[i].type};

		if (off + sizeof(hdr) + ROUNDUP(hdr[0], 4) +
			    ROUNDUP(hdr[1], 4) + 64 >
		    sizeof(buf))
			abort();
		off = put(buf, off, hdr, sizeof(hdr));
		off = put(buf, off, name, hdr[0]);
		off = put(buf, off, notes[i].desc, notes[i].len);
	}
	code_off = off;
	memset(buf + off, 0x90, 64);
	off += 64;

	ph[0] = (struct elf64_phdr){.p_type = PT_LOAD,
				    .p_flags = 7,
				    .p_vaddr = ELF_KSTART,
				    .p_paddr = ELF_KPHYS,
				    .p_filesz = off,
				    .p_memsz = ELF_KSIZE,
				    .p_align = 0x1000};
	ph[1] = (struct elf64_phdr){.p_type = PT_NOTE,
				    .p_flags = 4,
				    .p_offset = notes_off,
				    .p_vaddr = ELF_KSTART + notes_off,
				    .p_paddr = ELF_KPHYS + notes_off,
				    .p_filesz = code_off - notes_off,
				    .p_memsz = code_off - notes_off,
				    .p_align = 4};
	ph[2] = (struct elf64_phdr){.p_type = PT_GNU_STACK, .p_flags = 6};
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), ph, sizeof(ph));

	elf_image_free(img);
	img->data = malloc(off);
	if (!img->data)
		abort();
	memcpy(img->data, buf, off);
	img->size = off;
	img->notes_off = notes_off;
}

/* Free an image (or nothing, if none was built). */
void elf_image_free(struct elf_image *img)
{
	free(img->data);
	img->data = NULL;
	img->size = 0;
}
