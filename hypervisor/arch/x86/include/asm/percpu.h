/*
 * The x86 state each physical CPU owns: its stacks, TSS, GDT and SYSCALL
 * entry stubs. Set up by percpu_init_cpu() (percpu.c).
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <hv/percpu.h>
#include <paravane/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#include <asm/desc.h>
#include <asm/memlayout.h>

/* Per-vCPU GDT and LDT windows in the per-domain area (slot 260). */
#define GDT_LDT_VCPU_SHIFT 17
#define GDT_VIRT(vcpu)                                                         \
	(PERDOMAIN_VIRT_START + ((uintptr_t)(vcpu) << GDT_LDT_VCPU_SHIFT))
#define LDT_VIRT(vcpu) (GDT_VIRT(vcpu) + (1UL << (GDT_LDT_VCPU_SHIFT - 1)))

/* Each CPU's SYSCALL stubs: one executable page in the vmap area. */
#define STUBS_VIRT(cpu) (VMAP_VIRT_START + ((uintptr_t)(cpu) << PAGE_SHIFT))
#define STUB_LSTAR_OFFSET 0
#define STUB_CSTAR_OFFSET 64

struct percpu {
	unsigned int id;
	uint32_t apic_id;
	bool online;
	uintptr_t stack_block; /* STACKS_VIRT_START + id * STACK_SIZE */
	struct tss64 tss;
	uint64_t *gdt_reserved; /* this CPU's reserved GDT page */
};

extern struct percpu percpu_area[NR_CPUS];

static inline struct percpu *this_cpu(void)
{
	return &percpu_area[smp_processor_id()];
}

// arch/x86/percpu.c
void percpu_early_init_bsp(void);
int percpu_init_cpu(unsigned int cpu);
void percpu_load(unsigned int cpu);
void reset_stack_and_jump(uintptr_t stack_block, void (*fn)(void)) __noreturn;
void load_gdt(uintptr_t base);
extern void *gdt_zero_page;

#endif /* ASM_PERCPU_H */
