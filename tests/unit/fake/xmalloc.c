/*
 * xmalloc on the C heap, for tests of code that allocates small objects
 * (event-channel buckets, domctl's buffers) but not of the allocator
 * itself: AddressSanitizer sees every block, so one never freed is a
 * reported leak and one used after xfree() a reported error. A test can
 * count the blocks still live and make allocations fail from some point
 * on, to reach the -ENOMEM paths.
 */
#include <stdlib.h>

#include <hv/mm.h>

#include "fake.h"

static unsigned long live;
static long fail_after = -1;

/*
 * Let n more allocations succeed, then fail every one until called again;
 * n < 0: never fail.
 */
void fake_xmalloc_fail_after(long n)
{
	fail_after = n;
}

/* Blocks allocated and not yet freed. */
unsigned long fake_xmalloc_live(void)
{
	return live;
}

static void *track(void *p)
{
	if (p)
		live++;
	return p;
}

static bool must_fail(void)
{
	if (fail_after < 0)
		return false;
	if (fail_after == 0)
		return true;
	fail_after--;
	return false;
}

void *xmalloc_bytes(size_t size)
{
	return must_fail() ? NULL : track(malloc(size ? size : 1));
}

void *xzalloc_bytes(size_t size)
{
	return must_fail() ? NULL : track(calloc(1, size ? size : 1));
}

void *xzalloc_array_bytes(size_t size, size_t n)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return must_fail() ? NULL : track(calloc(n ? n : 1, size ? size : 1));
}

void xfree(void *p)
{
	if (!p)
		return;
	live--;
	free(p);
}
