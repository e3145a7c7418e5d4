/*
 * Hypercall wrappers, one HYPERVISOR_<name>() per Xen hypercall.
 *
 * Xen fills the hypercall page (arch/x86/head.S) with one 32-byte stub
 * per hypercall number; calling slot nr*32 makes hypercall nr.
 * Arguments go in rdi, rsi, rdx, r10 and r8 and the result comes back
 * in rax: 0 (or a count) on success, a negative Xen errno on failure. The
 * stub's syscall clobbers rcx and r11, and Xen may clobber the argument
 * registers, so all five are in/out operands of every call.
 *
 * The iret hypercall is not here: its stub never returns, and only the
 * trap return path (arch/x86/entry.S) jumps to it.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <guest/xen.h>
#include <paravane/compiler.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>

/* The page Xen fills with hypercall stubs (named by the HYPERCALL_PAGE note). */
extern char hypercall_page[];

#define HYPERCALL_STUB_SIZE 32

/* Make hypercall __HYPERVISOR_<name> with five arguments; evaluates to long. */
#define HYPERCALL(name, a1, a2, a3, a4, a5)                                    \
	({                                                                     \
		register long rax_ __asm__("rax");                             \
		register long rdi_ __asm__("rdi") = (long)(a1);                \
		register long rsi_ __asm__("rsi") = (long)(a2);                \
		register long rdx_ __asm__("rdx") = (long)(a3);                \
		register long r10_ __asm__("r10") = (long)(a4);                \
		register long r8_ __asm__("r8") = (long)(a5);                  \
		__asm__ __volatile__("call hypercall_page + %c[slot]"          \
				     : "=r"(rax_), "+r"(rdi_), "+r"(rsi_),     \
				       "+r"(rdx_), "+r"(r10_), "+r"(r8_)       \
				     : [slot] "i"(__HYPERVISOR_##name *        \
						  HYPERCALL_STUB_SIZE)         \
				     : "rcx", "r11", "memory");                \
		rax_;                                                          \
	})

static inline int HYPERVISOR_set_trap_table(const trap_info_t *table)
{
	return (int)HYPERCALL(set_trap_table, table, 0, 0, 0, 0);
}

static inline int HYPERVISOR_mmu_update(mmu_update_t *req, unsigned int count,
					unsigned int *done, domid_t domid)
{
	return (int)HYPERCALL(mmu_update, req, count, done, domid, 0);
}

static inline int HYPERVISOR_set_gdt(unsigned long *frames,
				     unsigned int entries)
{
	return (int)HYPERCALL(set_gdt, frames, entries, 0, 0, 0);
}

static inline int HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{
	return (int)HYPERCALL(stack_switch, ss, sp, 0, 0, 0);
}

static inline int HYPERVISOR_set_callbacks(unsigned long event,
					   unsigned long failsafe,
					   unsigned long syscall)
{
	return (int)HYPERCALL(set_callbacks, event, failsafe, syscall, 0, 0);
}

static inline int HYPERVISOR_fpu_taskswitch(int set)
{
	return (int)HYPERCALL(fpu_taskswitch, set, 0, 0, 0, 0);
}

static inline int HYPERVISOR_update_descriptor(uint64_t maddr, uint64_t desc)
{
	return (int)HYPERCALL(update_descriptor, maddr, desc, 0, 0, 0);
}

static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
	return HYPERCALL(memory_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_multicall(multicall_entry_t *calls,
				       unsigned int count)
{
	return (int)HYPERCALL(multicall, calls, count, 0, 0, 0);
}

static inline int HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte,
					       unsigned long flags)
{
	return (int)HYPERCALL(update_va_mapping, va, pte, flags, 0, 0);
}

static inline long HYPERVISOR_set_timer_op(uint64_t timeout)
{
	return HYPERCALL(set_timer_op, timeout, 0, 0, 0, 0);
}

static inline int HYPERVISOR_xen_version(int cmd, void *arg)
{
	return (int)HYPERCALL(xen_version, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
	return (int)HYPERCALL(console_io, cmd, count, buf, 0, 0);
}

static inline int HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
					    unsigned int count)
{
	return (int)HYPERCALL(grant_table_op, cmd, uop, count, 0, 0);
}

static inline int HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{
	return (int)HYPERCALL(vm_assist, cmd, type, 0, 0, 0);
}

static inline int HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return (int)HYPERCALL(vcpu_op, cmd, vcpu, arg, 0, 0);
}

static inline int HYPERVISOR_set_segment_base(int reg, unsigned long value)
{
	return (int)HYPERCALL(set_segment_base, reg, value, 0, 0, 0);
}

static inline int HYPERVISOR_mmuext_op(mmuext_op_t *op, unsigned int count,
				       unsigned int *done, domid_t domid)
{
	return (int)HYPERCALL(mmuext_op, op, count, done, domid, 0);
}

static inline int HYPERVISOR_sched_op(int cmd, void *arg)
{
	return (int)HYPERCALL(sched_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_callback_op(int cmd, const void *arg)
{
	return (int)HYPERCALL(callback_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return (int)HYPERCALL(event_channel_op, cmd, arg, 0, 0, 0);
}

static inline int HYPERVISOR_physdev_op(int cmd, void *arg)
{
	return (int)HYPERCALL(physdev_op, cmd, arg, 0, 0, 0);
}

#endif /* GUEST_HYPERCALL_H */
