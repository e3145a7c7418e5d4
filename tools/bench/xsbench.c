/*
 * xsbench: xenstored's throughput on the host (make bench runs it after
 * the hypervisor table). Not a test: figures depend on the machine.
 *
 * In-process figures drive the real core (tools/xenstore/core) through
 * an in-process client, so each operation is a whole request: built,
 * parsed and checked by the message layer, run, its reply queued and
 * read back - everything a domain's request costs xenstored except the
 * ring copy and the event channel. The store holds a tree like a host's
 * with `domains` domains (a home of 12 nodes each), and in the loaded
 * variant every domain also has a connection with 10 watches on its home
 * (as frontends and backends keep them), so a write is matched against
 * domains x 10 watches.
 *
 *   read            READ of a domain's node
 *   write           WRITE of an existing node (fires the watches on it)
 *   create_rm       WRITE of a new node, then RM of it (two operations)
 *   transaction     TRANSACTION_START, READ, WRITE, TRANSACTION_END T
 *                   (four operations, counted as one transaction)
 *   watch_event     a WRITE that fires one watch of another client, and
 *                   that client taking the event
 *   socket_read     READ by a client of the host daemon
 *                   (build/tools/xenstored-host) over its Unix socket,
 *                   one request in flight: adds two system calls and a
 *                   context switch each way
 *
 * Each figure is the median of 7 runs; the table gives operations per
 * second and nanoseconds per operation, and --json FILE writes them.
 *
 *   xsbench [--daemon PATH] [--json FILE]
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>
#include <xenstore/client.h>

#define REPS 7
#define MAX_FIGURES 16

struct figure {
	char name[40];
	double ns[REPS];
	double median;
};

static struct figure figures[MAX_FIGURES];
static unsigned int nfigures;

void *xsd_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void xsd_free(void *p)
{
	free(p);
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void die(const char *what, int rc)
{
	fprintf(stderr, "xsbench: %s failed (%d)\n", what, rc);
	exit(1);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Run fn(arg) n times, REPS times over; record ns per call. */
static void measure(const char *name, void (*fn)(void *, long), void *arg,
		    long n)
{
	struct figure *f = &figures[nfigures++];
	double sorted[REPS];

	snprintf(f->name, sizeof(f->name), "%s", name);
	fn(arg, n / 10 + 1); /* warm up */
	for (int r = 0; r < REPS; r++) {
		double t0 = now_ns();

		fn(arg, n);
		f->ns[r] = (now_ns() - t0) / (double)n;
	}
	memcpy(sorted, f->ns, sizeof(sorted));
	qsort(sorted, REPS, sizeof(sorted[0]), cmp);
	f->median = sorted[REPS / 2];
}

struct world {
	struct xsd_store *s;
	struct xsc *dom0, *watcher;
	struct xsc **domains;
	unsigned int ndomains;
	long events;
};

static void must(int rc, const char *what)
{
	if (rc)
		die(what, rc);
}

static void count_event(const char *path, const char *token, void *arg)
{
	((struct world *)arg)->events++;
}

/* A host-like tree: ndomains homes; loaded: a client and watches each. */
static void build(struct world *w, unsigned int ndomains, bool loaded)
{
	static const char *const nodes[] = {"name",
					    "domid",
					    "memory/target",
					    "memory/static-max",
					    "store/port",
					    "store/ring-ref",
					    "console/port",
					    "console/ring-ref",
					    "control/shutdown",
					    "device/vif/0/state",
					    "device/vbd/51712/state",
					    "data"};
	char path[96], token[16];

	memset(w, 0, sizeof(*w));
	w->s = xsd_store_new(NULL, NULL);
	w->dom0 = xsc_open(w->s, 0, true);
	w->watcher = xsc_open(w->s, 0, true);
	w->domains = calloc(ndomains, sizeof(*w->domains));
	if (!w->s || !w->dom0 || !w->watcher || !w->domains)
		die("setting up", -ENOMEM);
	w->ndomains = ndomains;
	for (unsigned int d = 1; d <= ndomains; d++) {
		struct xs_perm p[2] = {{0, XS_PERM_NONE}, {d, XS_PERM_READ}};

		snprintf(path, sizeof(path), "/local/domain/%u", d);
		must(xsc_mkdir(w->dom0, 0, path), "mkdir");
		must(xsc_set_perms(w->dom0, 0, path, p, 2), "set_perms");
		for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
			snprintf(path, sizeof(path), "/local/domain/%u/%s", d,
				 nodes[i]);
			must(xsc_write_str(w->dom0, 0, path, "1"), "write");
		}
		if (!loaded)
			continue;
		w->domains[d - 1] = xsc_open(w->s, (domid_t)d, false);
		for (int k = 0; k < 10; k++) {
			snprintf(path, sizeof(path), "device/w%d", k);
			snprintf(token, sizeof(token), "t%d", k);
			must(xsc_watch(w->domains[d - 1], path, token, NULL,
				       NULL),
			     "watch");
		}
	}
}

static void destroy(struct world *w)
{
	for (unsigned int d = 0; d < w->ndomains; d++)
		xsc_close(w->domains[d]);
	xsc_close(w->watcher);
	xsc_close(w->dom0);
	xsd_store_free(w->s);
	free(w->domains);
}

static void op_read(void *arg, long n)
{
	struct world *w = arg;
	char *v;

	for (long i = 0; i < n; i++) {
		must(xsc_read(w->dom0, 0, "/local/domain/1/name", &v, NULL),
		     "read");
		free(v);
	}
}

static void op_write(void *arg, long n)
{
	struct world *w = arg;

	for (long i = 0; i < n; i++)
		must(xsc_write_str(w->dom0, 0, "/local/domain/1/data", "x"),
		     "write");
}

static void op_create_rm(void *arg, long n)
{
	struct world *w = arg;

	for (long i = 0; i < n; i++) {
		must(xsc_write_str(w->dom0, 0, "/local/domain/1/data/new", "x"),
		     "create");
		must(xsc_rm(w->dom0, 0, "/local/domain/1/data/new"), "rm");
	}
}

static void op_transaction(void *arg, long n)
{
	struct world *w = arg;
	xs_tx_t tx;
	char *v;

	for (long i = 0; i < n; i++) {
		must(xsc_transaction_start(w->dom0, &tx), "start");
		must(xsc_read(w->dom0, tx, "/local/domain/1/name", &v, NULL),
		     "read");
		free(v);
		must(xsc_write_str(w->dom0, tx, "/local/domain/1/data", "y"),
		     "write");
		must(xsc_transaction_end(w->dom0, tx, true), "commit");
	}
}

static void op_watch_event(void *arg, long n)
{
	struct world *w = arg;

	for (long i = 0; i < n; i++) {
		must(xsc_write_str(w->dom0, 0, "/local/domain/1/data", "z"),
		     "write");
		xsc_dispatch(w->watcher);
	}
}

static void in_process(unsigned int ndomains, bool loaded, const char *tag)
{
	struct world w;
	char name[40];

	build(&w, ndomains, loaded);
	must(xsc_watch(w.watcher, "/local/domain/1/data", "bench", count_event,
		       &w),
	     "watch");
	xsc_dispatch(w.watcher);
	snprintf(name, sizeof(name), "read%s", tag);
	measure(name, op_read, &w, 100000);
	snprintf(name, sizeof(name), "write%s", tag);
	measure(name, op_write, &w, 50000);
	xsc_dispatch(w.watcher);
	snprintf(name, sizeof(name), "create_rm%s", tag);
	measure(name, op_create_rm, &w, 20000);
	xsc_dispatch(w.watcher);
	snprintf(name, sizeof(name), "transaction%s", tag);
	measure(name, op_transaction, &w, 20000);
	xsc_dispatch(w.watcher);
	snprintf(name, sizeof(name), "watch_event%s", tag);
	measure(name, op_watch_event, &w, 50000);
	destroy(&w);
}

struct sock {
	int fd;
	uint32_t req;
};

static void sock_io(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n <= 0)
			die("socket i/o", -errno);
		p += n;
		len -= (size_t)n;
	}
}

static void op_socket_read(void *arg, long n)
{
	struct sock *k = arg;
	static const char path[] = "/local/domain/1/name";
	char buf[sizeof(struct xsd_sockmsg) + sizeof(path)], reply[256];

	for (long i = 0; i < n; i++) {
		struct xsd_sockmsg h = {XS_READ, ++k->req, 0, sizeof(path)};

		memcpy(buf, &h, sizeof(h));
		memcpy(buf + sizeof(h), path, sizeof(path));
		sock_io(k->fd, buf, sizeof(buf), true);
		sock_io(k->fd, &h, sizeof(h), false);
		if (h.type != XS_READ || h.len > sizeof(reply))
			die("socket read reply", -EIO);
		sock_io(k->fd, reply, h.len, false);
	}
}

static void over_socket(const char *daemon)
{
	char dir[] = "/tmp/xsbench-XXXXXX", sock_path[64];
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct sock k = {.fd = -1};
	pid_t pid;

	if (!mkdtemp(dir))
		die("mkdtemp", -errno);
	snprintf(sock_path, sizeof(sock_path), "%s/socket", dir);
	pid = fork();
	if (pid == 0) {
		execl(daemon, daemon, "--socket", sock_path, (char *)NULL);
		_exit(127);
	}
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock_path);
	for (int i = 0; i < 200 && k.fd < 0; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
			k.fd = fd;
			break;
		}
		close(fd);
		usleep(10000);
	}
	if (k.fd >= 0) {
		static const char msg[] = "/local/domain/1/name\0Domain-1";
		struct xsd_sockmsg h = {XS_WRITE, 1, 0, sizeof(msg) - 1};
		char ok[16];

		sock_io(k.fd, &h, sizeof(h), true);
		sock_io(k.fd, (void *)msg, h.len, true);
		sock_io(k.fd, &h, sizeof(h), false);
		sock_io(k.fd, ok, h.len, false);
		measure("socket_read", op_socket_read, &k, 20000);
		close(k.fd);
	} else {
		fprintf(stderr, "xsbench: no daemon at %s\n", sock_path);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	unlink(sock_path);
	rmdir(dir);
}

static void report(const char *json)
{
	FILE *f = json ? fopen(json, "w") : NULL;

	printf("\nxenstored (host, tools/bench/xsbench.c): median of %d runs\n",
	       REPS);
	printf("  %-40s %12s %10s\n", "operation", "ops/s", "ns/op");
	for (unsigned int i = 0; i < nfigures; i++)
		printf("  %-40s %12.0f %10.0f\n", figures[i].name,
		       1e9 / figures[i].median, figures[i].median);
	if (!f)
		return;
	fprintf(f, "{\n");
	for (unsigned int i = 0; i < nfigures; i++) {
		fprintf(f, "  \"%s\": {\"median_ns\": %.1f, \"runs_ns\": [",
			figures[i].name, figures[i].median);
		for (int r = 0; r < REPS; r++)
			fprintf(f, "%s%.1f", r ? ", " : "", figures[i].ns[r]);
		fprintf(f, "]}%s\n", i + 1 < nfigures ? "," : "");
	}
	fprintf(f, "}\n");
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *daemon = NULL, *json = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--daemon") && i + 1 < argc)
			daemon = argv[++i];
		else if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else
			die("usage: xsbench [--daemon PATH] [--json FILE]", 0);
	}
	in_process(1, false, "");
	in_process(100, true, " (100 domains, 1000 watches)");
	if (daemon)
		over_socket(daemon);
	report(json);
	return 0;
}
