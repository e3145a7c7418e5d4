/*
 * The fake RAM behind the fake direct map (fake/asm/page.h): one
 * page-aligned arena holding frames 0 .. nr_frames - 1.
 */
#include <stdlib.h>
#include <string.h>

#include <asm/page.h>

#include "fake.h"

uint8_t *fake_ram;
unsigned long fake_ram_frames;

/* Provide frames [0, nr_frames), every byte set to fill. */
void fake_ram_init(unsigned long nr_frames, uint8_t fill)
{
	fake_ram_free();
	fake_ram = aligned_alloc(PAGE_SIZE, nr_frames * PAGE_SIZE);
	if (!fake_ram)
		abort();
	memset(fake_ram, fill, nr_frames * PAGE_SIZE);
	fake_ram_frames = nr_frames;
}

/* Release the arena. */
void fake_ram_free(void)
{
	free(fake_ram);
	fake_ram = NULL;
	fake_ram_frames = 0;
}

/* Whether every byte of frame mfn equals byte. */
bool fake_frame_filled(unsigned long mfn, uint8_t byte)
{
	const uint8_t *p = mfn_to_virt(_mfn(mfn));

	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != byte)
			return false;
	return true;
}
