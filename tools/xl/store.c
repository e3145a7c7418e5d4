/*
 * xl's side of xenstore: what the toolstack tells dom0's xenstored about
 * the domains it makes and destroys, through dom0's client
 * (<xenstore/dom0.h>), as Xen's libxl does: the home every domain has
 * (name, domid, device, control, data: tools/xenstore/dom0/home.c) and
 *
 *   /local/domain/N                 n0 rN: dom0's, the domain reads it
 *     memory/static-max, target     KiB
 *     cpu/K/availability            "online" for the vCPUs it starts with
 *     store/port, store/ring-ref    its xenstore channel and frame
 *     console/port, console/ring-ref
 *
 * written in one transaction (retried on EAGAIN), then INTRODUCE, which
 * makes xenstored serve the domain's ring. When a domain goes, its home
 * is removed and it is released; when it shuts down, @releaseDomain
 * fires.
 */
#include "xl.h"

#include <ctrl/build.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xenstore/dom0.h>

#define RETRIES 8

static bool streq_one(const char *s)
{
	return s && s[0] == '1' && !s[1];
}

struct home {
	struct xsc *xs;
	xs_tx_t tx;
	domid_t domid;
};

static int put(const struct home *h, const char *rel, const char *fmt, ...)
	__printf(3, 4);

/* Write the printf-style value at rel below the domain's home. */
static int put(const struct home *h, const char *rel, const char *fmt, ...)
{
	char path[96], value[64];
	va_list ap;

	snprintf(path, sizeof(path), "/local/domain/%u%s%s", h->domid,
		 *rel ? "/" : "", rel);
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	return xsc_write_str(h->xs, h->tx, path, value);
}

/* The home every domain has (tools/xenstore/dom0/home.c), and the rest. */
static int write_home(const struct home *h, const struct xl_config *cfg,
		      const struct build_info *bi)
{
	char rel[32];
	int rc = xenstored_write_home(h->xs, h->tx, h->domid, cfg->name);

	rc = rc ? rc
		: put(h, "memory/static-max", "%lu", cfg->maxmem_mib << 10);
	rc = rc ? rc : put(h, "memory/target", "%lu", cfg->memory_mib << 10);
	for (unsigned int v = 0; v < cfg->maxvcpus && !rc; v++) {
		snprintf(rel, sizeof(rel), "cpu/%u/availability", v);
		rc = put(h, rel, "%s", v < cfg->vcpus ? "online" : "offline");
	}
	rc = rc ? rc : put(h, "store/port", "%u", bi->store_port);
	rc = rc ? rc
		: put(h, "store/ring-ref", "%lu", (unsigned long)bi->store_mfn);
	rc = rc ? rc : put(h, "console/port", "%u", bi->console_port);
	rc = rc ? rc
		: put(h, "console/ring-ref", "%lu",
		      (unsigned long)bi->console_mfn);
	return rc;
}

/*
 * A domain was built (bi) from cfg: write its home and introduce it to
 * xenstored, which then serves its ring. Failing leaves the domain
 * running without xenstore (and says so).
 */
int store_domain_created(const struct xl_config *cfg,
			 const struct build_info *bi)
{
	struct home h = {.xs = xenstored_dom0(), .domid = bi->domid};
	char path[32];
	int rc = -EAGAIN;

	if (!h.xs)
		return -ENOENT;
	snprintf(path, sizeof(path), "/local/domain/%u", h.domid);
	for (int i = 0; i < RETRIES && rc == -EAGAIN; i++) {
		rc = xsc_transaction_start(h.xs, &h.tx);
		if (rc)
			break;
		rc = xsc_rm(h.xs, h.tx, path); /* anything stale */
		if (!rc || rc == -ENOENT)
			rc = write_home(&h, cfg, bi);
		if (rc)
			xsc_transaction_end(h.xs, h.tx, false);
		else
			rc = xsc_transaction_end(h.xs, h.tx, true);
	}
	if (!rc)
		rc = xsc_introduce(h.xs, h.domid, bi->store_mfn,
				   bi->store_port);
	if (rc)
		printk("xl: %s: xenstore: cannot introduce domain %u (%d)\n",
		       cfg->name, h.domid, rc);
	return rc;
}

/* Domain domid is gone: remove its home and release it. */
void store_domain_gone(domid_t domid)
{
	struct xsc *xs = xenstored_dom0();
	char path[32];

	if (!xs)
		return;
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	xsc_rm(xs, XS_TX_NONE, path);
	xenstored_domain_gone(domid);
}

/*
 * Ask domain domid to shut down (reason: "poweroff", "reboot", ...) by
 * writing control/shutdown. -EOPNOTSUPP if its kernel does not say it
 * listens (control/feature-poweroff); the request is written anyway.
 */
int store_request_shutdown(domid_t domid, const char *reason)
{
	struct xsc *xs = xenstored_dom0();
	char path[64], *feature = NULL;
	bool listens;
	int rc;

	if (!xs)
		return -EOPNOTSUPP;
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown",
		 domid);
	rc = xsc_write_str(xs, XS_TX_NONE, path, reason);
	if (rc) {
		printk("xl: cannot write %s (%d)\n", path, rc);
		return rc;
	}
	snprintf(path, sizeof(path),
		 "/local/domain/%u/control/feature-poweroff", domid);
	listens = !xsc_read(xs, XS_TX_NONE, path, &feature, NULL) &&
		  streq_one(feature);
	xsd_free(feature);
	return listens ? 0 : -EOPNOTSUPP;
}

/* Domain domid shut down: xenstored fires @releaseDomain. */
void store_domain_shutdown(domid_t domid)
{
	xenstored_domain_shutdown(domid);
}
