/*
 * dom0's domain builder: the same start-of-day layout the hypervisor
 * gives dom0 (lib/pv_layout.c), built from outside the new domain
 * through the hypercalls a toolstack makes (see <ctrl/build.h> for the
 * steps). The new domain's frames are reached through dom0's foreign
 * window (mm/foreign.c): only the bootstrap region (kernel, ramdisk, p2m
 * list, start_info, store and console pages, page tables, boot stack) is
 * mapped, zeroed and written; the rest of its memory is left as the
 * hypervisor handed it out (scrubbed).
 *
 * Before the L4 is pinned every mapping of the region is gone: a frame
 * dom0 still maps writable could not be validated as a page table.
 */
#include <ctrl/build.h>
#include <ctrl/ctrl.h>
#include <guest/errno.h>
#include <guest/foreign.h>
#include <guest/heap.h>
#include <guest/hypercall.h>
#include <guest/pgtable.h>
#include <paravane/printf.h>
#include <paravane/pv_elf.h>
#include <paravane/pv_layout.h>
#include <paravane/string.h>

#define POPULATE_BATCH 1024UL
/* The hypervisor's part of the address space (Xen's L4 slots 256-271). */
#define HV_VIRT_START 0xFFFF800000000000UL
#define HV_VIRT_END 0xFFFF880000000000UL
#define CANONICAL_LOW_END 0x0000800000000000UL

struct builder {
	const struct build_params *p;
	struct build_info *out;
	struct pv_image img;
	struct pv_layout l;
	unsigned long nr_pages, boot_pages;
	xen_pfn_t *p2m;	 /* pfn -> mfn */
	uint8_t *region; /* the bootstrap region, mapped */
};

static int fail(struct builder *b, int rc, const char *fmt, ...) __printf(3, 4);

static int fail(struct builder *b, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->out->error, sizeof(b->out->error), fmt, ap);
	va_end(ap);
	return rc;
}

static bool range_is_guest(uint64_t s, uint64_t e)
{
	if (e <= s)
		return false;
	if (e <= CANONICAL_LOW_END)
		return true;
	return s >= HV_VIRT_END;
}

/* Parse the image and lay the domain out; nothing is created. */
static int plan(struct builder *b)
{
	const struct build_params *p = b->p;
	const char *why;
	int rc;

	if (!p->kernel || !p->kernel_len)
		return fail(b, -EINVAL, "no kernel image");
	if (!p->max_vcpus || p->max_vcpus > XEN_LEGACY_MAX_VCPUS)
		return fail(b, -EINVAL, "%u vCPUs: 1 to %u are possible",
			    p->max_vcpus, XEN_LEGACY_MAX_VCPUS);
	if (pv_image_parse(p->kernel, p->kernel_len, &b->img, &why))
		return fail(b, -EINVAL, "bad kernel image: %s", why);
	b->nr_pages = p->memory_kb >> 2;
	rc = pv_layout_compute(&b->l, b->img.notes.virt_base,
			       b->img.virt_kstart, b->img.virt_kend,
			       p->ramdisk ? p->ramdisk_len : 0, b->nr_pages,
			       true);
	b->boot_pages = (b->l.v_end - b->l.v_start) >> PAGE_SHIFT;
	if (rc)
		return fail(b, -ENOMEM,
			    "%lu KiB of memory is too little: the initial "
			    "mapping alone needs %lu KiB",
			    p->memory_kb, b->boot_pages * 4);
	if (!range_is_guest(b->l.v_start, b->l.v_end))
		return fail(b, -EINVAL,
			    "the kernel's region %#lx-%#lx is not guest space",
			    b->l.v_start, b->l.v_end);
	b->out->nr_pages = b->nr_pages;
	b->out->entry = b->img.virt_entry;
	b->out->start_info_va = b->l.si_start;
	return 0;
}

/* Check that an image and its memory size could be built. */
int build_check(const struct build_params *p, struct build_info *out)
{
	struct builder b = {.p = p, .out = out};

	out->error[0] = '\0';
	return plan(&b);
}

/* Create the empty, paused domain (out->domid) with its limits. */
int build_create(const struct build_params *p, struct build_info *out)
{
	struct builder b = {.p = p, .out = out};
	domid_t domid = 0;
	int rc;

	out->error[0] = '\0';
	rc = plan(&b);
	if (rc)
		return rc;
	rc = ctrl_createdomain(&domid, p->max_vcpus);
	if (rc)
		return fail(&b, rc, "createdomain failed (%d)", rc);
	out->domid = domid;
	rc = ctrl_max_vcpus(domid, p->max_vcpus);
	if (rc) {
		fail(&b, rc, "max_vcpus failed (%d)", rc);
		goto err_destroy;
	}
	rc = ctrl_max_mem(domid, MAX(p->max_kb, p->memory_kb));
	if (rc) {
		fail(&b, rc, "max_mem failed (%d)", rc);
		goto err_destroy;
	}
	return 0;

err_destroy:
	ctrl_destroydomain(domid);
	return rc;
}

static int populate(struct builder *b)
{
	domid_t domid = b->out->domid;

	b->p2m = kmalloc(b->nr_pages * sizeof(xen_pfn_t));
	if (!b->p2m)
		return fail(b, -ENOMEM, "no memory for a p2m of %lu pages",
			    b->nr_pages);
	for (unsigned long pfn = 0; pfn < b->nr_pages; pfn++)
		b->p2m[pfn] = pfn;
	for (unsigned long i = 0; i < b->nr_pages; i += POPULATE_BATCH) {
		unsigned long n = MIN(POPULATE_BATCH, b->nr_pages - i);
		long done = ctrl_populate_physmap(domid, b->p2m + i, n);

		if (done != (long)n)
			return fail(b, -ENOMEM,
				    "the hypervisor gave %lu of %lu pages",
				    i + (done > 0 ? (unsigned long)done : 0),
				    b->nr_pages);
	}
	return 0;
}

static void *region_at(struct builder *b, uint64_t va)
{
	return b->region + (va - b->l.v_start);
}

static uint64_t *map_table(void *ctx, unsigned long pfn)
{
	struct builder *b = ctx;

	return (uint64_t *)(b->region + (pfn << PAGE_SHIFT));
}

static void load_segments(struct builder *b)
{
	const struct pv_image *img = &b->img;
	uint64_t delta = img->notes.virt_base - img->notes.paddr_offset;

	for (unsigned int i = 0; i < img->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = pv_image_phdr(img, i);

		if (ph->p_type == PT_LOAD && ph->p_filesz)
			memcpy(region_at(b, ph->p_paddr + delta),
			       img->data + ph->p_offset, ph->p_filesz);
	}
}

static int open_channels(struct builder *b)
{
	struct build_info *o = b->out;
	int rc = ctrl_evtchn_alloc_unbound(o->domid, 0, &o->store_port);

	if (!rc)
		rc = ctrl_evtchn_alloc_unbound(o->domid, 0, &o->console_port);
	return rc ? fail(b, rc,
			 "cannot open the store and console channels "
			 "(%d)",
			 rc)
		  : 0;
}

/*
 * Mask events on every vCPU of the new domain, as Xen's libxenguest
 * does: Xen hands out a new domain's shared_info zeroed, and an event
 * sent before the kernel has registered its callbacks (a key typed into
 * its console) would crash it. Paravane masks them at createdomain too.
 */
static int mask_events(struct builder *b, xen_pfn_t shared_info_frame)
{
	shared_info_t *s;
	int rc = foreign_map(b->out->domid, &shared_info_frame, 1, true,
			     (void **)&s);

	if (rc)
		return fail(b, rc,
			    "cannot map the new domain's shared_info (%d)", rc);
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		s->vcpu_info[i].evtchn_upcall_mask = 1;
	return foreign_unmap(s, 1);
}

static int fill_start_info(struct builder *b)
{
	struct build_info *o = b->out;
	ctrl_dominfo_t info;
	struct pv_start_info_args a = {
		.nr_pages = b->nr_pages,
		.flags = 0,
		.pae = b->img.notes.pae,
		.cmdline = b->p->cmdline,
		.store_evtchn = o->store_port,
		.console_evtchn = o->console_port,
	};
	int rc = ctrl_getdomaininfo(o->domid, &info);

	if (rc)
		return fail(b, rc, "getdomaininfo failed (%d)", rc);
	rc = mask_events(b, info.shared_info_frame);
	if (rc)
		return rc;
	o->store_mfn = b->p2m[pv_layout_pfn(&b->l, b->l.store_start)];
	o->console_mfn = b->p2m[pv_layout_pfn(&b->l, b->l.console_start)];
	o->start_info_mfn = b->p2m[pv_layout_pfn(&b->l, b->l.si_start)];
	a.shared_info_maddr = info.shared_info_frame << PAGE_SHIFT;
	a.store_mfn = o->store_mfn;
	a.console_mfn = o->console_mfn;
	pv_layout_fill_start_info(region_at(b, b->l.si_start), &b->l, &a);
	return 0;
}

/* Write the bootstrap region; returns the L4's machine frame in *l4. */
static int write_region(struct builder *b, xen_pfn_t *l4)
{
	int rc = foreign_map(b->out->domid, b->p2m, b->boot_pages, true,
			     (void **)&b->region);

	if (rc)
		return fail(b, rc, "cannot map the new domain's memory (%d)",
			    rc);
	memset(b->region, 0, b->boot_pages << PAGE_SHIFT);
	load_segments(b);
	if (b->p->ramdisk && b->p->ramdisk_len)
		memcpy(region_at(b, b->l.initrd_start), b->p->ramdisk,
		       b->p->ramdisk_len);
	memcpy(region_at(b, b->l.p2m_start), b->p2m,
	       b->nr_pages * sizeof(xen_pfn_t));
	*l4 = pv_layout_build_tables(&b->l, b->p2m, map_table, b);
	rc = open_channels(b);
	if (!rc)
		rc = fill_start_info(b);
	foreign_unmap(b->region, b->boot_pages);
	b->region = NULL;
	return rc;
}

static int pin_l4(struct builder *b, xen_pfn_t l4)
{
	struct mmuext_op op = {.cmd = MMUEXT_PIN_L4_TABLE};
	int rc;

	op.arg1.mfn = l4;
	rc = HYPERVISOR_mmuext_op(&op, 1, NULL, b->out->domid);
	return rc ? fail(b, rc,
			 "the bootstrap page tables do not validate "
			 "(%d)",
			 rc)
		  : 0;
}

static int start_vcpu0(struct builder *b, xen_pfn_t l4)
{
	vcpu_guest_context_t *c = kzalloc(sizeof(*c));
	struct cpu_user_regs *r;
	int rc;

	if (!c)
		return fail(b, -ENOMEM, "no memory for a vCPU context");
	r = &c->user_regs;
	r->rip = b->img.virt_entry;
	r->rsp = b->l.stack_end;
	r->rsi = b->l.si_start;
	r->rflags = 1UL << 9; /* IF */
	r->cs = FLAT_KERNEL_CS;
	r->ss = FLAT_KERNEL_SS;
	r->ds = r->es = r->fs = r->gs = FLAT_KERNEL_DS;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = b->l.stack_end;
	c->ctrlreg[3] = xen_pfn_to_cr3(l4);
	c->debugreg[6] = 0xffff0ff0;
	c->debugreg[7] = 0x400;
	c->flags = VGCF_in_kernel | VGCF_online;
	rc = ctrl_setvcpucontext(b->out->domid, 0, c);
	kfree(c);
	return rc ? fail(b, rc, "setvcpucontext failed (%d)", rc) : 0;
}

/*
 * Fill the domain out->domid (made by build_create, still paused) from
 * the kernel image: memory, image, page tables, start_info, channels,
 * hypercall page and vCPU 0. It stays paused.
 */
int build_image(const struct build_params *p, struct build_info *out)
{
	struct builder b = {.p = p, .out = out};
	xen_pfn_t l4 = 0;
	int rc;

	out->error[0] = '\0';
	rc = plan(&b);
	if (!rc)
		rc = populate(&b);
	if (!rc)
		rc = write_region(&b, &l4);
	if (!rc && b.img.notes.has_hypercall_page) {
		unsigned long pfn =
			pv_layout_pfn(&b.l, b.img.notes.hypercall_page);

		rc = ctrl_hypercall_init(out->domid, b.p2m[pfn]);
		if (rc)
			fail(&b, rc, "hypercall_init failed (%d)", rc);
	}
	if (!rc)
		rc = pin_l4(&b, l4);
	if (!rc)
		rc = start_vcpu0(&b, l4);
	kfree(b.p2m);
	return rc;
}

/*
 * Create, build and start a domain; out->domid is its id. On failure
 * any domain made on the way is destroyed.
 */
int build_domain(const struct build_params *p, struct build_info *out)
{
	int rc = build_create(p, out);

	if (rc)
		return rc;
	rc = build_image(p, out);
	if (!rc) {
		rc = ctrl_unpausedomain(out->domid);
		if (rc)
			snprintf(out->error, sizeof(out->error),
				 "unpause failed (%d)", rc);
	}
	if (rc)
		ctrl_destroydomain(out->domid);
	return rc;
}
