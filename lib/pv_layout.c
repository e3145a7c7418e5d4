/*
 * The start-of-day layout of a 64-bit PV guest and its bootstrap page
 * tables. In the region from the kernel's virt_base, each piece 4 KiB
 * aligned, pseudo-physical frame n at virt_base + n pages:
 *
 *   kernel image | initrd | p2m (mfn_list) | start_info |
 *   [xenstore page | console page, for other domains than dom0] |
 *   page tables | boot stack | padding to 4 MiB (4 MiB more if the
 *   padding would be under 512 KiB)
 *
 * The number of page-table frames is found by iteration, since the
 * tables map themselves. The tables map the whole region, themselves
 * read-only; the hypervisor's L4 slots are left for the hypervisor to
 * fill when the table is validated. Shared by the hypervisor's dom0
 * builder and dom0's builder of other domains.
 */
#include <paravane/compiler.h>
#include <paravane/printf.h>
#include <paravane/pv_layout.h>
#include <paravane/string.h>

#define PAGE 4096ULL
#define MB4 (4ULL << 20)
#define PTE_P (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_U (1ULL << 2)
#define PTE_A (1ULL << 5)
#define PTE_D (1ULL << 6)
#define PTE_FLAGS (PTE_P | PTE_RW | PTE_U | PTE_A | PTE_D)
#define PTE_ADDR 0x000ffffffffff000ULL

static uint64_t page_up(uint64_t x)
{
	return ROUNDUP(x, PAGE);
}

static unsigned long span(uint64_t s, uint64_t e, unsigned int shift)
{
	return (unsigned long)(((e - 1) >> shift) - (s >> shift) + 1);
}

/*
 * Lay out a guest of nr_pages frames whose kernel occupies [kstart, kend)
 * above virt_base. -ENOMEM-style -12 if the initial mapping does not fit
 * the guest's memory.
 */
int pv_layout_compute(struct pv_layout *l, uint64_t virt_base, uint64_t kstart,
		      uint64_t kend, uint64_t initrd_len,
		      unsigned long nr_pages, bool other_domain)
{
	uint64_t next;

	memset(l, 0, sizeof(*l));
	l->v_start = virt_base & ~(PAGE - 1);
	l->kern_start = kstart;
	l->kern_end = kend;
	l->initrd_start = page_up(kend);
	l->initrd_end = l->initrd_start + initrd_len;
	l->p2m_start = page_up(l->initrd_end);
	l->p2m_end = l->p2m_start + nr_pages * sizeof(unsigned long);
	l->si_start = page_up(l->p2m_end);
	l->si_end = l->si_start + sizeof(start_info_t);
	next = page_up(l->si_end);
	if (other_domain) {
		l->store_start = next;
		l->console_start = next + PAGE;
		next += 2 * PAGE;
	}
	for (l->nr_pt = 1;; l->nr_pt++) {
		l->pt_start = next;
		l->pt_end = next + l->nr_pt * PAGE;
		l->stack_start = l->pt_end;
		l->stack_end = l->stack_start + PAGE;
		l->v_end = ROUNDUP(l->stack_end, MB4);
		if (l->v_end - l->stack_end < 512 * 1024)
			l->v_end += MB4;
		if (1 + span(l->v_start, l->v_end, 39) +
			    span(l->v_start, l->v_end, 30) +
			    span(l->v_start, l->v_end, 21) <=
		    l->nr_pt)
			break;
	}
	return (l->v_end - l->v_start) / PAGE > nr_pages ? -12 : 0;
}

/*
 * Write the bootstrap page tables into the page-table frames of the
 * layout (map gives writable access to a frame); returns the machine
 * frame of the L4. p2m maps each pfn of the region to its machine frame.
 */
uint64_t pv_layout_build_tables(const struct pv_layout *l,
				const unsigned long *p2m, pv_frame_map_fn map,
				void *ctx)
{
	unsigned long first = pv_layout_pfn(l, l->pt_start);
	unsigned long next = first + 1;
	unsigned long l3_pfn = 0, l2_pfn = 0, l1_pfn = 0;
	uint64_t last_l4 = ~0ULL, last_l3 = ~0ULL, last_l2 = ~0ULL;

	for (uint64_t va = l->v_start; va < l->v_end; va += PAGE) {
		uint64_t flags = PTE_FLAGS, *t;

		if ((va >> 39) != last_l4) {
			last_l4 = va >> 39;
			l3_pfn = next++;
			t = map(ctx, first);
			t[(va >> 39) & 511] = ((uint64_t)p2m[l3_pfn] << 12) |
					      PTE_FLAGS;
		}
		if ((va >> 30) != last_l3) {
			last_l3 = va >> 30;
			l2_pfn = next++;
			t = map(ctx, l3_pfn);
			t[(va >> 30) & 511] = ((uint64_t)p2m[l2_pfn] << 12) |
					      PTE_FLAGS;
		}
		if ((va >> 21) != last_l2) {
			last_l2 = va >> 21;
			l1_pfn = next++;
			t = map(ctx, l2_pfn);
			t[(va >> 21) & 511] = ((uint64_t)p2m[l1_pfn] << 12) |
					      PTE_FLAGS;
		}
		if (va >= l->pt_start && va < l->pt_end)
			flags &= ~PTE_RW; /* the tables themselves */
		t = map(ctx, l1_pfn);
		t[(va >> 12) & 511] =
			((uint64_t)p2m[pv_layout_pfn(l, va)] << 12) | flags;
	}
	return p2m[first];
}

/* Fill the start_info page for a guest laid out by l. */
void pv_layout_fill_start_info(start_info_t *si, const struct pv_layout *l,
			       const struct pv_start_info_args *a)
{
	memset(si, 0, sizeof(*si));
	snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64%s",
		 a->pae ? "p" : "");
	si->nr_pages = a->nr_pages;
	si->shared_info = a->shared_info_maddr;
	si->flags = a->flags;
	si->store_mfn = a->store_mfn;
	si->store_evtchn = a->store_evtchn;
	si->console.domU.mfn = a->console_mfn;
	si->console.domU.evtchn = a->console_evtchn;
	si->pt_base = l->pt_start;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_start;
	if (l->initrd_end > l->initrd_start) {
		si->mod_start = l->initrd_start;
		si->mod_len = l->initrd_end - l->initrd_start;
	}
	strlcpy((char *)si->cmd_line, a->cmdline ? a->cmdline : "",
		sizeof(si->cmd_line));
}
