/*
 * Conformance of the small hypercall families: xen_version, console_io,
 * vm_assist, physdev_op, and hypercall numbers nothing implements. The
 * expected results, error codes included, are what Xen 4.17 gives its
 * 64-bit PV initial domain. memory_op, sched_op and multicall have
 * kernels of their own (memory.c, sched.c, multicall.c).
 *
 * Every pointer-taking sub-operation is also tried with three bad
 * pointers: an unmapped guest address, a hypervisor address and a
 * non-canonical one. Xen refuses them all with -EFAULT and never touches
 * the memory behind them.
 */
#include "harness/test.h"

#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/processor.h>
#include <guest/traps.h>
#include <paravane/string.h>
#include <xen/features.h>

CONFORMANCE_KERNEL("hypercalls");

/* Addresses a hypercall must refuse to read or write through. */
static void *const bad_pointers[] = {
	(void *)0x1000,		      /* guest space, never mapped */
	(void *)0xFFFF830000000000UL, /* the hypervisor's range */
	(void *)0x0000800000000000UL, /* the first non-canonical address */
};

#define IO_PORT 0x80 /* the POST port: reading it has no effect */

/* Expect expr == err; the message names the case (what) and pointer. */
#define EXPECT_ERR_PTR(expr, err, what, ptr)                                   \
	do {                                                                   \
		long r_ = (long)(expr);                                        \
		if (r_ != (long)(err))                                         \
			test_fail(__FILE__, __LINE__,                          \
				  "%s with %p returned %ld (%s), expected "    \
				  "%ld (%s)",                                  \
				  what, ptr, r_, errno_name((int)r_),          \
				  (long)(err), errno_name(err));               \
	} while (0)

static void *scratch(unsigned int i)
{
	return (void *)(MAPAREA_BASE + 0x20000000UL + i * PAGE_SIZE);
}

static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncmp(s, word, n))
			return true;
	return false;
}

/* Whether the n-byte buffer holds a NUL-terminated string. */
static bool terminated(const char *buf, size_t n)
{
	return strnlen(buf, n) < n;
}

TEST(xen_version, version)
{
	EXPECT_EQ(HYPERVISOR_xen_version(XENVER_version, NULL), (4 << 16) | 17);
}

/* Strings are copied whole: the bytes past the NUL are zeroed too. */
TEST(xen_version, extraversion)
{
	xen_extraversion_t s;
	size_t len;

	memset(s, 0xff, sizeof(s));
	ASSERT_OK(HYPERVISOR_xen_version(XENVER_extraversion, s));
	ASSERT_TRUE(terminated(s, sizeof(s)));
	for (len = strlen(s); len < sizeof(s); len++)
		EXPECT_EQ(s[len], 0);
}

TEST(xen_version, compile_info)
{
	xen_compile_info_t ci;

	memset(&ci, 0xff, sizeof(ci));
	ASSERT_OK(HYPERVISOR_xen_version(XENVER_compile_info, &ci));
	EXPECT_TRUE(terminated(ci.compiler, sizeof(ci.compiler)));
	EXPECT_TRUE(terminated(ci.compile_by, sizeof(ci.compile_by)));
	EXPECT_TRUE(terminated(ci.compile_domain, sizeof(ci.compile_domain)));
	EXPECT_TRUE(terminated(ci.compile_date, sizeof(ci.compile_date)));
	EXPECT_GT(strlen(ci.compiler), 0);
	EXPECT_GT(strlen(ci.compile_date), 0);
}

TEST(xen_version, capabilities)
{
	xen_capabilities_info_t caps;

	memset(caps, 0xff, sizeof(caps));
	ASSERT_OK(HYPERVISOR_xen_version(XENVER_capabilities, caps));
	ASSERT_TRUE(terminated(caps, sizeof(caps)));
	EXPECT_TRUE(contains(caps, "xen-3.0-x86_64"));
}

/* Debian's Xen reports an empty changeset; only the form is checked. */
TEST(xen_version, changeset)
{
	xen_changeset_info_t cs;

	memset(cs, 0xff, sizeof(cs));
	ASSERT_OK(HYPERVISOR_xen_version(XENVER_changeset, cs));
	ASSERT_TRUE(terminated(cs, sizeof(cs)));
}

/* For a 64-bit PV guest, virt_start is the start of Xen's range. */
TEST(xen_version, platform_parameters)
{
	xen_platform_parameters_t pp = {.virt_start = 0};

	ASSERT_OK(HYPERVISOR_xen_version(XENVER_platform_parameters, &pp));
	EXPECT_EQ(pp.virt_start, HYPERVISOR_VIRT_START);
}

/* The initial domain is told so; a PV domain is not auto-translated. */
TEST(xen_version, get_features)
{
	xen_feature_info_t fi = {.submap_idx = 0, .submap = 0};

	ASSERT_OK(HYPERVISOR_xen_version(XENVER_get_features, &fi));
	EXPECT_EQ(fi.submap_idx, 0);
	EXPECT_TRUE(fi.submap & (1U << XENFEAT_dom0));
	EXPECT_FALSE(fi.submap & (1U << XENFEAT_auto_translated_physmap));
	EXPECT_FALSE(fi.submap & (1U << XENFEAT_writable_page_tables));
	EXPECT_FALSE(fi.submap & (1U << XENFEAT_supervisor_mode_kernel));
}

TEST(xen_version, get_features_bad_submap)
{
	xen_feature_info_t fi = {.submap_idx = XENFEAT_NR_SUBMAPS};

	EXPECT_ERR(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL);
	fi.submap_idx = ~0U;
	EXPECT_ERR(HYPERVISOR_xen_version(XENVER_get_features, &fi), -EINVAL);
}

/* pagesize takes no argument: a non-NULL one is refused. */
TEST(xen_version, pagesize)
{
	long dummy;

	EXPECT_EQ(HYPERVISOR_xen_version(XENVER_pagesize, NULL), PAGE_SIZE);
	EXPECT_ERR(HYPERVISOR_xen_version(XENVER_pagesize, &dummy), -EINVAL);
}

/* The initial domain's handle (a UUID) is all zeroes. */
TEST(xen_version, guest_handle)
{
	xen_domain_handle_t h;

	memset(h, 0xff, sizeof(h));
	ASSERT_OK(HYPERVISOR_xen_version(XENVER_guest_handle, h));
	for (size_t i = 0; i < sizeof(h); i++)
		EXPECT_EQ(h[i], 0);
}

/* The hypervisor's command line, for the privileged domain. */
TEST(xen_version, commandline)
{
	static xen_commandline_t line;

	memset(line, 0xff, sizeof(line));
	ASSERT_OK(HYPERVISOR_xen_version(XENVER_commandline, line));
	ASSERT_TRUE(terminated(line, sizeof(line)));
	EXPECT_TRUE(contains(line, "dom0_mem="));
}

TEST(xen_version, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_xen_version(0x7fff, NULL), -ENOSYS);
	EXPECT_ERR(HYPERVISOR_xen_version(-1, NULL), -ENOSYS);
}

TEST(xen_version, bad_pointers)
{
	static const struct {
		int cmd;
		const char *name;
	} ops[] = {
		{XENVER_extraversion, "extraversion"},
		{XENVER_compile_info, "compile_info"},
		{XENVER_capabilities, "capabilities"},
		{XENVER_changeset, "changeset"},
		{XENVER_platform_parameters, "platform_parameters"},
		{XENVER_get_features, "get_features"},
		{XENVER_guest_handle, "guest_handle"},
		{XENVER_commandline, "commandline"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
			EXPECT_ERR_PTR(HYPERVISOR_xen_version(ops[i].cmd,
							      bad_pointers[j]),
				       -EFAULT, ops[i].name, bad_pointers[j]);
}

/* A mapped but read-only buffer cannot take the result either. */
TEST(xen_version, read_only_buffer)
{
	pfn_t pfn;
	char *ro = scratch(0);

	ASSERT_OK(alloc_frames(1, &pfn));
	ASSERT_OK(map_frame(ro, pfn_to_mfn(pfn), 0));
	EXPECT_ERR(HYPERVISOR_xen_version(XENVER_extraversion, ro), -EFAULT);
	EXPECT_ERR(HYPERVISOR_xen_version(XENVER_capabilities, ro), -EFAULT);
	EXPECT_OK(unmap(ro));
	free_frames(pfn, 1);
}

TEST(console_io, write_nothing)
{
	EXPECT_OK(HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL));
	EXPECT_OK(HYPERVISOR_console_io(CONSOLEIO_write, 0, bad_pointers[1]));
}

/* Several KiB in one call: Xen copies it in chunks, and may continue. */
TEST(console_io, write_long)
{
	static char text[6144];
	static const char line[] = "    (console_io long write)";
	size_t i, n = sizeof(line) - 1;

	for (i = 0; i + n + 1 <= sizeof(text); i += n + 1) {
		memcpy(text + i, line, n);
		text[i + n] = '\n';
	}
	EXPECT_OK(HYPERVISOR_console_io(CONSOLEIO_write, (int)i, text));
}

TEST(console_io, write_bad_pointers)
{
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
		EXPECT_ERR_PTR(HYPERVISOR_console_io(CONSOLEIO_write, 16,
						     bad_pointers[j]),
			       -EFAULT, "write", bad_pointers[j]);
}

/* A buffer whose tail runs into an unmapped page: -EFAULT part way. */
TEST(console_io, write_runs_off_mapping)
{
	pfn_t pfn;
	char *page = scratch(1);

	ASSERT_OK(alloc_frames(1, &pfn));
	ASSERT_OK(map_frame(page, pfn_to_mfn(pfn), PTE_RW));
	memset(page, '.', PAGE_SIZE);
	EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_write, 512,
					 page + PAGE_SIZE - 256),
		   -EFAULT);
	HYPERVISOR_console_io(CONSOLEIO_write, 1, "\n"); /* end the dots */
	EXPECT_OK(unmap(page));
	free_frames(pfn, 1);
}

/* The initial domain may read the console; nothing is typed here. */
TEST(console_io, read)
{
	char buf[16];

	EXPECT_GE(HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf), 0);
	EXPECT_GE(HYPERVISOR_console_io(CONSOLEIO_read, 0, buf), 0);
}

/* A count that could not be told apart from an error is refused. */
TEST(console_io, read_count_too_big)
{
	char buf[16];

	EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_read, (int)0x80000000U, buf),
		   -E2BIG);
	EXPECT_ERR(HYPERVISOR_console_io(CONSOLEIO_read, -1, buf), -E2BIG);
}

TEST(console_io, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_console_io(2, 0, NULL), -ENOSYS);
	EXPECT_ERR(HYPERVISOR_console_io(-1, 0, NULL), -ENOSYS);
}

/* The assists a 64-bit PV guest may turn on and off. */
TEST(vm_assist, enable_disable)
{
	static const unsigned int types[] = {
		VMASST_TYPE_architectural_iopl,
		VMASST_TYPE_runstate_update_flag,
		VMASST_TYPE_m2p_strict,
	};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		EXPECT_OK(HYPERVISOR_vm_assist(VMASST_CMD_enable, types[i]));
		EXPECT_OK(HYPERVISOR_vm_assist(VMASST_CMD_disable, types[i]));
		EXPECT_OK(HYPERVISOR_vm_assist(VMASST_CMD_disable, types[i]));
	}
}

TEST(vm_assist, unknown_type)
{
	static const unsigned int types[] = {6, 31, 33, 63, 64, ~0U};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		EXPECT_ERR(HYPERVISOR_vm_assist(VMASST_CMD_enable, types[i]),
			   -EINVAL);
		EXPECT_ERR(HYPERVISOR_vm_assist(VMASST_CMD_disable, types[i]),
			   -EINVAL);
	}
}

/* The type is checked first: an unknown command with a bad type. */
TEST(vm_assist, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_vm_assist(2, VMASST_TYPE_runstate_update_flag),
		   -ENOSYS);
	EXPECT_ERR(HYPERVISOR_vm_assist(~0U, VMASST_TYPE_m2p_strict), -ENOSYS);
	EXPECT_ERR(HYPERVISOR_vm_assist(2, 40), -EINVAL);
}

/*
 * Xen also accepts, for a 64-bit PV guest, the assists that only mean
 * something to 32-bit guests; turning them on changes nothing.
 */
TEST(vm_assist, legacy_types_accepted)
{
	static const unsigned int types[] = {
		VMASST_TYPE_4gb_segments,
		VMASST_TYPE_4gb_segments_notify,
		VMASST_TYPE_pae_extended_cr3,
	};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		EXPECT_OK(HYPERVISOR_vm_assist(VMASST_CMD_enable, types[i]));
		EXPECT_OK(HYPERVISOR_vm_assist(VMASST_CMD_disable, types[i]));
	}
}

static int set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl arg = {.iopl = iopl};

	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &arg);
}

static int set_iobitmap(uint8_t *bitmap, unsigned int nr_ports)
{
	struct physdev_set_iobitmap arg = {.nr_ports = nr_ports};

	set_xen_guest_handle(arg.bitmap, bitmap);
	return HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &arg);
}

static void read_port(void *unused)
{
	(void)inb(IO_PORT);
}

/* Whether the kernel may read IO_PORT now (no #GP). */
static bool port_readable(void)
{
	struct fault_info fi;
	int vector = catch_fault(read_port, NULL, &fi);

	if (vector >= 0 && vector != TRAP_GP)
		test_fail(__FILE__, __LINE__, "inb raised vector %d", vector);
	return vector < 0;
}

/* The kernel runs at virtual privilege 1: IOPL 1 and up allow port I/O. */
TEST(physdev_op, set_iopl)
{
	ASSERT_OK(set_iobitmap(NULL, 0));
	for (unsigned int iopl = 0; iopl <= 3; iopl++) {
		EXPECT_OK(set_iopl(iopl));
		EXPECT_EQ(port_readable(), iopl >= 1);
	}
	EXPECT_OK(set_iopl(0));
}

/*
 * With the architectural_iopl assist the kernel counts as privilege 0,
 * as on hardware: even IOPL 0 allows it port I/O.
 */
TEST(physdev_op, architectural_iopl)
{
	ASSERT_OK(set_iobitmap(NULL, 0));
	ASSERT_OK(set_iopl(0));
	EXPECT_FALSE(port_readable());
	ASSERT_OK(HYPERVISOR_vm_assist(VMASST_CMD_enable,
				       VMASST_TYPE_architectural_iopl));
	EXPECT_TRUE(port_readable());
	EXPECT_OK(HYPERVISOR_vm_assist(VMASST_CMD_disable,
				       VMASST_TYPE_architectural_iopl));
	EXPECT_FALSE(port_readable());
}

TEST(physdev_op, set_iopl_refused)
{
	EXPECT_ERR(set_iopl(4), -EINVAL);
	EXPECT_ERR(set_iopl(~0U), -EINVAL);
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
		EXPECT_ERR_PTR(HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl,
						     bad_pointers[j]),
			       -EFAULT, "set_iopl", bad_pointers[j]);
}

/* The I/O bitmap grants single ports at IOPL 0 (a clear bit allows). */
TEST(physdev_op, set_iobitmap)
{
	static uint8_t bitmap[65536 / 8];

	memset(bitmap, 0xff, sizeof(bitmap));
	ASSERT_OK(set_iopl(0));
	ASSERT_OK(set_iobitmap(bitmap, 0x100));
	EXPECT_FALSE(port_readable());
	bitmap[IO_PORT / 8] &= (uint8_t) ~(1U << (IO_PORT % 8));
	EXPECT_TRUE(port_readable());
	/* A limit that stops short of the port: refused again. */
	ASSERT_OK(set_iobitmap(bitmap, IO_PORT));
	EXPECT_FALSE(port_readable());
	EXPECT_OK(set_iobitmap(bitmap, 65536));
	EXPECT_TRUE(port_readable());
	EXPECT_OK(set_iobitmap(NULL, 0));
	EXPECT_FALSE(port_readable());
}

/*
 * More ports than exist, or a bitmap that does not start in guest space
 * (in the hypervisor's range, or non-canonical): -EINVAL. Only where
 * the bitmap starts is checked; reading it later is checked again. An
 * unreadable argument: -EFAULT.
 */
TEST(physdev_op, set_iobitmap_refused)
{
	static uint8_t bitmap[65536 / 8];

	EXPECT_ERR(set_iobitmap(bitmap, 65537), -EINVAL);
	EXPECT_ERR(set_iobitmap(bad_pointers[1], 16), -EINVAL);
	EXPECT_ERR(set_iobitmap((uint8_t *)0xFFFF87FFFFFFF000UL, 16), -EINVAL);
	EXPECT_ERR(set_iobitmap(bad_pointers[2], 16), -EINVAL);
	EXPECT_ERR(set_iobitmap((uint8_t *)(1UL << 63), 16), -EINVAL);
	for (size_t j = 0; j < ARRAY_SIZE(bad_pointers); j++)
		EXPECT_ERR_PTR(HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap,
						     bad_pointers[j]),
			       -EFAULT, "set_iobitmap", bad_pointers[j]);
	EXPECT_OK(set_iobitmap(NULL, 0));
}

TEST(physdev_op, unknown_command)
{
	EXPECT_ERR(HYPERVISOR_physdev_op(1000, NULL), -ENOSYS);
	EXPECT_ERR(HYPERVISOR_physdev_op(-1, NULL), -ENOSYS);
}

/* Call slot nr of the hypercall page with no arguments. */
#define HYPERCALL_SLOT(nr)                                                     \
	({                                                                     \
		register long rax_ __asm__("rax");                             \
		register long rdi_ __asm__("rdi") = 0;                         \
		register long rsi_ __asm__("rsi") = 0;                         \
		register long rdx_ __asm__("rdx") = 0;                         \
		register long r10_ __asm__("r10") = 0;                         \
		register long r8_ __asm__("r8") = 0;                           \
		__asm__ __volatile__("call hypercall_page + %c[slot]"          \
				     : "=r"(rax_), "+r"(rdi_), "+r"(rsi_),     \
				       "+r"(rdx_), "+r"(r10_), "+r"(r8_)       \
				     : [slot] "i"((nr)*HYPERCALL_STUB_SIZE)    \
				     : "rcx", "r11", "memory");                \
		rax_;                                                          \
	})

/*
 * A hypercall by number, without the page (any 64-bit value fits rax),
 * with every argument 0.
 */
static long raw_hypercall(unsigned long nr)
{
	register unsigned long rax_ __asm__("rax") = nr;
	register long rdi_ __asm__("rdi") = 0;
	register long rsi_ __asm__("rsi") = 0;
	register long rdx_ __asm__("rdx") = 0;
	register long r10_ __asm__("r10") = 0;
	register long r8_ __asm__("r8") = 0;

	__asm__ __volatile__("syscall"
			     : "+r"(rax_), "+r"(rdi_), "+r"(rsi_), "+r"(rdx_),
			       "+r"(r10_), "+r"(r8_)
			     :
			     : "rcx", "r11", "memory");
	return (long)rax_;
}

/* Numbers Xen leaves unassigned, inside and past the hypercall page. */
TEST(hypercall, unknown_numbers)
{
	EXPECT_ERR(HYPERCALL_SLOT(11), -ENOSYS);
	EXPECT_ERR(HYPERCALL_SLOT(45), -ENOSYS);
	EXPECT_ERR(HYPERCALL_SLOT(63), -ENOSYS);
	EXPECT_ERR(HYPERCALL_SLOT(127), -ENOSYS);
	EXPECT_ERR(raw_hypercall(128), -ENOSYS);
	EXPECT_ERR(raw_hypercall(0x100000011UL), -ENOSYS);
	EXPECT_ERR(raw_hypercall(1UL << 63), -ENOSYS);
}

/* The raw path works for a known number too (the control). */
TEST(hypercall, raw_known_number)
{
	EXPECT_EQ(raw_hypercall(__HYPERVISOR_xen_version), (4 << 16) | 17);
}
