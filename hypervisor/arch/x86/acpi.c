/*
 * ACPI table discovery. The RSDP comes from the multiboot2 information
 * (GRUB copies it) or, failing that, from a scan of the BIOS area. We walk
 * the XSDT (or RSDT), check every checksum, and read the MADT (CPUs,
 * IO-APICs, interrupt overrides), the HPET table and, from the FADT, the
 * power-management ports and the DSDT (acpi_poweroff.c). Tables are
 * mapped read-only through the ioremap area; nothing is written.
 */
#include <hv/lib.h>

#include <asm/acpi.h>
#include <asm/paging.h>

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_addr;
	uint32_t length; /* revision 2+ from here */
	uint64_t xsdt_addr;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __packed;

struct acpi_madt {
	struct acpi_header h;
	uint32_t lapic_addr;
	uint32_t flags;
} __packed;

struct acpi_gas {
	uint8_t space_id, bit_width, bit_offset, access_size;
	uint64_t address;
} __packed;

struct acpi_hpet {
	struct acpi_header h;
	uint32_t block_id;
	struct acpi_gas base;
} __packed;

/* The FADT fields we use, at ACPI's fixed offsets. */
#define FADT_DSDT 40
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_X_DSDT 140

#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_LAPIC_ADDR_OVERRIDE 5
#define MADT_X2APIC 9
#define MAX_TABLE_LEN (1U << 20)

struct acpi_info acpi;

static bool checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* Map a whole table at pa after checking its length and checksum. */
const struct acpi_header *acpi_map_table(paddr_t pa)
{
	const struct acpi_header *h = ioremap(pa, sizeof(*h), PAGE_HV_RO);

	if (!h || h->length < sizeof(*h) || h->length > MAX_TABLE_LEN)
		return NULL;
	h = ioremap(pa, h->length, PAGE_HV_RO);
	if (!h || !checksum_ok(h, h->length)) {
		pr_warn("ACPI: bad checksum in table at %#lx\n", paddr_x(pa));
		return NULL;
	}
	return h;
}

static bool rsdp_valid(const struct acpi_rsdp *r, size_t avail)
{
	if (avail < 20 || memcmp(r->signature, "RSD PTR ", 8) ||
	    !checksum_ok(r, 20))
		return false;
	if (r->revision >= 2)
		return avail >= sizeof(*r) && r->length >= sizeof(*r) &&
		       checksum_ok(r, sizeof(*r));
	return true;
}

/* Search the EBDA's first KiB and the BIOS area for the RSDP. */
static const struct acpi_rsdp *scan_for_rsdp(paddr_t *where)
{
	static const struct {
		uint64_t start, len;
	} areas[] = {{0x9fc00, 0x400}, {0xe0000, 0x20000}};

	for (size_t a = 0; a < ARRAY_SIZE(areas); a++) {
		const uint8_t *p = ioremap(_paddr(areas[a].start), areas[a].len,
					   PAGE_HV_RO);

		for (uint64_t off = 0; p && off + 36 <= areas[a].len;
		     off += 16) {
			if (rsdp_valid((const void *)(p + off), 36)) {
				*where = _paddr(areas[a].start + off);
				return (const void *)(p + off);
			}
		}
	}
	return NULL;
}

static void parse_madt(const struct acpi_madt *m)
{
	const uint8_t *p = (const uint8_t *)(m + 1);
	const uint8_t *end = (const uint8_t *)m + m->h.length;

	acpi.lapic_addr = _paddr(m->lapic_addr);
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		switch (p[0]) {
		case MADT_LAPIC:
			/* flags bit 0: enabled; bit 1: can be onlined */
			if (p[1] >= 8 && (p[4] & 3) && acpi.nr_cpus < NR_CPUS)
				acpi.cpu_apic_ids[acpi.nr_cpus++] = p[3];
			break;
		case MADT_X2APIC:
			if (p[1] >= 16 && (p[8] & 3) && acpi.nr_cpus < NR_CPUS)
				memcpy(&acpi.cpu_apic_ids[acpi.nr_cpus++],
				       p + 4, 4);
			break;
		case MADT_IOAPIC:
			if (p[1] >= 12 && acpi.nr_ioapics < MAX_IOAPICS) {
				uint32_t addr, gsi;

				memcpy(&addr, p + 4, 4);
				memcpy(&gsi, p + 8, 4);
				acpi.ioapics[acpi.nr_ioapics].id = p[2];
				acpi.ioapics[acpi.nr_ioapics].addr =
					_paddr(addr);
				acpi.ioapics[acpi.nr_ioapics].gsi_base = gsi;
				acpi.nr_ioapics++;
			}
			break;
		case MADT_OVERRIDE:
			if (p[1] >= 10 &&
			    acpi.nr_overrides < MAX_IRQ_OVERRIDES) {
				unsigned int i = acpi.nr_overrides++;

				acpi.overrides[i].bus_irq = p[3];
				memcpy(&acpi.overrides[i].gsi, p + 4, 4);
				memcpy(&acpi.overrides[i].flags, p + 8, 2);
			}
			break;
		case MADT_LAPIC_ADDR_OVERRIDE:
			if (p[1] >= 12) {
				uint64_t a;

				memcpy(&a, p + 4, 8);
				acpi.lapic_addr = _paddr(a);
			}
			break;
		default: break;
		}
		p += p[1];
	}
}

static void parse_fadt(const struct acpi_header *h)
{
	const uint8_t *f = (const uint8_t *)h;
	uint32_t pm1a, pm1b, dsdt;
	uint64_t x_dsdt = 0;

	memcpy(&dsdt, f + FADT_DSDT, 4);
	memcpy(&pm1a, f + FADT_PM1A_CNT, 4);
	memcpy(&pm1b, f + FADT_PM1B_CNT, 4);
	if (h->length >= FADT_X_DSDT + 8)
		memcpy(&x_dsdt, f + FADT_X_DSDT, 8);
	acpi.dsdt = _paddr(x_dsdt ? x_dsdt : dsdt);
	acpi.pm1a_cnt = pm1a <= 0xffff ? (uint16_t)pm1a : 0;
	acpi.pm1b_cnt = pm1b <= 0xffff ? (uint16_t)pm1b : 0;
}

static void parse_table(const struct acpi_header *h)
{
	if (!memcmp(h->signature, "FACP", 4) &&
	    h->length >= FADT_PM1B_CNT + 4) {
		parse_fadt(h);
		return;
	}
	if (!memcmp(h->signature, "APIC", 4) &&
	    h->length >= sizeof(struct acpi_madt))
		parse_madt((const struct acpi_madt *)h);
	else if (!memcmp(h->signature, "HPET", 4) &&
		 h->length >= sizeof(struct acpi_hpet)) {
		acpi.have_hpet = true;
		acpi.hpet_addr =
			_paddr(((const struct acpi_hpet *)h)->base.address);
	}
}

static void print_summary(const char *sigs)
{
	char where[32] = "from the boot loader";

	if (paddr_x(acpi.rsdp))
		snprintf(where, sizeof(where), "at %#lx", paddr_x(acpi.rsdp));
	pr_info("ACPI: RSDP %s, revision %u, OEM '%s'; %s at %#lx\n", where,
		acpi.revision, acpi.oem_id, acpi.root_is_xsdt ? "XSDT" : "RSDT",
		paddr_x(acpi.root));
	pr_info("ACPI: tables:%s\n", sigs);
	pr_info("ACPI: %u CPU(s), local APIC at %#lx\n", acpi.nr_cpus,
		paddr_x(acpi.lapic_addr));
	for (unsigned int i = 0; i < acpi.nr_ioapics; i++)
		pr_info("ACPI: IO-APIC %u at %#lx, GSI base %u\n",
			acpi.ioapics[i].id, paddr_x(acpi.ioapics[i].addr),
			acpi.ioapics[i].gsi_base);
	for (unsigned int i = 0; i < acpi.nr_overrides; i++)
		pr_debug("ACPI: ISA IRQ %u -> GSI %u (flags %#x)\n",
			 acpi.overrides[i].bus_irq, acpi.overrides[i].gsi,
			 acpi.overrides[i].flags);
	if (acpi.have_hpet)
		pr_info("ACPI: HPET at %#lx\n", paddr_x(acpi.hpet_addr));
}

/* Find and read the ACPI tables; without them, assume one CPU. */
void acpi_init(const struct boot_info *bi)
{
	const struct acpi_rsdp *r = NULL;
	const struct acpi_header *root;
	char sigs[256] = "";
	size_t entry_size, n;

	if (bi->rsdp_len && rsdp_valid((const void *)bi->rsdp, bi->rsdp_len)) {
		r = (const void *)bi->rsdp; /* a copy: its address is unknown */
	} else {
		r = scan_for_rsdp(&acpi.rsdp);
	}
	if (!r) {
		pr_warn("ACPI: no RSDP found; assuming a single CPU\n");
		acpi.nr_cpus = 1;
		return;
	}
	acpi.revision = r->revision;
	memcpy(acpi.oem_id, r->oem_id, 6);
	acpi.root_is_xsdt = r->revision >= 2 && r->xsdt_addr;
	acpi.root = _paddr(acpi.root_is_xsdt ? r->xsdt_addr : r->rsdt_addr);
	entry_size = acpi.root_is_xsdt ? 8 : 4;

	root = acpi_map_table(acpi.root);
	if (!root) {
		pr_warn("ACPI: unusable root table; assuming a single CPU\n");
		acpi.nr_cpus = 1;
		return;
	}
	acpi.present = true;
	n = (root->length - sizeof(*root)) / entry_size;
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		const struct acpi_header *h;
		size_t len = strlen(sigs);

		memcpy(&pa, (const uint8_t *)(root + 1) + i * entry_size,
		       entry_size);
		h = pa ? acpi_map_table(_paddr(pa)) : NULL;
		if (!h)
			continue;
		if (len + 6 < sizeof(sigs))
			snprintf(sigs + len, sizeof(sigs) - len, " %.4s",
				 h->signature);
		parse_table(h);
	}
	if (!acpi.nr_cpus)
		acpi.nr_cpus = 1;
	print_summary(sigs);
}
