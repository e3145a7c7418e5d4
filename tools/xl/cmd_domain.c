/*
 * xl list, create, destroy, pause, unpause, shutdown, and dom0's wait:
 * the life of a domain. Output follows real xl's:
 *
 *   Name                                        ID   Mem VCPUs      State   Time(s)
 *   Domain-0                                     0   256     1     r-----       2.1
 *
 * State letters: running, blocked, paused, shut down, the shutdown
 * reason (- poweroff, r reboot, s suspend, c crash, w watchdog,
 * S soft reset), dying.
 */
#include "xl.h"

#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <paravane/string.h>

#define WAIT_DEFAULT_S 30

static ctrl_dominfo_t infos[XL_MAX_DOMAINS];

static void print_state(const ctrl_dominfo_t *i, char out[7])
{
	static const char reasons[] = "-rscwS";
	unsigned int why = ctrl_dominfo_shutdown_reason(i);
	bool down = i->flags & XEN_DOMINF_shutdown;

	out[0] = (i->flags & XEN_DOMINF_running) ? 'r' : '-';
	out[1] = (i->flags & XEN_DOMINF_blocked) ? 'b' : '-';
	out[2] = (i->flags & XEN_DOMINF_paused) ? 'p' : '-';
	out[3] = down ? 's' : '-';
	out[4] = !down ? '-' : why < sizeof(reasons) - 1 ? reasons[why] : '?';
	out[5] = (i->flags & XEN_DOMINF_dying) ? 'd' : '-';
	out[6] = '\0';
}

static void print_domain(const ctrl_dominfo_t *i)
{
	uint64_t ds = i->cpu_time / 100000000; /* tenths of a second */
	char state[7];

	print_state(i, state);
	printk("%-40s %5u %5lu %5u     %s %8lu.%lu\n", domains_name(i->domain),
	       i->domain, (unsigned long)(i->tot_pages >> 8),
	       i->nr_online_vcpus, state, (unsigned long)(ds / 10),
	       (unsigned long)(ds % 10));
}

/* xl list [DOMAIN...] */
int cmd_list(int argc, char **argv)
{
	unsigned int n;
	int rc;

	printk("%-40s %5s %5s %5s %10s %9s\n", "Name", "ID", "Mem", "VCPUs",
	       "State", "Time(s)");
	if (argc > 1) {
		for (int a = 1; a < argc; a++) {
			domid_t domid;

			if (domains_lookup(argv[a], &domid) ||
			    ctrl_getdomaininfo(domid, &infos[0]))
				return -ESRCH;
			print_domain(&infos[0]);
		}
		return 0;
	}
	rc = domains_list(infos, XL_MAX_DOMAINS, &n);
	if (rc) {
		printk("xl: cannot list the domains (%d)\n", rc);
		return rc;
	}
	for (unsigned int i = 0; i < n; i++)
		print_domain(&infos[i]);
	return 0;
}

/* xl create [-p] CONFIG: prints the new domain's id. */
int cmd_create(int argc, char **argv)
{
	bool paused = argc == 3 && !strcmp(argv[1], "-p");
	domid_t domid;
	int rc;

	if (argc != 2 && !paused) {
		printk("usage: xl create [-p] CONFIG\n");
		return -EINVAL;
	}
	rc = create_from_file(argv[argc - 1], paused, &domid);
	if (rc) {
		printk("xl: create failed (%d)\n", rc);
		return rc;
	}
	printk("Created domain %u (%s)%s\n", domid, domains_name(domid),
	       paused ? ", paused" : "");
	return 0;
}

/* The domain of "xl CMD DOMAIN"; refuses dom0 for commands that must. */
static int one_domain(int argc, char **argv, bool not_dom0, domid_t *domid)
{
	if (argc != 2) {
		printk("usage: xl %s DOMAIN\n", argv[0]);
		return -EINVAL;
	}
	if (domains_lookup(argv[1], domid))
		return -ESRCH;
	if (not_dom0 && *domid == 0) {
		printk("xl: %s: not for Domain-0\n", argv[0]);
		return -EINVAL;
	}
	return 0;
}

/* xl destroy DOMAIN */
int cmd_destroy(int argc, char **argv)
{
	domid_t domid;
	int rc = one_domain(argc, argv, true, &domid);

	if (rc)
		return rc;
	rc = domains_destroy(domid);
	if (rc)
		printk("xl: destroy of domain %u failed (%d)\n", domid, rc);
	return rc;
}

static int pause_op(int argc, char **argv, bool pause)
{
	domid_t domid;
	int rc = one_domain(argc, argv, true, &domid);

	if (rc)
		return rc;
	rc = pause ? ctrl_pausedomain(domid) : ctrl_unpausedomain(domid);
	if (rc)
		printk("xl: %s of domain %u failed (%d)\n", argv[0], domid, rc);
	return rc;
}

/* xl pause DOMAIN */
int cmd_pause(int argc, char **argv)
{
	return pause_op(argc, argv, true);
}

/* xl unpause DOMAIN */
int cmd_unpause(int argc, char **argv)
{
	return pause_op(argc, argv, false);
}

/*
 * xl shutdown DOMAIN. A PV guest is asked to shut down through xenstore,
 * as libxl asks: "poweroff" in its control/shutdown. A kernel that
 * watches that node says so with control/feature-poweroff (pvguest's
 * domUs do, once booted: pvguest/xenbus/control.c); for one that does
 * not (yet), the command says the request may not be heard.
 */
int cmd_shutdown(int argc, char **argv)
{
	ctrl_dominfo_t info;
	domid_t domid;
	int rc = one_domain(argc, argv, true, &domid);

	if (rc)
		return rc;
	rc = ctrl_getdomaininfo(domid, &info);
	if (rc)
		return rc;
	if (info.flags & XEN_DOMINF_shutdown) {
		printk("xl: domain %u (%s) has already shut down (%s)\n", domid,
		       domains_name(domid),
		       shutdown_reason_name(
			       ctrl_dominfo_shutdown_reason(&info)));
		return 0;
	}
	rc = store_request_shutdown(domid, "poweroff");
	if (rc != -EOPNOTSUPP)
		return rc;
	printk("xl: domain %u (%s) does not announce control/feature-poweroff: "
	       "the request waits in its control/shutdown, which its kernel "
	       "may never read; 'xl destroy %u' ends it at once\n",
	       domid, domains_name(domid), domid);
	return rc;
}

/* wait DOMAIN [SECONDS]: until the domain has shut down or is gone. */
int cmd_wait(int argc, char **argv)
{
	uint64_t secs = WAIT_DEFAULT_S, deadline;
	ctrl_dominfo_t info;
	const char *end;
	domid_t domid;

	if (argc < 2 || argc > 3 ||
	    (argc == 3 && (secs = parse_uint(argv[2], &end), *end))) {
		printk("usage: wait DOMAIN [SECONDS]\n");
		return -EINVAL;
	}
	if (domains_lookup(argv[1], &domid))
		return -ESRCH;
	deadline = wait_now() + secs * 1000000000ULL;
	for (;;) {
		bool input;

		/* A shutdown is acted on (on_poweroff, ...) before it is
		 * reported, even if VIRQ_DOM_EXC has not come yet. */
		if (!ctrl_getdomaininfo(domid, &info) &&
		    (info.flags & XEN_DOMINF_shutdown))
			domains_check_shutdowns();
		if (ctrl_getdomaininfo(domid, &info) ||
		    (info.flags & XEN_DOMINF_dying)) {
			printk("wait: domain %u is gone\n", domid);
			return 0;
		}
		if (info.flags & XEN_DOMINF_shutdown) {
			printk("wait: domain %u has shut down (%s)\n", domid,
			       shutdown_reason_name(
				       ctrl_dominfo_shutdown_reason(&info)));
			return 0;
		}
		if (wait_now() >= deadline) {
			printk("wait: domain %u still running after %lu s\n",
			       domid, (unsigned long)secs);
			return -ETIMEDOUT;
		}
		xl_events_wait(deadline, &input);
	}
}
