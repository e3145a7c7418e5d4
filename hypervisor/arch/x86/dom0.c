/*
 * Starting dom0: the first boot module is its kernel, the second (if
 * any) its initial ramdisk, and the first module's command line is its
 * command line. After the build, the modules' memory goes to the heap.
 *
 *   dom0_mem=<size>       dom0's memory (default 256 MiB, at most what
 *                         the heap can give while keeping a reserve)
 *   dom0_max_vcpus=<n>    dom0's vCPUs (default 1)
 */
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/param.h>
#include <hv/sched.h>

#include <asm/domain_build.h>
#include <asm/irq.h>
#include <asm/page.h>
#include <asm/setup.h>
#include <asm/smp.h>

#define DOM0_MEM_DEFAULT (256UL << 20)
#define HEAP_RESERVE (32UL << 20) /* kept for the hypervisor itself */

static uint64_t opt_dom0_mem;
size_param("dom0_mem", opt_dom0_mem);

/* dom0's vCPUs (vCPU 0 starts; dom0 brings up the others itself). */
static unsigned int opt_dom0_max_vcpus = 1;
integer_param("dom0_max_vcpus", opt_dom0_max_vcpus);

static unsigned long dom0_pages(void)
{
	uint64_t want = opt_dom0_mem ? opt_dom0_mem : DOM0_MEM_DEFAULT;
	uint64_t avail = (uint64_t)heap_free_pages() << PAGE_SHIFT;

	if (avail < HEAP_RESERVE * 2)
		return 0;
	if (want > avail - HEAP_RESERVE) {
		pr_warn("dom0_mem: only %lu MiB available\n",
			(unsigned long)((avail - HEAP_RESERVE) >> 20));
		want = avail - HEAP_RESERVE;
	}
	return want >> PAGE_SHIFT;
}

static void release_module(const struct boot_module *m)
{
	uint64_t s = ROUNDUP(paddr_x(m->start), PAGE_SIZE);
	uint64_t e = ROUNDDOWN(paddr_x(m->start) + m->size, PAGE_SIZE);

	if (e > s)
		heap_init_range(_mfn(s >> PAGE_SHIFT), (e - s) >> PAGE_SHIFT,
				true);
}

/* Build and start dom0 from the boot modules, if there is a kernel. */
void create_dom0(void)
{
	const struct boot_info *bi = &boot_info;
	struct pv_build_args a = {0};
	struct domain *d;

	if (!bi->nr_mods) {
		pr_warn("No dom0 kernel among the boot modules: nothing to run.\n");
		return;
	}
	opt_dom0_max_vcpus = MIN(MAX(opt_dom0_max_vcpus, 1U),
				 (unsigned int)MAX_VIRT_CPUS_PER_DOMAIN);
	d = domain_create(0, true, opt_dom0_max_vcpus);
	if (!d)
		panic("cannot create dom0\n");
	for (unsigned int i = 0; i < opt_dom0_max_vcpus; i++)
		if (!vcpu_create(d, i, i % nr_online_cpus))
			panic("cannot create dom0's vCPU %u\n", i);
	a.d = d;
	a.kernel = maddr_to_virt(bi->mods[0].start);
	a.kernel_len = bi->mods[0].size;
	if (bi->nr_mods > 1) {
		a.initrd = maddr_to_virt(bi->mods[1].start);
		a.initrd_len = bi->mods[1].size;
	}
	a.cmdline = bi->mods[0].cmdline;
	a.nr_pages = dom0_pages();
	printk("Building dom0: %lu MiB, kernel %lu KiB, ramdisk %lu KiB\n",
	       a.nr_pages >> 8, a.kernel_len >> 10, a.initrd_len >> 10);
	if (pv_build_domain(&a))
		panic("could not build dom0\n");
	hardware_domain = d;
	pirq_setup_dom0(d);
	for (unsigned int i = 0; i < bi->nr_mods; i++)
		release_module(&bi->mods[i]);
	vcpu_wake(d->vcpu[0]);
}
