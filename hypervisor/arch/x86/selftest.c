/*
 * Built-in self-tests, run after "ready" when the command line says
 * selftest=<name> (see the table below). Each ends the run through
 * machine_test_exit() (or, for the deliberate faults, through the fatal
 * trap path), so with debug_exit under QEMU a test boot stops by itself.
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/shutdown.h>
#include <hv/softirq.h>
#include <hv/time.h>
#include <hv/timer.h>

#include <asm/apic.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <paravane/qemu_exit.h>

static char opt_selftest[32];
string_param("selftest", opt_selftest);

/* Whether a self-test was asked for on the command line. */
bool selftest_requested(void)
{
	return opt_selftest[0] != '\0';
}

static volatile int sink;

static bool test_ready(void)
{
	return true;
}

static bool fault_pf(void)
{
	volatile int *volatile p = (volatile int *)0x10;

	*p = 1; /* guest space: nothing is mapped there */
	return false;
}

/*
 * The faulting functions below keep a frame (the volatile local) so that
 * the backtrace shows their caller, as it would for any real function.
 */
static bool fault_ud(void)
{
	volatile int frame = 0;

	__asm__ __volatile__("ud2" ::"r"(&frame) : "memory");
	return frame;
}

static bool fault_gp(void)
{
	volatile int *volatile p = (volatile int *)0x8000000000000000UL;

	sink = *p; /* non-canonical */
	return false;
}

static bool fault_de(void)
{
	volatile unsigned int zero = 0;
	unsigned int lo = 1, hi = 0;

	__asm__ __volatile__("divl %2" : "+a"(lo), "+d"(hi) : "r"(zero));
	sink = (int)lo;
	return false;
}

static int recurse(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth == sink) /* sink is 0: never true, but unknowable to gcc */
		return 0;
	return recurse(depth + 1) + pad[0];
}

static bool stack_overflow(void)
{
	sink = recurse(1);
	return false;
}

static bool failed_assert(void)
{
	ASSERT(sink == 12345);
	return false;
}

static bool nmi(void)
{
	lapic_send_self_nmi();
	udelay(1000);
	return true; /* the NMI handler logs and returns; reaching here passes */
}

#define NR_TEST_TIMERS 6
static s_time_t fired_at[NR_TEST_TIMERS];
static unsigned int fire_order[NR_TEST_TIMERS], nr_fired;

static void timer_fn(void *data)
{
	unsigned int i = (unsigned int)(uintptr_t)data;

	fired_at[i] = NOW();
	fire_order[nr_fired++] = i;
}

/*
 * Arm timers out of order, stop one, move one, and check that the rest
 * fire in deadline order and never early.
 */
static bool timers(void)
{
	static const unsigned int ms[NR_TEST_TIMERS] = {40, 10, 30, 5, 20, 15};
	struct timer t[NR_TEST_TIMERS];
	s_time_t start = NOW(), deadline[NR_TEST_TIMERS];
	bool ok = true;

	for (unsigned int i = 0; i < NR_TEST_TIMERS; i++) {
		deadline[i] = start + MILLISECS(ms[i]);
		init_timer(&t[i], timer_fn, (void *)(uintptr_t)i, 0);
		set_timer(&t[i], deadline[i]);
	}
	stop_timer(&t[2]);		     /* 30 ms: never fires */
	deadline[5] = start + MILLISECS(50); /* 15 ms moved to 50 ms */
	set_timer(&t[5], deadline[5]);

	while (NOW() < start + MILLISECS(200) &&
	       nr_fired < NR_TEST_TIMERS - 1) {
		local_irq_disable(); /* the idle loop's job, done here */
		if (softirq_pending(0))
			do_softirq();
		else
			safe_halt();
	}
	local_irq_enable();
	for (unsigned int i = 0; i < nr_fired; i++) {
		unsigned int k = fire_order[i];

		pr_info("selftest: timer %u (%u ms) fired at +%ld us, %ld us late\n",
			k, k == 5 ? 50 : ms[k],
			(long)((fired_at[k] - start) / 1000),
			(long)((fired_at[k] - deadline[k]) / 1000));
		if (fired_at[k] < deadline[k])
			ok = false;
		if (i && deadline[fire_order[i - 1]] > deadline[k])
			ok = false;
	}
	if (nr_fired != NR_TEST_TIMERS - 1 || fired_at[2])
		ok = false;
	return ok;
}

/* Allocate all orders, check alignment and scrubbing, free, compare. */
static bool heap(void)
{
	unsigned long before = heap_free_pages();
	struct page_info *pg[MAX_ORDER + 1] = {0};
	bool ok = true;

	for (unsigned int o = 0; o <= 10; o++) {
		const uint64_t *p;

		pg[o] = alloc_domheap_pages(NULL, o);
		if (!pg[o] || (mfn_x(page_to_mfn(pg[o])) & ((1UL << o) - 1))) {
			ok = false;
			continue;
		}
		p = mfn_to_virt(page_to_mfn(pg[o]));
		for (size_t i = 0; i < (PAGE_SIZE << o) / 8; i++)
			if (p[i])
				ok = false;
		memset(mfn_to_virt(page_to_mfn(pg[o])), 0xa5, PAGE_SIZE << o);
	}
	for (unsigned int o = 0; o <= 10; o++)
		if (pg[o])
			free_domheap_pages(pg[o], o);
	pr_info("selftest: heap %lu free before, %lu after\n", before,
		heap_free_pages());
	return ok && heap_free_pages() == before;
}

static const struct {
	const char *name;
	bool (*fn)(void);
} selftests[] = {
	{"ready", test_ready},	   {"fault-pf", fault_pf},
	{"fault-ud", fault_ud},	   {"fault-gp", fault_gp},
	{"fault-de", fault_de},	   {"stack-overflow", stack_overflow},
	{"assert", failed_assert}, {"nmi", nmi},
	{"timers", timers},	   {"heap", heap},
};

/* Run the self-test named on the command line and end the run. */
void selftest_run(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(selftests); i++) {
		if (strcmp(opt_selftest, selftests[i].name))
			continue;
		pr_info("selftest: running '%s'\n", selftests[i].name);
		if (selftests[i].fn()) {
			pr_info("selftest: '%s' PASSED\n", selftests[i].name);
			machine_test_exit(PARAVANE_EXIT_SUCCESS);
		}
		pr_err("selftest: '%s' FAILED\n", selftests[i].name);
		machine_test_exit(PARAVANE_EXIT_FAILURE);
	}
	pr_err("selftest: no test named '%s'\n", opt_selftest);
	machine_test_exit(PARAVANE_EXIT_FAILURE);
}
