/*
 * Unit tests for dom0's cpio reader (tools/ctrl/cpio.c): archives are
 * written here in newc format, found and listed, links followed; then
 * broken in every way a hostile ramdisk could be - cut short anywhere,
 * bad magic, bad digits, names without their NUL, sizes past the end -
 * and must be refused without a read outside the archive (the
 * sanitizers watch; each archive lives in a buffer of its exact size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ctrl/cpio.h>
#include <paravane/errno.h>

struct builder {
	uint8_t buf[8192];
	size_t len;
};

static void put(struct builder *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->buf));
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void pad(struct builder *b)
{
	while (b->len % 4)
		b->buf[b->len++] = 0;
}

/* Append one entry, as cpio -o -H newc writes it. */
static void add(struct builder *b, const char *name, uint32_t mode,
		const void *data, size_t size)
{
	char hdr[160];

	snprintf(hdr, sizeof(hdr),
		 "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 1, mode, 0, 0, 1, 0, (uint32_t)size, 0, 0, 0, 0,
		 (uint32_t)strlen(name) + 1, 0);
	put(b, hdr, 110);
	put(b, name, strlen(name) + 1);
	pad(b);
	put(b, data, size);
	pad(b);
}

static void add_file(struct builder *b, const char *name, const char *text)
{
	add(b, name, CPIO_MODE_FILE | 0644, text, strlen(text));
}

static void add_link(struct builder *b, const char *name, const char *to)
{
	add(b, name, CPIO_MODE_LINK | 0777, to, strlen(to));
}

static void finish(struct builder *b)
{
	add(b, "TRAILER!!!", 0, "", 0);
}

/* The archive in a heap buffer of exactly its size. */
static uint8_t *exact_copy(const struct builder *b, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, b->buf, len);
	return p;
}

static struct builder sample;

static int setup(void **state)
{
	memset(&sample, 0, sizeof(sample));
	add(&sample, ".", CPIO_MODE_DIR | 0755, "", 0);
	add(&sample, "etc", CPIO_MODE_DIR | 0755, "", 0);
	add_file(&sample, "etc/xl/demo-a.cfg", "name = \"demo-a\"\n");
	add_file(&sample, "./etc/xl/demo-b.cfg", "name = \"demo-b\"\n");
	add_file(&sample, "/boot/k.elf",
		 "\x7f"
		 "ELF");
	add_link(&sample, "etc/xl/auto/demo-a.cfg", "../demo-a.cfg");
	add_link(&sample, "etc/xl/auto/b.cfg", "/etc/xl/demo-b.cfg");
	add_link(&sample, "etc/xl/auto/chain.cfg", "./a2.cfg");
	add_link(&sample, "etc/xl/auto/a2.cfg", "demo-a.cfg");
	add_link(&sample, "loop1", "loop2");
	add_link(&sample, "loop2", "loop1");
	add_file(&sample, "empty", "");
	finish(&sample);
	return 0;
}

static int lookup(const char *path, struct cpio_entry *e)
{
	struct cpio_archive a;
	uint8_t *copy = exact_copy(&sample, sample.len);
	int rc;

	cpio_open(&a, copy, sample.len);
	rc = cpio_lookup(&a, path, e);
	if (!rc && e->size) { /* check the data before the buffer goes */
		static uint8_t data[64];

		assert_true(e->size <= sizeof(data));
		memcpy(data, e->data, e->size);
		e->data = data;
	}
	free(copy);
	return rc;
}

static void files_are_found_with_their_data(void **state)
{
	struct cpio_entry e;

	assert_int_equal(lookup("/etc/xl/demo-a.cfg", &e), 0);
	assert_int_equal(e.size, 16);
	assert_memory_equal(e.data, "name = \"demo-a\"\n", 16);
	assert_int_equal(e.mode & CPIO_MODE_TYPE, CPIO_MODE_FILE);
	assert_int_equal(lookup("boot/k.elf", &e), 0);
	assert_int_equal(e.size, 4);
	assert_int_equal(lookup("./empty", &e), 0);
	assert_int_equal(e.size, 0);
}

static void stored_prefixes_do_not_matter(void **state)
{
	struct cpio_entry e;

	/* Stored as "./etc/..." and "/boot/...": found under any form. */
	assert_int_equal(lookup("/etc/xl/demo-b.cfg", &e), 0);
	assert_int_equal(lookup("etc/xl/demo-b.cfg", &e), 0);
	assert_int_equal(lookup("//boot/k.elf", &e), 0);
	assert_int_equal(lookup("./boot/k.elf", &e), 0);
}

static void missing_files_are_enoent(void **state)
{
	struct cpio_entry e;

	assert_int_equal(lookup("/etc/xl/demo-c.cfg", &e), -ENOENT);
	assert_int_equal(lookup("/etc/xl/demo-a.cf", &e), -ENOENT);
	assert_int_equal(lookup("/etc/xl", &e), -ENOENT); /* no entry */
	assert_int_equal(lookup("TRAILER!!!", &e), -ENOENT);
}

static void links_are_followed(void **state)
{
	struct cpio_entry e;

	assert_int_equal(lookup("/etc/xl/auto/demo-a.cfg", &e), 0);
	assert_memory_equal(e.data, "name = \"demo-a\"\n", 16);
	assert_int_equal(lookup("/etc/xl/auto/b.cfg", &e), 0);
	assert_memory_equal(e.data, "name = \"demo-b\"\n", 16);
	/* chain -> a2 -> demo-a.cfg in auto/, itself a link to ../ */
	assert_int_equal(lookup("/etc/xl/auto/chain.cfg", &e), 0);
	assert_memory_equal(e.data, "name = \"demo-a\"\n", 16);
}

static void relative_links_resolve_in_their_directory(void **state)
{
	struct builder b = {0};
	struct cpio_archive a;
	struct cpio_entry e;

	add_file(&b, "d/f", "x");
	add_link(&b, "d/sub/l1", "../f");
	add_link(&b, "d/sub/l2", "./../sub/../f");
	add_link(&b, "d/l3", "sub/l1");
	add_link(&b, "top", "../../../d/f"); /* ".." stops at the root */
	finish(&b);
	cpio_open(&a, b.buf, b.len);
	assert_int_equal(cpio_lookup(&a, "d/sub/l1", &e), 0);
	assert_int_equal(cpio_lookup(&a, "d/sub/l2", &e), 0);
	assert_int_equal(cpio_lookup(&a, "d/l3", &e), 0);
	assert_int_equal(cpio_lookup(&a, "top", &e), 0);
	assert_memory_equal(e.data, "x", 1);
}

static void link_loops_end(void **state)
{
	struct cpio_entry e;

	assert_int_equal(lookup("loop1", &e), -EMLINK);
}

static void a_long_link_chain_ends(void **state)
{
	struct builder b = {0};
	struct cpio_archive a;
	struct cpio_entry e;
	char name[16], to[16];

	for (int i = 0; i < CPIO_MAX_LINKS + 2; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		snprintf(to, sizeof(to), "l%d", i + 1);
		add_link(&b, name, to);
	}
	add_file(&b, "l10", "end");
	finish(&b);
	cpio_open(&a, b.buf, b.len);
	assert_int_equal(cpio_lookup(&a, "l9", &e), 0);
	assert_int_equal(cpio_lookup(&a, "l0", &e), -EMLINK);
}

static void too_long_paths_are_refused(void **state)
{
	char path[CPIO_PATH_MAX + 8];
	struct cpio_entry e;

	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(lookup(path, &e), -ENAMETOOLONG);
}

static void directories_are_listed_one_level(void **state)
{
	struct cpio_archive a;
	struct cpio_entry e;
	size_t cursor = 0;
	const char *base;
	char seen[256] = "";
	int rc;

	cpio_open(&a, sample.buf, sample.len);
	while ((rc = cpio_next(&a, &cursor, &e)) == 1)
		if (cpio_entry_in_dir(&e, "/etc/xl/auto/", &base)) {
			strcat(seen, base);
			strcat(seen, " ");
		}
	assert_int_equal(rc, 0);
	assert_string_equal(seen, "demo-a.cfg b.cfg chain.cfg a2.cfg ");
	seen[0] = '\0';
	cursor = 0;
	while (cpio_next(&a, &cursor, &e) == 1)
		if (cpio_entry_in_dir(&e, "/", &base)) {
			strcat(seen, base);
			strcat(seen, " ");
		}
	assert_string_equal(seen, "etc loop1 loop2 empty ");
}

static void iteration_stops_at_the_trailer(void **state)
{
	struct builder b = {0};
	struct cpio_archive a;
	struct cpio_entry e;
	size_t cursor = 0;
	int n = 0;

	add_file(&b, "one", "1");
	finish(&b);
	add_file(&b, "after", "2");
	cpio_open(&a, b.buf, b.len);
	while (cpio_next(&a, &cursor, &e) == 1)
		n++;
	assert_int_equal(n, 1);
	assert_int_equal(cpio_lookup(&a, "after", &e), -ENOENT);
}

static void crc_format_is_accepted(void **state)
{
	struct builder b = {0};
	struct cpio_archive a;
	struct cpio_entry e;

	add_file(&b, "f", "data");
	b.buf[5] = '2';
	finish(&b);
	cpio_open(&a, b.buf, b.len);
	assert_int_equal(cpio_lookup(&a, "f", &e), 0);
}

/* Every prefix of the archive is read without going past its end. */
static void cut_short_anywhere_is_safe(void **state)
{
	for (size_t len = 0; len < sample.len; len++) {
		uint8_t *copy = exact_copy(&sample, len);
		struct cpio_archive a;
		struct cpio_entry e;
		size_t cursor = 0;
		int rc;

		cpio_open(&a, copy, len);
		while ((rc = cpio_next(&a, &cursor, &e)) == 1) {
			assert_true(e.data + e.size <= copy + len);
			assert_true(cursor <= len); /* even without padding */
		}
		assert_true(rc == 0 || rc == -EINVAL);
		rc = cpio_lookup(&a, "etc/xl/auto/demo-a.cfg", &e);
		assert_true(rc == 0 || rc == -ENOENT || rc == -EINVAL);
		free(copy);
	}
}

/* Overwrite the archive of one file "f" at offset, then look "f" up. */
static int corrupt_n(size_t offset, const char *bytes, size_t n)
{
	struct builder b = {0};
	struct cpio_archive a;
	struct cpio_entry e;
	uint8_t *copy;
	int rc;

	add_file(&b, "f", "data");
	finish(&b);
	memcpy(b.buf + offset, bytes, n);
	copy = exact_copy(&b, b.len);
	cpio_open(&a, copy, b.len);
	rc = cpio_lookup(&a, "f", &e);
	free(copy);
	return rc;
}

static int corrupt_and_lookup(size_t offset, const char *bytes)
{
	return corrupt_n(offset, bytes, strlen(bytes));
}

static void corrupt_headers_are_refused(void **state)
{
	/* Field offsets: magic 0, mode 14, filesize 54, namesize 94. */
	assert_int_equal(corrupt_and_lookup(0, "070703"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(0, "x"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(14, "0000g000"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(54, "7fffffff"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(54, "ffffffff"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(94, "00000000"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(94, "ffffffff"), -EINVAL);
	assert_int_equal(corrupt_and_lookup(94, "00000001"), -EINVAL);
	assert_int_equal(corrupt_n(110, "", 1), -EINVAL); /* NUL too early */
	assert_int_equal(corrupt_and_lookup(111, "x"), -EINVAL);
}

static void garbage_is_refused(void **state)
{
	static const uint8_t junk[300] = {'0', '7', '0', '7', '0', '1'};
	struct cpio_archive a;
	struct cpio_entry e;

	cpio_open(&a, junk, sizeof(junk));
	assert_int_equal(cpio_lookup(&a, "f", &e), -EINVAL);
	cpio_open(&a, junk, 0);
	assert_int_equal(cpio_lookup(&a, "f", &e), -ENOENT);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(files_are_found_with_their_data),
		TEST(stored_prefixes_do_not_matter),
		TEST(missing_files_are_enoent),
		TEST(links_are_followed),
		TEST(relative_links_resolve_in_their_directory),
		TEST(link_loops_end),
		TEST(a_long_link_chain_ends),
		TEST(too_long_paths_are_refused),
		TEST(directories_are_listed_one_level),
		TEST(iteration_stops_at_the_trailer),
		TEST(crc_format_is_accepted),
		TEST(cut_short_anywhere_is_safe),
		TEST(corrupt_headers_are_refused),
		TEST(garbage_is_refused),
	};

	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
