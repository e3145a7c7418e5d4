/*
 * The start-of-day memory layout of a 64-bit PV guest, exactly as Xen's
 * builders lay it out, shared by the hypervisor's dom0 builder and dom0's
 * builder of other domains (lib/pv_layout.c).
 */
#ifndef PARAVANE_PV_LAYOUT_H
#define PARAVANE_PV_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

struct pv_layout {
	uint64_t v_start, v_end;
	uint64_t kern_start, kern_end;
	uint64_t initrd_start, initrd_end;
	uint64_t p2m_start, p2m_end;
	uint64_t si_start, si_end;
	uint64_t store_start, console_start; /* other domains: one page each */
	uint64_t pt_start, pt_end;
	uint64_t stack_start, stack_end;
	unsigned long nr_pt;
};

/* What start_info says beyond the layout. */
struct pv_start_info_args {
	unsigned long nr_pages;
	uint64_t shared_info_maddr;
	uint32_t flags; /* SIF_* */
	bool pae;	/* the kernel's PAE_MODE note: magic ends in "p" */
	const char *cmdline;
	uint64_t store_mfn, console_mfn;
	uint32_t store_evtchn, console_evtchn;
};

/* A writable mapping of pseudo-physical frame pfn of the guest. */
typedef uint64_t *(*pv_frame_map_fn)(void *ctx, unsigned long pfn);

/* The pseudo-physical frame at guest virtual address va. */
static inline unsigned long pv_layout_pfn(const struct pv_layout *l,
					  uint64_t va)
{
	return (va - l->v_start) >> 12;
}

// lib/pv_layout.c
int pv_layout_compute(struct pv_layout *l, uint64_t virt_base, uint64_t kstart,
		      uint64_t kend, uint64_t initrd_len,
		      unsigned long nr_pages, bool other_domain);
uint64_t pv_layout_build_tables(const struct pv_layout *l,
				const unsigned long *p2m, pv_frame_map_fn map,
				void *ctx);
void pv_layout_fill_start_info(start_info_t *si, const struct pv_layout *l,
			       const struct pv_start_info_args *a);

#endif /* PARAVANE_PV_LAYOUT_H */
