/*
 * start_info, the page through which Xen describes the domain at boot:
 * memory size, where the p2m list and bootstrap page tables are, the
 * shared_info frame, the store and console channels, the initial module
 * and the command line. It stays mapped in the bootstrap region.
 */
#include <guest/bootinfo.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

const start_info_t *start_info;
unsigned long boot_stack_pointer;

/* Keep the boot information and parse the command line. */
void bootinfo_init(const start_info_t *si, unsigned long boot_sp)
{
	start_info = si;
	boot_stack_pointer = boot_sp;
	cmdline_init((const char *)si->cmd_line, sizeof(si->cmd_line));
}

/* Whether this is the initial domain (dom0), which owns the hardware. */
bool is_initial_domain(void)
{
	return start_info->flags & SIF_INITDOMAIN;
}

static void print_flags(uint32_t flags)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{SIF_PRIVILEGED, "privileged"},
		{SIF_INITDOMAIN, "initdomain"},
		{SIF_MULTIBOOT_MOD, "multiboot_mod"},
		{SIF_MOD_START_PFN, "mod_start_pfn"},
		{SIF_VIRT_P2M_4TOOLS, "virt_p2m_4tools"},
	};
	unsigned int i;

	printk("  flags        %#x", flags);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].bit)
			printk(" %s", names[i].name);
	if (flags & SIF_PM_MASK)
		printk(" pm=%#x", (flags & SIF_PM_MASK) >> 8);
	printk("\n");
}

/* Print every start_info field. */
void bootinfo_print(void)
{
	const start_info_t *si = start_info;
	char magic[sizeof(si->magic) + 1];

	memcpy(magic, si->magic, sizeof(si->magic));
	magic[sizeof(si->magic)] = '\0';
	printk("start_info at %p:\n", (const void *)si);
	printk("  magic        \"%s\"\n", magic);
	printk("  nr_pages     %lu (%lu MiB)\n", si->nr_pages,
	       si->nr_pages >> 8);
	printk("  shared_info  machine address %#lx\n", si->shared_info);
	print_flags(si->flags);
	printk("  store        mfn %#lx evtchn %u\n",
	       (unsigned long)si->store_mfn, si->store_evtchn);
	if (si->flags & SIF_INITDOMAIN)
		printk("  console      dom0 info_off %#x info_size %u\n",
		       si->console.dom0.info_off, si->console.dom0.info_size);
	else
		printk("  console      domU mfn %#lx evtchn %u\n",
		       (unsigned long)si->console.domU.mfn,
		       si->console.domU.evtchn);
	printk("  pt_base      %#lx (%lu frames)\n", si->pt_base,
	       si->nr_pt_frames);
	printk("  mfn_list     %#lx\n", si->mfn_list);
	printk("  mod_start    %#lx mod_len %lu\n", si->mod_start, si->mod_len);
	printk("  first_p2m    pfn %#lx (%lu frames)\n", si->first_p2m_pfn,
	       si->nr_p2m_frames);
	printk("  cmd_line     \"%s\"\n", cmdline_text());
	printk("  boot stack   %#lx\n", boot_stack_pointer);
}
