/*
 * Page-table management through Xen's MMU hypercalls.
 *
 * A PV guest never writes a live page table. It reads its tables through
 * read-only mappings (the direct map or the bootstrap alias) and changes
 * them with:
 *   mmu_update         "write val at machine address ptr", validated;
 *   update_va_mapping  set the leaf entry of one virtual address in the
 *                      current tables, with a TLB flush;
 *   mmuext_op          pin/unpin a table, switch the base pointer, flush.
 *
 * A new table frame is zeroed while still writable, then every mapping
 * of it is made read-only (frame_set_readonly), then it is hooked into
 * its parent; Xen validates it as a page table at that moment. Freeing
 * reverses the steps. Tables are reached from the kernel's L4 (the
 * bootstrap L4 Xen pinned and loaded), kept in root.
 */
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/pagetable.h>
#include <paravane/string.h>

#define FILL_BATCH 32

static mfn_t root;

/* Adopt l4 as the kernel's (already loaded) top-level table. */
void pagetable_init(mfn_t l4)
{
	root = l4;
}

/* The kernel's current top-level table. */
mfn_t pagetable_root(void)
{
	return root;
}

static paddr_t entry_maddr(mfn_t table, unsigned int index)
{
	return paddr_add(mfn_to_paddr(table), index * sizeof(uint64_t));
}

/* A read-only view of one of our page-table frames, or NULL. */
static const uint64_t *table_va(mfn_t table)
{
	pfn_t pfn = mfn_to_pfn(table);

	return pfn_valid_raw(pfn) ? frame_va(pfn) : NULL;
}

/* Write one page-table entry (machine address entry) through Xen. */
int mmu_update_one(paddr_t entry, uint64_t val)
{
	mmu_update_t req = {
		.ptr = paddr_x(entry) | MMU_NORMAL_PT_UPDATE,
		.val = val,
	};

	return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

/*
 * Find the table at level (4 = the root) that holds va's entry. Missing
 * tables on the way are allocated and hooked in if alloc, else -ENOENT.
 */
static int walk(unsigned long va, int level, bool alloc, mfn_t *table)
{
	mfn_t t = root;
	int l, rc;

	if (level < 1 || level > PT_LEVELS)
		return -EINVAL;
	for (l = PT_LEVELS; l > level; l--) {
		const uint64_t *entries = table_va(t);
		unsigned int i = pt_index(va, l);
		uint64_t pte;
		mfn_t new;

		if (!entries)
			return -EFAULT; /* not ours: Xen's part of the L4 */
		pte = entries[i];
		if (pte & PTE_PRESENT) {
			if (pte & PTE_PSE)
				return -EINVAL;
			t = _mfn(pte_mfn(pte));
			continue;
		}
		if (!alloc)
			return -ENOENT;
		rc = alloc_pt_frame(&new);
		if (rc)
			return rc;
		rc = mmu_update_one(entry_maddr(t, i),
				    paddr_x(mfn_to_paddr(new)) | PTE_TABLE);
		if (rc) {
			free_pt_frame(new);
			return rc;
		}
		t = new;
	}
	*table = t;
	return 0;
}

/* Machine address of va's entry in its table at level (tables must exist). */
int pt_entry_addr(unsigned long va, int level, paddr_t *entry)
{
	mfn_t t;
	int rc = walk(va, level, false, &t);

	if (!rc)
		*entry = entry_maddr(t, pt_index(va, level));
	return rc;
}

/* Read va's entry at level; -ENOENT if a table above it is missing. */
int pt_lookup(unsigned long va, int level, uint64_t *pte)
{
	const uint64_t *entries;
	mfn_t t;
	int rc = walk(va, level, false, &t);

	if (rc)
		return rc;
	entries = table_va(t);
	if (!entries)
		return -EFAULT;
	*pte = entries[pt_index(va, level)];
	return 0;
}

/* The machine frame mapped at va, or INVALID_MFN_RAW if none. */
mfn_t virt_to_mfn(const void *va)
{
	uint64_t pte;

	if (pt_lookup((unsigned long)va, 1, &pte) || !(pte & PTE_PRESENT))
		return _mfn(INVALID_MFN_RAW);
	return _mfn(pte_mfn(pte));
}

/* Make sure the table at level covering va exists; its frame in *table. */
int pt_ensure(unsigned long va, int level, mfn_t *table)
{
	return walk(va, level, true, table);
}

/* Write count consecutive entries of a table from index first, batched. */
int pt_fill(mfn_t table, unsigned int first, const uint64_t *vals,
	    unsigned int count)
{
	mmu_update_t req[FILL_BATCH];
	unsigned int i, n;
	int rc;

	if (first >= PT_ENTRIES || count > PT_ENTRIES - first)
		return -EINVAL;
	for (i = 0; i < count; i += n) {
		unsigned int j;

		n = MIN(count - i, FILL_BATCH);
		for (j = 0; j < n; j++) {
			req[j].ptr =
				paddr_x(entry_maddr(table, first + i + j)) |
				MMU_NORMAL_PT_UPDATE;
			req[j].val = vals[i + j];
		}
		rc = HYPERVISOR_mmu_update(req, n, NULL, DOMID_SELF);
		if (rc)
			return rc;
	}
	return 0;
}

/* Map mfn at page-aligned va with flags (MAP_FLAGS_ALLOWED), tables as needed;
 * every vCPU shares the tables, so every vCPU forgets the old entry. */
int map_frame(void *va, mfn_t mfn, uint64_t flags)
{
	unsigned long a = (unsigned long)va;
	uint64_t pte;
	mfn_t l1;
	int rc;

	if ((a & ~PAGE_MASK) || (flags & ~MAP_FLAGS_ALLOWED) ||
	    mfn_x(mfn) > (PTE_ADDR_MASK >> PAGE_SHIFT))
		return -EINVAL;
	rc = pt_ensure(a, 1, &l1);
	if (rc)
		return rc;
	pte = paddr_x(mfn_to_paddr(mfn)) | flags | PTE_PRESENT | PTE_ACCESSED |
	      PTE_DIRTY;
	return HYPERVISOR_update_va_mapping(a, pte, UVMF_INVLPG | UVMF_ALL);
}

/* Remove the mapping at va; -ENOENT if nothing is mapped there. */
int unmap(void *va)
{
	unsigned long a = (unsigned long)va;
	uint64_t pte;
	int rc;

	if (a & ~PAGE_MASK)
		return -EINVAL;
	rc = pt_lookup(a, 1, &pte);
	if (rc)
		return rc;
	if (!(pte & PTE_PRESENT))
		return -ENOENT;
	return HYPERVISOR_update_va_mapping(a, 0, UVMF_INVLPG | UVMF_ALL);
}

static int mmuext_one(unsigned int cmd, unsigned long arg1)
{
	struct mmuext_op op = {.cmd = cmd};

	if (cmd == MMUEXT_INVLPG_LOCAL)
		op.arg1.linear_addr = arg1;
	else
		op.arg1.mfn = arg1;
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Pin mfn as a page table of level (1-4): Xen validates and keeps its type. */
int pin_table(int level, mfn_t mfn)
{
	if (level < 1 || level > PT_LEVELS)
		return -EINVAL;
	return mmuext_one(MMUEXT_PIN_L1_TABLE + (unsigned int)(level - 1),
			  mfn_x(mfn));
}

/* Drop the pin on a page table. */
int unpin_table(mfn_t mfn)
{
	return mmuext_one(MMUEXT_UNPIN_TABLE, mfn_x(mfn));
}

/* Switch the kernel address space to the (pinned) L4 l4. */
int new_baseptr(mfn_t l4)
{
	int rc = mmuext_one(MMUEXT_NEW_BASEPTR, mfn_x(l4));

	if (!rc)
		root = l4;
	return rc;
}

/* Flush this vCPU's TLB. */
int tlb_flush_local(void)
{
	return mmuext_one(MMUEXT_TLB_FLUSH_LOCAL, 0);
}

/* Flush one page's translation from this vCPU's TLB. */
int invlpg_local(void *va)
{
	return mmuext_one(MMUEXT_INVLPG_LOCAL, (unsigned long)va);
}

/* Allocate a zeroed frame for a page table, mapped read-only everywhere. */
int alloc_pt_frame(mfn_t *mfn)
{
	pfn_t pfn;
	void *va;
	int rc = alloc_frames(1, &pfn);

	if (rc)
		return rc;
	va = frame_va(pfn);
	if (!va) {
		rc = -ENOMEM;
		goto err_free;
	}
	memset(va, 0, PAGE_SIZE);
	rc = frame_set_readonly(pfn, true);
	if (rc)
		goto err_free;
	*mfn = pfn_to_mfn(pfn);
	return 0;

err_free:
	free_frames(pfn, 1);
	return rc;
}

/* Give back a page-table frame that is no longer hooked in or pinned. */
int free_pt_frame(mfn_t mfn)
{
	pfn_t pfn = mfn_to_pfn(mfn);
	int rc;

	if (!pfn_valid_raw(pfn) || !frame_is_pagetable(pfn))
		return -EINVAL;
	rc = frame_set_readonly(pfn, false);
	if (rc)
		return rc; /* still a page table somewhere: keep the frame */
	free_frames(pfn, 1);
	return 0;
}
