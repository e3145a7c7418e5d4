/*
 * The boot allocator: hands out frames before the buddy heap exists (for
 * the frame table itself and the first page tables). It keeps a sorted
 * list of free frame ranges, built from the RAM regions of the memory map
 * minus everything reserved (the image, the boot modules, low memory).
 * bootmem_hand_over() passes what is left to the heap and closes it.
 */
#include <hv/mm.h>

#define MAX_BOOTMEM_RANGES 256

struct range {
	uint64_t first, end; /* frames [first, end) */
};

static struct range ranges[MAX_BOOTMEM_RANGES];
static unsigned int nr_ranges;
static bool closed;

/* Forget everything; used at boot and by the unit tests. */
void bootmem_init(void)
{
	nr_ranges = 0;
	closed = false;
}

static void remove_at(unsigned int i)
{
	memmove(&ranges[i], &ranges[i + 1],
		(nr_ranges - i - 1) * sizeof(ranges[0]));
	nr_ranges--;
}

static int insert_at(unsigned int i, uint64_t first, uint64_t end)
{
	if (nr_ranges == MAX_BOOTMEM_RANGES)
		return -ENOSPC;
	memmove(&ranges[i + 1], &ranges[i],
		(nr_ranges - i) * sizeof(ranges[0]));
	ranges[i] = (struct range){first, end};
	nr_ranges++;
	return 0;
}

/*
 * Add free frames [first, first + nr). Overlapping or adjacent ranges are
 * merged. Returns -ENOSPC when the range table is full.
 */
int bootmem_add(mfn_t first, unsigned long nr)
{
	uint64_t s = mfn_x(first), e = s + nr;
	unsigned int i = 0;

	if (!nr || closed)
		return 0;
	while (i < nr_ranges && ranges[i].end < s)
		i++;
	/* Merge with every range that overlaps or touches [s, e). */
	while (i < nr_ranges && ranges[i].first <= e) {
		s = MIN(s, ranges[i].first);
		e = MAX(e, ranges[i].end);
		remove_at(i);
	}
	return insert_at(i, s, e);
}

/* Take frames [first, first + nr) out of the free ranges. */
void bootmem_reserve(mfn_t first, unsigned long nr)
{
	uint64_t s = mfn_x(first), e = s + nr;

	if (!nr)
		return; /* an empty range (say, an empty module) splits nothing */
	for (unsigned int i = 0; i < nr_ranges;) {
		struct range r = ranges[i];

		if (r.end <= s || r.first >= e) {
			i++;
		} else if (r.first < s && r.end > e) {
			ranges[i].end = s; /* a hole in the middle: split */
			if (insert_at(i + 1, e, r.end))
				panic("bootmem: more than %d free ranges\n",
				      MAX_BOOTMEM_RANGES);
			return;
		} else if (r.first < s) {
			ranges[i++].end = s;
		} else if (r.end > e) {
			ranges[i++].first = e;
		} else {
			remove_at(i);
		}
	}
}

/*
 * Allocate nr contiguous frames aligned to align frames (a power of two),
 * all below limit, taking the highest such frames. Returns the first
 * frame, or INVALID_MFN_RAW as an mfn when nothing fits.
 */
mfn_t bootmem_alloc(unsigned long nr, unsigned long align, mfn_t limit)
{
	if (!align)
		align = 1;
	ASSERT(!closed && (align & (align - 1)) == 0);

	for (unsigned int i = nr_ranges; i-- > 0;) {
		uint64_t end = MIN(ranges[i].end, mfn_x(limit));
		uint64_t first;

		if (end < ranges[i].first + nr)
			continue;
		first = ROUNDDOWN(end - nr, align);
		if (first < ranges[i].first)
			continue;
		bootmem_reserve(_mfn(first), nr);
		return _mfn(first);
	}
	return _mfn(INVALID_MFN_RAW);
}

/* Frames still free in the boot allocator. */
unsigned long bootmem_free_pages(void)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < nr_ranges; i++)
		n += ranges[i].end - ranges[i].first;
	return n;
}

/* Pass every remaining free range to fn, then close the allocator. */
void bootmem_hand_over(bootmem_range_fn fn)
{
	for (unsigned int i = 0; i < nr_ranges; i++)
		fn(_mfn(ranges[i].first), ranges[i].end - ranges[i].first);
	nr_ranges = 0;
	closed = true;
}
