/*
 * A domU that talks to dom0's xenstored over its xenstore ring, with a
 * client of its own (a few dozen lines: pvguest's xenbus client is not
 * part of this test). Its result reaches dom0 through how it ends
 * (poweroff: passed; crash: failed), and on Paravane its console says
 * why. Modes (command line):
 *
 *   mode=talk       (default) write, read, errors (ENOENT, EACCES), a
 *                   watch that dom0 fires, a transaction, a ring
 *                   reconnection; data/ready tells dom0 it may write
 *                   data/cmd = "go"; data/result = "ok" at the end
 *   mode=oversize   send a header announcing 5000 bytes: xenstored must
 *                   report XENSTORE_ERROR_PROTO in the page and stop
 *   mode=badidx     put req_prod a ring and more ahead of req_cons:
 *                   XENSTORE_ERROR_RINGIDX
 *   mode=flood      keep both rings busy for ever (dom0 destroys it):
 *                   WRITEs of a counter to data/flood, sent whenever
 *                   there is room, replies thrown away unread
 */
#include <guest/app.h>
#include <guest/bootinfo.h>
#include <guest/cmdline.h>
#include <guest/console.h>
#include <guest/events.h>
#include <guest/mm.h>
#include <guest/sched.h>
#include <guest/shutdown.h>
#include <guest/time.h>
#include <paravane/compiler.h>
#include <paravane/printf.h>
#include <paravane/string.h>
#include <xen/io/xs_wire.h>
#include <xen/sched.h>

#define mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define TIMEOUT_NS 20000000000ULL

struct msg {
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

static volatile struct xenstore_domain_interface *intf;
static evtchn_port_t port;
static struct waitq kicked = WAITQ_INIT;
static volatile unsigned long kicks;
static uint32_t next_req = 1;
static unsigned int events;
static char last_event[128];

static void __noreturn finish(bool ok, const char *why)
{
	struct sched_shutdown s = {.reason = ok ? SHUTDOWN_poweroff
						: SHUTDOWN_crash};

	printk("xsclient: %s%s\n", ok ? "passed" : "FAILED: ", why);
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

static void on_event(evtchn_port_t p, void *arg)
{
	kicks++;
	wake_up(&kicked);
}

/* Sleep until the channel fires after seen (or time runs out). */
static void wait_kick(unsigned long seen, uint64_t deadline)
{
	if (time_now() >= deadline)
		finish(false, "no answer from xenstored");
	wait_event_until(kicked, kicks != seen, deadline);
}

static void ring_write(const char *data, uint32_t len)
{
	uint64_t deadline = time_now() + TIMEOUT_NS;

	while (len) {
		unsigned long seen = kicks;
		XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
		uint32_t off = MASK_XENSTORE_IDX(prod), n;

		mb();
		n = MIN(len, XENSTORE_RING_SIZE - (prod - cons));
		n = MIN(n, XENSTORE_RING_SIZE - off);
		if (!n) {
			wait_kick(seen, deadline);
			continue;
		}
		memcpy((char *)intf->req + off, data, n);
		mb();
		intf->req_prod = prod + n;
		evtchn_notify(port);
		data += n;
		len -= n;
	}
}

static void ring_read(char *data, uint32_t len)
{
	uint64_t deadline = time_now() + TIMEOUT_NS;

	while (len) {
		unsigned long seen = kicks;
		XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
		uint32_t off = MASK_XENSTORE_IDX(cons), n;

		mb();
		n = MIN(len, prod - cons);
		n = MIN(n, XENSTORE_RING_SIZE - off);
		if (!n) {
			wait_kick(seen, deadline);
			continue;
		}
		memcpy(data, (const char *)intf->rsp + off, n);
		mb();
		intf->rsp_cons = cons + n;
		evtchn_notify(port);
		data += n;
		len -= n;
	}
}

/* One request; 0 and the reply, or -1 with the error's name in it. */
static int request(uint32_t type, uint32_t tx, const char *payload,
		   uint32_t len, struct msg *reply)
{
	struct xsd_sockmsg h = {type, next_req++, tx, len};

	ring_write((const char *)&h, sizeof(h));
	ring_write(payload, len);
	for (;;) {
		ring_read((char *)&reply->h, sizeof(reply->h));
		if (reply->h.len > XENSTORE_PAYLOAD_MAX)
			finish(false, "a reply over the payload limit");
		ring_read(reply->body, reply->h.len);
		reply->body[reply->h.len] = '\0';
		if (reply->h.type == XS_WATCH_EVENT) {
			events++;
			snprintf(last_event, sizeof(last_event), "%s",
				 reply->body);
			continue;
		}
		if (reply->h.req_id != h.req_id)
			finish(false, "a reply to another request");
		return reply->h.type == XS_ERROR ? -1 : 0;
	}
}

static struct msg reply;

static void write_value(const char *path, const char *value, uint32_t tx)
{
	char buf[256];
	size_t plen = strlen(path) + 1, vlen = strlen(value);

	memcpy(buf, path, plen);
	memcpy(buf + plen, value, vlen);
	if (request(XS_WRITE, tx, buf, (uint32_t)(plen + vlen), &reply))
		finish(false, path);
}

static int read_value(const char *path, uint32_t tx)
{
	return request(XS_READ, tx, path, (uint32_t)strlen(path) + 1, &reply);
}

static void expect_error(uint32_t type, const char *payload, uint32_t len,
			 const char *error)
{
	if (!request(type, 0, payload, len, &reply) ||
	    strcmp(reply.body, error))
		finish(false, error);
}

static void wait_for(bool (*cond)(void), const char *what)
{
	uint64_t deadline = time_now() + TIMEOUT_NS;

	while (!cond()) {
		if (time_now() >= deadline)
			finish(false, what);
		sleep_ns(1000000);
	}
}

static bool reconnected(void)
{
	return intf->connection == XENSTORE_CONNECTED;
}

static void talk(void)
{
	struct msg ev;
	uint32_t tx;

	/* Sent at once: xenstored may not listen yet, it reads them later. */
	write_value("data/greeting", "hello from the domU", 0);
	if (read_value("data/greeting", 0) ||
	    strcmp(reply.body, "hello from the domU"))
		finish(false, "read back");
	if ((intf->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION) == 0)
		finish(false, "no reconnection feature");
	if (read_value("domid", 0) || !reply.body[0])
		finish(false, "domid");
	expect_error(XS_READ, "nothing/here", 13, "ENOENT");
	expect_error(XS_WRITE, "/local/domain/0/evil\0x", 22, "EACCES");
	expect_error(XS_READ, "a//b", 5, "EINVAL");
	if (request(XS_WATCH, 0, "data/cmd\0cmd", 13, &reply))
		finish(false, "watch");
	write_value("data/ready", "1", 0);
	/* The first event, then dom0's write of "go". */
	for (uint64_t d = time_now() + TIMEOUT_NS; events < 2;) {
		unsigned long seen = kicks;

		if (intf->rsp_prod != intf->rsp_cons) {
			ring_read((char *)&ev.h, sizeof(ev.h));
			ring_read(ev.body, ev.h.len);
			events += ev.h.type == XS_WATCH_EVENT;
			continue;
		}
		wait_kick(seen, d);
	}
	if (read_value("data/cmd", 0) || strcmp(reply.body, "go"))
		finish(false, "data/cmd is not \"go\"");
	/* A transaction: its write is its own until it commits. */
	if (request(XS_TRANSACTION_START, 0, "", 1, &reply))
		finish(false, "transaction start");
	tx = (uint32_t)parse_uint(reply.body, NULL);
	write_value("data/tx", "in a transaction", tx);
	expect_error(XS_READ, "data/tx", 8, "ENOENT");
	if (read_value("data/tx", tx))
		finish(false, "read in the transaction");
	if (request(XS_TRANSACTION_END, tx, "T", 2, &reply))
		finish(false, "commit");
	if (read_value("data/tx", 0))
		finish(false, "the committed write");
	/* Reconnect: both rings start afresh. */
	intf->connection = XENSTORE_RECONNECT;
	mb();
	evtchn_notify(port);
	wait_for(reconnected, "reconnection");
	if (intf->req_prod || intf->rsp_prod)
		finish(false, "rings not reset");
	write_value("data/result", "ok", 0);
	finish(true, "");
}

/* Copy len bytes into the request ring if they fit; whether they did. */
static bool ring_put(const char *data, uint32_t len)
{
	XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;

	mb();
	if (XENSTORE_RING_SIZE - (prod - cons) < len)
		return false;
	for (uint32_t i = 0; i < len; i++)
		intf->req[MASK_XENSTORE_IDX(prod + i)] = data[i];
	mb();
	intf->req_prod = prod + len;
	return true;
}

static void __noreturn flood(void)
{
	static const char path[] = "data/flood";
	struct {
		struct xsd_sockmsg h;
		char body[sizeof(path) + 10];
	} m = {{XS_WRITE, 0, 0, sizeof(m.body)}, ""};

	memcpy(m.body, path, sizeof(path));
	for (unsigned long i = 0;; i++) {
		char n[11];

		m.h.req_id = (uint32_t)i;
		snprintf(n, sizeof(n), "%010lu", i % 10000000000UL);
		memcpy(m.body + sizeof(path), n, 10);
		while (!ring_put((const char *)&m, sizeof(m.h) + m.h.len)) {
			intf->rsp_cons = intf->rsp_prod; /* replies unread */
			evtchn_notify(port);
		}
		intf->rsp_cons = intf->rsp_prod;
		evtchn_notify(port);
	}
}

static bool proto_error(void)
{
	return intf->error == XENSTORE_ERROR_PROTO;
}

static bool idx_error(void)
{
	return intf->error == XENSTORE_ERROR_RINGIDX;
}

int app_main(void)
{
	char mode[16] = "talk";
	const start_info_t *si = start_info;

	cmdline_get("mode", mode, sizeof(mode));
	intf = frame_va(mfn_to_pfn(_mfn(si->store_mfn)));
	port = si->store_evtchn;
	evtchn_set_cpu(port, 0);
	evtchn_set_handler(port, on_event, NULL);
	evtchn_unmask(port);
	if (!strcmp(mode, "oversize")) {
		struct xsd_sockmsg h = {XS_READ, 1, 0, 5000};

		ring_write((const char *)&h, sizeof(h));
		wait_for(proto_error, "no XENSTORE_ERROR_PROTO");
		finish(true, "");
	}
	if (!strcmp(mode, "badidx")) {
		intf->req_prod = intf->req_cons + XENSTORE_RING_SIZE + 1;
		mb();
		evtchn_notify(port);
		wait_for(idx_error, "no XENSTORE_ERROR_RINGIDX");
		finish(true, "");
	}
	if (!strcmp(mode, "flood"))
		flood();
	talk();
	return 0;
}
