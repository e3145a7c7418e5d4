/*
 * dom0's console backend (drivers-back/console): the far end of every
 * domU's io/console.h ring, the xenconsoled of Paravane's dom0.
 *
 * The toolstack attaches a domain's console once the builder has made
 * it (the ring page's machine frame and the port the builder opened for
 * dom0, <ctrl/build.h>'s console_mfn and console_port) and detaches it
 * before destroying the domain. Meanwhile a service thread drains the
 * domain's output into its log (the last 16 KiB) and shows it on dom0's
 * console: as "(dN) " lines through the ops' show(), or, for the one
 * domain attached live (xl console), raw as it comes. Input goes the
 * other way with consback_send().
 *
 * A frontend whose ring indices are impossible loses its console: the
 * backend says so, unbinds and unmaps it, and keeps its log; nothing
 * else changes. Everything here runs on dom0's vCPU 0 (the service
 * thread and the toolstack's, which only switch when they wait), so the
 * calls need no locking. All return 0 (or a count) or a negative errno.
 */
#ifndef BACK_CONSOLE_H
#define BACK_CONSOLE_H

#include <guest/xen.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/event_channel.h>

/* Output shown, then none for this long: ops->quiet() is called. */
#define CONSBACK_QUIET_MS 200

enum consback_state {
	CONSBACK_NONE,	    /* no console attached for the domain */
	CONSBACK_CONNECTED, /* attached and working */
	CONSBACK_LOST,	    /* dropped for a bad ring; the log is kept */
};

/* How output reaches dom0's console (NULL members: printk, nothing). */
struct consback_ops {
	/* Show text: whole "(dN) ..." lines, or a notice of the backend. */
	void (*show)(const char *text, size_t len);
	/* Nothing was shown for CONSBACK_QUIET_MS after a show(). */
	void (*quiet)(void);
};

// drivers-back/console/back.c
int consback_init(const struct consback_ops *ops);
int consback_attach(domid_t domid, xen_pfn_t mfn, evtchn_port_t remote_port);
void consback_detach(domid_t domid);
void consback_flush(domid_t domid);
enum consback_state consback_state(domid_t domid);
long consback_send(domid_t domid, const char *s, size_t len);
uint64_t consback_live(domid_t domid);
size_t consback_log_read(domid_t domid, uint64_t from, char *buf, size_t len,
			 uint64_t *first);
bool consback_log_find(domid_t domid, uint64_t from, const char *needle,
		       uint64_t *after);

#endif /* BACK_CONSOLE_H */
