/*
 * xl create, and dom0's autostart of the configurations in /etc/xl/auto.
 *
 * Domains are created in batches, so that an event channel between two
 * of them (evtchn_to = "NAME" in the second's configuration) can be set
 * up before either runs:
 *
 *   1. every domain of the batch is created, empty (build_create);
 *   2. for each link, dom0 opens a port in the named domain for the
 *      other one (EVTCHNOP_alloc_unbound with dom = NAME's id, remote =
 *      the other's id; a privileged domain may do this for any two) and
 *      appends "evtchn_port=P" to NAME's command line and
 *      "evtchn_peer=ID evtchn_port=P" to the other's;
 *   3. every domain is built, pinned and tuned (affinity, weight, cap),
 *      and its console attached (tools/xl/cmd_console.c);
 *   4. every domain is unpaused (unless -p).
 *
 * If anything fails, every domain of the batch is destroyed.
 */
#include "xl.h"

#include <ctrl/build.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <paravane/printf.h>
#include <paravane/string.h>

#define MAX_BATCH 16
#define AUTO_DIR "/etc/xl/auto"
#define MAX_AUTO 32

struct member {
	const struct xl_config *cfg;
	struct build_params params;
	struct build_info info;
	char cmdline[XLCFG_CMDLINE_MAX];
	bool created;
};

static int load(struct member *m)
{
	const struct xl_config *c = m->cfg;
	struct build_params *p = &m->params;
	int rc = ramdisk_file(c->kernel, &p->kernel, &p->kernel_len);

	if (rc) {
		printk("xl: %s: kernel %s: %s\n", c->name, c->kernel,
		       rc == -ENOENT ? "no such file" : "cannot read it");
		return rc;
	}
	if (c->ramdisk[0]) {
		rc = ramdisk_file(c->ramdisk, &p->ramdisk, &p->ramdisk_len);
		if (rc) {
			printk("xl: %s: ramdisk %s: %s\n", c->name, c->ramdisk,
			       rc == -ENOENT ? "no such file"
					     : "cannot read it");
			return rc;
		}
	}
	strlcpy(m->cmdline, c->cmdline, sizeof(m->cmdline));
	p->cmdline = m->cmdline;
	p->memory_kb = c->memory_mib << 10;
	p->max_kb = c->maxmem_mib << 10;
	p->max_vcpus = c->maxvcpus;
	return 0;
}

static int check_names(struct member *b, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const char *name = b[i].cfg->name;

		if (domains_by_name(name)) {
			printk("xl: a domain called '%s' already exists\n",
			       name);
			return -EEXIST;
		}
		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(b[j].cfg->name, name)) {
				printk("xl: two domains called '%s'\n", name);
				return -EEXIST;
			}
	}
	return 0;
}

static struct member *find_member(struct member *b, unsigned int n,
				  const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(b[i].cfg->name, name))
			return &b[i];
	return NULL;
}

static int append(struct member *m, const char *fmt, ...) __printf(2, 3);

static int append(struct member *m, const char *fmt, ...)
{
	size_t have = strlen(m->cmdline);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->cmdline + have, sizeof(m->cmdline) - have, fmt, ap);
	va_end(ap);
	if ((size_t)n >= sizeof(m->cmdline) - have) {
		printk("xl: %s: the command line is too long\n", m->cfg->name);
		return -E2BIG;
	}
	return 0;
}

/* Step 2: the event channels that evtchn_to asks for. */
static int link(struct member *b, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const char *to = b[i].cfg->evtchn_to;
		struct member *peer;
		evtchn_port_t port;
		int rc;

		if (!to[0])
			continue;
		peer = find_member(b, n, to);
		if (!peer || peer == &b[i]) {
			printk("xl: %s: evtchn_to = \"%s\": no such domain "
			       "created with it\n",
			       b[i].cfg->name, to);
			return -ESRCH;
		}
		rc = ctrl_evtchn_alloc_unbound(peer->info.domid,
					       b[i].info.domid, &port);
		if (rc) {
			printk("xl: %s: cannot open a channel in %s (%d)\n",
			       b[i].cfg->name, to, rc);
			return rc;
		}
		rc = append(peer, "%sevtchn_port=%u",
			    peer->cmdline[0] ? " " : "", port);
		if (!rc)
			rc = append(&b[i], "%sevtchn_peer=%u evtchn_port=%u",
				    b[i].cmdline[0] ? " " : "",
				    peer->info.domid, port);
		if (rc)
			return rc;
	}
	return 0;
}

/* Step 3's tuning: vCPU affinity and the credit scheduler's settings. */
static int tune(const struct member *m)
{
	const struct xl_config *c = m->cfg;
	domid_t domid = m->info.domid;
	struct xen_domctl_sched_credit sc;
	int rc = 0;

	for (unsigned int v = 0; v < c->maxvcpus && !rc; v++)
		if (c->cpus[v] != XLCFG_ALL_CPUS)
			rc = ctrl_setvcpuaffinity(domid, v, c->cpus[v]);
	if (rc) {
		printk("xl: %s: cannot set the vCPU affinity (%d)\n", c->name,
		       rc);
		return rc;
	}
	if (!c->has_weight && !c->has_cap)
		return 0;
	rc = ctrl_sched_credit_get(domid, &sc);
	if (!rc) {
		if (c->has_weight)
			sc.weight = (uint16_t)c->weight;
		if (c->has_cap)
			sc.cap = (uint16_t)c->cap;
		rc = ctrl_sched_credit_put(domid, &sc);
	}
	if (rc)
		printk("xl: %s: cannot set the credit scheduler's weight and "
		       "cap (%d)\n",
		       c->name, rc);
	return rc;
}

static int create_batch(struct member *b, unsigned int n, bool paused)
{
	unsigned int i;
	int rc = check_names(b, n);

	for (i = 0; i < n && !rc; i++)
		rc = load(&b[i]);
	for (i = 0; i < n && !rc; i++) {
		rc = build_create(&b[i].params, &b[i].info);
		if (rc)
			printk("xl: %s: %s\n", b[i].cfg->name, b[i].info.error);
		b[i].created = !rc;
	}
	if (!rc)
		rc = link(b, n);
	for (i = 0; i < n && !rc; i++) {
		rc = build_image(&b[i].params, &b[i].info);
		if (rc)
			printk("xl: %s: %s\n", b[i].cfg->name, b[i].info.error);
		else
			rc = tune(&b[i]);
		if (!rc)
			xl_console_attach(&b[i].info, b[i].cfg->name);
	}
	for (i = 0; i < n && !rc && !paused; i++) {
		rc = ctrl_unpausedomain(b[i].info.domid);
		if (rc)
			printk("xl: %s: unpause failed (%d)\n", b[i].cfg->name,
			       rc);
	}
	return rc;
}

/*
 * Create the n domains of cfgs[] as one batch (see the top of the file);
 * their ids go to domids[]. The table keeps copies of the configurations.
 */
int create_domains(struct xl_config **cfgs, unsigned int n, bool paused,
		   domid_t *domids)
{
	struct member *b;
	unsigned int i;
	int rc = 0;

	if (n == 0 || n > MAX_BATCH)
		return -EINVAL;
	b = kzalloc(n * sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		b[i].cfg = cfgs[i];
	rc = create_batch(b, n, paused);
	for (i = 0; i < n && !rc; i++) {
		struct xl_config *copy = kmalloc(sizeof(*copy));

		if (!copy ||
		    !domains_add(b[i].info.domid, b[i].cfg->name, copy)) {
			kfree(copy);
			printk("xl: too many domains\n");
			rc = -ENOSPC;
			break;
		}
		*copy = *b[i].cfg;
		domids[i] = b[i].info.domid;
		store_domain_created(copy, &b[i].info);
	}
	if (rc)
		for (i = 0; i < n; i++)
			if (b[i].created)
				domains_destroy(b[i].info.domid);
	kfree(b);
	return rc;
}

/* Read and parse a configuration file of the ramdisk into a new copy. */
static struct xl_config *read_config(const char *path)
{
	struct xl_config *cfg;
	struct xlcfg_error err;
	const void *text;
	size_t len;
	int rc = ramdisk_file(path, &text, &len);

	if (rc) {
		printk("xl: %s: %s\n", path,
		       rc == -ENOENT ? "no such file" : "cannot read it");
		return NULL;
	}
	cfg = kmalloc(sizeof(*cfg));
	if (!cfg) {
		printk("xl: out of memory\n");
		return NULL;
	}
	if (xlcfg_parse(text, len, cfg, &err)) {
		if (err.line)
			printk("xl: %s:%u: %s\n", path, err.line, err.msg);
		else
			printk("xl: %s: %s\n", path, err.msg);
		kfree(cfg);
		return NULL;
	}
	return cfg;
}

/* xl create PATH: one domain from one configuration file. */
int create_from_file(const char *path, bool paused, domid_t *domid)
{
	struct xl_config *cfg;
	int rc;

	printk("Parsing config from %s\n", path);
	cfg = read_config(path);
	if (!cfg)
		return -EINVAL;
	rc = create_domains(&cfg, 1, paused, domid);
	kfree(cfg);
	return rc;
}

struct auto_list {
	char paths[MAX_AUTO][XLCFG_PATH_MAX];
	unsigned int n;
};

static void add_auto(const char *path, void *arg)
{
	struct auto_list *l = arg;
	size_t len = strlen(path);
	unsigned int i;

	if (len < 4 || strcmp(path + len - 4, ".cfg") || l->n == MAX_AUTO)
		return;
	for (i = l->n; i > 0 && strcmp(l->paths[i - 1], path) > 0; i--)
		memcpy(l->paths[i], l->paths[i - 1], XLCFG_PATH_MAX);
	strlcpy(l->paths[i], path, XLCFG_PATH_MAX);
	l->n++;
}

/* The batch of cfg i: the index of the first config it is linked with. */
static unsigned int group_of(struct xl_config **cfgs, unsigned int i,
			     unsigned int *group)
{
	for (unsigned int j = 0; j < i; j++)
		if (!strcmp(cfgs[j]->name, cfgs[i]->evtchn_to) ||
		    !strcmp(cfgs[j]->evtchn_to, cfgs[i]->name))
			return group[j];
	return i;
}

/* Create every domain configured in /etc/xl/auto, in name order. */
void create_autostart(void)
{
	static struct auto_list list;
	struct xl_config *cfgs[MAX_AUTO], *batch[MAX_BATCH];
	unsigned int group[MAX_AUTO], n = 0;
	domid_t domids[MAX_BATCH];

	list.n = 0;
	if (ramdisk_dir(AUTO_DIR, add_auto, &list) || !list.n)
		return;
	for (unsigned int i = 0; i < list.n; i++) {
		cfgs[n] = read_config(list.paths[i]);
		if (cfgs[n])
			n++;
	}
	for (unsigned int i = 0; i < n; i++)
		group[i] = group_of(cfgs, i, group);
	for (unsigned int g = 0; g < n; g++) {
		unsigned int k = 0;

		for (unsigned int i = 0; i < n && k < MAX_BATCH; i++)
			if (group[i] == g)
				batch[k++] = cfgs[i];
		if (!k || create_domains(batch, k, false, domids))
			continue;
		for (unsigned int i = 0; i < k; i++)
			printk("xl: autostart: domain %u (%s) created\n",
			       domids[i], batch[i]->name);
	}
	for (unsigned int i = 0; i < n; i++)
		kfree(cfgs[i]);
}
