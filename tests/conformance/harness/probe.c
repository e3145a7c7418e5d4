/*
 * Probe stubs (see probe.h) and the trap-table helpers that go with them.
 *
 * The stubs are NR_PROBES entry points, 16 bytes apart; stub i records
 * i and joins probe_common. probe_reset_traps() puts back what pvguest's
 * traps_init() installed, so a test may change the virtual IDT and the
 * callbacks freely and undo everything at once.
 */
#include "probe.h"

#include <guest/hypercall.h>
#include <guest/irqflags.h>
#include <guest/percpu.h>
#include <guest/traps.h>
#include <xen/callback.h>

jmp_buf probe_resume;
volatile int probe_id = PROBE_NONE;
volatile uint64_t probe_rsp, probe_rflags;
volatile uint64_t probe_frame[PROBE_FRAME_WORDS];
volatile uint64_t probe_regs[NR_PROBE_REGS];
volatile uint64_t probe_peek_addr, probe_peek_val;
volatile uint64_t probe_peek_gs, probe_gs_val;

extern const char probe_stubs[];

__asm__(".pushsection .text\n"
	".balign 16\n"
	"probe_stubs:\n"
	".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,"
	"22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37\n"
	".balign 16\n"
	"movl $\\n, probe_id(%rip)\n"
	"jmp probe_common\n"
	".endr\n"
	"probe_common:\n"
	"mov %rsp, probe_rsp(%rip)\n"
	"pushfq\n"
	"popq probe_rflags(%rip)\n"
	"cld\n"
	"mov %rax, probe_regs + 8 * 0(%rip)\n"
	"mov %rbx, probe_regs + 8 * 1(%rip)\n"
	"mov %rcx, probe_regs + 8 * 2(%rip)\n"
	"mov %rdx, probe_regs + 8 * 3(%rip)\n"
	"mov %rsi, probe_regs + 8 * 4(%rip)\n"
	"mov %rdi, probe_regs + 8 * 5(%rip)\n"
	"mov %rbp, probe_regs + 8 * 6(%rip)\n"
	"mov %r8, probe_regs + 8 * 7(%rip)\n"
	"mov %r9, probe_regs + 8 * 8(%rip)\n"
	"mov %r10, probe_regs + 8 * 9(%rip)\n"
	"mov %r11, probe_regs + 8 * 10(%rip)\n"
	"mov %r12, probe_regs + 8 * 11(%rip)\n"
	"mov %r13, probe_regs + 8 * 12(%rip)\n"
	"mov %r14, probe_regs + 8 * 13(%rip)\n"
	"mov %r15, probe_regs + 8 * 14(%rip)\n"
	"lea probe_frame(%rip), %rdi\n"
	"mov %rsp, %rsi\n"
	"mov $16, %ecx\n"
	"rep movsq\n"
	"mov probe_peek_addr(%rip), %rax\n"
	"test %rax, %rax\n"
	"jz 1f\n"
	"mov (%rax), %rax\n"
	"mov %rax, probe_peek_val(%rip)\n"
	"1: cmpq $0, probe_peek_gs(%rip)\n"
	"je 2f\n"
	"mov %gs:0, %rax\n"
	"mov %rax, probe_gs_val(%rip)\n"
	"2: lea probe_resume(%rip), %rdi\n"
	"mov $1, %esi\n"
	"jmp longjmp\n"
	".popsection\n");

/* The address of probe stub id. */
unsigned long probe_entry(unsigned int id)
{
	return (unsigned long)probe_stubs + 16UL * (id % NR_PROBES);
}

/* Forget the last probe (and its peeks). */
void probe_clear(void)
{
	unsigned int i;

	probe_id = PROBE_NONE;
	probe_rsp = probe_rflags = 0;
	for (i = 0; i < PROBE_FRAME_WORDS; i++)
		probe_frame[i] = 0;
	for (i = 0; i < NR_PROBE_REGS; i++)
		probe_regs[i] = 0;
	probe_peek_addr = probe_peek_val = 0;
	probe_peek_gs = probe_gs_val = 0;
}

/* Point one trap-table vector at probe stub id; set_trap_table's result. */
int probe_install(unsigned int vector, unsigned int flags, unsigned int id)
{
	trap_info_t t[2] = {{
		.vector = (uint8_t)vector,
		.flags = (uint8_t)flags,
		.cs = FLAT_KERNEL_CS,
		.address = probe_entry(id),
	}};

	return HYPERVISOR_set_trap_table(t);
}

/* Register callback type at probe stub id; callback_op's result. */
int probe_set_callback(unsigned int type, unsigned int flags, unsigned int id)
{
	struct callback_register cb = {
		.type = (uint16_t)type,
		.flags = (uint16_t)flags,
		.address = probe_entry(id),
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

static void set_callback(unsigned int type, unsigned int flags,
			 unsigned long address)
{
	struct callback_register cb = {
		.type = (uint16_t)type,
		.flags = (uint16_t)flags,
		.address = address,
	};

	HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

/*
 * Put back pvguest's virtual IDT and callbacks (kernel/traps.c): clear
 * the table, install the exception stubs (#BP and #OF with DPL 3), the
 * event and failsafe callbacks, and no syscall or sysenter callback.
 */
void probe_reset_traps(void)
{
	trap_info_t t[NR_EXCEPTIONS + 1] = {{0}};
	unsigned int v, n = 0;

	HYPERVISOR_set_trap_table(NULL);
	for (v = 0; v < NR_EXCEPTIONS; v++) {
		if (!exception_entry[v])
			continue;
		t[n].vector = (uint8_t)v;
		t[n].flags = (v == TRAP_BP || v == TRAP_OF) ? TI_DPL(3)
							    : TI_DPL(0);
		t[n].cs = FLAT_KERNEL_CS;
		t[n].address = (unsigned long)exception_entry[v];
		n++;
	}
	HYPERVISOR_set_trap_table(t);
	set_callback(CALLBACKTYPE_event, 0, (unsigned long)hypervisor_callback);
	set_callback(CALLBACKTYPE_failsafe, CALLBACKF_mask_events,
		     (unsigned long)failsafe_callback);
	set_callback(CALLBACKTYPE_syscall, 0, 0);
	set_callback(CALLBACKTYPE_syscall32, 0, 0);
	set_callback(CALLBACKTYPE_sysenter, 0, 0);
}

void gs_borrow(struct gs_loan *l)
{
	l->irq_flags = local_irq_save();
	l->kernel_base = (unsigned long)this_cpu();
}

void gs_give_back(const struct gs_loan *l)
{
	(void)HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
	(void)HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, l->kernel_base);
	local_irq_restore(l->irq_flags);
}
