/*
 * The conformance test harness: hypervisor-ABI tests that run inside a
 * pvguest kernel, on real Xen 4.17 (the oracle) and on Paravane.
 *
 * A test is a function declared with TEST(suite, name). Its record goes
 * into the linker set "tests" (section .set.tests, see pvguest.ld.S), and
 * the runner (runner.c, which is the kernel's app_main) runs every test
 * in file order, reporting gtest-style:
 *
 *   [ RUN      ] mmu.map_frame
 *   [       OK ] mmu.map_frame
 *   [  FAILED  ] mmu.pin_l1: basic.c:120: pin_table(1, mfn) returned ...
 *   basic: 9 passed, 1 failed
 *
 * and powers off with code 0 when all passed (EXIT_FAILED otherwise).
 * EXPECT_* records a failure and goes on; ASSERT_* also ends the test.
 * Do not ASSERT inside a function run by expect_fault(): the catch it is
 * running under would stay armed.
 *
 * Each conformance kernel names itself once: CONFORMANCE_KERNEL("basic").
 */
#ifndef CONFORMANCE_TEST_H
#define CONFORMANCE_TEST_H

#include <guest/errno.h>
#include <guest/fault.h>
#include <paravane/compiler.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct test_case {
	const char *suite;
	const char *name;
	const char *file;
	int line;
	void (*fn)(void);
};

/* Define and register a test: TEST(suite, name) { body } */
#define TEST(suite, name)                                                      \
	static void test_##suite##_##name(void);                               \
	static const struct test_case test_rec_##suite##_##name __used         \
		__section(".set.tests")                                        \
			__aligned(8) = {#suite, #name, __FILE__, __LINE__,     \
					test_##suite##_##name};                \
	static void test_##suite##_##name(void)

/* Name the kernel; the summary line is "<name>: N passed, N failed". */
#define CONFORMANCE_KERNEL(name) const char conformance_kernel_name[] = name

extern const char conformance_kernel_name[];

// harness/runner.c
void test_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);
void __noreturn test_abort(void);
bool expect_fault_at(const char *file, int line, void (*fn)(void *), void *arg,
		     int vector, struct fault_info *info);

/*
 * Compare two integer (or pointer) values; fatal ends the test. The
 * public macros pass the argument text, so it is shown unexpanded.
 */
#define TEST_CMP_(fatal, a, op, b, a_text, b_text)                             \
	do {                                                                   \
		int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                  \
		if (!(a_ op b_)) {                                             \
			test_fail(__FILE__, __LINE__,                          \
				  "expected %s %s %s, got %lld (%#llx) and "   \
				  "%lld (%#llx)",                              \
				  a_text, #op, b_text, (long long)a_,          \
				  (unsigned long long)a_, (long long)b_,       \
				  (unsigned long long)b_);                     \
			if (fatal)                                             \
				test_abort();                                  \
		}                                                              \
	} while (0)

/* Expect a call to return the (negative Xen errno) err; 0 means success. */
#define TEST_ERR_(fatal, expr, err, expr_text)                                 \
	do {                                                                   \
		long r_ = (long)(expr), e_ = (long)(err);                      \
		if (r_ != e_) {                                                \
			test_fail(__FILE__, __LINE__,                          \
				  "%s returned %ld (%s), expected %ld (%s)",   \
				  expr_text, r_, errno_name((int)r_), e_,      \
				  errno_name((int)e_));                        \
			if (fatal)                                             \
				test_abort();                                  \
		}                                                              \
	} while (0)

#define EXPECT_EQ(a, b) TEST_CMP_(false, a, ==, b, #a, #b)
#define EXPECT_NE(a, b) TEST_CMP_(false, a, !=, b, #a, #b)
#define EXPECT_LT(a, b) TEST_CMP_(false, a, <, b, #a, #b)
#define EXPECT_LE(a, b) TEST_CMP_(false, a, <=, b, #a, #b)
#define EXPECT_GT(a, b) TEST_CMP_(false, a, >, b, #a, #b)
#define EXPECT_GE(a, b) TEST_CMP_(false, a, >=, b, #a, #b)
#define ASSERT_EQ(a, b) TEST_CMP_(true, a, ==, b, #a, #b)
#define ASSERT_NE(a, b) TEST_CMP_(true, a, !=, b, #a, #b)
#define ASSERT_LT(a, b) TEST_CMP_(true, a, <, b, #a, #b)
#define ASSERT_LE(a, b) TEST_CMP_(true, a, <=, b, #a, #b)
#define ASSERT_GT(a, b) TEST_CMP_(true, a, >, b, #a, #b)
#define ASSERT_GE(a, b) TEST_CMP_(true, a, >=, b, #a, #b)
#define EXPECT_TRUE(c) TEST_CMP_(false, !!(c), ==, 1, #c, "true")
#define EXPECT_FALSE(c) TEST_CMP_(false, !!(c), ==, 0, #c, "false")
#define ASSERT_TRUE(c) TEST_CMP_(true, !!(c), ==, 1, #c, "true")

/* A call that returns 0 or a negative Xen errno. */
#define EXPECT_OK(expr) TEST_ERR_(false, expr, 0, #expr)
#define ASSERT_OK(expr) TEST_ERR_(true, expr, 0, #expr)
#define EXPECT_ERR(expr, err) TEST_ERR_(false, expr, err, #expr)
#define ASSERT_ERR(expr, err) TEST_ERR_(true, expr, err, #expr)

/*
 * Run fn(arg) and expect it to raise exception vector; the trap's details
 * go to *info (may be NULL). Evaluates to whether it did.
 */
#define expect_fault(fn, arg, vector, info)                                    \
	expect_fault_at(__FILE__, __LINE__, fn, arg, vector, info)
#define EXPECT_FAULT(fn, arg, vector) expect_fault(fn, arg, vector, NULL)

#endif /* CONFORMANCE_TEST_H */
