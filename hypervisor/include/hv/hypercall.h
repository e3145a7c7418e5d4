/*
 * Every hypercall handler, grouped by the file that implements it. The
 * table that maps Xen's hypercall numbers to them is in
 * arch/x86/pv/hypercall.c; each family follows Xen's naming, from the
 * sub-operation through its argument structure to its worker.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/lib.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>
#include <xen/xen.h>

// arch/x86/pv/callback.c
long do_set_trap_table(XEN_GUEST_HANDLE_PARAM(const_trap_info_t) traps);
long do_callback_op(int cmd, XEN_GUEST_HANDLE_PARAM(const_void) arg);
long do_set_callbacks(unsigned long event, unsigned long failsafe,
		      unsigned long syscall);
long do_stack_switch(unsigned long ss, unsigned long esp);
long do_fpu_taskswitch(int set);
long do_set_segment_base(unsigned int which, unsigned long base);
long do_vm_assist(unsigned int cmd, unsigned int type);

// arch/x86/pv/iret.c
long do_iret(void);

// arch/x86/pv/descriptor.c
long do_set_gdt(XEN_GUEST_HANDLE_PARAM(xen_ulong_t) frame_list,
		unsigned int entries);
long do_update_descriptor(uint64_t ma, uint64_t desc);

// arch/x86/pv/mmu.c
long do_mmu_update(XEN_GUEST_HANDLE_PARAM(mmu_update_t) ureqs,
		   unsigned int count, XEN_GUEST_HANDLE_PARAM(uint) pdone,
		   unsigned int foreigndom);
long do_mmuext_op(XEN_GUEST_HANDLE_PARAM(mmuext_op_t) uops, unsigned int count,
		  XEN_GUEST_HANDLE_PARAM(uint) pdone, unsigned int foreigndom);
long do_update_va_mapping(unsigned long va, uint64_t val, unsigned long flags);
long do_update_va_mapping_otherdomain(unsigned long va, uint64_t val,
				      unsigned long flags, domid_t domid);

// arch/x86/pv/physdev.c
long do_physdev_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg);

// common/memory.c
long do_memory_op(unsigned long cmd, XEN_GUEST_HANDLE_PARAM(void) arg);

// common/multicall.c
long do_multicall(XEN_GUEST_HANDLE_PARAM(multicall_entry_t) call_list,
		  unsigned int nr_calls);

// common/version.c
long do_xen_version(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg);

// common/console_io.c
long do_console_io(unsigned int cmd, unsigned int count,
		   XEN_GUEST_HANDLE_PARAM(char) buffer);

// common/event_channel.c (declared in hv/event.h)

// common/grant_table.c (declared in hv/grant_table.h)

// common/vcpu_op.c
long do_vcpu_op(int cmd, unsigned int vcpuid, XEN_GUEST_HANDLE_PARAM(void) arg);

// common/domctl.c
long do_domctl(XEN_GUEST_HANDLE_PARAM(xen_domctl_t) u_domctl);
struct domain *domain_at_or_after(domid_t id);
struct xen_domctl_getdomaininfo;
void getdomaininfo(struct domain *d, struct xen_domctl_getdomaininfo *info);

// common/sysctl.c
long do_sysctl(XEN_GUEST_HANDLE_PARAM(xen_sysctl_t) u_sysctl);

// common/sched_op.c
long do_sched_op(int cmd, XEN_GUEST_HANDLE_PARAM(void) arg);
long do_sched_op_compat(int cmd, unsigned long arg);

#endif /* HV_HYPERCALL_H */
