/*
 * Callback conformance tests: the iret hypercall (the way back from every
 * bounce) and the callbacks a 64-bit PV guest registers with callback_op
 * and set_callbacks, with the event callback itself. The iret tests
 * return to guest kernel mode; returns to user mode are in usermode.c.
 */
#include "harness/probe.h"
#include "harness/test.h"
#include "harness/trigger.h"

#include <guest/hypercall.h>
#include <guest/shared_info.h>
#include <guest/traps.h>

CONFORMANCE_KERNEL("callbacks");

/* An address no test maps (low guest space). */
#define UNMAPPED_GUEST_VA ((void *)0x1000)

const unsigned long iret_stub =
	(unsigned long)hypercall_page + __HYPERVISOR_iret * HYPERCALL_STUB_SIZE;

/*
 * The iret hypercall from kernel mode: iret_run_ss(flags, rflags, cs, ss)
 * builds struct iret_context (rax, rcx and r11 hold markers; rip is
 * iret_run_target; rsp the current one) and jumps to the iret stub. At
 * iret_run_target the registers are recorded.
 */
volatile uint64_t iret_in_rsp, iret_out_rax, iret_out_rcx, iret_out_r11,
	iret_out_rsp, iret_out_rflags;

__asm__(".pushsection .text\n"
	".globl iret_run_ss, iret_run_target\n"
	"iret_run_ss:\n"
	"push %rbx\n"
	"push %rbp\n"
	"push %r12\n"
	"push %r13\n"
	"push %r14\n"
	"push %r15\n"
	"mov %rsp, iret_in_rsp(%rip)\n"
	"mov %rsp, %rax\n"
	"pushq %rcx\n"
	"pushq %rax\n"
	"pushq %rsi\n"
	"pushq %rdx\n"
	"lea iret_run_target(%rip), %rax\n"
	"pushq %rax\n"
	"pushq %rdi\n"
	"mov trig_mark_rax(%rip), %rax\n"
	"mov trig_mark_rcx(%rip), %rcx\n"
	"mov trig_mark_r11(%rip), %r11\n"
	"jmp *iret_stub(%rip)\n"
	"iret_run_target:\n"
	"mov %rax, iret_out_rax(%rip)\n"
	"mov %rcx, iret_out_rcx(%rip)\n"
	"mov %r11, iret_out_r11(%rip)\n"
	"mov %rsp, iret_out_rsp(%rip)\n"
	"pushfq\n"
	"popq iret_out_rflags(%rip)\n"
	"pop %r15\n"
	"pop %r14\n"
	"pop %r13\n"
	"pop %r12\n"
	"pop %rbp\n"
	"pop %rbx\n"
	"ret\n"
	".popsection\n");

void iret_run_ss(uint64_t flags, uint64_t rflags, uint64_t cs, uint64_t ss);
extern const char iret_run_target[];

static void iret_run(uint64_t flags, uint64_t rflags, uint64_t cs)
{
	iret_run_ss(flags, rflags, cs, FLAT_KERNEL_SS);
}

/* --- the iret hypercall ---------------------------------------------- */

/* Back to kernel mode with IF set: events enabled, registers restored. */
TEST(iret, kernel_with_events_enabled)
{
	iret_run(0, 0x202, KERNEL_CS_RPL0);
	EXPECT_EQ(upcall_mask(), 0);
	set_upcall_mask(1);
	EXPECT_EQ(iret_out_rax, MARK_RAX);
	EXPECT_EQ(iret_out_rcx, MARK_RCX);
	EXPECT_EQ(iret_out_r11, MARK_R11);
	EXPECT_EQ(iret_out_rsp, iret_in_rsp);
	EXPECT_TRUE(iret_out_rflags & RFLAGS_IF); /* the real IF, always */
}

/* With IF clear in the frame, events end up masked. */
TEST(iret, kernel_with_events_masked)
{
	set_upcall_mask(0);
	iret_run(0, 0x2, KERNEL_CS_RPL0);
	EXPECT_EQ(upcall_mask(), 1);
	set_upcall_mask(1);
	EXPECT_EQ(iret_out_rax, MARK_RAX);
	EXPECT_EQ(iret_out_rcx, MARK_RCX);
	EXPECT_EQ(iret_out_r11, MARK_R11);
	EXPECT_TRUE(iret_out_rflags & RFLAGS_IF);
}

/* Arithmetic flags of the frame's rflags come back. */
TEST(iret, rflags_restored)
{
	const uint64_t arith = 0x8d5; /* OF, SF, ZF, AF, PF, CF */

	iret_run(0, 0x2 | arith, KERNEL_CS_RPL0);
	EXPECT_EQ(iret_out_rflags & arith, arith);
	iret_run(0, 0x2, KERNEL_CS_RPL0);
	EXPECT_EQ(iret_out_rflags & arith, 0);
	set_upcall_mask(1);
}

/* VGCF_in_syscall: a sysret-style return; rcx and r11 are not restored. */
TEST(iret, in_syscall)
{
	iret_run(VGCF_in_syscall, 0x2, KERNEL_CS_RPL0);
	set_upcall_mask(1);
	EXPECT_EQ(iret_out_rax, MARK_RAX);
	EXPECT_EQ(iret_out_rcx, (uint64_t)iret_run_target);
	EXPECT_EQ(iret_out_r11 & ~RFLAGS_RF, iret_out_rflags & ~RFLAGS_RF);
	EXPECT_EQ(iret_out_rsp, iret_in_rsp);
}

static uint16_t read_cs(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%cs, %0" : "=r"(s));
	return s;
}

static uint16_t read_ss(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%ss, %0" : "=r"(s));
	return s;
}

/* VGCF_in_syscall discards the frame's cs and ss, as sysret would. */
TEST(iret, in_syscall_discards_cs_ss)
{
	iret_run_ss(VGCF_in_syscall, 0x2, FLAT_KERNEL_SS & ~3UL, 0);
	set_upcall_mask(1);
	EXPECT_EQ(read_cs(), FLAT_KERNEL_CS);
	EXPECT_EQ(read_ss(), FLAT_KERNEL_SS);
	EXPECT_EQ(iret_out_rax, MARK_RAX);
	EXPECT_EQ(iret_out_rsp, iret_in_rsp);
}

/*
 * A return the CPU refuses (here a data segment as CS) is not sent to
 * the failsafe callback by Xen 4.17: the guest takes the CPU's #GP in the
 * context it was returning to, as if it had faulted there. The failsafe
 * callback is left to a failed reload of data selectors on a context
 * switch, which a single-vCPU domain on one CPU never sees.
 */
static void load_data_segments(uint16_t ds, uint16_t es, uint16_t fs)
{
	__asm__ __volatile__("mov %0, %%ds\n\t"
			     "mov %1, %%es\n\t"
			     "mov %2, %%fs" ::"r"(ds),
			     "r"(es), "r"(fs));
}

static uint16_t read_ds(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%ds, %0" : "=r"(s));
	return s;
}

static void iret_bad_cs(void *rflags)
{
	/* A data segment, with RPL 0 so that the iret is to kernel mode. */
	iret_run(0, (uint64_t)rflags, FLAT_KERNEL_SS & ~3UL);
}

static void check_bad_iret(uint64_t rflags)
{
	uint8_t mask = !(rflags & RFLAGS_IF);
	uint16_t ds_after;

	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_failsafe, 0, PROBE_FAILSAFE));
	load_data_segments(FLAT_KERNEL_SS, FLAT_USER_CS32, 0);
	if (!EXPECT_PROBE(iret_bad_cs, (void *)rflags, TRAP_GP)) {
		load_data_segments(0, 0, 0);
		set_upcall_mask(1);
		probe_reset_traps();
		return;
	}
	ds_after = read_ds();
	load_data_segments(0, 0, 0);
	set_upcall_mask(1);

	EXPECT_EQ(probe_frame[0], MARK_RCX);
	EXPECT_EQ(probe_frame[1], MARK_R11);
	EXPECT_EQ(probe_frame[2], FLAT_KERNEL_SS & ~3UL); /* the selector */
	EXPECT_EQ(probe_frame[3], (uint64_t)iret_run_target);
	EXPECT_EQ(probe_frame[4],
		  (FLAT_KERNEL_SS & ~3UL) | ((uint64_t)mask << 32));
	EXPECT_EQ(probe_frame[5] & ~RFLAGS_RF, rflags);
	EXPECT_EQ(probe_frame[6], iret_in_rsp);
	EXPECT_EQ(probe_frame[7], FLAT_KERNEL_SS);
	EXPECT_EQ(probe_rsp, (iret_in_rsp & ~0xfUL) - 8 * 8);
	EXPECT_EQ(probe_regs[PR_RAX], MARK_RAX);
	EXPECT_EQ(ds_after, FLAT_KERNEL_SS); /* data selectors untouched */
	probe_reset_traps();
}

TEST(iret, bad_cs_raises_gp_events_masked)
{
	check_bad_iret(0x2);
}

TEST(iret, bad_cs_raises_gp_events_enabled)
{
	check_bad_iret(0x202);
}

static void iret_null_ss(void *unused)
{
	iret_run_ss(0, 0x2, KERNEL_CS_RPL0, 0);
}

/* A null SS (RPL 3 forced) is refused too: #GP(0), passed on as is. */
TEST(iret, null_ss_raises_gp)
{
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_failsafe, 0, PROBE_FAILSAFE));
	if (EXPECT_PROBE(iret_null_ss, NULL, TRAP_GP)) {
		EXPECT_EQ(probe_frame[2], 0);
		EXPECT_EQ(probe_frame[3], (uint64_t)iret_run_target);
		EXPECT_EQ(probe_frame[4], KERNEL_CS_RPL0 | (1UL << 32));
		EXPECT_EQ(probe_frame[6], iret_in_rsp);
		EXPECT_EQ(probe_frame[7], 3);
	}
	set_upcall_mask(1);
	probe_reset_traps();
}

/* --- callback_op ------------------------------------------------------ */

static int cb_register(unsigned int type, unsigned int flags,
		       unsigned long address)
{
	struct callback_register cb = {
		.type = (uint16_t)type,
		.flags = (uint16_t)flags,
		.address = address,
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static int cb_unregister(unsigned int type)
{
	struct callback_unregister cb = {.type = (uint16_t)type};

	return HYPERVISOR_callback_op(CALLBACKOP_unregister, &cb);
}

/* Every type a 64-bit PV guest has, with and without masking events. */
TEST(callback_op, register_each_type)
{
	static const unsigned int types[] = {
		CALLBACKTYPE_event,    CALLBACKTYPE_failsafe,
		CALLBACKTYPE_syscall,  CALLBACKTYPE_syscall32,
		CALLBACKTYPE_sysenter, CALLBACKTYPE_nmi,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		EXPECT_OK(cb_register(types[i], 0, probe_entry(PROBE_OTHER)));
		EXPECT_OK(cb_register(types[i], CALLBACKF_mask_events,
				      probe_entry(PROBE_OTHER)));
	}
	EXPECT_OK(cb_unregister(CALLBACKTYPE_nmi));
	probe_reset_traps();
}

TEST(callback_op, unknown_type)
{
	EXPECT_ERR(cb_register(99, 0, probe_entry(PROBE_OTHER)), -ENOSYS);
	EXPECT_ERR(cb_unregister(99), -ENOSYS);
}

/* Flag bits other than CALLBACKF_mask_events are ignored. */
TEST(callback_op, unknown_flags_ignored)
{
	EXPECT_OK(cb_register(CALLBACKTYPE_syscall, 0xfffe,
			      probe_entry(PROBE_OTHER)));
	probe_reset_traps();
}

TEST(callback_op, noncanonical_address)
{
	EXPECT_ERR(cb_register(CALLBACKTYPE_event, 0, NONCANONICAL), -EINVAL);
	EXPECT_ERR(cb_register(CALLBACKTYPE_nmi, 0, NONCANONICAL), -EINVAL);
	probe_reset_traps();
}

/* Only the NMI callback can be unregistered. */
TEST(callback_op, unregister)
{
	EXPECT_ERR(cb_unregister(CALLBACKTYPE_event), -EINVAL);
	EXPECT_ERR(cb_unregister(CALLBACKTYPE_failsafe), -EINVAL);
	EXPECT_ERR(cb_unregister(CALLBACKTYPE_syscall), -EINVAL);
	EXPECT_ERR(cb_unregister(CALLBACKTYPE_syscall32), -EINVAL);
	EXPECT_ERR(cb_unregister(CALLBACKTYPE_sysenter), -EINVAL);
	EXPECT_OK(cb_unregister(CALLBACKTYPE_nmi));
}

TEST(callback_op, bad_pointer)
{
	EXPECT_ERR(HYPERVISOR_callback_op(CALLBACKOP_register,
					  UNMAPPED_GUEST_VA),
		   -EFAULT);
	EXPECT_ERR(HYPERVISOR_callback_op(CALLBACKOP_unregister,
					  UNMAPPED_GUEST_VA),
		   -EFAULT);
}

TEST(callback_op, unknown_command)
{
	struct callback_unregister cb = {.type = CALLBACKTYPE_nmi};

	EXPECT_ERR(HYPERVISOR_callback_op(99, &cb), -ENOSYS);
}

/* set_callbacks(event, failsafe, syscall): usermode.c sees it work. */
TEST(callback_op, set_callbacks)
{
	EXPECT_OK(HYPERVISOR_set_callbacks((unsigned long)hypervisor_callback,
					   probe_entry(PROBE_FAILSAFE),
					   probe_entry(PROBE_SYSCALL)));
	probe_reset_traps();
}

/* --- the event callback -------------------------------------------------- */

/*
 * Xen looks at vcpu_info's pending flag on every way back to the guest:
 * one the guest sets itself is delivered like any other. The event
 * callback always starts with events masked.
 */
static void pend_event(void)
{
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_pending, 1);
}

static void clear_event(void)
{
	set_upcall_mask(1);
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_pending, 0);
}

static void hypercall_with_event(void *unused)
{
	pend_event();
	set_upcall_mask(0);
	HYPERVISOR_xen_version(XENVER_version, NULL);
}

/* After a hypercall: the frame resumes after its syscall, result in rax. */
TEST(event, delivered_after_hypercall)
{
	uint64_t next = (uint64_t)hypercall_page +
			__HYPERVISOR_xen_version * HYPERCALL_STUB_SIZE + 10;
	uint8_t mask_after;

	ASSERT_OK(probe_set_callback(CALLBACKTYPE_event, 0, PROBE_EVENT));
	probe_run(hypercall_with_event, NULL);
	mask_after = upcall_mask();
	clear_event();
	probe_reset_traps();
	ASSERT_EQ(probe_id, PROBE_EVENT);
	EXPECT_EQ(mask_after, 1);
	EXPECT_EQ(probe_frame[0], next); /* rcx, as syscall left it */
	EXPECT_EQ(probe_frame[2], next);
	EXPECT_EQ(probe_frame[3], KERNEL_CS_RPL0); /* saved mask 0 */
	EXPECT_TRUE(probe_frame[4] & RFLAGS_IF);
	EXPECT_EQ(probe_frame[6], FLAT_KERNEL_SS);
	EXPECT_EQ(probe_regs[PR_RAX], (4 << 16) | 17);
}

static void iret_with_event(void *unused)
{
	pend_event();
	iret_run(0, 0x202, KERNEL_CS_RPL0);
}

/* An iret that enables events delivers a pending one at its target. */
TEST(event, delivered_by_iret_enabling_events)
{
	uint8_t mask_after;

	ASSERT_OK(probe_set_callback(CALLBACKTYPE_event, 0, PROBE_EVENT));
	probe_run(iret_with_event, NULL);
	mask_after = upcall_mask();
	clear_event();
	probe_reset_traps();
	ASSERT_EQ(probe_id, PROBE_EVENT);
	EXPECT_EQ(mask_after, 1);
	EXPECT_EQ(probe_frame[0], MARK_RCX);
	EXPECT_EQ(probe_frame[1], MARK_R11);
	EXPECT_EQ(probe_frame[2], (uint64_t)iret_run_target);
	EXPECT_EQ(probe_frame[3], KERNEL_CS_RPL0);
	EXPECT_EQ(probe_frame[4] & ~RFLAGS_RF, 0x202);
	EXPECT_EQ(probe_frame[5], iret_in_rsp);
	EXPECT_EQ(probe_rsp, (iret_in_rsp & ~0xfUL) - 7 * 8);
	EXPECT_EQ(probe_regs[PR_RAX], MARK_RAX);
}

static void iret_masked_with_event(void *unused)
{
	pend_event();
	iret_run(0, 0x2, KERNEL_CS_RPL0);
}

/* With IF clear in the frame, the pending event waits. */
TEST(event, held_while_masked)
{
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_event, 0, PROBE_EVENT));
	EXPECT_FALSE(probe_run(iret_masked_with_event, NULL));
	EXPECT_EQ(upcall_mask(), 1);
	clear_event();
	probe_reset_traps();
}
