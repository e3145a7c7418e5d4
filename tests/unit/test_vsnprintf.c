/*
 * Unit tests for the freestanding vsnprintf (lib/vsnprintf.c), built for
 * the host as hv_vsnprintf so it does not clash with the C library's:
 * flags, width, precision, length modifiers, every conversion, NULL
 * strings, truncation and the return value, and agreement with the C
 * library on the formats both implement the same way.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <paravane/compiler.h>

int hv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

static char out[512];

/* Format into out with hv_vsnprintf; no format checking, on purpose. */
static int fmt(const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = hv_vsnprintf(out, sizeof(out), f, ap);
	va_end(ap);
	return n;
}

static int fmt_n(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = hv_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* The output is exactly want, and the return value its length. */
#define assert_formats(want, ...)                                              \
	do {                                                                   \
		int n_ = fmt(__VA_ARGS__);                                     \
		assert_string_equal(out, want);                                \
		assert_int_equal(n_, strlen(want));                            \
	} while (0)

static void plain_text_and_percent(void **state)
{
	assert_formats("", "");
	assert_formats("hello, world", "hello, world");
	assert_formats("100%", "100%%");
	assert_formats("a%b", "a%%b");
}

static void signed_decimal(void **state)
{
	assert_formats("0", "%d", 0);
	assert_formats("-1", "%d", -1);
	assert_formats("2147483647", "%d", INT_MAX);
	assert_formats("-2147483648", "%i", INT_MIN);
	assert_formats("12 -34", "%d %i", 12, -34);
}

static void unsigned_hex_and_octal(void **state)
{
	assert_formats("4294967295", "%u", UINT_MAX);
	assert_formats("deadbeef", "%x", 0xdeadbeefU);
	assert_formats("DEADBEEF", "%X", 0xdeadbeefU);
	assert_formats("10", "%o", 8U);
	assert_formats("0", "%x", 0U);
}

static void length_modifiers(void **state)
{
	assert_formats("-1", "%hhd", 255);
	assert_formats("255", "%hhu", 0x1ff);
	assert_formats("-1", "%hd", 65535);
	assert_formats("65535", "%hu", 0x1ffff);
	assert_formats("-9223372036854775808", "%ld", LONG_MIN);
	assert_formats("9223372036854775807", "%lld", LLONG_MAX);
	assert_formats("18446744073709551615", "%llu", ULLONG_MAX);
	assert_formats("ffffffffffffffff", "%lx", ULONG_MAX);
	assert_formats("18446744073709551615", "%zu", SIZE_MAX);
	assert_formats("-5", "%td", (ptrdiff_t)-5);
	/* Without a modifier only 32 bits are read. */
	assert_formats("1 2", "%d %ld", 1, 2L);
}

static void width_pads_on_the_left_or_right(void **state)
{
	assert_formats("   42", "%5d", 42);
	assert_formats("42   |", "%-5d|", 42);
	assert_formats("   ab", "%5s", "ab");
	assert_formats("ab    |", "%-6s|", "ab");
	assert_formats("123456", "%3d", 123456); /* never truncates */
	assert_formats("  -7", "%4d", -7);
}

static void zero_padding(void **state)
{
	assert_formats("00042", "%05d", 42);
	assert_formats("-0042", "%05d", -42);
	assert_formats("+0042", "%+05d", 42);
	assert_formats("0x001f", "%#06x", 0x1f);
	assert_formats("42   |", "%-05d|", 42); /* '-' beats '0' */
	assert_formats("  007", "%05.3d", 7);	/* precision beats '0' */
}

static void precision(void **state)
{
	assert_formats("00042", "%.5d", 42);
	assert_formats("-00042", "%.5d", -42);
	assert_formats("   00042", "%8.5d", 42);
	assert_formats("abc", "%.3s", "abcdef");
	assert_formats("     abc|", "%8.3s|", "abcdef");
	assert_formats("", "%.0s", "abc");
	assert_formats("ab", "%.5s", "ab");
}

static void star_width_and_precision(void **state)
{
	assert_formats("   42", "%*d", 5, 42);
	assert_formats("42   |", "%-*d|", 5, 42);
	assert_formats("42   |", "%*d|", -5, 42); /* negative: left */
	assert_formats("ab", "%.*s", 2, "abc");
	assert_formats("  ab|", "%*.*s|", 4, 2, "abc");
}

static void sign_flags_apply_to_signed_conversions_only(void **state)
{
	assert_formats("+5", "%+d", 5);
	assert_formats("-5", "%+d", -5);
	assert_formats(" 5", "% d", 5);
	assert_formats("-5", "% d", -5);
	assert_formats("+0", "%+d", 0);
	assert_formats("5", "%+u", 5U);
	assert_formats("a", "% x", 10U);
	assert_formats("0x10", "%+#x", 16U);
	assert_formats("0x10", "%+p", (void *)0x10);
}

static void alternate_forms(void **state)
{
	assert_formats("0xff", "%#x", 255U);
	assert_formats("0XFF", "%#X", 255U);
	assert_formats("010", "%#o", 8U);
	assert_formats("0", "%#o", 0U);
	assert_formats("0x0000ff", "%#08x", 255U);
	assert_formats("    0xff", "%#8x", 255U);
}

static void pointers_print_as_prefixed_hex(void **state)
{
	assert_formats("0x1234", "%p", (void *)0x1234);
	assert_formats("0xffff82d040000000", "%p",
		       (void *)0xffff82d040000000UL);
	assert_formats("0x0", "%p", NULL);
	assert_formats("  0x10", "%6p", (void *)0x10);
}

static void null_string_prints_placeholder(void **state)
{
	assert_formats("(null)", "%s", (char *)NULL);
	assert_formats("(nu", "%.3s", (char *)NULL);
	assert_formats("  (null)", "%8s", (char *)NULL);
}

static void characters(void **state)
{
	assert_formats("A", "%c", 'A');
	assert_formats("xyz", "%c%c%c", 'x', 'y', 'z');
	assert_formats("A  |", "%-3c|", 'A');
	assert_formats("  A|", "%3c|", 'A');
	assert_formats("[\x7f]", "[%c]", 0x7f);
}

static void unknown_conversion_is_copied_verbatim(void **state)
{
	assert_formats("%q", "%q");
	assert_formats("a%yb", "a%yb");
	assert_formats("abc", "abc%"); /* a lone '%' at the end */
}

static void truncation_keeps_terminator_and_full_length(void **state)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(fmt_n(buf, 5, "hello world"), 11);
	assert_string_equal(buf, "hell");
	assert_int_equal(buf[5], 'X'); /* nothing written past size */

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(fmt_n(buf, 4, "%d", 123456), 6);
	assert_string_equal(buf, "123");
	assert_int_equal(buf[4], 'X');

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(fmt_n(buf, 6, "%-8s|", "ab"), 9);
	assert_string_equal(buf, "ab   ");
}

static void exact_fit_is_not_truncated(void **state)
{
	char buf[6];

	assert_int_equal(fmt_n(buf, sizeof(buf), "%s", "hello"), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(fmt_n(buf, sizeof(buf), "%s", "hello!"), 6);
	assert_string_equal(buf, "hello");
}

static void size_one_or_zero_writes_at_most_terminator(void **state)
{
	char buf[4] = "XXX";

	assert_int_equal(fmt_n(buf, 1, "%d", 42), 2);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');
	assert_int_equal(fmt_n(NULL, 0, "%s and %d", "this", 1234), 13);
}

static void agrees_with_libc_on_integers(void **state)
{
	static const char *const formats[] = {
		"%d",	 "%5d",	   "%-5d|", "%05d",    "%+d",	 "% d", "%.3d",
		"%8.3d", "%-+8d|", "%x",    "%#x",     "%#010x", "%X",	"%o",
		"%#o",	 "%8.4x",  "%u",    "%-#10x|", "%+u",	 "% x", "%+#x",
	};
	static const int values[] = {1,	   -1,	      7,       42,     -42,
				     4095, 123456789, INT_MAX, INT_MIN};
	char want[128];

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			int n = fmt(formats[f], values[v]);
			int m;

			m = snprintf(want, sizeof(want), formats[f], values[v]);
			if (strcmp(out, want) || n != m)
				fail_msg("'%s' of %d: got '%s' (%d), libc '%s' "
					 "(%d)",
					 formats[f], values[v], out, n, want,
					 m);
		}
	}
}

static void agrees_with_libc_on_64_bit_values(void **state)
{
	static const char *const formats[] = {
		"%ld", "%lu", "%lx", "%#lx", "%20ld", "%-20lx|", "%.18lu",
	};
	static const long values[] = {1, -1, LONG_MAX, LONG_MIN,
				      0x123456789abcdefL};
	char want[128];

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			int n = fmt(formats[f], values[v]);
			int m;

			m = snprintf(want, sizeof(want), formats[f], values[v]);
			if (strcmp(out, want) || n != m)
				fail_msg("'%s' of %ld: got '%s', libc '%s'",
					 formats[f], values[v], out, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_text_and_percent),
		cmocka_unit_test(signed_decimal),
		cmocka_unit_test(unsigned_hex_and_octal),
		cmocka_unit_test(length_modifiers),
		cmocka_unit_test(width_pads_on_the_left_or_right),
		cmocka_unit_test(zero_padding),
		cmocka_unit_test(precision),
		cmocka_unit_test(star_width_and_precision),
		cmocka_unit_test(sign_flags_apply_to_signed_conversions_only),
		cmocka_unit_test(alternate_forms),
		cmocka_unit_test(pointers_print_as_prefixed_hex),
		cmocka_unit_test(null_string_prints_placeholder),
		cmocka_unit_test(characters),
		cmocka_unit_test(unknown_conversion_is_copied_verbatim),
		cmocka_unit_test(truncation_keeps_terminator_and_full_length),
		cmocka_unit_test(exact_fit_is_not_truncated),
		cmocka_unit_test(size_one_or_zero_writes_at_most_terminator),
		cmocka_unit_test(agrees_with_libc_on_integers),
		cmocka_unit_test(agrees_with_libc_on_64_bit_values),
	};

	return cmocka_run_group_tests_name("vsnprintf", tests, NULL, NULL);
}
