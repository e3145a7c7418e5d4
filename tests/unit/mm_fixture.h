/*
 * A machine for the memory-management tests: fake RAM, a frame table over
 * it and a buddy heap holding the RAM ranges the test names, with
 * reserved holes between them. The heap has no reset of its own, so the
 * fixture empties it (allocating everything) before it builds the next.
 */
#ifndef UNIT_MM_FIXTURE_H
#define UNIT_MM_FIXTURE_H

#include <hv/mm.h>

/*
 * Domains are opaque to the memory code; its tests only need identities.
 * A test of code that uses the real struct domain includes hv/sched.h
 * first.
 */
#ifndef HV_SCHED_H
struct domain {
	int id;
};
#endif

struct ram_range {
	unsigned long first, nr; /* frames [first, first + nr) */
};

void mm_fixture_init(unsigned long nr_frames, const struct ram_range *ram,
		     size_t nr_ram, bool need_scrub, uint8_t fill);
unsigned long mm_fixture_drain(void);
void mm_fixture_fini(void);
unsigned long mm_fixture_total_pages(void);

#endif /* UNIT_MM_FIXTURE_H */
