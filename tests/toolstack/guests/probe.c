/*
 * The domU that the toolstack tests build and watch from dom0. Its
 * command line says what to do; the result reaches dom0 through how the
 * domain ends (its shutdown reason), since most toolstack tests attach
 * no console backend (its console ring is read only by the console
 * tests and by dom0's xl):
 *
 *   mode=perm              call every domctl and sysctl (commands 1 to
 *                          86 and 1 to 29, and gdbsx's 1000) on dom0;
 *                          power off if every one was refused with
 *                          -EPERM (see checked_before_privilege() for
 *                          Xen's exceptions; "strict": none), crash
 *                          otherwise
 *   mode=shutdown reason=R SCHEDOP_shutdown with R = poweroff, reboot,
 *                          crash, suspend or a number
 *   mode=code code=C       latch code C (SCHEDOP_shutdown_code), then
 *                          power off: the latched code is the reason
 *   mode=ramdisk size=N sum=S  power off if start_info's module is N
 *                          bytes whose byte sum is S, crash otherwise
 *   mode=grant fill=B      grant dom0 one page of ours, writable, every
 *                          byte B, then wait for ever; the grant is the
 *                          first reference pvguest's client hands out
 *                          (TS_GRANT_REF, 8); crash if that fails
 *   mode=implicit dom=D ref=R  map grant R of domain D writable, then
 *                          clear the mapping's entry with
 *                          update_va_mapping (not unmap_grant_ref): the
 *                          hypervisor must crash us; reboot if the map
 *                          fails, power off if we live on
 *   mode=flood lines=N     print N numbered lines ("flood 0 of N" ...)
 *                          on the console ring, then power off: with no
 *                          backend draining the ring it must not hang;
 *                          "then=input": first wait for a key on the
 *                          console and print "flood: done"
 *   mode=badcons idx=I     a hostile console frontend: say so, then set
 *                          its ring's index I (out_prod or in_cons) to
 *                          garbage, notify the backend and wait for ever
 *   mode=spin              burn CPU for ever
 *   mode=idle (default)    wait for ever, as a thread: pvguest's own
 *                          threads run (control hears xl shutdown)
 */
#include <guest/app.h>
#include <guest/bootinfo.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <guest/grant.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/sched.h>
#include <guest/shutdown.h>
#include <paravane/string.h>
#include <xen/domctl.h>
#include <xen/io/console.h>
#include <xen/sysctl.h>

#define DOMCTL_LAST 86	  /* XEN_DOMCTL_get_paging_mempool_size + 1 */
#define SYSCTL_LAST 29	  /* XEN_SYSCTL_get_cpu_policy */
#define DOMCTL_GDBSX 1000 /* XEN_DOMCTL_gdbsx_guestmemio */

static void __noreturn shut_down(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

/*
 * Xen 4.17 checks the arguments of a few device-passthrough commands
 * before the caller's privilege; aimed at a PV domain (dom0) they fail
 * those checks first (-EINVAL, -EOPNOTSUPP). Refused all the same; the
 * others, and every command on Paravane, must say -EPERM.
 */
static bool checked_before_privilege(uint32_t cmd, long rc)
{
	switch (cmd) {
	case XEN_DOMCTL_bind_pt_irq:
	case XEN_DOMCTL_unbind_pt_irq:
	case XEN_DOMCTL_set_target: /* a domain cannot target itself */
		return rc == -EINVAL;
	case XEN_DOMCTL_ioport_mapping:
	case XEN_DOMCTL_get_device_group: return rc == -EOPNOTSUPP;
	default: return false;
	}
}

static int domctl_refused(uint32_t cmd)
{
	struct xen_domctl op = {
		.cmd = cmd,
		.interface_version = XEN_DOMCTL_INTERFACE_VERSION,
		.domain = 0, /* exists, so the answer is not -ESRCH */
	};
	long rc;

	/* Arguments that pass Xen's checks, so that privilege decides. */
	if (cmd == XEN_DOMCTL_ioport_permission) {
		op.u.ioport_permission.first_port = 0x80;
		op.u.ioport_permission.nr_ports = 1;
		op.u.ioport_permission.allow_access = 1;
	} else if (cmd == XEN_DOMCTL_memory_mapping) {
		op.u.memory_mapping.first_gfn = 0x100;
		op.u.memory_mapping.first_mfn = 0xfe000;
		op.u.memory_mapping.nr_mfns = 1;
		op.u.memory_mapping.add_mapping = 1;
	}
	rc = HYPERCALL(domctl, &op, 0, 0, 0, 0);
	if (rc == -EPERM ||
	    (!cmdline_has("strict") && checked_before_privilege(cmd, rc)))
		return 0;
	printk("probe: domctl %u returned %ld\n", cmd, rc);
	return 1;
}

static int sysctl_refused(uint32_t cmd)
{
	struct xen_sysctl op = {
		.cmd = cmd,
		.interface_version = XEN_SYSCTL_INTERFACE_VERSION,
	};
	long rc = HYPERCALL(sysctl, &op, 0, 0, 0, 0);

	if (rc == -EPERM)
		return 0;
	printk("probe: sysctl %u returned %ld\n", cmd, rc);
	return 1;
}

static void __noreturn perm(void)
{
	unsigned int bad = 0;

	for (uint32_t cmd = 1; cmd <= DOMCTL_LAST; cmd++)
		bad += domctl_refused(cmd);
	bad += domctl_refused(DOMCTL_GDBSX);
	for (uint32_t cmd = 1; cmd <= SYSCTL_LAST; cmd++)
		bad += sysctl_refused(cmd);
	printk("probe: %u control operations were not refused\n", bad);
	shut_down(bad ? SHUTDOWN_crash : SHUTDOWN_poweroff);
}

static unsigned int reason_named(const char *name)
{
	static const char *const names[] = {"poweroff", "reboot", "suspend",
					    "crash"};
	const char *end;
	unsigned long n;

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return i;
	n = parse_uint(name, &end);
	return *end ? SHUTDOWN_crash : (unsigned int)n;
}

static void __noreturn flood(void)
{
	unsigned long lines = cmdline_uint("lines", 100);

	for (unsigned long i = 0; i < lines; i++)
		printk("flood %lu of %lu\n", i, lines);
	if (cmdline_is("then", "input")) {
		console_getc();
		printk("flood: done\n");
	}
	shut_down(SHUTDOWN_poweroff);
}

static void __noreturn bad_console(void)
{
	const start_info_t *si = start_info;
	struct xencons_interface *intf =
		frame_va(mfn_to_pfn(_mfn(si->console.domU.mfn)));
	struct sched_poll poll = {.nr_ports = 0};
	char idx[16] = "";

	cmdline_get("idx", idx, sizeof(idx));
	printk("probe: garbling the console's %s index\n", idx);
	if (!intf)
		shut_down(SHUTDOWN_crash);
	if (!strcmp(idx, "in_cons"))
		WRITE_ONCE(intf->in_cons, intf->in_prod + 0x80000000U);
	else
		WRITE_ONCE(intf->out_prod, intf->out_cons + 0x10000U);
	evtchn_notify(si->console.domU.evtchn);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}

static void __noreturn check_ramdisk(void)
{
	const start_info_t *si = start_info;
	const uint8_t *p = (const uint8_t *)si->mod_start;
	unsigned long sum = 0;

	if ((si->flags & SIF_MOD_START_PFN) ||
	    si->mod_len != cmdline_uint("size", ~0UL))
		shut_down(SHUTDOWN_crash);
	for (unsigned long i = 0; i < si->mod_len; i++)
		sum += p[i];
	shut_down(sum == cmdline_uint("sum", ~0UL) ? SHUTDOWN_poweroff
						   : SHUTDOWN_crash);
}

static void __noreturn grant_page(void)
{
	grant_ref_t ref;
	pfn_t pfn;

	if (alloc_frames(1, &pfn))
		shut_down(SHUTDOWN_crash);
	memset(frame_va(pfn), (int)cmdline_uint("fill", 0), 4096);
	if (gnttab_grant_access(0, pfn, false, &ref) || ref != 8)
		shut_down(SHUTDOWN_crash);
	for (;;) {
		struct sched_poll poll = {.nr_ports = 0};

		HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
	}
}

static void __noreturn implicit_unmap(void)
{
	domid_t dom = (domid_t)cmdline_uint("dom", 0);
	grant_ref_t ref = (grant_ref_t)cmdline_uint("ref", 0);
	grant_handle_t h;
	void *va;

	if (gnttab_map(dom, ref, false, &va, &h) != GNTST_okay)
		shut_down(SHUTDOWN_reboot);
	HYPERVISOR_update_va_mapping((unsigned long)va, 0,
				     UVMF_INVLPG | UVMF_LOCAL);
	shut_down(SHUTDOWN_poweroff);
}

/* Do what the command line says. */
int app_main(void)
{
	char mode[16] = "idle", reason[16] = "";
	struct sched_shutdown code;
	volatile unsigned long spins = 0;
	struct waitq never = WAITQ_INIT;

	cmdline_get("mode", mode, sizeof(mode));
	if (!strcmp(mode, "perm"))
		perm();
	if (!strcmp(mode, "shutdown")) {
		cmdline_get("reason", reason, sizeof(reason));
		shut_down(reason_named(reason));
	}
	if (!strcmp(mode, "code")) {
		code.reason =
			(unsigned int)cmdline_uint("code", SHUTDOWN_crash);
		HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &code);
		shut_down(SHUTDOWN_poweroff);
	}
	if (!strcmp(mode, "ramdisk"))
		check_ramdisk();
	if (!strcmp(mode, "grant"))
		grant_page();
	if (!strcmp(mode, "implicit"))
		implicit_unmap();
	if (!strcmp(mode, "flood"))
		flood();
	if (!strcmp(mode, "badcons"))
		bad_console();
	if (!strcmp(mode, "spin"))
		for (;;)
			spins++;
	/* Idle as a pvguest kernel idles: other threads (control) run. */
	wait_event(never, false);
	for (;;)
		;
}
