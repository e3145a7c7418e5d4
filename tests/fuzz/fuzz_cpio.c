/*
 * libFuzzer target for dom0's ramdisk reader (tools/ctrl/cpio.c): every
 * input is a newc archive, handed over in an allocation of exactly its
 * size. Whatever the reader returns must lie inside the input: every
 * entry's name and data, whether listed, looked up or reached through
 * links.
 */
#include <stddef.h>
#include <stdint.h>

#include <ctrl/cpio.h>

static const uint8_t *base, *end;

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

static void check_entry(const struct cpio_entry *e)
{
	volatile uint8_t sink;

	check((const uint8_t *)e->name >= base &&
	      (const uint8_t *)e->name + e->name_len < end);
	check(e->data >= base && e->size <= (size_t)(end - e->data));
	if (e->size)
		sink = e->data[e->size - 1];
	(void)sink;
}

/* Fuzz one archive. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/etc/xl/auto/demo-a.cfg",
		"/boot/pingpong.elf",
		"etc/xl",
		"a",
		"./b/c",
		"/",
	};
	struct cpio_archive a;
	struct cpio_entry e;
	const char *name;
	size_t cursor = 0;
	int rc;

	base = data;
	end = data + size;
	cpio_open(&a, data, size);
	while ((rc = cpio_next(&a, &cursor, &e)) == 1) {
		check_entry(&e);
		check(cursor <= size);
		if (cpio_entry_in_dir(&e, "/etc/xl/auto", &name))
			check(name >= e.name && name <= e.name + e.name_len);
	}
	check(rc == 0 || rc < 0);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (!cpio_lookup(&a, paths[i], &e))
			check_entry(&e);
	return 0;
}
