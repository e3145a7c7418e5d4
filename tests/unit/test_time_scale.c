/*
 * Unit tests for the fixed-point frequency scales (common/time_scale.c)
 * that turn TSC ticks into nanoseconds: for several real clock rates the
 * result must match exact 128-bit arithmetic to within the precision a
 * 32-bit multiplier allows, and the shift must have the right sign.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <hv/lib.h>
#include <hv/time.h>

static const uint64_t clock_hz[] = {
	1000000000UL, /* 1 GHz */
	2700000000UL, /* 2.7 GHz */
	3600000000UL, /* 3.6 GHz */
	100000000UL,  /* 100 MHz */
	5000000000UL, /* 5 GHz */
	2893437000UL, /* a calibrated TSC, not a round number */
	14318180UL,   /* HPET */
	32768UL,      /* RTC */
};

static const uint64_t deltas[] = {
	0,
	1,
	7,
	1000,
	999999,
	123456789,
	1UL << 32,
	3000000000000UL,
	18000000000000UL, /* an hour at 5 GHz */
};

static uint64_t exact(uint64_t delta, uint64_t from_hz, uint64_t to_hz)
{
	return (uint64_t)((unsigned __int128)delta * to_hz / from_hz);
}

/*
 * The error the format allows: 2^-30 relative (the multiplier has at
 * least 31 significant bits, and init may drop a low bit of either
 * frequency), the ticks a negative shift discards, and one for rounding.
 */
static uint64_t tolerance(uint64_t want, const struct time_scale *ts,
			  uint64_t from_hz, uint64_t to_hz)
{
	uint64_t dropped = ts->shift < 0 ? (1UL << -ts->shift) : 0;

	return want / (1UL << 30) + dropped * to_hz / from_hz + 2;
}

static void assert_converts(uint64_t from_hz, uint64_t to_hz)
{
	struct time_scale ts;

	time_scale_init(&ts, from_hz, to_hz);
	for (size_t i = 0; i < ARRAY_SIZE(deltas); i++) {
		uint64_t want = exact(deltas[i], from_hz, to_hz);
		uint64_t got = time_scale_apply(deltas[i], &ts);
		uint64_t err = got > want ? got - want : want - got;

		if (err > tolerance(want, &ts, from_hz, to_hz))
			fail_msg("%lu Hz -> %lu Hz: %lu ticks gave %lu, exact "
				 "%lu (mul %u shift %d)",
				 from_hz, to_hz, deltas[i], got, want, ts.mul,
				 ts.shift);
	}
}

static void same_frequency_is_exact_identity(void **state)
{
	struct time_scale ts;

	time_scale_init(&ts, 1000000000UL, 1000000000UL);
	assert_int_equal(ts.mul, 1U << 31);
	assert_int_equal(ts.shift, 1);
	for (size_t i = 0; i < ARRAY_SIZE(deltas); i++)
		assert_int_equal(time_scale_apply(deltas[i], &ts), deltas[i]);
}

static void clocks_convert_to_nanoseconds_precisely(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(clock_hz); i++)
		assert_converts(clock_hz[i], 1000000000UL);
}

static void nanoseconds_convert_to_clock_ticks_precisely(void **state)
{
	/* 5 GHz > 2^32: the target itself has to be scaled down first. */
	for (size_t i = 0; i < ARRAY_SIZE(clock_hz); i++)
		assert_converts(1000000000UL, clock_hz[i]);
	assert_converts(1000000UL, 10000000000UL);
	assert_converts(1000000000UL, 1000UL); /* far slower target */
}

static void faster_clock_has_negative_shift(void **state)
{
	static const struct {
		uint64_t hz;
		int shift;
	} cases[] = {
		{2700000000UL, -1},
		{3600000000UL, -1},
		{5000000000UL, -2},
		{1000000001UL, 0},
	};
	struct time_scale ts;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		time_scale_init(&ts, cases[i].hz, 1000000000UL);
		if (ts.shift != cases[i].shift)
			fail_msg("%lu Hz: shift %d, expected %d", cases[i].hz,
				 ts.shift, cases[i].shift);
	}
}

static void slower_clock_has_positive_shift(void **state)
{
	struct time_scale ts;

	time_scale_init(&ts, 100000000UL, 1000000000UL);
	assert_int_equal(ts.shift, 4);	       /* 10x: 16 * 0.625 */
	assert_int_equal(ts.mul, 2684354560U); /* 0.625 * 2^32 */
	time_scale_init(&ts, 32768, 1000000000UL);
	assert_int_equal(ts.shift, 15);
	assert_int_equal(time_scale_apply(32768, &ts), 1000000000); /* exact */
}

static void multiplier_keeps_full_precision(void **state)
{
	struct time_scale ts;

	for (size_t i = 0; i < ARRAY_SIZE(clock_hz); i++) {
		time_scale_init(&ts, clock_hz[i], 1000000000UL);
		if (ts.mul < (1U << 31))
			fail_msg("%lu Hz: mul %#x has lost a bit", clock_hz[i],
				 ts.mul);
	}
}

static void conversion_is_monotonic(void **state)
{
	struct time_scale ts;

	time_scale_init(&ts, 2893437000UL, 1000000000UL);
	for (uint64_t d = 1000000; d < 1000000 + 100000; d++)
		assert_true(time_scale_apply(d + 1, &ts) >=
			    time_scale_apply(d, &ts));
}

static void round_trip_returns_close_to_start(void **state)
{
	struct time_scale to_ns, to_tsc;
	uint64_t tsc = 123456789012345UL;
	uint64_t back;

	time_scale_init(&to_ns, 3600000000UL, 1000000000UL);
	time_scale_init(&to_tsc, 1000000000UL, 3600000000UL);
	back = time_scale_apply(time_scale_apply(tsc, &to_ns), &to_tsc);
	assert_in_range(back, tsc - tsc / (1UL << 29) - 8, tsc);
}

static void zero_frequency_asserts(void **state)
{
	struct time_scale ts;

	expect_assert_failure(time_scale_init(&ts, 0, 1000000000UL));
	expect_assert_failure(time_scale_init(&ts, 1000000000UL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_frequency_is_exact_identity),
		cmocka_unit_test(clocks_convert_to_nanoseconds_precisely),
		cmocka_unit_test(nanoseconds_convert_to_clock_ticks_precisely),
		cmocka_unit_test(faster_clock_has_negative_shift),
		cmocka_unit_test(slower_clock_has_positive_shift),
		cmocka_unit_test(multiplier_keeps_full_precision),
		cmocka_unit_test(conversion_is_monotonic),
		cmocka_unit_test(round_trip_returns_close_to_start),
		cmocka_unit_test(zero_frequency_asserts),
	};

	return cmocka_run_group_tests_name("time_scale", tests, NULL, NULL);
}
