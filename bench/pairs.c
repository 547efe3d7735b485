/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pairs: hold a population of established loopback TCP pairs for the
 * benchmarks. Run it inside a network namespace made for the purpose.
 *
 *   pairs -n PAIRS [-m MAX_PER_WORKER] [-u UNIX_PAIRS] [-s STUCK]
 *         [-t HOLD_SECONDS]
 *
 * The pairs are spread over worker processes, each holding both ends of
 * at most MAX_PER_WORKER pairs (default 9,900, so under 19,900 fds: the
 * machine's RLIMIT_NOFILE is 20,000 and cannot be raised). Every socket
 * is owned by a process, so `ss -p` has the full /proc walk to do.
 *
 * Each worker w listens on 16 sockets: 127.1.w.1 to 127.1.w.4, ports
 * 5001 to 5004 (a quarter of the pairs go to port 5001, which is what the
 * reference's filtered `dport = :5001` case relies on). Its clients bind
 * a source address spread over 127.16-79.w.1-200 with
 * IP_BIND_ADDRESS_NO_PORT, so the kernel picks the port at connect time
 * per 4-tuple and the ephemeral range never runs out. Connects are
 * non-blocking, at most WINDOW in flight, and an epoll loop accepts them.
 * A connection is established once it has been accepted.
 *
 * -s adds STUCK connections held by the parent (listener 127.2.0.1:6001):
 * the accepting end never reads and has a small receive buffer, the
 * client end wrote until its window closed, so it sits in the persist
 * timer, which is what triage calls a stuck connection and keeps whole.
 *
 * Every socket has SO_LINGER {1, 0}: however the process ends, closing
 * sends a RST and leaves no TIME-WAIT behind.
 *
 * When all workers are done the parent prints
 *   READY pairs=N sockets=S workers=W unix_pairs=U setup=SECONDS
 * on stdout and holds until SIGTERM/SIGINT/SIGHUP or HOLD_SECONDS
 * (default 1200), then ends the workers and exits. Workers die with the
 * parent (PR_SET_PDEATHSIG) and on their own a little after the hold.
 * Errors go to stderr and exit 1.
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define N_LISTEN_ADDRS 4
#define N_PORTS 4
#define N_LISTENERS (N_LISTEN_ADDRS * N_PORTS)
#define BASE_PORT 5001
#define WINDOW 512           /* connects in flight per worker */
#define BACKLOG 4096
#define MAX_WORKERS 250      /* 127.1.w.x needs w < 256 */
#define MAX_PER_WORKER 9900
#define FD_SLACK 64          /* listeners, epoll, pipes, stdio */
#define SETUP_TIMEOUT 300.0  /* seconds a worker may take to connect */
#define MAX_UNIX_PAIRS 9000
#define MAX_STUCK 512

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/*
 * Catch sig with on_signal, unless it was ignored when we started: a
 * shell runs background jobs with SIGINT ignored, and Ctrl-C is then the
 * script's business (its trap ends us with SIGTERM).
 */
static void catch_unless_ignored(int sig)
{
	struct sigaction sa, old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN &&
	    sig != SIGTERM)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void default_if_caught(int sig)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == on_signal)
		signal(sig, SIG_DFL);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what)
{
	fprintf(stderr, "pairs[%d]: %s: %s\n", (int)getpid(), what,
		strerror(errno));
	exit(1);
}

static int set_no_linger(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	return setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

static struct sockaddr_in addr4(unsigned a, unsigned b, unsigned c,
				unsigned d, unsigned port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(a << 24 | b << 16 | c << 8 | d);
	return sa;
}

/* Listener l of worker w: address 127.1.w.(1 + l / N_PORTS), port
 * BASE_PORT + l % N_PORTS, so consecutive clients rotate over ports. */
static struct sockaddr_in listener_addr(unsigned w, unsigned l)
{
	return addr4(127, 1, w, 1 + l / N_PORTS, BASE_PORT + l % N_PORTS);
}

static int start_connect(unsigned w, unsigned long i)
{
	struct sockaddr_in src = addr4(127, 16 + (unsigned)(i % 64), w,
				       1 + (unsigned)((i / 64) % 200), 0);
	struct sockaddr_in dst = listener_addr(w, (unsigned)(i % N_LISTENERS));
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		fail("socket");
	if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one,
		       sizeof(one)) < 0)
		fail("IP_BIND_ADDRESS_NO_PORT");
	if (set_no_linger(fd) < 0)
		fail("SO_LINGER");
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0)
		fail("bind source");
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0 &&
	    errno != EINPROGRESS)
		fail("connect");
	return fd;
}

/* Returns the number of connections accepted, exits on error. */
static unsigned long accept_ready(int epfd, int timeout_ms)
{
	struct epoll_event ev[N_LISTENERS];
	unsigned long got = 0;
	int n, i, fd, k;

	n = epoll_wait(epfd, ev, N_LISTENERS, timeout_ms);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		fail("epoll_wait");
	}
	for (i = 0; i < n; i++) {
		/* Bounded: one listener's queue never exceeds WINDOW. */
		for (k = 0; k < WINDOW + 1; k++) {
			fd = accept4(ev[i].data.fd, NULL, NULL, SOCK_NONBLOCK);
			if (fd < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					break;
				if (errno == EINTR || errno == ECONNABORTED)
					continue;
				fail("accept");
			}
			if (set_no_linger(fd) < 0)
				fail("SO_LINGER accepted");
			got++;
		}
	}
	return got;
}

/* Build npairs pairs, tell the parent over ready_fd, hold. Never returns. */
static void worker(unsigned w, unsigned long npairs, int ready_fd,
		   double hold_s)
{
	struct epoll_event ev;
	unsigned long started = 0, accepted = 0;
	double t0 = now(), deadline;
	unsigned l;
	int epfd, fd, one = 1;
	char byte = 'R';

	/* The parent's handlers only set a flag; a worker just ends.
	 * A signal the parent found ignored stays ignored. */
	default_if_caught(SIGTERM);
	default_if_caught(SIGINT);
	default_if_caught(SIGHUP);
	/* Die with the parent, whatever killed it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		fail("PR_SET_PDEATHSIG");
	if (getppid() == 1)
		exit(1);

	epfd = epoll_create1(0);
	if (epfd < 0)
		fail("epoll_create1");
	for (l = 0; l < N_LISTENERS; l++) {
		struct sockaddr_in sa = listener_addr(w, l);

		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0)
			fail("listen socket");
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) < 0 || set_no_linger(fd) < 0)
			fail("listener setsockopt");
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			fail("bind listener");
		if (listen(fd, BACKLOG) < 0)
			fail("listen");
		ev.events = EPOLLIN;
		ev.data.fd = fd;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			fail("epoll_ctl");
	}

	deadline = t0 + SETUP_TIMEOUT;
	while (accepted < npairs) {
		if (now() > deadline) {
			fprintf(stderr, "pairs[%d]: worker %u: only %lu of %lu "
				"pairs after %.0f s\n", (int)getpid(), w,
				accepted, npairs, SETUP_TIMEOUT);
			exit(1);
		}
		while (started < npairs && started - accepted < WINDOW) {
			(void)start_connect(w, started);
			started++;
		}
		accepted += accept_ready(epfd, 100);
	}
	if (write(ready_fd, &byte, 1) != 1)
		fail("write ready");
	close(ready_fd);

	/*
	 * Hold until SIGTERM (from the parent; the default action ends us)
	 * or a little after the hold time. The kernel closes every socket
	 * at exit, and SO_LINGER 0 makes each close a RST.
	 */
	deadline = now() + hold_s + 30;
	while (now() < deadline)
		sleep(1);
	exit(0);
}

static void kill_all(const pid_t *pids, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
}

/* Reap every worker; bounded by a 60 s deadline, then SIGKILL. */
static void reap_all(pid_t *pids, unsigned n)
{
	double deadline = now() + 60;
	unsigned left = n, i;
	int status;
	pid_t p;

	for (i = 0; i < n; i++)
		if (pids[i] <= 0)
			left--;
	while (left > 0) {
		p = waitpid(-1, &status, WNOHANG);
		if (p > 0) {
			for (i = 0; i < n; i++)
				if (pids[i] == p) {
					pids[i] = 0;
					left--;
				}
			continue;
		}
		if (p < 0 && errno == ECHILD)
			break;
		if (now() > deadline) {
			for (i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
			deadline = now() + 3600; /* SIGKILL always lands */
		}
		usleep(20000);
	}
}

/*
 * n zero-window connections, held by the caller (fds stay open). Blocking
 * connects: the listener's backlog holds them all before the accepts.
 */
static void make_stuck(unsigned long n)
{
	struct sockaddr_in sa = addr4(127, 2, 0, 1, 6001);
	static char junk[65536];
	int small = 4096, one = 1, l, c, a;
	unsigned long i;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    set_no_linger(l) < 0 ||
	    /* Inherited by the accepted ends: their window closes at once. */
	    setsockopt(l, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) < 0)
		fail("stuck listener");
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, (int)n + 1) < 0)
		fail("stuck listener bind/listen");
	for (i = 0; i < n; i++) {
		c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || set_no_linger(c) < 0)
			fail("stuck client");
		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			fail("stuck connect");
		a = accept(l, NULL, NULL);
		if (a < 0 || set_no_linger(a) < 0)
			fail("stuck accept");
		if (fcntl(c, F_SETFL, O_NONBLOCK) < 0)
			fail("stuck O_NONBLOCK");
		/* Bounded: the send buffer fills within a few MiB. */
		for (int k = 0; k < 4096 && send(c, junk, sizeof(junk), 0) > 0; k++)
			;
	}
}

static unsigned long parse_ul(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "pairs: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fprintf(stderr, "usage: pairs -n PAIRS [-m MAX_PER_WORKER] "
		"[-u UNIX_PAIRS] [-s STUCK] [-t HOLD_SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long npairs = 0, per_worker = MAX_PER_WORKER, unix_pairs = 0, stuck = 0;
	unsigned long i, fd_room, base, extra;
	double hold_s = 1200, t0, deadline;
	unsigned nworkers, w, ready = 0;
	pid_t pids[MAX_WORKERS];
	int pipefd[2], opt, sv[2];
	struct rlimit rl;
	char byte;
	ssize_t r;

	while ((opt = getopt(argc, argv, "n:m:u:s:t:")) != -1) {
		switch (opt) {
		case 'n': npairs = parse_ul(optarg, "pair count"); break;
		case 'm': per_worker = parse_ul(optarg, "pairs per worker"); break;
		case 'u': unix_pairs = parse_ul(optarg, "unix pair count"); break;
		case 's': stuck = parse_ul(optarg, "stuck connection count"); break;
		case 't': hold_s = (double)parse_ul(optarg, "hold time"); break;
		default: usage();
		}
	}
	if (optind != argc || npairs == 0 || per_worker == 0)
		usage();
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		fail("getrlimit");
	fd_room = rl.rlim_cur > FD_SLACK ? (rl.rlim_cur - FD_SLACK) / 2 : 0;
	if (per_worker > fd_room)
		per_worker = fd_room;
	if (per_worker == 0 || unix_pairs > MAX_UNIX_PAIRS || stuck > MAX_STUCK ||
	    unix_pairs * 2 + stuck * 2 + FD_SLACK > rl.rlim_cur) {
		fprintf(stderr, "pairs: RLIMIT_NOFILE %lu is too small\n",
			(unsigned long)rl.rlim_cur);
		return 1;
	}
	nworkers = (unsigned)((npairs + per_worker - 1) / per_worker);
	if (nworkers > MAX_WORKERS) {
		fprintf(stderr, "pairs: %lu pairs need %u workers, max %d\n",
			npairs, nworkers, MAX_WORKERS);
		return 1;
	}

	catch_unless_ignored(SIGTERM);
	catch_unless_ignored(SIGINT);
	catch_unless_ignored(SIGHUP);
	/* If whoever started us dies without killing us, go too. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
		fail("PR_SET_PDEATHSIG");

	if (pipe(pipefd) < 0)
		fail("pipe");
	t0 = now();
	base = npairs / nworkers;
	extra = npairs % nworkers;
	for (w = 0; w < nworkers; w++)
		pids[w] = 0;
	for (w = 0; w < nworkers; w++) {
		unsigned long n = base + (w < extra ? 1 : 0);

		pids[w] = fork();
		if (pids[w] < 0) {
			fprintf(stderr, "pairs: fork: %s\n", strerror(errno));
			pids[w] = 0;
			kill_all(pids, w);
			reap_all(pids, w);
			return 1;
		}
		if (pids[w] == 0) {
			close(pipefd[0]);
			worker(w, n, pipefd[1], hold_s);
		}
	}
	close(pipefd[1]);

	/* Unix stream pairs for `ss -x`, held by this process only (made
	 * after the forks so the workers' fd budget stays whole). */
	for (i = 0; i < unix_pairs; i++)
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
			fprintf(stderr, "pairs: socketpair: %s\n", strerror(errno));
			kill_all(pids, nworkers);
			reap_all(pids, nworkers);
			return 1;
		}

	if (stuck)
		make_stuck(stuck);

	/* One byte per worker that made it; EOF early means one failed. */
	deadline = t0 + SETUP_TIMEOUT + 10;
	while (ready < nworkers && !stop_signal && now() < deadline) {
		r = read(pipefd[0], &byte, 1);
		if (r == 1)
			ready++;
		else if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	close(pipefd[0]);
	if (ready < nworkers) {
		fprintf(stderr, "pairs: only %u of %u workers got ready\n",
			ready, nworkers);
		kill_all(pids, nworkers);
		reap_all(pids, nworkers);
		return 1;
	}
	printf("READY pairs=%lu sockets=%lu workers=%u unix_pairs=%lu "
	       "stuck=%lu setup=%.2f\n", npairs, npairs * 2 + (unsigned long)nworkers *
	       N_LISTENERS + (stuck ? stuck * 2 + 1 : 0), nworkers, unix_pairs, stuck,
	       now() - t0);
	fflush(stdout);

	/* Hold until a signal, the hold time, or a worker dies. */
	deadline = now() + hold_s;
	while (!stop_signal && now() < deadline) {
		int status;
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p > 0 && !stop_signal) {
			fprintf(stderr, "pairs: worker %d ended early\n", (int)p);
			for (w = 0; w < nworkers; w++)
				if (pids[w] == p)
					pids[w] = 0;
			kill_all(pids, nworkers);
			reap_all(pids, nworkers);
			return 1;
		}
		usleep(200000);
	}
	kill_all(pids, nworkers);
	reap_all(pids, nworkers);
	return 0;
}
