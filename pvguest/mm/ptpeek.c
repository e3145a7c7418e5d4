/*
 * Read-only looks at page tables and machine frames.
 *
 * Our own tables are read through their read-only kernel mappings
 * (frame_va). A machine frame is ours when the M2P names a pfn whose
 * p2m entry names the frame back (mfn_to_pfn). Frames that are surely
 * not ours come from two places:
 *   - RAM in the host's memory map (XENMEM_machine_memory_map, a
 *     privileged call) that the M2P does not give to any pfn of ours:
 *     a free frame or one the hypervisor uses itself;
 *   - the tables behind the hypervisor's L4 slots (256-271), which every
 *     top-level table carries and which the guest can read but never own.
 */
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <guest/ptpeek.h>
#include <paravane/compiler.h>

#define MAX_MAP_ENTRIES 64
#define E820_RAM 1
#define FIRST_HIGH_MFN 0x1000UL /* 16 MiB: above firmware and boot data */

/* One entry of the host memory map, in the BIOS E820 layout Xen uses. */
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __packed;

/* Read entry index of one of our own page tables (by machine frame). */
int pt_read_entry(mfn_t table, unsigned int index, uint64_t *val)
{
	pfn_t pfn = mfn_to_pfn(table);
	const uint64_t *entries;

	if (index >= PT_ENTRIES || !pfn_valid_raw(pfn))
		return -EINVAL;
	entries = frame_va(pfn);
	if (!entries)
		return -EFAULT;
	*val = entries[index];
	return 0;
}

/* Machine address of entry index of the table in frame table. */
paddr_t pt_entry_maddr(mfn_t table, unsigned int index)
{
	return paddr_add(mfn_to_paddr(table), index * sizeof(uint64_t));
}

/* Whether mfn is one of this domain's frames. */
bool mfn_is_ours(mfn_t mfn)
{
	return pfn_valid_raw(mfn_to_pfn(mfn));
}

static uint32_t cpuid_eax(uint32_t leaf)
{
	uint32_t a, b, c, d;

	__asm__ __volatile__("cpuid"
			     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			     : "a"(leaf), "c"(0));
	return a;
}

/* The CPU's physical address width (CPUID 0x80000008), 36 if unknown. */
unsigned int phys_addr_bits(void)
{
	if (cpuid_eax(0x80000000) < 0x80000008)
		return 36;
	return cpuid_eax(0x80000008) & 0xff;
}

/*
 * A RAM frame at or above 16 MiB that is not ours and that the M2P gives
 * to nobody (its entry is invalid): free, or the hypervisor's own.
 */
int find_unowned_ram_frame(mfn_t *mfn)
{
	static struct e820_entry map[MAX_MAP_ENTRIES];
	struct xen_memory_map mm = {.nr_entries = MAX_MAP_ENTRIES};
	const unsigned long *m2p = machine_to_phys_mapping;
	long max = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
	unsigned int i;
	long rc;

	set_xen_guest_handle(mm.buffer, map);
	rc = HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm);
	if (rc)
		return (int)rc;
	if (max <= 0)
		return max ? (int)max : -ENOENT;
	for (i = 0; i < mm.nr_entries; i++) {
		unsigned long m = (map[i].addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
		unsigned long end = (map[i].addr + map[i].size) >> PAGE_SHIFT;

		if (map[i].type != E820_RAM)
			continue;
		for (m = MAX(m, FIRST_HIGH_MFN);
		     m < end && m < (unsigned long)max; m++) {
			if (m2p[m] == INVALID_PFN_RAW &&
			    !mfn_is_ours(_mfn(m))) {
				*mfn = _mfn(m);
				return 0;
			}
		}
	}
	return -ENOENT;
}

/*
 * The machine frame of the table that L4 slot (256-271, the
 * hypervisor's) of our current top-level table points to.
 */
int find_hypervisor_table_frame(unsigned int slot, mfn_t *mfn)
{
	uint64_t e;
	int rc;

	if (slot < 256 || slot > 271)
		return -EINVAL;
	rc = pt_read_entry(pagetable_root(), slot, &e);
	if (rc)
		return rc;
	if (!(e & PTE_PRESENT))
		return -ENOENT;
	*mfn = _mfn(pte_mfn(e));
	return 0;
}
