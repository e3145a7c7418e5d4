/*
 * The domains dom0 knows by name, and what happens when one shuts down.
 *
 * dom0 is "Domain-0"; every domain xl creates is entered with its name
 * (unique) and configuration. A domain is named by its id or its name
 * on the command line. When VIRQ_DOM_EXC fires, every known domain is
 * looked at: one that has shut down is reported once -
 *
 *   domain 3 (demo-a) shut down: crash
 *
 * - and its configuration's action for the reason is taken: destroy it,
 * destroy and create it again from the same configuration (restart), or
 * leave it as it is (preserve). One that has disappeared (destroyed by
 * someone else) leaves the table. A domain's console (tools/xl/
 * cmd_console.c) is detached when it leaves the table or is destroyed,
 * and what it wrote before shutting down is shown before the report.
 */
#include "xl.h"

#include <back/console.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/heap.h>
#include <paravane/string.h>
#include <xen/sched.h>

#define LIST_CHUNK 32

static struct xl_domain table[XL_MAX_DOMAINS];
static bool in_use[XL_MAX_DOMAINS];

/* Enter dom0 itself. */
void domains_init(void)
{
	domains_add(0, "Domain-0", NULL);
}

/* Enter a domain; NULL if the table is full. The table owns cfg. */
struct xl_domain *domains_add(domid_t domid, const char *name,
			      struct xl_config *cfg)
{
	for (unsigned int i = 0; i < XL_MAX_DOMAINS; i++) {
		if (in_use[i])
			continue;
		in_use[i] = true;
		table[i] = (struct xl_domain){.domid = domid, .cfg = cfg};
		strlcpy(table[i].name, name, sizeof(table[i].name));
		return &table[i];
	}
	return NULL;
}

/* Forget a domain (and free its configuration); detach its console and
 * let xenstore forget it too. */
void domains_remove(struct xl_domain *d)
{
	consback_detach(d->domid);
	if (d->domid)
		store_domain_gone(d->domid);
	kfree(d->cfg);
	d->cfg = NULL;
	in_use[d - table] = false;
}

/* The entry of domain domid, or NULL. */
struct xl_domain *domains_by_id(domid_t domid)
{
	for (unsigned int i = 0; i < XL_MAX_DOMAINS; i++)
		if (in_use[i] && table[i].domid == domid)
			return &table[i];
	return NULL;
}

/* The entry of the domain called name, or NULL. */
struct xl_domain *domains_by_name(const char *name)
{
	for (unsigned int i = 0; i < XL_MAX_DOMAINS; i++)
		if (in_use[i] && !strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

/* A domain's name as xl shows it ("(null)" for one xl did not make). */
const char *domains_name(domid_t domid)
{
	struct xl_domain *d = domains_by_id(domid);

	return d ? d->name : "(null)";
}

/*
 * The domain an argument names: an id (which must exist) or a name.
 * -ESRCH, with a message, if there is none.
 */
int domains_lookup(const char *arg, domid_t *domid)
{
	struct xl_domain *d = domains_by_name(arg);
	ctrl_dominfo_t info;
	const char *end;
	uint64_t id;

	if (d) {
		*domid = d->domid;
		return 0;
	}
	id = parse_uint(arg, &end);
	if (end != arg && !*end && id < DOMID_FIRST_RESERVED &&
	    !ctrl_getdomaininfo((domid_t)id, &info)) {
		*domid = (domid_t)id;
		return 0;
	}
	printk("xl: no domain '%s'\n", arg);
	return -ESRCH;
}

/* Destroy a domain (its console's last output shown first); forget it. */
int domains_destroy(domid_t domid)
{
	struct xl_domain *d = domains_by_id(domid);
	int rc;

	consback_detach(domid);
	rc = ctrl_destroydomain(domid);

	if (rc && rc != -ESRCH)
		return rc;
	if (d)
		domains_remove(d);
	return rc;
}

/* Every domain's info, in id order; *nr receives how many (at most max). */
int domains_list(ctrl_dominfo_t *info, unsigned int max, unsigned int *nr)
{
	unsigned int got, total = 0;
	domid_t next = 0;
	int rc;

	do {
		unsigned int want = MIN(max - total, (unsigned int)LIST_CHUNK);

		if (!want)
			break;
		rc = ctrl_getdomaininfolist(next, info + total, want, &got);
		if (rc)
			return rc;
		total += got;
		if (got)
			next = info[total - 1].domain + 1;
	} while (got == LIST_CHUNK);
	*nr = total;
	return 0;
}

/* xl's name of a shutdown reason (SHUTDOWN_*). */
const char *shutdown_reason_name(unsigned int reason)
{
	static const char *const names[] = {
		[SHUTDOWN_poweroff] = "poweroff",
		[SHUTDOWN_reboot] = "reboot",
		[SHUTDOWN_suspend] = "suspend",
		[SHUTDOWN_crash] = "crash",
		[SHUTDOWN_watchdog] = "watchdog",
		[SHUTDOWN_soft_reset] = "soft_reset",
	};

	return reason < ARRAY_SIZE(names) && names[reason] ? names[reason]
							   : "unknown";
}

static enum xl_action action_for(const struct xl_config *c, unsigned int reason,
				 const char **key)
{
	switch (reason) {
	case SHUTDOWN_poweroff: *key = "on_poweroff"; return c->on_poweroff;
	case SHUTDOWN_reboot: *key = "on_reboot"; return c->on_reboot;
	case SHUTDOWN_crash: *key = "on_crash"; return c->on_crash;
	case SHUTDOWN_suspend: *key = "suspend"; return XL_ACTION_PRESERVE;
	default: *key = "on_watchdog"; return XL_ACTION_DESTROY;
	}
}

static void restart(struct xl_domain *d)
{
	struct xl_config *cfg = d->cfg;
	domid_t old = d->domid, domid;
	int rc;

	d->cfg = NULL; /* keep it across the destroy */
	domains_destroy(old);
	rc = create_domains(&cfg, 1, false, &domid);
	if (rc)
		xl_log("domain %u (%s) could not be restarted (%d)\n", old,
		       cfg->name, rc);
	else
		xl_log("domain %u (%s) restarted as domain %u\n", old,
		       cfg->name, domid);
	kfree(cfg);
}

static void handle_shutdown(struct xl_domain *d, unsigned int reason)
{
	const char *key = "";
	enum xl_action a = action_for(d->cfg, reason, &key);

	d->shutdown_handled = true;
	consback_flush(d->domid); /* its last words first */
	store_domain_shutdown(d->domid);
	xl_log("domain %u (%s) shut down: %s\n", d->domid, d->name,
	       shutdown_reason_name(reason));
	xl_log("domain %u (%s): %s = %s\n", d->domid, d->name, key,
	       xl_action_name(a));
	switch (a) {
	case XL_ACTION_DESTROY: domains_destroy(d->domid); break;
	case XL_ACTION_RESTART: restart(d); break;
	case XL_ACTION_PRESERVE: break;
	}
}

/* VIRQ_DOM_EXC fired: report and act on domains that shut down or went. */
void domains_check_shutdowns(void)
{
	for (unsigned int i = 0; i < XL_MAX_DOMAINS; i++) {
		struct xl_domain *d = &table[i];
		ctrl_dominfo_t info;
		int rc;

		if (!in_use[i] || !d->cfg)
			continue;
		rc = ctrl_getdomaininfo(d->domid, &info);
		if (rc == -ESRCH || (!rc && (info.flags & XEN_DOMINF_dying))) {
			xl_log("domain %u (%s) is gone\n", d->domid, d->name);
			domains_remove(d);
			continue;
		}
		if (rc || !(info.flags & XEN_DOMINF_shutdown) ||
		    d->shutdown_handled)
			continue;
		handle_shutdown(d, ctrl_dominfo_shutdown_reason(&info));
	}
}
