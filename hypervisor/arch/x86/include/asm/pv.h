/*
 * PV guest support on x86: entering and leaving guests, delivering traps
 * and events into them, and the hypercall handlers of arch/x86/pv/.
 */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <hv/sched.h>
#include <paravane/compiler.h>
#include <xen/xen.h>

#include <asm/stack.h>

/* Flags for pv_create_bounce_frame(). */
#define TBF_EXCEPTION_ERRCODE (1U << 0) /* push an error code */
#define TBF_INTERRUPT (1U << 1)		/* mask events (upcall_mask = 1) */
#define TBF_FAILSAFE (1U << 2)		/* failsafe frame: data selectors too */

/* The register frame of the guest this CPU runs. */
static inline struct cpu_user_regs *guest_cpu_user_regs(void)
{
	return &get_cpu_info()->guest_regs;
}

static inline bool guest_kernel_mode(const struct vcpu *v)
{
	return v->arch.flags & TF_kernel_mode;
}

// arch/x86/domain.c
int arch_domain_create(struct domain *d);
void arch_domain_destroy(struct domain *d);
int arch_vcpu_create(struct vcpu *v);
void pv_map_gdt(struct vcpu *v);
void context_switch(struct vcpu *prev, struct vcpu *next) __noreturn;
void toggle_guest_mode(struct vcpu *v);
void write_guest_cr3(struct vcpu *v);
void pv_set_fpu_ts(struct vcpu *v, bool ts);

// arch/x86/entry.S
bool load_segment_selector(int which, uint16_t sel);
void exit_to_guest(void) __noreturn;

// arch/x86/entry.S
void restore_guest(struct cpu_user_regs *regs) __noreturn;
void restore_guest_sysret(struct cpu_user_regs *regs) __noreturn;

// arch/x86/pv/traps.c
int pv_create_bounce_frame(struct vcpu *v, struct cpu_user_regs *regs,
			   unsigned long target, unsigned int flags,
			   uint32_t error_code);
void pv_inject_trap(struct vcpu *v, struct cpu_user_regs *regs,
		    unsigned int vector, bool has_ec, uint32_t ec);
void pv_do_trap(struct cpu_user_regs *regs);
void pv_deliver_failsafe(struct vcpu *v, struct cpu_user_regs *regs);
void pv_iret_failed(void) __noreturn;
void show_guest_registers(const struct vcpu *v,
			  const struct cpu_user_regs *regs);

// arch/x86/pv/cpuid.c
struct cpuid_regs pv_guest_cpuid(uint32_t leaf, uint32_t subleaf);

// arch/x86/pv/mmu.c
int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn);
struct page_info *get_l1_of(struct vcpu *v, unsigned long va);

// arch/x86/pv/priv_op.c
bool pv_emulate_privileged_op(struct cpu_user_regs *regs);
bool pv_emulate_forced_cpuid(struct cpu_user_regs *regs);

// arch/x86/pv/vcpu_context.c
int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c);
void arch_get_info_guest(const struct vcpu *v, struct vcpu_guest_context *c);

// arch/x86/pv/descriptor.c
bool check_descriptor(uint64_t *desc);
long pv_set_gdt(struct vcpu *v, const unsigned long *frames,
		unsigned int entries);
void pv_destroy_gdt(struct vcpu *v);

// arch/x86/pv/hypercall.c
void do_syscall(struct cpu_user_regs *regs);
void hypercall_create_continuation(unsigned int op, unsigned int nargs,
				   const unsigned long *args);

#endif /* ASM_PV_H */
