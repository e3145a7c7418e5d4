/*
 * Emulation conformance tests: what Xen does for the instructions a PV
 * kernel cannot execute in ring 3 (privileged instructions, port I/O),
 * for CPUID behind the forced-emulation prefix, and set_segment_base.
 *
 * A privileged instruction from guest kernel mode raises #GP(0) in the
 * hypervisor, which emulates it against the vCPU's virtual state: CR0.TS
 * from fpu_taskswitch, CR2 of the last page fault, CR3 = the kernel L4,
 * the segment-base MSRs. What it does not emulate comes back to the guest
 * as #GP(0). The same instructions from guest user mode are in
 * usermode.c.
 */
#include "harness/probe.h"
#include "harness/test.h"

#include <guest/hypercall.h>
#include <guest/irqflags.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/shared_info.h>
#include <guest/traps.h>
#include <paravane/string.h>
#include <xen/arch-x86/cpuid.h>

CONFORMANCE_KERNEL("emulate");

#define CR0_PE (1UL << 0)
#define CR0_TS (1UL << 3)
#define CR0_PG (1UL << 31)
#define CR4_PAE (1UL << 5)
#define CPUID1_ECX_HYPERVISOR (1U << 31)

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_UNKNOWN 0x4b564d99 /* in no vendor's range */

#define NONCANONICAL 0x8000000000000000UL

/* A harmless port (POST codes) and its neighbour. */
#define PORT_OK 0x80
#define PORT_DENIED 0x81

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x30000000UL + i * PAGE_SIZE);
}

static uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void write_cr0(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr0" ::"r"(v) : "memory");
}

static void write_cr2(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr2" ::"r"(v) : "memory");
}

static void write_cr3(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr3" ::"r"(v) : "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" ::"c"(msr), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32))
			     : "memory");
}

static uint64_t read_fs0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%fs:0, %0" : "=r"(v));
	return v;
}

static uint64_t read_gs0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static void sse_op(void *unused)
{
	__asm__ __volatile__("movaps %xmm0, %xmm1");
}

/* --- control registers ------------------------------------------------ */

/* mov from %cr0: paging and protection on, TS as fpu_taskswitch set it. */
TEST(privop, read_cr0_ts)
{
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(1));
	EXPECT_EQ(read_cr0() & CR0_TS, CR0_TS);
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(0));
	EXPECT_EQ(read_cr0() & CR0_TS, 0);
	EXPECT_EQ(read_cr0() & (CR0_PE | CR0_PG), CR0_PE | CR0_PG);
}

/* mov to %cr0 may change TS (as fpu_taskswitch does), nothing else. */
TEST(privop, write_cr0_ts)
{
	uint64_t cr0 = read_cr0();

	write_cr0(cr0 | CR0_TS);
	EXPECT_EQ(read_cr0() & CR0_TS, CR0_TS);
	EXPECT_FAULT(sse_op, NULL, TRAP_NM);
	write_cr0(cr0 | CR0_TS);
	write_cr0(cr0 & ~CR0_TS);
	EXPECT_EQ(read_cr0() & CR0_TS, 0);
	EXPECT_EQ(catch_fault(sse_op, NULL, NULL), -1);
}

static void clts(void *unused)
{
	__asm__ __volatile__("clts");
}

TEST(privop, clts)
{
	EXPECT_OK(HYPERVISOR_fpu_taskswitch(1));
	EXPECT_EQ(catch_fault(clts, NULL, NULL), -1);
	EXPECT_EQ(read_cr0() & CR0_TS, 0);
	EXPECT_EQ(catch_fault(sse_op, NULL, NULL), -1);
}

static void read_byte(void *va)
{
	(void)*(volatile uint8_t *)va;
}

/* mov from %cr2: the address of the last page fault. */
TEST(privop, read_cr2)
{
	EXPECT_FAULT(read_byte, scratch(0), TRAP_PF);
	EXPECT_EQ(read_cr2(), (uint64_t)scratch(0));
	EXPECT_FAULT(read_byte, scratch(1), TRAP_PF);
	EXPECT_EQ(read_cr2(), (uint64_t)scratch(1));
}

/* mov to %cr2 sets the virtual CR2 and vcpu_info's copy. */
TEST(privop, write_cr2)
{
	write_cr2(0x123456789000UL);
	EXPECT_EQ(read_cr2(), 0x123456789000UL);
	EXPECT_EQ(this_vcpu_info()->arch.cr2, 0x123456789000UL);
}

/* mov from %cr3: the machine address of the kernel L4. */
TEST(privop, read_cr3)
{
	EXPECT_EQ(read_cr3(), paddr_x(mfn_to_paddr(pagetable_root())));
}

/* mov to %cr3 switches the kernel page tables, as MMUEXT_NEW_BASEPTR. */
TEST(privop, write_cr3)
{
	mfn_t old = pagetable_root(), l4;
	const uint64_t *cur = frame_va(mfn_to_pfn(old));
	unsigned int i;

	ASSERT_TRUE(cur != NULL);
	ASSERT_OK(alloc_pt_frame(&l4));
	for (i = 0; i < PT_ENTRIES; i++) {
		if (i >= 256 && i < 272) /* Xen's slots */
			continue;
		if (cur[i] & PTE_PRESENT)
			ASSERT_OK(pt_fill(l4, i, &cur[i], 1));
	}
	ASSERT_OK(pin_table(4, l4));
	write_cr3(paddr_x(mfn_to_paddr(l4)));
	EXPECT_EQ(read_cr3(), paddr_x(mfn_to_paddr(l4)));
	write_cr3(paddr_x(mfn_to_paddr(old)));
	EXPECT_EQ(read_cr3(), paddr_x(mfn_to_paddr(old)));
	EXPECT_OK(unpin_table(l4));
	EXPECT_OK(free_pt_frame(l4));
}

/* mov from %cr4: PAE is on (long mode). */
TEST(privop, read_cr4)
{
	EXPECT_EQ(read_cr4() & CR4_PAE, CR4_PAE);
}

static void wbinvd(void *unused)
{
	__asm__ __volatile__("wbinvd" ::: "memory");
}

TEST(privop, wbinvd)
{
	EXPECT_EQ(catch_fault(wbinvd, NULL, NULL), -1);
}

/* --- MSRs ------------------------------------------------------------- */

static uint64_t fs_data[2] = {0x46534653f5f5f5f5UL, 0};
static uint64_t gs_data[2] = {0x4753475367676767UL, 0};

TEST(privop, msr_fs_base)
{
	wrmsr(MSR_FS_BASE, (uint64_t)fs_data);
	EXPECT_EQ(rdmsr(MSR_FS_BASE), (uint64_t)fs_data);
	EXPECT_EQ(read_fs0(), fs_data[0]);
	wrmsr(MSR_FS_BASE, 0);
	EXPECT_EQ(rdmsr(MSR_FS_BASE), 0);
}

/* GS_BASE is the kernel's (active) base, SHADOW_GS_BASE the user's. */
TEST(privop, msr_gs_bases)
{
	struct gs_loan loan;

	gs_borrow(&loan);
	wrmsr(MSR_GS_BASE, (uint64_t)gs_data);
	EXPECT_EQ(rdmsr(MSR_GS_BASE), (uint64_t)gs_data);
	EXPECT_EQ(read_gs0(), gs_data[0]);
	wrmsr(MSR_SHADOW_GS_BASE, (uint64_t)fs_data);
	EXPECT_EQ(rdmsr(MSR_SHADOW_GS_BASE), (uint64_t)fs_data);
	EXPECT_EQ(read_gs0(), gs_data[0]);
	wrmsr(MSR_SHADOW_GS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	EXPECT_EQ(rdmsr(MSR_GS_BASE), 0);
	EXPECT_EQ(rdmsr(MSR_SHADOW_GS_BASE), 0);
	gs_give_back(&loan);
}

static void rdmsr_unknown(void *unused)
{
	rdmsr(MSR_UNKNOWN);
}

static void wrmsr_unknown(void *unused)
{
	wrmsr(MSR_UNKNOWN, 0);
}

static void wrmsr_fs_noncanonical(void *unused)
{
	wrmsr(MSR_FS_BASE, NONCANONICAL);
}

/* MSRs Xen does not know are refused with #GP(0). */
TEST(privop, unknown_msr)
{
	struct fault_info fi;

	if (expect_fault(rdmsr_unknown, NULL, TRAP_GP, &fi))
		EXPECT_EQ(fi.error_code, 0);
	if (expect_fault(wrmsr_unknown, NULL, TRAP_GP, &fi))
		EXPECT_EQ(fi.error_code, 0);
}

TEST(privop, wrmsr_noncanonical_base)
{
	EXPECT_FAULT(wrmsr_fs_noncanonical, NULL, TRAP_GP);
	EXPECT_EQ(rdmsr(MSR_FS_BASE), 0);
}

/* --- port I/O ----------------------------------------------------------- */

static void inb_ok_port(void *unused)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "i"(PORT_OK));
}

static void outb_ok_port(void *unused)
{
	__asm__ __volatile__("outb %0, %1" ::"a"((uint8_t)0), "i"(PORT_OK));
}

static void inb_dx(void *port)
{
	uint8_t v;

	__asm__ __volatile__("inb %%dx, %0"
			     : "=a"(v)
			     : "d"((uint16_t)(unsigned long)port));
}

static void inw_dx(void *port)
{
	uint16_t v;

	__asm__ __volatile__("inw %%dx, %0"
			     : "=a"(v)
			     : "d"((uint16_t)(unsigned long)port));
}

static int set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl op = {.iopl = iopl};

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &op);
}

static int set_iobitmap(uint8_t *bitmap, unsigned int nr_ports)
{
	struct physdev_set_iobitmap op = {.nr_ports = nr_ports};

	set_xen_guest_handle(op.bitmap, bitmap);
	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &op);
}

/* Without I/O privilege, port access from the kernel is #GP(0). */
TEST(ioport, refused_without_iopl)
{
	struct fault_info fi;

	ASSERT_OK(set_iopl(0));
	if (expect_fault(inb_ok_port, NULL, TRAP_GP, &fi))
		EXPECT_EQ(fi.error_code, 0);
	EXPECT_FAULT(outb_ok_port, NULL, TRAP_GP);
	EXPECT_FAULT(inb_dx, (void *)PORT_OK, TRAP_GP);
}

/* A virtual IOPL of 1 is enough for the guest kernel. */
TEST(ioport, allowed_with_iopl_1)
{
	ASSERT_OK(set_iopl(1));
	EXPECT_EQ(catch_fault(inb_ok_port, NULL, NULL), -1);
	EXPECT_EQ(catch_fault(outb_ok_port, NULL, NULL), -1);
	EXPECT_EQ(catch_fault(inb_dx, (void *)PORT_OK, NULL), -1);
	ASSERT_OK(set_iopl(0));
	EXPECT_FAULT(inb_ok_port, NULL, TRAP_GP);
}

TEST(ioport, set_iopl_out_of_range)
{
	EXPECT_ERR(set_iopl(4), -EINVAL);
}

/*
 * The I/O bitmap (a clear bit allows a port, as in a TSS) grants single
 * ports; an access is allowed only if every byte of it is.
 */
TEST(ioport, bitmap_grants_one_port)
{
	pfn_t pfn;
	uint8_t *bitmap;

	ASSERT_OK(alloc_frames(2, &pfn));
	bitmap = frame_va(pfn); /* the direct map: both frames in a row */
	ASSERT_TRUE(bitmap != NULL);
	memset(bitmap, 0xff, 2 * PAGE_SIZE);
	bitmap[PORT_OK / 8] &= (uint8_t) ~(1U << (PORT_OK % 8));
	ASSERT_OK(set_iopl(0));
	ASSERT_OK(set_iobitmap(bitmap, 0x100));
	EXPECT_EQ(catch_fault(inb_ok_port, NULL, NULL), -1);
	EXPECT_EQ(catch_fault(inb_dx, (void *)PORT_OK, NULL), -1);
	EXPECT_FAULT(inb_dx, (void *)PORT_DENIED, TRAP_GP);
	EXPECT_FAULT(inw_dx, (void *)PORT_OK, TRAP_GP); /* 0x81 too */
	bitmap[PORT_DENIED / 8] &= (uint8_t) ~(1U << (PORT_DENIED % 8));
	EXPECT_EQ(catch_fault(inw_dx, (void *)PORT_OK, NULL), -1);
	ASSERT_OK(set_iobitmap(bitmap, PORT_OK)); /* ports below 0x80 only */
	EXPECT_FAULT(inb_ok_port, NULL, TRAP_GP);
	ASSERT_OK(set_iobitmap(NULL, 0));
	EXPECT_FAULT(inb_ok_port, NULL, TRAP_GP);
	free_frames(pfn, 2);
}

/* --- CPUID ------------------------------------------------------------ */

struct cpuid_result {
	uint32_t a, b, c, d;
};

/* CPUID behind Xen's forced-emulation prefix: ud2; "xen"; cpuid. */
static struct cpuid_result xen_cpuid(uint32_t leaf)
{
	struct cpuid_result r;

	__asm__ __volatile__("ud2; .ascii \"xen\"; cpuid"
			     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
			     : "a"(leaf), "c"(0));
	return r;
}

static struct cpuid_result native_cpuid(uint32_t leaf)
{
	struct cpuid_result r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
			     : "a"(leaf), "c"(0));
	return r;
}

TEST(cpuid, xen_signature)
{
	struct cpuid_result r = xen_cpuid(XEN_CPUID_FIRST_LEAF);

	EXPECT_EQ(r.b, XEN_CPUID_SIGNATURE_EBX);
	EXPECT_EQ(r.c, XEN_CPUID_SIGNATURE_ECX);
	EXPECT_EQ(r.d, XEN_CPUID_SIGNATURE_EDX);
	EXPECT_EQ(r.a, XEN_CPUID_LEAF(XEN_CPUID_MAX_NUM_LEAVES));
}

TEST(cpuid, xen_version)
{
	EXPECT_EQ(xen_cpuid(XEN_CPUID_LEAF(1)).a, (4U << 16) | 17);
}

/* Leaf 2: one hypercall page. */
TEST(cpuid, hypercall_pages)
{
	EXPECT_EQ(xen_cpuid(XEN_CPUID_LEAF(2)).a, 1);
}

TEST(cpuid, hypervisor_bit)
{
	EXPECT_TRUE(xen_cpuid(1).c & CPUID1_ECX_HYPERVISOR);
}

/* Plain cpuid runs too, and names the same vendor. */
TEST(cpuid, native_vendor)
{
	struct cpuid_result n = native_cpuid(0), x = xen_cpuid(0);

	EXPECT_GE(n.a, 1);
	EXPECT_EQ(n.b, x.b);
	EXPECT_EQ(n.c, x.c);
	EXPECT_EQ(n.d, x.d);
}

/* --- set_segment_base ----------------------------------------------------- */

TEST(segbase, fs)
{
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_FS,
					      (unsigned long)fs_data));
	EXPECT_EQ(read_fs0(), fs_data[0]);
	EXPECT_EQ(rdmsr(MSR_FS_BASE), (uint64_t)fs_data);
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
}

/* In kernel mode the kernel GS base is the active one. */
TEST(segbase, gs_kernel)
{
	struct gs_loan loan;

	gs_borrow(&loan);
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
					      (unsigned long)gs_data));
	EXPECT_EQ(read_gs0(), gs_data[0]);
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_USER,
					      (unsigned long)fs_data));
	EXPECT_EQ(read_gs0(), gs_data[0]);
	EXPECT_EQ(rdmsr(MSR_SHADOW_GS_BASE), (uint64_t)fs_data);
	gs_give_back(&loan);
}

TEST(segbase, noncanonical)
{
	EXPECT_ERR(HYPERVISOR_set_segment_base(SEGBASE_FS, NONCANONICAL),
		   -EINVAL);
	EXPECT_ERR(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, NONCANONICAL),
		   -EINVAL);
	EXPECT_ERR(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, NONCANONICAL),
		   -EINVAL);
}

TEST(segbase, unknown_which)
{
	EXPECT_ERR(HYPERVISOR_set_segment_base(99, 0), -EINVAL);
}

static uint16_t read_gs_sel(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%gs, %0" : "=r"(s));
	return s;
}

/*
 * SEGBASE_GS_USER_SEL loads %gs (shared by both modes) with RPL 3
 * forced, and leaves the kernel GS base active.
 */
TEST(segbase, gs_user_sel)
{
	struct gs_loan loan;

	gs_borrow(&loan);
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL,
					      (unsigned long)gs_data));
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL,
					      FLAT_USER_DS32 & ~3UL));
	EXPECT_EQ(read_gs_sel(), FLAT_USER_DS32);
	EXPECT_EQ(read_gs0(), gs_data[0]);
	EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0));
	EXPECT_EQ(read_gs_sel(), 0);
	EXPECT_EQ(read_gs0(), gs_data[0]);
	gs_give_back(&loan);
}

static void hlt(void *unused)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/*
 * hlt is not emulated for PV guests (they block with SCHEDOP_block): it
 * is #GP(0) even with an event pending, which would end a block at once,
 * and it leaves the event mask alone.
 */
TEST(privop, hlt_refused)
{
	vcpu_info_t *vi = this_vcpu_info();
	unsigned long flags = local_irq_save();
	struct fault_info fi;

	WRITE_ONCE(vi->evtchn_upcall_pending, 1);
	if (expect_fault(hlt, NULL, TRAP_GP, &fi))
		EXPECT_EQ(fi.error_code, 0);
	EXPECT_EQ(READ_ONCE(vi->evtchn_upcall_mask), 1);
	WRITE_ONCE(vi->evtchn_upcall_pending, 0);
	local_irq_restore(flags);
}
