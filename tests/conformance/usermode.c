/*
 * Guest user mode conformance tests: entering user mode with the iret
 * hypercall, and every way back to the kernel: the syscall callback,
 * int n, exceptions, and what Xen refuses to user mode (privileged
 * instructions, syscall without a callback).
 *
 * Each test builds a user L4 sharing the kernel's mappings (so the user
 * code below, in the image, runs from user mode), gives Xen a kernel
 * stack with stack_switch, and enters user mode at a snippet that ends in
 * the bounce under test. Probe stubs (harness/probe.h) catch it and
 * unwind to the test. A bounce from user mode switches to the kernel L4,
 * swaps the GS bases, and builds its frame at the kernel stack, rounded
 * down to 16 bytes; the saved cs keeps RPL 3:
 *
 *   rcx, r11, [error code], rip, cs | saved upcall mask << 32, rflags,
 *   rsp, ss
 */
#include "harness/probe.h"
#include "harness/test.h"
#include "harness/trigger.h"

#include <guest/console.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/shared_info.h>
#include <guest/traps.h>
#include <guest/usermode.h>
#include <paravane/string.h>
#include <xen/arch-x86/cpuid.h>

CONFORMANCE_KERNEL("usermode");

#define MARK_RDI 0x0d0d1d1d2d2d3d3d

/* A user-mode address with different frames in the kernel and user L4. */
#define SPLIT_VA 0x0000008000000000UL /* L4 slot 1 */
#define SPLIT_SLOT 1

#define STACK_BYTES 8192
#define STACK_SLACK 256 /* the probe reads 16 words above its frame */

static uint8_t user_stack[STACK_BYTES] __aligned(16);
static uint8_t kernel_stack_area[STACK_BYTES + STACK_SLACK] __aligned(16);
#define USER_SP ((unsigned long)(user_stack + STACK_BYTES))
#define KERNEL_SP ((unsigned long)(kernel_stack_area + STACK_BYTES))

volatile uint64_t user_arg, user_rflags;
const uint64_t user_mark_rdi = MARK_RDI;

/*
 * User code: records rflags, loads user_arg into rsi and markers into
 * rcx, r11 and rdi, then runs the instructions between USER_AT (label
 * user_<name>_at) and USER_END (user_<name>_end). A snippet that fails to
 * bounce runs into ud2.
 */
__asm__(".pushsection .text\n"
	".macro USER_AT name\n"
	".globl user_\\name, user_\\name\\()_at, user_\\name\\()_end\n"
	"user_\\name:\n"
	"pushfq\n"
	"popq user_rflags(%rip)\n"
	"mov user_arg(%rip), %rsi\n"
	"mov trig_mark_rcx(%rip), %rcx\n"
	"mov trig_mark_r11(%rip), %r11\n"
	"mov user_mark_rdi(%rip), %rdi\n"
	"user_\\name\\()_at:\n"
	".endm\n"
	".macro USER_END name\n"
	"user_\\name\\()_end:\n"
	"ud2\n"
	".endm\n"
	"USER_AT syscall\n syscall\n USER_END syscall\n"
	"USER_AT std_syscall\n std\n syscall\n USER_END std_syscall\n"
	"USER_AT syscall_va\n mov (%rsi), %rdx\n syscall\n"
	"USER_END syscall_va\n"
	"USER_AT syscall_gs\n mov %gs:0, %rdx\n syscall\n"
	"USER_END syscall_gs\n"
	"USER_AT cpuid\n mov %esi, %eax\n ud2\n .ascii \"xen\"\n cpuid\n"
	"mov %ecx, %r8d\n syscall\n USER_END cpuid\n"
	"USER_AT int80\n int $0x80\n USER_END int80\n"
	"USER_AT softint\n int $0xa1\n USER_END softint\n" /* SOFTINT */
	"USER_AT int3\n int3\n USER_END int3\n"
	"USER_AT read\n mov (%rsi), %rax\n USER_END read\n"
	"USER_AT write\n movb $1, (%rsi)\n USER_END write\n"
	"USER_AT mov_cr0\n mov %cr0, %rax\n USER_END mov_cr0\n"
	"USER_AT clts\n clts\n USER_END clts\n"
	"USER_AT wbinvd\n wbinvd\n USER_END wbinvd\n"
	"USER_AT hlt\n hlt\n USER_END hlt\n"
	"USER_AT rdmsr\n mov %esi, %ecx\n rdmsr\n USER_END rdmsr\n"
	"USER_AT inb\n inb $0x80, %al\n syscall\n USER_END inb\n"
	"USER_AT sysenter\n sysenter\n USER_END sysenter\n"
	".globl user_regs_at_entry\n"
	"user_regs_at_entry:\n"
	"mov %rcx, %r12\n"
	"mov %r11, %r13\n"
	"syscall\n"
	"ud2\n"
	".popsection\n");

void user_regs_at_entry(void);

#define USER_DECL(name)                                                        \
	void user_##name(void);                                                \
	extern const char user_##name##_at[], user_##name##_end[]
USER_DECL(syscall);
USER_DECL(std_syscall);
USER_DECL(syscall_va);
USER_DECL(syscall_gs);
USER_DECL(cpuid);
USER_DECL(int80);
USER_DECL(softint);
USER_DECL(int3);
USER_DECL(read);
USER_DECL(write);
USER_DECL(mov_cr0);
USER_DECL(clts);
USER_DECL(wbinvd);
USER_DECL(hlt);
USER_DECL(rdmsr);
USER_DECL(inb);
USER_DECL(sysenter);

static mfn_t user_l4;

/* A user L4, made current for user mode, and the kernel stack for traps. */
static void user_setup(unsigned long kernel_sp)
{
	ASSERT_OK(user_l4_create(&user_l4));
	ASSERT_OK(set_user_baseptr(user_l4));
	ASSERT_OK(HYPERVISOR_stack_switch(FLAT_KERNEL_SS, kernel_sp));
	/* Backstops: a snippet that does not bounce as expected. */
	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	ASSERT_OK(probe_install(TRAP_PF, 0, TRAP_PF));
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_failsafe, 0, PROBE_FAILSAFE));
}

static void user_teardown(void)
{
	set_upcall_mask(1);
	probe_reset_traps();
	EXPECT_OK(set_user_baseptr(_mfn(0)));
	EXPECT_OK(user_l4_destroy(user_l4));
}

/* Enter user mode at code; true once something bounced to a probe. */
static bool run_user(void (*code)(void), uint64_t arg, bool events)
{
	probe_clear();
	user_arg = arg;
	if (!setjmp(probe_resume))
		enter_user_mode((unsigned long)code, USER_SP, events);
	return probe_id != PROBE_NONE;
}

/*
 * The iret hypercall to user mode with a frame of our own: rcx and r11
 * hold markers, rsp is USER_SP.
 */
static void __noreturn iret_to_user(uint64_t flags, void (*code)(void),
				    uint64_t cs, uint64_t rflags)
{
	struct {
		uint64_t flags, rip, cs, rflags, rsp, ss;
	} frame = {flags, (uint64_t)code, cs, rflags, USER_SP, FLAT_USER_SS};

	__asm__ __volatile__("mov %0, %%rsp\n\t"
			     "mov %1, %%rcx\n\t"
			     "mov %2, %%r11\n\t"
			     "jmp hypercall_page + %c3"
			     :
			     : "r"(&frame), "m"(trig_mark_rcx),
			       "m"(trig_mark_r11),
			       "i"(__HYPERVISOR_iret * HYPERCALL_STUB_SIZE)
			     : "memory");
	__builtin_unreachable();
}

#define EXPECT_USER(code, arg, events, id)                                     \
	({                                                                     \
		run_user(code, arg, events);                                   \
		if (probe_id != (id))                                          \
			test_fail(__FILE__, __LINE__,                          \
				  "bounced to probe %d, expected %d",          \
				  probe_id, (int)(id));                        \
		probe_id == (id);                                              \
	})

/*
 * Check probe_frame as a bounce out of user mode, taken with kernel
 * stack kernel_sp, error code ec if has_ec, interrupted at rip with
 * rcx and r11 as given and upcall mask mask.
 */
static void expect_user_frame(unsigned long kernel_sp, bool has_ec, uint64_t ec,
			      const void *rip, uint64_t rcx, uint64_t r11,
			      uint8_t mask)
{
	unsigned int n = has_ec ? 8 : 7, i = has_ec ? 3 : 2;
	uint64_t rflags = (user_rflags & ~RFLAGS_IF) | (mask ? 0 : RFLAGS_IF);
	uint64_t frame_rcx = probe_frame[0], frame_r11 = probe_frame[1];
	uint64_t frame_rip = probe_frame[i], frame_cs = probe_frame[i + 1];
	uint64_t frame_rflags = probe_frame[i + 2] & ~RFLAGS_RF;
	uint64_t frame_rsp = probe_frame[i + 3], frame_ss = probe_frame[i + 4];

	EXPECT_EQ(probe_rsp, (kernel_sp & ~0xfUL) - n * 8);
	EXPECT_EQ(frame_rcx, rcx);
	EXPECT_EQ(frame_r11, r11);
	if (has_ec)
		EXPECT_EQ(probe_frame[2], ec);
	EXPECT_EQ(frame_rip, (uint64_t)rip);
	EXPECT_EQ(frame_cs, FLAT_USER_CS | ((uint64_t)mask << 32));
	EXPECT_EQ(frame_rflags, rflags);
	EXPECT_EQ(frame_rsp, USER_SP);
	EXPECT_EQ(frame_ss, FLAT_USER_SS);
	EXPECT_EQ(probe_regs[PR_RDI], MARK_RDI);
}

/* --- the syscall callback ------------------------------------------------ */

/*
 * syscall from user mode bounces to the syscall callback: rcx and r11 as
 * the instruction left them (next rip, rflags), on the kernel stack.
 */
TEST(user, syscall_callback_frame)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	if (EXPECT_USER(user_syscall, 0, false, PROBE_SYSCALL))
		expect_user_frame(KERNEL_SP, false, 0, user_syscall_end,
				  (uint64_t)user_syscall_end, user_rflags, 1);
	user_teardown();
}

/* The frame goes at kernel_sp rounded down to 16 bytes. */
TEST(user, kernel_stack_rounded_down)
{
	user_setup(KERNEL_SP - 8);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	if (EXPECT_USER(user_syscall, 0, false, PROBE_SYSCALL))
		expect_user_frame(KERNEL_SP - 8, false, 0, user_syscall_end,
				  (uint64_t)user_syscall_end, user_rflags, 1);
	user_teardown();
}

/* Events enabled in user mode: saved mask 0, IF set in the frame. */
TEST(user, syscall_with_events_enabled)
{
	uint8_t mask_after;

	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	if (EXPECT_USER(user_syscall, 0, true, PROBE_SYSCALL)) {
		mask_after = upcall_mask();
		set_upcall_mask(1);
		EXPECT_EQ(mask_after, 0);
		expect_user_frame(KERNEL_SP, false, 0, user_syscall_end,
				  (uint64_t)user_syscall_end, user_rflags, 0);
	}
	user_teardown();
}

/* CALLBACKF_mask_events: the syscall callback runs with events masked. */
TEST(user, syscall_mask_events_flag)
{
	uint8_t mask_after;

	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall,
				     CALLBACKF_mask_events, PROBE_SYSCALL));
	if (EXPECT_USER(user_syscall, 0, true, PROBE_SYSCALL)) {
		mask_after = upcall_mask();
		set_upcall_mask(1);
		EXPECT_EQ(mask_after, 1);
		expect_user_frame(KERNEL_SP, false, 0, user_syscall_end,
				  (uint64_t)user_syscall_end, user_rflags, 0);
	}
	user_teardown();
}

/*
 * The syscall callback starts with the user's DF: Xen 4.17 does not
 * clear it (the callback must, as after any bounce).
 */
TEST(user, syscall_keeps_direction_flag)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	if (EXPECT_USER(user_std_syscall, 0, false, PROBE_SYSCALL)) {
		EXPECT_TRUE(probe_rflags & RFLAGS_DF);
		EXPECT_TRUE(probe_frame[4] & RFLAGS_DF);
	}
	user_teardown();
}

/* The old set_callbacks() registers the syscall callback too. */
TEST(user, set_callbacks_syscall)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(HYPERVISOR_set_callbacks((unsigned long)hypervisor_callback,
					   (unsigned long)failsafe_callback,
					   probe_entry(PROBE_SYSCALL)));
	EXPECT_USER(user_syscall, 0, false, PROBE_SYSCALL);
	user_teardown();
}

/* Without a syscall callback, syscall is #UD at the instruction. */
TEST(user, syscall_without_callback)
{
	user_setup(KERNEL_SP);
	if (EXPECT_USER(user_syscall, 0, false, TRAP_UD))
		expect_user_frame(KERNEL_SP, false, 0, user_syscall_at,
				  (uint64_t)user_syscall_end, user_rflags, 1);
	user_teardown();
}

/*
 * Each mode has its own L4: a page mapped at SPLIT_VA in the user L4
 * shows in user mode, the kernel's page there in the syscall callback.
 */
TEST(user, kernel_page_tables_back)
{
	static const uint64_t tag_user = 0x7573657275736572UL;
	static const uint64_t tag_kernel = 0x6b65726e6b65726eUL;
	mfn_t l1, l2, l3;
	pfn_t pu, pk;
	uint64_t e;

	user_setup(KERNEL_SP);
	ASSERT_OK(alloc_frames(1, &pu));
	ASSERT_OK(alloc_frames(1, &pk));
	*(uint64_t *)frame_va(pu) = tag_user;
	*(uint64_t *)frame_va(pk) = tag_kernel;
	ASSERT_OK(map_frame((void *)SPLIT_VA, pfn_to_mfn(pk), 0));

	/* The user's own L3, L2 and L1 for SPLIT_VA. */
	ASSERT_OK(alloc_pt_frame(&l1));
	ASSERT_OK(alloc_pt_frame(&l2));
	ASSERT_OK(alloc_pt_frame(&l3));
	e = paddr_x(mfn_to_paddr(pfn_to_mfn(pu))) | PTE_PRESENT | PTE_ACCESSED |
	    PTE_DIRTY;
	ASSERT_OK(pt_fill(l1, pt_index(SPLIT_VA, 1), &e, 1));
	e = paddr_x(mfn_to_paddr(l1)) | PTE_TABLE;
	ASSERT_OK(pt_fill(l2, pt_index(SPLIT_VA, 2), &e, 1));
	e = paddr_x(mfn_to_paddr(l2)) | PTE_TABLE;
	ASSERT_OK(pt_fill(l3, pt_index(SPLIT_VA, 3), &e, 1));
	e = paddr_x(mfn_to_paddr(l3)) | PTE_TABLE;
	ASSERT_OK(pt_fill(user_l4, SPLIT_SLOT, &e, 1));

	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	probe_clear();
	user_arg = SPLIT_VA;
	probe_peek_addr = SPLIT_VA;
	if (!setjmp(probe_resume))
		enter_user_mode((unsigned long)user_syscall_va, USER_SP, false);
	EXPECT_EQ(probe_id, PROBE_SYSCALL);
	EXPECT_EQ(probe_regs[PR_RDX], tag_user);
	EXPECT_EQ(probe_peek_val, tag_kernel);

	user_teardown(); /* drops the user L4, then its tables are free */
	EXPECT_OK(free_pt_frame(l3));
	EXPECT_OK(free_pt_frame(l2));
	EXPECT_OK(free_pt_frame(l1));
	EXPECT_OK(unmap((void *)SPLIT_VA));
	free_frames(pu, 1);
	free_frames(pk, 1);
}

/* Kernel and user GS bases are swapped on every mode switch. */
TEST(user, gs_base_swap)
{
	static uint64_t gs_kernel[2] = {0x6b6b6b6b47534b4bUL, 0};
	static uint64_t gs_user[2] = {0x7575757547535555UL, 0};
	struct gs_loan loan;

	user_setup(KERNEL_SP);
	gs_borrow(&loan);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	ASSERT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
					      (unsigned long)gs_kernel));
	ASSERT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
					      (unsigned long)gs_user));
	probe_clear();
	user_arg = 0;
	probe_peek_gs = 1;
	if (!setjmp(probe_resume))
		enter_user_mode((unsigned long)user_syscall_gs, USER_SP, false);
	EXPECT_EQ(probe_id, PROBE_SYSCALL);
	EXPECT_EQ(probe_regs[PR_RDX], gs_user[0]);
	EXPECT_EQ(probe_gs_val, gs_kernel[0]);
	gs_give_back(&loan);
	user_teardown();
}

/* The iret hypercall restores rcx and r11 from its frame... */
TEST(user, iret_restores_rcx_r11)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	probe_clear();
	if (!setjmp(probe_resume))
		iret_to_user(0, user_regs_at_entry, FLAT_USER_CS, 0x2);
	EXPECT_EQ(probe_id, PROBE_SYSCALL);
	EXPECT_EQ(probe_regs[PR_R12], MARK_RCX);
	EXPECT_EQ(probe_regs[PR_R13], MARK_R11);
	user_teardown();
}

/* ...but with VGCF_in_syscall they get rip and rflags, as after sysret. */
TEST(user, iret_in_syscall)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	probe_clear();
	if (!setjmp(probe_resume))
		iret_to_user(VGCF_in_syscall, user_regs_at_entry, FLAT_USER_CS,
			     0x2);
	EXPECT_EQ(probe_id, PROBE_SYSCALL);
	EXPECT_EQ(probe_regs[PR_R12], (uint64_t)user_regs_at_entry);
	EXPECT_EQ(probe_regs[PR_R13] & ~RFLAGS_RF, 0x202);
	user_teardown();
}

/*
 * An iret to user mode that the CPU refuses (a data segment as CS) is a
 * #GP taken in user mode, at the context of the return.
 */
TEST(user, iret_bad_cs)
{
	user_setup(KERNEL_SP);
	probe_clear();
	if (!setjmp(probe_resume))
		iret_to_user(0, user_syscall, FLAT_USER_SS, 0x2);
	EXPECT_EQ(probe_id, TRAP_GP);
	EXPECT_EQ(probe_rsp, (KERNEL_SP & ~0xfUL) - 8 * 8);
	EXPECT_EQ(probe_frame[0], MARK_RCX);
	EXPECT_EQ(probe_frame[1], MARK_R11);
	EXPECT_EQ(probe_frame[2], FLAT_USER_SS & ~3UL);
	EXPECT_EQ(probe_frame[3], (uint64_t)user_syscall);
	EXPECT_EQ(probe_frame[4], FLAT_USER_SS | (1UL << 32));
	EXPECT_EQ(probe_frame[5] & ~RFLAGS_RF, 0x2);
	EXPECT_EQ(probe_frame[6], USER_SP);
	EXPECT_EQ(probe_frame[7], FLAT_USER_SS);
	user_teardown();
}

/*
 * Entering user mode with events enabled while one is pending: the event
 * callback runs at once, in kernel mode, on the kernel stack, with the
 * user context not yet started in its frame.
 */
TEST(user, event_on_entry)
{
	uint8_t mask_after;

	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_event, 0, PROBE_EVENT));
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_pending, 1);
	run_user(user_syscall, 0, true);
	mask_after = upcall_mask();
	set_upcall_mask(1);
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_pending, 0);
	if (probe_id == PROBE_EVENT) {
		EXPECT_EQ(mask_after, 1);
		EXPECT_EQ(probe_rsp, KERNEL_SP - 7 * 8);
		EXPECT_EQ(probe_frame[2], (uint64_t)user_syscall);
		EXPECT_EQ(probe_frame[3], FLAT_USER_CS); /* saved mask 0 */
		EXPECT_TRUE(probe_frame[4] & RFLAGS_IF);
		EXPECT_EQ(probe_frame[5], USER_SP);
		EXPECT_EQ(probe_frame[6], FLAT_USER_SS);
	} else {
		EXPECT_EQ(probe_id, PROBE_EVENT);
	}
	user_teardown();
}

/* --- int n and exceptions from user mode -------------------------------- */

/* int $0x80 reaches a DPL 3 entry, rip past the instruction. */
TEST(user, int80_dpl3)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_install(0x80, TI_DPL(3), PROBE_SOFTINT));
	if (EXPECT_USER(user_int80, 0, false, PROBE_SOFTINT))
		expect_user_frame(KERNEL_SP, false, 0, user_int80_end, MARK_RCX,
				  MARK_R11, 1);
	user_teardown();
}

/* Xen's int $0x80 gate delivers to any entry, whatever its DPL. */
TEST(user, int80_ignores_dpl)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_install(0x80, TI_DPL(0), PROBE_SOFTINT));
	EXPECT_USER(user_int80, 0, false, PROBE_SOFTINT);
	user_teardown();
}

/* Other vectors need DPL 3 from user mode; DPL 1 is refused with #GP. */
TEST(user, softint_needs_dpl3)
{
	uint64_t ec;

	user_setup(KERNEL_SP);
	ASSERT_OK(probe_install(SOFTINT, TI_DPL(1), PROBE_SOFTINT));
	ASSERT_OK(probe_install(SOFTINT_TWIN, TI_DPL(1), PROBE_SOFTINT));
	if (EXPECT_USER(user_softint, 0, false, TRAP_GP)) {
		ec = probe_frame[2];
		/* n * 8 + 2, or n * 16 + 2 under QEMU's TCG (trigger.h) */
		EXPECT_TRUE(ec == ((SOFTINT << 3) | 2) ||
			    ec == ((SOFTINT << 4) | 2));
		expect_user_frame(KERNEL_SP, true, ec, user_softint_at,
				  MARK_RCX, MARK_R11, 1);
	}
	ASSERT_OK(probe_install(SOFTINT, TI_DPL(3), PROBE_SOFTINT));
	ASSERT_OK(probe_install(SOFTINT_TWIN, TI_DPL(3), PROBE_SOFTINT));
	if (EXPECT_USER(user_softint, 0, false, PROBE_SOFTINT))
		expect_user_frame(KERNEL_SP, false, 0, user_softint_end,
				  MARK_RCX, MARK_R11, 1);
	user_teardown();
}

/* int3 from user mode reaches #BP's handler even with DPL 0. */
TEST(user, int3)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_install(TRAP_BP, TI_DPL(0), TRAP_BP));
	if (EXPECT_USER(user_int3, 0, false, TRAP_BP))
		expect_user_frame(KERNEL_SP, false, 0, user_int3_end, MARK_RCX,
				  MARK_R11, 1);
	user_teardown();
}

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x40000000UL + i * PAGE_SIZE);
}

/* A page fault in user mode has the U bit set, and cr2 in vcpu_info. */
TEST(user, page_fault_user_bit)
{
	user_setup(KERNEL_SP);
	if (EXPECT_USER(user_read, (uint64_t)scratch(0), false, TRAP_PF)) {
		expect_user_frame(KERNEL_SP, true, PFEC_USER, user_read_at,
				  MARK_RCX, MARK_R11, 1);
		EXPECT_EQ(this_vcpu_info()->arch.cr2, (uint64_t)scratch(0));
	}
	user_teardown();
}

TEST(user, page_fault_write_read_only)
{
	pfn_t pfn;

	ASSERT_OK(alloc_frames(1, &pfn));
	ASSERT_OK(map_frame(scratch(1), pfn_to_mfn(pfn), 0));
	user_setup(KERNEL_SP);
	if (EXPECT_USER(user_write, (uint64_t)scratch(1), false, TRAP_PF))
		expect_user_frame(KERNEL_SP, true,
				  PFEC_USER | PFEC_WRITE | PFEC_PRESENT,
				  user_write_at, MARK_RCX, MARK_R11, 1);
	user_teardown();
	EXPECT_OK(unmap(scratch(1)));
	free_frames(pfn, 1);
}

/* --- what user mode may not do --------------------------------------- */

static void expect_user_gp(void (*code)(void), uint64_t arg, const void *rip)
{
	if (!EXPECT_USER(code, arg, false, TRAP_GP))
		return;
	EXPECT_EQ(probe_frame[2], 0);			  /* error code */
	EXPECT_EQ(probe_frame[3], (uint64_t)rip);	  /* the instruction */
	EXPECT_EQ(probe_frame[4] & 0xffff, FLAT_USER_CS); /* RPL 3 */
}

/* Privileged instructions are not emulated for user mode: #GP(0). */
TEST(user, privileged_instructions)
{
	user_setup(KERNEL_SP);
	expect_user_gp(user_mov_cr0, 0, user_mov_cr0_at);
	expect_user_gp(user_clts, 0, user_clts_at);
	expect_user_gp(user_wbinvd, 0, user_wbinvd_at);
	expect_user_gp(user_hlt, 0, user_hlt_at);
	expect_user_gp(user_rdmsr, 0xc0000100, /* rdmsr: 2 bytes */
		       (const void *)((uintptr_t)user_rdmsr_end - 2));
	user_teardown();
}

static int set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl op = {.iopl = iopl};

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &op);
}

/* Port I/O from user mode needs a virtual IOPL of 3, not just 1. */
TEST(user, port_io_needs_iopl3)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	ASSERT_OK(set_iopl(1));
	expect_user_gp(user_inb, 0, user_inb_at);
	ASSERT_OK(set_iopl(3));
	EXPECT_USER(user_inb, 0, false, PROBE_SYSCALL);
	EXPECT_OK(set_iopl(0));
	user_teardown();
}

/* CPUID behind the forced-emulation prefix works in user mode too. */
TEST(user, forced_cpuid)
{
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_syscall, 0, PROBE_SYSCALL));
	if (EXPECT_USER(user_cpuid, XEN_CPUID_FIRST_LEAF, false,
			PROBE_SYSCALL)) {
		EXPECT_EQ(probe_regs[PR_RBX], XEN_CPUID_SIGNATURE_EBX);
		EXPECT_EQ(probe_regs[PR_R8], XEN_CPUID_SIGNATURE_ECX);
		EXPECT_EQ(probe_regs[PR_RDX], XEN_CPUID_SIGNATURE_EDX);
	}
	user_teardown();
}

/*
 * sysenter in 64-bit mode exists on Intel CPUs only; on AMD (QEMU's
 * "max" CPU under TCG reports AMD) it is #UD, which Xen passes on. On
 * Intel it would reach the sysenter callback: not tested here.
 */
TEST(user, sysenter_on_amd)
{
	uint32_t a, b, c, d;

	__asm__ __volatile__("cpuid"
			     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			     : "a"(0), "c"(0));
	if (b != 0x68747541) { /* "Auth"enticAMD */
		printk("    (not an AMD CPU: skipped)\n");
		return;
	}
	user_setup(KERNEL_SP);
	ASSERT_OK(probe_set_callback(CALLBACKTYPE_sysenter, 0, PROBE_SYSENTER));
	if (EXPECT_USER(user_sysenter, 0, false, TRAP_UD))
		expect_user_frame(KERNEL_SP, false, 0, user_sysenter_at,
				  MARK_RCX, MARK_R11, 1);
	user_teardown();
}
