/*
 * Unit tests for who may use domain and system control
 * (common/domctl.c, common/sysctl.c): every command number, from an
 * ordinary domain, is refused with -EPERM and changes nothing; dom0 with
 * another interface version gets -EACCES, an unknown command -ENOSYS
 * (-ESRCH first if the domain does not exist), a bad pointer -EFAULT.
 * "Changes nothing" is checked three ways: no worker outside the file was
 * called (each is a recorder here), the domains' structures are byte for
 * byte as before, and the caller's buffer was not written. A last case
 * shows the recorders do see a command that is carried out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/sched_credit.h>

#include <asm/domain_build.h>
#include <asm/guest_access.h>
#include <asm/memlayout.h>
#include <asm/page_type.h>
#include <asm/pv.h>
#include <asm/smp.h>

#include "fake/fake.h"

/* ---- The world around domctl.c and sysctl.c, as recorders -------------- */

static unsigned int calls;    /* workers reached */
static const char *last_call; /* and the last one's name */

static void called(const char *fn)
{
	calls++;
	last_call = fn;
}

struct page_info *frame_table;
unsigned long max_page;

s_time_t NOW(void)
{
	return 0;
}

uint64_t tsc_hz(void)
{
	return 2000000000;
}

unsigned long heap_total_pages(void)
{
	return 1024;
}

unsigned long heap_free_pages(void)
{
	return 512;
}

struct domain *domain_create(domid_t id, bool privileged,
			     unsigned int max_vcpus)
{
	called(__func__);
	return NULL;
}

int grant_table_check_config(int32_t max_frames, int32_t max_maptrack_frames,
			     uint32_t grant_opts)
{
	return 0; /* a check, not a worker: it changes nothing */
}

void grant_table_set_limits(struct domain *d, int32_t max_frames,
			    int32_t max_maptrack_frames)
{
	called(__func__);
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id, unsigned int cpu)
{
	called(__func__);
	return NULL;
}

int domain_destroy(struct domain *d)
{
	called(__func__);
	return 0;
}

void domain_pause(struct domain *d)
{
	called(__func__);
}

void domain_unpause(struct domain *d)
{
	called(__func__);
}

int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
	called(__func__);
	return 0;
}

void arch_get_info_guest(const struct vcpu *v, struct vcpu_guest_context *c)
{
	called(__func__);
	memset(c, 0, sizeof(*c));
}

int csched_set_params(struct domain *d, uint16_t weight, uint16_t cap)
{
	called(__func__);
	return 0;
}

void csched_get_params(const struct domain *d, uint16_t *weight, uint16_t *cap)
{
	called(__func__);
	*weight = CSCHED_DEFAULT_WEIGHT;
	*cap = 0;
}

int csched_set_affinity(struct vcpu *v, uint64_t cpumask)
{
	called(__func__);
	return 0;
}

void fill_hypercall_page(void *page)
{
	called(__func__);
}

void hypercall_create_continuation(unsigned int op, unsigned int nargs,
				   const unsigned long *args)
{
	called(__func__);
}

int get_page_and_type(struct page_info *pg, struct domain *d,
		      unsigned long type)
{
	called(__func__);
	return -EINVAL;
}

void put_page_and_type(struct page_info *pg)
{
	called(__func__);
}

size_t printk_read_ring(char *buf, size_t max, uint32_t *index, bool from_index,
			bool clear)
{
	called(__func__);
	return 0;
}

/* ---- The machine: dom0, an ordinary domain calling, and a target ------- */

static struct domain dom0, domu, target;
static struct vcpu dom0_vcpu, domu_vcpu, target_vcpu;
static struct vcpu *dom0_vcpus[1], *domu_vcpus[1], *target_vcpus[1];
static struct domain snap[3];

static int setup(void **state)
{
	dom0 = (struct domain){.domain_id = 0, .is_privileged = true};
	domu = (struct domain){.domain_id = 1};
	target = (struct domain){.domain_id = 2};
	dom0_vcpu = (struct vcpu){.domain = &dom0};
	domu_vcpu = (struct vcpu){.domain = &domu};
	target_vcpu = (struct vcpu){.domain = &target};
	dom0_vcpus[0] = &dom0_vcpu;
	domu_vcpus[0] = &domu_vcpu;
	target_vcpus[0] = &target_vcpu;
	dom0.vcpu = dom0_vcpus;
	domu.vcpu = domu_vcpus;
	target.vcpu = target_vcpus;
	dom0.max_vcpus = domu.max_vcpus = target.max_vcpus = 1;
	fake_domains_clear();
	fake_domain_add(&dom0);
	fake_domain_add(&domu);
	fake_domain_add(&target);
	hardware_domain = &dom0;
	fake_cpu_info.current_vcpu = &domu_vcpu;
	calls = 0;
	last_call = NULL;
	fake_log_clear();
	return 0;
}

static int teardown(void **state)
{
	unsigned int held = fake_locks_held();

	fake_cpu_recover();
	fake_domains_clear();
	fake_cpu_info.current_vcpu = NULL;
	assert_int_equal(held, 0);
	assert_int_equal(fake_xmalloc_live(), 0);
	return 0;
}

static void as(struct domain *d)
{
	fake_cpu_info.current_vcpu = d->vcpu[0];
}

static void take_snapshot(void)
{
	snap[0] = dom0;
	snap[1] = domu;
	snap[2] = target;
}

/* Nothing outside the file was asked to act; no domain changed. */
#define assert_nothing_done(what)                                              \
	do {                                                                   \
		if (calls)                                                     \
			fail_msg("%s reached %s", (what), last_call);          \
		if (memcmp(&snap[0], &dom0, sizeof(dom0)) ||                   \
		    memcmp(&snap[1], &domu, sizeof(domu)) ||                   \
		    memcmp(&snap[2], &target, sizeof(target)))                 \
			fail_msg("%s changed a domain", (what));               \
		assert_int_equal(fake_locks_held(), 0);                        \
	} while (0)

/*
 * Command numbers to try: every one below 128 (Xen's domctls end at 86
 * and sysctls at 29), the gdbsx domctls at 1000, and some far beyond.
 */
static const uint32_t far_cmds[] = {1000,	1001,	    1002,
				    1003,	0x100,	    0xffff,
				    0x7fffffff, 0x80000000, 0xfffffffe,
				    0xffffffff};
#define NR_CMDS (128 + ARRAY_SIZE(far_cmds))

static uint32_t cmd_at(unsigned int i)
{
	return i < 128 ? i : far_cmds[i - 128];
}

static long domctl(struct xen_domctl *op)
{
	return do_domctl(guest_handle_from_arg(xen_domctl_t, op));
}

static long sysctl(struct xen_sysctl *op)
{
	return do_sysctl(guest_handle_from_arg(xen_sysctl_t, op));
}

/* A domctl for cmd on domain dom, its payload bytes all fill. */
static void make_domctl(struct xen_domctl *op, uint32_t cmd, uint32_t version,
			domid_t dom, uint8_t fill)
{
	memset(op, fill, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = version;
	op->domain = dom;
}

static void make_sysctl(struct xen_sysctl *op, uint32_t cmd, uint32_t version,
			uint8_t fill)
{
	memset(op, fill, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = version;
}

/* Run one domctl and check it answered want and did nothing at all. */
static void domctl_refused(struct xen_domctl *op, long want)
{
	struct xen_domctl before = *op;
	long rc;

	take_snapshot();
	rc = domctl(op);
	if (rc != want)
		fail_msg(
			"domctl %u (version %#x, domain %u): %ld, expected %ld",
			op->cmd, op->interface_version, op->domain, rc, want);
	assert_nothing_done("a refused domctl");
	assert_memory_equal(&before, op, sizeof(before));
}

static void sysctl_refused(struct xen_sysctl *op, long want)
{
	struct xen_sysctl before = *op;
	long rc;

	take_snapshot();
	rc = sysctl(op);
	if (rc != want)
		fail_msg("sysctl %u (version %#x): %ld, expected %ld", op->cmd,
			 op->interface_version, rc, want);
	assert_nothing_done("a refused sysctl");
	assert_memory_equal(&before, op, sizeof(before));
}

/* ---- An ordinary domain -------------------------------------------------- */

static void ordinary_domain_gets_eperm_for_every_domctl(void **state)
{
	static const domid_t doms[] = {0, 1, 2, 9, DOMID_SELF};
	static const uint8_t fills[] = {0, 0xff};
	struct xen_domctl op;

	for (unsigned int i = 0; i < NR_CMDS; i++)
		for (unsigned int d = 0; d < ARRAY_SIZE(doms); d++)
			for (unsigned int f = 0; f < ARRAY_SIZE(fills); f++) {
				make_domctl(&op, cmd_at(i),
					    XEN_DOMCTL_INTERFACE_VERSION,
					    doms[d], fills[f]);
				domctl_refused(&op, -EPERM);
			}
}

static void ordinary_domain_gets_eperm_for_every_sysctl(void **state)
{
	static const uint8_t fills[] = {0, 0xff};
	struct xen_sysctl op;

	for (unsigned int i = 0; i < NR_CMDS; i++)
		for (unsigned int f = 0; f < ARRAY_SIZE(fills); f++) {
			make_sysctl(&op, cmd_at(i),
				    XEN_SYSCTL_INTERFACE_VERSION, fills[f]);
			sysctl_refused(&op, -EPERM);
		}
}

/*
 * Paravane refuses an ordinary domain before it reads the argument. Xen
 * reads it first, so there a wrong version is -EACCES, a missing domain
 * -ESRCH and a bad pointer -EFAULT, and only then is the caller refused.
 */
static void ordinary_domain_is_refused_before_the_argument_is_read(void **s)
{
	struct xen_domctl d;
	struct xen_sysctl y;

	make_domctl(&d, XEN_DOMCTL_pausedomain, 0, 2, 0);
	domctl_refused(&d, -EPERM);
	make_domctl(&d, XEN_DOMCTL_pausedomain, XEN_DOMCTL_INTERFACE_VERSION, 9,
		    0);
	domctl_refused(&d, -EPERM);
	make_sysctl(&y, XEN_SYSCTL_physinfo, 0, 0);
	sysctl_refused(&y, -EPERM);
	take_snapshot();
	assert_int_equal(
		do_domctl(guest_handle_from_arg(xen_domctl_t, HV_RANGE_START)),
		-EPERM);
	assert_int_equal(
		do_sysctl(guest_handle_from_arg(xen_sysctl_t, HV_RANGE_START)),
		-EPERM);
	assert_nothing_done("a domctl from a bad pointer");
}

/* The target domain (not privileged either) fares no better. */
static void no_domain_controls_itself(void **state)
{
	struct xen_domctl op;

	as(&target);
	for (unsigned int i = 0; i < NR_CMDS; i++) {
		make_domctl(&op, cmd_at(i), XEN_DOMCTL_INTERFACE_VERSION,
			    DOMID_SELF, 0);
		domctl_refused(&op, -EPERM);
		make_domctl(&op, cmd_at(i), XEN_DOMCTL_INTERFACE_VERSION, 2, 0);
		domctl_refused(&op, -EPERM);
	}
}

/* ---- dom0 ---------------------------------------------------------------- */

static const uint32_t wrong_versions[] = {0, XEN_DOMCTL_INTERFACE_VERSION - 1,
					  XEN_DOMCTL_INTERFACE_VERSION + 1,
					  0xffffffff};

static void wrong_interface_version_gets_eacces(void **state)
{
	struct xen_domctl d;
	struct xen_sysctl y;

	as(&dom0);
	for (unsigned int i = 0; i < NR_CMDS; i++) {
		for (unsigned int v = 0; v < ARRAY_SIZE(wrong_versions); v++) {
			make_domctl(&d, cmd_at(i), wrong_versions[v], 2, 0);
			domctl_refused(&d, -EACCES);
			make_sysctl(&y, cmd_at(i), wrong_versions[v], 0);
			sysctl_refused(&y, -EACCES);
		}
	}
}

static bool domctl_known(uint32_t cmd)
{
	switch (cmd) {
	case XEN_DOMCTL_createdomain:
	case XEN_DOMCTL_destroydomain:
	case XEN_DOMCTL_pausedomain:
	case XEN_DOMCTL_unpausedomain:
	case XEN_DOMCTL_getdomaininfo:
	case XEN_DOMCTL_setvcpuaffinity:
	case XEN_DOMCTL_max_mem:
	case XEN_DOMCTL_setvcpucontext:
	case XEN_DOMCTL_getvcpucontext:
	case XEN_DOMCTL_getvcpuinfo:
	case XEN_DOMCTL_max_vcpus:
	case XEN_DOMCTL_scheduler_op:
	case XEN_DOMCTL_setdomainhandle:
	case XEN_DOMCTL_hypercall_init:
	case XEN_DOMCTL_settimeoffset:
	case XEN_DOMCTL_getvcpuaffinity:
	case XEN_DOMCTL_set_address_size:
	case XEN_DOMCTL_get_address_size: return true;
	default: return false;
	}
}

static void unknown_domctl_gets_enosys(void **state)
{
	struct xen_domctl op;
	unsigned int unknown = 0;

	as(&dom0);
	for (unsigned int i = 0; i < NR_CMDS; i++) {
		if (domctl_known(cmd_at(i)))
			continue;
		unknown++;
		make_domctl(&op, cmd_at(i), XEN_DOMCTL_INTERFACE_VERSION, 2,
			    0xff);
		domctl_refused(&op, -ENOSYS);
		/* As in Xen, the domain is looked up first. */
		make_domctl(&op, cmd_at(i), XEN_DOMCTL_INTERFACE_VERSION, 9,
			    0xff);
		domctl_refused(&op, -ESRCH);
	}
	assert_int_equal(unknown, NR_CMDS - 18);
}

static void unknown_sysctl_gets_enosys(void **state)
{
	struct xen_sysctl op;

	as(&dom0);
	for (unsigned int i = 0; i < NR_CMDS; i++) {
		uint32_t cmd = cmd_at(i);

		if (cmd == XEN_SYSCTL_readconsole ||
		    cmd == XEN_SYSCTL_physinfo || cmd == XEN_SYSCTL_sched_id ||
		    cmd == XEN_SYSCTL_getdomaininfolist)
			continue;
		make_sysctl(&op, cmd, XEN_SYSCTL_INTERFACE_VERSION, 0xff);
		sysctl_refused(&op, -ENOSYS);
	}
}

/* Commands on one domain need it to exist (and not be dying). */
static void domctl_on_a_missing_domain_gets_esrch(void **state)
{
	static const uint32_t cmds[] = {
		XEN_DOMCTL_pausedomain,	   XEN_DOMCTL_unpausedomain,
		XEN_DOMCTL_destroydomain,  XEN_DOMCTL_max_mem,
		XEN_DOMCTL_scheduler_op,   XEN_DOMCTL_setvcpuaffinity,
		XEN_DOMCTL_hypercall_init, XEN_DOMCTL_setdomainhandle,
	};
	struct xen_domctl op;

	as(&dom0);
	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		make_domctl(&op, cmds[i], XEN_DOMCTL_INTERFACE_VERSION, 9, 0);
		domctl_refused(&op, -ESRCH);
		make_domctl(&op, cmds[i], XEN_DOMCTL_INTERFACE_VERSION,
			    DOMID_INVALID, 0);
		domctl_refused(&op, -ESRCH);
	}
	target.is_dying = true;
	make_domctl(&op, XEN_DOMCTL_pausedomain, XEN_DOMCTL_INTERFACE_VERSION,
		    2, 0);
	domctl_refused(&op, -ESRCH);
	target.is_dying = false;
}

static void bad_pointer_faults_for_dom0(void **state)
{
	/* The last byte crosses out of the lower canonical half. */
	uintptr_t edge = 0x0000800000000000UL - 1;

	as(&dom0);
	take_snapshot();
	assert_int_equal(
		do_domctl(guest_handle_from_arg(xen_domctl_t, HV_RANGE_START)),
		-EFAULT);
	assert_int_equal(do_domctl(guest_handle_from_arg(xen_domctl_t, edge)),
			 -EFAULT);
	assert_int_equal(
		do_sysctl(guest_handle_from_arg(xen_sysctl_t, HV_RANGE_START)),
		-EFAULT);
	assert_int_equal(do_sysctl(guest_handle_from_arg(xen_sysctl_t, edge)),
			 -EFAULT);
	assert_nothing_done("a domctl from a bad pointer");
}

/* The recorders see a command that is carried out. */
static void dom0_commands_reach_their_workers(void **state)
{
	struct xen_domctl d;
	struct xen_sysctl y;

	as(&dom0);
	make_domctl(&d, XEN_DOMCTL_pausedomain, XEN_DOMCTL_INTERFACE_VERSION, 2,
		    0);
	assert_int_equal(domctl(&d), 0);
	assert_int_equal(calls, 1);
	assert_string_equal(last_call, "domain_pause");
	assert_true(target.controller_paused);
	assert_int_equal(target.refcnt, 1);

	make_domctl(&d, XEN_DOMCTL_scheduler_op, XEN_DOMCTL_INTERFACE_VERSION,
		    2, 0);
	d.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
	d.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
	assert_int_equal(domctl(&d), 0);
	assert_string_equal(last_call, "csched_get_params");
	assert_int_equal(d.u.scheduler_op.u.credit.weight,
			 CSCHED_DEFAULT_WEIGHT);

	make_domctl(&d, XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_INTERFACE_VERSION,
		    1, 0);
	assert_int_equal(domctl(&d), 0);
	assert_int_equal(d.u.getdomaininfo.domain, 1);

	make_sysctl(&y, XEN_SYSCTL_sched_id, XEN_SYSCTL_INTERFACE_VERSION, 0);
	assert_int_equal(sysctl(&y), 0);
	assert_int_equal(y.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT);
	make_sysctl(&y, XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION, 0);
	assert_int_equal(sysctl(&y), 0);
	assert_int_equal(y.u.physinfo.nr_cpus, nr_online_cpus);
	assert_int_equal(y.u.physinfo.free_pages, 512);
}

#define DC_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		DC_TEST(ordinary_domain_gets_eperm_for_every_domctl),
		DC_TEST(ordinary_domain_gets_eperm_for_every_sysctl),
		DC_TEST(ordinary_domain_is_refused_before_the_argument_is_read),
		DC_TEST(no_domain_controls_itself),
		DC_TEST(wrong_interface_version_gets_eacces),
		DC_TEST(unknown_domctl_gets_enosys),
		DC_TEST(unknown_sysctl_gets_enosys),
		DC_TEST(domctl_on_a_missing_domain_gets_esrch),
		DC_TEST(bad_pointer_faults_for_dom0),
		DC_TEST(dom0_commands_reach_their_workers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
