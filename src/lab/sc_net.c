// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The two-namespace scenarios: the scenario's own namespace ("this
 * host", lab0, 10.99.0.1) and a peer namespace ("-peer", lab1,
 * 10.99.0.2) joined by a veth, with nftables in the peer where the path
 * or the peer misbehaves. The roles are in sc_net_roles.c.
 *
 * "The state is real" is checked from here, without entering anything:
 * /proc/PID/net/ of a role shows that role's namespace, so the stage
 * polls the kernel's socket table and counters there until the incident
 * is visible (bounded), and logs what it saw.
 *
 * Each scenario uses its own port, so a kernel-log line one of them
 * leaves behind (the SYN flood warning is host-wide) is never mistaken
 * for another's.
 */
#include "sc.h"
#include "lab_stage.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collect/procnet_mib.h"
#include "../model/sock.h"
#include "sc_net.h"

#define HOST_ADDR "10.99.0.1"
#define PEER_ADDR "10.99.0.2"
#define HOST_CIDR HOST_ADDR "/24"
#define PEER_CIDR PEER_ADDR "/24"
#define PEER_DEV "lab1"

/* The busy part of every role outlasts stage + triage (about 3 s) with room
 * to spare, and ends by itself within the 30 s a scenario may take even if
 * nobody kills it; with --keep it goes on for 10 min so there is something
 * to look at. */
#define ACTIVE_S 25
#define KEEP_ACTIVE_S 600

/* Polling the staged state: every 50 ms, for at most 10 s. */
#define POLL_MS 50
#define WAIT_MS 10000
/* /proc/PID/net/tcp lines read at most (a scenario has a few thousand). */
#define TCP_LINES_MAX 200000

/* SYN flood: backlog 16 holds 17 requests. The retransmitted SYN-ACKs of
 * those few (17 in 2 s, measured) stay under half of 1 % of the 2,000
 * cookie SYN-ACKs a second, so the flood does not also read as path loss
 * (the retransmit rule starts at 1 %); 48 sources look like a
 * botnet, not one misbehaving client. */
#define FLOOD_BACKLOG 16
#define FLOOD_RATE 2000
#define FLOOD_SOURCES 48
#define FLOOD_SRC_BASE "10.99.0.100"
/* FIN-WAIT-2: 1.5 times rule_fin_wait_2's warning threshold (1,000). */
#define FW2_CONNS 1500
#define FW2_BACKLOG 2048
/* Refused clients: one attempt per 500 ms is 2 RSTs a second, under the
 * 5/s at which the reset rule would start to speak about them. */
#define REFUSED_INTERVAL_MS 500
/* Resets: 25 aborted connections a second, between the reset rule's
 * warning (5/s) and critical (50/s) rates. */
#define RESET_RATE 25
/* Lossy path: 10 % of the segments dropped, twice the retransmit rule's
 * critical ratio and ten times its warning one; 16 MiB/s is plenty of
 * segments (thousands a second) at a modest CPU cost. */
#define LOSS_PCT 10
#define BULK_KIB_S 16384
/* Four flows: one alone sometimes stalls in RTO backoff for the whole
 * two seconds a triage samples (seen as a flaky lab run). */
#define BULK_FLOWS 4
#define RETRANS_READY 100

static unsigned active_s(const struct lab *l)
{
	return l->keep ? KEEP_ACTIVE_S : ACTIVE_S;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static const char *skip_word(const char *p)
{
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	return p;
}

/* Sockets in state st on local port in pid's namespace (/proc/PID/net/tcp
 * lists request sockets as SYN-RECV too). */
static int tcp_count(pid_t pid, unsigned port, unsigned st, unsigned *n, struct strbuf *err)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	unsigned lines = 0;
	FILE *f;
	int ret = 0;

	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/net/tcp", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return error_set(err, "cannot open '%s': %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0 && lines++ < TCP_LINES_MAX) {
		/* "  12: 0100000A:20FB 0200000A:C350 05 ..." */
		const char *p = skip_word(skip_blanks(line)), *colon;
		unsigned long lport, state;
		char *end;

		p = skip_blanks(p);
		colon = strchr(p, ':');
		if (lines == 1 || !colon || colon > skip_word(p))
			continue;
		lport = strtoul(colon + 1, &end, 16);
		p = skip_blanks(skip_word(skip_blanks(end)));
		state = strtoul(p, &end, 16);
		if (end != p && lport == port && state == st)
			(*n)++;
	}
	if (ferror(f))
		ret = error_set(err, "cannot read '%s': %s", path, strerror(errno));
	free(line);
	fclose(f);
	return ret;
}

/* One counter (nstat name) of pid's namespace; 0 when the kernel lacks it. */
static int mib_value(pid_t pid, const char *name, uint64_t *v, struct strbuf *err)
{
	struct mib *m = malloc(sizeof(*m));
	char root[32];
	int ret;

	*v = 0;
	if (!m)
		return error_set(err, "out of memory");
	snprintf(root, sizeof(root), "/proc/%d", (int)pid);
	ret = procnet_mib_read(m, root, err);
	if (!ret)
		mib_get(m, name, v);
	free(m);
	return ret;
}

/* What a stage waits for in one role's namespace (the role-th started),
 * and the last reading; a zero minimum is not waited for. */
struct net_want {
	const struct lab *l;
	unsigned role;
	unsigned port, state, min_socks;
	const char *mib;
	uint64_t min_mib;
	unsigned socks;
	uint64_t val;
};

/* Whether the kernel shows what w asks for yet (lab_stage_spec.until). */
static int net_until(void *p, struct strbuf *err)
{
	struct net_want *w = p;
	pid_t pid = w->l->roles[w->role];

	if ((w->min_socks && tcp_count(pid, w->port, w->state, &w->socks, err)) ||
	    (w->mib && mib_value(pid, w->mib, &w->val, err)))
		return -1;
	return (!w->min_socks || w->socks >= w->min_socks) && (!w->mib || w->val >= w->min_mib);
}

static void net_tell(void *p, struct strbuf *out)
{
	const struct net_want *w = p;

	if (w->min_socks && w->socks < w->min_socks)
		strbuf_addf(out, "%u sockets in %s on port %u, expected %u", w->socks,
			    sock_state_name(w->state), w->port, w->min_socks);
	else
		strbuf_addf(out, "%s is %llu, expected at least %llu", w->mib,
			    (unsigned long long)w->val, (unsigned long long)w->min_mib);
}

/* Stage s between this host (0) and the peer (1) over lab0/lab1, then
 * wait until the kernel shows w. */
static int net_stage(struct lab *l, struct lab_stage_spec *s, struct net_want *w,
		     struct strbuf *err)
{
	w->l = l;
	s->veth[0] = HOST_CIDR;
	s->veth[1] = PEER_CIDR;
	s->until = net_until;
	s->tell = net_tell;
	s->ctx = w;
	s->wait_ms = WAIT_MS;
	s->poll_ms = POLL_MS;
	return lab_stage(l, s, err);
}

/* The peer's SYN-ACKs never reach its TCP: its connects stay half-open
 * on the server side, as behind spoofed sources or a broken return path. */
static const char flood_nft[] =
	"table inet sockvet_lab {\n"
	"  chain input {\n"
	"    type filter hook input priority 0; policy accept;\n"
	"    iifname \"" PEER_DEV "\" tcp flags & (syn | ack) == syn | ack drop\n"
	"  }\n"
	"}\n";

static int syn_flood(struct lab *l, int port, bool cookies, struct strbuf *err)
{
	struct net_role srv = { .addr = "0.0.0.0", .port = port, .backlog = FLOOD_BACKLOG };
	struct net_role fl = { .addr = HOST_ADDR, .port = port, .rate = FLOOD_RATE,
			       .active_s = active_s(l), .ifname = PEER_DEV,
			       .src_base = FLOOD_SRC_BASE, .n_src = FLOOD_SOURCES, .plen = 24 };
	struct net_want w = { .role = 0, .port = (unsigned)port, .state = SS_SYN_RECV,
			      .min_socks = FLOOD_BACKLOG + 1,
			      .mib = cookies ? "TcpExtSyncookiesSent" : "TcpExtTCPReqQFullDrop",
			      .min_mib = 1 };
	struct lab_stage_spec s = {
		.sysctl_key = cookies ? NULL : "net.ipv4.tcp_syncookies", .sysctl_value = "0",
		.nft_ns = 1, .nft = flood_nft,
		.roles = { { 0, "lab-server", net_role_listen, &srv },
			   { 1, "lab-flood", net_role_syn_flood, &fl } },
		.what = "a full SYN queue",
	};

	if (net_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, port, SYMPTOM_TIMEOUT);
	lab_log(l, "server: listen(%d) on 0.0.0.0:%d, tcp_syncookies=%d", FLOOD_BACKLOG, port,
		cookies ? 1 : 0);
	lab_log(l, "peer: %d SYNs/s from %d addresses from %s up, SYN-ACKs dropped by nftables",
		FLOOD_RATE, FLOOD_SOURCES, FLOOD_SRC_BASE);
	lab_log(l, "server: %u in SYN-RECV on :%d (queue limit %d), %s %llu", w.socks, port,
		FLOOD_BACKLOG + 1, w.mib, (unsigned long long)w.val);
	return 0;
}

int sc_syn_flood(struct lab *l, struct strbuf *err)
{
	return syn_flood(l, 8443, true, err);
}

int sc_syn_flood_nocookies(struct lab *l, struct strbuf *err)
{
	return syn_flood(l, 8444, false, err);
}

int sc_fin_wait_2(struct lab *l, struct strbuf *err)
{
	const int port = 8090;
	struct net_role srv = { .addr = "0.0.0.0", .port = port, .backlog = FW2_BACKLOG,
				.count = FW2_CONNS, .active_s = active_s(l) };
	struct net_role cl = { .addr = HOST_ADDR, .port = port, .count = FW2_CONNS };
	struct net_want w = { .role = 0, .port = port, .state = SS_FIN_WAIT2, .min_socks = FW2_CONNS };
	struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", net_role_fin_server, &srv },
			   { 1, "lab-client", net_role_connect_hold, &cl } },
		.what = "every connection in FIN-WAIT-2",
	};

	if (net_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_NONE);
	lab_log(l, "peer: %d connections to %s:%d, never closed (CLOSE-WAIT over there)",
		FW2_CONNS, HOST_ADDR, port);
	lab_log(l, "server: shutdown(SHUT_WR) on each, fds kept: %u in FIN-WAIT-2 on :%d", w.socks,
		port);
	return 0;
}

/*
 * A server on srv_addr:srv_port here and clients in the peer refused on
 * HOST_ADDR:port; staged once this host's counters show the RSTs.
 * srv_says is the server's log line.
 */
static int refused(struct lab *l, const char *srv_addr, int srv_port, int port,
		   const char *srv_says, struct strbuf *err)
{
	struct net_role srv = { .addr = srv_addr, .port = srv_port, .backlog = 128 };
	struct net_role cl = { .addr = HOST_ADDR, .port = port,
			       .interval_ms = REFUSED_INTERVAL_MS, .active_s = active_s(l) };
	struct net_want w = { .role = 0, .mib = "TcpOutRsts", .min_mib = 1 };
	struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", net_role_listen, &srv },
			   { 1, "lab-client", net_role_refused, &cl } },
		.what = "refused connections",
	};

	if (net_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, port, SYMPTOM_REFUSED);
	lab_log(l, "server: %s", srv_says);
	lab_log(l, "peer: connects to %s:%d every %d ms, refused (TcpOutRsts %llu here)", HOST_ADDR,
		port, REFUSED_INTERVAL_MS, (unsigned long long)w.val);
	return 0;
}

int sc_nothing_listening(struct lab *l, struct strbuf *err)
{
	return refused(l, "0.0.0.0", 8081, 8080, "listens on 0.0.0.0:8081, nothing on :8080", err);
}

int sc_loopback_only(struct lab *l, struct strbuf *err)
{
	return refused(l, "127.0.0.1", 5432, 5432, "listens on 127.0.0.1:5432 only", err);
}

int sc_lossy_path(struct lab *l, struct strbuf *err)
{
	const int port = 5001;
	struct net_role sink = { .addr = PEER_ADDR, .port = port, .backlog = 8,
				 .active_s = active_s(l) };
	struct net_role snd = { .addr = PEER_ADDR, .port = port, .rate = BULK_KIB_S,
				.count = BULK_FLOWS, .active_s = active_s(l) };
	/* Counted where the sender is: role 1. */
	struct net_want w = { .role = 1, .mib = "TcpRetransSegs", .min_mib = RETRANS_READY };
	char nft[256];
	struct lab_stage_spec s = {
		.nft_ns = 1, .nft = nft,
		.roles = { { 1, "lab-receiver", net_role_sink, &sink },
			   { 0, "lab-sender", net_role_bulk, &snd } },
		.what = "retransmits on the lossy path",
	};

	snprintf(nft, sizeof(nft),
		 "table inet sockvet_lab {\n"
		 "  chain input {\n"
		 "    type filter hook input priority 0; policy accept;\n"
		 "    iifname \"%s\" tcp dport %d numgen random mod 100 < %d drop\n"
		 "  }\n"
		 "}\n", PEER_DEV, port, LOSS_PCT);
	if (net_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_SLOW);
	lab_log(l, "peer: nftables drops %d %% of the TCP segments to :%d arriving on %s", LOSS_PCT,
		port, PEER_DEV);
	lab_log(l, "sender: %d KiB/s to %s:%d, TcpRetransSegs %llu so far", BULK_KIB_S, PEER_ADDR,
		port, (unsigned long long)w.val);
	return 0;
}

int sc_resets(struct lab *l, struct strbuf *err)
{
	const int port = 8088;
	struct net_role srv = { .addr = "0.0.0.0", .port = port, .backlog = 128,
				.active_s = active_s(l) };
	struct net_role cl = { .addr = HOST_ADDR, .port = port, .rate = RESET_RATE,
			       .active_s = active_s(l) };
	struct net_want w = { .role = 0, .mib = "TcpExtTCPAbortOnData", .min_mib = 1 };
	struct lab_stage_spec s = {
		.roles = { { 0, "lab-server", net_role_abort_server, &srv },
			   { 1, "lab-clients", net_role_reset_clients, &cl } },
		.what = "resets",
	};

	if (net_stage(l, &s, &w, err))
		return -1;
	lab_focus(l, -1, SYMPTOM_RESET);
	lab_log(l, "server: accepts on :%d and closes with SO_LINGER {1, 0}: a RST, no FIN", port);
	lab_log(l, "peer: %d connections/s, each reset (TcpExtTCPAbortOnData %llu here)",
		RESET_RATE, (unsigned long long)w.val);
	return 0;
}
