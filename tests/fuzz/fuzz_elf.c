/*
 * libFuzzer target for the PV kernel image parser (lib/pv_elf.c): every
 * input is a kernel image. libFuzzer hands it over in an allocation of
 * exactly its size, so AddressSanitizer catches any read past its end;
 * UndefinedBehaviorSanitizer catches overflows and misaligned accesses.
 * An image the parser accepts must also keep the parser's promises to
 * the domain builder, which are checked here: the loadable segments lie
 * in the file, the entry point and the hypercall page lie in the kernel,
 * and every feature the kernel requires is one it declares.
 */
#include <stddef.h>
#include <stdint.h>

#include <paravane/pv_elf.h>

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void check_accepted(const struct pv_image *img, const uint8_t *data)
{
	const struct xen_notes *n = &img->notes;
	volatile uint8_t sink;

	check(img->virt_kstart <= img->virt_kend);
	check(n->virt_base <= img->virt_kstart);
	check(img->virt_entry >= img->virt_kstart &&
	      img->virt_entry < img->virt_kend);
	check(!n->has_hypercall_page ||
	      (n->hypercall_page >= img->virt_kstart &&
	       n->hypercall_page < img->virt_kend &&
	       !(n->hypercall_page & 0xfff)));
	for (unsigned int f = 0; f < 32 * XENFEAT_NR_SUBMAPS; f++)
		if ((n->f_required[f / 32] >> (f % 32)) & 1)
			check(pv_image_has_feature(img, f));
	check(!pv_image_has_feature(img, 32 * XENFEAT_NR_SUBMAPS));
	for (unsigned int i = 0; i < img->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = pv_image_phdr(img, i);

		if (ph->p_type != PT_LOAD || !ph->p_filesz)
			continue;
		check(ph->p_filesz <= ph->p_memsz);
		check(ph->p_paddr >= img->pstart &&
		      ph->p_paddr + ph->p_memsz <= img->pend);
		/* What the builder copies: ASan checks it is in the file. */
		sink = data[ph->p_offset];
		sink = data[ph->p_offset + ph->p_filesz - 1];
		(void)sink;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pv_image img;
	const char *why;

	if (pv_image_parse(data, size, &img, &why) == 0)
		check_accepted(&img, data);
	else
		check(why != NULL); /* every refusal has a reason */
	return 0;
}
