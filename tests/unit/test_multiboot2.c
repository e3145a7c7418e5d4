/*
 * Unit tests for the multiboot2 information parser (common/multiboot2.c).
 * Each test builds an information structure tag by tag and parses a copy
 * placed in a heap buffer of exactly the bytes the parser may read, so
 * AddressSanitizer turns any read outside them into a failure. Covered:
 * every tag we use, unknown tags, truncation of long lists, the RSDP
 * preference, and malformed structures, which must all be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <hv/bootinfo.h>

#define TAG_END 0
#define TAG_CMDLINE 1
#define TAG_LOADER_NAME 2
#define TAG_MODULE 3
#define TAG_BASIC_MEMINFO 4
#define TAG_MMAP 6
#define TAG_FRAMEBUFFER 8
#define TAG_ACPI_OLD 14
#define TAG_ACPI_NEW 15
#define TAG_LOAD_BASE_ADDR 21

struct mmap_entry {
	uint64_t addr, len;
	uint32_t type, zero;
};

/* The structure under construction; len is where the next tag goes. */
static uint8_t mbi[64 * 1024] __aligned(8);
static size_t mbi_len;
static struct boot_info bi;

static void header_set_total(uint32_t total)
{
	memcpy(mbi, &total, sizeof(total));
}

static int setup(void **state)
{
	memset(mbi, 0, sizeof(mbi));
	mbi_len = 8;
	return 0;
}

/* Append a tag of size bytes (header included); returns its body. */
static uint8_t *add_tag(uint32_t type, uint32_t size)
{
	uint8_t *t = mbi + mbi_len;

	assert_true(mbi_len + ROUNDUP(size, 8) <= sizeof(mbi));
	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	mbi_len += ROUNDUP(size, 8);
	return t + 8;
}

static void add_string(uint32_t type, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(add_tag(type, (uint32_t)(8 + n)), s, n);
}

static void add_module(uint32_t start, uint32_t end, const char *cmdline)
{
	size_t n = strlen(cmdline) + 1;
	uint8_t *b = add_tag(TAG_MODULE, (uint32_t)(16 + n));

	memcpy(b, &start, 4);
	memcpy(b + 4, &end, 4);
	memcpy(b + 8, cmdline, n);
}

static void add_meminfo(uint32_t lower, uint32_t upper)
{
	uint8_t *b = add_tag(TAG_BASIC_MEMINFO, 16);

	memcpy(b, &lower, 4);
	memcpy(b + 4, &upper, 4);
}

static void add_mmap(uint32_t entry_size, const struct mmap_entry *e,
		     unsigned int n)
{
	uint8_t *b = add_tag(TAG_MMAP, 16 + entry_size * n);
	uint32_t version = 0;

	memcpy(b, &entry_size, 4);
	memcpy(b + 4, &version, 4);
	for (unsigned int i = 0; i < n; i++)
		memcpy(b + 8 + i * entry_size, &e[i], sizeof(e[i]));
}

static void add_rsdp(uint32_t type, uint32_t len, uint8_t fill)
{
	memset(add_tag(type, 8 + len), fill, len);
}

static void add_end(void)
{
	add_tag(TAG_END, 8);
}

/* Parse a copy of the first avail bytes, in a buffer of exactly that size. */
static int parse_avail(size_t avail)
{
	uint8_t *copy = malloc(avail ? avail : 1);
	int rc;

	memcpy(copy, mbi, avail);
	memset(&bi, 0x5a, sizeof(bi));
	rc = mb2_parse(copy, avail, &bi);
	free(copy);
	return rc;
}

/* Finish the structure (total_size = what was built) and parse it. */
static int parse(void)
{
	header_set_total((uint32_t)mbi_len);
	return parse_avail(mbi_len);
}

static void minimal_structure_parses_to_empty_info(void **state)
{
	add_end();
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader, "");
	assert_int_equal(bi.mem_lower_kb, 0);
	assert_int_equal(bi.nr_mem, 0);
	assert_int_equal(bi.nr_mods, 0);
	assert_int_equal(bi.rsdp_len, 0);
	assert_false(bi.mem_truncated);
	assert_false(bi.mods_truncated);
}

static void cmdline_and_loader_name_are_copied(void **state)
{
	add_string(TAG_CMDLINE, "loglvl=4 console=com1");
	add_string(TAG_LOADER_NAME, "GRUB 2.06");
	add_end();
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "loglvl=4 console=com1");
	assert_string_equal(bi.loader, "GRUB 2.06");
}

static void long_strings_are_truncated_to_their_buffers(void **state)
{
	char s[2000];

	memset(s, 'c', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	add_string(TAG_CMDLINE, s);
	add_string(TAG_LOADER_NAME, s);
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_LEN - 1);
	assert_int_equal(strlen(bi.loader), LOADER_NAME_LEN - 1);
}

static void basic_meminfo_is_copied(void **state)
{
	add_meminfo(639, 2096128);
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.mem_lower_kb, 639);
	assert_int_equal(bi.mem_upper_kb, 2096128);
}

static void modules_are_copied_in_order(void **state)
{
	char long_cmdline[MODULE_CMDLINE_LEN + 100];

	memset(long_cmdline, 'm', sizeof(long_cmdline) - 1);
	long_cmdline[sizeof(long_cmdline) - 1] = '\0';
	add_module(0x400000, 0x500000, "dom0 kernel console=hvc0");
	add_module(0x600000, 0x600000, ""); /* empty module, no cmdline */
	add_module(0x700000, 0x700100, long_cmdline);
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mods, 3);
	assert_int_equal(paddr_x(bi.mods[0].start), 0x400000);
	assert_int_equal(bi.mods[0].size, 0x100000);
	assert_string_equal(bi.mods[0].cmdline, "dom0 kernel console=hvc0");
	assert_int_equal(bi.mods[1].size, 0);
	assert_string_equal(bi.mods[1].cmdline, "");
	assert_int_equal(bi.mods[2].size, 0x100);
	assert_int_equal(strlen(bi.mods[2].cmdline), MODULE_CMDLINE_LEN - 1);
}

static void too_many_modules_sets_truncated(void **state)
{
	for (uint32_t i = 0; i < MAX_BOOT_MODULES + 2; i++)
		add_module(i << 20, (i << 20) + 10, "m");
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mods, MAX_BOOT_MODULES);
	assert_true(bi.mods_truncated);
	assert_int_equal(paddr_x(bi.mods[MAX_BOOT_MODULES - 1].start),
			 (MAX_BOOT_MODULES - 1) << 20);
}

static void mmap_entries_are_copied_skipping_empty_ones(void **state)
{
	static const struct mmap_entry e[] = {
		{0, 0x9fc00, MEM_AVAILABLE, 0},
		{0x9fc00, 0, MEM_RESERVED, 0}, /* empty: skipped */
		{0x100000, 0x7ff00000, MEM_AVAILABLE, 0},
		{0xfee00000, 0x1000, 7, 0}, /* unknown type kept */
	};

	add_mmap(sizeof(e[0]), e, ARRAY_SIZE(e));
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem, 3);
	assert_int_equal(bi.mem[0].addr, 0);
	assert_int_equal(bi.mem[0].len, 0x9fc00);
	assert_int_equal(bi.mem[0].type, MEM_AVAILABLE);
	assert_int_equal(bi.mem[1].addr, 0x100000);
	assert_int_equal(bi.mem[1].len, 0x7ff00000);
	assert_int_equal(bi.mem[2].type, 7);
	assert_false(bi.mem_truncated);
}

static void mmap_larger_entry_size_is_honoured(void **state)
{
	static const struct mmap_entry e[] = {
		{0x1000, 0x2000, MEM_AVAILABLE, 0},
		{0x5000, 0x3000, MEM_ACPI_NVS, 0},
	};

	add_mmap(32, e, ARRAY_SIZE(e));
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem, 2);
	assert_int_equal(bi.mem[1].addr, 0x5000);
	assert_int_equal(bi.mem[1].type, MEM_ACPI_NVS);
}

static void mmap_entry_size_too_small_or_odd_is_rejected(void **state)
{
	static const struct mmap_entry e[] = {{0, 0x1000, 1, 0}};

	add_mmap(16, e, 1);
	add_end();
	assert_int_equal(parse(), -EINVAL);

	setup(state);
	add_mmap(28, e, 1);
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void mmap_entry_wrapping_around_is_rejected(void **state)
{
	static const struct mmap_entry e[] = {
		{0xfffffffffffff000UL, 0x2000, MEM_AVAILABLE, 0},
	};

	add_mmap(sizeof(e[0]), e, 1);
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void too_many_regions_sets_truncated(void **state)
{
	static struct mmap_entry e[MAX_MEM_REGIONS + 5];

	for (unsigned int i = 0; i < ARRAY_SIZE(e); i++)
		e[i] = (struct mmap_entry){i * 0x10000UL, 0x1000, 1, 0};
	add_mmap(sizeof(e[0]), e, ARRAY_SIZE(e));
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.nr_mem, MAX_MEM_REGIONS);
	assert_true(bi.mem_truncated);
	assert_int_equal(bi.mem[MAX_MEM_REGIONS - 1].addr,
			 (MAX_MEM_REGIONS - 1) * 0x10000UL);
}

static void old_rsdp_alone_is_used(void **state)
{
	add_rsdp(TAG_ACPI_OLD, 20, 'O');
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_len, 20);
	assert_int_equal(bi.rsdp[0], 'O');
	assert_int_equal(bi.rsdp[19], 'O');
}

static void new_rsdp_wins_when_it_comes_first(void **state)
{
	add_rsdp(TAG_ACPI_NEW, 36, 'N');
	add_rsdp(TAG_ACPI_OLD, 20, 'O');
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp[0], 'N');
	assert_int_equal(bi.rsdp[35], 'N');
}

static void new_rsdp_wins_when_it_comes_last(void **state)
{
	add_rsdp(TAG_ACPI_OLD, 20, 'O');
	add_rsdp(TAG_ACPI_NEW, 36, 'N');
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp[0], 'N');
}

static void rsdp_is_clamped_and_short_one_rejected(void **state)
{
	add_rsdp(TAG_ACPI_NEW, 44, 'N');
	add_end();
	assert_int_equal(parse(), 0);
	assert_int_equal(bi.rsdp_len, RSDP_MAX_LEN);

	setup(state);
	add_rsdp(TAG_ACPI_OLD, 19, 'O');
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void unknown_tags_are_skipped(void **state)
{
	memset(add_tag(TAG_FRAMEBUFFER, 8 + 31), 0xff, 31);
	memset(add_tag(TAG_LOAD_BASE_ADDR, 12), 0, 4);
	add_string(TAG_CMDLINE, "after");
	add_end();
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "after");
}

static void parsing_stops_at_end_tag(void **state)
{
	add_end();
	add_string(TAG_CMDLINE, "never seen");
	assert_int_equal(parse(), 0);
	assert_string_equal(bi.cmdline, "");
}

static void null_or_misaligned_structure_is_rejected(void **state)
{
	uint8_t *buf = malloc(64);

	add_end();
	header_set_total((uint32_t)mbi_len);
	assert_int_equal(mb2_parse(NULL, 4096, &bi), -EINVAL);
	memcpy(buf + 4, mbi, mbi_len);
	assert_int_equal(mb2_parse(buf + 4, mbi_len, &bi), -EINVAL);
	memcpy(buf, mbi, mbi_len);
	assert_int_equal(mb2_parse(buf, mbi_len, &bi), 0);
	free(buf);
}

static void header_beyond_available_bytes_is_rejected(void **state)
{
	add_end();
	header_set_total((uint32_t)mbi_len);
	assert_int_equal(parse_avail(0), -EINVAL);
	assert_int_equal(parse_avail(4), -EINVAL);
}

static void total_size_too_small_is_rejected(void **state)
{
	add_end();
	header_set_total(8);
	assert_int_equal(parse_avail(mbi_len), -EINVAL);
	header_set_total(15);
	assert_int_equal(parse_avail(mbi_len), -EINVAL);
}

static void total_size_beyond_available_is_rejected(void **state)
{
	add_string(TAG_CMDLINE, "x");
	add_end();
	header_set_total((uint32_t)mbi_len);
	assert_int_equal(parse_avail(mbi_len - 8), -EINVAL);
	assert_int_equal(parse_avail(mbi_len), 0);
}

static void tag_running_past_end_is_rejected(void **state)
{
	/* A string tag claiming 4 KiB, with no NUL in the bytes that exist. */
	uint8_t *b = add_tag(TAG_CMDLINE, 8 + 8);
	uint32_t big = 8 + 4096;

	memcpy(b, "abcdefgh", 8);
	memcpy(b - 4, &big, 4);
	assert_int_equal(parse(), -EINVAL);
}

static void mmap_running_past_end_is_rejected(void **state)
{
	static const struct mmap_entry e[] = {{0, 0x1000, 1, 0}};
	uint32_t big = 16 + 24 * 100;
	uint8_t *b = mbi + mbi_len;

	add_mmap(sizeof(e[0]), e, 1);
	memcpy(b + 4, &big, 4); /* claims 100 entries, has 1 */
	assert_int_equal(parse(), -EINVAL);
}

static void tag_smaller_than_its_header_is_rejected(void **state)
{
	uint8_t *b = add_tag(TAG_CMDLINE, 8);
	uint32_t size = 0;

	add_end();
	memcpy(b - 4, &size, 4); /* size 0 would loop forever */
	assert_int_equal(parse(), -EINVAL);
	size = 4;
	memcpy(b - 4, &size, 4);
	assert_int_equal(parse(), -EINVAL);
}

static void missing_end_tag_is_rejected(void **state)
{
	add_string(TAG_CMDLINE, "no end");
	assert_int_equal(parse(), -EINVAL);
}

static void end_tag_of_wrong_size_is_rejected(void **state)
{
	add_tag(TAG_END, 16);
	assert_int_equal(parse(), -EINVAL);
}

static void unterminated_strings_are_rejected(void **state)
{
	uint8_t *b;

	memcpy(add_tag(TAG_CMDLINE, 8 + 3), "abc", 3);
	add_end();
	assert_int_equal(parse(), -EINVAL);

	setup(state);
	add_tag(TAG_LOADER_NAME, 8); /* empty body: not even a NUL */
	add_end();
	assert_int_equal(parse(), -EINVAL);

	setup(state);
	b = add_tag(TAG_MODULE, 16 + 4);
	memcpy(b + 8, "kern", 4);
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void module_ending_before_start_is_rejected(void **state)
{
	add_module(0x500000, 0x4fffff, "backwards");
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void module_tag_without_cmdline_is_rejected(void **state)
{
	add_tag(TAG_MODULE, 16);
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void short_meminfo_is_rejected(void **state)
{
	add_tag(TAG_BASIC_MEMINFO, 12);
	add_end();
	assert_int_equal(parse(), -EINVAL);
}

static void memory_types_have_names(void **state)
{
	assert_string_equal(mem_type_name(MEM_AVAILABLE), "RAM");
	assert_string_equal(mem_type_name(MEM_RESERVED), "reserved");
	assert_string_equal(mem_type_name(MEM_ACPI_RECLAIMABLE), "ACPI data");
	assert_string_equal(mem_type_name(MEM_ACPI_NVS), "ACPI NVS");
	assert_string_equal(mem_type_name(MEM_BAD), "bad");
	assert_string_equal(mem_type_name(0), "unknown");
	assert_string_equal(mem_type_name(12), "unknown");
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(minimal_structure_parses_to_empty_info),
		TEST(cmdline_and_loader_name_are_copied),
		TEST(long_strings_are_truncated_to_their_buffers),
		TEST(basic_meminfo_is_copied),
		TEST(modules_are_copied_in_order),
		TEST(too_many_modules_sets_truncated),
		TEST(mmap_entries_are_copied_skipping_empty_ones),
		TEST(mmap_larger_entry_size_is_honoured),
		TEST(mmap_entry_size_too_small_or_odd_is_rejected),
		TEST(mmap_entry_wrapping_around_is_rejected),
		TEST(too_many_regions_sets_truncated),
		TEST(old_rsdp_alone_is_used),
		TEST(new_rsdp_wins_when_it_comes_first),
		TEST(new_rsdp_wins_when_it_comes_last),
		TEST(rsdp_is_clamped_and_short_one_rejected),
		TEST(unknown_tags_are_skipped),
		TEST(parsing_stops_at_end_tag),
		TEST(null_or_misaligned_structure_is_rejected),
		TEST(header_beyond_available_bytes_is_rejected),
		TEST(total_size_too_small_is_rejected),
		TEST(total_size_beyond_available_is_rejected),
		TEST(tag_running_past_end_is_rejected),
		TEST(mmap_running_past_end_is_rejected),
		TEST(tag_smaller_than_its_header_is_rejected),
		TEST(missing_end_tag_is_rejected),
		TEST(end_tag_of_wrong_size_is_rejected),
		TEST(unterminated_strings_are_rejected),
		TEST(module_ending_before_start_is_rejected),
		TEST(module_tag_without_cmdline_is_rejected),
		TEST(short_meminfo_is_rejected),
		TEST(memory_types_have_names),
	};

	return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
