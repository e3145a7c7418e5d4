/*
 * Trap conformance tests: the virtual IDT (set_trap_table), the bounce
 * frames Xen builds for exceptions in guest kernel mode, software
 * interrupts, and the virtual CR0.TS (fpu_taskswitch). The iret
 * hypercall and callback_op are in callbacks.c, guest user mode in
 * usermode.c, instruction emulation in emulate.c.
 *
 * Bounces are caught by probe stubs (harness/probe.h), which keep the raw
 * frame, and raised by triggers (harness/trigger.h), which make every
 * word of it predictable. Every test that changes the virtual IDT or the
 * callbacks ends with probe_reset_traps().
 */
#include "harness/probe.h"
#include "harness/test.h"
#include "harness/trigger.h"

#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/shared_info.h>
#include <guest/traps.h>

CONFORMANCE_KERNEL("traps");

/* An address no test maps (low guest space). */
#define UNMAPPED_GUEST_VA ((void *)0x1000)

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x20000000UL + i * PAGE_SIZE);
}

static int install(unsigned int vector, unsigned int flags, uint64_t address)
{
	trap_info_t t[2] = {{
		.vector = (uint8_t)vector,
		.flags = (uint8_t)flags,
		.cs = FLAT_KERNEL_CS,
		.address = address,
	}};

	return HYPERVISOR_set_trap_table(t);
}

/* --- set_trap_table --------------------------------------------------- */

/* Installed handlers receive their own vector, and only it. */
TEST(trap_table, handler_receives_its_vector)
{
	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	ASSERT_OK(probe_install(TRAP_BP, TI_DPL(3), TRAP_BP));
	EXPECT_PROBE(trig_ud2, NULL, TRAP_UD);
	EXPECT_PROBE(trig_int3, NULL, TRAP_BP);
	probe_reset_traps();
}

/* A second entry for a vector replaces the first. */
TEST(trap_table, replace_entry)
{
	ASSERT_OK(probe_install(TRAP_UD, 0, PROBE_OTHER));
	EXPECT_PROBE(trig_ud2, NULL, PROBE_OTHER);
	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	EXPECT_PROBE(trig_ud2, NULL, TRAP_UD);
	probe_reset_traps();
}

/* A NULL table clears every vector: int $0x80 then raises #GP. */
TEST(trap_table, null_clears_all)
{
	uint8_t mask = upcall_mask(); /* what the #GP frame will record */

	ASSERT_OK(probe_install(0x80, TI_DPL(3), PROBE_SOFTINT));
	EXPECT_PROBE(trig_int80, NULL, PROBE_SOFTINT);
	EXPECT_OK(HYPERVISOR_set_trap_table(NULL));
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	if (EXPECT_PROBE(trig_int80, NULL, TRAP_GP))
		expect_kernel_frame(true, (0x80 << 3) | 2, trig_int80_at, mask);
	probe_reset_traps();
}

TEST(trap_table, bad_pointer)
{
	EXPECT_ERR(HYPERVISOR_set_trap_table(UNMAPPED_GUEST_VA), -EFAULT);
}

/* Entries before an unreadable one are installed; then -EFAULT. */
TEST(trap_table, fault_midway_keeps_earlier_entries)
{
	pfn_t pfn;
	trap_info_t *t = scratch(1);

	ASSERT_OK(alloc_frames(1, &pfn));
	ASSERT_OK(map_frame(t, pfn_to_mfn(pfn), PTE_RW));
	t += PAGE_SIZE / sizeof(*t) - 1; /* last entry of the page */
	t->vector = TRAP_UD;
	t->flags = 0;
	t->cs = FLAT_KERNEL_CS;
	t->address = probe_entry(PROBE_OTHER);
	EXPECT_ERR(HYPERVISOR_set_trap_table(t), -EFAULT);
	EXPECT_PROBE(trig_ud2, NULL, PROBE_OTHER);
	probe_reset_traps();
	EXPECT_OK(unmap(scratch(1)));
	free_frames(pfn, 1);
}

TEST(trap_table, noncanonical_address_refused)
{
	EXPECT_ERR(install(TRAP_UD, 0, NONCANONICAL), -EINVAL);
	probe_reset_traps();
}

/* --- bounce frames from guest kernel mode ---------------------------- */

TEST(bounce, int3_frame)
{
	ASSERT_OK(probe_install(TRAP_BP, TI_DPL(3), TRAP_BP));
	if (EXPECT_PROBE(trig_int3, NULL, TRAP_BP))
		expect_kernel_frame(false, 0, trig_int3_end, upcall_mask());
	probe_reset_traps();
}

/* #BP's trap-table DPL is not checked: int3 reaches a DPL 0 entry. */
TEST(bounce, int3_ignores_dpl)
{
	ASSERT_OK(probe_install(TRAP_BP, TI_DPL(0), TRAP_BP));
	EXPECT_PROBE(trig_int3, NULL, TRAP_BP);
	probe_reset_traps();
}

TEST(bounce, invalid_opcode_frame)
{
	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	if (EXPECT_PROBE(trig_ud2, NULL, TRAP_UD))
		expect_kernel_frame(false, 0, trig_ud2_at, upcall_mask());
	probe_reset_traps();
}

TEST(bounce, divide_error_frame)
{
	ASSERT_OK(probe_install(TRAP_DE, 0, TRAP_DE));
	if (EXPECT_PROBE(trig_div, NULL, TRAP_DE))
		expect_kernel_frame(false, 0, trig_div_at, upcall_mask());
	probe_reset_traps();
}

/* A read of an unmapped page: error code 0 (U clear), cr2 in vcpu_info. */
TEST(bounce, page_fault_read_frame)
{
	ASSERT_OK(probe_install(TRAP_PF, 0, TRAP_PF));
	if (EXPECT_PROBE(trig_read, scratch(2), TRAP_PF)) {
		expect_kernel_frame(true, 0, trig_read_at, upcall_mask());
		EXPECT_EQ(this_vcpu_info()->arch.cr2, (uint64_t)scratch(2));
	}
	probe_reset_traps();
}

/* A write to a read-only page: present and write bits, still not user. */
TEST(bounce, page_fault_write_frame)
{
	pfn_t pfn;

	ASSERT_OK(alloc_frames(1, &pfn));
	ASSERT_OK(map_frame(scratch(3), pfn_to_mfn(pfn), 0));
	ASSERT_OK(probe_install(TRAP_PF, 0, TRAP_PF));
	if (EXPECT_PROBE(trig_write, scratch(3), TRAP_PF)) {
		expect_kernel_frame(true, PFEC_PRESENT | PFEC_WRITE,
				    trig_write_at, upcall_mask());
		EXPECT_EQ(this_vcpu_info()->arch.cr2, (uint64_t)scratch(3));
	}
	probe_reset_traps();
	EXPECT_OK(unmap(scratch(3)));
	free_frames(pfn, 1);
}

/* A non-canonical access is #GP(0), passed on as is after emulation fails. */
TEST(bounce, general_protection_frame)
{
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	if (EXPECT_PROBE(trig_read, (void *)NONCANONICAL, TRAP_GP))
		expect_kernel_frame(true, 0, trig_read_at, upcall_mask());
	probe_reset_traps();
}

/* An exception bounce leaves DF as it was (in the frame and live). */
TEST(bounce, direction_flag_kept)
{
	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	if (EXPECT_PROBE(trig_std_ud2, NULL, TRAP_UD)) {
		EXPECT_TRUE(probe_frame[4] & RFLAGS_DF);
		EXPECT_TRUE(probe_rflags & RFLAGS_DF);
	}
	probe_reset_traps();
}

/* With events enabled the frame says so: mask 0 in cs, IF in rflags. */
TEST(bounce, frame_with_events_enabled)
{
	uint8_t mask_after;

	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	set_upcall_mask(0);
	if (EXPECT_PROBE(trig_ud2, NULL, TRAP_UD)) {
		mask_after = upcall_mask();
		set_upcall_mask(1);
		EXPECT_EQ(mask_after, 0); /* flag bit 2 clear: left as it was */
		expect_kernel_frame(false, 0, trig_ud2_at, 0);
	}
	set_upcall_mask(1);
	probe_reset_traps();
}

/* Trap-table flag bit 2 masks events on entry; the frame keeps the old. */
TEST(bounce, flag_masks_events)
{
	uint8_t mask_after;

	ASSERT_OK(probe_install(TRAP_UD, TI_MASK_EVENTS, TRAP_UD));
	set_upcall_mask(0);
	if (EXPECT_PROBE(trig_ud2, NULL, TRAP_UD)) {
		mask_after = upcall_mask();
		set_upcall_mask(1);
		EXPECT_EQ(mask_after, 1);
		expect_kernel_frame(false, 0, trig_ud2_at, 0);
	}
	set_upcall_mask(1);
	probe_reset_traps();
}

/* --- int n from guest kernel mode ------------------------------------ */

static void install_softint(unsigned int flags)
{
	ASSERT_OK(probe_install(SOFTINT, flags, PROBE_SOFTINT));
	ASSERT_OK(probe_install(SOFTINT_TWIN, flags, PROBE_SOFTINT));
}

/* DPL 1, 2 or 3 lets the kernel raise the vector; rip is past int n. */
TEST(int_n, allowed_with_dpl_1_to_3)
{
	unsigned int dpl;

	for (dpl = 1; dpl <= 3; dpl++) {
		install_softint(TI_DPL(dpl));
		if (EXPECT_PROBE(trig_softint, NULL, PROBE_SOFTINT))
			expect_kernel_frame(false, 0, trig_softint_end,
					    upcall_mask());
	}
	probe_reset_traps();
}

static void expect_softint_gp(unsigned int vector, const void *rip)
{
	uint64_t ec = probe_frame[2];
	const uint8_t *insn = (const uint8_t *)probe_frame[3];

	/* n * 8 + 2 on hardware; n * 16 + 2 from QEMU's TCG (see SOFTINT) */
	EXPECT_TRUE(ec == ((vector << 3) | 2) || ec == ((vector << 4) | 2));
	EXPECT_EQ((uint64_t)insn, (uint64_t)rip);
	EXPECT_EQ(insn[0], 0xcd);
	EXPECT_EQ(insn[1], vector);
}

/* DPL 0 refuses it: #GP naming the gate, rip on the int instruction. */
TEST(int_n, refused_with_dpl_0)
{
	install_softint(TI_DPL(0));
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	if (EXPECT_PROBE(trig_softint, NULL, TRAP_GP))
		expect_softint_gp(SOFTINT, trig_softint_at);
	probe_reset_traps();
}

/* A vector without an entry is refused the same way. */
TEST(int_n, refused_without_entry)
{
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	if (EXPECT_PROBE(trig_softint, NULL, TRAP_GP))
		expect_softint_gp(SOFTINT, trig_softint_at);
	probe_reset_traps();
}

/* Xen's int $0x80 gate skips the DPL check when the entry exists. */
TEST(int_n, int80_delivered_despite_dpl_0)
{
	ASSERT_OK(probe_install(0x80, TI_DPL(0), PROBE_SOFTINT));
	ASSERT_OK(probe_install(TRAP_GP, 0, TRAP_GP));
	if (EXPECT_PROBE(trig_int80, NULL, PROBE_SOFTINT))
		expect_kernel_frame(false, 0, trig_int80_end, upcall_mask());
	probe_reset_traps();
}

/* Flag bit 2 masks events for int n as for exceptions. */
TEST(int_n, flag_masks_events)
{
	uint8_t mask_after;

	install_softint(TI_DPL(1) | TI_MASK_EVENTS);
	set_upcall_mask(0);
	if (EXPECT_PROBE(trig_softint, NULL, PROBE_SOFTINT)) {
		mask_after = upcall_mask();
		set_upcall_mask(1);
		EXPECT_EQ(mask_after, 1);
		expect_kernel_frame(false, 0, trig_softint_end, 0);
	}
	set_upcall_mask(1);
	probe_reset_traps();
}

/* --- fpu_taskswitch and FPU state ------------------------------------ */

/* With the virtual TS set, SSE raises #NM; its delivery clears TS. */
TEST(fpu, taskswitch_raises_nm)
{
	ASSERT_OK(probe_install(TRAP_NM, 0, TRAP_NM));
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(1));
	if (EXPECT_PROBE(trig_sse, NULL, TRAP_NM))
		expect_kernel_frame(false, 0, trig_sse_at, upcall_mask());
	EXPECT_FALSE(probe_run(trig_sse, NULL)); /* TS cleared by the #NM */
	probe_reset_traps();
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(0));
}

TEST(fpu, taskswitch_cleared)
{
	ASSERT_OK(probe_install(TRAP_NM, 0, TRAP_NM));
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(1));
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(0));
	EXPECT_FALSE(probe_run(trig_sse, NULL));
	probe_reset_traps();
}

static void load_xmm(const uint64_t *v)
{
	__asm__ __volatile__("movdqu 0(%0), %%xmm0\n\t"
			     "movdqu 16(%0), %%xmm7\n\t"
			     "movdqu 32(%0), %%xmm8\n\t"
			     "movdqu 48(%0), %%xmm15" ::"r"(v));
}

/* The kernel is built without SSE: nothing else uses these registers. */
static void save_xmm(void *v)
{
	__asm__ __volatile__("movdqu %%xmm0, 0(%0)\n\t"
			     "movdqu %%xmm7, 16(%0)\n\t"
			     "movdqu %%xmm8, 32(%0)\n\t"
			     "movdqu %%xmm15, 48(%0)" ::"r"(v)
			     : "memory");
}

/* SSE registers survive hypercalls, traps and an #NM round trip. */
TEST(fpu, state_survives_traps)
{
	uint64_t in[8], out[8];
	unsigned int i;

	for (i = 0; i < 8; i++)
		in[i] = 0x0123456789abcdefUL * (i + 1);
	ASSERT_OK(probe_install(TRAP_NM, 0, TRAP_NM));
	ASSERT_OK(probe_install(TRAP_UD, 0, TRAP_UD));
	load_xmm(in);
	HYPERVISOR_xen_version(XENVER_version, NULL);
	probe_run(trig_ud2, NULL);
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(1));
	EXPECT_TRUE(probe_run(save_xmm, out)); /* #NM, TS cleared */
	EXPECT_EQ(probe_id, TRAP_NM);
	save_xmm(out);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(out[i], in[i]);
	probe_reset_traps();
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(0));
}
