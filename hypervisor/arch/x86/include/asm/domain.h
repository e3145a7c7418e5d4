/*
 * The x86 PV state of domains and vCPUs: what the hypervisor must keep to
 * run a 64-bit PV guest kernel in ring 3 and switch it between its kernel
 * and user modes.
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <paravane/addr_types.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

#include <asm/desc.h>

/* arch_vcpu.flags */
#define TF_kernel_mode (1UL << 0) /* the guest is in its kernel mode */

/* A trap waiting to be delivered to the guest. */
struct trap_bounce {
	bool pending;
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
};

struct arch_vcpu {
	/* Guest registers while the vCPU is not running. */
	struct cpu_user_regs user_regs;
	unsigned long flags; /* TF_* */

	/* Top-level page tables; each holds a type reference. */
	mfn_t guest_table, guest_table_user; /* INVALID_MFN_RAW if none */

	/* Guest kernel stack for traps from user mode (stack_switch). */
	unsigned long kernel_ss, kernel_sp;

	/* The virtual IDT (set_trap_table) and callbacks (callback_op). */
	struct trap_info trap_ctxt[256];
	unsigned long event_callback, failsafe_callback;
	unsigned long syscall_callback, syscall32_callback, sysenter_callback;
	unsigned long callback_flags; /* bit per CALLBACKTYPE_*: mask events */
	bool syscall32_disables_events, sysenter_disables_events;

	/* Segment state of the guest. */
	unsigned long fs_base, gs_base_kernel, gs_base_user;
	uint16_t ds, es, fs, gs;

	/* The guest's GDT frames (set_gdt). */
	unsigned long gdt_frames[FIRST_RESERVED_GDT_PAGE];
	unsigned int gdt_ents;
	int gdt_mapped_cpu; /* CPU whose reserved page is in the window */

	/* FPU: eager save/restore; virtual CR0.TS from fpu_taskswitch. */
	uint8_t fpu_ctxt[512] __attribute__((aligned(16)));
	bool fpu_initialised;
	bool virtual_ts;
	unsigned long virtual_cr2;

	/* I/O: virtual IOPL and the guest's I/O bitmap (physdev_op). */
	unsigned int iopl;
	unsigned long iobmp;	  /* guest virtual address */
	unsigned int iobmp_limit; /* ports covered */

	unsigned long dr6, dr7;
	struct trap_bounce trap_bounce;
};

struct arch_domain {
	/* L3 table of L4 slot 260 for this domain: GDT windows. */
	uint64_t *perdomain_l3;
	uint64_t *perdomain_l2;
	uint64_t *perdomain_l1[2]; /* 16 vCPUs' windows per L1 */
	bool ioports_allowed; /* dom0: every port not reserved by Paravane */
	bool iomem_allowed;   /* dom0: may map non-RAM frames */
};

#endif /* ASM_DOMAIN_H */
