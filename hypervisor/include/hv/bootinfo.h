/*
 * What the boot loader told us, copied out of the multiboot2 information
 * structure into storage the hypervisor owns, so that the loader's memory
 * can be reused. Filled by mb2_parse() (common/multiboot2.c).
 */
#ifndef HV_BOOTINFO_H
#define HV_BOOTINFO_H

#include <hv/lib.h>
#include <paravane/addr_types.h>

#define MAX_MEM_REGIONS 128
#define MAX_BOOT_MODULES 16
#define BOOT_CMDLINE_LEN 1024
#define MODULE_CMDLINE_LEN                                                     \
	1024 /* MAX_GUEST_CMDLINE: all of it reaches start_info */
#define LOADER_NAME_LEN 64
#define RSDP_MAX_LEN 36

/* Memory region types, as in the multiboot2 (and E820) memory map. */
enum mem_type {
	MEM_AVAILABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIMABLE = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

struct mem_region {
	uint64_t addr;
	uint64_t len;
	uint32_t type; /* enum mem_type; other values are reserved */
};

struct boot_module {
	paddr_t start;
	uint64_t size;
	char cmdline[MODULE_CMDLINE_LEN];
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_LEN];
	char loader[LOADER_NAME_LEN];
	uint32_t mem_lower_kb, mem_upper_kb; /* basic meminfo, 0 if absent */

	unsigned int nr_mem;
	struct mem_region mem[MAX_MEM_REGIONS];
	bool mem_truncated; /* the map had more regions than we keep */

	unsigned int nr_mods;
	struct boot_module mods[MAX_BOOT_MODULES];
	bool mods_truncated;

	/* A copy of the ACPI RSDP (revision 0: 20 bytes; 2+: 36 bytes). */
	unsigned int rsdp_len;
	uint8_t rsdp[RSDP_MAX_LEN];
};

// common/multiboot2.c
int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi);
const char *mem_type_name(uint32_t type);

#endif /* HV_BOOTINFO_H */
