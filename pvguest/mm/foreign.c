/*
 * The foreign window: other domains' frames mapped for dom0's toolstack.
 *
 * The window (FOREIGN_MAP_BASE, FOREIGN_MAP_SIZE) is handed out in runs
 * of pages, first fit, from a bitmap. Mapping writes the L1 entries of
 * the run with batched mmu_update calls that name the frames' owner as
 * foreigndom; the L1 tables are made on first use (pt_ensure) and kept.
 * Unmapping clears the entries (the hypervisor drops the references the
 * mappings held) and flushes the TLBs of all our vCPUs, since any of
 * them may have used the run.
 */
#include <guest/errno.h>
#include <guest/foreign.h>
#include <guest/hypercall.h>
#include <guest/memlayout.h>
#include <guest/pagetable.h>

#define WINDOW_PAGES (FOREIGN_MAP_SIZE >> PAGE_SHIFT)
#define BATCH 64

static uint64_t used[WINDOW_PAGES / 64];
static unsigned long nr_used;

static bool page_used(unsigned long i)
{
	return (used[i / 64] >> (i % 64)) & 1;
}

static void mark(unsigned long first, unsigned long count, bool on)
{
	for (unsigned long i = first; i < first + count; i++) {
		if (on)
			used[i / 64] |= 1UL << (i % 64);
		else
			used[i / 64] &= ~(1UL << (i % 64));
	}
	nr_used = on ? nr_used + count : nr_used - count;
}

/* Claim count consecutive pages of the window; their first index. */
static long claim(unsigned long count)
{
	unsigned long run = 0;

	for (unsigned long i = 0; i < WINDOW_PAGES; i++) {
		run = page_used(i) ? 0 : run + 1;
		if (run == count) {
			mark(i + 1 - count, count, true);
			return (long)(i + 1 - count);
		}
	}
	return -ENOMEM;
}

static void *page_va(unsigned long i)
{
	return (void *)(FOREIGN_MAP_BASE + (i << PAGE_SHIFT));
}

/*
 * Write the L1 entries of count pages from va: vals[i] (0 clears), as
 * frames of domid. *done receives how many were written.
 */
static int write_entries(unsigned long va, const uint64_t *vals,
			 unsigned long count, domid_t domid,
			 unsigned long *done)
{
	mmu_update_t req[BATCH];
	unsigned int n = 0, batch_done;
	mfn_t l1 = _mfn(0);
	int rc = 0;

	*done = 0;
	for (unsigned long i = 0; i < count; i++, va += PAGE_SIZE) {
		if (i == 0 || pt_index(va, 1) == 0) {
			rc = pt_ensure(va, 1, &l1);
			if (rc)
				break;
		}
		req[n].ptr = (mfn_x(l1) << PAGE_SHIFT) +
			     pt_index(va, 1) * sizeof(uint64_t);
		req[n].ptr |= MMU_NORMAL_PT_UPDATE;
		req[n].val = vals[i];
		if (++n < BATCH && i + 1 < count)
			continue;
		batch_done = 0;
		rc = HYPERVISOR_mmu_update(req, n, &batch_done, domid);
		*done += batch_done;
		n = 0;
		if (rc)
			break;
	}
	return rc;
}

static int flush_all(void)
{
	struct mmuext_op op = {.cmd = MMUEXT_TLB_FLUSH_ALL};

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static int clear_run(unsigned long first, unsigned long count)
{
	static const uint64_t zeros[BATCH];
	unsigned long done;
	int rc = 0, flush_rc;

	for (unsigned long i = 0; i < count && !rc; i += BATCH) {
		unsigned long n = count - i < BATCH ? count - i : BATCH;

		rc = write_entries((unsigned long)page_va(first + i), zeros, n,
				   DOMID_SELF, &done);
	}
	flush_rc = flush_all();
	return rc ? rc : flush_rc;
}

/*
 * Map the count machine frames mfns[] of domain domid at consecutive
 * pages; *va receives the first. On failure nothing stays mapped.
 */
int foreign_map(domid_t domid, const xen_pfn_t *mfns, unsigned long count,
		bool writable, void **va)
{
	uint64_t flags = PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY |
			 (writable ? PTE_RW : 0);
	long first;
	unsigned long mapped = 0;
	int rc = 0;

	if (!count || count > WINDOW_PAGES)
		return -EINVAL;
	first = claim(count);
	if (first < 0)
		return (int)first;
	for (unsigned long i = 0; i < count && !rc; i += BATCH) {
		unsigned long n = count - i < BATCH ? count - i : BATCH;
		uint64_t vals[BATCH] = {0};
		unsigned long done;

		for (unsigned long j = 0; j < n; j++)
			vals[j] = ((uint64_t)mfns[i + j] << PAGE_SHIFT) | flags;
		rc = write_entries(
			(unsigned long)page_va((unsigned long)first + i), vals,
			n, domid, &done);
		mapped += done;
	}
	if (rc) {
		if (mapped)
			clear_run((unsigned long)first, mapped);
		mark((unsigned long)first, count, false);
		return rc;
	}
	*va = page_va((unsigned long)first);
	return 0;
}

/* Remove count pages mapped by foreign_map() at va and free the run. */
int foreign_unmap(void *va, unsigned long count)
{
	unsigned long a = (unsigned long)va;
	unsigned long first = (a - FOREIGN_MAP_BASE) >> PAGE_SHIFT;
	int rc;

	if (a < FOREIGN_MAP_BASE || (a & ~PAGE_MASK) || !count ||
	    first + count > WINDOW_PAGES)
		return -EINVAL;
	for (unsigned long i = first; i < first + count; i++)
		if (!page_used(i))
			return -EINVAL;
	rc = clear_run(first, count);
	mark(first, count, false);
	return rc;
}

/* How many pages of the window are in use (for leak checks). */
unsigned long foreign_mapped_pages(void)
{
	return nr_used;
}
