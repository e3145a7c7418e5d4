/*
 * The conformance runner: the app_main() of every conformance kernel.
 *
 * It takes the test records from the linker set, orders them by file (in
 * link order) and line, and runs them one by one. A failed expectation
 * prints its message at once and marks the test failed; a failed
 * assertion also unwinds to the runner (setjmp/longjmp). The kernel
 * command line may narrow the run: "test=SUITE" or "test=SUITE.NAME".
 */
#include "test.h"

#include <guest/app.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/heap.h>
#include <guest/setjmp.h>
#include <guest/shutdown.h>
#include <guest/traps.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define REASON_MAX 240
#define FILTER_MAX 96

/* The linker set's bounds (pvguest.ld.S); compared as addresses. */
extern const struct test_case __start_set_tests[], __stop_set_tests[];

static size_t nr_tests(void)
{
	return ((uintptr_t)__stop_set_tests - (uintptr_t)__start_set_tests) /
	       sizeof(struct test_case);
}

static struct {
	const struct test_case *test;
	bool failed;
	char reason[REASON_MAX];
	jmp_buf abort;
} cur;

static const char *basename(const char *path)
{
	const char *slash = path;
	const char *p;

	for (p = path; *p; p++)
		if (*p == '/')
			slash = p + 1;
	return slash;
}

/* Record a failure of the running test (the first one is its reason). */
void test_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[REASON_MAX];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "%s:%d: ", basename(file), line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	printk("    %s\n", msg);
	if (!cur.failed)
		strlcpy(cur.reason, msg, sizeof(cur.reason));
	cur.failed = true;
}

/* End the running test now (after a failed assertion). */
void __noreturn test_abort(void)
{
	longjmp(cur.abort, 1);
}

/* Run fn(arg), expecting exception vector; records a failure otherwise. */
bool expect_fault_at(const char *file, int line, void (*fn)(void *), void *arg,
		     int vector, struct fault_info *info)
{
	struct fault_info fi = {.vector = -1, .int_vector = -1};
	int got = catch_fault(fn, arg, &fi);

	if (info)
		*info = fi;
	if (got == vector)
		return true;
	if (got < 0)
		test_fail(file, line, "expected %s (vector %d), but no trap",
			  trap_name((uint64_t)vector), vector);
	else
		test_fail(file, line,
			  "expected %s (vector %d), got %s (vector %d) at rip "
			  "%#lx, error code %#lx",
			  trap_name((uint64_t)vector), vector,
			  trap_name((uint64_t)got), got, fi.rip, fi.error_code);
	return false;
}

/* Order: by file, files in link order (first record), then by line. */
static bool runs_before(const struct test_case *a, const struct test_case *b)
{
	size_t i;

	if (a->file == b->file || !strcmp(a->file, b->file))
		return a->line < b->line;
	for (i = 0; i < nr_tests(); i++) {
		if (!strcmp(__start_set_tests[i].file, a->file))
			return true;
		if (!strcmp(__start_set_tests[i].file, b->file))
			return false;
	}
	return false;
}

static void sort_tests(const struct test_case **list, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		const struct test_case *t = list[i];

		for (j = i; j > 0 && runs_before(t, list[j - 1]); j--)
			list[j] = list[j - 1];
		list[j] = t;
	}
}

/* Whether "test=" on the command line selects this test. */
static bool selected(const struct test_case *t, const char *filter)
{
	size_t slen = strlen(t->suite);

	if (!filter[0])
		return true;
	if (strncmp(filter, t->suite, slen))
		return false;
	if (filter[slen] == '\0')
		return true;
	return filter[slen] == '.' && !strcmp(filter + slen + 1, t->name);
}

static bool run_one(const struct test_case *t)
{
	cur.test = t;
	cur.failed = false;
	cur.reason[0] = '\0';
	printk("[ RUN      ] %s.%s\n", t->suite, t->name);
	if (!setjmp(cur.abort))
		t->fn();
	if (cur.failed)
		printk("[  FAILED  ] %s.%s: %s\n", t->suite, t->name,
		       cur.reason);
	else
		printk("[       OK ] %s.%s\n", t->suite, t->name);
	return !cur.failed;
}

/* Run every selected test; the result is the kernel's shutdown code. */
int app_main(void)
{
	size_t n = nr_tests();
	const struct test_case **list = kmalloc(n * sizeof(*list) + 1);
	char filter[FILTER_MAX] = "";
	unsigned int passed = 0, failed = 0;
	size_t i;

	if (!list)
		panic("conformance: no memory for the test list");
	for (i = 0; i < n; i++)
		list[i] = &__start_set_tests[i];
	sort_tests(list, n);
	cmdline_get("test", filter, sizeof(filter));

	for (i = 0; i < n; i++) {
		if (!selected(list[i], filter))
			continue;
		if (run_one(list[i]))
			passed++;
		else
			failed++;
	}
	printk("%s: %u passed, %u failed\n", conformance_kernel_name, passed,
	       failed);
	kfree(list);
	return failed ? EXIT_FAILED : EXIT_OK;
}
