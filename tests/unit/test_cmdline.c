/*
 * Unit tests for the command-line parser (common/cmdline.c) and the
 * number parsers under it (common/strutil.c), driven with a table of
 * options of every type: booleans with their no-/no forms, integers of
 * each width, sizes with suffixes, strings and a custom handler; bad
 * values and unknown options are counted, never fatal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <hv/param.h>

#include "fake/fake.h"

static bool opt_sync, opt_noreboot, opt_watchdog;
static unsigned int opt_loglvl;
static uint8_t opt_u8;
static uint16_t opt_u16;
static unsigned long opt_ulong;
static uint64_t opt_mem;
static char opt_console[16];
static char custom_value[300];
static unsigned int custom_calls;
static int custom_rc;

static int parse_custom(const char *value)
{
	custom_calls++;
	strlcpy(custom_value, value, sizeof(custom_value));
	return custom_rc;
}

static const struct kernel_param params[] = {
	{"sync", PARAM_BOOL, &opt_sync, sizeof(opt_sync), NULL},
	{"noreboot", PARAM_BOOL, &opt_noreboot, sizeof(opt_noreboot), NULL},
	{"watchdog", PARAM_BOOL, &opt_watchdog, sizeof(opt_watchdog), NULL},
	{"loglvl", PARAM_UINT, &opt_loglvl, sizeof(opt_loglvl), NULL},
	{"u8", PARAM_UINT, &opt_u8, sizeof(opt_u8), NULL},
	{"u16", PARAM_UINT, &opt_u16, sizeof(opt_u16), NULL},
	{"ulong", PARAM_UINT, &opt_ulong, sizeof(opt_ulong), NULL},
	{"dom0_mem", PARAM_SIZE, &opt_mem, sizeof(opt_mem), NULL},
	{"console", PARAM_STRING, opt_console, sizeof(opt_console), NULL},
	{"hpet", PARAM_CUSTOM, NULL, 0, parse_custom},
};

static int parse(const char *cmdline)
{
	return cmdline_parse(cmdline, params, ARRAY_SIZE(params));
}

static int setup(void **state)
{
	opt_sync = opt_noreboot = false;
	opt_watchdog = true;
	opt_loglvl = 7;
	opt_u8 = 0;
	opt_u16 = 0;
	opt_ulong = 0;
	opt_mem = 0;
	strlcpy(opt_console, "com1", sizeof(opt_console));
	custom_value[0] = '\0';
	custom_calls = 0;
	custom_rc = 0;
	fake_log_clear();
	return 0;
}

static void empty_or_missing_cmdline_changes_nothing(void **state)
{
	assert_int_equal(parse(NULL), 0);
	assert_int_equal(parse(""), 0);
	assert_int_equal(parse("   \t  "), 0);
	assert_false(opt_sync);
	assert_int_equal(opt_loglvl, 7);
	assert_string_equal(fake_log(), "");
}

static void bare_boolean_is_set_true(void **state)
{
	assert_int_equal(parse("sync"), 0);
	assert_true(opt_sync);
}

static void boolean_takes_every_bool_word(void **state)
{
	static const char *const yes[] = {"1", "yes", "true", "on", "enable"};
	static const char *const no[] = {"0", "no", "false", "off", "disable"};
	char line[32];

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		opt_sync = false;
		snprintf(line, sizeof(line), "sync=%s", yes[i]);
		assert_int_equal(parse(line), 0);
		assert_true(opt_sync);
		opt_sync = true;
		snprintf(line, sizeof(line), "sync=%s", no[i]);
		assert_int_equal(parse(line), 0);
		assert_false(opt_sync);
	}
}

static void boolean_bad_word_is_counted_and_ignored(void **state)
{
	assert_int_equal(parse("watchdog=maybe"), 1);
	assert_true(opt_watchdog);
	assert_int_equal(parse("watchdog="), 1);
	assert_int_equal(parse("watchdog=YES"), 1); /* case matters */
	assert_true(opt_watchdog);
	assert_true(fake_log_contains("bad value for 'watchdog': maybe"));
}

static void no_dash_prefix_clears_boolean(void **state)
{
	assert_int_equal(parse("no-watchdog"), 0);
	assert_false(opt_watchdog);
}

static void no_prefix_clears_boolean(void **state)
{
	assert_int_equal(parse("nowatchdog"), 0);
	assert_false(opt_watchdog);
	opt_sync = true;
	assert_int_equal(parse("nosync"), 0);
	assert_false(opt_sync);
}

static void option_named_no_something_is_itself_first(void **state)
{
	assert_int_equal(parse("noreboot"), 0);
	assert_true(opt_noreboot);
	assert_int_equal(parse("no-noreboot"), 0);
	assert_false(opt_noreboot);
	assert_int_equal(parse("noreboot nonoreboot"), 0);
	assert_false(opt_noreboot);
}

static void negated_boolean_with_value_is_rejected(void **state)
{
	assert_int_equal(parse("no-watchdog=1"), 1);
	assert_int_equal(parse("nowatchdog=0"), 1);
	assert_true(opt_watchdog);
}

static void negated_non_boolean_is_unknown(void **state)
{
	assert_int_equal(parse("no-loglvl"), 1);
	assert_int_equal(parse("noconsole"), 1);
	assert_int_equal(opt_loglvl, 7);
	assert_string_equal(opt_console, "com1");
	assert_true(fake_log_contains("unknown option 'no-loglvl'"));
	assert_true(fake_log_contains("unknown option 'noconsole'"));
}

static void integer_accepts_decimal_and_hex(void **state)
{
	assert_int_equal(parse("loglvl=4"), 0);
	assert_int_equal(opt_loglvl, 4);
	assert_int_equal(parse("loglvl=0x1F"), 0);
	assert_int_equal(opt_loglvl, 31);
	assert_int_equal(parse("loglvl=0xabc"), 0);
	assert_int_equal(opt_loglvl, 0xabc);
	assert_int_equal(parse("ulong=18446744073709551614"), 0);
	assert_int_equal(opt_ulong, 18446744073709551614UL);
}

static void integer_rejects_malformed_values(void **state)
{
	static const char *const bad[] = {
		"loglvl",    "loglvl=",	  "loglvl=abc", "loglvl=12abc",
		"loglvl=-1", "loglvl=0x", "loglvl=1K",	"loglvl=0x1g",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(bad[i]) != 1)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(opt_loglvl, 7);
	}
}

static void integer_range_follows_variable_width(void **state)
{
	assert_int_equal(parse("u8=255 u16=65535"), 0);
	assert_int_equal(opt_u8, 255);
	assert_int_equal(opt_u16, 65535);
	assert_int_equal(parse("u8=256 u16=65536"), 2);
	assert_int_equal(opt_u8, 255);
	assert_int_equal(opt_u16, 65535);
	assert_int_equal(parse("loglvl=4294967295"), 0);
	assert_int_equal(opt_loglvl, UINT32_MAX);
	assert_int_equal(parse("loglvl=4294967296"), 1);
	assert_int_equal(opt_loglvl, UINT32_MAX);
}

static void integer_overflow_is_rejected(void **state)
{
	assert_int_equal(parse("ulong=18446744073709551616"), 1);
	assert_int_equal(parse("ulong=0x10000000000000000"), 1);
	assert_int_equal(parse("ulong=99999999999999999999999"), 1);
	assert_int_equal(opt_ulong, 0);
}

static void size_accepts_every_suffix(void **state)
{
	static const struct {
		const char *text;
		uint64_t value;
	} sizes[] = {
		{"dom0_mem=4096", 4096},
		{"dom0_mem=4k", 4096},
		{"dom0_mem=4K", 4096},
		{"dom0_mem=512M", 512UL << 20},
		{"dom0_mem=512m", 512UL << 20},
		{"dom0_mem=3G", 3UL << 30},
		{"dom0_mem=2T", 2UL << 40},
		{"dom0_mem=0x10M", 16UL << 20},
		{"dom0_mem=0", 0},
	};

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		opt_mem = 1;
		assert_int_equal(parse(sizes[i].text), 0);
		if (opt_mem != sizes[i].value)
			fail_msg("'%s' gave %#lx", sizes[i].text, opt_mem);
	}
}

static void size_rejects_bad_suffix_and_overflow(void **state)
{
	assert_int_equal(parse("dom0_mem=4KB"), 1);
	assert_int_equal(parse("dom0_mem=4P"), 1);
	assert_int_equal(parse("dom0_mem=M"), 1);
	assert_int_equal(parse("dom0_mem=16777216T"), 1); /* 2^64 */
	assert_int_equal(parse("dom0_mem=16777215T"), 0);
	assert_int_equal(opt_mem, 16777215UL << 40);
}

static void string_is_copied(void **state)
{
	assert_int_equal(parse("console=vga,com2"), 0);
	assert_string_equal(opt_console, "vga,com2");
	assert_int_equal(parse("console="), 0);
	assert_string_equal(opt_console, "");
	assert_int_equal(parse("console"), 1); /* needs a value */
}

static void string_too_long_is_an_error(void **state)
{
	assert_int_equal(parse("console=0123456789abcde"), 0); /* 15 fit */
	assert_string_equal(opt_console, "0123456789abcde");
	assert_int_equal(parse("console=0123456789abcdef"), 1);
	assert_int_equal(opt_console[sizeof(opt_console) - 1], '\0');
	assert_true(fake_log_contains("bad value for 'console'"));
}

static void value_may_contain_equals_sign(void **state)
{
	assert_int_equal(parse("console=a=b"), 0);
	assert_string_equal(opt_console, "a=b");
}

static void custom_handler_gets_value_or_empty_string(void **state)
{
	assert_int_equal(parse("hpet=legacy"), 0);
	assert_string_equal(custom_value, "legacy");
	assert_int_equal(parse("hpet"), 0);
	assert_string_equal(custom_value, "");
	assert_int_equal(custom_calls, 2);
	assert_int_equal(parse("nohpet"), 1); /* not a boolean */
	assert_int_equal(custom_calls, 2);
}

static void custom_handler_error_is_counted(void **state)
{
	custom_rc = -EINVAL;
	assert_int_equal(parse("hpet=bogus sync"), 1);
	assert_true(opt_sync);
	assert_true(fake_log_contains("bad value for 'hpet': bogus"));
}

static void unknown_options_are_counted_and_reported(void **state)
{
	assert_int_equal(parse("frobnicate sync=1 x=2 no-such"), 3);
	assert_true(opt_sync);
	assert_true(fake_log_contains("unknown option 'frobnicate'"));
	assert_true(fake_log_contains("unknown option 'x=2'"));
	assert_true(fake_log_contains("unknown option 'no-such'"));
	assert_int_equal(parse("="), 1);
}

static void spaces_and_tabs_separate_options(void **state)
{
	assert_int_equal(parse("  sync\t\tloglvl=3 \t console=vga  "), 0);
	assert_true(opt_sync);
	assert_int_equal(opt_loglvl, 3);
	assert_string_equal(opt_console, "vga");
}

static void later_option_overrides_earlier(void **state)
{
	assert_int_equal(parse("loglvl=1 sync loglvl=2 no-sync"), 0);
	assert_int_equal(opt_loglvl, 2);
	assert_false(opt_sync);
}

static void option_of_255_chars_is_parsed(void **state)
{
	char line[512];

	memcpy(line, "hpet=", 5);
	memset(line + 5, 'x', 250);
	line[255] = '\0';
	assert_int_equal(parse(line), 0);
	assert_int_equal(strlen(custom_value), 250);
}

static void option_of_256_chars_is_rejected_and_skipped(void **state)
{
	char line[512];

	memcpy(line, "hpet=", 5);
	memset(line + 5, 'x', 251);
	strcpy(line + 256, " sync");
	assert_int_equal(parse(line), 1);
	assert_int_equal(custom_calls, 0);
	assert_true(opt_sync); /* parsing went on after it */
	assert_true(fake_log_contains("option too long"));
}

static void parse_bool_knows_exactly_its_words(void **state)
{
	assert_int_equal(parse_bool("1"), 1);
	assert_int_equal(parse_bool("enable"), 1);
	assert_int_equal(parse_bool("0"), 0);
	assert_int_equal(parse_bool("disable"), 0);
	assert_int_equal(parse_bool(""), -EINVAL);
	assert_int_equal(parse_bool("2"), -EINVAL);
	assert_int_equal(parse_bool("On"), -EINVAL);
	assert_int_equal(parse_bool("yess"), -EINVAL);
	assert_int_equal(parse_bool("ye"), -EINVAL);
}

static void parse_uint_reports_where_it_stopped(void **state)
{
	const char *s = "1234xyz", *end;

	assert_int_equal(parse_uint(s, &end), 1234);
	assert_ptr_equal(end, s + 4);
	s = "0x";
	assert_int_equal(parse_uint(s, &end), 0);
	assert_ptr_equal(end, s + 1); /* "0", then a stray 'x' */
	s = "z";
	assert_int_equal(parse_uint(s, &end), 0);
	assert_ptr_equal(end, s);
	assert_int_equal(parse_uint("18446744073709551615", NULL), UINT64_MAX);
	assert_int_equal(parse_uint("0xFFFFFFFFFFFFFFFF", NULL), UINT64_MAX);
	assert_int_equal(parse_size("1g", NULL), 1UL << 30);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(empty_or_missing_cmdline_changes_nothing),
		TEST(bare_boolean_is_set_true),
		TEST(boolean_takes_every_bool_word),
		TEST(boolean_bad_word_is_counted_and_ignored),
		TEST(no_dash_prefix_clears_boolean),
		TEST(no_prefix_clears_boolean),
		TEST(option_named_no_something_is_itself_first),
		TEST(negated_boolean_with_value_is_rejected),
		TEST(negated_non_boolean_is_unknown),
		TEST(integer_accepts_decimal_and_hex),
		TEST(integer_rejects_malformed_values),
		TEST(integer_range_follows_variable_width),
		TEST(integer_overflow_is_rejected),
		TEST(size_accepts_every_suffix),
		TEST(size_rejects_bad_suffix_and_overflow),
		TEST(string_is_copied),
		TEST(string_too_long_is_an_error),
		TEST(value_may_contain_equals_sign),
		TEST(custom_handler_gets_value_or_empty_string),
		TEST(custom_handler_error_is_counted),
		TEST(unknown_options_are_counted_and_reported),
		TEST(spaces_and_tabs_separate_options),
		TEST(later_option_overrides_earlier),
		TEST(option_of_255_chars_is_parsed),
		TEST(option_of_256_chars_is_rejected_and_skipped),
		TEST(parse_bool_knows_exactly_its_words),
		TEST(parse_uint_reports_where_it_stopped),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
