/*
 * Conformance of HYPERVISOR_multicall for a 64-bit PV guest, as Xen 4.17
 * answers: each entry's result is written back into the entry; an entry
 * that fails (unknown hypercall, bad argument, nested multicall) fails
 * alone; a list Xen cannot read ends the batch with -EFAULT; a long batch
 * completes across preemption.
 *
 * An iret entry really returns: it restores the context of the iret
 * frame on the stack at the multicall (as the iret hypercall does) and
 * the batch ends there, the entry's result being the frame's rax. The
 * test builds such a frame under the call (see multicall_iret()).
 */
#include "harness/test.h"

#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/processor.h>
#include <guest/shared_info.h>
#include <paravane/string.h>

CONFORMANCE_KERNEL("multicall");

#define VERSION_4_17 ((4 << 16) | 17)
#define SENTINEL 0x5eUL
#define IRET_RAX 0x1234UL
#define RFLAGS_IF (1UL << 9)

/* Addresses a hypercall must refuse to read or write through. */
static void *const bad_pointers[] = {
	(void *)0x1000,		      /* guest space, never mapped */
	(void *)0xFFFF830000000000UL, /* the hypervisor's range */
	(void *)0x0000800000000000UL, /* the first non-canonical address */
};

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x40000000UL + i * PAGE_SIZE);
}

static void set_call(multicall_entry_t *e, unsigned long op, unsigned long a0,
		     unsigned long a1, unsigned long a2)
{
	memset(e, 0, sizeof(*e));
	e->op = op;
	e->result = SENTINEL;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
}

static void set_version(multicall_entry_t *e, int cmd)
{
	set_call(e, __HYPERVISOR_xen_version, (unsigned long)cmd, 0, 0);
}

/* Different hypercalls in one batch, each with its own result. */
TEST(multicall, results)
{
	static const char text[] = "    (multicall console_io write)\n";
	domid_t self = DOMID_SELF;
	multicall_entry_t calls[6];

	set_version(&calls[0], XENVER_version);
	set_version(&calls[1], XENVER_pagesize);
	set_call(&calls[2], __HYPERVISOR_vm_assist, VMASST_CMD_enable,
		 VMASST_TYPE_runstate_update_flag, 0);
	set_call(&calls[3], __HYPERVISOR_console_io, CONSOLEIO_write,
		 sizeof(text) - 1, (unsigned long)text);
	set_call(&calls[4], __HYPERVISOR_memory_op, XENMEM_current_reservation,
		 (unsigned long)&self, 0);
	set_call(&calls[5], __HYPERVISOR_vm_assist, VMASST_CMD_disable,
		 VMASST_TYPE_runstate_update_flag, 0);
	ASSERT_OK(HYPERVISOR_multicall(calls, ARRAY_SIZE(calls)));
	EXPECT_EQ(calls[0].result, VERSION_4_17);
	EXPECT_EQ(calls[1].result, PAGE_SIZE);
	EXPECT_EQ(calls[2].result, 0);
	EXPECT_EQ(calls[3].result, 0);
	EXPECT_EQ(calls[4].result,
		  HYPERVISOR_memory_op(XENMEM_current_reservation, &self));
	EXPECT_EQ(calls[5].result, 0);
}

/* Unknown hypercall numbers fail alone, with -ENOSYS. */
TEST(multicall, unknown_op_entry)
{
	static const unsigned long ops[] = {11, 63, 127, 1000, ~0UL};
	multicall_entry_t calls[ARRAY_SIZE(ops) + 2];

	set_version(&calls[0], XENVER_version);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		set_call(&calls[i + 1], ops[i], 0, 0, 0);
	set_version(&calls[ARRAY_SIZE(calls) - 1], XENVER_version);
	ASSERT_OK(HYPERVISOR_multicall(calls, ARRAY_SIZE(calls)));
	EXPECT_EQ(calls[0].result, VERSION_4_17);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		EXPECT_ERR(calls[i + 1].result, -ENOSYS);
	EXPECT_EQ(calls[ARRAY_SIZE(calls) - 1].result, VERSION_4_17);
}

/* An entry whose own argument is bad gets that error; the batch goes on. */
TEST(multicall, failing_entry)
{
	multicall_entry_t calls[3];

	set_call(&calls[0], __HYPERVISOR_xen_version, XENVER_extraversion,
		 (unsigned long)bad_pointers[1], 0);
	set_call(&calls[1], __HYPERVISOR_vm_assist, VMASST_CMD_enable, 40, 0);
	set_version(&calls[2], XENVER_version);
	ASSERT_OK(HYPERVISOR_multicall(calls, ARRAY_SIZE(calls)));
	EXPECT_ERR(calls[0].result, -EFAULT);
	EXPECT_ERR(calls[1].result, -EINVAL);
	EXPECT_EQ(calls[2].result, VERSION_4_17);
}

/* A multicall inside a multicall is refused (-EINVAL) and not run. */
TEST(multicall, nested)
{
	multicall_entry_t inner, calls[3];

	set_version(&inner, XENVER_version);
	set_version(&calls[0], XENVER_version);
	set_call(&calls[1], __HYPERVISOR_multicall, (unsigned long)&inner, 1,
		 0);
	set_version(&calls[2], XENVER_pagesize);
	ASSERT_OK(HYPERVISOR_multicall(calls, ARRAY_SIZE(calls)));
	EXPECT_EQ(calls[0].result, VERSION_4_17);
	EXPECT_ERR(calls[1].result, -EINVAL);
	EXPECT_EQ(calls[2].result, PAGE_SIZE);
	EXPECT_EQ(inner.result, SENTINEL);
}

/*
 * Make the multicall with an iret frame (struct iret_context less the
 * rax, r11 and rcx the hypercall stub and the call push) on the stack
 * under it: flags 0, rip the label after the call, kernel CS and SS with
 * RPL 0 (kernel to kernel), rflags as given, rsp as before the frame.
 * The stub pushes rcx and r11; with the call's return address they are
 * the frame's rcx, r11 and rax (r11 is set to rax_value first). Returns
 * rax; *via_iret tells whether the iret frame was used.
 */
static long multicall_iret(multicall_entry_t *calls, unsigned int n,
			   unsigned long rflags, unsigned long rax_value,
			   bool *via_iret)
{
	unsigned long rax, iret;

	__asm__ __volatile__(
		"mov %%rsp, %%rax\n\t"
		"pushq %[ss]\n\t"
		"pushq %%rax\n\t"
		"pushq %[rflags]\n\t"
		"pushq %[cs]\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"pushq $0\n\t"
		"mov %[r11v], %%r11\n\t"
		"call hypercall_page + %c[slot]\n\t"
		"add $48, %%rsp\n\t"
		"xor %%edx, %%edx\n\t"
		"jmp 2f\n"
		"1:\n\t"
		"mov $1, %%edx\n"
		"2:"
		: "=&a"(rax), "=&d"(iret), "+D"(calls), "+S"(n)
		: [ss] "i"(FLAT_KERNEL_SS & ~3), [cs] "i"(FLAT_KERNEL_CS & ~3),
		  [rflags] "r"(rflags), [r11v] "r"(rax_value),
		  [slot] "i"(__HYPERVISOR_multicall * HYPERCALL_STUB_SIZE)
		: "rcx", "r11", "r10", "r8", "memory", "cc");
	*via_iret = iret;
	return (long)rax;
}

/*
 * An iret entry returns through the frame: the entries after it never
 * run, the entry's result and the multicall's are the frame's rax.
 */
TEST(multicall, iret_entry)
{
	uint8_t mask = this_vcpu_info()->evtchn_upcall_mask;
	unsigned long rflags = read_rflags() & ~RFLAGS_IF;
	multicall_entry_t calls[3];
	bool via_iret;
	long rc;

	if (!mask) /* keep the event mask as it is */
		rflags |= RFLAGS_IF;
	set_version(&calls[0], XENVER_version);
	set_call(&calls[1], __HYPERVISOR_iret, 0, 0, 0);
	set_version(&calls[2], XENVER_pagesize);
	rc = multicall_iret(calls, ARRAY_SIZE(calls), rflags, IRET_RAX,
			    &via_iret);
	EXPECT_TRUE(via_iret);
	EXPECT_EQ(rc, IRET_RAX);
	EXPECT_EQ(calls[0].result, VERSION_4_17);
	EXPECT_EQ(calls[1].result, IRET_RAX);
	EXPECT_EQ(calls[2].result, SENTINEL);
	EXPECT_EQ(this_vcpu_info()->evtchn_upcall_mask, mask);
}

/* A list Xen cannot read at all: -EFAULT, nothing run. */
TEST(multicall, bad_list)
{
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
		EXPECT_ERR(HYPERVISOR_multicall(bad_pointers[j], 1), -EFAULT);
}

TEST(multicall, empty)
{
	multicall_entry_t call;

	set_version(&call, XENVER_version);
	EXPECT_OK(HYPERVISOR_multicall(&call, 0));
	EXPECT_EQ(call.result, SENTINEL);
	EXPECT_OK(HYPERVISOR_multicall(bad_pointers[0], 0));
	/* Where the list starts is checked even when it is empty. */
	EXPECT_ERR(HYPERVISOR_multicall(bad_pointers[1], 0), -EFAULT);
	EXPECT_ERR(HYPERVISOR_multicall(bad_pointers[2], 0), -EFAULT);
}

/*
 * A list whose third entry lies on an unmapped page: the first two run
 * and get their results, then the batch ends with -EFAULT.
 */
TEST(multicall, list_runs_off_mapping)
{
	multicall_entry_t *calls;
	pfn_t pfn;

	ASSERT_OK(alloc_frames(1, &pfn));
	ASSERT_OK(map_frame(scratch(0), pfn_to_mfn(pfn), PTE_RW));
	calls = (multicall_entry_t *)((char *)scratch(1) - 2 * sizeof(*calls));
	set_version(&calls[0], XENVER_version);
	set_version(&calls[1], XENVER_pagesize);
	EXPECT_ERR(HYPERVISOR_multicall(calls, 3), -EFAULT);
	EXPECT_EQ(calls[0].result, VERSION_4_17);
	EXPECT_EQ(calls[1].result, PAGE_SIZE);
	EXPECT_OK(unmap(scratch(0)));
	free_frames(pfn, 1);
}

/*
 * Hundreds of entries, some of them long writes: Xen may stop between
 * (or inside) entries and continue; every result arrives.
 */
TEST(multicall, long_batch)
{
	static multicall_entry_t calls[600];
	static char text[4096];
	static const char line[] = "    (multicall long write)\n";
	size_t i, n = sizeof(line) - 1, len = 0;

	while (len + n <= sizeof(text)) {
		memcpy(text + len, line, n);
		len += n;
	}
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		if (i % 200 == 100)
			set_call(&calls[i], __HYPERVISOR_console_io,
				 CONSOLEIO_write, len, (unsigned long)text);
		else
			set_version(&calls[i],
				    i % 2 ? XENVER_pagesize : XENVER_version);
	}
	ASSERT_OK(HYPERVISOR_multicall(calls, ARRAY_SIZE(calls)));
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		long want = i % 200 == 100 ? 0
			    : i % 2	   ? (long)PAGE_SIZE
					   : VERSION_4_17;

		if ((long)calls[i].result != want) {
			test_fail(__FILE__, __LINE__,
				  "entry %zu: result %ld, expected %ld", i,
				  (long)calls[i].result, want);
			break;
		}
	}
}
