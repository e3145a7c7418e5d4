/*
 * Fixed-point frequency conversion, in Xen's vcpu_time_info form: a
 * 32-bit multiplier and a power-of-two shift, so a guest can convert TSC
 * deltas to nanoseconds with one multiply and no division.
 */
#include <hv/lib.h>
#include <hv/time.h>

/*
 * Compute the scale that turns ticks of a from_hz clock into ticks of a
 * to_hz clock: the largest mul < 2^32 with (2^shift * mul / 2^32) equal
 * to to_hz / from_hz, for the precision to be as good as 32 bits allow.
 */
void time_scale_init(struct time_scale *ts, uint64_t from_hz, uint64_t to_hz)
{
	int shift = 0;
	uint64_t ratio;

	ASSERT(from_hz && to_hz);
	while (to_hz > UINT32_MAX) { /* keep to_hz << 32 within 64 bits */
		to_hz >>= 1;
		from_hz = MAX(from_hz >> 1, 1UL);
	}
	/* Bring to_hz / from_hz into [0.5, 1) by powers of two. */
	while (to_hz >= from_hz) {
		from_hz <<= 1;
		shift++;
	}
	while (to_hz < from_hz / 2) {
		/* Double to_hz while it fits: halving from_hz drops bits. */
		if (to_hz <= UINT32_MAX / 2)
			to_hz <<= 1;
		else
			from_hz >>= 1;
		shift--;
	}
	ratio = (to_hz << 32) / from_hz;
	ts->mul = (uint32_t)MIN(ratio, (uint64_t)UINT32_MAX);
	ts->shift = (int8_t)shift;
}

/* Convert a tick count with a scale from time_scale_init(). */
uint64_t time_scale_apply(uint64_t delta, const struct time_scale *ts)
{
	if (ts->shift < 0)
		delta >>= -ts->shift;
	else
		delta <<= ts->shift;
	return (uint64_t)(((unsigned __int128)delta * ts->mul) >> 32);
}
