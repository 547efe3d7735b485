// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one-namespace scenarios: everything on the namespace's loopback.
 *
 * Each stage() starts its roles (lab_spawn), then polls what the roles
 * report from the kernel through a small shared page (a listener's
 * TCP_INFO and SO_MEMINFO, socket states, errno of the call that
 * stopped a loop) until the incident is real, and only then hands the
 * namespace to the triage. Roles are forked copies of sockvet; every
 * loop they run has an iteration bound on top of the role's alarm.
 *
 * Ports 8080-8087, one per scenario, so two kept scenarios never look
 * alike in `ss`.
 */
#include "sc.h"
#include "lab_sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A role loop that naps TICK_MS per turn runs at most this many turns:
 * as long as the longest a role may live (--keep), never forever. */
#define TICK_MS 10
#define ROLE_TICKS (LAB_KEEP_MAX_S * (1000 / TICK_MS))
/* How long stage() waits for the state a role promised. */
#define STATE_WAIT_MS 8000
/* tcpi_state of CLOSE-WAIT (the kernel's TCP_CLOSE_WAIT; linux/tcp.h has no name for it). */
#define TCPI_CLOSE_WAIT 8

/* What roles tell the stage, in a MAP_SHARED page made before the fork. */
struct lo_shared {
	volatile int rq, wq;          /* listener: accept queue now / its limit */
	volatile unsigned drops;      /* listener: SO_MEMINFO drops (ss skmem d) */
	volatile int made;            /* connections made (client side) */
	volatile int held;            /* connections accepted / held (server side) */
	volatile int stop_errno;      /* the errno that ended a loop */
	volatile unsigned emfile;     /* accept() calls that failed with EMFILE */
	volatile unsigned rounds;     /* bursts done */
	volatile int fds, nofile;     /* fds held, soft RLIMIT_NOFILE */
};

struct lo_role {
	int port;
	int backlog;
	int count;
	struct lo_shared *sh;
};

/* The listener as ss -ltnm shows it: TCP_INFO on a listener carries the
 * accept queue (tcpi_unacked) and its limit (tcpi_sacked), kernel-facts A3.3. */
static void listener_peek(int fd, struct lo_shared *sh)
{
	struct tcp_info ti;
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(ti), mlen = sizeof(mem);

	if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len)) {
		sh->rq = (int)ti.tcpi_unacked;
		sh->wq = (int)ti.tcpi_sacked;
	}
	if (!getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &mlen))
		sh->drops = mem[SK_MEMINFO_DROPS];
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) ? -1 : ti.tcpi_state;
}

static int set_nofile(rlim_t soft)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return -1;
	rl.rlim_cur = soft < rl.rlim_max ? soft : rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

static struct lo_shared *shared_new(struct strbuf *err)
{
	return lab_shared_new(sizeof(struct lo_shared), err);
}

static void shared_free(struct lo_shared *sh)
{
	lab_shared_free(sh, sizeof(*sh));
}

/*
 * Poll until ok(sh) holds, at most ms; 0, or negative with what was
 * awaited and what the roles last reported.
 */
static int wait_state(struct lab *l, const struct lo_shared *sh,
		      bool (*ok)(const struct lo_shared *sh), const char *what,
		      struct strbuf *err)
{
	for (unsigned t = 0;; t += 20) {
		if (ok(sh))
			return 0;
		if (t >= STATE_WAIT_MS)
			return error_set(err, "%s: not reached within %u ms (listener Recv-Q %d Send-Q %d "
					 "d%u, made %d, held %d, errno %d)", what, STATE_WAIT_MS, sh->rq,
					 sh->wq, sh->drops, sh->made, sh->held, sh->stop_errno);
		if (lab_sleep(l, 20))
			return error_set(err, "interrupted");
	}
}

/* --- roles -------------------------------------------------------------- */

/* listen(backlog), never accept(); keep reporting the queue. */
static int role_never_accept(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog);

	if (l < 0)
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	listener_peek(l, r->sh);
	lab_role_ready();
	for (unsigned i = 0; i < ROLE_TICKS; i++) {
		listener_peek(l, r->sh);
		lab_nap_ms(TICK_MS);
	}
	lab_role_hold();
}

/* count non-blocking connects at once, held open. */
static int role_burst(void *arg)
{
	const struct lo_role *r = arg;

	for (int i = 0; i < r->count; i++) {
		if (lab_lo_connect(r->port, true) < 0)
			lab_role_fail("connect %d to 127.0.0.1:%d: %s", i, r->port, strerror(errno));
		r->sh->made = i + 1;
	}
	lab_role_ready();
	lab_role_hold();
}

/*
 * A server out of file descriptors: its soft RLIMIT_NOFILE lowered to
 * count and filled, so every accept() fails with EMFILE and the queue
 * stays full (kernel-facts A3.8). It keeps trying, as real servers do.
 */
static int role_emfile_server(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog), filler;

	if (l < 0 || fcntl(l, F_SETFL, O_NONBLOCK))
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	if (set_nofile((rlim_t)r->count))
		lab_role_fail("setrlimit(RLIMIT_NOFILE, %d): %s", r->count, strerror(errno));
	filler = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (int i = 0; filler >= 0 && i < r->count + 8; i++)
		if (fcntl(filler, F_DUPFD_CLOEXEC, 0) < 0)
			break;
	if (errno != EMFILE)
		lab_role_fail("filling the fd table: %s", strerror(errno));
	r->sh->nofile = r->count;
	lab_role_ready();
	for (unsigned i = 0; i < ROLE_TICKS; i++) {
		int c = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (c < 0 && errno == EMFILE)
			r->sh->emfile++;
		listener_peek(l, r->sh);
		lab_nap_ms(TICK_MS);
	}
	lab_role_hold();
}

/* Clients that keep coming: a first wave of count, then two new
 * non-blocking connects every 100 ms, the oldest closed past a ring of 256. */
static int role_trickle(void *arg)
{
	const struct lo_role *r = arg;
	int ring[256];
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(ring) / sizeof(ring[0]); i++)
		ring[i] = -1;
	for (unsigned i = 0; i < ROLE_TICKS / 10; i++) {
		int wave = i ? 2 : r->count;

		for (int k = 0; k < wave; k++) {
			unsigned at = n++ % (sizeof(ring) / sizeof(ring[0]));

			if (ring[at] >= 0)
				close(ring[at]);
			ring[at] = lab_lo_connect(r->port, true);
			if (ring[at] < 0 && !i)
				lab_role_fail("connect to 127.0.0.1:%d: %s", r->port, strerror(errno));
			r->sh->made = (int)n;
		}
		if (!i)
			lab_role_ready();
		lab_nap_ms(100);
	}
	lab_role_hold();
}

/*
 * The somaxconn-capped app: it asks listen(4096) but the namespace caps
 * it at somaxconn. Each round a burst of count clients arrives while the
 * app is busy (the queue takes Send-Q+1, the rest of the SYNs are
 * dropped: ListenOverflows and skmem d rise), then the app drains the
 * queue completely and the clients go away. One process plays both so
 * the burst always lands on a drained queue and the queue is full only
 * for milliseconds per round: ss sees it drained, the counters see drops.
 */
static int role_burst_drain(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog);
	int cli[64];
	int n = r->count < 64 ? r->count : 64;

	if (l < 0 || fcntl(l, F_SETFL, O_NONBLOCK))
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	listener_peek(l, r->sh);
	lab_role_ready();
	for (unsigned round = 0; round < ROLE_TICKS / 10; round++) {
		int c, got = 0;

		for (int i = 0; i < n; i++)
			cli[i] = lab_lo_connect(r->port, true);
		lab_nap_ms(2);
		listener_peek(l, r->sh);
		while ((c = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0 && got < 1024) {
			close(c);
			got++;
		}
		for (int i = 0; i < n; i++)
			if (cli[i] >= 0)
				close(cli[i]);
		r->sh->held = got;
		r->sh->rounds = round + 1;
		lab_nap_ms(100);
	}
	lab_role_hold();
}

/* Accept count connections and never read or close them. */
static int role_hoard(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog);
	int got = 0, *fds;

	if (l < 0)
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	fds = calloc((size_t)r->count, sizeof(*fds));
	if (!fds)
		lab_role_fail("out of memory");
	lab_role_ready();
	for (unsigned i = 0; i < ROLE_TICKS && got < r->count; i++) {
		int c = lab_accept_wait(l, TICK_MS);

		if (c >= 0)
			fds[got++] = c;
		else if (errno != EAGAIN && errno != EINTR)
			lab_role_fail("accept: %s", strerror(errno));
		r->sh->held = got;
	}
	/* Report how many the kernel has in CLOSE-WAIT, until all are. */
	for (unsigned i = 0; i < ROLE_TICKS; i++) {
		int cw = 0;

		for (int k = 0; k < got; k++)
			cw += tcp_state(fds[k]) == TCPI_CLOSE_WAIT;
		r->sh->rounds = (unsigned)cw;
		if (cw == got)
			break;
		lab_nap_ms(TICK_MS);
	}
	lab_role_hold();
}

/* count connections, each closed right after connect() (no data). */
static int role_connect_close(void *arg)
{
	const struct lo_role *r = arg;

	for (int i = 0; i < r->count; i++) {
		int c = lab_lo_connect(r->port, false);

		if (c < 0)
			lab_role_fail("connect %d to 127.0.0.1:%d: %s", i, r->port, strerror(errno));
		close(c);
		r->sh->made = i + 1;
	}
	lab_role_ready();
	lab_role_hold();
}

/* A server that reads to EOF, then closes: the client closes first. */
static int role_sink_server(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog);

	if (l < 0)
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	lab_role_ready();
	for (unsigned i = 0; i < ROLE_TICKS * 4u; i++) {
		char b[64];
		int c = lab_accept_wait(l, TICK_MS);

		if (c < 0)
			continue;
		/* Bounded: the client writes one byte and closes. */
		for (int k = 0; k < 16 && read(c, b, sizeof(b)) > 0; k++)
			;
		close(c);
		r->sh->held++;
	}
	lab_role_hold();
}

/* count short connections: connect, one byte, close (the client's
 * active close leaves the TIME-WAIT on this side). */
static int role_busy_client(void *arg)
{
	const struct lo_role *r = arg;

	for (int i = 0; i < r->count; i++) {
		int c = lab_lo_connect(r->port, false);

		if (c < 0)
			lab_role_fail("connect %d to 127.0.0.1:%d: %s", i, r->port, strerror(errno));
		if (write(c, "x", 1) != 1)
			lab_role_fail("write: %s", strerror(errno));
		close(c);
		r->sh->made = i + 1;
	}
	lab_role_ready();
	lab_role_hold();
}

/* Accept and keep everything (up to count). */
static int role_keeper(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog);

	if (l < 0)
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	if (set_nofile((rlim_t)r->count + 64))
		lab_role_fail("setrlimit(RLIMIT_NOFILE): %s", strerror(errno));
	lab_role_ready();
	for (unsigned i = 0; i < ROLE_TICKS && r->sh->held < r->count; i++) {
		int c = lab_accept_wait(l, TICK_MS);

		if (c >= 0)
			r->sh->held++;
	}
	lab_role_hold();
}

/* Connect to one destination until connect() fails; hold them all. */
static int role_port_eater(void *arg)
{
	const struct lo_role *r = arg;
	int n = 0;

	if (set_nofile((rlim_t)r->count + 64))
		lab_role_fail("setrlimit(RLIMIT_NOFILE): %s", strerror(errno));
	for (; n < r->count; n++) {
		if (lab_lo_connect(r->port, false) < 0)
			break;
		r->sh->made = n + 1;
	}
	r->sh->stop_errno = n < r->count ? errno : 0;
	if (r->sh->stop_errno != EADDRNOTAVAIL)
		lab_role_fail("%d connections, then %s (expected EADDRNOTAVAIL)", n,
			      r->sh->stop_errno ? strerror(r->sh->stop_errno) : "no failure");
	lab_role_ready();
	lab_role_hold();
}

/* Connect to itself until the fd table is full: RLIMIT_NOFILE count. */
static int role_fd_hog(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog), pairs = 0;

	if (l < 0)
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	if (set_nofile((rlim_t)r->count))
		lab_role_fail("setrlimit(RLIMIT_NOFILE, %d): %s", r->count, strerror(errno));
	for (int i = 0; i < r->count; i++) {
		int c = lab_lo_connect(r->port, false), s;

		if (c < 0)
			break;
		s = lab_accept_wait(l, 1000);
		if (s < 0)
			break;
		pairs++;
	}
	r->sh->stop_errno = errno;
	r->sh->held = pairs;
	r->sh->nofile = r->count;
	if (errno != EMFILE)
		lab_role_fail("%d connections, then %s (expected EMFILE)", pairs, strerror(errno));
	lab_role_ready();
	lab_role_hold();
}

/* A prompt server: read the request, answer, close (the server closes
 * first, so TIME-WAIT stays here, spread over the clients' ports). */
static int role_http_server(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_lo_listen(r->port, r->backlog);

	if (l < 0)
		lab_role_fail("listen on 127.0.0.1:%d: %s", r->port, strerror(errno));
	lab_role_ready();
	for (unsigned i = 0; i < ROLE_TICKS * 4u; i++) {
		char b[64];
		int c = lab_accept_wait(l, TICK_MS);

		if (c < 0)
			continue;
		if (read(c, b, sizeof(b)) > 0 && write(c, "ok\n", 3) == 3)
			r->sh->held++;
		close(c);
	}
	lab_role_hold();
}

/* Requests at up to ~1000 per second; ready after count of them, then
 * more of the same through the triage window (at most a minute's worth). */
static int role_http_client(void *arg)
{
	const struct lo_role *r = arg;

	for (int i = 0; i < 60000; i++) {
		char b[64];
		int c = lab_lo_connect(r->port, false);

		if (c < 0)
			lab_role_fail("connect %d to 127.0.0.1:%d: %s", i, r->port, strerror(errno));
		if (write(c, "GET\n", 4) != 4)
			lab_role_fail("write: %s", strerror(errno));
		for (int k = 0; k < 16 && read(c, b, sizeof(b)) > 0; k++)
			;
		close(c);
		r->sh->made = i + 1;
		if (i + 1 == r->count)
			lab_role_ready();
		lab_nap_ms(1);
	}
	lab_role_hold();
}

/* --- scenarios ----------------------------------------------------------- */

static bool aq_full(const struct lo_shared *sh)
{
	return sh->wq > 0 && sh->rq > sh->wq;
}

int sc_accept_overflow(struct lab *l, struct strbuf *err)
{
	struct lo_role srv = { 8080, 8, 0, NULL }, cli = { 8080, 0, 40, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	srv.sh = cli.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_never_accept, &srv, err) ||
	    lab_spawn(l, (unsigned)ns, "lab-client", role_burst, &cli, err) ||
	    wait_state(l, sh, aq_full, "accept queue full", err))
		goto out;
	strbuf_addf(&l->log, "lab-server: listen(8) on 127.0.0.1:8080, never calls accept()\n");
	strbuf_addf(&l->log, "lab-client: %d non-blocking connects: Recv-Q %d > Send-Q %d, the rest in SYN-SENT\n",
		    sh->made, sh->rq, sh->wq);
	lab_focus_port(l, (unsigned)ns, 8080);
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

static bool emfile_seen(const struct lo_shared *sh)
{
	return aq_full(sh) && sh->emfile > 0;
}

int sc_accept_overflow_emfile(struct lab *l, struct strbuf *err)
{
	struct lo_role srv = { 8081, 8, 64, NULL }, cli = { 8081, 0, 12, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	srv.sh = cli.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_emfile_server, &srv, err) ||
	    lab_spawn(l, (unsigned)ns, "lab-client", role_trickle, &cli, err) ||
	    wait_state(l, sh, emfile_seen, "accept() failing with EMFILE on a full queue", err))
		goto out;
	strbuf_addf(&l->log, "lab-server: listen(8) on 127.0.0.1:8081, RLIMIT_NOFILE %d, all in use\n",
		    sh->nofile);
	strbuf_addf(&l->log, "lab-server: accept() failed with EMFILE %u times; Recv-Q %d > Send-Q %d\n",
		    sh->emfile, sh->rq, sh->wq);
	strbuf_addf(&l->log, "lab-client: %d connects so far, 2 more every 100 ms\n", sh->made);
	lab_focus_port(l, (unsigned)ns, 8081);
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

static bool bursts_dropping(const struct lo_shared *sh)
{
	return sh->rounds >= 3 && sh->drops > 0;
}

int sc_somaxconn_cap(struct lab *l, struct strbuf *err)
{
	struct lo_role app = { 8082, 4096, 24, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	app.sh = sh;
	/* Before listen(): somaxconn applies at listen() time (A3.1). */
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_sysctl(l, (unsigned)ns, "net.core.somaxconn", "16", err) ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_burst_drain, &app, err) ||
	    wait_state(l, sh, bursts_dropping, "bursts overflowing the capped queue", err))
		goto out;
	if (sh->wq != 16) {
		error_set(err, "listen(4096) with somaxconn 16 gave Send-Q %d, not 16", sh->wq);
		goto out;
	}
	strbuf_addf(&l->log, "namespace net.core.somaxconn 16; lab-server listen(4096) on 127.0.0.1:8082: Send-Q %d\n",
		    sh->wq);
	strbuf_addf(&l->log, "bursts of %d clients every 100 ms, the queue drained in between (%d accepted per burst)\n",
		    app.count, sh->held);
	strbuf_addf(&l->log, "after %u bursts: skmem d%u (SYNs dropped on the full queue)\n",
		    sh->rounds, sh->drops);
	lab_focus_port(l, (unsigned)ns, 8082);
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

static bool all_close_wait(const struct lo_shared *sh)
{
	return sh->held > 0 && sh->rounds == (unsigned)sh->held;
}

int sc_close_wait_leak(struct lab *l, struct strbuf *err)
{
	struct lo_role srv = { 8083, 128, 64, NULL }, cli = { 8083, 0, 64, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	srv.sh = cli.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_hoard, &srv, err) ||
	    lab_spawn(l, (unsigned)ns, "lab-client", role_connect_close, &cli, err) ||
	    wait_state(l, sh, all_close_wait, "every accepted connection in CLOSE-WAIT", err))
		goto out;
	strbuf_addf(&l->log, "lab-client: %d connections to 127.0.0.1:8083, each closed at once\n", sh->made);
	strbuf_addf(&l->log, "lab-server: accepted %d, never reads or closes: %u in CLOSE-WAIT\n",
		    sh->held, sh->rounds);
	lab_focus_port(l, (unsigned)ns, 8083);
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

static bool all_served(const struct lo_shared *sh)
{
	return sh->made > 0 && sh->held >= sh->made;
}

int sc_time_wait_busy_client(struct lab *l, struct strbuf *err)
{
	struct lo_role srv = { 8084, 4096, 0, NULL }, cli = { 8084, 0, 3000, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	srv.sh = cli.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_sink_server, &srv, err) ||
	    lab_spawn(l, (unsigned)ns, "lab-client", role_busy_client, &cli, err) ||
	    wait_state(l, sh, all_served, "every connection served", err))
		goto out;
	strbuf_addf(&l->log, "lab-client: %d short connections to 127.0.0.1:8084, closed by the client first\n",
		    sh->made);
	strbuf_addf(&l->log, "lab-server: served %d; the client's TIME-WAIT stays for 60 s\n", sh->held);
	/* No --port: the question is the host's TIME-WAIT, not one service. */
	l->triage_ns = (unsigned)ns;
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

static bool all_kept(const struct lo_shared *sh)
{
	return sh->made > 0 && sh->held >= sh->made;
}

int sc_port_exhaustion(struct lab *l, struct strbuf *err)
{
	struct lo_role srv = { 8085, 4096, 2000, NULL }, cli = { 8085, 0, 2000, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	srv.sh = cli.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_sysctl(l, (unsigned)ns, "net.ipv4.ip_local_port_range", "40000 40499", err) ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_keeper, &srv, err) ||
	    lab_spawn(l, (unsigned)ns, "lab-client", role_port_eater, &cli, err) ||
	    wait_state(l, sh, all_kept, "every connection accepted", err))
		goto out;
	strbuf_addf(&l->log, "namespace net.ipv4.ip_local_port_range 40000 40499 (500 ports)\n");
	strbuf_addf(&l->log, "lab-client: %d connections to 127.0.0.1:8085, then connect() failed: %s\n",
		    sh->made, strerror(sh->stop_errno));
	strbuf_addf(&l->log, "lab-server: accepted and holds %d\n", sh->held);
	l->triage_ns = (unsigned)ns;
	l->topts.symptom = SYMPTOM_EXHAUSTION;
	snprintf(l->focus, sizeof(l->focus), "--symptom exhaustion");
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

int sc_fd_exhaustion(struct lab *l, struct strbuf *err)
{
	struct lo_role hog = { 8086, 128, 256, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1;

	if (!sh)
		return -1;
	hog.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_spawn(l, (unsigned)ns, "lab-fdhog", role_fd_hog, &hog, err))
		goto out;
	strbuf_addf(&l->log, "lab-fdhog: RLIMIT_NOFILE %d; %d connections to itself on 127.0.0.1:8086, "
		    "then EMFILE\n", sh->nofile, sh->held);
	l->triage_ns = (unsigned)ns;
	l->topts.symptom = SYMPTOM_EXHAUSTION;
	snprintf(l->focus, sizeof(l->focus), "--symptom exhaustion");
	ret = 0;
out:
	shared_free(sh);
	return ret;
}

static bool serving(const struct lo_shared *sh)
{
	return sh->held >= 500 && sh->made >= 500;
}

int sc_healthy_busy_server(struct lab *l, struct strbuf *err)
{
	struct lo_role srv = { 8087, 4096, 0, NULL }, cli = { 8087, 0, 500, NULL };
	struct lo_shared *sh = shared_new(err);
	int ns, ret = -1, before;

	if (!sh)
		return -1;
	srv.sh = cli.sh = sh;
	if ((ns = lab_ns_add(l, NULL, err)) < 0 ||
	    lab_spawn(l, (unsigned)ns, "lab-server", role_http_server, &srv, err) ||
	    lab_spawn(l, (unsigned)ns, "lab-client", role_http_client, &cli, err) ||
	    wait_state(l, sh, serving, "requests being served", err))
		goto out;
	before = sh->held;
	if (lab_sleep(l, 500)) {
		error_set(err, "interrupted");
		goto out;
	}
	strbuf_addf(&l->log, "lab-server: listen(4096) on 127.0.0.1:8087, reads a request, answers, closes\n");
	strbuf_addf(&l->log, "lab-client: %d requests so far, %d served in the last 0.5 s; it keeps going "
		    "through the triage\n", sh->made, sh->held - before);
	lab_focus_port(l, (unsigned)ns, 8087);
	ret = 0;
out:
	shared_free(sh);
	return ret;
}
