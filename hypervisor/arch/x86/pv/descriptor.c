/*
 * Guest segment descriptors: the GDT a guest installs with set_gdt, and
 * single descriptors written with update_descriptor.
 *
 * A guest's GDT frames are typed "segment descriptor page": while a
 * frame holds that type it cannot be mapped writable, so every descriptor
 * in it stays as checked. The check (check_descriptor) admits what a
 * 64-bit PV kernel in ring 3 can use: not-present descriptors and code
 * and data segments, whose privilege level is raised to 3 as Xen does.
 * System descriptors (TSS, LDT, gates) are refused; Paravane does not
 * support guest call gates.
 *
 * The GDT frames are mapped into the first 14 pages of the vCPU's GDT
 * window (per-domain area); page 14 of the window is the reserved page
 * of the CPU the vCPU runs on (percpu.c).
 */
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>

#include <asm/desc.h>
#include <asm/guest_access.h>
#include <asm/page_type.h>
#include <asm/pv.h>

#define DESC_P (1UL << 47)
#define DESC_S (1UL << 44)
#define DESC_DPL_SHIFT 45
#define DESC_TYPE_SHIFT 40

/*
 * Check one descriptor a guest wants; on success *desc may be adjusted
 * (DPL raised to 3). Returns whether it is acceptable.
 */
bool check_descriptor(uint64_t *desc)
{
	uint64_t d = *desc;

	if (!(d & DESC_P))
		return true; /* loading it faults: harmless */
	if (d & DESC_S) {
		/* Code or data: the guest kernel runs in ring 3. */
		*desc = d | (3UL << DESC_DPL_SHIFT);
		return true;
	}
	/* System descriptors: only the harmless type 0. */
	return ((d >> DESC_TYPE_SHIFT) & 0xf) == 0;
}

/* Validate a frame as a descriptor page: all 512 entries must pass. */
int validate_segdesc_page(struct page_info *pg)
{
	uint64_t *descs = mfn_to_virt(page_to_mfn(pg));

	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		if (!check_descriptor(&descs[i]))
			return -EINVAL;
	return 0;
}

static void release_gdt_frames(struct vcpu *v)
{
	for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++) {
		if (v->arch.gdt_frames[i]) {
			put_page_and_type(
				mfn_to_page(_mfn(v->arch.gdt_frames[i])));
			v->arch.gdt_frames[i] = 0;
		}
	}
	v->arch.gdt_ents = 0;
}

/*
 * Install a guest GDT of `entries` descriptors held in the given frames
 * (each frame owned by the guest; none may be mapped writable).
 */
long pv_set_gdt(struct vcpu *v, const unsigned long *frames,
		unsigned int entries)
{
	struct domain *d = v->domain;
	unsigned int nr = DIV_ROUND_UP(entries, 512), i;
	int rc = 0;

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		mfn_t m = _mfn(frames[i]);

		if (!mfn_valid(m)) {
			rc = -EINVAL;
			break;
		}
		rc = get_page_and_type(mfn_to_page(m), d, PGT_seg_desc_page);
		if (rc)
			break;
	}
	if (rc) {
		while (i--)
			put_page_and_type(mfn_to_page(_mfn(frames[i])));
		return rc;
	}
	release_gdt_frames(v);
	for (i = 0; i < nr; i++)
		v->arch.gdt_frames[i] = frames[i];
	v->arch.gdt_ents = entries;
	pv_map_gdt(v);
	return 0;
}

/* Drop a vCPU's GDT (domain destruction, vCPU reset). */
void pv_destroy_gdt(struct vcpu *v)
{
	release_gdt_frames(v);
	pv_map_gdt(v);
}

/*
 * HYPERVISOR_set_gdt(frame_list, entries): copy the frame list (machine
 * frames) and install it.
 */
long do_set_gdt(XEN_GUEST_HANDLE_PARAM(xen_ulong_t) frame_list,
		unsigned int entries)
{
	unsigned long frames[FIRST_RESERVED_GDT_PAGE];
	unsigned int nr = DIV_ROUND_UP(entries, 512);

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	if (copy_from_guest(frames, frame_list, nr))
		return -EFAULT;
	return pv_set_gdt(current, frames, entries);
}

/*
 * HYPERVISOR_update_descriptor(ma, desc): write one descriptor at machine
 * address ma, in a frame the guest owns that is either a descriptor page
 * or may be written (no page-table type).
 */
long do_update_descriptor(uint64_t ma, uint64_t desc)
{
	struct domain *d = current->domain;
	mfn_t m = _mfn(ma >> PAGE_SHIFT);
	struct page_info *pg;
	unsigned long type;
	uint64_t *slot;
	long rc = -EINVAL;

	if ((ma & 7) || !mfn_valid(m) || !check_descriptor(&desc))
		return -EINVAL;
	pg = mfn_to_page(m);
	if (!get_page(pg, d))
		return -EINVAL;
	type = page_type(pg) == PGT_seg_desc_page ? PGT_seg_desc_page
						  : PGT_writable_page;
	if (get_page_type(pg, type) == 0) {
		slot = (uint64_t *)((char *)mfn_to_virt(m) +
				    (ma & (PAGE_SIZE - 1)));
		WRITE_ONCE(*slot, desc);
		put_page_type(pg);
		rc = 0;
	}
	put_page(pg);
	return rc;
}
