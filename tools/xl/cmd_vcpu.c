/*
 * xl vcpu-list, xl vcpu-pin and xl sched-credit: where each vCPU runs,
 * its hard affinity, and the credit scheduler's weight and cap of each
 * domain (getvcpuinfo, set/getvcpuaffinity, scheduler_op).
 */
#include "xl.h"

#include <guest/console.h>
#include <guest/errno.h>
#include <paravane/printf.h>
#include <paravane/string.h>

static ctrl_dominfo_t infos[XL_MAX_DOMAINS];

static uint64_t online_cpus(void)
{
	struct xen_sysctl_physinfo pi;

	if (ctrl_physinfo(&pi) || !pi.nr_cpus || pi.nr_cpus >= CTRL_MAX_CPUS)
		return ~0ULL;
	return (1ULL << pi.nr_cpus) - 1;
}

/* A CPU mask as xl writes it: "all", or ranges like "0-1,3". */
static void cpus_text(uint64_t mask, uint64_t online, char *out, size_t size)
{
	size_t n = 0;

	if ((mask & online) == online) {
		strlcpy(out, "all", size);
		return;
	}
	out[0] = '\0';
	for (unsigned int c = 0; c < CTRL_MAX_CPUS && n < size; c++) {
		unsigned int e = c;

		if (!((mask >> c) & 1))
			continue;
		while (e + 1 < CTRL_MAX_CPUS && ((mask >> (e + 1)) & 1))
			e++;
		n += (size_t)snprintf(out + n, size - n, "%s%u", n ? "," : "",
				      c);
		if (e > c && n < size)
			n += (size_t)snprintf(out + n, size - n, "-%u", e);
		c = e;
	}
}

static void list_vcpus(const ctrl_dominfo_t *d, uint64_t online)
{
	if (d->max_vcpu_id == XEN_INVALID_MAX_VCPU_ID)
		return;
	for (unsigned int v = 0; v <= d->max_vcpu_id; v++) {
		struct xen_domctl_getvcpuinfo vi;
		uint64_t hard = ~0ULL, ds;
		char aff[96], cpu[8];

		if (ctrl_getvcpuinfo(d->domain, v, &vi))
			continue;
		ctrl_getvcpuaffinity(d->domain, v, &hard);
		cpus_text(hard, online, aff, sizeof(aff));
		if (vi.online)
			snprintf(cpu, sizeof(cpu), "%u", vi.cpu);
		else
			strlcpy(cpu, "-", sizeof(cpu));
		ds = vi.cpu_time / 100000000;
		printk("%-32s %5u %5u %5s   %c%c%c %7lu.%lu  %s / all\n",
		       domains_name(d->domain), d->domain, v, cpu,
		       vi.running ? 'r' : '-', vi.blocked ? 'b' : '-',
		       vi.online ? '-' : 'p', (unsigned long)(ds / 10),
		       (unsigned long)(ds % 10), aff);
	}
}

/* xl vcpu-list [DOMAIN...] */
int cmd_vcpu_list(int argc, char **argv)
{
	uint64_t online = online_cpus();
	unsigned int n;
	int rc;

	printk("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU",
	       "State", "Time(s)", "Affinity (Hard / Soft)");
	if (argc > 1) {
		for (int a = 1; a < argc; a++) {
			domid_t domid;

			if (domains_lookup(argv[a], &domid) ||
			    ctrl_getdomaininfo(domid, &infos[0]))
				return -ESRCH;
			list_vcpus(&infos[0], online);
		}
		return 0;
	}
	rc = domains_list(infos, XL_MAX_DOMAINS, &n);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < n; i++)
		list_vcpus(&infos[i], online);
	return 0;
}

/* xl vcpu-pin DOMAIN VCPU|all CPUS */
int cmd_vcpu_pin(int argc, char **argv)
{
	uint64_t mask, online = online_cpus();
	unsigned int first, last;
	ctrl_dominfo_t info;
	const char *end;
	domid_t domid;
	int rc;

	if (argc != 4) {
		printk("usage: xl vcpu-pin DOMAIN VCPU|all CPUS\n");
		return -EINVAL;
	}
	if (domains_lookup(argv[1], &domid) || ctrl_getdomaininfo(domid, &info))
		return -ESRCH;
	if (xlcfg_parse_cpus(argv[3], &mask) || !(mask & online)) {
		printk("xl: '%s' names no online CPU\n", argv[3]);
		return -EINVAL;
	}
	mask &= online;
	if (!strcmp(argv[2], "all")) {
		first = 0;
		last = info.max_vcpu_id;
	} else {
		first = last = (unsigned int)parse_uint(argv[2], &end);
		if (end == argv[2] || *end || first > info.max_vcpu_id) {
			printk("xl: no vCPU '%s' in domain %u\n", argv[2],
			       domid);
			return -EINVAL;
		}
	}
	for (unsigned int v = first; v <= last; v++) {
		rc = ctrl_setvcpuaffinity(domid, v, mask);
		if (rc) {
			printk("xl: setting the affinity of vCPU %u failed "
			       "(%d)\n",
			       v, rc);
			return rc;
		}
	}
	return 0;
}

static void print_credit(domid_t domid)
{
	struct xen_domctl_sched_credit sc;

	if (ctrl_sched_credit_get(domid, &sc))
		return;
	printk("%-33s %4u %6u %4u\n", domains_name(domid), domid, sc.weight,
	       sc.cap);
}

static int set_credit(domid_t domid, long weight, long cap)
{
	struct xen_domctl_sched_credit sc;
	int rc = ctrl_sched_credit_get(domid, &sc);

	if (!rc) {
		if (weight >= 0)
			sc.weight = (uint16_t)weight;
		if (cap >= 0)
			sc.cap = (uint16_t)cap;
		rc = ctrl_sched_credit_put(domid, &sc);
	}
	if (rc)
		printk("xl: sched-credit: setting domain %u failed (%d)\n",
		       domid, rc);
	return rc;
}

static int option_value(const char *s, unsigned long max, long *out)
{
	const char *end;
	uint64_t v = parse_uint(s, &end);

	if (end == s || *end || v > max)
		return -EINVAL;
	*out = (long)v;
	return 0;
}

/* xl sched-credit [-d DOMAIN [-w WEIGHT] [-c CAP]] */
int cmd_sched_credit(int argc, char **argv)
{
	const char *dom = NULL;
	long weight = -1, cap = -1;
	uint32_t sched = 0;
	domid_t domid;
	unsigned int n;
	int rc;

	for (int a = 1; a < argc; a++) {
		bool last = a + 1 == argc;

		if (!strcmp(argv[a], "-d") && !last)
			dom = argv[++a];
		else if (!strcmp(argv[a], "-w") && !last &&
			 !option_value(argv[a + 1], 65535, &weight) && weight)
			a++;
		else if (!strcmp(argv[a], "-c") && !last &&
			 !option_value(argv[a + 1], 100 * CTRL_MAX_CPUS, &cap))
			a++;
		else {
			printk("usage: xl sched-credit [-d DOMAIN [-w WEIGHT "
			       "(1-65535)] [-c CAP (%%)]]\n");
			return -EINVAL;
		}
	}
	rc = ctrl_sched_id(&sched);
	if (rc || sched != XEN_SCHEDULER_CREDIT) {
		printk("xl: the hypervisor's scheduler is not credit\n");
		return rc ? rc : -EOPNOTSUPP;
	}
	if ((weight >= 0 || cap >= 0) && !dom) {
		printk("xl: sched-credit: -w and -c need -d DOMAIN\n");
		return -EINVAL;
	}
	if (dom) {
		if (domains_lookup(dom, &domid))
			return -ESRCH;
		if (weight >= 0 || cap >= 0)
			return set_credit(domid, weight, cap);
	}
	printk("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
	if (dom) {
		print_credit(domid);
		return 0;
	}
	rc = domains_list(infos, XL_MAX_DOMAINS, &n);
	for (unsigned int i = 0; !rc && i < n; i++)
		print_credit(infos[i].domain);
	return rc;
}
