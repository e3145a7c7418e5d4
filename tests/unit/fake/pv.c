/*
 * What PV code calls outside the files under test, in the fakes' terms:
 * guest memory is host memory (a "guest address" is a host pointer, which
 * lies in the lower canonical half and so passes guest_range_ok), and
 * pv_map_gdt() only counts its calls. A pointer that guest_range_ok
 * refuses never gets here, so tests reach -EFAULT with hypervisor
 * addresses.
 */
#include <string.h>

#include <asm/guest_access.h>
#include <asm/pv.h>

#include "fake.h"

unsigned long fake_gdt_maps;

unsigned long raw_copy_from_user(void *to, const void *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

unsigned long raw_copy_to_user(void *to, const void *from, unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

void pv_map_gdt(struct vcpu *v)
{
	fake_gdt_maps++;
}
