/*
 * Looking at memory without changing it: the entries of our own page
 * tables by machine frame, whether a machine frame is ours, the hardware
 * limits that bound a valid entry, and machine frames that are surely
 * not ours (for tests that must be refused them). Nothing here writes a
 * page table; see pagetable.h for that.
 */
#ifndef GUEST_PTPEEK_H
#define GUEST_PTPEEK_H

#include <paravane/addr_types.h>
#include <stdbool.h>
#include <stdint.h>

// mm/ptpeek.c
int pt_read_entry(mfn_t table, unsigned int index, uint64_t *val);
paddr_t pt_entry_maddr(mfn_t table, unsigned int index);
bool mfn_is_ours(mfn_t mfn);
unsigned int phys_addr_bits(void);
int find_unowned_ram_frame(mfn_t *mfn);
int find_hypervisor_table_frame(unsigned int slot, mfn_t *mfn);

#endif /* GUEST_PTPEEK_H */
