/*
 * Unit tests for dom0's xl configuration parser (tools/ctrl/xlcfg.c):
 * every key of the supported subset, xl's defaults, the syntax (quotes,
 * escapes, lists across lines, comments, ';'), the command line built
 * from cmdline/root/extra, CPU lists, and every error with the line it
 * names. Texts are handed over without a NUL, in buffers of their exact
 * size, so a read past the end is caught by the sanitizers; a run of
 * random mutations of a valid file must never crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ctrl/xlcfg.h>
#include <paravane/errno.h>

static struct xl_config cfg;
static struct xlcfg_error err;

static int parse(const char *text)
{
	size_t len = strlen(text);
	char *copy = malloc(len ? len : 1); /* no NUL: exact size */
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, len);
	rc = xlcfg_parse(copy, len, &cfg, &err);
	free(copy);
	return rc;
}

/* Expect an error on line (0: none) whose message contains what. */
static void expect_error(const char *text, unsigned int line, const char *what)
{
	assert_int_equal(parse(text), -EINVAL);
	if (err.line != line || !strstr(err.msg, what))
		fail_msg("got line %u '%s', wanted line %u '%s'", err.line,
			 err.msg, line, what);
}

#define MINIMAL "name = \"d\"\nkernel = \"/boot/k.elf\"\n"

static void a_full_config_is_read(void **state)
{
	assert_int_equal(parse("# demo\n"
			       "name = \"demo-a\"\n"
			       "type = \"pv\"\n"
			       "kernel = \"/boot/pingpong.elf\"\n"
			       "ramdisk = '/boot/rd.cpio'\n"
			       "memory = 16\n"
			       "maxmem = 0x20\n"
			       "vcpus = 2\n"
			       "maxvcpus = 4\n"
			       "cmdline = \"rounds=10 x=\\\"y\\\"\"\n"
			       "cpus = \"0-1\"\n"
			       "cpu_weight = 512\n"
			       "cap = 50\n"
			       "on_poweroff = \"preserve\"\n"
			       "on_reboot = \"destroy\"\n"
			       "on_crash = \"restart\"\n"
			       "evtchn_to = \"demo-b\"\n"),
			 0);
	assert_string_equal(cfg.name, "demo-a");
	assert_string_equal(cfg.kernel, "/boot/pingpong.elf");
	assert_string_equal(cfg.ramdisk, "/boot/rd.cpio");
	assert_int_equal(cfg.memory_mib, 16);
	assert_int_equal(cfg.maxmem_mib, 32);
	assert_int_equal(cfg.vcpus, 2);
	assert_int_equal(cfg.maxvcpus, 4);
	assert_string_equal(cfg.cmdline, "rounds=10 x=\"y\"");
	assert_int_equal(cfg.cpus[0], 3);
	assert_int_equal(cfg.cpus[31], 3);
	assert_true(cfg.has_weight);
	assert_int_equal(cfg.weight, 512);
	assert_true(cfg.has_cap);
	assert_int_equal(cfg.cap, 50);
	assert_int_equal(cfg.on_poweroff, XL_ACTION_PRESERVE);
	assert_int_equal(cfg.on_reboot, XL_ACTION_DESTROY);
	assert_int_equal(cfg.on_crash, XL_ACTION_RESTART);
	assert_string_equal(cfg.evtchn_to, "demo-b");
}

static void defaults_are_xls(void **state)
{
	assert_int_equal(parse(MINIMAL), 0);
	assert_int_equal(cfg.memory_mib, XLCFG_DEFAULT_MEMORY_MIB);
	assert_int_equal(cfg.maxmem_mib, XLCFG_DEFAULT_MEMORY_MIB);
	assert_int_equal(cfg.vcpus, 1);
	assert_int_equal(cfg.maxvcpus, 1);
	assert_string_equal(cfg.ramdisk, "");
	assert_string_equal(cfg.cmdline, "");
	assert_int_equal(cfg.cpus[0], XLCFG_ALL_CPUS);
	assert_false(cfg.has_weight);
	assert_false(cfg.has_cap);
	assert_int_equal(cfg.on_poweroff, XL_ACTION_DESTROY);
	assert_int_equal(cfg.on_reboot, XL_ACTION_RESTART);
	assert_int_equal(cfg.on_crash, XL_ACTION_DESTROY);
	assert_string_equal(cfg.evtchn_to, "");
}

static void layout_is_free(void **state)
{
	assert_int_equal(parse("\n\n  name='d' ; kernel = \"k\";memory=8 # x\n"
			       "\t vcpus\t=\t2\r\n;;\n# last line, no newline"),
			 0);
	assert_string_equal(cfg.name, "d");
	assert_int_equal(cfg.memory_mib, 8);
	assert_int_equal(cfg.vcpus, 2);
}

static void later_settings_win(void **state)
{
	assert_int_equal(parse(MINIMAL "memory = 8\nmemory = 64\n"), 0);
	assert_int_equal(cfg.memory_mib, 64);
}

static void numbers_may_be_quoted(void **state)
{
	assert_int_equal(parse(MINIMAL "memory = \"24\"\n"), 0);
	assert_int_equal(cfg.memory_mib, 24);
}

static void escapes_are_decoded(void **state)
{
	assert_int_equal(parse(MINIMAL "cmdline = 'a\\tb\\nc\\\\d\\'e\"f'\n"),
			 0);
	assert_string_equal(cfg.cmdline, "a\tb\nc\\d'e\"f");
}

static void cmdline_comes_from_root_and_extra(void **state)
{
	assert_int_equal(parse(MINIMAL "extra = \"quiet\"\n"), 0);
	assert_string_equal(cfg.cmdline, "quiet");
	assert_int_equal(
		parse(MINIMAL "root = \"/dev/xvda1\"\nextra = \"x\"\n"), 0);
	assert_string_equal(cfg.cmdline, "root=/dev/xvda1 x");
	assert_int_equal(parse(MINIMAL "root = \"/dev/xvda1\"\n"), 0);
	assert_string_equal(cfg.cmdline, "root=/dev/xvda1");
	/* cmdline wins over both. */
	assert_int_equal(parse(MINIMAL "extra = \"x\"\ncmdline = \"c\"\n"), 0);
	assert_string_equal(cfg.cmdline, "c");
}

static void strings_can_be_appended(void **state)
{
	assert_int_equal(parse(MINIMAL "extra = \"a\"\nextra += \" b\"\n"
				       "cmdline += \"c\"\ncmdline += \"d\"\n"),
			 0);
	assert_string_equal(cfg.cmdline, "cd");
	expect_error(MINIMAL "memory += 4\n", 3, "'+='");
}

static void lists_span_lines(void **state)
{
	assert_int_equal(parse(MINIMAL "maxvcpus = 3\n"
				       "cpus = [ \"0\",   # vCPU 0\n"
				       "         '1-2',\n"
				       "         \"all,^0\", ]\n"),
			 0);
	assert_int_equal(cfg.cpus[0], 1);
	assert_int_equal(cfg.cpus[1], 6);
	assert_int_equal(cfg.cpus[2], ~1ULL);
	assert_int_equal(cfg.cpus[3], XLCFG_ALL_CPUS);
	assert_int_equal(parse(MINIMAL "cpus = []\n"), 0);
	assert_int_equal(cfg.cpus[0], XLCFG_ALL_CPUS);
}

static void cpu_lists_follow_xl(void **state)
{
	uint64_t m;

	assert_int_equal(xlcfg_parse_cpus("0", &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(xlcfg_parse_cpus("1,3-5", &m), 0);
	assert_int_equal(m, 0x3a);
	assert_int_equal(xlcfg_parse_cpus("0-7,^2-3", &m), 0);
	assert_int_equal(m, 0xf3);
	assert_int_equal(xlcfg_parse_cpus("all", &m), 0);
	assert_int_equal(m, XLCFG_ALL_CPUS);
	assert_int_equal(xlcfg_parse_cpus("0-63", &m), 0);
	assert_int_equal(m, ~0ULL);
	assert_int_equal(xlcfg_parse_cpus("63", &m), 0);
	assert_int_equal(m, 1ULL << 63);
	assert_int_equal(xlcfg_parse_cpus("64", &m), -EINVAL);
	assert_int_equal(xlcfg_parse_cpus("3-1", &m), -EINVAL);
	assert_int_equal(xlcfg_parse_cpus("^1", &m), -EINVAL); /* empty */
	assert_int_equal(xlcfg_parse_cpus("1,", &m), 0);
	assert_int_equal(xlcfg_parse_cpus("x", &m), -EINVAL);
	assert_int_equal(xlcfg_parse_cpus("1-", &m), -EINVAL);
	assert_int_equal(xlcfg_parse_cpus("1 2", &m), -EINVAL);
	assert_int_equal(xlcfg_parse_cpus("", &m), -EINVAL);
}

static void names_are_checked(void **state)
{
	assert_true(xlcfg_name_ok("demo-a.b_c9"));
	assert_false(xlcfg_name_ok(""));
	assert_false(xlcfg_name_ok("123"));
	assert_false(xlcfg_name_ok("a b"));
	assert_false(xlcfg_name_ok("a/b"));
	expect_error("name = \"7\"\n", 1, "bad name");
	expect_error("kernel='k'\nname = \"with space\"\n", 2, "bad name");
	expect_error(MINIMAL "evtchn_to = \"x y\"\n", 3, "evtchn_to");
}

static void syntax_errors_name_their_line(void **state)
{
	expect_error(MINIMAL "memory 16\n", 3, "expected '='");
	expect_error(MINIMAL "memory =\n", 3, "missing value");
	expect_error(MINIMAL "memory = \n\n", 3, "missing value");
	expect_error(MINIMAL "cmdline = \"abc\n", 3, "unterminated string");
	expect_error(MINIMAL "cmdline = \"abc", 3, "unterminated string");
	expect_error(MINIMAL "cmdline = \"a\\qb\"\n", 3, "escape");
	expect_error(MINIMAL "kernel = /boot/k\n", 3, "unexpected '/'");
	expect_error(MINIMAL "on_crash = destroy\n", 3, "quoted");
	expect_error(MINIMAL "memory = 16 17\n", 3, "unexpected text");
	expect_error(MINIMAL "cpus = [\"0\" \"1\"]\n", 3, "expected ','");
	expect_error(MINIMAL "cpus = [\"0\",\n", 4, "unterminated list");
	expect_error(MINIMAL "cpus = [[\"0\"]]\n", 3, "nest");
	expect_error(MINIMAL "= 3\n", 3, "setting name");
	expect_error("\n\n\n[x]\n", 4, "setting name");
	expect_error(MINIMAL "a_setting_name_far_too_long_for_any_key = 1\n", 3,
		     "too long");
}

static void unknown_keys_are_refused(void **state)
{
	expect_error(MINIMAL "memroy = 16\n", 3, "unknown setting 'memroy'");
	expect_error(MINIMAL "\n\ndisk = [ 'phy:/dev/sda,xvda,w' ]\n", 5,
		     "unknown setting 'disk'");
}

static void values_are_checked(void **state)
{
	expect_error(MINIMAL "memory = 0\n", 3, "out of range");
	expect_error(MINIMAL "memory = 16M\n", 3, "must be a number");
	expect_error(MINIMAL "memory = \"lots\"\n", 3, "must be a number");
	expect_error(MINIMAL "memory = [16]\n", 3, "not a list");
	expect_error(MINIMAL "vcpus = 33\n", 3, "out of range");
	expect_error(MINIMAL "maxvcpus = 0\n", 3, "out of range");
	expect_error(MINIMAL "cpu_weight = 0\n", 3, "out of range");
	expect_error(MINIMAL "cpu_weight = 65536\n", 3, "out of range");
	expect_error(MINIMAL "cap = 6401\n", 3, "out of range");
	expect_error(MINIMAL "cpus = \"0-99\"\n", 3, "bad CPU list");
	expect_error(MINIMAL "cpus = [\"0\", \"x\"]\n", 3, "bad CPU list");
	expect_error(MINIMAL "on_poweroff = \"explode\"\n", 3,
		     "unknown action");
	expect_error(MINIMAL "on_reboot = \"rename-restart\"\n", 3,
		     "not supported");
	expect_error(MINIMAL "type = \"hvm\"\n", 3, "only \"pv\"");
	expect_error(MINIMAL "kernel = [\"a\", \"b\"]\n", 3, "not a list");
}

static void whole_file_checks_have_no_line(void **state)
{
	expect_error("kernel = \"k\"\n", 0, "no 'name'");
	expect_error("name = \"d\"\n", 0, "no 'kernel'");
	expect_error(MINIMAL "vcpus = 4\nmaxvcpus = 2\n", 0,
		     "more than maxvcpus");
	expect_error(MINIMAL "memory = 64\nmaxmem = 32\n", 0,
		     "less than memory");
	expect_error("", 0, "no 'name'");
}

static void long_strings_are_refused(void **state)
{
	static char text[4096];
	char *p = text;

	p += sprintf(p, MINIMAL "cmdline = \"");
	memset(p, 'x', XLCFG_CMDLINE_MAX);
	p += XLCFG_CMDLINE_MAX;
	strcpy(p, "\"\n");
	expect_error(text, 3, "too long");
	p = text + sprintf(text, MINIMAL "kernel = \"");
	memset(p, 'k', XLCFG_PATH_MAX);
	strcpy(p + XLCFG_PATH_MAX, "\"\n");
	expect_error(text, 3, "too long");
}

/* Random byte changes of a valid file: any answer, but no crash. */
static void mutations_never_crash(void **state)
{
	static const char base[] =
		"name = \"demo\"\nkernel = \"/boot/k.elf\"\nmemory = 16\n"
		"cpus = [\"0\", \"1-2\", ]\ncmdline = 'a\\tb'\nextra += \"x\"\n"
		"on_crash = \"preserve\" ; cap = 10\n";
	static const char alphabet[] = "\"'[],;=#\\\n +0x9az^-";
	size_t len = sizeof(base) - 1;

	srand(12345);
	for (int i = 0; i < 20000; i++) {
		char *t = malloc(len);
		int changes = 1 + rand() % 4;

		memcpy(t, base, len);
		while (changes--)
			t[rand() % len] =
				alphabet[rand() % (sizeof(alphabet) - 1)];
		xlcfg_parse(t, (size_t)rand() % (len + 1), &cfg, &err);
		assert_true(strlen(err.msg) < sizeof(err.msg));
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_full_config_is_read),
		cmocka_unit_test(defaults_are_xls),
		cmocka_unit_test(layout_is_free),
		cmocka_unit_test(later_settings_win),
		cmocka_unit_test(numbers_may_be_quoted),
		cmocka_unit_test(escapes_are_decoded),
		cmocka_unit_test(cmdline_comes_from_root_and_extra),
		cmocka_unit_test(strings_can_be_appended),
		cmocka_unit_test(lists_span_lines),
		cmocka_unit_test(cpu_lists_follow_xl),
		cmocka_unit_test(names_are_checked),
		cmocka_unit_test(syntax_errors_name_their_line),
		cmocka_unit_test(unknown_keys_are_refused),
		cmocka_unit_test(values_are_checked),
		cmocka_unit_test(whole_file_checks_have_no_line),
		cmocka_unit_test(long_strings_are_refused),
		cmocka_unit_test(mutations_never_crash),
	};

	return cmocka_run_group_tests_name("xlcfg", tests, NULL, NULL);
}
