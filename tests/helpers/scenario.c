// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scenario: stage one socket incident on loopback in the current network
 * namespace, print READY, hold it, exit by itself.
 *
 *   scenario accept-overflow PORT BACKLOG CLIENTS HOLD_S
 *       listen(BACKLOG), never accept(); CLIENTS non-blocking connects.
 *   scenario close-wait PORT CONNS HOLD_S
 *       accept CONNS connections, the clients close, the server never does
 *       (and never reads the EOF): CONNS sockets in CLOSE-WAIT, Recv-Q 1.
 *   scenario busy-client PORT CONNS HOLD_S
 *       a server that accepts and closes after the client; the client
 *       opens and closes CONNS short connections (client-side TIME-WAIT).
 *   scenario port-exhaustion PORT HOLD_S
 *       a server that accepts and keeps everything; one client connects to
 *       it until connect() fails with EADDRNOTAVAIL (narrow the namespace's
 *       ip_local_port_range first), then holds the connections.
 *
 * Every loop is bounded; the process exits after HOLD_S seconds (at most
 * 300) whatever happens to its parent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOLD_MAX 300
#define CONNS_MAX 20000

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int listener(int port, int backlog)
{
	struct sockaddr_in a = loopback(port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, backlog)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void ready(void)
{
	printf("READY\n");
	fflush(stdout);
}

static long arg(char **argv, int i, long lo, long hi)
{
	char *e;
	long v = strtol(argv[i], &e, 10);

	if (*e || v < lo || v > hi) {
		fprintf(stderr, "scenario: argument %d '%s' out of range %ld..%ld\n", i, argv[i], lo, hi);
		exit(2);
	}
	return v;
}

static int accept_overflow(int port, int backlog, int clients, int hold)
{
	struct sockaddr_in a = loopback(port);
	int l = listener(port, backlog);

	if (l < 0)
		return perror("listen"), 1;
	for (int i = 0; i < clients; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (c < 0)
			break;
		connect(c, (struct sockaddr *)&a, sizeof(a));
	}
	usleep(300 * 1000);
	ready();
	sleep((unsigned)hold);
	return 0;
}

/* Accept n connections from l with a bounded wait; returns how many. */
static int accept_n(int l, int *fds, int n, int timeout_ms)
{
	int got = 0;

	while (got < n) {
		struct pollfd p = { .fd = l, .events = POLLIN };

		if (poll(&p, 1, timeout_ms) <= 0)
			break;
		fds[got] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
		if (fds[got] < 0)
			break;
		got++;
	}
	return got;
}

static int close_wait(int port, int conns, int hold)
{
	struct sockaddr_in a = loopback(port);
	int l = listener(port, conns + 16);
	int *srv = calloc((size_t)conns, sizeof(int));
	int got;

	if (l < 0 || !srv)
		return perror("listen"), 1;
	for (int i = 0; i < conns; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
			return perror("connect"), 1;
		close(c);    /* the client closes: the server gets a FIN */
	}
	got = accept_n(l, srv, conns, 2000);
	usleep(200 * 1000);
	fprintf(stderr, "scenario: %d server sockets left in CLOSE-WAIT\n", got);
	ready();
	sleep((unsigned)hold);  /* never read, never close */
	return 0;
}

static int busy_client(int port, int conns, int hold)
{
	struct sockaddr_in a = loopback(port);
	int l = listener(port, 4096);
	pid_t pid;

	if (l < 0)
		return perror("listen"), 1;
	pid = fork();
	if (pid == 0) {
		/* The server: accept, wait for the client's FIN, then close.
		 * It dies with its parent, whoever kills that. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		alarm(HOLD_MAX);
		for (;;) {
			char b[16];
			int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);

			if (s < 0)
				continue;
			while (read(s, b, sizeof(b)) > 0)
				;
			close(s);
		}
	}
	close(l);
	for (int i = 0; i < conns; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a))) {
			perror("connect");
			break;
		}
		if (write(c, "x", 1) != 1)
			break;
		close(c);    /* active close by the client: TIME-WAIT here */
	}
	usleep(300 * 1000);
	ready();
	sleep((unsigned)hold);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

static int port_exhaustion(int port, int hold)
{
	struct sockaddr_in a = loopback(port);
	int l = listener(port, 4096);
	int *cli = calloc(CONNS_MAX, sizeof(int)), *srv = calloc(CONNS_MAX, sizeof(int));
	int n = 0, err = 0;

	if (l < 0 || !cli || !srv)
		return perror("listen"), 1;
	while (n < CONNS_MAX) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (c < 0) {
			err = errno;
			break;
		}
		if (connect(c, (struct sockaddr *)&a, sizeof(a))) {
			err = errno;
			close(c);
			break;
		}
		cli[n++] = c;
		accept_n(l, &srv[n - 1], 1, 1000);
	}
	fprintf(stderr, "scenario: %d connections, then: %s\n", n, strerror(err));
	ready();
	sleep((unsigned)hold);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: scenario accept-overflow|close-wait|busy-client|port-exhaustion ARGS\n");
		return 2;
	}
	alarm(HOLD_MAX + 10);
	if (!strcmp(argv[1], "accept-overflow") && argc == 6)
		return accept_overflow((int)arg(argv, 2, 1, 65535), (int)arg(argv, 3, 0, 65535),
				       (int)arg(argv, 4, 1, 1000), (int)arg(argv, 5, 1, HOLD_MAX));
	if (!strcmp(argv[1], "close-wait") && argc == 5)
		return close_wait((int)arg(argv, 2, 1, 65535), (int)arg(argv, 3, 1, 10000),
				  (int)arg(argv, 4, 1, HOLD_MAX));
	if (!strcmp(argv[1], "busy-client") && argc == 5)
		return busy_client((int)arg(argv, 2, 1, 65535), (int)arg(argv, 3, 1, CONNS_MAX),
				   (int)arg(argv, 4, 1, HOLD_MAX));
	if (!strcmp(argv[1], "port-exhaustion") && argc == 4)
		return port_exhaustion((int)arg(argv, 2, 1, 65535), (int)arg(argv, 3, 1, HOLD_MAX));
	fprintf(stderr, "scenario: unknown scenario or wrong arguments\n");
	return 2;
}
