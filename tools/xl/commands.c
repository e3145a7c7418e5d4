/*
 * dom0's command line: a line is split into words (quotes group words)
 * and run. "xl SUBCOMMAND ..." runs one of the xl commands in the table
 * below; the rest are dom0's own: help, sleep, wait, poweroff, and the
 * console's short form and script commands: console, send, expect.
 */
#include "xl.h"

#include <guest/console.h>
#include <guest/errno.h>
#include <guest/shutdown.h>
#include <paravane/string.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct command xl_commands[] = {
	{"list", cmd_list, "list [DOMAIN...]        domains and their state"},
	{"create", cmd_create,
	 "create [-p] CONFIG      create a domain (-p: paused)"},
	{"destroy", cmd_destroy,
	 "destroy DOMAIN          stop a domain at once"},
	{"pause", cmd_pause, "pause DOMAIN            stop running a domain"},
	{"unpause", cmd_unpause, "unpause DOMAIN          run it again"},
	{"shutdown", cmd_shutdown,
	 "shutdown DOMAIN         ask a domain to shut down"},
	{"info", cmd_info,
	 "info                    the host and the hypervisor"},
	{"dmesg", cmd_dmesg,
	 "dmesg                   the hypervisor's console log"},
	{"console", cmd_console,
	 "console [-l] DOMAIN     attach to its console (Ctrl-] returns); -l: its log"},
	{"top", cmd_top,
	 "top                     CPU use of each domain (1 s)"},
	{"vcpu-list", cmd_vcpu_list,
	 "vcpu-list [DOMAIN...]   vCPUs, their CPUs and time"},
	{"vcpu-pin", cmd_vcpu_pin,
	 "vcpu-pin DOMAIN VCPU|all CPUS  set vCPU affinity"},
	{"sched-credit", cmd_sched_credit,
	 "sched-credit [-d DOMAIN [-w WEIGHT] [-c CAP]]"},
};

static int cmd_help(int argc, char **argv)
{
	printk("xl commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(xl_commands); i++)
		printk("  xl %s\n", xl_commands[i].usage);
	printk("dom0 commands:\n"
	       "  help                       this list\n"
	       "  sleep SECONDS              wait (shutdowns are acted on)\n"
	       "  wait DOMAIN [SECONDS]      until it has shut down or gone\n"
	       "  console DOMAIN             xl console DOMAIN\n"
	       "  send DOMAIN TEXT           type TEXT and Enter into its console\n"
	       "  expect DOMAIN TEXT [S]     until its console shows TEXT (10 s)\n"
	       "  poweroff                   destroy every domain, power off\n"
	       "  xenstore-ls [PATH]         the xenstore tree (from /)\n"
	       "  xenstore-read PATH...      values\n"
	       "  xenstore-write PATH VALUE...  write values\n"
	       "  xenstore-rm PATH...        remove nodes and their children\n");
	return 0;
}

static int cmd_sleep(int argc, char **argv)
{
	const char *end;
	uint64_t s;

	if (argc != 2 || (s = parse_uint(argv[1], &end), *end) || s > 3600) {
		printk("usage: sleep SECONDS (at most 3600)\n");
		return -EINVAL;
	}
	xl_events_sleep_ms((unsigned int)s * 1000);
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	static ctrl_dominfo_t info[XL_MAX_DOMAINS];
	unsigned int n = 0;

	if (!domains_list(info, XL_MAX_DOMAINS, &n))
		for (unsigned int i = 0; i < n; i++)
			if (info[i].domain != 0)
				domains_destroy(info[i].domain);
	printk("dom0: powering off\n");
	kernel_exit(EXIT_OK);
}

static const struct command dom0_commands[] = {
	{"help", cmd_help, NULL},
	{"sleep", cmd_sleep, NULL},
	{"wait", cmd_wait, NULL},
	{"console", cmd_console, NULL},
	{"send", cmd_send, NULL},
	{"expect", cmd_expect, NULL},
	{"poweroff", cmd_poweroff, NULL},
	{"xenstore-ls", cmd_xenstore_ls, NULL},
	{"xenstore-read", cmd_xenstore_read, NULL},
	{"xenstore-write", cmd_xenstore_write, NULL},
	{"xenstore-rm", cmd_xenstore_rm, NULL},
};

/*
 * Split line into at most max words (in place); "double" or 'single'
 * quotes keep spaces inside one word (single quotes fit inside xl.run's
 * double ones). Returns the number of words.
 */
int xl_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (*p) {
		char *out;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = out = p;
		for (char quote = 0; *p; p++) {
			if (*p == quote ||
			    (!quote && (*p == '"' || *p == '\''))) {
				quote = quote ? 0 : *p;
				continue;
			}
			if (!quote && (*p == ' ' || *p == '\t'))
				break;
			*out++ = *p;
		}
		if (*p)
			p++;
		*out = '\0';
	}
	return argc;
}

static int run(const struct command *table, size_t n, int argc, char **argv,
	       const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(argv[0], table[i].name))
			return table[i].fn(argc, argv);
	printk("%sunknown command '%s' (try 'help')\n", prefix, argv[0]);
	return -ENOSYS;
}

/* Run one command line; 0 or the command's -errno. */
int xl_run_line(char *line)
{
	char *argv[XL_MAX_ARGS];
	int argc = xl_split(line, argv, XL_MAX_ARGS);

	if (argc < 0) {
		printk("too many words\n");
		return argc;
	}
	if (argc == 0)
		return 0;
	if (!strcmp(argv[0], "xl")) {
		if (argc == 1 || !strcmp(argv[1], "help"))
			return cmd_help(argc, argv);
		return run(xl_commands, ARRAY_SIZE(xl_commands), argc - 1,
			   argv + 1, "xl: ");
	}
	return run(dom0_commands, ARRAY_SIZE(dom0_commands), argc, argv, "");
}
