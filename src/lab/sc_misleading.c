// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scenarios where counts alone mislead: CLOSE-WAIT children
 * still in an accept queue, a server that keeps CLOSE-WAIT briefly
 * while it answers (a pile at every sample, never the same sockets),
 * and a process whose fd count climbs toward its limit.
 *
 * One namespace each, on its loopback; ports 8091-8093 (sc_local.c has
 * 8080-8087).
 */
#include "sc.h"
#include "lab_sock.h"
#include "lab_stage.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The never-accepting listener: backlog 16 holds 17 children. */
#define AQCW_BACKLOG 16
/* How long a client waits for its handshake before giving up: the queue
 * is full, so the SYN is dropped and the attempt is aborted. */
#define AQCW_CONNECT_MS 50
/* The slow server answers each request this long after accepting it,
 * and accepts one connection per tick at most (a small delay). */
#define SLOW_ANSWER_MS 300
/* Its clients: one request every 10 ms (100/s), so about 30 are in
 * CLOSE-WAIT on the server at any instant, each for 300 ms. */
#define SLOW_CLIENT_MS 10
#define SLOW_INFLIGHT_MAX 256
/* The leak: RLIMIT_NOFILE 512, 400 fds held at start (78 %), then one
 * more every 50 ms (20/s): over 80 % within a second, at the limit in
 * about 6 s. */
#define LEAK_NOFILE 512
#define LEAK_START 400
#define LEAK_EVERY_MS 50

struct i9_shared {
	volatile int rq, wq;          /* listener: accept queue now / its limit */
	volatile int made;            /* connections made / requests sent */
	volatile int held;            /* answered (server) */
	volatile int fds;             /* fds held (the leak) */
};

struct i9_role {
	int port;
	struct i9_shared *sh;
};

static void i9_tell(void *p, struct strbuf *out)
{
	const struct i9_shared *sh = p;

	strbuf_addf(out, "listener Recv-Q %d Send-Q %d, made %d, held %d, fds %d", sh->rq, sh->wq,
		    sh->made, sh->held, sh->fds);
}

/* --- roles -------------------------------------------------------------- */

/* listen(16), never accept(); report the queue (TCP_INFO on a listener). */
static int role_listen_only(void *arg)
{
	const struct i9_role *r = arg;
	int l = lab_role_listen(LAB_LO, r->port, AQCW_BACKLOG);

	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		struct tcp_info ti;

		if (!lab_tcp_info(l, &ti)) {
			r->sh->rq = (int)ti.tcpi_unacked;
			r->sh->wq = (int)ti.tcpi_sacked;
		}
		lab_nap_ms(LAB_TICK_MS);
	}
	lab_role_hold();
}

/* Connect and close at once, again and again: the ones that got in leave
 * a CLOSE-WAIT child in the accept queue, the rest are dropped SYNs. */
static int role_hit_and_run(void *arg)
{
	const struct i9_role *r = arg;

	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		int c = lab_lo_connect(r->port, true);

		if (c < 0)
			lab_role_fail("connect to 127.0.0.1:%d: %s", r->port, strerror(errno));
		(void)lab_poll_fd(c, POLLOUT, AQCW_CONNECT_MS);
		close(c);
		r->sh->made++;
		if (r->sh->made == 2 * (AQCW_BACKLOG + 1))
			lab_role_ready();
	}
	lab_role_hold();
}

struct inflight {
	int fd;
	uint64_t t;
};

/* Accept one per tick, answer each SLOW_ANSWER_MS later, close. */
static int role_slow_server(void *arg)
{
	const struct i9_role *r = arg;
	int l = lab_role_listen(LAB_LO, r->port, 128), n = 0;
	struct inflight q[SLOW_INFLIGHT_MAX];

	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS * 4u; i++) {
		uint64_t now = lab_now_ms();
		int c, k = 0;

		for (int j = 0; j < n; j++) {
			char b[64];

			if (now - q[j].t < SLOW_ANSWER_MS) {
				q[k++] = q[j];
				continue;
			}
			/* Read the request to its EOF first: closing with unread
			 * data would send a reset instead of a FIN. */
			for (int m = 0; m < 4 && lab_poll_fd(q[j].fd, POLLIN, 0) > 0 &&
					read(q[j].fd, b, sizeof(b)) > 0; m++)
				;
			if (write(q[j].fd, "ok\n", 3) == 3)
				r->sh->held++;
			close(q[j].fd);
		}
		n = k;
		c = lab_accept_wait(l, LAB_TICK_MS / 4);
		if (c < 0)
			continue;
		if (n == SLOW_INFLIGHT_MAX) {
			close(c);
			continue;
		}
		q[n].fd = c;
		q[n++].t = lab_now_ms();
	}
	lab_role_hold();
}

/* A request every SLOW_CLIENT_MS: connect, ask, shut its side, read the
 * answer when it comes, close. */
static int role_slow_client(void *arg)
{
	const struct i9_role *r = arg;
	int q[SLOW_INFLIGHT_MAX], n = 0;

	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		int c = lab_lo_connect(r->port, false), k = 0;

		if (c < 0)
			lab_role_fail("connect to 127.0.0.1:%d: %s", r->port, strerror(errno));
		if (write(c, "GET\n", 4) != 4 || shutdown(c, SHUT_WR))
			lab_role_fail("request: %s", strerror(errno));
		if (n < SLOW_INFLIGHT_MAX)
			q[n++] = c;
		else
			close(c);
		for (int j = 0; j < n; j++) {
			char b[16];

			if (lab_poll_fd(q[j], POLLIN, 0) > 0 && read(q[j], b, sizeof(b)) >= 0)
				close(q[j]);
			else
				q[k++] = q[j];
		}
		n = k;
		r->sh->made++;
		if (r->sh->made == 300)
			lab_role_ready();
		lab_nap_ms(SLOW_CLIENT_MS);
	}
	lab_role_hold();
}

/* Hold LEAK_START fds, then leak one every LEAK_EVERY_MS until EMFILE. */
static int role_fd_leak(void *arg)
{
	const struct i9_role *r = arg;
	int base;

	if (lab_nofile(LEAK_NOFILE, false))
		lab_role_fail("setrlimit(RLIMIT_NOFILE, %d): %s", LEAK_NOFILE, strerror(errno));
	base = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (base < 0)
		lab_role_fail("open /dev/null: %s", strerror(errno));
	while (base + r->sh->fds < LEAK_START && fcntl(base, F_DUPFD_CLOEXEC, 0) >= 0)
		r->sh->fds++;
	lab_role_ready();
	for (unsigned i = 0; i < LAB_ROLE_TICKS; i++) {
		if (fcntl(base, F_DUPFD_CLOEXEC, 0) >= 0)
			r->sh->fds++;
		lab_nap_ms(LEAK_EVERY_MS);
	}
	lab_role_hold();
}

/* --- scenarios ----------------------------------------------------------- */

static int aq_full(void *p, struct strbuf *err)
{
	const struct i9_shared *sh = p;

	(void)err;
	return sh->wq > 0 && sh->rq > sh->wq;
}

static int answering(void *p, struct strbuf *err)
{
	const struct i9_shared *sh = p;

	(void)err;
	return sh->held >= 100;
}

int sc_accept_queue_close_wait(struct lab *l, struct strbuf *err)
{
	struct i9_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct i9_role srv = { 8091, sh }, cli = { 8091, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_listen_only, &srv },
			   { 0, "lab-client", role_hit_and_run, &cli } },
		.until = aq_full, .tell = i9_tell, .ctx = sh, .what = "accept queue full",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-server: listen(%d) on 127.0.0.1:8091, never calls accept()", AQCW_BACKLOG);
	lab_log(l, "lab-client: %d connect-and-close so far: Recv-Q %d > Send-Q %d, the queued "
		"children in CLOSE-WAIT with no owner", sh->made, sh->rq, sh->wq);
	lab_focus(l, -1, SYMPTOM_NONE);
	return 0;
}

int sc_slow_accept_keeps_up(struct lab *l, struct strbuf *err)
{
	struct i9_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct i9_role srv = { 8092, sh }, cli = { 8092, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", role_slow_server, &srv },
			   { 0, "lab-client", role_slow_client, &cli } },
		.until = answering, .tell = i9_tell, .ctx = sh, .what = "requests answered",
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-server: accepts one per tick, answers %d ms later, closes", SLOW_ANSWER_MS);
	lab_log(l, "lab-client: %d requests (one per %d ms, its side shut after asking), %d "
		"answered", sh->made, SLOW_CLIENT_MS, sh->held);
	lab_focus(l, -1, SYMPTOM_NONE);
	return 0;
}

int sc_fd_leak(struct lab *l, struct strbuf *err)
{
	struct i9_shared *sh = lab_shared(l, sizeof(*sh), err);
	struct i9_role leak = { 8093, sh };
	const struct lab_stage_spec s = {
		.roles = { { 0, "lab-leaker", role_fd_leak, &leak } },
	};

	if (!sh || lab_stage(l, &s, err))
		return -1;
	lab_log(l, "lab-leaker: RLIMIT_NOFILE %d, %d fds held, one more every %d ms",
		LEAK_NOFILE, sh->fds, LEAK_EVERY_MS);
	lab_focus(l, -1, SYMPTOM_EXHAUSTION);
	return 0;
}
