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
#include "lab_stage.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
 * accept queue (tcpi_unacked) and its limit (tcpi_sacked), kernel-facts.md "Accept queue". */
static void listener_peek(int fd, struct lo_shared *sh)
{
	struct tcp_info ti;
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t mlen = sizeof(mem);

	if (!lab_tcp_info(fd, &ti)) {
		sh->rq = (int)ti.tcpi_unacked;
		sh->wq = (int)ti.tcpi_sacked;
	}
	if (!getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &mlen))
		sh->drops = mem[SK_MEMINFO_DROPS];
}

static int tcp_state(int fd)
{
	struct tcp_info ti;

	return lab_tcp_info(fd, &ti) ? -1 : ti.tcpi_state;
}

/* What the roles last reported, when a stage waited in vain. */
static void lo_tell(void *p, struct strbuf *out)
{
	const struct lo_shared *sh = p;

	strbuf_addf(out, "listener Recv-Q %d Send-Q %d d%u, made %d, held %d, errno %d", sh->rq,
		    sh->wq, sh->drops, sh->made, sh->held, sh->stop_errno);
}

/* --- roles -------------------------------------------------------------- */

/* listen(backlog), never accept(); keep reporting the queue. */
static int role_never_accept(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_role_listen(LAB_LO, r->port, r->backlog);

	listener_peek(l, r->sh);
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		listener_peek(l, r->sh);
		lab_nap_ms(LAB_TICK_MS);
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
 * stays full (kernel-facts.md "RLIMIT_NOFILE"). It keeps trying, as real servers do.
 */
static int role_emfile_server(void *arg)
{
	const struct lo_role *r = arg;
	int l = lab_role_listen(LAB_LO, r->port, r->backlog), filler;

	if (fcntl(l, F_SETFL, O_NONBLOCK))
		lab_role_fail("O_NONBLOCK: %s", strerror(errno));
	if (lab_nofile((rlim_t)r->count, false))
		lab_role_fail("setrlimit(RLIMIT_NOFILE, %d): %s", r->count, strerror(errno));
	filler = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (int i = 0; filler >= 0 && i < r->count + 8; i++)
		if (fcntl(filler, F_DUPFD_CLOEXEC, 0) < 0)
			break;
	if (errno != EMFILE)
		lab_role_fail("filling the fd table: %s", strerror(errno));
	r->sh->nofile = r->count;
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		int c = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (c < 0 && errno == EMFILE)
			r->sh->emfile++;
		listener_peek(l, r->sh);
		lab_nap_ms(LAB_TICK_MS);
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
	for (unsigned i = 0; i < LAB_ROLE_TICKS / 10; i++) {
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
	int l = lab_role_listen(LAB_LO, r->port, r->backlog);
	int cli[64];
	int n = r->count < 64 ? r->count : 64;

	if (fcntl(l, F_SETFL, O_NONBLOCK))
		lab_role_fail("O_NONBLOCK: %s", strerror(errno));
	listener_peek(l, r->sh);
	lab_role_ready();
	for (unsigned round = 0; round < LAB_ROLE_TICKS / 10; round++) {
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
	int l = lab_role_listen(LAB_LO, r->port, r->backlog);
	int got = 0, *fds;

	fds = calloc((size_t)r->count, sizeof(*fds));
	if (!fds)
		lab_role_fail("out of memory");
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS && got < r->count; i++) {
		int c = lab_accept_wait(l, LAB_TICK_MS);

		if (c >= 0)
			fds[got++] = c;
		else if (errno != EAGAIN && errno != EINTR)
			lab_role_fail("accept: %s", strerror(errno));
		r->sh->held = got;
	}
	/* Report how many the kernel has in CLOSE-WAIT, until all are. */
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		int cw = 0;

		for (int k = 0; k < got; k++)
			cw += tcp_state(fds[k]) == TCPI_CLOSE_WAIT;
		r->sh->rounds = (unsigned)cw;
		if (cw == got)
			break;
		lab_nap_ms(LAB_TICK_MS);
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
	int l = lab_role_listen(LAB_LO, r->port, r->backlog);

	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS * 4u; i++) {
		char b[64];
		int c = lab_accept_wait(l, LAB_TICK_MS);

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
	int l = lab_role_listen(LAB_LO, r->port, r->backlog);

	if (lab_nofile((rlim_t)r->count + 64, false))
		lab_role_fail("setrlimit(RLIMIT_NOFILE): %s", strerror(errno));
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS && r->sh->held < r->count; i++) {
		int c = lab_accept_wait(l, LAB_TICK_MS);

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

	if (lab_nofile((rlim_t)r->count + 64, false))
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
	int l = lab_role_listen(LAB_LO, r->port, r->backlog), pairs = 0;

	if (lab_nofile((rlim_t)r->count, false))
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
	int l = lab_role_listen(LAB_LO, r->port, r->backlog);

	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS * 4u; i++) {
		char b[64];
		int c = lab_accept_wait(l, LAB_TICK_MS);

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

/* The predicates a stage waits on, over what the roles report. */
static int aq_full(void *p, struct strbuf *err)
{
	const struct lo_shared *sh = p;

	(void)err;
	return sh->wq > 0 && sh->rq > sh->wq;
}

static int emfile_seen(void *p, struct strbuf *err)
{
	const struct lo_shared *sh = p;

	return aq_full(p, err) && sh->emfile > 0;
}

static int bursts_dropping(void *p, struct strbuf *err)
{
	const struct lo_shared *sh = p;

	(void)err;
	return sh->rounds >= 3 && sh->drops > 0;
}

static int all_close_wait(void *p, struct strbuf *err)
{
	const struct lo_shared *sh = p;

	(void)err;
	return sh->held > 0 && sh->rounds == (unsigned)sh->held;
}

/* The server has taken every connection the client made. */
static int all_taken(void *p, struct strbuf *err)
{
	const struct lo_shared *sh = p;

	(void)err;
	return sh->made > 0 && sh->held >= sh->made;
}

static int serving(void *p, struct strbuf *err)
{
	const struct lo_shared *sh = p;

	(void)err;
	return sh->held >= 500 && sh->made >= 500;
}

int sc_accept_overflow(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role srv = { 8080, 8, 0, sh }, cli = { 8080, 0, 40, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_never_accept, &srv },
			   { 0, "lab-client", role_burst, &cli } },
		.until = aq_full, .tell = lo_tell, .ctx = sh, .what = "accept queue full",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-server: listen(8) on 127.0.0.1:8080, never calls accept()");
	lab_log(l, "lab-client: %d non-blocking connects: Recv-Q %d > Send-Q %d, the rest in SYN-SENT",
		sh->made, sh->rq, sh->wq);
	lab_focus(l, 8080, SYMPTOM_NONE);
	return 0;
}

int sc_accept_overflow_emfile(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role srv = { 8081, 8, 64, sh }, cli = { 8081, 0, 12, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_emfile_server, &srv },
			   { 0, "lab-client", role_trickle, &cli } },
		.until = emfile_seen, .tell = lo_tell, .ctx = sh,
		.what = "accept() failing with EMFILE on a full queue",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-server: listen(8) on 127.0.0.1:8081, RLIMIT_NOFILE %d, all in use", sh->nofile);
	lab_log(l, "lab-server: accept() failed with EMFILE %u times; Recv-Q %d > Send-Q %d",
		sh->emfile, sh->rq, sh->wq);
	lab_log(l, "lab-client: %d connects so far, 2 more every 100 ms", sh->made);
	lab_focus(l, 8081, SYMPTOM_NONE);
	return 0;
}

int sc_somaxconn_cap(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role app = { 8082, 4096, 24, sh };
	/* The sysctl goes in before listen(): somaxconn applies at listen() time (kernel-facts.md "Accept queue"). */
	const struct lab_stage_spec s = {
		.sysctl_key = "net.core.somaxconn", .sysctl_value = "16",
		.roles = { { 0, "lab-server", role_burst_drain, &app } },
		.until = bursts_dropping, .tell = lo_tell, .ctx = sh,
		.what = "bursts overflowing the capped queue",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	if (sh->wq != 16)
		return error_set(err, "listen(4096) with somaxconn 16 gave Send-Q %d, not 16", sh->wq);
	lab_log(l, "namespace net.core.somaxconn 16; lab-server listen(4096) on 127.0.0.1:8082: Send-Q %d",
		sh->wq);
	lab_log(l, "bursts of %d clients every 100 ms, the queue drained in between (%d accepted per burst)",
		app.count, sh->held);
	lab_log(l, "after %u bursts: skmem d%u (SYNs dropped on the full queue)", sh->rounds, sh->drops);
	lab_focus(l, 8082, SYMPTOM_NONE);
	return 0;
}

int sc_close_wait_leak(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role srv = { 8083, 128, 64, sh }, cli = { 8083, 0, 64, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_hoard, &srv },
			   { 0, "lab-client", role_connect_close, &cli } },
		.until = all_close_wait, .tell = lo_tell, .ctx = sh,
		.what = "every accepted connection in CLOSE-WAIT",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-client: %d connections to 127.0.0.1:8083, each closed at once", sh->made);
	lab_log(l, "lab-server: accepted %d, never reads or closes: %u in CLOSE-WAIT", sh->held,
		sh->rounds);
	lab_focus(l, 8083, SYMPTOM_NONE);
	return 0;
}

int sc_time_wait_busy_client(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role srv = { 8084, 4096, 0, sh }, cli = { 8084, 0, 3000, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_sink_server, &srv },
			   { 0, "lab-client", role_busy_client, &cli } },
		.until = all_taken, .tell = lo_tell, .ctx = sh, .what = "every connection served",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-client: %d short connections to 127.0.0.1:8084, closed by the client first",
		sh->made);
	lab_log(l, "lab-server: served %d; the client's TIME-WAIT stays for 60 s", sh->held);
	/* No --port: the question is the host's TIME-WAIT, not one service. */
	lab_focus(l, -1, SYMPTOM_NONE);
	return 0;
}

int sc_port_exhaustion(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role srv = { 8085, 4096, 2000, sh }, cli = { 8085, 0, 2000, sh };
	const struct lab_stage_spec s = {
		.sysctl_key = "net.ipv4.ip_local_port_range", .sysctl_value = "40000 40499",
		.roles = { { 0, "lab-server", role_keeper, &srv },
			   { 0, "lab-client", role_port_eater, &cli } },
		.until = all_taken, .tell = lo_tell, .ctx = sh, .what = "every connection accepted",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "namespace net.ipv4.ip_local_port_range 40000 40499 (500 ports)");
	lab_log(l, "lab-client: %d connections to 127.0.0.1:8085, then connect() failed: %s",
		sh->made, strerror(sh->stop_errno));
	lab_log(l, "lab-server: accepted and holds %d", sh->held);
	lab_focus(l, -1, SYMPTOM_EXHAUSTION);
	return 0;
}

int sc_fd_exhaustion(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role hog = { 8086, 128, 256, sh };
	/* The hog is ready only once it hit EMFILE: nothing more to wait for. */
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-fdhog", role_fd_hog, &hog } },
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-fdhog: RLIMIT_NOFILE %d; %d connections to itself on 127.0.0.1:8086, then EMFILE",
		sh->nofile, sh->held);
	lab_focus(l, -1, SYMPTOM_EXHAUSTION);
	return 0;
}

int sc_healthy_busy_server(struct lab *l, struct strbuf *err)
{
	struct lo_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct lo_role srv = { 8087, 4096, 0, sh }, cli = { 8087, 0, 500, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_http_server, &srv },
			   { 0, "lab-client", role_http_client, &cli } },
		.until = serving, .tell = lo_tell, .ctx = sh, .what = "requests being served",
	};
	int before;

	if (!sh || lab_stage(l, &s, err))
		return -1;
	before = sh->held;
	if (lab_sleep(l, 500))
		return error_set(err, "interrupted");
	lab_log(l, "lab-server: listen(4096) on 127.0.0.1:8087, reads a request, answers, closes");
	lab_log(l, "lab-client: %d requests so far, %d served in the last 0.5 s; it keeps going "
		"through the triage", sh->made, sh->held - before);
	lab_focus(l, 8087, SYMPTOM_NONE);
	return 0;
}
