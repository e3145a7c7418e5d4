/*
 * Memory-management conformance, part 3: descriptor tables. set_gdt
 * installs a GDT held in the guest's own frames, which then become
 * descriptor pages (never writable while installed); update_descriptor
 * writes one checked descriptor. Every present code or data descriptor
 * has its DPL raised to 3 (the guest kernel runs in ring 3); system
 * descriptors are refused. Error codes are Xen 4.17's.
 */
#include "mmu_util.h"

CONFORMANCE_KERNEL("mmu_gdt");

/* ---- set_gdt and update_descriptor --------------------------------------- */

#define DESC_DPL3 (3UL << 45)
#define DATA_DESC 0x00cf93000000ffffUL /* flat data, present, DPL 0 */
#define CODE_DESC 0x00af9b000000ffffUL /* 64-bit code, DPL 0 */
#define TSS_DESC 0x0000890000000067UL  /* 64-bit TSS: a system segment */
#define GDT_MAX_ENTRIES (14 * 512)     /* FIRST_RESERVED_GDT_ENTRY */

static void load_ds(uint16_t sel)
{
	__asm__ __volatile__("mov %0, %%ds" : : "r"(sel) : "memory");
}

static uint16_t read_ds(void)
{
	uint16_t sel;

	__asm__ __volatile__("mov %%ds, %0" : "=r"(sel));
	return sel;
}

/* A frame holding descriptors descs[0..n), no longer mapped writable. */
static uint64_t *gdt_frame(const uint64_t *descs, unsigned int n, pfn_t *pfn,
			   mfn_t *mfn)
{
	uint64_t *gdt = (uint64_t *)new_frame(0, pfn, mfn);

	memcpy(gdt, descs, n * sizeof(*descs));
	ASSERT_OK(frame_set_readonly(*pfn, true));
	return gdt;
}

static void gdt_frame_free(pfn_t pfn)
{
	EXPECT_OK(frame_set_readonly(pfn, false));
	free_frames(pfn, 1);
}

/*
 * A GDT of three entries in the guest's own frame: the descriptors' DPL
 * is raised to 3, a data selector loads, the frame becomes a descriptor
 * page that cannot be mapped writable, and set_gdt(0) gives it back.
 */
TEST(set_gdt, install_and_load_selector)
{
	static const uint64_t descs[] = {0, DATA_DESC, CODE_DESC};
	unsigned long frames[1];
	pfn_t pfn;
	mfn_t mfn;
	const volatile uint64_t *gdt = gdt_frame(descs, 3, &pfn, &mfn);

	frames[0] = mfn_x(mfn);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 3));
	EXPECT_EQ(gdt[1], DATA_DESC | DESC_DPL3);
	EXPECT_EQ(gdt[2], CODE_DESC | DESC_DPL3);

	load_ds(1 << 3 | 3);
	EXPECT_EQ(read_ds(), 1 << 3 | 3);
	load_ds(0);

	EXPECT_ERR(frame_set_readonly(pfn, false), -EBUSY);
	EXPECT_ERR(mmu_update_one(paddr_add(mfn_to_paddr(mfn), 8), 0), -EINVAL);
	EXPECT_EQ(gdt[1], DATA_DESC | DESC_DPL3);

	ASSERT_OK(HYPERVISOR_set_gdt(frames, 0));
	gdt_frame_free(pfn);
}

/* Installing a new GDT gives back the old one's frames. */
TEST(set_gdt, replace_releases_old_frames)
{
	static const uint64_t descs[] = {0, DATA_DESC};
	unsigned long frames[1];
	pfn_t pa, pb;
	mfn_t ma, mb;

	gdt_frame(descs, 2, &pa, &ma);
	gdt_frame(descs, 2, &pb, &mb);
	frames[0] = mfn_x(ma);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 2));
	frames[0] = mfn_x(mb);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 2));
	EXPECT_OK(frame_set_readonly(pa, false)); /* a is free again */
	EXPECT_ERR(frame_set_readonly(pb, false), -EBUSY);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 0));
	free_frames(pa, 1);
	gdt_frame_free(pb);
}

/* update_descriptor on an installed descriptor page: checked, DPL 3. */
TEST(update_descriptor, descriptor_page)
{
	static const uint64_t descs[] = {0, 0};
	unsigned long frames[1];
	pfn_t pfn;
	mfn_t mfn;
	const volatile uint64_t *gdt = gdt_frame(descs, 2, &pfn, &mfn);

	frames[0] = mfn_x(mfn);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 2));
	EXPECT_OK(HYPERVISOR_update_descriptor(maddr(mfn) + 8, DATA_DESC));
	EXPECT_EQ(gdt[1], DATA_DESC | DESC_DPL3);
	load_ds(1 << 3 | 3);
	EXPECT_EQ(read_ds(), 1 << 3 | 3);
	load_ds(0);
	/* A system descriptor is refused, and the slot keeps its value. */
	EXPECT_ERR(HYPERVISOR_update_descriptor(maddr(mfn) + 8, TSS_DESC),
		   -EINVAL);
	EXPECT_EQ(gdt[1], DATA_DESC | DESC_DPL3);
	ASSERT_OK(HYPERVISOR_set_gdt(frames, 0));
	gdt_frame_free(pfn);
}

/* update_descriptor on an ordinary page is a checked write. */
TEST(update_descriptor, ordinary_page)
{
	pfn_t pfn;
	mfn_t mfn;
	volatile uint64_t *page = (uint64_t *)new_frame(0, &pfn, &mfn);

	EXPECT_OK(HYPERVISOR_update_descriptor(maddr(mfn) + 16, DATA_DESC));
	EXPECT_EQ(page[2], DATA_DESC | DESC_DPL3);
	/* A not-present descriptor is stored as it is. */
	EXPECT_OK(HYPERVISOR_update_descriptor(
		maddr(mfn) + 24, 0x1234567812345678UL & ~(1UL << 47)));
	EXPECT_EQ(page[3], 0x1234567812345678UL & ~(1UL << 47));
	EXPECT_ERR(HYPERVISOR_update_descriptor(maddr(mfn) + 32, TSS_DESC),
		   -EINVAL);
	EXPECT_EQ(page[4], 0);
	free_frames(pfn, 1);
}

/* Misaligned, page-table and unowned targets: -EINVAL, nothing written. */
TEST(update_descriptor, refused_targets)
{
	pfn_t pfn;
	mfn_t mfn, l1, other;
	uint64_t before, after;
	volatile uint64_t *page = (uint64_t *)new_frame(0, &pfn, &mfn);

	EXPECT_ERR(HYPERVISOR_update_descriptor(maddr(mfn) + 4, DATA_DESC),
		   -EINVAL);
	EXPECT_EQ(page[0], 0);
	EXPECT_EQ(page[1], 0);

	ASSERT_OK(pt_ensure((unsigned long)win(20, 0), 1, &l1));
	ASSERT_OK(pt_read_entry(l1, 5, &before));
	EXPECT_ERR(HYPERVISOR_update_descriptor(maddr(l1) + 40, DATA_DESC),
		   -EINVAL);
	ASSERT_OK(pt_read_entry(l1, 5, &after));
	EXPECT_EQ(after, before);

	ASSERT_OK(find_unowned_ram_frame(&other));
	EXPECT_ERR(HYPERVISOR_update_descriptor(maddr(other), DATA_DESC),
		   -EINVAL);
	free_frames(pfn, 1);
}

/* A GDT frame still mapped writable is refused; it stays writable. */
TEST(set_gdt, writable_frame_refused)
{
	unsigned long frames[1];
	pfn_t pfn;
	mfn_t mfn;
	volatile uint64_t *gdt = (uint64_t *)new_frame(0, &pfn, &mfn);

	gdt[1] = DATA_DESC;
	frames[0] = mfn_x(mfn);
	EXPECT_ERR(HYPERVISOR_set_gdt(frames, 2), -EINVAL);
	gdt[1] = 0x5555; /* still writable */
	EXPECT_EQ(gdt[1], 0x5555);
	free_frames(pfn, 1);
}

/* A system descriptor (TSS) anywhere in the frame is refused. */
TEST(set_gdt, system_descriptor_refused)
{
	static const uint64_t descs[] = {0, DATA_DESC, TSS_DESC, 0};
	unsigned long frames[1];
	pfn_t pfn;
	mfn_t mfn;

	gdt_frame(descs, 4, &pfn, &mfn);
	frames[0] = mfn_x(mfn);
	EXPECT_ERR(HYPERVISOR_set_gdt(frames, 2), -EINVAL);
	/* Nothing was installed: the frame can be made writable. */
	gdt_frame_free(pfn);
}

/* More entries than the guest's 14 pages hold; unowned frames. */
TEST(set_gdt, bad_size_or_frame_refused)
{
	static const uint64_t descs[] = {0, DATA_DESC};
	unsigned long frames[1];
	pfn_t pfn;
	mfn_t mfn, other;

	gdt_frame(descs, 2, &pfn, &mfn);
	frames[0] = mfn_x(mfn);
	EXPECT_ERR(HYPERVISOR_set_gdt(frames, GDT_MAX_ENTRIES + 1), -EINVAL);
	ASSERT_OK(find_unowned_ram_frame(&other));
	frames[0] = mfn_x(other);
	EXPECT_ERR(HYPERVISOR_set_gdt(frames, 2), -EINVAL);
	gdt_frame_free(pfn);
}
