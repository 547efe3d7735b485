// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Outbound and closing-state scenarios, two namespaces over a
 * veth (this host 10.99.0.1, the peer 10.99.0.2) as in sc_net.c:
 *
 *   connect-timeouts  clients here connect to the peer, whose nftables
 *                     drops every SYN: SYN-SENT piles up;
 *   fin-wait-1-pile   the peer's receive buffers are tiny and it never
 *                     reads; clients here fill the window and close():
 *                     orphaned FIN-WAIT-1 probing a zero window;
 *   last-ack-pile     clients in the peer send their FIN, the server here
 *                     closes every connection and its listener, and the
 *                     peer drops our FINs: LAST-ACK retransmitting;
 *   syn-flood-elsewhere  a burst here floods two listeners in the peer
 *                     (the kernel logs "Possible SYN flooding" for both),
 *                     then healthy listeners on the same ports start
 *                     here: at most one short note, never a finding.
 *
 * The stage waits until the closing state is in this host's socket table
 * (/proc/PID/net/tcp of a role here), counting every socket in the state.
 */
#include "sc.h"
#include "lab_stage.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../collect/procnet_mib.h"
#include "../model/sock.h"
#include "lab_sock.h"

#define I9_HOST_CIDR "10.99.0.1/24"
#define I9_PEER_CIDR "10.99.0.2/24"
#define I9_HOST "10.99.0.1"
#define I9_PEER "10.99.0.2"
/* Twice the rules' per-destination thresholds (connect-timeouts and
 * closing-pile: 50 and 100), so a few finishing early change nothing. */
#define I9_SYN_SENT 120
#define I9_CLOSING 200
/* The tiny buffers that make a window close after a few KiB. */
#define I9_SMALL_BUF 4096
#define I9_WRITE_MAX (1u << 20)    /* per connection, bounds the fill loop */
#define I9_STEP_MS 2000            /* one connect, accept or EOF */
#define I9_TCP_LINES_MAX 100000
#define I9_WAIT_MS 10000
/* The flooded backlog (the queue holds 17) and the SYNs per port: enough
 * past it that cookies are sent and the line is logged. */
#define I9_FLOOD_BACKLOG 16
#define I9_FLOOD_SYNS 64
#define I9_FLOOD_SETTLE_MS 500
#define I9_POLL_MS 50

struct i9_role {
	const char *addr;
	int port;
	unsigned count;
};

struct i9_want {
	struct lab *l;
	unsigned role, state, min, seen;
};

static void i9_fds(unsigned n)
{
	if (lab_nofile((rlim_t)n * 2 + 64, true))
		lab_role_fail("cannot raise RLIMIT_NOFILE: %s", strerror(errno));
}

static int i9_connect(const struct i9_role *r, bool nonblock)
{
	struct sockaddr_in dst;
	int fd;

	if (lab_addr(&dst, r->addr, r->port))
		lab_role_fail("bad address '%s'", r->addr);
	fd = lab_connect(NULL, &dst, nonblock);
	if (fd < 0)
		lab_role_fail("connect %s:%d: %s", r->addr, r->port, strerror(errno));
	return fd;
}

/* count non-blocking connects whose SYNs nobody answers; ready at once. */
static int i9_hang_clients(void *arg)
{
	const struct i9_role *r = arg;

	i9_fds(r->count);
	for (unsigned i = 0; i < r->count; i++)
		i9_connect(r, true);
	lab_role_ready();
	lab_role_hold();
}

/* count connections, each filled until the peer's window closes, then closed. */
static int i9_close_queued(void *arg)
{
	const struct i9_role *r = arg;
	int small = I9_SMALL_BUF;
	static char buf[I9_SMALL_BUF];

	i9_fds(r->count);
	for (unsigned i = 0; i < r->count; i++) {
		int fd = i9_connect(r, false);
		unsigned sent = 0;

		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		while (sent < I9_WRITE_MAX) {
			ssize_t n = write(fd, buf, sizeof(buf));

			if (n > 0) {
				sent += (unsigned)n;
				continue;
			}
			if (n < 0 && errno == EAGAIN && lab_poll_fd(fd, POLLOUT, 50) > 0)
				continue;
			break;
		}
		if (sent >= I9_WRITE_MAX)
			lab_role_fail("the peer's window never closed (#%u)", i + 1);
		close(fd);
	}
	lab_role_ready();
	lab_role_hold();
}

/* listen and never accept nor read. */
static int i9_deaf_server(void *arg)
{
	const struct i9_role *r = arg;

	lab_role_listen(r->addr, r->port, (int)r->count + 64);
	lab_role_ready();
	lab_role_hold();
}

/* count connections, each shut for writing (our FIN), kept open. */
static int i9_fin_clients(void *arg)
{
	const struct i9_role *r = arg;

	i9_fds(r->count);
	for (unsigned i = 0; i < r->count; i++)
		if (shutdown(i9_connect(r, false), SHUT_WR))
			lab_role_fail("shutdown: %s", strerror(errno));
	lab_role_ready();
	lab_role_hold();
}

/* accept count connections, read each to EOF, then close them all and the listener. */
static int i9_closing_server(void *arg)
{
	const struct i9_role *r = arg;
	int l, *fds;
	char b[256];

	i9_fds(r->count);
	fds = calloc(r->count ? r->count : 1, sizeof(*fds));
	if (!fds)
		lab_role_fail("out of memory");
	l = lab_role_listen(r->addr, r->port, (int)r->count + 64);
	lab_role_ready();
	for (unsigned i = 0; i < r->count; i++) {
		fds[i] = lab_accept_wait(l, 30000);
		if (fds[i] < 0)
			lab_role_fail("accept (#%u): %s", i + 1, strerror(errno));
	}
	for (unsigned i = 0; i < r->count; i++) {
		if (lab_poll_fd(fds[i], POLLIN, I9_STEP_MS) <= 0 || read(fds[i], b, sizeof(b)) != 0)
			lab_role_fail("no EOF on connection #%u", i + 1);
		close(fds[i]);
	}
	close(l);
	lab_role_hold();
}

/* Sockets in state st in pid's namespace (/proc/PID/net/tcp). */
static int i9_count(pid_t pid, unsigned st, unsigned *n, struct strbuf *err)
{
	char path[64], line[512];
	unsigned lines = 0;
	FILE *f;

	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/net/tcp", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return error_set(err, "cannot open '%s': %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) && lines++ < I9_TCP_LINES_MAX) {
		unsigned s;

		if (sscanf(line, " %*u: %*x:%*x %*x:%*x %x", &s) == 1 && s == st)
			(*n)++;
	}
	fclose(f);
	return 0;
}

static int i9_until(void *p, struct strbuf *err)
{
	struct i9_want *w = p;

	if (i9_count(w->l->roles[w->role], w->state, &w->seen, err))
		return -1;
	return w->seen >= w->min;
}

static void i9_tell(void *p, struct strbuf *out)
{
	const struct i9_want *w = p;

	strbuf_addf(out, "%u sockets in %s, expected %u", w->seen, sock_state_name(w->state), w->min);
}

static int i9_stage(struct lab *l, struct lab_stage_spec *s, struct i9_want *w,
		    struct strbuf *err)
{
	w->l = l;
	s->veth[0] = I9_HOST_CIDR;
	s->veth[1] = I9_PEER_CIDR;
	s->until = i9_until;
	s->tell = i9_tell;
	s->ctx = w;
	s->wait_ms = I9_WAIT_MS;
	s->poll_ms = I9_POLL_MS;
	return lab_stage(l, s, err);
}

static const char i9_drop_syn_nft[] =
	"table inet sockvet_lab {\n"
	"  chain input {\n"
	"    type filter hook input priority 0; policy accept;\n"
	"    tcp dport 9300 tcp flags & (syn | ack) == syn drop\n"
	"  }\n"
	"}\n";

int sc_connect_timeouts(struct lab *l, struct strbuf *err)
{
	struct i9_role srv = { .addr = "0.0.0.0", .port = 9300 };
	struct i9_role cl = { .addr = I9_PEER, .port = 9300, .count = I9_SYN_SENT };
	struct i9_want w = { .role = 1, .state = SS_SYN_SENT, .min = I9_SYN_SENT };
	struct lab_stage_spec s = {
		.nft_ns = 1, .nft = i9_drop_syn_nft,
		.roles = { { 1, "lab-server", i9_deaf_server, &srv },
			   { 0, "lab-client", i9_hang_clients, &cl } },
		.what = "connects hanging in SYN-SENT",
	};

	if (i9_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_TIMEOUT);
	lab_log(l, "peer: a listener on %s:9300 behind nftables dropping every SYN", I9_PEER);
	lab_log(l, "client: %u connects to %s:9300, %u in SYN-SENT", I9_SYN_SENT, I9_PEER, w.seen);
	return 0;
}

int sc_fin_wait_1_pile(struct lab *l, struct strbuf *err)
{
	struct i9_role srv = { .addr = "0.0.0.0", .port = 9301, .count = I9_CLOSING };
	struct i9_role cl = { .addr = I9_PEER, .port = 9301, .count = I9_CLOSING };
	struct i9_want w = { .role = 1, .state = SS_FIN_WAIT1, .min = I9_CLOSING };
	struct lab_stage_spec s = {
		.sysctl_ns = 1, .sysctl_key = "net.ipv4.tcp_rmem", .sysctl_value = "4096 4096 4096",
		.roles = { { 1, "lab-server", i9_deaf_server, &srv },
			   { 0, "lab-client", i9_close_queued, &cl } },
		.what = "orphaned FIN-WAIT-1 on a zero window",
	};

	if (i9_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_NONE);
	lab_log(l, "peer: never reads, tcp_rmem 4096 (its window closes after a few KiB)");
	lab_log(l, "client: %u connections filled and closed, %u in FIN-WAIT-1", I9_CLOSING, w.seen);
	return 0;
}

/* The peer drops every FIN from the server's port: our FINs go unanswered. */
static const char i9_drop_fin_nft[] =
	"table inet sockvet_lab {\n"
	"  chain input {\n"
	"    type filter hook input priority 0; policy accept;\n"
	"    tcp sport 9302 tcp flags & fin == fin drop\n"
	"  }\n"
	"}\n";

int sc_last_ack_pile(struct lab *l, struct strbuf *err)
{
	struct i9_role srv = { .addr = "0.0.0.0", .port = 9302, .count = I9_CLOSING };
	struct i9_role cl = { .addr = I9_HOST, .port = 9302, .count = I9_CLOSING };
	struct i9_want w = { .role = 0, .state = SS_LAST_ACK, .min = I9_CLOSING };
	struct lab_stage_spec s = {
		.nft_ns = 1, .nft = i9_drop_fin_nft,
		.roles = { { 0, "lab-server", i9_closing_server, &srv },
			   { 1, "lab-client", i9_fin_clients, &cl } },
		.what = "LAST-ACK with the peer silent",
	};

	if (i9_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_NONE);
	lab_log(l, "peer: %u connections closed for writing, then drops our FINs", I9_CLOSING);
	lab_log(l, "server: closed them all and its listener, %u in LAST-ACK", w.seen);
	return 0;
}

/* listen(count) on addr:port and addr:port+1, hold. */
static int i9_two_listeners(void *arg)
{
	const struct i9_role *r = arg;

	lab_role_listen(r->addr, r->port, (int)r->count);
	lab_role_listen(r->addr, r->port + 1, (int)r->count);
	lab_role_ready();
	lab_role_hold();
}

/* I9_FLOOD_SYNS connects to addr:port and addr:port+1 whose SYN-ACKs
 * nftables drops here; then every socket is closed (in SYN-SENT a close
 * sends nothing), so nothing of the flood is left on this side. */
static int i9_flood_burst(void *arg)
{
	const struct i9_role *r = arg;
	int fds[2 * I9_FLOOD_SYNS];

	i9_fds(2 * I9_FLOOD_SYNS);
	for (unsigned i = 0; i < 2 * I9_FLOOD_SYNS; i++) {
		struct i9_role one = { r->addr, r->port + (int)(i % 2), 0 };

		fds[i] = i9_connect(&one, true);
	}
	lab_nap_ms(I9_FLOOD_SETTLE_MS);
	for (unsigned i = 0; i < 2 * I9_FLOOD_SYNS; i++)
		close(fds[i]);
	lab_role_ready();
	lab_role_hold();
}

static const char i9_drop_synack_nft[] =
	"table inet sockvet_lab {\n"
	"  chain input {\n"
	"    type filter hook input priority 0; policy accept;\n"
	"    tcp sport { 8445, 8446 } tcp flags & (syn | ack) == syn | ack drop\n"
	"  }\n"
	"}\n";

int sc_syn_flood_elsewhere(struct lab *l, struct strbuf *err)
{
	struct i9_role victim = { .addr = "0.0.0.0", .port = 8445, .count = I9_FLOOD_BACKLOG };
	struct i9_role burst = { .addr = I9_PEER, .port = 8445 };
	struct i9_role healthy = { .addr = "0.0.0.0", .port = 8445, .count = 128 };
	struct lab_stage_spec s = {
		.veth = { I9_HOST_CIDR, I9_PEER_CIDR },
		.nft_ns = 0, .nft = i9_drop_synack_nft,
		.roles = { { 1, "lab-flooded", i9_two_listeners, &victim },
			   { 0, "lab-flood", i9_flood_burst, &burst } },
		.what = "a SYN flood in the peer namespace",
	};
	struct mib *m = malloc(sizeof(*m));
	uint64_t cookies = 0;
	char root[32];

	if (!m)
		return error_set(err, "out of memory");
	if (lab_stage(l, &s, err))
		goto fail;
	snprintf(root, sizeof(root), "/proc/%d", (int)l->roles[0]);
	if (procnet_mib_read(m, root, err))
		goto fail;
	mib_get(m, "TcpExtSyncookiesSent", &cookies);
	free(m);
	if (lab_spawn(l, 0, "lab-server", i9_two_listeners, &healthy, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_NONE);
	lab_log(l, "peer: listen(%d) on :8445 and :8446 flooded, %llu cookies sent (the kernel "
		"logs a SYN flood line for each)", I9_FLOOD_BACKLOG, (unsigned long long)cookies);
	lab_log(l, "here: healthy listeners on 0.0.0.0:8445 and :8446, started after the flood");
	return 0;
fail:
	free(m);
	return -1;
}
