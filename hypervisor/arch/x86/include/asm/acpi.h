/*
 * What the ACPI tables say about this machine's CPUs and interrupt
 * hardware, read at boot by acpi_init().
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <hv/bootinfo.h>
#include <hv/percpu.h>

#define MAX_IOAPICS 8
#define MAX_IRQ_OVERRIDES 16

struct acpi_info {
	bool present;
	uint8_t revision;
	char oem_id[7];
	paddr_t rsdp, root; /* root: the XSDT, or the RSDT */
	bool root_is_xsdt;

	paddr_t lapic_addr;
	unsigned int nr_cpus;
	uint32_t cpu_apic_ids[NR_CPUS];

	unsigned int nr_ioapics;
	struct {
		uint8_t id;
		paddr_t addr;
		uint32_t gsi_base;
	} ioapics[MAX_IOAPICS];

	unsigned int nr_overrides;
	struct {
		uint8_t bus_irq;
		uint32_t gsi;
		uint16_t flags;
	} overrides[MAX_IRQ_OVERRIDES];

	bool have_hpet;
	paddr_t hpet_addr;
};

extern struct acpi_info acpi;

// arch/x86/acpi.c
void acpi_init(const struct boot_info *bi);

#endif /* ASM_ACPI_H */
