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

	paddr_t dsdt;		     /* from the FADT; 0 if none */
	uint16_t pm1a_cnt, pm1b_cnt; /* PM1 control ports; 0 if none */
};

/* The header every ACPI table starts with. */
struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

extern struct acpi_info acpi;

// arch/x86/acpi.c
void acpi_init(const struct boot_info *bi);
const struct acpi_header *acpi_map_table(paddr_t pa);

// arch/x86/acpi_poweroff.c
bool acpi_power_off(void);

#endif /* ASM_ACPI_H */
