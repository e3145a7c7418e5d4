/*
 * The local APIC in xAPIC mode, and the legacy PICs, which are remapped
 * above the exceptions and fully masked: every interrupt Paravane takes
 * comes through the local APIC (and, for devices, the IO-APIC).
 *
 * The APIC timer runs one-shot and is programmed for the earliest timer of
 * this CPU (reprogram_timer). When the CPU has TSC-deadline mode, the
 * deadline is written in TSC ticks; otherwise the APIC timer's rate is
 * measured against the TSC at boot and the deadline becomes a count.
 */
#include <hv/lib.h>
#include <hv/softirq.h>
#include <hv/timer.h>
#include <hv/traps.h>

#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/processor.h>

#define APIC_ID 0x020
#define APIC_VERSION 0x030
#define APIC_TPR 0x080
#define APIC_EOI 0x0b0
#define APIC_SVR 0x0f0
#define APIC_ESR 0x280
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_INITIAL 0x380
#define APIC_TIMER_CURRENT 0x390
#define APIC_TIMER_DIVIDE 0x3e0

#define SVR_ENABLE 0x100
#define LVT_MASKED (1U << 16)
#define LVT_NMI (4U << 8)
#define LVT_TIMER_TSC_DEADLINE (2U << 17)
#define ICR_SELF_NMI ((1U << 18) | (4U << 8)) /* shorthand self, NMI */
#define ICR_INIT (5U << 8)
#define ICR_STARTUP (6U << 8)
#define ICR_LEVEL_ASSERT (1U << 14)
#define ICR_BUSY (1U << 12)
#define TIMER_DIVIDE_BY_1 0xb

static volatile uint8_t *lapic;
static uint64_t timer_hz; /* APIC timer ticks per second */
static bool use_tsc_deadline;
static struct time_scale ns_to_ticks, ns_to_tsc;

static uint32_t lapic_read(unsigned int reg)
{
	return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(lapic + reg, v);
}

/* Remap both 8259s to LEGACY_PIC_VECTOR_BASE and mask every line. */
void pic_disable(void)
{
	outb(0x20, 0x11); /* ICW1: edge, cascade, ICW4 */
	outb(0xa0, 0x11);
	outb(0x21, LEGACY_PIC_VECTOR_BASE);
	outb(0xa1, LEGACY_PIC_VECTOR_BASE + 8);
	outb(0x21, 4); /* slave on IRQ2 */
	outb(0xa1, 2);
	outb(0x21, 1); /* 8086 mode */
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void spurious_interrupt(struct cpu_user_regs *regs)
{
	/* No EOI for a spurious interrupt. */
}

static void apic_error_interrupt(struct cpu_user_regs *regs)
{
	uint32_t esr;

	lapic_write(APIC_ESR, 0);
	esr = lapic_read(APIC_ESR);
	lapic_eoi();
	pr_warn("APIC error on CPU: ESR %#x\n", esr);
}

static void timer_interrupt(struct cpu_user_regs *regs)
{
	lapic_eoi();
	raise_softirq(TIMER_SOFTIRQ);
}

/* Enable and configure this CPU's local APIC. */
void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	if (!(boot_cpu.leaf1_edx & CPUID1_EDX_APIC))
		panic("apic: this CPU has no local APIC\n");
	if (!lapic) {
		lapic = ioremap(_paddr(base & APIC_BASE_ADDR_MASK), PAGE_SIZE,
				PAGE_HV_UC);
		if (!lapic)
			panic("apic: cannot map the local APIC\n");
		set_irq_handler(SPURIOUS_VECTOR, spurious_interrupt);
		set_irq_handler(APIC_ERROR_VECTOR, apic_error_interrupt);
		set_irq_handler(TIMER_VECTOR, timer_interrupt);
	}
	wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_ENABLE);

	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_SVR, SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
	lapic_write(APIC_LVT_LINT1,
		    (base & APIC_BASE_BSP) ? LVT_NMI : LVT_MASKED);
	lapic_write(APIC_LVT_ERROR, APIC_ERROR_VECTOR);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
	lapic_eoi();
	this_cpu()->apic_id = lapic_id();
}

/* Signal the end of the current interrupt. */
void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

/* This CPU's APIC ID. */
uint32_t lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

/* Send this CPU an NMI (used by self-tests). */
void lapic_send_self_nmi(void)
{
	lapic_write(APIC_ICR_HI, 0);
	lapic_write(APIC_ICR_LO, ICR_SELF_NMI);
}

static void send_icr(uint32_t apic_id, uint32_t lo)
{
	for (unsigned int spins = 0; spins < 1000000; spins++)
		if (!(lapic_read(APIC_ICR_LO) & ICR_BUSY))
			break;
	lapic_write(APIC_ICR_HI, apic_id << 24);
	lapic_write(APIC_ICR_LO, lo);
}

/* Send a fixed interrupt to the CPU with this APIC ID. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	unsigned long flags = local_irq_save();

	send_icr(apic_id, vector);
	local_irq_restore(flags);
}

/* Send INIT to a CPU that is to be started. */
void lapic_send_init(uint32_t apic_id)
{
	send_icr(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
}

/* Send a start-up IPI: the CPU starts in real mode at page << 12. */
void lapic_send_startup(uint32_t apic_id, uint8_t page)
{
	send_icr(apic_id, ICR_STARTUP | page);
}

/* Measure the APIC timer against the TSC and pick the timer mode. */
void lapic_timer_init(void)
{
	const uint64_t window_us = 10000;
	uint64_t t0, t1, ticks;

	use_tsc_deadline = cpu_has_tsc_deadline();
	lapic_write(APIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
	if (timer_hz) { /* measured on the boot CPU; all run alike */
		lapic_write(APIC_LVT_TIMER,
			    TIMER_VECTOR |
				    (use_tsc_deadline ? LVT_TIMER_TSC_DEADLINE
						      : 0));
		return;
	}
	lapic_write(APIC_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
	lapic_write(APIC_TIMER_INITIAL, UINT32_MAX);
	t0 = rdtsc_ordered();
	udelay(window_us);
	ticks = UINT32_MAX - lapic_read(APIC_TIMER_CURRENT);
	t1 = rdtsc_ordered();
	lapic_write(APIC_TIMER_INITIAL, 0);

	timer_hz = ticks * tsc_hz() / (t1 - t0);
	if (!timer_hz)
		panic("apic: the APIC timer does not count\n");
	time_scale_init(&ns_to_ticks, 1000000000UL, timer_hz);
	time_scale_init(&ns_to_tsc, 1000000000UL, tsc_hz());
	lapic_write(APIC_LVT_TIMER,
		    TIMER_VECTOR |
			    (use_tsc_deadline ? LVT_TIMER_TSC_DEADLINE : 0));
	pr_info("APIC: local APIC %u, timer %lu.%03lu MHz, %s mode\n",
		lapic_id(), timer_hz / 1000000, (timer_hz / 1000) % 1000,
		use_tsc_deadline ? "TSC-deadline" : "one-shot");
}

/* The APIC timer's measured rate in Hz. */
uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

/* Interrupt this CPU at system time deadline (0: cancel). */
void reprogram_timer(s_time_t deadline)
{
	s_time_t delta;

	if (!lapic)
		return;
	if (!deadline) {
		if (use_tsc_deadline)
			wrmsr(MSR_IA32_TSC_DEADLINE, 0);
		else
			lapic_write(APIC_TIMER_INITIAL, 0);
		return;
	}
	delta = deadline - NOW();
	if (delta < MICROSECS(1))
		delta = MICROSECS(1);
	if (use_tsc_deadline) {
		wrmsr(MSR_IA32_TSC_DEADLINE,
		      rdtsc() + time_scale_apply((uint64_t)delta, &ns_to_tsc));
	} else {
		uint64_t ticks =
			time_scale_apply((uint64_t)delta, &ns_to_ticks);

		lapic_write(APIC_TIMER_INITIAL,
			    (uint32_t)MIN(MAX(ticks, 1UL),
					  (uint64_t)UINT32_MAX));
	}
}
