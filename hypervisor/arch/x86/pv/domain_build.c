/*
 * The hypervisor's PV domain builder (for dom0): from a kernel image to a
 * vCPU ready to enter it, laid out exactly as Xen lays out a 64-bit PV
 * guest (lib/pv_layout.c, which dom0's own builder of other domains uses
 * too). The bootstrap page tables map the whole region (themselves
 * read-only) and are validated by the same page-type code that checks every later
 * guest update, then pinned. vCPU 0 enters at the kernel's entry point in
 * ring 3 with %rsi pointing at start_info and %rsp at the top of the boot
 * stack.
 */
#include <paravane/pv_elf.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <paravane/pv_layout.h>
#include <xen/xen.h>

#include <asm/domain_build.h>
#include <asm/guest_access.h>
#include <asm/m2p.h>
#include <asm/page_type.h>
#include <asm/paging.h>
#include <asm/pv.h>

struct builder {
	const struct pv_build_args *a;
	struct pv_image img;
	struct pv_layout l;
	unsigned long *p2m; /* pfn -> mfn */
};

/* Place everything after the kernel, as Xen does (lib/pv_layout.c). */
static int compute_layout(struct builder *b)
{
	struct pv_layout *l = &b->l;

	if (pv_layout_compute(l, b->img.notes.virt_base, b->img.virt_kstart,
			      b->img.virt_kend, b->a->initrd_len,
			      b->a->nr_pages, !b->a->d->is_privileged)) {
		pr_err("builder: the initial mapping needs %lu pages, the domain has %lu\n",
		       (unsigned long)((l->v_end - l->v_start) >> PAGE_SHIFT),
		       b->a->nr_pages);
		return -ENOMEM;
	}
	if (!guest_range_ok((void *)l->v_start, l->v_end - l->v_start)) {
		pr_err("builder: the kernel region overlaps the hypervisor\n");
		return -EINVAL;
	}
	return 0;
}

static int allocate_memory(struct builder *b)
{
	struct domain *d = b->a->d;
	unsigned long pfn = 0, n = b->a->nr_pages;

	d->max_pages = n;
	b->p2m = xzalloc_array(unsigned long, n);
	if (!b->p2m)
		return -ENOMEM;
	while (pfn < n) {
		unsigned int order = 9;
		struct page_info *pg = NULL;

		while ((1UL << order) > n - pfn)
			order--;
		for (;; order--) {
			pg = alloc_domheap_pages(NULL, order);
			if (pg || !order)
				break;
		}
		if (!pg || domain_assign_pages(d, pg, order))
			return -ENOMEM;
		for (unsigned long i = 0; i < (1UL << order); i++, pfn++) {
			b->p2m[pfn] = mfn_x(page_to_mfn(pg)) + i;
			set_gpfn_from_mfn(_mfn(b->p2m[pfn]), pfn);
		}
	}
	return 0;
}

static void *pfn_to_virt(struct builder *b, unsigned long pfn)
{
	return mfn_to_virt(_mfn(b->p2m[pfn]));
}

static unsigned long va_to_pfn(struct builder *b, uint64_t va)
{
	return pv_layout_pfn(&b->l, va);
}

/* Copy len bytes to guest virtual address va of the region. */
static void copy_to_region(struct builder *b, uint64_t va, const void *src,
			   size_t len)
{
	const uint8_t *s = src;

	while (len) {
		size_t off = va & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);

		memcpy((uint8_t *)pfn_to_virt(b, va_to_pfn(b, va)) + off, s, n);
		va += n;
		s += n;
		len -= n;
	}
}

static void load_kernel(struct builder *b)
{
	const struct pv_image *img = &b->img;
	uint64_t delta = img->notes.virt_base - img->notes.paddr_offset;

	for (unsigned int i = 0; i < img->ehdr->e_phnum; i++) {
		const struct elf64_phdr *ph = pv_image_phdr(img, i);

		if (ph->p_type == PT_LOAD && ph->p_filesz)
			copy_to_region(b, ph->p_paddr + delta,
				       img->data + ph->p_offset, ph->p_filesz);
	}
	if (b->a->initrd_len)
		copy_to_region(b, b->l.initrd_start, b->a->initrd,
			       b->a->initrd_len);
	copy_to_region(b, b->l.p2m_start, b->p2m,
		       b->a->nr_pages * sizeof(unsigned long));
}

static uint64_t *map_frame(void *ctx, unsigned long pfn)
{
	return pfn_to_virt(ctx, pfn);
}

/* Fill a hypercall page: Xen's 32-byte SYSCALL stubs, 0xcc elsewhere. */
void fill_hypercall_page(void *page)
{
	uint8_t *p = page;

	memset(p, 0xcc, PAGE_SIZE);
	for (unsigned int i = 0; i < PAGE_SIZE / 32; i++, p += 32) {
		static const uint8_t head[] = {0x51, 0x41, 0x53};
		unsigned int n = 0;

		memcpy(p, head, sizeof(head)); /* push %rcx; push %r11 */
		n = sizeof(head);
		if (i == __HYPERVISOR_iret)
			p[n++] = 0x50; /* push %rax */
		p[n++] = 0xb8;	       /* mov $i, %eax */
		memcpy(p + n, &i, 4);
		n += 4;
		p[n++] = 0x0f; /* syscall */
		p[n++] = 0x05;
		if (i == __HYPERVISOR_iret)
			continue; /* does not return */
		p[n++] = 0x41;	  /* pop %r11; pop %rcx; ret */
		p[n++] = 0x5b;
		p[n++] = 0x59;
		p[n++] = 0xc3;
	}
}

static void fill_start_info(struct builder *b)
{
	struct domain *d = b->a->d;
	struct pv_start_info_args args = {
		.nr_pages = b->a->nr_pages,
		.shared_info_maddr = paddr_x(virt_to_maddr(d->shared_info)),
		.flags = d->is_privileged ? (SIF_PRIVILEGED | SIF_INITDOMAIN)
					  : 0,
		.pae = b->img.notes.pae,
		.cmdline = b->a->cmdline,
	};

	pv_layout_fill_start_info(
		pfn_to_virt(b, pv_layout_pfn(&b->l, b->l.si_start)), &b->l,
		&args);
}

static void setup_vcpu0(struct builder *b, mfn_t l4)
{
	struct vcpu *v = b->a->d->vcpu[0];
	struct cpu_user_regs *r = &v->arch.user_regs;

	memset(r, 0, sizeof(*r));
	r->rip = b->img.virt_entry;
	r->rsp = b->l.stack_end;
	r->rsi = b->l.si_start;
	r->rflags = X86_EFLAGS_IF;
	r->cs = FLAT_KERNEL_CS;
	r->ss = FLAT_KERNEL_SS;
	v->arch.kernel_ss = FLAT_KERNEL_SS;
	v->arch.kernel_sp = b->l.stack_end;
	v->arch.flags = TF_kernel_mode;
	v->arch.guest_table = l4;
	v->pause_flags &= ~VPF_down;
	v->is_initialised = true;
}

static void print_layout(const struct builder *b)
{
	const struct pv_layout *l = &b->l;

	printk("Domain %u: %lu pages; virtual memory arrangement:\n",
	       b->a->d->domain_id, b->a->nr_pages);
	printk("  Loaded kernel: %016lx->%016lx\n", l->kern_start, l->kern_end);
	printk("  Init. ramdisk: %016lx->%016lx\n", l->initrd_start,
	       l->initrd_end);
	printk("  Phys-Mach map: %016lx->%016lx\n", l->p2m_start, l->p2m_end);
	printk("  Start info:    %016lx->%016lx\n", l->si_start, l->si_end);
	printk("  Page tables:   %016lx->%016lx (%lu frames)\n", l->pt_start,
	       l->pt_end, l->nr_pt);
	printk("  Boot stack:    %016lx->%016lx\n", l->stack_start,
	       l->stack_end);
	printk("  TOTAL:         %016lx->%016lx\n", l->v_start, l->v_end);
	printk("  ENTRY ADDRESS: %016lx\n", b->img.virt_entry);
}

/*
 * Build domain a->d from its kernel image: memory, image, page tables,
 * start_info, hypercall page and vCPU 0's entry state. The domain (with
 * vCPU 0 created) is left paused for the caller to start.
 */
int pv_build_domain(const struct pv_build_args *a)
{
	struct builder b = {.a = a};
	struct page_info *l4pg;
	const char *why;
	mfn_t l4;
	int rc;

	if (pv_image_parse(a->kernel, a->kernel_len, &b.img, &why)) {
		pr_err("builder: bad kernel image: %s\n", why);
		return -EINVAL;
	}
	/* As Xen: a kernel that lists its features must list dom0. */
	if (a->d->is_privileged && b.img.notes.has_supported_features &&
	    !pv_image_has_feature(&b.img, XENFEAT_dom0)) {
		pr_err("builder: the kernel does not support running as dom0\n");
		return -EINVAL;
	}
	rc = compute_layout(&b);
	if (!rc)
		rc = allocate_memory(&b);
	if (rc)
		goto out;

	load_kernel(&b);
	if (b.img.notes.has_hypercall_page)
		fill_hypercall_page(pfn_to_virt(
			&b, va_to_pfn(&b, b.img.notes.hypercall_page)));
	l4 = _mfn(pv_layout_build_tables(&b.l, b.p2m, map_frame, &b));
	l4pg = mfn_to_page(l4);
	/* One type reference pins the tree, one is CR3's. */
	rc = get_page_and_type(l4pg, a->d, PGT_l4_page_table);
	if (rc) {
		pr_err("builder: the initial page tables do not validate (%d)\n",
		       rc);
		goto out;
	}
	l4pg->u.inuse.type_info |= PGT_pinned;
	rc = get_page_and_type(l4pg, a->d, PGT_l4_page_table);
	if (rc)
		goto out;
	fill_start_info(&b);
	setup_vcpu0(&b, l4);
	print_layout(&b);
out:
	xfree(b.p2m);
	return rc;
}
