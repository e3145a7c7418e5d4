/*
 * Write the seeds of the ELF fuzz corpus (tests/fuzz/corpus/elf/): the
 * unit tests' image (tests/unit/elf_image.h) with every note, one relying
 * on Xen's defaults, and one in Linux's style with the notes the others
 * lack.
 *
 *   gen_elf_corpus DIR
 */
#include <stdio.h>
#include <stdlib.h>

#include <hv/lib.h>
#include <xen/elfnote.h>

#include "../unit/elf_image.h"

static const struct note_spec defaults_notes[] = {
	NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
	NOTE_STR(XEN_ELFNOTE_LOADER, "generic"),
	{XEN_ELFNOTE_ENTRY, &(uint32_t){ELF_KPHYS + 0x40}, 4, NULL},
};

static const struct note_spec linux_notes[] = {
	NOTE_STR(XEN_ELFNOTE_GUEST_OS, "linux"),
	NOTE_STR(XEN_ELFNOTE_GUEST_VERSION, "2.6"),
	NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
	NOTE_NUM(XEN_ELFNOTE_VIRT_BASE, ELF_VIRT_BASE),
	NOTE_NUM(XEN_ELFNOTE_PADDR_OFFSET, 0),
	NOTE_NUM(XEN_ELFNOTE_ENTRY, ELF_ENTRY),
	NOTE_NUM(XEN_ELFNOTE_HYPERCALL_PAGE, ELF_HYPERCALL_PAGE),
	NOTE_NUM(XEN_ELFNOTE_HV_START_LOW, 0xffff800000000000UL),
	NOTE_NUM(XEN_ELFNOTE_INIT_P2M, 0xffffea0000000000UL),
	NOTE_NUM(XEN_ELFNOTE_MOD_START_PFN, 1),
	NOTE_NUM(XEN_ELFNOTE_SUSPEND_CANCEL, 1),
	NOTE_STR(XEN_ELFNOTE_FEATURES, "writable_page_tables|"
				       "auto_translated_physmap|"
				       "hvm_callback_vector|!dom0"),
	NOTE_STR(XEN_ELFNOTE_PAE_MODE, "bimodal"),
	{XEN_ELFNOTE_SUPPORTED_FEATURES, &(uint64_t){0x801}, 8, NULL},
};

static int write_seed(const char *dir, const char *name,
		      const struct note_spec *notes, size_t nr)
{
	struct elf_image img = {0};
	char path[4096];
	FILE *f;
	int rc = 0;

	elf_image_build(&img, notes, nr);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(img.data, 1, img.size, f) != img.size) {
		perror(path);
		rc = 1;
	}
	if (f && fclose(f)) {
		perror(path);
		rc = 1;
	}
	elf_image_free(&img);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	return write_seed(argv[1], "standard.elf", elf_image_standard_notes,
			  elf_image_nr_standard_notes) |
	       write_seed(argv[1], "defaults.elf", defaults_notes,
			  ARRAY_SIZE(defaults_notes)) |
	       write_seed(argv[1], "linux.elf", linux_notes,
			  ARRAY_SIZE(linux_notes));
}
