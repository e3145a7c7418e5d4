/*
 * The memory-management test machine (see mm_fixture.h).
 */
#include <stdlib.h>

#include "fake/fake.h"
#include "mm_fixture.h"

static struct page_info *table;
static unsigned long table_frames, total_before;

/*
 * Allocate every free frame, largest blocks first, so that the heap's free
 * lists are empty and a new frame table can replace the old one. Returns
 * the number of frames taken.
 */
unsigned long mm_fixture_drain(void)
{
	unsigned long n = 0;

	if (!table)
		return 0;
	for (unsigned int o = MAX_ORDER + 1; o-- > 0;)
		while (alloc_heap_pages(o))
			n += 1UL << o;
	return n;
}

/*
 * Build a machine of nr_frames frames, all bytes set to fill, whose RAM
 * is ram[0 .. nr_ram) and everything else reserved, with that RAM in the
 * heap (need_scrub: as boot memory of unknown contents).
 */
void mm_fixture_init(unsigned long nr_frames, const struct ram_range *ram,
		     size_t nr_ram, bool need_scrub, uint8_t fill)
{
	mm_fixture_fini();
	fake_ram_init(nr_frames, fill);
	table = calloc(nr_frames, sizeof(*table));
	if (!table)
		abort();
	table_frames = nr_frames;
	frame_table_init(table, nr_frames);
	total_before = heap_total_pages();
	for (size_t i = 0; i < nr_ram; i++) {
		frame_table_mark_ram(_mfn(ram[i].first), ram[i].nr);
		heap_init_range(_mfn(ram[i].first), ram[i].nr, need_scrub);
	}
	fake_log_clear();
}

/* Frames given to the heap since mm_fixture_init(). */
unsigned long mm_fixture_total_pages(void)
{
	return heap_total_pages() - total_before;
}

/*
 * Empty the heap and free the machine. A test that swapped in a frame
 * table of its own and failed before restoring it gets ours back first.
 */
void mm_fixture_fini(void)
{
	fake_cpu_recover();
	if (table) {
		frame_table = table;
		max_page = table_frames;
	}
	mm_fixture_drain();
	free(table);
	table = NULL;
	fake_ram_free();
}
