/*
 * Kernel-mode triggers (see trigger.h), and the checks of the frames
 * they bounce with.
 */
#include "trigger.h"

#include <guest/shared_info.h>

const uint64_t trig_mark_rax = MARK_RAX, trig_mark_rcx = MARK_RCX,
	       trig_mark_r11 = MARK_R11;
volatile uint64_t trig_rsp, trig_rflags;

__asm__(".pushsection .text\n"
	".macro TRIGGER name, insn:vararg\n"
	".globl trig_\\name, trig_\\name\\()_at, trig_\\name\\()_end\n"
	"trig_\\name:\n"
	"pushfq\n"
	"popq trig_rflags(%rip)\n"
	"mov trig_mark_rcx(%rip), %rcx\n"
	"mov trig_mark_r11(%rip), %r11\n"
	"mov %rsp, trig_rsp(%rip)\n"
	"trig_\\name\\()_at:\n"
	"\\insn\n"
	"trig_\\name\\()_end:\n"
	"ret\n"
	".endm\n"
	"TRIGGER int3, int3\n"
	"TRIGGER ud2, ud2\n"
	"TRIGGER read, mov (%rdi), %rax\n"
	"TRIGGER write, movb $1, (%rdi)\n"
	"TRIGGER div, div %rdi\n"
	"TRIGGER softint, int $0xa1\n" /* SOFTINT */
	"TRIGGER int80, int $0x80\n"
	"TRIGGER sse, movaps %xmm0, %xmm1\n"
	".macro STD_UD2\n std\n ud2\n .endm\n"
	"TRIGGER std_ud2, STD_UD2\n"
	".popsection\n");

/* Run trig(arg); true if it bounced into a probe. */
bool probe_run(void (*trig)(void *), void *arg)
{
	probe_clear();
	if (!setjmp(probe_resume)) {
		trig(arg);
		return false;
	}
	return true;
}

/*
 * Check probe_frame as the kernel-mode bounce of the last trigger, with
 * error code ec if has_ec, resuming at rip, with saved upcall mask mask.
 */
void expect_kernel_frame(bool has_ec, uint64_t ec, const void *rip,
			 uint8_t mask)
{
	unsigned int n = has_ec ? 8 : 7, i = has_ec ? 3 : 2;
	uint64_t rflags = (trig_rflags & ~RFLAGS_IF) | (mask ? 0 : RFLAGS_IF);
	uint64_t frame_rcx = probe_frame[0], frame_r11 = probe_frame[1];
	uint64_t frame_rip = probe_frame[i], frame_cs = probe_frame[i + 1];
	uint64_t frame_rflags = probe_frame[i + 2] & ~RFLAGS_RF;
	uint64_t frame_rsp = probe_frame[i + 3], frame_ss = probe_frame[i + 4];

	EXPECT_EQ(frame_rcx, MARK_RCX);
	EXPECT_EQ(frame_r11, MARK_R11);
	if (has_ec)
		EXPECT_EQ(probe_frame[2], ec);
	EXPECT_EQ(frame_rip, (uint64_t)rip);
	EXPECT_EQ(frame_cs, KERNEL_CS_RPL0 | ((uint64_t)mask << 32));
	EXPECT_EQ(frame_rflags, rflags);
	EXPECT_EQ(frame_rsp, trig_rsp);
	EXPECT_EQ(frame_ss, FLAT_KERNEL_SS);
	EXPECT_EQ(probe_rsp, (trig_rsp & ~0xfUL) - n * 8);
}

/* This vCPU's event mask (vcpu_info.evtchn_upcall_mask). */
uint8_t upcall_mask(void)
{
	return READ_ONCE(this_vcpu_info()->evtchn_upcall_mask);
}

/* Mask (1) or unmask (0) events; a pending one waits for the next exit. */
void set_upcall_mask(uint8_t mask)
{
	barrier();
	WRITE_ONCE(this_vcpu_info()->evtchn_upcall_mask, mask);
	barrier();
}
