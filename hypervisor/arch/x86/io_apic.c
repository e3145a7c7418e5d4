/*
 * The IO-APIC: routes each global system interrupt (GSI) of the machine
 * to a vector on a CPU. Every pin starts masked; a pin is programmed only
 * when dom0 binds its physical IRQ (pirq.c). ISA IRQs map to GSIs through
 * the interrupt-source overrides of the ACPI MADT (default: same number,
 * edge-triggered, active high).
 */
#include <hv/lib.h>

#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/irq.h>
#include <asm/paging.h>
#include <asm/spinlock.h>

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL(pin) (0x10 + 2 * (pin))

#define RTE_MASKED (1U << 16)
#define RTE_LEVEL (1U << 15)
#define RTE_ACTIVE_LOW (1U << 13)

#define MADT_POLARITY_LOW 3	    /* flags bits 1:0 */
#define MADT_TRIGGER_LEVEL (3 << 2) /* flags bits 3:2 */

struct ioapic {
	volatile uint8_t *regs;
	uint32_t gsi_base;
	unsigned int nr_pins;
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics, nr_gsis;
static DEFINE_SPINLOCK(ioapic_lock);

static uint32_t ioapic_read(struct ioapic *a, unsigned int reg)
{
	mmio_write32(a->regs + IOREGSEL, reg);
	return mmio_read32(a->regs + IOWIN);
}

static void ioapic_write(struct ioapic *a, unsigned int reg, uint32_t v)
{
	mmio_write32(a->regs + IOREGSEL, reg);
	mmio_write32(a->regs + IOWIN, v);
}

static struct ioapic *ioapic_of(unsigned int gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		struct ioapic *a = &ioapics[i];

		if (gsi >= a->gsi_base && gsi < a->gsi_base + a->nr_pins) {
			*pin = gsi - a->gsi_base;
			return a;
		}
	}
	return NULL;
}

/* Map every IO-APIC the MADT lists and mask all its pins. */
void ioapic_init(void)
{
	for (unsigned int i = 0; i < acpi.nr_ioapics; i++) {
		struct ioapic *a = &ioapics[nr_ioapics];

		a->regs = ioremap(acpi.ioapics[i].addr, 0x20, PAGE_HV_UC);
		if (!a->regs)
			continue;
		a->gsi_base = acpi.ioapics[i].gsi_base;
		a->nr_pins = ((ioapic_read(a, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (unsigned int p = 0; p < a->nr_pins; p++) {
			ioapic_write(a, IOAPIC_REDTBL(p), RTE_MASKED);
			ioapic_write(a, IOAPIC_REDTBL(p) + 1, 0);
		}
		nr_gsis = MAX(nr_gsis,
			      MIN(a->gsi_base + a->nr_pins, (uint32_t)NR_GSIS));
		nr_ioapics++;
		pr_info("IO-APIC %u: GSIs %u-%u\n", acpi.ioapics[i].id,
			a->gsi_base, a->gsi_base + a->nr_pins - 1);
	}
}

/* How many GSIs the IO-APICs provide. */
unsigned int ioapic_nr_gsis(void)
{
	return nr_gsis;
}

/*
 * Send GSI gsi to vector on the CPU with APIC ID dest_apic, with the
 * given trigger mode and polarity; the pin stays masked until
 * ioapic_mask(gsi, false).
 */
int ioapic_route(unsigned int gsi, uint8_t vector, uint32_t dest_apic,
		 bool level, bool active_low)
{
	unsigned int pin;
	struct ioapic *a = ioapic_of(gsi, &pin);
	uint32_t lo = vector | RTE_MASKED | (level ? RTE_LEVEL : 0) |
		      (active_low ? RTE_ACTIVE_LOW : 0);
	unsigned long flags;

	if (!a)
		return -EINVAL;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(a, IOAPIC_REDTBL(pin) + 1, dest_apic << 24);
	ioapic_write(a, IOAPIC_REDTBL(pin), lo);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

/* Mask or unmask a GSI's pin. */
void ioapic_mask(unsigned int gsi, bool masked)
{
	unsigned int pin;
	struct ioapic *a = ioapic_of(gsi, &pin);
	unsigned long flags;
	uint32_t lo;

	if (!a)
		return;
	flags = spin_lock_irqsave(&ioapic_lock);
	lo = ioapic_read(a, IOAPIC_REDTBL(pin));
	lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
	ioapic_write(a, IOAPIC_REDTBL(pin), lo);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

/*
 * The GSI of ISA IRQ irq, with its trigger mode and polarity, after the
 * MADT's overrides.
 */
unsigned int isa_irq_to_gsi(unsigned int irq, bool *level, bool *active_low)
{
	*level = false;
	*active_low = false;
	for (unsigned int i = 0; i < acpi.nr_overrides; i++) {
		if (acpi.overrides[i].bus_irq != irq)
			continue;
		*active_low = (acpi.overrides[i].flags & 3) ==
			      MADT_POLARITY_LOW;
		*level = (acpi.overrides[i].flags & 0xc) == MADT_TRIGGER_LEVEL;
		return acpi.overrides[i].gsi;
	}
	return irq;
}
