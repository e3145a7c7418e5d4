/*
 * The fake idle page table (asm/paging.h): an L4 whose hypervisor slots
 * 256-271 hold fake_idle_l4_entry(slot), values no guest would write, so
 * a test can see that a guest's top-level table got the hypervisor's
 * entries. The other slots are empty, as in the real idle table.
 */
#include <asm/memlayout.h>
#include <asm/paging.h>

#include "fake.h"

static pte_t idle_table[PT_ENTRIES];
pte_t *idle_l4 = idle_table;

/* The entry the fake idle L4 holds in a hypervisor slot. */
pte_t fake_idle_l4_entry(unsigned int slot)
{
	return 0x7e57000000000000UL | ((pte_t)slot << PAGE_SHIFT) |
	       PAGE_HV_TABLE;
}

__attribute__((constructor)) static void fill_idle_l4(void)
{
	for (unsigned int s = HYPERVISOR_FIRST_SLOT; s <= HYPERVISOR_LAST_SLOT;
	     s++)
		idle_table[s] = fake_idle_l4_entry(s);
}
