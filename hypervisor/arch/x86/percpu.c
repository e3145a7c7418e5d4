/*
 * Per-CPU descriptor state: stacks, TSS, GDT and the SYSCALL stubs.
 *
 * The boot CPU starts on a static stack block in .bss with a static GDT
 * (percpu_early_init_bsp), so that exceptions can be reported from the
 * first lines of C. Once the heap is up, every CPU gets its final state
 * (percpu_init_cpu) and moves onto it (percpu_load, reset_stack_and_jump):
 *
 *  - a stack block in the stack area, its guard page left unmapped;
 *  - a GDT mapped in the per-domain area of its idle vCPU: 14 pages that
 *    will hold a guest's own descriptors (until then a zero page, read
 *    only) and this CPU's reserved page with Xen's selectors and its TSS;
 *  - an executable stub page for SYSCALL: the instruction saves no state
 *    and keeps the guest's %rsp, so the stub parks %rax in the CPU's guest
 *    frame, switches to the CPU's stack and jumps to lstar_enter.
 */
#include <hv/lib.h>
#include <hv/mm.h>

#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>

struct percpu percpu_area[NR_CPUS];

extern char bsp_boot_stack[];
extern char lstar_enter[], cstar_enter[];

static uint64_t boot_gdt[GDT_PAGES * 512] __aligned(4096)
	__section(".bss.page_aligned");
void *gdt_zero_page;

static struct cpu_info *cpu_info_of(uintptr_t block)
{
	return (struct cpu_info *)(block + STACK_SIZE -
				   sizeof(struct cpu_info));
}

static void fill_reserved_gdt(uint64_t *r, const struct tss64 *tss)
{
	uint64_t base = (uintptr_t)tss, limit = sizeof(*tss) - 1;

	memset(r, 0, PAGE_SIZE);
	r[(HYPERVISOR_CS & 0xfff) / 8] = DESC_CODE64(0);
	r[(HYPERVISOR_DS & 0xfff) / 8] = DESC_DATA(0);
	r[(HYPERVISOR_CS32 & 0xfff) / 8] = DESC_CODE32(0);
	r[(FLAT_RING3_CS32 & 0xfff) / 8] = DESC_CODE32(3);
	r[(FLAT_RING3_DS32 & 0xfff) / 8] = DESC_DATA(3);
	r[(FLAT_RING3_CS64 & 0xfff) / 8] = DESC_CODE64(3);
	r[(TSS_SELECTOR & 0xfff) / 8] =
		(limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		(((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	r[(TSS_SELECTOR & 0xfff) / 8 + 1] = base >> 32;
}

static void init_tss(struct tss64 *tss, uintptr_t block)
{
	memset(tss, 0, sizeof(*tss));
	tss->rsp[0] = (uintptr_t)&cpu_info_of(block)->guest_regs.es;
	tss->ist[IST_NMI - 1] = stack_ist_top(block, IST_NMI);
	tss->ist[IST_DF - 1] = stack_ist_top(block, IST_DF);
	tss->ist[IST_MC - 1] = stack_ist_top(block, IST_MC);
	tss->iomap_base = sizeof(*tss); /* no I/O bitmap: all ports trap */
}

void load_gdt(uintptr_t base)
{
	struct desc_ptr p = {GDT_LIMIT, base};

	lgdt(&p);
	__asm__ __volatile__("pushq %[cs]\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "mov %[ds], %%eax\n\t"
			     "mov %%eax, %%ss\n\t"
			     "xor %%eax, %%eax\n\t"
			     "mov %%eax, %%ds\n\t"
			     "mov %%eax, %%es\n\t"
			     "mov %%eax, %%fs\n\t"
			     "mov %%eax, %%gs\n\t"
			     :
			     : [cs] "i"(HYPERVISOR_CS), [ds] "i"(HYPERVISOR_DS)
			     : "rax", "memory");
	ltr(TSS_SELECTOR);
	lldt(0);
}

/* Give the boot CPU a GDT, TSS and identity on its static boot stack. */
void percpu_early_init_bsp(void)
{
	struct percpu *pc = &percpu_area[0];
	uintptr_t block = (uintptr_t)bsp_boot_stack;

	pc->id = 0;
	pc->stack_block = block;
	cpu_info_of(block)->cpu_id = 0;
	cpu_info_of(block)->stack_block = block;
	init_tss(&pc->tss, block);
	fill_reserved_gdt(&boot_gdt[FIRST_RESERVED_GDT_ENTRY], &pc->tss);
	load_gdt((uintptr_t)boot_gdt);
}

static uint8_t *put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
	return p + sizeof(v);
}

/* movabs %rax,ss; mov %rsp,%rax; movabs $ss,%rsp; push %rax; jmp target */
static void write_syscall_stub(uint8_t *p, uintptr_t ss_slot, uintptr_t target)
{
	*p++ = 0x48, *p++ = 0xa3;
	p = put64(p, ss_slot);
	*p++ = 0x48, *p++ = 0x89, *p++ = 0xe0;
	*p++ = 0x48, *p++ = 0xbc;
	p = put64(p, ss_slot);
	*p++ = 0x50;
	*p++ = 0x48, *p++ = 0xb8;
	p = put64(p, target);
	*p++ = 0xff, *p++ = 0xe0;
}

static int map_stack_block(uintptr_t block)
{
	struct page_info *pg = alloc_heap_pages(STACK_ORDER);
	int rc = 0;

	if (!pg)
		return -ENOMEM;
	for (unsigned int i = 0; i < (1U << STACK_ORDER) && !rc; i++)
		if (i != STACK_GUARD_PAGE)
			rc = map_pages(block + i * PAGE_SIZE,
				       mfn_add(page_to_mfn(pg), i), 1,
				       PAGE_HV_RW);
	return rc;
}

static int map_gdt(unsigned int cpu, uint64_t *reserved)
{
	uintptr_t gdt = GDT_VIRT(cpu);
	int rc = 0;

	for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE && !rc; i++)
		rc = map_pages(gdt + i * PAGE_SIZE, virt_to_mfn(gdt_zero_page),
			       1, PAGE_HV_RO_LOCAL);
	if (!rc)
		rc = map_pages(gdt + FIRST_RESERVED_GDT_BYTE,
			       virt_to_mfn(reserved), 1, PAGE_HV_RW_LOCAL);
	return rc;
}

/*
 * Allocate and map the final per-CPU state of cpu (stacks, GDT, TSS,
 * SYSCALL stubs). Runs on any CPU; the CPU adopts it with percpu_load().
 */
int percpu_init_cpu(unsigned int cpu)
{
	struct percpu *pc = &percpu_area[cpu];
	uintptr_t block = STACKS_VIRT_START + (uintptr_t)cpu * STACK_SIZE;
	uintptr_t ss_slot = (uintptr_t)&cpu_info_of(block)->guest_regs.ss;
	uint8_t *stubs;
	int rc;

	if (!gdt_zero_page) {
		gdt_zero_page = alloc_xenheap_pages(0);
		if (!gdt_zero_page)
			return -ENOMEM;
		memset(gdt_zero_page, 0, PAGE_SIZE);
	}
	rc = map_stack_block(block);
	if (rc)
		return rc;
	memset(cpu_info_of(block), 0, sizeof(struct cpu_info));
	cpu_info_of(block)->cpu_id = cpu;
	cpu_info_of(block)->stack_block = block;

	pc->gdt_reserved = alloc_xenheap_pages(0);
	stubs = alloc_xenheap_pages(0);
	if (!pc->gdt_reserved || !stubs)
		return -ENOMEM;
	memset(stubs, 0xcc, PAGE_SIZE);
	write_syscall_stub(stubs + STUB_LSTAR_OFFSET, ss_slot,
			   (uintptr_t)lstar_enter);
	write_syscall_stub(stubs + STUB_CSTAR_OFFSET, ss_slot,
			   (uintptr_t)cstar_enter);
	rc = map_pages(STUBS_VIRT(cpu), virt_to_mfn(stubs), 1, PAGE_HV_RX);
	if (rc)
		return rc;

	pc->id = cpu;
	pc->stack_block = block;
	init_tss(&pc->tss, block);
	fill_reserved_gdt(pc->gdt_reserved, &pc->tss);
	return map_gdt(cpu, pc->gdt_reserved);
}

/* Load this CPU's final GDT, TSS and SYSCALL MSRs. */
void percpu_load(unsigned int cpu)
{
	load_gdt(GDT_VIRT(cpu));
	wrmsr(MSR_STAR, ((uint64_t)SYSRET_SELECTOR_BASE << 48) |
				((uint64_t)HYPERVISOR_CS << 32));
	wrmsr(MSR_LSTAR, STUBS_VIRT(cpu) + STUB_LSTAR_OFFSET);
	wrmsr(MSR_CSTAR, STUBS_VIRT(cpu) + STUB_CSTAR_OFFSET);
	wrmsr(MSR_FMASK, X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF |
				 X86_EFLAGS_NT | X86_EFLAGS_AC);
}

/* Continue in fn on the empty primary stack of the given block. */
void reset_stack_and_jump(uintptr_t block, void (*fn)(void))
{
	__asm__ __volatile__("mov %0, %%rsp\n\t"
			     "xor %%ebp, %%ebp\n\t"
			     "call *%1\n\t"
			     "ud2"
			     :
			     : "r"(stack_primary_top(block)), "r"(fn)
			     : "memory");
	__builtin_unreachable();
}
