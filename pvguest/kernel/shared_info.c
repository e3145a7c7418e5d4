/*
 * Mapping the shared_info page. start_info gives its machine address; it
 * is mapped over a page reserved in the image's .bss, whose L1 entry
 * exists from boot, so this works before the kernel can allocate page
 * tables (the trap handler needs vcpu_info.arch.cr2 from the start).
 */
#include <guest/bootinfo.h>
#include <guest/hypercall.h>
#include <guest/pgtable.h>
#include <guest/shared_info.h>
#include <guest/shutdown.h>

static char shared_info_page[PAGE_SIZE] __section(".bss.page_aligned")
	__aligned(PAGE_SIZE);

shared_info_t *HYPERVISOR_shared_info;

/* Map shared_info; the kernel cannot run without it. */
void shared_info_init(void)
{
	uint64_t pte = (start_info->shared_info & PTE_ADDR_MASK) | PTE_PRESENT |
		       PTE_RW | PTE_ACCESSED | PTE_DIRTY;
	int rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page,
					      pte, UVMF_INVLPG | UVMF_LOCAL);

	if (rc)
		panic("cannot map shared_info (%d)", rc);
	HYPERVISOR_shared_info = (shared_info_t *)shared_info_page;
	this_cpu()->vcpu_info = &HYPERVISOR_shared_info->vcpu_info[0];
}
