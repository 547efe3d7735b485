/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * population: build a fixed, quiescent socket population for the ss
 * differential test (tests/e2e/t20-ss-differential.t), print READY and
 * wait.
 *
 *   ip netns exec NS tests/helpers/population [-t SECONDS] [-d DIR]
 *
 * Run it in a fresh network namespace whose lo is up; it only talks over
 * lo. -d DIR is where path-bound unix sockets are created (default
 * /tmp); the paths are unlinked on exit. -t is the lifetime (default
 * 120 s): the process, its forked children and its thread end by
 * themselves after that even if nobody kills them (children also get
 * SIGKILL when the parent dies, PR_SET_PDEATHSIG). SIGTERM/SIGINT end
 * it early.
 *
 * What exists once READY is printed (ports chosen so /etc/services
 * names show):
 *
 *   TCP/IPv4
 *     8080 http-alt  listener, backlog 2, never accepts, 3 connections
 *                    queued: Recv-Q 3 = backlog+1 (full). A 4th client
 *                    connects non-blocking: its SYN is dropped by the
 *                    full accept queue, so it stays SYN-SENT (Send-Q 1)
 *                    with nothing leaving lo. This is the stable
 *                    SYN-SENT: a blackhole route fails connect() with
 *                    EINVAL and an unanswered ARP ends in an ICMP host
 *                    unreachable that aborts SYN-SENT after ~3 s. The
 *                    client has TCP_SYNCNT 10, so it outlives -t.
 *     9090           listener, backlog 16, 2 connections queued;
 *                    then TCP-MD5 keys (key POP_MD5_KEY) for
 *                    127.0.0.2/32 and, with a prefix, 10.0.0.0/8, so -i
 *                    shows md5keys:10.0.0.0/8=,127.0.0.2/32= (the
 *                    kernel lists the newest first).
 *     7000 bbs       established pair; the client sent 1000 bytes the
 *                    accepted side never reads (Recv-Q 1000).
 *     5432 postgresql established pair; the receiver (SO_RCVBUF 64 KiB,
 *                    so locked: no autotuning) never reads, the sender
 *                    (SO_SNDBUF 64 KiB, locked) wrote until EAGAIN: zero
 *                    window, Send-Q > 0 with unsent bytes (persist
 *                    timer), receiver Recv-Q > 99999 (6 digits, wider
 *                    than the tools' own netlink rows).
 *     9300           listener; a completed connection the client closed
 *                    first: client side TIME-WAIT (60 s).
 *     6379 redis     CLOSE-WAIT with Recv-Q 1 (the FIN is unread) and
 *                    its FIN-WAIT-2 peer (shutdown(SHUT_WR), not close,
 *                    so FIN-WAIT-2 has no timer and stays).
 *     9401           CLOSE-WAIT with Recv-Q 0 (EOF read, never closed)
 *                    and its FIN-WAIT-2 peer.
 *     9500           pair whose client has SO_KEEPALIVE, TCP_KEEPIDLE
 *                    600 s (timer:(keepalive,9min..)).
 *     9501           listener bound to lo (SO_BINDTODEVICE):
 *                    127.0.0.1%lo:9501, plus one accepted connection
 *                    (the child inherits the device).
 *     9600           listener shared with 2 forked children (3 users).
 *     6000 x11       listener owned by a child whose comm, set with
 *                    PR_SET_NAME, is "pop wk,x y" (space and comma).
 *     6001           listener owned by a child named `a(b)c"d`: ss
 *                    prints "a(b" (cut at the first ')').
 *   TCP/IPv6
 *     8443           [::]:8443 v6only listener and an accepted pair over
 *                    [::1]; then a TCP-MD5 key for fd00::/64.
 *     8444           dual-stack listener (*:8444) and an accepted
 *                    connection from 127.0.0.1: [::ffff:127.0.0.1].
 *   MPTCP (when the kernel has it enabled; skipped otherwise)
 *     127.0.0.1:9700 listener and a connected pair that exchanged 100
 *                    bytes: their subflows show tcp-ulp-mptcp with -i.
 *   UDP
 *     127.0.0.1:5353 mdns with 3 unread datagrams sent by a connected
 *                    UDP socket (ESTAB).
 *     0.0.0.0%lo:7000 afs3-fileserver (udp name differs from tcp bbs).
 *     *:7001         dual-stack afs3-callback; [::1]:5353 v6.
 *   RAW               ICMP (IPv4) and ICMPv6 sockets.
 *   UNIX (DIR/... names are long on purpose, see docs/testing.md)
 *     stream listener DIR/sockvet-population-stream.sock with one
 *       accepted connection holding 1000 unread bytes and one pending
 *       (never accepted) connection;
 *     dgram DIR/sockvet-population-dgram.sock with 2 unread datagrams
 *       from a connected unnamed dgram socket;
 *     seqpacket listener DIR/sockvet-population-seqpacket.sock with one
 *       accepted pair and one unread 100-byte record;
 *     abstract @sockvet-population-abstract (stream listener) and
 *       @sockvet-population-dgram (dgram);
 *     socketpair(SOCK_STREAM) with 500 unread bytes.
 *
 * The main process also runs one idle thread so ss -T shows two tids.
 *
 * Quiescence: after building, the queues of the zero-window pair are
 * polled (SIOCOUTQ, SIOCOUTQNSD, SIOCINQ) until they have not changed
 * for 1 s; only then is READY printed. Afterwards the only packets are
 * the SYN retransmissions of the SYN-SENT client (dropped by the full
 * listener) and zero-window probes, neither of which changes a queue.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#define MAX_PATHS 8
#define MAX_CHILDREN 8
#define WEIRD_COMM "pop wk,x y"
/* ss's text cuts it at the first ')' ("a(b"); sockvet's JSON has it whole. */
#define PAREN_COMM "a(b)c\"d"

static volatile sig_atomic_t stop;
static char paths[MAX_PATHS][sizeof(((struct sockaddr_un *)0)->sun_path)];
static int n_paths;
static pid_t children[MAX_CHILDREN];
static int n_children;
static time_t deadline;
static int zw_sender = -1, zw_receiver = -1;

static void cleanup(void)
{
	int i;

	for (i = 0; i < n_paths; i++)
		unlink(paths[i]);
	for (i = 0; i < n_children; i++)
		kill(children[i], SIGKILL);
	for (i = 0; i < n_children; i++)
		waitpid(children[i], NULL, 0);
}

static _Noreturn void fail(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fputs("population: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	cleanup();
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR && !stop)
		;
}

/* Sleep until a signal or the deadline; every wait here is bounded. */
static void idle_until_deadline(void)
{
	while (!stop && time(NULL) < deadline)
		msleep(200);
}

static void set_int(int fd, int level, int opt, int val, const char *what)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) == -1)
		fail("setsockopt %s", what);
}

static socklen_t make_addr(struct sockaddr_storage *ss, int family,
			   const char *addr, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			fail("bad address %s", addr);
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
			fail("bad address %s", addr);
		return sizeof(*sin6);
	}
}

static socklen_t make_unix(struct sockaddr_un *sun, const char *name,
			   int abstract)
{
	size_t n = strlen(name);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n + 2 > sizeof(sun->sun_path))
		fail("unix name too long: %s", name);
	if (abstract) {
		memcpy(sun->sun_path + 1, name, n);
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
	}
	memcpy(sun->sun_path, name, n + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* Options for listeners; zero means "leave the default". */
struct lopts {
	int v6only;        /* 1: IPV6_V6ONLY on, -1: off, 0: untouched */
	const char *dev;   /* SO_BINDTODEVICE */
	int rcvbuf;        /* SO_RCVBUF, inherited by accepted sockets */
};

static int tcp_listener(int family, const char *addr, int port, int backlog,
			const struct lopts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, family, addr, port);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd == -1)
		fail("socket");
	set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	if (o && o->v6only)
		set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, o->v6only > 0,
			"IPV6_V6ONLY");
	if (o && o->dev &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->dev,
		       (socklen_t)strlen(o->dev)) == -1)
		fail("SO_BINDTODEVICE %s", o->dev);
	if (o && o->rcvbuf)
		set_int(fd, SOL_SOCKET, SO_RCVBUF, o->rcvbuf, "SO_RCVBUF");
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		fail("bind tcp %s:%d", addr, port);
	if (listen(fd, backlog) == -1)
		fail("listen %d", port);
	return fd;
}

/* Options for clients; zero means "leave the default". */
struct copts {
	int sndbuf;      /* SO_SNDBUF */
	int keepidle;    /* SO_KEEPALIVE + TCP_KEEPIDLE seconds */
	int syncnt;      /* TCP_SYNCNT */
	int nonblock;    /* connect without waiting (SYN-SENT) */
};

static int tcp_client(int family, const char *addr, int port,
		      const struct copts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, family, addr, port);
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd == -1)
		fail("socket");
	if (o && o->sndbuf)
		set_int(fd, SOL_SOCKET, SO_SNDBUF, o->sndbuf, "SO_SNDBUF");
	if (o && o->keepidle) {
		set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
		set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, o->keepidle,
			"TCP_KEEPIDLE");
	}
	if (o && o->syncnt)
		set_int(fd, IPPROTO_TCP, TCP_SYNCNT, o->syncnt, "TCP_SYNCNT");
	if (o && o->nonblock) {
		if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
			fail("fcntl");
		if (connect(fd, (struct sockaddr *)&ss, len) == 0 ||
		    errno != EINPROGRESS)
			fail("non-blocking connect to %d did not stay pending",
			     port);
		errno = 0;
		return fd;
	}
	if (connect(fd, (struct sockaddr *)&ss, len) == -1)
		fail("connect %s:%d", addr, port);
	return fd;
}

/* Wait (bounded) until fd is readable/writable as asked. */
static void wait_fd(int fd, short events, const char *what)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, 5000);

	if (r == -1)
		fail("poll %s", what);
	if (r == 0) {
		errno = 0;
		fail("timeout waiting for %s", what);
	}
}

static int accept_one(int lfd, const char *what)
{
	int fd;

	wait_fd(lfd, POLLIN, what);
	fd = accept(lfd, NULL, NULL);
	if (fd == -1)
		fail("accept %s", what);
	return fd;
}

static void send_all(int fd, const void *buf, size_t len, const char *what)
{
	if (send(fd, buf, len, 0) != (ssize_t)len)
		fail("send %s", what);
}

/* Accept-queue length of a TCP listener (tcpi_unacked on LISTEN). */
static unsigned listen_queue(int lfd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(lfd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		fail("TCP_INFO");
	return ti.tcpi_unacked;
}

static void wait_listen_queue(int lfd, unsigned want, const char *what)
{
	int i;

	for (i = 0; i < 250 && listen_queue(lfd) != want; i++)
		msleep(20);
	if (listen_queue(lfd) != want) {
		errno = 0;
		fail("%s: accept queue %u, expected %u", what,
		     listen_queue(lfd), want);
	}
}

/*
 * Fork a child that keeps its inherited fds; returns 0 in the child
 * (renamed to comm when not NULL), the pid in the parent.
 */
static pid_t spawn_child(const char *comm)
{
	pid_t pid;

	if (n_children == MAX_CHILDREN) {
		errno = 0;
		fail("too many children");
	}
	fflush(stdout);
	pid = fork();
	if (pid == -1)
		fail("fork");
	if (pid == 0) {
		n_children = 0;
		n_paths = 0;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		if (comm)
			prctl(PR_SET_NAME, comm);
		return 0;
	}
	children[n_children++] = pid;
	return pid;
}

static void *idle_thread(void *arg)
{
	(void)arg;
	idle_until_deadline();
	return NULL;
}

/*
 * ss 6.1 prints every TCP-MD5 key's bytes straight to stdout ahead of
 * its table; t20 strips this exact string there (keep them in step).
 */
#define POP_MD5_KEY "sockvet-pop-md5"

/* A TCP-MD5 key for ADDR/PREFIX on fd; prefix < 0: the whole address. */
static void add_md5(int fd, int family, const char *addr, int prefix)
{
	struct tcp_md5sig m;
	int opt = TCP_MD5SIG;

	memset(&m, 0, sizeof(m));
	make_addr(&m.tcpm_addr, family, addr, 0);
	if (prefix >= 0) {
		m.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
		m.tcpm_prefixlen = (uint8_t)prefix;
		opt = TCP_MD5SIG_EXT;
	}
	m.tcpm_keylen = (uint16_t)strlen(POP_MD5_KEY);
	memcpy(m.tcpm_key, POP_MD5_KEY, m.tcpm_keylen);
	if (setsockopt(fd, IPPROTO_TCP, opt, &m, sizeof(m)) == -1)
		fail("TCP_MD5SIG %s", addr);
}

static void build_tcp4(void)
{
	static char chunk[4096];
	struct lopts small_rcv = { .rcvbuf = 65536 };
	struct lopts bind_lo = { .dev = "lo" };
	struct copts syn = { .syncnt = 10, .nonblock = 1 };
	struct copts keep = { .keepidle = 600 };
	struct copts small_snd = { .sndbuf = 65536 };
	int l, c, s, i;
	char buf[1000];

	memset(buf, 'x', sizeof(buf));
	memset(chunk, 'z', sizeof(chunk));

	/* 8080: full accept queue, then one SYN-SENT client. */
	l = tcp_listener(AF_INET, "127.0.0.1", 8080, 2, NULL);
	for (i = 0; i < 3; i++) {
		tcp_client(AF_INET, "127.0.0.1", 8080, NULL);
		wait_listen_queue(l, (unsigned)i + 1, "8080");
	}
	tcp_client(AF_INET, "127.0.0.1", 8080, &syn);

	/* 9090: some queued connections, not full. */
	l = tcp_listener(AF_INET, "0.0.0.0", 9090, 16, NULL);
	for (i = 0; i < 2; i++)
		tcp_client(AF_INET, "127.0.0.1", 9090, NULL);
	wait_listen_queue(l, 2, "9090");
	add_md5(l, AF_INET, "127.0.0.2", -1);
	add_md5(l, AF_INET, "10.0.0.0", 8);

	/* 7000: unread data on the accepted side. */
	l = tcp_listener(AF_INET, "127.0.0.1", 7000, 8, NULL);
	c = tcp_client(AF_INET, "127.0.0.1", 7000, NULL);
	s = accept_one(l, "7000");
	send_all(c, buf, sizeof(buf), "7000");
	(void)s;

	/* 5432: zero window, unsent data. */
	l = tcp_listener(AF_INET, "127.0.0.1", 5432, 8, &small_rcv);
	c = tcp_client(AF_INET, "127.0.0.1", 5432, &small_snd);
	s = accept_one(l, "5432");
	if (fcntl(c, F_SETFL, O_NONBLOCK) == -1)
		fail("fcntl");
	for (i = 0; i < 10000; i++) {
		if (send(c, chunk, sizeof(chunk), 0) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			fail("send 5432");
		}
	}
	if (i == 10000) {
		errno = 0;
		fail("5432 sender never blocked");
	}
	errno = 0;
	zw_sender = c;
	zw_receiver = s;

	/* 9300: TIME-WAIT on the client (active close). */
	l = tcp_listener(AF_INET, "127.0.0.1", 9300, 8, NULL);
	c = tcp_client(AF_INET, "127.0.0.1", 9300, NULL);
	s = accept_one(l, "9300");
	close(c);
	wait_fd(s, POLLIN, "9300 FIN");
	if (recv(s, buf, sizeof(buf), 0) != 0)
		fail("9300 expected EOF");
	close(s);

	/* 6379: CLOSE-WAIT with the FIN unread (Recv-Q 1), FIN-WAIT-2. */
	l = tcp_listener(AF_INET, "127.0.0.1", 6379, 8, NULL);
	c = tcp_client(AF_INET, "127.0.0.1", 6379, NULL);
	s = accept_one(l, "6379");
	if (shutdown(c, SHUT_WR) == -1)
		fail("shutdown 6379");
	wait_fd(s, POLLIN, "6379 FIN");

	/* 9401: CLOSE-WAIT with EOF read (Recv-Q 0), FIN-WAIT-2. */
	l = tcp_listener(AF_INET, "127.0.0.1", 9401, 8, NULL);
	c = tcp_client(AF_INET, "127.0.0.1", 9401, NULL);
	s = accept_one(l, "9401");
	if (shutdown(c, SHUT_WR) == -1)
		fail("shutdown 9401");
	wait_fd(s, POLLIN, "9401 FIN");
	if (recv(s, buf, sizeof(buf), 0) != 0)
		fail("9401 expected EOF");

	/* 9500: keepalive with a 10 minute idle time. */
	l = tcp_listener(AF_INET, "127.0.0.1", 9500, 8, NULL);
	tcp_client(AF_INET, "127.0.0.1", 9500, &keep);
	accept_one(l, "9500");

	/* 9501: listener bound to lo, one accepted connection. */
	l = tcp_listener(AF_INET, "127.0.0.1", 9501, 8, &bind_lo);
	tcp_client(AF_INET, "127.0.0.1", 9501, NULL);
	accept_one(l, "9501");
}

/* A child named comm listening on 127.0.0.1:port, up before we go on. */
static void renamed_listener(const char *comm, uint16_t port)
{
	struct pollfd p;
	int pfd[2];
	char b;

	if (pipe(pfd) == -1)
		fail("pipe");
	if (spawn_child(comm) == 0) {
		close(pfd[0]);
		tcp_listener(AF_INET, "127.0.0.1", port, 8, NULL);
		if (write(pfd[1], "r", 1) != 1)
			_exit(1);
		idle_until_deadline();
		_exit(0);
	}
	close(pfd[1]);
	p.fd = pfd[0];
	p.events = POLLIN;
	if (poll(&p, 1, 5000) != 1 || read(pfd[0], &b, 1) != 1) {
		errno = 0;
		fail("renamed child did not start");
	}
	close(pfd[0]);
}

/*
 * 6000 and 6001 owned by renamed children; 9600 shared with two forked
 * children.
 */
static void build_children(void)
{
	int i;

	renamed_listener(WEIRD_COMM, 6000);
	renamed_listener(PAREN_COMM, 6001);

	/* The parent keeps the listener open as well: three owners. */
	tcp_listener(AF_INET, "0.0.0.0", 9600, 511, NULL);
	for (i = 0; i < 2; i++) {
		if (spawn_child(NULL) == 0) {
			idle_until_deadline();
			_exit(0);
		}
	}
}

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* 9700: an MPTCP pair, if this kernel allows MPTCP sockets at all. */
static void build_mptcp(void)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, AF_INET, "127.0.0.1", 9700);
	int l = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP), c, s;
	char buf[100];

	if (l == -1)
		return;
	memset(buf, 'm', sizeof(buf));
	c = socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
	if (c == -1 || bind(l, (struct sockaddr *)&ss, len) == -1 || listen(l, 4) == -1 ||
	    connect(c, (struct sockaddr *)&ss, len) == -1)
		fail("mptcp 9700");
	s = accept_one(l, "9700");
	send_all(c, buf, sizeof(buf), "9700");
	if (read(s, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		fail("mptcp 9700 read");
}

static void build_tcp6(void)
{
	struct lopts v6only = { .v6only = 1 };
	struct lopts dual = { .v6only = -1 };
	int l;

	/* 8443: v6only listener and an accepted pair over ::1. */
	l = tcp_listener(AF_INET6, "::", 8443, 10, &v6only);
	tcp_client(AF_INET6, "::1", 8443, NULL);
	accept_one(l, "8443");
	add_md5(l, AF_INET6, "fd00::", 64);

	/* 8444: dual-stack listener, accepted v4-mapped connection. */
	l = tcp_listener(AF_INET6, "::", 8444, 10, &dual);
	tcp_client(AF_INET, "127.0.0.1", 8444, NULL);
	accept_one(l, "8444");
}

static int udp_socket(int family, const char *addr, int port,
		      const struct lopts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, family, addr, port);
	int fd = socket(family, SOCK_DGRAM, 0);

	if (fd == -1)
		fail("socket udp");
	if (o && o->v6only)
		set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, o->v6only > 0,
			"IPV6_V6ONLY");
	if (o && o->dev &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o->dev,
		       (socklen_t)strlen(o->dev)) == -1)
		fail("SO_BINDTODEVICE %s", o->dev);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		fail("bind udp %s:%d", addr, port);
	return fd;
}

static void build_udp_raw(void)
{
	struct lopts bind_lo = { .dev = "lo" };
	struct lopts dual = { .v6only = -1 };
	struct sockaddr_storage ss;
	socklen_t len;
	int srv, c, i;

	/* 5353: 3 unread datagrams from a connected socket. */
	srv = udp_socket(AF_INET, "127.0.0.1", 5353, NULL);
	c = socket(AF_INET, SOCK_DGRAM, 0);
	len = make_addr(&ss, AF_INET, "127.0.0.1", 5353);
	if (c == -1 || connect(c, (struct sockaddr *)&ss, len) == -1)
		fail("udp connect");
	for (i = 0; i < 3; i++)
		send_all(c, "ping", 4, "udp 5353");
	wait_fd(srv, POLLIN, "udp 5353");

	udp_socket(AF_INET, "0.0.0.0", 7000, &bind_lo);
	udp_socket(AF_INET6, "::", 7001, &dual);
	udp_socket(AF_INET6, "::1", 5353, NULL);

	if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) == -1)
		fail("raw icmp");
	if (socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) == -1)
		fail("raw icmpv6");
}

static void remember_path(const char *path)
{
	if (n_paths == MAX_PATHS) {
		errno = 0;
		fail("too many paths");
	}
	snprintf(paths[n_paths++], sizeof(paths[0]), "%s", path);
}

static int unix_bound(int type, const char *dir, const char *name,
		      int abstract)
{
	struct sockaddr_un sun;
	char path[sizeof(sun.sun_path)];
	socklen_t len;
	int fd = socket(AF_UNIX, type, 0);

	if (fd == -1)
		fail("socket unix");
	if (abstract) {
		len = make_unix(&sun, name, 1);
	} else {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
		    sizeof(path) - 1) {
			errno = 0;
			fail("unix path too long under %s", dir);
		}
		unlink(path);
		len = make_unix(&sun, path, 0);
	}
	if (bind(fd, (struct sockaddr *)&sun, len) == -1)
		fail("bind unix %s", name);
	if (!abstract)
		remember_path(path);
	if (type != SOCK_DGRAM && listen(fd, 4) == -1)
		fail("listen unix %s", name);
	return fd;
}

static int unix_client(int type, const char *dir, const char *name,
		       int abstract)
{
	struct sockaddr_un sun;
	char path[sizeof(sun.sun_path)];
	socklen_t len;
	int fd = socket(AF_UNIX, type, 0);

	if (fd == -1)
		fail("socket unix");
	if (abstract) {
		len = make_unix(&sun, name, 1);
	} else {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		len = make_unix(&sun, path, 0);
	}
	if (connect(fd, (struct sockaddr *)&sun, len) == -1)
		fail("connect unix %s", name);
	return fd;
}

static void build_unix(const char *dir)
{
	char buf[1000];
	int l, c, sv[2];

	memset(buf, 'u', sizeof(buf));

	l = unix_bound(SOCK_STREAM, dir, "sockvet-population-stream.sock", 0);
	c = unix_client(SOCK_STREAM, dir, "sockvet-population-stream.sock", 0);
	accept_one(l, "unix stream");
	send_all(c, buf, sizeof(buf), "unix stream");
	unix_client(SOCK_STREAM, dir, "sockvet-population-stream.sock", 0);

	unix_bound(SOCK_DGRAM, dir, "sockvet-population-dgram.sock", 0);
	c = unix_client(SOCK_DGRAM, dir, "sockvet-population-dgram.sock", 0);
	send_all(c, buf, 100, "unix dgram");
	send_all(c, buf, 200, "unix dgram");

	l = unix_bound(SOCK_SEQPACKET, dir,
		       "sockvet-population-seqpacket.sock", 0);
	c = unix_client(SOCK_SEQPACKET, dir,
			"sockvet-population-seqpacket.sock", 0);
	accept_one(l, "unix seqpacket");
	send_all(c, buf, 100, "unix seqpacket");

	unix_bound(SOCK_STREAM, dir, "sockvet-population-abstract", 1);
	unix_bound(SOCK_DGRAM, dir, "sockvet-population-dgram", 1);

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fail("socketpair");
	send_all(sv[0], buf, 500, "socketpair");
}

static int ioctl_int(int fd, unsigned long req)
{
	int v = 0;

	if (ioctl(fd, req, &v) == -1)
		fail("ioctl");
	return v;
}

/*
 * Wait until the zero-window pair's queues have not changed for 1 s
 * (20 samples 50 ms apart), at most 15 s.
 */
static void settle(void)
{
	int last[3] = { -1, -1, -1 }, cur[3];
	int same = 0, i;

	for (i = 0; i < 300 && same < 20 && !stop; i++) {
		cur[0] = ioctl_int(zw_sender, SIOCOUTQ);
		cur[1] = ioctl_int(zw_sender, SIOCOUTQNSD);
		cur[2] = ioctl_int(zw_receiver, SIOCINQ);
		if (memcmp(cur, last, sizeof(cur)) == 0)
			same++;
		else
			same = 0;
		memcpy(last, cur, sizeof(cur));
		msleep(50);
	}
	if (stop)
		return;
	if (same < 20) {
		errno = 0;
		fail("queues did not settle (Send-Q %d notsent %d Recv-Q %d)",
		     cur[0], cur[1], cur[2]);
	}
	if (cur[0] <= 0 || cur[1] <= 0) {
		errno = 0;
		fail("zero-window sender has Send-Q %d notsent %d", cur[0],
		     cur[1]);
	}
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: population [-t SECONDS] [-d DIR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const char *dir = "/tmp";
	long timeout = 120;
	pthread_t th;
	int opt;

	while ((opt = getopt(argc, argv, "t:d:")) != -1) {
		switch (opt) {
		case 't':
			timeout = strtol(optarg, NULL, 10);
			if (timeout <= 0 || timeout > 3600)
				usage();
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	deadline = time(NULL) + timeout;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	build_children();
	build_tcp4();
	build_tcp6();
	build_mptcp();
	build_udp_raw();
	build_unix(dir);
	settle();
	if (stop) {
		/* Told to go while building: not an error, nothing to show. */
		cleanup();
		return 0;
	}

	errno = pthread_create(&th, NULL, idle_thread, NULL);
	if (errno)
		fail("pthread_create");

	printf("READY\n");
	fflush(stdout);

	idle_until_deadline();
	stop = 1;
	pthread_join(th, NULL);
	cleanup();
	return 0;
}
