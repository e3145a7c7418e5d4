/*
 * xl info, xl dmesg and xl top: the host and the hypervisor as dom0
 * sees them (physinfo, xen_version, sched_id, readconsole), and one
 * snapshot of each domain's CPU use over a second.
 */
#include "xl.h"

#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/hypercall.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <paravane/version.h>

#define DMESG_CHUNK 4096
#define DMESG_MAX_READS 256
#define TOP_INTERVAL_MS 1000

/* The scheduler's name as xl prints it. */
static const char *sched_name(uint32_t id)
{
	switch (id) {
	case XEN_SCHEDULER_CREDIT: return "credit";
	case XEN_SCHEDULER_CREDIT2: return "credit2";
	case XEN_SCHEDULER_ARINC653: return "arinc653";
	case XEN_SCHEDULER_RTDS: return "rtds";
	case XEN_SCHEDULER_NULL: return "null";
	default: return "unknown";
	}
}

static void field(const char *name, const char *value)
{
	printk("%-23s: %s\n", name, value);
}

static void field_ul(const char *name, unsigned long value)
{
	printk("%-23s: %lu\n", name, value);
}

static void print_version(void)
{
	static xen_capabilities_info_t caps;
	static xen_commandline_t cmdline;
	xen_extraversion_t extra = "";
	xen_changeset_info_t changeset = "";
	struct xen_platform_parameters pp = {0};
	struct xen_compile_info ci;
	int v = HYPERVISOR_xen_version(XENVER_version, NULL);
	char buf[64];

	HYPERVISOR_xen_version(XENVER_extraversion, extra);
	caps[0] = cmdline[0] = '\0';
	HYPERVISOR_xen_version(XENVER_capabilities, caps);
	HYPERVISOR_xen_version(XENVER_changeset, changeset);
	HYPERVISOR_xen_version(XENVER_platform_parameters, &pp);
	HYPERVISOR_xen_version(XENVER_commandline, cmdline);
	memset(&ci, 0, sizeof(ci));
	HYPERVISOR_xen_version(XENVER_compile_info, &ci);
	extra[sizeof(extra) - 1] = '\0';
	changeset[sizeof(changeset) - 1] = '\0';
	caps[sizeof(caps) - 1] = cmdline[sizeof(cmdline) - 1] = '\0';
	ci.compiler[sizeof(ci.compiler) - 1] = '\0';

	field_ul("xen_major", (unsigned long)(v >> 16));
	field_ul("xen_minor", (unsigned long)(v & 0xffff));
	field("xen_extra", extra);
	snprintf(buf, sizeof(buf), "%d.%d%s", v >> 16, v & 0xffff, extra);
	field("xen_version", buf);
	field("xen_caps", caps);
	snprintf(buf, sizeof(buf), "virt_start=%#lx", pp.virt_start);
	field("platform_params", buf);
	field("xen_changeset", changeset);
	field("xen_commandline", cmdline);
	field("cc_compiler", ci.compiler);
	field_ul("xen_pagesize",
		 (unsigned long)HYPERVISOR_xen_version(XENVER_pagesize, NULL));
}

/* xl info */
int cmd_info(int argc, char **argv)
{
	struct xen_sysctl_physinfo pi;
	uint32_t sched = 0;
	char buf[32];
	int rc = ctrl_physinfo(&pi);

	if (rc) {
		printk("xl: physinfo failed (%d)\n", rc);
		return rc;
	}
	ctrl_sched_id(&sched);
	field("host", "dom0");
	field("release", PARAVANE_VERSION);
	field("machine", "x86_64");
	field_ul("nr_cpus", pi.nr_cpus);
	field_ul("max_cpu_id", pi.max_cpu_id);
	field_ul("nr_nodes", pi.nr_nodes);
	field_ul("cores_per_socket", pi.cores_per_socket);
	field_ul("threads_per_core", pi.threads_per_core);
	snprintf(buf, sizeof(buf), "%u", pi.cpu_khz / 1000);
	field("cpu_mhz", buf);
	snprintf(buf, sizeof(buf), "%s%s%s",
		 (pi.capabilities & XEN_SYSCTL_PHYSCAP_pv) ? "pv" : "",
		 (pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1) ? " gnttab-v1"
								  : "",
		 (pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2) ? " gnttab-v2"
								  : "");
	field("virt_caps", buf);
	field_ul("total_memory", (unsigned long)(pi.total_pages >> 8));
	field_ul("free_memory", (unsigned long)(pi.free_pages >> 8));
	field_ul("free_pages", (unsigned long)pi.free_pages);
	field("xen_scheduler", sched_name(sched));
	print_version();
	return 0;
}

/* xl dmesg: the hypervisor's console ring, oldest first. */
int cmd_dmesg(int argc, char **argv)
{
	static char buf[DMESG_CHUNK];
	uint32_t index = 0;

	for (unsigned int i = 0; i < DMESG_MAX_READS; i++) {
		uint32_t count = sizeof(buf), was = index;
		int rc = ctrl_readconsole(buf, &count, &index, true);

		if (rc) {
			printk("xl: readconsole failed (%d)\n", rc);
			return rc;
		}
		console_write(buf, count);
		/* Done when nothing more came. */
		if (!count || index == was)
			break;
	}
	return 0;
}

static void tenths(char *out, size_t size, uint64_t v)
{
	snprintf(out, size, "%lu.%lu", (unsigned long)(v / 10),
		 (unsigned long)(v % 10));
}

/* xl top: one snapshot of CPU use over TOP_INTERVAL_MS, like xentop. */
int cmd_top(int argc, char **argv)
{
	static ctrl_dominfo_t before[XL_MAX_DOMAINS], after[XL_MAX_DOMAINS];
	struct xen_sysctl_physinfo pi;
	unsigned int nb, na, running = 0, blocked = 0, paused = 0, down = 0;
	uint64_t t0, t1;
	int rc;

	rc = domains_list(before, XL_MAX_DOMAINS, &nb);
	t0 = wait_now();
	if (!rc) {
		xl_events_sleep_ms(TOP_INTERVAL_MS);
		rc = domains_list(after, XL_MAX_DOMAINS, &na);
	}
	t1 = wait_now();
	if (!rc)
		rc = ctrl_physinfo(&pi);
	if (rc) {
		printk("xl: top failed (%d)\n", rc);
		return rc;
	}
	for (unsigned int i = 0; i < na; i++) {
		uint32_t f = after[i].flags;

		running += !!(f & XEN_DOMINF_running);
		blocked += !!(f & XEN_DOMINF_blocked);
		paused += !!(f & XEN_DOMINF_paused);
		down += !!(f & XEN_DOMINF_shutdown);
	}
	printk("xentop - Paravane dom0, one snapshot over %u ms\n",
	       TOP_INTERVAL_MS);
	printk("%u domains: %u running, %u blocked, %u paused, %u shutdown\n",
	       na, running, blocked, paused, down);
	printk("Mem: %luk total, %luk used, %luk free    CPUs: %u @ %uMHz\n",
	       (unsigned long)pi.total_pages * 4,
	       (unsigned long)(pi.total_pages - pi.free_pages) * 4,
	       (unsigned long)pi.free_pages * 4, pi.nr_cpus, pi.cpu_khz / 1000);
	printk("%18s %6s %10s %6s %10s %6s %5s\n", "NAME", "STATE", "CPU(sec)",
	       "CPU(%)", "MEM(k)", "MEM(%)", "VCPUS");
	for (unsigned int i = 0; i < na; i++) {
		const ctrl_dominfo_t *a = &after[i];
		uint64_t used = 0, pct, mem = a->tot_pages * 4;
		char state[7], cpu[16], mpct[16];

		for (unsigned int j = 0; j < nb; j++)
			if (before[j].domain == a->domain &&
			    a->cpu_time >= before[j].cpu_time)
				used = a->cpu_time - before[j].cpu_time;
		pct = t1 > t0 ? used * 1000 / (t1 - t0) : 0;
		snprintf(state, sizeof(state), "%c%c%c%c%c%c",
			 (a->flags & XEN_DOMINF_dying) ? 'd' : '-',
			 (a->flags & XEN_DOMINF_shutdown) ? 's' : '-',
			 (a->flags & XEN_DOMINF_blocked) ? 'b' : '-',
			 (a->flags & XEN_DOMINF_paused) ? 'p' : '-',
			 (a->flags & XEN_DOMINF_shutdown) &&
					 ctrl_dominfo_shutdown_reason(a) ==
						 SHUTDOWN_crash
				 ? 'c'
				 : '-',
			 (a->flags & XEN_DOMINF_running) ? 'r' : '-');
		tenths(cpu, sizeof(cpu), pct);
		tenths(mpct, sizeof(mpct),
		       pi.total_pages ? mem * 1000 / (pi.total_pages * 4) : 0);
		printk("%18s %6s %10lu %6s %10lu %6s %5u\n",
		       domains_name(a->domain), state,
		       (unsigned long)(a->cpu_time / 1000000000), cpu,
		       (unsigned long)mem, mpct, a->nr_online_vcpus);
	}
	return 0;
}
