/*
 * The PV kernel image parser. It checks the ELF64 header and program
 * headers against the file's bounds, reads the Xen notes from PT_NOTE
 * segments, applies Xen's rules (LOADER "generic" or GUEST_OS "linux",
 * XEN_VERSION "xen-3.0", the hypercall page inside the kernel, required
 * features we support) and derives the kernel's virtual span:
 *
 *   virt_base defaults to 0, paddr_offset to virt_base;
 *   virt_kstart/kend = pstart/pend + (virt_base - paddr_offset);
 *   the entry point is the ENTRY note, else e_entry.
 *
 * Everything it reads is bounds-checked; a bad image is refused with a
 * reason, never read past its end. Shared by the hypervisor's dom0
 * builder and dom0's builder of other domains; also built for the host
 * fuzzer.
 */
#include <paravane/pv_elf.h>
#include <paravane/compiler.h>
#include <paravane/errno.h>
#include <paravane/string.h>
#include <xen/elfnote.h>

#define EM_X86_64 62
#define ET_EXEC 2

struct note_hdr {
	uint32_t namesz, descsz, type;
};

static const struct {
	const char *name;
	unsigned int bit;
} feature_names[] = {
	{"writable_page_tables", XENFEAT_writable_page_tables},
	{"writable_descriptor_tables", XENFEAT_writable_descriptor_tables},
	{"auto_translated_physmap", XENFEAT_auto_translated_physmap},
	{"supervisor_mode_kernel", XENFEAT_supervisor_mode_kernel},
	{"pae_pgdir_above_4gb", XENFEAT_pae_pgdir_above_4gb},
	{"hvm_callback_vector", XENFEAT_hvm_callback_vector},
	{"dom0", XENFEAT_dom0},
};

/* Features a kernel may require and still run on Paravane. */
#define FEATURES_WE_PROVIDE                                                    \
	((1U << XENFEAT_pae_pgdir_above_4gb) | (1U << XENFEAT_dom0))

static void set_bit32(uint32_t *map, unsigned int bit)
{
	map[bit / 32] |= 1U << (bit % 32);
}

/* Parse "a|!b|c": every name is supported, "!" ones are also required. */
static int parse_features(struct xen_notes *n, const char **why)
{
	const char *p = n->features;

	while (*p) {
		char name[64];
		size_t len = 0;
		bool required = *p == '!';
		bool known = false;

		if (required)
			p++;
		while (p[len] && p[len] != '|')
			len++;
		if (len >= sizeof(name)) {
			*why = "feature name too long";
			return -EINVAL;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len + (p[len] == '|');
		for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++) {
			if (strcmp(name, feature_names[i].name))
				continue;
			known = true;
			set_bit32(n->f_supported, feature_names[i].bit);
			if (required)
				set_bit32(n->f_required, feature_names[i].bit);
		}
		if (!known && required) {
			*why = "the kernel requires an unknown feature";
			return -EINVAL;
		}
	}
	return 0;
}

static int note_number(const uint8_t *desc, uint32_t len, uint64_t *out)
{
	if (len == 4) {
		uint32_t v;

		memcpy(&v, desc, 4);
		*out = v;
		return 0;
	}
	if (len == 8) {
		memcpy(out, desc, 8);
		return 0;
	}
	return -EINVAL;
}

static int note_string(const uint8_t *desc, uint32_t len, char *out,
		       size_t out_len)
{
	size_t n = strnlen((const char *)desc, len);

	if (n == len || n >= out_len)
		return -EINVAL; /* unterminated, or too long */
	memcpy(out, desc, n + 1);
	return 0;
}

static int apply_note(struct xen_notes *n, uint32_t type, const uint8_t *d,
		      uint32_t len)
{
	uint64_t v = 0;
	char s[ELF_NOTE_STR_MAX];

	switch (type) {
	case XEN_ELFNOTE_ENTRY:
		n->has_entry = true;
		return note_number(d, len, &n->entry);
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		n->has_hypercall_page = true;
		return note_number(d, len, &n->hypercall_page);
	case XEN_ELFNOTE_VIRT_BASE:
		n->has_virt_base = true;
		return note_number(d, len, &n->virt_base);
	case XEN_ELFNOTE_PADDR_OFFSET:
		n->has_paddr_offset = true;
		return note_number(d, len, &n->paddr_offset);
	case XEN_ELFNOTE_HV_START_LOW:
		return note_number(d, len, &n->hv_start_low);
	case XEN_ELFNOTE_INIT_P2M:
		n->has_init_p2m = true;
		return note_number(d, len, &n->init_p2m);
	case XEN_ELFNOTE_MOD_START_PFN:
		n->mod_start_pfn = note_number(d, len, &v) == 0 && v;
		return 0;
	case XEN_ELFNOTE_SUSPEND_CANCEL:
		n->suspend_cancel = note_number(d, len, &v) == 0 && v;
		return 0;
	case XEN_ELFNOTE_XEN_VERSION:
		return note_string(d, len, n->xen_version,
				   sizeof(n->xen_version));
	case XEN_ELFNOTE_GUEST_OS:
		return note_string(d, len, n->guest_os, sizeof(n->guest_os));
	case XEN_ELFNOTE_GUEST_VERSION:
		return note_string(d, len, n->guest_version,
				   sizeof(n->guest_version));
	case XEN_ELFNOTE_LOADER:
		return note_string(d, len, n->loader, sizeof(n->loader));
	case XEN_ELFNOTE_FEATURES:
		return note_string(d, len, n->features, sizeof(n->features));
	case XEN_ELFNOTE_PAE_MODE:
		if (note_string(d, len, s, sizeof(s)))
			return -EINVAL;
		n->pae = !strcmp(s, "yes") || !strncmp(s, "bimodal", 7);
		return 0;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		if (len < 4)
			return -EINVAL;
		n->has_supported_features = true;
		for (uint32_t i = 0;
		     i < XENFEAT_NR_SUBMAPS && (i + 1) * 4 <= len; i++) {
			uint32_t m;

			memcpy(&m, d + i * 4, 4);
			n->f_supported[i] |= m;
		}
		return 0;
	default: return 0; /* notes we do not use */
	}
}

static int parse_notes(const struct pv_image *img, const struct elf64_phdr *ph,
		       struct xen_notes *n, bool *found)
{
	const uint8_t *p = img->data + ph->p_offset;
	uint64_t left = ph->p_filesz;

	while (left >= sizeof(struct note_hdr)) {
		struct note_hdr h;
		uint64_t name_sz, desc_sz;

		memcpy(&h, p, sizeof(h));
		name_sz = ROUNDUP((uint64_t)h.namesz, 4);
		desc_sz = ROUNDUP((uint64_t)h.descsz, 4);
		if (name_sz + desc_sz > left - sizeof(h))
			return -EINVAL;
		p += sizeof(h);
		left -= sizeof(h) + name_sz + desc_sz;
		if (h.namesz == 4 && !memcmp(p, "Xen", 4)) {
			*found = true;
			if (apply_note(n, h.type, p + name_sz, h.descsz))
				return -EINVAL;
		}
		p += name_sz + desc_sz;
	}
	return 0;
}

static int check_headers(struct pv_image *img, const char **why)
{
	const struct elf64_ehdr *e = img->ehdr;
	static const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};

	if (img->size < sizeof(*e) ||
	    memcmp(e->e_ident, ident, sizeof(ident))) {
		*why = "not a little-endian ELF64 image";
		return -EINVAL;
	}
	if (e->e_machine != EM_X86_64 || e->e_type != ET_EXEC) {
		*why = "not an x86_64 executable";
		return -EINVAL;
	}
	/* The headers are read in place: they must be aligned (as every
	 * linker puts them), or reading them is undefined behaviour. */
	if (e->e_phentsize != sizeof(struct elf64_phdr) || !e->e_phnum ||
	    !IS_ALIGNED(e->e_phoff, _Alignof(struct elf64_phdr)) ||
	    e->e_phoff > img->size ||
	    (uint64_t)e->e_phnum * sizeof(struct elf64_phdr) >
		    img->size - e->e_phoff) {
		*why = "bad program headers";
		return -EINVAL;
	}
	return 0;
}

/* Program header i (i < e_phnum) of a parsed image. */
const struct elf64_phdr *pv_image_phdr(const struct pv_image *img,
				       unsigned int i)
{
	return (const struct elf64_phdr *)(img->data + img->ehdr->e_phoff) + i;
}

/* Whether the kernel declares a XENFEAT_* feature (notes or bitmap). */
bool pv_image_has_feature(const struct pv_image *img, unsigned int feat)
{
	return feat < 32 * XENFEAT_NR_SUBMAPS &&
	       (img->notes.f_supported[feat / 32] >> (feat % 32)) & 1;
}

static int check_segments(struct pv_image *img, const char **why)
{
	bool any = false, found = false;

	img->pstart = UINT64_MAX;
	img->pend = 0;
	for (unsigned int i = 0; i < img->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = pv_image_phdr(img, i);

		if (ph->p_type != PT_LOAD && ph->p_type != PT_NOTE)
			continue;
		if (ph->p_offset > img->size ||
		    ph->p_filesz > img->size - ph->p_offset ||
		    ph->p_filesz > ph->p_memsz ||
		    ph->p_paddr + ph->p_memsz < ph->p_paddr) {
			*why = "a segment lies outside the file";
			return -EINVAL;
		}
		if (ph->p_type == PT_NOTE) {
			if (parse_notes(img, ph, &img->notes, &found)) {
				*why = "malformed Xen ELF note";
				return -EINVAL;
			}
			continue;
		}
		if (!ph->p_memsz)
			continue;
		any = true;
		img->pstart = MIN(img->pstart, ph->p_paddr);
		img->pend = MAX(img->pend, ph->p_paddr + ph->p_memsz);
	}
	if (!any) {
		*why = "nothing to load";
		return -EINVAL;
	}
	if (!found) {
		*why = "no Xen ELF notes";
		return -EINVAL;
	}
	return 0;
}

static int check_notes(struct pv_image *img, const char **why)
{
	struct xen_notes *n = &img->notes;
	uint64_t virt_base = n->has_virt_base ? n->virt_base : 0;
	uint64_t paddr_offset = n->has_paddr_offset ? n->paddr_offset
						    : virt_base;

	if (strncmp(n->loader, "generic", 7) &&
	    strncmp(n->guest_os, "linux", 5)) {
		*why = "LOADER is not 'generic' (nor GUEST_OS 'linux')";
		return -EINVAL;
	}
	if (strncmp(n->xen_version, "xen-3.0", 7)) {
		*why = "XEN_VERSION is not 'xen-3.0'";
		return -EINVAL;
	}
	if (parse_features(n, why))
		return -EINVAL;
	if (n->f_required[0] & ~FEATURES_WE_PROVIDE) {
		*why = "the kernel requires a feature Paravane lacks";
		return -EINVAL;
	}
	img->virt_kstart = img->pstart + (virt_base - paddr_offset);
	img->virt_kend = img->pend + (virt_base - paddr_offset);
	img->virt_entry = n->has_entry ? n->entry : img->ehdr->e_entry;
	if (virt_base > img->virt_kstart || img->virt_kend < img->virt_kstart) {
		*why = "the kernel lies below its virtual base";
		return -EINVAL;
	}
	if (n->has_hypercall_page && (n->hypercall_page < img->virt_kstart ||
				      n->hypercall_page >= img->virt_kend ||
				      (n->hypercall_page & 0xfff))) {
		*why = "the hypercall page is not a page inside the kernel";
		return -EINVAL;
	}
	if (img->virt_entry < img->virt_kstart ||
	    img->virt_entry >= img->virt_kend) {
		*why = "the entry point is outside the kernel";
		return -EINVAL;
	}
	n->virt_base = virt_base;
	n->paddr_offset = paddr_offset;
	return 0;
}

/*
 * Parse a PV kernel image of size bytes. Returns 0, or -EINVAL with *why
 * saying what is wrong.
 */
int pv_image_parse(const void *data, size_t size, struct pv_image *img,
		   const char **why)
{
	memset(img, 0, sizeof(*img));
	img->data = data;
	img->size = size;
	img->ehdr = data;
	*why = NULL;
	if (check_headers(img, why) || check_segments(img, why) ||
	    check_notes(img, why))
		return -EINVAL;
	return 0;
}
