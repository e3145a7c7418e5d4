/*
 * The IDT and the first-level dispatch of every vector. Exceptions raised
 * by the hypervisor itself are fatal: a register dump, a backtrace and a
 * halt. NMIs are reported and survived. Device and APIC vectors go to the
 * handler registered with set_irq_handler().
 *
 * All gates are DPL 0 except #BP and #OF (DPL 3), as in Xen: an "int n"
 * from a PV guest kernel in ring 3 raises #GP, and the hypervisor decides
 * from the guest's own trap table whether to deliver it.
 */
#include <hv/lib.h>
#include <hv/percpu.h>
#include <hv/shutdown.h>
#include <hv/traps.h>

#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/percpu.h>
#include <asm/pv.h>

extern const char vector_stubs[];

static struct idt_gate idt[NR_VECTORS] __aligned(16);
static irq_handler_t irq_handlers[NR_VECTORS];

static const char *const exc_names[X86_NR_EXCEPTIONS] = {
	[X86_EXC_DE] = "divide error",
	[X86_EXC_DB] = "debug",
	[X86_EXC_NMI] = "NMI",
	[X86_EXC_BP] = "breakpoint",
	[X86_EXC_OF] = "overflow",
	[X86_EXC_BR] = "bound range",
	[X86_EXC_UD] = "invalid opcode",
	[X86_EXC_NM] = "device not available",
	[X86_EXC_DF] = "double fault",
	[9] = "coprocessor segment overrun",
	[X86_EXC_TS] = "invalid TSS",
	[X86_EXC_NP] = "segment not present",
	[X86_EXC_SS] = "stack-segment fault",
	[X86_EXC_GP] = "general protection fault",
	[X86_EXC_PF] = "page fault",
	[X86_EXC_MF] = "x87 floating-point error",
	[X86_EXC_AC] = "alignment check",
	[X86_EXC_MC] = "machine check",
	[X86_EXC_XM] = "SIMD floating-point error",
	[20] = "virtualization exception",
	[21] = "control protection",
};

/* Human name of an exception vector. */
const char *exception_name(unsigned int vector)
{
	if (vector < X86_NR_EXCEPTIONS && exc_names[vector])
		return exc_names[vector];
	return vector < X86_NR_EXCEPTIONS ? "reserved exception" : "interrupt";
}

static void set_gate(unsigned int vec, unsigned int dpl, unsigned int ist)
{
	uintptr_t addr = (uintptr_t)vector_stubs + vec * 16;

	idt[vec] = (struct idt_gate){
		.offset_lo = addr & 0xffff,
		.selector = HYPERVISOR_CS,
		.ist = ist,
		.type_attr = 0x8e | (dpl << 5),
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_hi = addr >> 32,
	};
}

/* Build the IDT once and load it on this CPU (call again on each CPU). */
void trap_init(void)
{
	static bool built;
	struct desc_ptr p = {sizeof(idt) - 1, (uintptr_t)idt};

	if (!built) {
		for (unsigned int v = 0; v < NR_VECTORS; v++)
			set_gate(v, 0, 0);
		set_gate(X86_EXC_BP, 3, 0);
		set_gate(X86_EXC_OF, 3, 0);
		set_gate(X86_EXC_NMI, 0, IST_NMI);
		set_gate(X86_EXC_DF, 0, IST_DF);
		set_gate(X86_EXC_MC, 0, IST_MC);
		built = true;
	}
	lidt(&p);
}

/* After a trap from a guest: leave through the primary stack. */
void ret_from_guest_trap(void)
{
	reset_stack_and_jump(get_cpu_info()->stack_block, exit_to_guest);
}

/* Route a device or APIC vector to fn (NULL: unhandled). */
void set_irq_handler(unsigned int vector, irq_handler_t fn)
{
	ASSERT(vector >= X86_NR_EXCEPTIONS && vector < NR_VECTORS);
	irq_handlers[vector] = fn;
}

/* Report an exception that cannot be survived, and halt. */
void fatal_trap(const struct cpu_user_regs *regs, const char *why)
{
	unsigned int vec = regs->entry_vector;

	local_irq_disable();
	printk_force_unlock();
	pr_err("****************************************\n");
	pr_err("Panic on CPU %u:\n", smp_processor_id());
	pr_err("FATAL TRAP: vector %u (%s)%s%s\n", vec, exception_name(vec),
	       why ? ", " : "", why ? why : "");
	pr_err("****************************************\n");
	show_registers(regs);
	show_backtrace(regs->rip, regs->rbp);
	machine_halt(true);
}

static void do_nmi(struct cpu_user_regs *regs)
{
	pr_warn("NMI received on CPU %u at %016lx; continuing\n",
		smp_processor_id(), regs->rip);
}

static void do_double_fault(struct cpu_user_regs *regs)
{
	uintptr_t block = get_cpu_info()->stack_block;
	uintptr_t guard = block + STACK_GUARD_PAGE * 4096;

	/* An overflow of the primary stack ends in its guard page. */
	if (regs->rsp >= guard - 512 && regs->rsp < guard + 4096 + 512)
		fatal_trap(regs, "stack overflow");
	fatal_trap(regs, NULL);
}

static void do_exception(struct cpu_user_regs *regs)
{
	uintptr_t fixup;

	switch (regs->entry_vector) {
	case X86_EXC_NMI: do_nmi(regs); return;
	case X86_EXC_DF: do_double_fault(regs); return;
	case X86_EXC_MC: fatal_trap(regs, "machine check");
	default: break;
	}
	if ((regs->cs & 3) != 0) {
		pv_do_trap(regs); /* a guest's exception */
		return;
	}
	/* A guest-memory access (or return to a guest) that faulted. */
	fixup = search_exception_table(regs->rip);
	if (fixup) {
		regs->rip = fixup;
		return;
	}
	fatal_trap(regs, "in hypervisor");
}

/* First-level handler of every vector; called from entry.S. */
void do_interrupt(struct cpu_user_regs *regs)
{
	unsigned int vec = regs->entry_vector;

	/*
	 * A guest interrupted by an IST vector (NMI) left its frame on the
	 * IST stack: move it to the CPU's guest frame, where the way back to
	 * the guest (ret_from_guest_trap) takes it from.
	 */
	if ((regs->cs & 3) && regs != guest_cpu_user_regs()) {
		*guest_cpu_user_regs() = *regs;
		regs = guest_cpu_user_regs();
	}

	if (vec < X86_NR_EXCEPTIONS) {
		do_exception(regs);
		return;
	}
	if (irq_handlers[vec]) {
		irq_handlers[vec](regs);
		return;
	}
	if (vec >= LEGACY_PIC_VECTOR_BASE && vec < LEGACY_PIC_VECTOR_BASE + 16)
		return; /* a spurious legacy-PIC interrupt: all lines masked */
	pr_warn("unexpected interrupt vector %#x on CPU %u\n", vec,
		smp_processor_id());
}
