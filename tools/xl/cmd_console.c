/*
 * dom0's side of the domUs' consoles, on the console backend
 * (<back/console.h>): every domain xl creates has its console attached
 * before it first runs, and detached before it is destroyed. Without
 * anyone attached, a domain's lines appear on dom0's console prefixed
 * "(dN) " (the prompt moves out of their way); all of its output is
 * kept in its console log, the last 16 KiB.
 *
 *   xl console DOMAIN         attach (also "console DOMAIN"): the end of
 *                             the log, then the output as it comes, and
 *                             what is typed goes to the domain; Ctrl-]
 *                             returns to the dom0# prompt
 *   xl console -l DOMAIN      print the console log
 *   send DOMAIN TEXT          type TEXT and Enter into its console
 *   expect DOMAIN TEXT [S]    wait (at most S seconds, default 10) until
 *                             TEXT appears in its output, after where
 *                             the last expect matched (or its console
 *                             is disconnected)
 *
 * send and expect drive a domain's console from xl.run, without a
 * keyboard (the tests do; so may scripts).
 */
#include "xl.h"

#include <back/console.h>
#include <ctrl/wait.h>
#include <guest/console.h>
#include <guest/errno.h>
#include <paravane/string.h>

#define DETACH_KEY 0x1d /* Ctrl-] */
#define REPLAY_BYTES 2048
#define EXPECT_DEFAULT_S 10
#define EXPECT_POLL_MS 20
#define ATTACH_CHECK_MS 500
#define SEND_MAX 256

static const struct consback_ops ops = {
	.show = prompt_show_output,
	.quiet = prompt_output_quiet,
};

/* Start the console backend with the prompt's hooks. */
void xl_console_init(void)
{
	int rc = consback_init(&ops);

	if (rc)
		printk("xl: the console backend did not start (%d)\n", rc);
}

/* Attach a domain's console as the builder left it (before it runs). */
void xl_console_attach(const struct build_info *bi, const char *name)
{
	int rc = consback_attach(bi->domid, bi->console_mfn, bi->console_port);

	if (rc)
		printk("xl: %s: no console (%d)\n", name, rc);
}

/* A domain's console log from position from on, to dom0's console. */
static void print_log(domid_t domid, uint64_t from, uint64_t to,
		      bool whole_lines)
{
	static char buf[512];
	bool first = true;
	char last = '\n';
	uint64_t at;
	size_t n;

	while (from < to &&
	       (n = consback_log_read(domid, from, buf,
				      MIN(sizeof(buf), to - from), &at))) {
		size_t skip = 0;

		/* Cut in the middle of a line: start at the next one. */
		if (first && whole_lines && at > 0) {
			while (skip < n && buf[skip] != '\n')
				skip++;
			skip = skip < n ? skip + 1 : 0;
		}
		console_write(buf + skip, n - skip);
		last = buf[n - 1];
		first = false;
		from = at + n;
	}
	if (last != '\n' && !whole_lines)
		console_write("\n", 1);
}

/* Send what was typed up to Ctrl-]; true if Ctrl-] came. */
static bool forward(domid_t domid, const char *buf, int n)
{
	int len = 0;

	while (len < n && buf[len] != DETACH_KEY)
		len++;
	if (len)
		consback_send(domid, buf, (size_t)len);
	return len < n;
}

static int attach(domid_t domid)
{
	uint64_t live;
	bool input;

	printk("[console of domain %u (%s); Ctrl-] returns to dom0]\n", domid,
	       domains_name(domid));
	live = consback_live(domid);
	print_log(domid, live > REPLAY_BYTES ? live - REPLAY_BYTES : 0, live,
		  true);
	for (;;) {
		char buf[64];
		int n;

		if (consback_state(domid) != CONSBACK_CONNECTED) {
			printk("\n[domain %u: %s]\n", domid,
			       consback_state(domid) == CONSBACK_LOST
				       ? "its console was disconnected"
				       : "gone");
			break;
		}
		n = prompt_read_input(buf, sizeof(buf));
		if (n > 0) {
			if (forward(domid, buf, n))
				break;
			continue;
		}
		xl_events_wait(wait_now() + ATTACH_CHECK_MS * 1000000ULL,
			       &input);
	}
	consback_live(DOMID_INVALID);
	printk("\n");
	return 0;
}

/* xl console [-l] DOMAIN, and dom0's "console DOMAIN". */
int cmd_console(int argc, char **argv)
{
	bool log_only = argc == 3 && !strcmp(argv[1], "-l");
	enum consback_state st;
	domid_t domid;

	if (argc != 2 && !log_only) {
		printk("usage: console [-l] DOMAIN\n");
		return -EINVAL;
	}
	if (domains_lookup(argv[argc - 1], &domid))
		return -ESRCH;
	if (domid == 0) {
		printk("xl: console: Domain-0's console is this one\n");
		return -EINVAL;
	}
	st = consback_state(domid);
	if (st == CONSBACK_NONE) {
		printk("xl: domain %u has no console\n", domid);
		return -ENODEV;
	}
	if (st == CONSBACK_LOST && !log_only)
		printk("xl: domain %u's console was disconnected; its log:\n",
		       domid);
	if (log_only || st == CONSBACK_LOST) {
		print_log(domid, 0, UINT64_MAX, false);
		return st == CONSBACK_LOST && !log_only ? -ENOTCONN : 0;
	}
	return attach(domid);
}

/* send DOMAIN TEXT: TEXT and a carriage return, as Enter sends. */
int cmd_send(int argc, char **argv)
{
	char buf[SEND_MAX];
	domid_t domid;
	size_t len;
	long n;

	if (argc != 3) {
		printk("usage: send DOMAIN TEXT\n");
		return -EINVAL;
	}
	if (domains_lookup(argv[1], &domid))
		return -ESRCH;
	len = strlcpy(buf, argv[2], sizeof(buf) - 1);
	if (len >= sizeof(buf) - 1) {
		printk("send: at most %zu characters\n", sizeof(buf) - 2);
		return -E2BIG;
	}
	buf[len++] = '\r';
	n = consback_send(domid, buf, len);
	if (n < 0) {
		printk("send: domain %u: %s\n", domid,
		       n == -ESRCH ? "no console" : "console disconnected");
		return (int)n;
	}
	if ((size_t)n < len)
		printk("send: domain %u's input ring took %ld of %zu bytes\n",
		       domid, n, len);
	return 0;
}

/* expect DOMAIN TEXT [SECONDS] */
int cmd_expect(int argc, char **argv)
{
	uint64_t s = EXPECT_DEFAULT_S, deadline, after;
	struct xl_domain *d;
	const char *end;
	domid_t domid;
	bool input;

	if (argc == 4 && (s = parse_uint(argv[3], &end), *end || s > 3600))
		argc = 0;
	if (argc != 3 && argc != 4) {
		printk("usage: expect DOMAIN TEXT [SECONDS (at most 3600)]\n");
		return -EINVAL;
	}
	if (domains_lookup(argv[1], &domid))
		return -ESRCH;
	deadline = wait_now() + s * 1000000000ULL;
	for (;;) {
		uint64_t now;

		d = domains_by_id(domid);
		if (!d || consback_state(domid) == CONSBACK_NONE) {
			printk("expect: domain %u has no console\n", domid);
			return -ENODEV;
		}
		if (consback_log_find(domid, d->console_pos, argv[2], &after)) {
			d->console_pos = after;
			printk("expect: domain %u wrote \"%s\"\n", domid,
			       argv[2]);
			return 0;
		}
		if (consback_state(domid) == CONSBACK_LOST) {
			printk("expect: domain %u's console was disconnected\n",
			       domid);
			return -ENOTCONN;
		}
		now = wait_now();
		if (now >= deadline) {
			printk("expect: domain %u did not write \"%s\" "
			       "within %lu s\n",
			       domid, argv[2], (unsigned long)s);
			return -ETIMEDOUT;
		}
		xl_events_wait(MIN(deadline, now + EXPECT_POLL_MS * 1000000ULL),
			       &input);
	}
}
