/*
 * The frame allocator: which pseudo-physical frames are in use, and which
 * of them are page tables.
 *
 * Two bitmaps with one bit per pfn: "allocated" and "page table". They
 * live in the first free frames after the bootstrap data (mm_init.c finds
 * room for them there, where Xen's initial mapping already reaches), so
 * the allocator works before the direct map exists. Allocation is first
 * fit from the lowest free pfn, which keeps early allocations inside the
 * bootstrap mapping while the direct map is being built.
 *
 * The "page table" bit is what the direct map consults to map a frame
 * read-only; directmap.c keeps it in step with the mappings.
 *
 * One lock (taken with events masked) covers both bitmaps and the
 * counters, since every vCPU allocates.
 */
#include <guest/errno.h>
#include <guest/mm.h>
#include <guest/shutdown.h>
#include <guest/spinlock.h>
#include <paravane/compiler.h>
#include <paravane/string.h>

#define BITS 64

static uint64_t *allocated, *pagetable;
static unsigned long nr_frames, nr_free, lowest_free;
static spinlock_t lock = SPINLOCK_INIT;

static bool test_bit(const uint64_t *map, unsigned long i)
{
	return map[i / BITS] & (1UL << (i % BITS));
}

static void set_bit(uint64_t *map, unsigned long i)
{
	map[i / BITS] |= 1UL << (i % BITS);
}

static void clear_bit(uint64_t *map, unsigned long i)
{
	map[i / BITS] &= ~(1UL << (i % BITS));
}

/* Bytes of memory page_alloc_init() needs for nr_pages frames. */
unsigned long page_alloc_bytes_needed(unsigned long nr_pages)
{
	return 2 * DIV_ROUND_UP(nr_pages, BITS) * sizeof(uint64_t);
}

/* Start with every frame free; mem holds page_alloc_bytes_needed() bytes. */
void page_alloc_init(unsigned long nr_pages, void *mem)
{
	unsigned long words = DIV_ROUND_UP(nr_pages, BITS);
	unsigned long i;

	allocated = mem;
	pagetable = allocated + words;
	memset(mem, 0, page_alloc_bytes_needed(nr_pages));
	/* Bits past the last frame count as allocated, never handed out. */
	for (i = nr_pages; i < words * BITS; i++)
		set_bit(allocated, i);
	nr_frames = nr_pages;
	nr_free = nr_pages;
	lowest_free = 0;
}

/* Mark frames as in use (boot data, holes in the p2m). */
void reserve_frames(pfn_t first, unsigned long count)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	unsigned long i;

	for (i = pfn_x(first); i < pfn_x(first) + count && i < nr_frames; i++) {
		if (!test_bit(allocated, i)) {
			set_bit(allocated, i);
			nr_free--;
		}
	}
	spin_unlock_irqrestore(&lock, flags);
}

/* Find the lowest run of count free frames at or after start. */
static bool find_run(unsigned long start, unsigned long count,
		     unsigned long *found)
{
	unsigned long i = start, run = 0;

	while (i < nr_frames) {
		if (run == 0 && !(i % BITS) && allocated[i / BITS] == ~0UL) {
			i += BITS; /* a full word: skip it whole */
			continue;
		}
		if (test_bit(allocated, i)) {
			run = 0;
		} else if (++run == count) {
			*found = i + 1 - count;
			return true;
		}
		i++;
	}
	return false;
}

/* Allocate count contiguous frames; the first pfn goes to *first. */
int alloc_frames(unsigned long count, pfn_t *first)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	unsigned long start, i;
	int rc = -ENOMEM;

	if (count == 0 || count > nr_free ||
	    !find_run(lowest_free, count, &start))
		goto out;
	for (i = start; i < start + count; i++)
		set_bit(allocated, i);
	nr_free -= count;
	if (start == lowest_free)
		lowest_free = start + count;
	*first = _pfn(start);
	rc = 0;
out:
	spin_unlock_irqrestore(&lock, flags);
	return rc;
}

/* Return frames to the allocator; freeing a free frame is a kernel bug. */
void free_frames(pfn_t first, unsigned long count)
{
	unsigned long flags = spin_lock_irqsave(&lock);
	unsigned long i;

	for (i = pfn_x(first); i < pfn_x(first) + count; i++) {
		if (i >= nr_frames || !test_bit(allocated, i))
			panic("free_frames: pfn %#lx is not allocated", i);
		if (test_bit(pagetable, i))
			panic("free_frames: pfn %#lx is still a page table", i);
		clear_bit(allocated, i);
		nr_free++;
	}
	if (pfn_x(first) < lowest_free)
		lowest_free = pfn_x(first);
	spin_unlock_irqrestore(&lock, flags);
}

/* Number of free frames. */
unsigned long frames_free(void)
{
	return nr_free;
}

/* Whether pfn is in use. */
bool frame_is_allocated(pfn_t pfn)
{
	return pfn_x(pfn) < nr_frames && test_bit(allocated, pfn_x(pfn));
}

/* Whether pfn is (being made) a page table, so mapped read-only. */
bool frame_is_pagetable(pfn_t pfn)
{
	return pfn_x(pfn) < nr_frames && test_bit(pagetable, pfn_x(pfn));
}

/* Record whether pfn is a page table. */
void frame_mark_pagetable(pfn_t pfn, bool is_pt)
{
	unsigned long flags;

	if (pfn_x(pfn) >= nr_frames)
		return;
	flags = spin_lock_irqsave(&lock);
	if (is_pt)
		set_bit(pagetable, pfn_x(pfn));
	else
		clear_bit(pagetable, pfn_x(pfn));
	spin_unlock_irqrestore(&lock, flags);
}
