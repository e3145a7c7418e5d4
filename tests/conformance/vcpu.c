/*
 * Conformance of HYPERVISOR_vcpu_op and SMP page-table flushes for a
 * 64-bit PV initial domain with two vCPUs, as Xen 4.17 answers.
 *
 * pvguest has brought vCPU 1 up (VCPUOP_initialise, VCPUOP_up) before
 * the tests run; they check that it runs, take it down and up again,
 * read run states, move vcpu_info, and have vCPU 1 watch a mapping while
 * vCPU 0 changes it with each of Xen's remote TLB flushes.
 *
 * Who is running: VCPUOP_stop_singleshot_timer succeeds only for the
 * calling vCPU itself, so it tells which vCPU Xen thinks made the call.
 */
#include "mmu_util.h"
#include "smp_util.h"

#include <guest/heap.h>

CONFORMANCE_KERNEL("vcpu");

#define NO_SUCH_VCPU 99
#define MS(n) ((uint64_t)(n)*NSEC_PER_MSEC)

static int vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return HYPERVISOR_vcpu_op(cmd, vcpu, arg);
}

static int runstate(unsigned int vcpu, struct vcpu_runstate_info *rs)
{
	return vcpu_op(VCPUOP_get_runstate_info, vcpu, rs);
}

/* 0 if Xen takes the caller for vCPU vcpu (see the top of the file). */
static int is_caller(unsigned int vcpu)
{
	int rc = vcpu_op(VCPUOP_stop_singleshot_timer, vcpu, NULL);

	if (!rc)
		timer_reprogram(); /* give pvguest its timer back */
	return rc;
}

static int is_caller_1(void *arg)
{
	return is_caller(1);
}

/* ---- up, down, initialise ------------------------------------------------ */

TEST(vcpu, is_up)
{
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 0, NULL), 1);
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 1);
	EXPECT_ERR(vcpu_op(VCPUOP_is_up, 2, NULL), -ENOENT);
	EXPECT_ERR(vcpu_op(VCPUOP_is_up, NO_SUCH_VCPU, NULL), -ENOENT);
	EXPECT_ERR(vcpu_op(VCPUOP_is_up, ~0U, NULL), -ENOENT);
	EXPECT_EQ(smp_vcpus_possible(), 2);
	EXPECT_EQ(nr_cpus(), 2);
}

/* An initialised vCPU cannot be initialised again, running or not. */
TEST(vcpu, initialise_twice_refused)
{
	struct vcpu_guest_context *ctx = kzalloc(sizeof(*ctx));

	ASSERT_TRUE(ctx != NULL);
	EXPECT_ERR(vcpu_op(VCPUOP_initialise, 0, ctx), -EEXIST);
	EXPECT_ERR(vcpu_op(VCPUOP_initialise, 1, ctx), -EEXIST);
	EXPECT_ERR(vcpu_op(VCPUOP_initialise, 2, ctx), -ENOENT);
	/* The context is read first: an unreadable one is -EFAULT. */
	EXPECT_ERR(vcpu_op(VCPUOP_initialise, 1, (void *)0x1000), -EFAULT);
	kfree(ctx);
}

TEST(vcpu, unknown_command)
{
	EXPECT_ERR(vcpu_op(99, 0, NULL), -ENOSYS);
	EXPECT_ERR(vcpu_op(VCPUOP_up, NO_SUCH_VCPU, NULL), -ENOENT);
	EXPECT_ERR(vcpu_op(VCPUOP_down, NO_SUCH_VCPU, NULL), -ENOENT);
}

struct whoami {
	int self, other;
	unsigned int pvguest_id;
	struct vcpu_runstate_info rs;
};

static int whoami_on_vcpu1(void *arg)
{
	struct whoami *w = arg;

	w->self = is_caller(1);
	w->other = is_caller(0);
	w->pvguest_id = smp_processor_id();
	runstate(1, &w->rs);
	return 0;
}

/* vCPU 1 runs pvguest threads, and Xen agrees that it is vCPU 1. */
TEST(vcpu, secondary_runs)
{
	struct whoami w = {0};

	EXPECT_OK(is_caller(0));
	EXPECT_ERR(is_caller(1), -EINVAL);
	run_on(1, whoami_on_vcpu1, &w);
	EXPECT_OK(w.self);
	EXPECT_ERR(w.other, -EINVAL);
	EXPECT_EQ(w.pvguest_id, 1);
	EXPECT_EQ(w.rs.state, RUNSTATE_running);
}

struct spinner {
	unsigned long count;
	volatile int stop;
};

static int spin_on_vcpu1(void *arg)
{
	struct spinner *s = arg;

	while (!s->stop)
		__atomic_add_fetch(&s->count, 1, __ATOMIC_RELAXED);
	return 0;
}

static unsigned long spins(struct spinner *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

/*
 * VCPUOP_down stops a running vCPU where it is; VCPUOP_up lets it go on.
 * Down and up again are no-ops.
 */
TEST(vcpu, down_stops_and_up_resumes)
{
	struct spinner s = {0};
	struct vcpu_runstate_info rs;
	struct thread *t = thread_create_on(1, "spinner", spin_on_vcpu1, &s);
	unsigned long a, b;

	ASSERT_TRUE(t != NULL);
	ASSERT_TRUE(wait_count(&s.count, 1000));
	EXPECT_OK(runstate(1, &rs));
	EXPECT_EQ(rs.state, RUNSTATE_running);

	EXPECT_OK(vcpu_op(VCPUOP_down, 1, NULL));
	EXPECT_OK(vcpu_op(VCPUOP_down, 1, NULL));
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 0);
	sleep_ns(MS(10));
	a = spins(&s);
	sleep_ns(MS(30));
	b = spins(&s);
	EXPECT_EQ(a, b);
	EXPECT_OK(runstate(1, &rs));
	EXPECT_NE(rs.state, RUNSTATE_running);

	EXPECT_OK(vcpu_op(VCPUOP_up, 1, NULL));
	EXPECT_OK(vcpu_op(VCPUOP_up, 1, NULL));
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 1, NULL), 1);
	EXPECT_TRUE(wait_count(&s.count, b + 1000));
	s.stop = 1;
	thread_join(t);
}

static volatile int flag;

static int set_flag(void *arg)
{
	flag = 1;
	return 0;
}

/*
 * A down vCPU takes no events' effect: a thread queued for it (with an
 * IPI) waits until it is up again.
 */
TEST(vcpu, down_vcpu_runs_nothing)
{
	struct thread *t;

	flag = 0;
	EXPECT_OK(vcpu_op(VCPUOP_down, 1, NULL));
	t = thread_create_on(1, "flag", set_flag, NULL);
	ASSERT_TRUE(t != NULL);
	sleep_ns(MS(30));
	EXPECT_EQ(flag, 0);
	EXPECT_OK(vcpu_op(VCPUOP_up, 1, NULL));
	thread_join(t);
	EXPECT_EQ(flag, 1);
}

struct self_down {
	int rc_down_seen;
	int rc_up;
	uint64_t t_up; /* time_now() just before VCPUOP_up */
};

static int bring_vcpu0_back(void *arg)
{
	struct self_down *sd = arg;

	sleep_ns(MS(30));
	sd->rc_down_seen = vcpu_op(VCPUOP_is_up, 0, NULL);
	sd->t_up = time_now();
	sd->rc_up = vcpu_op(VCPUOP_up, 0, NULL);
	return 0;
}

/*
 * A vCPU may take itself down while another is up; that one revives it.
 * It runs again only after the other brought it up (time_now() is
 * monotonic across vCPUs), however the host schedules the two.
 */
TEST(vcpu, self_down_revived_by_other)
{
	struct self_down sd = {-1, -1, 0};
	struct thread *t =
		thread_create_on(1, "reviver", bring_vcpu0_back, &sd);
	uint64_t back;

	ASSERT_TRUE(t != NULL);
	EXPECT_OK(vcpu_op(VCPUOP_down, 0, NULL));
	back = time_now();
	EXPECT_GE(back, READ_ONCE(sd.t_up));
	EXPECT_GT(READ_ONCE(sd.t_up), 0);
	thread_join(t);
	EXPECT_EQ(sd.rc_down_seen, 0);
	EXPECT_OK(sd.rc_up);
	EXPECT_EQ(vcpu_op(VCPUOP_is_up, 0, NULL), 1);
}

/* ---- run states ---------------------------------------------------------- */

/* The caller is running, and its running time includes the present. */
TEST(runstate, own_running_time_advances)
{
	struct vcpu_runstate_info a, b;
	uint64_t end;

	ASSERT_OK(runstate(0, &a));
	end = time_now() + MS(20);
	while (time_now() < end)
		cpu_relax();
	ASSERT_OK(runstate(0, &b));
	EXPECT_EQ(a.state, RUNSTATE_running);
	EXPECT_EQ(b.state, RUNSTATE_running);
	EXPECT_GE(b.time[RUNSTATE_running] - a.time[RUNSTATE_running], MS(15));
	EXPECT_LE(b.state_entry_time, time_now());
}

/* An idle vCPU is blocked, and its blocked time includes the present. */
TEST(runstate, idle_vcpu_blocked_time_advances)
{
	struct vcpu_runstate_info a, b;

	sleep_ns(MS(10)); /* let vCPU 1 settle into its block */
	ASSERT_OK(runstate(1, &a));
	sleep_ns(MS(50));
	ASSERT_OK(runstate(1, &b));
	EXPECT_EQ(a.state, RUNSTATE_blocked);
	EXPECT_EQ(b.state, RUNSTATE_blocked);
	EXPECT_GE(b.time[RUNSTATE_blocked] - a.time[RUNSTATE_blocked], MS(40));
	EXPECT_GT(b.time[RUNSTATE_running], 0);
}

TEST(runstate, refused)
{
	struct vcpu_runstate_info rs;

	EXPECT_ERR(runstate(NO_SUCH_VCPU, &rs), -ENOENT);
	EXPECT_ERR(runstate(0, (void *)0x1000), -EFAULT);
	EXPECT_ERR(runstate(0, (void *)0xFFFF830000000000UL), -EFAULT);
}

static struct vcpu_runstate_info area;

static int register_area(unsigned int vcpu, void *addr)
{
	struct vcpu_register_runstate_memory_area a = {0};

	a.addr.v = addr;
	return vcpu_op(VCPUOP_register_runstate_memory_area, vcpu, &a);
}

/*
 * A registered runstate area is written at once (for the caller) and
 * again whenever the vCPU is scheduled: after a sleep it shows the time
 * spent blocked. NULL stops the updates.
 */
TEST(runstate, memory_area)
{
	uint64_t blocked;

	memset(&area, 0xff, sizeof(area));
	ASSERT_OK(register_area(0, &area));
	EXPECT_EQ(READ_ONCE(area.state), RUNSTATE_running);
	blocked = READ_ONCE(area.time[RUNSTATE_blocked]);
	sleep_ns(MS(50));
	EXPECT_EQ(READ_ONCE(area.state), RUNSTATE_running);
	EXPECT_GE(READ_ONCE(area.time[RUNSTATE_blocked]) - blocked, MS(40));
	EXPECT_OK(register_area(0, NULL));
	memset(&area, 0xff, sizeof(area));
	sleep_ns(MS(5));
	EXPECT_EQ(area.state, ~0);
	EXPECT_ERR(register_area(0, (void *)0xFFFF830000000000UL), -EFAULT);
	EXPECT_ERR(vcpu_op(VCPUOP_register_runstate_memory_area, 0,
			   (void *)0x1000),
		   -EFAULT);
}

/* ---- vcpu_info ----------------------------------------------------------- */

static int register_info(unsigned int vcpu, unsigned long mfn,
			 unsigned int offset)
{
	struct vcpu_register_vcpu_info info = {.mfn = mfn, .offset = offset};

	return vcpu_op(VCPUOP_register_vcpu_info, vcpu, &info);
}

/*
 * Refusals, before any vCPU has moved its vcpu_info: a vcpu_info that
 * would cross the page's end (-ENXIO, Xen 4.17's code for it), a frame
 * that is not ours, a frame that is a page table, and a vCPU that is up
 * but not the caller.
 */
TEST(vcpu_info, register_refused)
{
	unsigned long mfn = mfn_x(virt_to_mfn(kernel_stack));
	unsigned long l4 = mfn_x(pagetable_root());

	EXPECT_ERR(register_info(0, mfn, PAGE_SIZE - sizeof(vcpu_info_t) + 1),
		   -ENXIO);
	EXPECT_ERR(register_info(0, mfn, ~0U), -ENXIO);
	EXPECT_ERR(register_info(0, ~0UL, 0), -EINVAL);
	EXPECT_ERR(register_info(0, l4, 0), -EINVAL);
	EXPECT_ERR(register_info(1, mfn, 0), -EINVAL);
	EXPECT_ERR(register_info(NO_SUCH_VCPU, mfn, 0), -ENOENT);
	EXPECT_ERR(vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)0x1000),
		   -EFAULT);
}

struct move {
	int rc, again;
	vcpu_info_t *old, *now;
};

static int move_on_vcpu1(void *arg)
{
	struct move *m = arg;

	m->old = this_vcpu_info();
	m->rc = smp_move_vcpu_info();
	m->now = this_vcpu_info();
	m->again = smp_move_vcpu_info();
	return 0;
}

/*
 * vCPU 1 moves its vcpu_info into a page of its own (once: a second
 * time is refused). Events for it are then flagged in the new place and
 * no longer in shared_info's slot, and its time record is kept there.
 */
TEST(vcpu_info, moved_and_events_follow)
{
	vcpu_info_t *slot = &HYPERVISOR_shared_info->vcpu_info[1];
	struct ipi_hits {
		struct hits h;
		evtchn_port_t port;
	} ipi = {0};
	struct move m = {0};
	struct time_record r;
	uint32_t slot_version;
	xen_ulong_t slot_sel;
	uint8_t slot_pending;

	run_on(1, move_on_vcpu1, &m);
	ASSERT_OK(m.rc);
	EXPECT_ERR(m.again, -EINVAL);
	EXPECT_TRUE(m.old == slot);
	EXPECT_TRUE(m.now != slot);
	EXPECT_TRUE(cpu_of(1)->vcpu_info == m.now);

	slot_version = READ_ONCE(slot->time.version);
	slot_sel = READ_ONCE(slot->evtchn_pending_sel);
	slot_pending = READ_ONCE(slot->evtchn_upcall_pending);
	ASSERT_OK(evtchn_bind_ipi(1, count_hit, &ipi.h, &ipi.port));
	for (int i = 0; i < 3; i++) {
		EXPECT_OK(evtchn_notify(ipi.port));
		EXPECT_TRUE(wait_count(&ipi.h.count, (unsigned long)i + 1));
	}
	EXPECT_EQ(ipi.h.cpu, 1);
	EXPECT_EQ(READ_ONCE(slot->evtchn_upcall_pending), slot_pending);
	EXPECT_EQ(READ_ONCE(slot->evtchn_pending_sel), slot_sel);
	EXPECT_EQ(READ_ONCE(slot->time.version), slot_version);
	time_record_read(&m.now->time, &r);
	EXPECT_NE(r.mul, 0);
	EXPECT_GT(r.system_time, 0);
	EXPECT_OK(evtchn_close(ipi.port));
	EXPECT_EQ(run_on(1, is_caller_1, NULL), 0); /* still runs threads */
}

/* ---- SMP TLB flushes ----------------------------------------------------- */

/*
 * vCPU 1 reads a mapping over and over (so its TLB holds it). vCPU 0
 * points the mapping at another frame with one of Xen's flushes that
 * reach vCPU 1, then raises 'flushed'. Xen's remote flushes complete
 * before the hypercall returns, so every read vCPU 1 makes after seeing
 * 'flushed' must find the new frame.
 */
struct shootdown {
	volatile uint8_t *va;
	unsigned long reads;
	int flushed;
	uint8_t after;
};

static int watch_mapping(void *arg)
{
	struct shootdown *s = arg;

	for (;;) {
		bool done = __atomic_load_n(&s->flushed, __ATOMIC_ACQUIRE);
		uint8_t v = *s->va;

		__atomic_add_fetch(&s->reads, 1, __ATOMIC_RELAXED);
		if (done) {
			s->after = v;
			return 0;
		}
	}
}

static void check_shootdown(unsigned int window,
			    int (*change)(void *va, mfn_t to))
{
	struct shootdown s = {.va = win(window, 0)};
	struct thread *t;
	pfn_t pa, pb;
	mfn_t ma, mb;

	new_frame(0x11, &pa, &ma);
	new_frame(0x22, &pb, &mb);
	ASSERT_OK(map_frame((void *)s.va, ma, 0));
	t = thread_create_on(1, "watcher", watch_mapping, &s);
	ASSERT_TRUE(t != NULL);
	ASSERT_TRUE(wait_count(&s.reads, 1000));
	EXPECT_OK(change((void *)s.va, mb));
	__atomic_store_n(&s.flushed, 1, __ATOMIC_RELEASE);
	thread_join(t);
	EXPECT_EQ(s.after, 0x22);
	EXPECT_OK(HYPERVISOR_update_va_mapping((unsigned long)s.va, 0,
					       UVMF_INVLPG | UVMF_ALL));
	free_frames(pa, 1);
	free_frames(pb, 1);
}

static int uvm_invlpg_all(void *va, mfn_t to)
{
	return HYPERVISOR_update_va_mapping((unsigned long)va, leaf(to, 0),
					    UVMF_INVLPG | UVMF_ALL);
}

static int uvm_flush_all(void *va, mfn_t to)
{
	return HYPERVISOR_update_va_mapping((unsigned long)va, leaf(to, 0),
					    UVMF_TLB_FLUSH | UVMF_ALL);
}

static unsigned long both_vcpus = 3;

static int uvm_invlpg_multi(void *va, mfn_t to)
{
	return HYPERVISOR_update_va_mapping((unsigned long)va, leaf(to, 0),
					    UVMF_INVLPG | UVMF_MULTI |
						    (unsigned long)&both_vcpus);
}

/* Point va at to with mmu_update alone: no flush anywhere. */
static int repoint(void *va, mfn_t to)
{
	paddr_t e;
	int rc = pt_entry_addr((unsigned long)va, 1, &e);

	return rc ? rc : mmu_update_one(e, leaf(to, 0));
}

static int mmuext_flush(unsigned int cmd, void *va, unsigned long *mask)
{
	struct mmuext_op op = {.cmd = cmd};

	op.arg1.linear_addr = (unsigned long)va;
	if (mask)
		set_xen_guest_handle(op.arg2.vcpumask, (void *)mask);
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static unsigned long vcpu1_only = 2;

static int invlpg_multi_vcpu1(void *va, mfn_t to)
{
	int rc = repoint(va, to);

	return rc ? rc : mmuext_flush(MMUEXT_INVLPG_MULTI, va, &vcpu1_only);
}

static int flush_multi_both(void *va, mfn_t to)
{
	int rc = repoint(va, to);

	return rc ? rc : mmuext_flush(MMUEXT_TLB_FLUSH_MULTI, va, &both_vcpus);
}

static int invlpg_all(void *va, mfn_t to)
{
	int rc = repoint(va, to);

	return rc ? rc : mmuext_flush(MMUEXT_INVLPG_ALL, va, NULL);
}

static int flush_all(void *va, mfn_t to)
{
	int rc = repoint(va, to);

	return rc ? rc : mmuext_flush(MMUEXT_TLB_FLUSH_ALL, va, NULL);
}

TEST(shootdown, update_va_mapping_invlpg_all)
{
	check_shootdown(0, uvm_invlpg_all);
}

TEST(shootdown, update_va_mapping_flush_all)
{
	check_shootdown(1, uvm_flush_all);
}

TEST(shootdown, update_va_mapping_invlpg_multi)
{
	check_shootdown(2, uvm_invlpg_multi);
}

TEST(shootdown, mmuext_invlpg_multi)
{
	check_shootdown(3, invlpg_multi_vcpu1);
}

TEST(shootdown, mmuext_tlb_flush_multi)
{
	check_shootdown(4, flush_multi_both);
}

TEST(shootdown, mmuext_invlpg_all)
{
	check_shootdown(5, invlpg_all);
}

TEST(shootdown, mmuext_tlb_flush_all)
{
	check_shootdown(6, flush_all);
}
