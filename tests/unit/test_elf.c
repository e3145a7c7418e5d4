/*
 * Unit tests for the PV kernel image parser (lib/pv_elf.c): small ELF64
 * images built here, with a PT_LOAD, a PT_NOTE of Xen notes
 * (<xen/elfnote.h>) and a PT_GNU_STACK, are parsed for their notes and
 * derived addresses (Xen's defaults included) and refused, with a reason,
 * for every kind of damage the parser checks. Each image is allocated
 * with exactly its size, so AddressSanitizer catches any read past its
 * end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <paravane/pv_elf.h>
#include <hv/lib.h>
#include <xen/elfnote.h>

#include "elf_image.h"

/* The image under test (freed by teardown) and what parsing it gave. */
static struct elf_image img;
static struct pv_image pv;
static const char *why;

static int teardown(void **state)
{
	elf_image_free(&img);
	return 0;
}

static void build(const struct note_spec *notes, size_t nr)
{
	elf_image_build(&img, notes, nr);
}

static void build_standard(void)
{
	build(elf_image_standard_notes, elf_image_nr_standard_notes);
}

/*
 * The standard notes, each Xen note of a type in changes[] replaced by
 * that change (or dropped, if the change has no desc); changes of types
 * the standard notes lack are added.
 */
static void build_changed_n(const struct note_spec *changes, size_t nr)
{
	struct note_spec notes[32];
	size_t n = 0;

	assert_true(elf_image_nr_standard_notes + nr <= ARRAY_SIZE(notes));
	for (size_t i = 0; i < elf_image_nr_standard_notes; i++) {
		bool changed = false;

		for (size_t c = 0; c < nr; c++)
			changed |= !elf_image_standard_notes[i].name &&
				   changes[c].type ==
					   elf_image_standard_notes[i].type;
		if (!changed)
			notes[n++] = elf_image_standard_notes[i];
	}
	for (size_t c = 0; c < nr; c++)
		if (changes[c].desc)
			notes[n++] = changes[c];
	build(notes, n);
}

/* The standard notes with the note of type t replaced (dropped if NULL). */
static void build_changed(uint32_t t, const struct note_spec *with)
{
	const struct note_spec drop = {t, NULL, 0, NULL};

	build_changed_n(with ? with : &drop, 1);
}

/* Keep only the first n bytes of the image, in an allocation of n. */
static void truncate_image(size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	assert_non_null(p);
	memcpy(p, img.data, n);
	free(img.data);
	img.data = p;
	img.size = n;
}

static struct elf64_ehdr *ehdr(void)
{
	return (struct elf64_ehdr *)img.data;
}

static struct elf64_phdr *phdr(unsigned int i)
{
	return (struct elf64_phdr *)(img.data + sizeof(struct elf64_ehdr)) + i;
}

static int parse(void)
{
	return pv_image_parse(img.data, img.size, &pv, &why);
}

static void assert_accepted(void)
{
	int rc = parse();

	if (rc)
		fail_msg("refused: %s", why);
	assert_null(why);
}

/* Refused, and the reason says so. */
static void assert_refused(const char *reason)
{
	assert_int_equal(parse(), -EINVAL);
	assert_non_null(why);
	if (!strstr(why, reason))
		fail_msg("reason \"%s\", expected \"%s\"", why, reason);
}

/* ---- Valid images -------------------------------------------------------- */

static void image_with_every_note_parses(void **state)
{
	const struct xen_notes *n = &pv.notes;

	build_standard();
	assert_accepted();
	assert_ptr_equal(pv.data, img.data);
	assert_int_equal(pv.size, img.size);
	assert_int_equal(pv.pstart, ELF_KPHYS);
	assert_int_equal(pv.pend, ELF_KPHYS + ELF_KSIZE);
	assert_string_equal(n->guest_os, "Paravane-test");
	assert_string_equal(n->guest_version, "1.0");
	assert_string_equal(n->xen_version, "xen-3.0");
	assert_string_equal(n->loader, "generic");
	assert_true(n->has_virt_base);
	assert_int_equal(n->virt_base, ELF_VIRT_BASE);
	assert_true(n->has_paddr_offset);
	assert_int_equal(n->paddr_offset, 0);
	assert_true(n->has_entry);
	assert_int_equal(n->entry, ELF_ENTRY);
	assert_true(n->has_hypercall_page);
	assert_int_equal(n->hypercall_page, ELF_HYPERCALL_PAGE);
	assert_true(n->pae);
	assert_string_equal(n->features, "writable_descriptor_tables|!dom0|"
					 "!pae_pgdir_above_4gb|frobnicate");
}

static void derived_addresses_follow_xen(void **state)
{
	build_standard();
	assert_accepted();
	assert_int_equal(pv.virt_kstart, ELF_KSTART);
	assert_int_equal(pv.virt_kend, ELF_KEND);
	assert_int_equal(pv.virt_entry, ELF_ENTRY); /* the note, not e_entry */
}

static void features_string_and_bitmap_are_merged(void **state)
{
	const struct xen_notes *n = &pv.notes;

	build_standard();
	assert_accepted();
	assert_true(n->has_supported_features);
	assert_int_equal(n->f_supported[0],
			 (1U << XENFEAT_writable_descriptor_tables) |
				 (1U << XENFEAT_dom0) |
				 (1U << XENFEAT_pae_pgdir_above_4gb) |
				 (1U << XENFEAT_hvm_callback_vector));
	assert_int_equal(n->f_required[0],
			 (1U << XENFEAT_dom0) |
				 (1U << XENFEAT_pae_pgdir_above_4gb));
	assert_true(pv_image_has_feature(&pv, XENFEAT_dom0));
	assert_true(pv_image_has_feature(&pv, XENFEAT_hvm_callback_vector));
	assert_false(pv_image_has_feature(&pv, XENFEAT_writable_page_tables));
	assert_false(pv_image_has_feature(&pv, 32 * XENFEAT_NR_SUBMAPS));
}

static void program_headers_are_found_by_index(void **state)
{
	build_standard();
	assert_accepted();
	for (unsigned int i = 0; i < ELF_NR_PHDRS; i++)
		assert_ptr_equal(pv_image_phdr(&pv, i), phdr(i));
	assert_int_equal(pv_image_phdr(&pv, 1)->p_type, PT_NOTE);
}

static void defaults_without_virt_base_paddr_offset_or_entry(void **state)
{
	const struct note_spec notes[] = {
		NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
		NOTE_STR(XEN_ELFNOTE_LOADER, "generic"),
		{XEN_ELFNOTE_HYPERCALL_PAGE, &(uint32_t){ELF_KPHYS + 0x2000}, 4,
		 NULL},
	};

	build(notes, ARRAY_SIZE(notes));
	ehdr()->e_entry = ELF_KPHYS + 0x80;
	assert_accepted();
	assert_false(pv.notes.has_virt_base);
	assert_int_equal(pv.notes.virt_base, 0);
	assert_int_equal(pv.notes.paddr_offset, 0);
	assert_int_equal(pv.virt_kstart, ELF_KPHYS);
	assert_int_equal(pv.virt_kend, ELF_KPHYS + ELF_KSIZE);
	assert_false(pv.notes.has_entry);
	assert_int_equal(pv.virt_entry, ELF_KPHYS + 0x80); /* e_entry */
	assert_int_equal(pv.notes.hypercall_page, ELF_KPHYS + 0x2000);
	assert_false(pv.notes.pae);
	assert_false(pv.notes.has_supported_features);
}

static void paddr_offset_defaults_to_virt_base(void **state)
{
	build_changed(XEN_ELFNOTE_PADDR_OFFSET, NULL);
	phdr(0)->p_paddr = ELF_KSTART; /* old style: physical = virtual */
	assert_accepted();
	assert_false(pv.notes.has_paddr_offset);
	assert_int_equal(pv.notes.paddr_offset, ELF_VIRT_BASE);
	assert_int_equal(pv.virt_kstart, ELF_KSTART);
	assert_int_equal(pv.virt_kend, ELF_KEND);
}

static void entry_defaults_to_e_entry(void **state)
{
	build_changed(XEN_ELFNOTE_ENTRY, NULL);
	assert_accepted();
	assert_int_equal(pv.virt_entry, ELF_E_ENTRY);
}

static void span_covers_every_loadable_segment(void **state)
{
	build_standard();
	*phdr(2) = (struct elf64_phdr){.p_type = PT_LOAD,
				       .p_paddr = ELF_KPHYS + 0x5000,
				       .p_memsz = 0x800};
	assert_accepted();
	assert_int_equal(pv.pend, ELF_KPHYS + 0x5800);
	assert_int_equal(pv.virt_kend, ELF_KSTART + 0x5800);
	/* A segment with nothing to load does not count. */
	phdr(2)->p_paddr = ELF_KPHYS + 0x9000;
	phdr(2)->p_memsz = 0;
	assert_accepted();
	assert_int_equal(pv.pend, ELF_KPHYS + ELF_KSIZE);
}

static void guest_os_linux_stands_in_for_loader(void **state)
{
	const struct note_spec linux_no_loader[] = {
		NOTE_STR(XEN_ELFNOTE_GUEST_OS, "linux"),
		{XEN_ELFNOTE_LOADER, NULL, 0, NULL},
	};

	build_changed(XEN_ELFNOTE_LOADER, NULL); /* GUEST_OS "Paravane-test" */
	assert_refused("LOADER is not 'generic'");
	build_changed_n(linux_no_loader, ARRAY_SIZE(linux_no_loader));
	assert_accepted();
	assert_string_equal(pv.notes.guest_os, "linux");
	assert_string_equal(pv.notes.loader, "");
}

static void pae_mode_yes_or_bimodal_sets_pae(void **state)
{
	const struct note_spec bimodal =
		NOTE_STR(XEN_ELFNOTE_PAE_MODE, "bimodal");
	const struct note_spec no = NOTE_STR(XEN_ELFNOTE_PAE_MODE, "no");

	build_standard();
	assert_accepted();
	assert_true(pv.notes.pae);
	build_changed(XEN_ELFNOTE_PAE_MODE, &bimodal);
	assert_accepted();
	assert_true(pv.notes.pae);
	build_changed(XEN_ELFNOTE_PAE_MODE, &no);
	assert_accepted();
	assert_false(pv.notes.pae);
	build_changed(XEN_ELFNOTE_PAE_MODE, NULL);
	assert_accepted();
	assert_false(pv.notes.pae);
}

static void numeric_notes_may_have_four_bytes(void **state)
{
	const struct note_spec short_offset = {XEN_ELFNOTE_PADDR_OFFSET,
					       &(uint32_t){0x1000}, 4, NULL};

	build_changed(XEN_ELFNOTE_PADDR_OFFSET, &short_offset);
	assert_accepted();
	assert_int_equal(pv.notes.paddr_offset, 0x1000);
	assert_int_equal(pv.virt_kstart, ELF_KSTART - 0x1000);
}

/* ---- Refused headers ----------------------------------------------------- */

static void bad_magic_is_refused(void **state)
{
	build_standard();
	img.data[1] = 'e';
	assert_refused("not a little-endian ELF64");
}

static void elf32_is_refused(void **state)
{
	build_standard();
	ehdr()->e_ident[4] = 1; /* ELFCLASS32 */
	assert_refused("not a little-endian ELF64");
}

static void big_endian_is_refused(void **state)
{
	build_standard();
	ehdr()->e_ident[5] = 2; /* ELFDATA2MSB */
	assert_refused("not a little-endian ELF64");
}

static void image_shorter_than_its_header_is_refused(void **state)
{
	build_standard();
	truncate_image(sizeof(struct elf64_ehdr) - 1);
	assert_refused("not a little-endian ELF64");
	truncate_image(0);
	assert_refused("not a little-endian ELF64");
}

static void wrong_machine_is_refused(void **state)
{
	build_standard();
	ehdr()->e_machine = 3; /* EM_386 */
	assert_refused("not an x86_64 executable");
}

static void shared_object_is_refused(void **state)
{
	build_standard();
	ehdr()->e_type = 3; /* ET_DYN */
	assert_refused("not an x86_64 executable");
}

static void program_headers_beyond_the_file_are_refused(void **state)
{
	build_standard();
	ehdr()->e_phoff = img.size - sizeof(struct elf64_phdr);
	assert_refused("bad program headers");
	ehdr()->e_phoff = UINT64_MAX - 8;
	assert_refused("bad program headers");
	ehdr()->e_phoff = sizeof(struct elf64_ehdr);
	ehdr()->e_phnum = 0xffff;
	assert_refused("bad program headers");
	ehdr()->e_phnum = 0;
	assert_refused("bad program headers");
	ehdr()->e_phnum = ELF_NR_PHDRS;
	ehdr()->e_phentsize = 32;
	assert_refused("bad program headers");
}

static void misaligned_program_headers_are_refused(void **state)
{
	struct elf_image moved = {0};

	/* The same headers one byte further on (found by fuzz_elf). */
	build_standard();
	moved.data = calloc(1, img.size + 1);
	assert_non_null(moved.data);
	moved.size = img.size + 1;
	memcpy(moved.data, img.data, sizeof(struct elf64_ehdr));
	memcpy(moved.data + sizeof(struct elf64_ehdr) + 1,
	       img.data + sizeof(struct elf64_ehdr),
	       img.size - sizeof(struct elf64_ehdr));
	((struct elf64_ehdr *)moved.data)->e_phoff += 1;
	elf_image_free(&img);
	img = moved;
	assert_refused("bad program headers");
}

/* ---- Refused segments ---------------------------------------------------- */

static void segment_beyond_the_file_is_refused(void **state)
{
	build_standard();
	phdr(0)->p_filesz = img.size + 1;
	assert_refused("outside the file");
	build_standard();
	phdr(1)->p_offset = img.size + 16;
	assert_refused("outside the file");
	build_standard();
	phdr(1)->p_offset = 8;
	phdr(1)->p_filesz = UINT64_MAX;
	phdr(1)->p_memsz = UINT64_MAX;
	assert_refused("outside the file");
}

static void filesz_above_memsz_is_refused(void **state)
{
	build_standard();
	phdr(0)->p_memsz = phdr(0)->p_filesz - 1;
	assert_refused("outside the file");
}

static void segment_wrapping_the_address_space_is_refused(void **state)
{
	build_standard();
	phdr(0)->p_paddr = UINT64_MAX - 0x100;
	assert_refused("outside the file");
}

static void image_without_loadable_segment_is_refused(void **state)
{
	build_standard();
	phdr(0)->p_type = 0; /* PT_NULL */
	assert_refused("nothing to load");
	build_standard();
	phdr(0)->p_filesz = 0;
	phdr(0)->p_memsz = 0;
	assert_refused("nothing to load");
}

static void image_without_xen_notes_is_refused(void **state)
{
	const struct note_spec gnu_only[] = {
		{XEN_ELFNOTE_LOADER, "generic", 8, "GNU"},
		{XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8, "Xe"},
	};

	build(gnu_only, ARRAY_SIZE(gnu_only));
	assert_refused("no Xen ELF notes");
	build_standard();
	phdr(1)->p_type = 0; /* the notes are not in a PT_NOTE */
	assert_refused("no Xen ELF notes");
}

/* ---- Refused notes ------------------------------------------------------- */

static void note_running_past_its_segment_is_refused(void **state)
{
	build_standard();
	phdr(1)->p_filesz -= 4;
	phdr(1)->p_memsz -= 4;
	assert_refused("malformed Xen ELF note");
	build_standard();
	memcpy(img.data + img.notes_off, &(uint32_t){UINT32_MAX},
	       4); /* namesz */
	assert_refused("malformed Xen ELF note");
	build_standard();
	memcpy(img.data + img.notes_off + 4, &(uint32_t){UINT32_MAX - 2}, 4);
	assert_refused("malformed Xen ELF note");
}

static void unterminated_note_string_is_refused(void **state)
{
	const struct note_spec unterminated = {XEN_ELFNOTE_LOADER, "generic", 7,
					       NULL};

	build_changed(XEN_ELFNOTE_LOADER, &unterminated);
	assert_refused("malformed Xen ELF note");
}

static void note_string_longer_than_its_field_is_refused(void **state)
{
	static char long_name[ELF_NOTE_STR_MAX + 1];
	struct note_spec os = {XEN_ELFNOTE_GUEST_OS, long_name,
			       sizeof(long_name), NULL};

	memset(long_name, 'x', ELF_NOTE_STR_MAX - 1);
	build_changed(XEN_ELFNOTE_GUEST_OS, &os); /* 127 chars: fits */
	assert_accepted();
	memset(long_name, 'x', ELF_NOTE_STR_MAX);
	build_changed(XEN_ELFNOTE_GUEST_OS, &os);
	assert_refused("malformed Xen ELF note");
}

static void numeric_note_of_odd_size_is_refused(void **state)
{
	const struct note_spec odd = {XEN_ELFNOTE_ENTRY, "\x40\x00", 2, NULL};
	const struct note_spec short_map = {XEN_ELFNOTE_SUPPORTED_FEATURES,
					    "\xff\xff", 2, NULL};

	build_changed(XEN_ELFNOTE_ENTRY, &odd);
	assert_refused("malformed Xen ELF note");
	build_changed(XEN_ELFNOTE_SUPPORTED_FEATURES, &short_map);
	assert_refused("malformed Xen ELF note");
}

static void loader_other_than_generic_is_refused(void **state)
{
	const struct note_spec other = NOTE_STR(XEN_ELFNOTE_LOADER, "elf");

	build_changed(XEN_ELFNOTE_LOADER, &other);
	assert_refused("LOADER is not 'generic'");
}

static void xen_version_other_than_3_0_is_refused(void **state)
{
	const struct note_spec old =
		NOTE_STR(XEN_ELFNOTE_XEN_VERSION, "xen-2.0");

	build_changed(XEN_ELFNOTE_XEN_VERSION, &old);
	assert_refused("XEN_VERSION is not 'xen-3.0'");
	build_changed(XEN_ELFNOTE_XEN_VERSION, NULL);
	assert_refused("XEN_VERSION is not 'xen-3.0'");
}

static void hypercall_page_outside_the_kernel_is_refused(void **state)
{
	const uint64_t bad[] = {ELF_KSTART - 0x1000, ELF_KEND, 0};
	const uint64_t good[] = {ELF_KSTART, ELF_KEND - 0x1000};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct note_spec hc =
			NOTE_NUM(XEN_ELFNOTE_HYPERCALL_PAGE, bad[i]);

		build_changed(XEN_ELFNOTE_HYPERCALL_PAGE, &hc);
		assert_refused("hypercall page");
	}
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		const struct note_spec hc =
			NOTE_NUM(XEN_ELFNOTE_HYPERCALL_PAGE, good[i]);

		build_changed(XEN_ELFNOTE_HYPERCALL_PAGE, &hc);
		assert_accepted();
	}
}

static void unaligned_hypercall_page_is_refused(void **state)
{
	const struct note_spec hc =
		NOTE_NUM(XEN_ELFNOTE_HYPERCALL_PAGE, ELF_HYPERCALL_PAGE + 8);

	build_changed(XEN_ELFNOTE_HYPERCALL_PAGE, &hc);
	assert_refused("hypercall page");
}

static void entry_outside_the_kernel_is_refused(void **state)
{
	const uint64_t bad[] = {ELF_KSTART - 1, ELF_KEND, 0};
	const struct note_spec last = NOTE_NUM(XEN_ELFNOTE_ENTRY, ELF_KEND - 1);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct note_spec e = NOTE_NUM(XEN_ELFNOTE_ENTRY, bad[i]);

		build_changed(XEN_ELFNOTE_ENTRY, &e);
		assert_refused("entry point is outside the kernel");
	}
	build_changed(XEN_ELFNOTE_ENTRY, NULL);
	ehdr()->e_entry = ELF_KEND;
	assert_refused("entry point is outside the kernel");
	build_changed(XEN_ELFNOTE_ENTRY, &last);
	assert_accepted();
}

static void kernel_below_its_virtual_base_is_refused(void **state)
{
	const struct note_spec offset =
		NOTE_NUM(XEN_ELFNOTE_PADDR_OFFSET, ELF_KPHYS + 0x1000);

	build_changed(XEN_ELFNOTE_PADDR_OFFSET, &offset);
	assert_refused("below its virtual base");
}

static void required_unknown_feature_is_refused(void **state)
{
	const struct note_spec req =
		NOTE_STR(XEN_ELFNOTE_FEATURES, "dom0|!frobnicate");
	const struct note_spec opt =
		NOTE_STR(XEN_ELFNOTE_FEATURES, "dom0|frobnicate|");

	build_changed(XEN_ELFNOTE_FEATURES, &req);
	assert_refused("requires an unknown feature");
	build_changed(XEN_ELFNOTE_FEATURES, &opt);
	assert_accepted();
	assert_int_equal(pv.notes.f_required[0], 0);
}

static void required_supervisor_mode_kernel_is_refused(void **state)
{
	const struct note_spec smk =
		NOTE_STR(XEN_ELFNOTE_FEATURES, "!supervisor_mode_kernel");
	const struct note_spec wpt =
		NOTE_STR(XEN_ELFNOTE_FEATURES, "!writable_page_tables|dom0");
	const struct note_spec optional =
		NOTE_STR(XEN_ELFNOTE_FEATURES, "supervisor_mode_kernel");

	build_changed(XEN_ELFNOTE_FEATURES, &smk);
	assert_refused("requires a feature Paravane lacks");
	build_changed(XEN_ELFNOTE_FEATURES, &wpt);
	assert_refused("requires a feature Paravane lacks");
	build_changed(XEN_ELFNOTE_FEATURES, &optional);
	assert_accepted();
}

static void feature_name_too_long_is_refused(void **state)
{
	const struct note_spec long_feature = NOTE_STR(
		XEN_ELFNOTE_FEATURES,
		"dom0|a_feature_name_of_sixty_four_characters_is_one_too_many_for_it__");

	build_changed(XEN_ELFNOTE_FEATURES, &long_feature);
	assert_refused("feature name too long");
}

/* ---- Bounds -------------------------------------------------------------- */

static void every_truncation_is_refused_within_bounds(void **state)
{
	uint8_t *full;

	build_standard();
	full = malloc(img.size);
	assert_non_null(full);
	memcpy(full, img.data, img.size);
	for (size_t n = img.size; n-- > 0;) {
		free(img.data);
		img.data = malloc(n ? n : 1);
		if (!img.data)
			break;
		memcpy(img.data, full, n);
		img.size = n;
		if (parse() != -EINVAL) {
			free(full);
			fail_msg("a %zu-byte prefix was accepted", n);
		}
	}
	free(full);
}

#define TEST(f) cmocka_unit_test_teardown(f, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(image_with_every_note_parses),
		TEST(derived_addresses_follow_xen),
		TEST(features_string_and_bitmap_are_merged),
		TEST(program_headers_are_found_by_index),
		TEST(defaults_without_virt_base_paddr_offset_or_entry),
		TEST(paddr_offset_defaults_to_virt_base),
		TEST(entry_defaults_to_e_entry),
		TEST(span_covers_every_loadable_segment),
		TEST(guest_os_linux_stands_in_for_loader),
		TEST(pae_mode_yes_or_bimodal_sets_pae),
		TEST(numeric_notes_may_have_four_bytes),
		TEST(bad_magic_is_refused),
		TEST(elf32_is_refused),
		TEST(big_endian_is_refused),
		TEST(image_shorter_than_its_header_is_refused),
		TEST(wrong_machine_is_refused),
		TEST(shared_object_is_refused),
		TEST(program_headers_beyond_the_file_are_refused),
		TEST(misaligned_program_headers_are_refused),
		TEST(segment_beyond_the_file_is_refused),
		TEST(filesz_above_memsz_is_refused),
		TEST(segment_wrapping_the_address_space_is_refused),
		TEST(image_without_loadable_segment_is_refused),
		TEST(image_without_xen_notes_is_refused),
		TEST(note_running_past_its_segment_is_refused),
		TEST(unterminated_note_string_is_refused),
		TEST(note_string_longer_than_its_field_is_refused),
		TEST(numeric_note_of_odd_size_is_refused),
		TEST(loader_other_than_generic_is_refused),
		TEST(xen_version_other_than_3_0_is_refused),
		TEST(hypercall_page_outside_the_kernel_is_refused),
		TEST(unaligned_hypercall_page_is_refused),
		TEST(entry_outside_the_kernel_is_refused),
		TEST(kernel_below_its_virtual_base_is_refused),
		TEST(required_unknown_feature_is_refused),
		TEST(required_supervisor_mode_kernel_is_refused),
		TEST(feature_name_too_long_is_refused),
		TEST(every_truncation_is_refused_within_bounds),
	};

	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
