/*
 * Powering the machine off through ACPI. The S5 ("soft off") state is
 * entered by writing its SLP_TYP values, with SLP_EN, to the PM1 control
 * registers the FADT names (acpi.c). The values are the first two
 * elements of the DSDT's \_S5 package, found without an AML interpreter
 * by scanning the DSDT for its definition:
 *
 *   NameOp (0x08) "_S5_" PackageOp (0x12) PkgLength NumElements
 *   elements: ZeroOp (0x00), OneOp (0x01) or BytePrefix (0x0a) n
 *
 * Everything read is bounds-checked against the table's length.
 */
#include <hv/lib.h>
#include <hv/time.h>

#include <asm/acpi.h>
#include <asm/io.h>

#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a
#define SLP_TYP_SHIFT 10
#define SLP_EN (1U << 13)
#define POWEROFF_WAIT_US 2000000 /* 2 s for the machine to go */

/* One small integer element of the package at *p; -1 if it is not. */
static int package_int(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *q = *p;

	if (q >= end)
		return -1;
	if (*q == AML_ZERO_OP || *q == AML_ONE_OP) {
		*p = q + 1;
		return *q;
	}
	if (*q == AML_BYTE_PREFIX && q + 1 < end) {
		*p = q + 2;
		return q[1];
	}
	return -1;
}

/* The SLP_TYP values of S5 for PM1a and PM1b, or false. */
static bool find_s5(const struct acpi_header *dsdt, int *typa, int *typb)
{
	const uint8_t *start = (const uint8_t *)(dsdt + 1);
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

	for (const uint8_t *p = start + 2; p + 4 <= end; p++) {
		const uint8_t *q = p + 4;

		if (memcmp(p, "_S5_", 4) ||
		    !(p[-1] == AML_NAME_OP ||
		      (p[-1] == '\\' && p[-2] == AML_NAME_OP)))
			continue;
		if (q >= end || *q++ != AML_PACKAGE_OP || q >= end)
			return false;
		q += 1 + (*q >> 6); /* PkgLength: lead byte, then 0-3 more */
		q++;		    /* NumElements */
		*typa = package_int(&q, end);
		*typb = package_int(&q, end);
		return *typa >= 0 && *typa < 8 && *typb >= 0 && *typb < 8;
	}
	return false;
}

/* Enter S5; returns only if the machine cannot be powered off this way. */
bool acpi_power_off(void)
{
	const struct acpi_header *dsdt;
	int typa, typb;

	if (!acpi.pm1a_cnt || !paddr_x(acpi.dsdt))
		return false;
	dsdt = acpi_map_table(acpi.dsdt);
	if (!dsdt || memcmp(dsdt->signature, "DSDT", 4) ||
	    !find_s5(dsdt, &typa, &typb))
		return false;
	outw(acpi.pm1a_cnt, (uint16_t)(typa << SLP_TYP_SHIFT | SLP_EN));
	if (acpi.pm1b_cnt)
		outw(acpi.pm1b_cnt, (uint16_t)(typb << SLP_TYP_SHIFT | SLP_EN));
	/*
	 * The machine may take a moment to go (QEMU acts on the write from
	 * its main loop, while this CPU runs on): give it POWEROFF_WAIT_US
	 * before reporting that it did not.
	 */
	udelay(POWEROFF_WAIT_US);
	return false;
}
