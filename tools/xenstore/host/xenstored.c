/*
 * xenstored-host: Paravane's xenstored core as a host daemon on a Unix
 * socket, for Xen's own clients (Debian's xenstore-utils, libxenstore)
 * and for tests and benchmarks. Every socket client is a privileged
 * connection of domain 0, as Xen's socket clients are. It serves until
 * killed.
 *
 *   xenstored-host --socket PATH [--pid-file FILE] [-E NODES]
 *                  [-W WATCHES] [-t TRANSACTIONS] [-S NODE_SIZE]
 *                  [-A PERMS]
 *
 * Point libxenstore at it with XENSTORED_PATH=PATH: libxenstore 4.17
 * connects to that path (a socket) instead of /run/xenstored/socket.
 *
 * One thread, one poll() loop: a client's bytes go to the core as they
 * come; whatever the core queued for a client is written when its socket
 * can take it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xenstore/xenstored.h>

#define MAX_CLIENTS 256
#define IO_CHUNK 4096

struct client {
	int fd;
	struct xsd_conn *conn;
	char in[IO_CHUNK]; /* read, not yet taken by the core */
	size_t in_off, in_len;
	char out[IO_CHUNK]; /* taken from the core, not yet written */
	size_t out_off, out_len;
};

static struct client *clients[MAX_CLIENTS];
static unsigned int nclients;

void *xsd_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void xsd_free(void *p)
{
	free(p);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s --socket PATH [--pid-file FILE] [-E NODES] "
		"[-W WATCHES] [-t TRANSACTIONS] [-S NODE_SIZE] [-A PERMS]\n",
		prog);
	exit(2);
}

static unsigned int number(const char *s, const char *prog)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 1000000000)
		usage(prog);
	return (unsigned int)v;
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "xenstored-host: socket path too long\n");
		return -1;
	}
	strcpy(addr.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, 16)) {
		perror("xenstored-host: socket");
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static void drop(unsigned int i)
{
	struct client *c = clients[i];

	xsd_conn_free(c->conn);
	close(c->fd);
	free(c);
	clients[i] = clients[--nclients];
}

static void accept_client(int lfd, struct xsd_store *s)
{
	int fd = accept(lfd, NULL, NULL);
	struct client *c;

	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c || nclients == MAX_CLIENTS) {
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	c->conn = xsd_conn_new(s, 0, true, c);
	if (!c->conn) {
		free(c);
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	clients[nclients++] = c;
}

/* Read and feed; false: the client is gone or broke the protocol. */
static bool client_input(struct client *c)
{
	long taken;

	if (c->in_off == c->in_len) {
		ssize_t n = read(c->fd, c->in, sizeof(c->in));

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return false;
		if (n < 0)
			return true;
		c->in_off = 0;
		c->in_len = (size_t)n;
	}
	taken = xsd_conn_input(c->conn, c->in + c->in_off,
			       c->in_len - c->in_off);
	if (taken < 0)
		return false;
	c->in_off += (size_t)taken;
	return true;
}

/* Write what is queued; false: the client is gone. */
static bool client_output(struct client *c)
{
	while (c->out_off < c->out_len || xsd_conn_has_output(c->conn)) {
		ssize_t n;

		if (c->out_off == c->out_len) {
			c->out_len = xsd_conn_output(c->conn, c->out,
						     sizeof(c->out));
			c->out_off = 0;
		}
		n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		c->out_off += (size_t)n;
	}
	return true;
}

static bool wants_output(const struct client *c)
{
	return c->out_off < c->out_len || xsd_conn_has_output(c->conn);
}

static void serve(int lfd, struct xsd_store *s)
{
	struct pollfd fds[MAX_CLIENTS + 1];

	for (;;) {
		unsigned int n = nclients;

		fds[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
		for (unsigned int i = 0; i < n; i++) {
			struct client *c = clients[i];

			fds[i + 1].fd = c->fd;
			fds[i + 1].events =
				(c->in_off < c->in_len ? 0 : POLLIN) |
				(wants_output(c) ? POLLOUT : 0);
			fds[i + 1].revents = 0;
		}
		if (poll(fds, n + 1, -1) < 0 && errno != EINTR) {
			perror("xenstored-host: poll");
			return;
		}
		/* Back to front, so dropping one moves none not yet seen. */
		for (unsigned int i = n; i-- > 0;) {
			struct client *c = clients[i];
			bool ok = true;

			if (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR) ||
			    c->in_off < c->in_len)
				ok = client_input(c);
			if (ok)
				ok = client_output(c);
			if (!ok)
				drop(i);
		}
		/* A request may have queued events for any client. */
		for (unsigned int i = nclients; i-- > 0;)
			if (wants_output(clients[i]) &&
			    !client_output(clients[i]))
				drop(i);
		if (fds[0].revents & POLLIN)
			accept_client(lfd, s);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'},
		{"pid-file", required_argument, NULL, 'F'},
		{"entry-nb", required_argument, NULL, 'E'},
		{"watch-nb", required_argument, NULL, 'W'},
		{"transaction", required_argument, NULL, 't'},
		{"entry-size", required_argument, NULL, 'S'},
		{"perm-nb", required_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *path = NULL, *pidfile = NULL;
	struct xsd_limits limits;
	struct xsd_store *s;
	int opt, lfd;

	xsd_default_limits(&limits);
	while ((opt = getopt_long(argc, argv, "s:F:E:W:t:S:A:h", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 's': path = optarg; break;
		case 'F': pidfile = optarg; break;
		case 'E': limits.nodes = number(optarg, argv[0]); break;
		case 'W': limits.watches = number(optarg, argv[0]); break;
		case 't': limits.transactions = number(optarg, argv[0]); break;
		case 'S': limits.node_size = number(optarg, argv[0]); break;
		case 'A': limits.perms = number(optarg, argv[0]); break;
		default: usage(argv[0]);
		}
	}
	if (!path || optind != argc)
		usage(argv[0]);
	signal(SIGPIPE, SIG_IGN);
	s = xsd_store_new(NULL, NULL);
	if (!s) {
		fprintf(stderr, "xenstored-host: out of memory\n");
		return 1;
	}
	xsd_set_limits(s, &limits);
	lfd = listen_on(path);
	if (lfd < 0)
		return 1;
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (f) {
			fprintf(f, "%ld\n", (long)getpid());
			fclose(f);
		}
	}
	serve(lfd, s);
	return 1;
}
