/*
 * Reading a PV kernel image: its ELF64 program headers and the Xen ELF
 * notes (<xen/elfnote.h>) that tell a domain builder how to load it.
 */
#ifndef PARAVANE_PV_ELF_H
#define PARAVANE_PV_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/features.h>

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum,
		e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define PT_LOAD 1
#define PT_NOTE 4
#define ELF_NOTE_STR_MAX 128

/* What the Xen notes say, with Xen's defaults applied. */
struct xen_notes {
	char guest_os[ELF_NOTE_STR_MAX], guest_version[ELF_NOTE_STR_MAX];
	char xen_version[ELF_NOTE_STR_MAX], loader[ELF_NOTE_STR_MAX];
	char features[ELF_NOTE_STR_MAX * 2];
	bool has_entry, has_hypercall_page, has_virt_base, has_paddr_offset;
	uint64_t entry, hypercall_page, virt_base, paddr_offset;
	uint64_t init_p2m, hv_start_low;
	bool has_init_p2m, pae, mod_start_pfn, suspend_cancel;
	bool has_supported_features; /* a SUPPORTED_FEATURES note */
	uint32_t f_supported[XENFEAT_NR_SUBMAPS];
	uint32_t f_required[XENFEAT_NR_SUBMAPS];
};

struct pv_image {
	const uint8_t *data;
	size_t size;
	const struct elf64_ehdr *ehdr;
	uint64_t pstart, pend; /* physical span of the loadable segments */
	struct xen_notes notes;
	/* Derived virtual addresses, as Xen's builders compute them. */
	uint64_t virt_kstart, virt_kend, virt_entry;
};

// lib/pv_elf.c
int pv_image_parse(const void *data, size_t size, struct pv_image *img,
		   const char **why);
const struct elf64_phdr *pv_image_phdr(const struct pv_image *img,
				       unsigned int i);
bool pv_image_has_feature(const struct pv_image *img, unsigned int feat);

#endif /* PARAVANE_PV_ELF_H */
