// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One triage sample of the live host: the TCP sockets (aggregated while
 * they stream past, never kept), the MIB counters, sockstat, sysctls,
 * file-nr, conntrack, and on request the kernel log and the processes
 * that own the sockets a rule may talk about.
 *
 * What cannot be read is recorded in the sample (sample_unavailable) with
 * the reason, so the report can say "process owners: not root" instead
 * of silently knowing less.
 */
#include "sample_collect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kmsg.h"
#include "meta.h"
#include "procmap.h"
#include "procnet_mib.h"
#include "sockdiag.h"
#include "sockstat.h"
#include "sysctl_read.h"

/* CLOSE-WAIT sockets remembered for owner lookup after the dump. */
#define CW_MAX 65536

struct cw_ref {
	uint32_t inode;
	bool unread;            /* Recv-Q >= 1: the EOF was never read */
};

/*
 * Without --peer, a connection is kept whole only when it is clearly
 * stuck, which the bare dump already shows: the persist timer (the peer
 * advertises a zero window and we probe it), or a retransmission timer
 * that has backed off CONN_STUCK_RETRANS times (about 1.4 s of silence
 * at the minimum RTO, far more than any healthy path). A big Send-Q alone
 * is not stuck: a bulk sender's autotuned buffer is full by design.
 */
#define CONN_STUCK_RETRANS 3
#define IDIAG_TIMER_RETRANS 1
#define IDIAG_TIMER_PERSIST 4

struct collect_ctx {
	struct sample *s;
	struct cw_ref *cw;
	uint32_t n_cw;
	uint32_t cw_dropped;
	bool torn;
	struct diag_session *ds;
	/* the per-connection passes */
	const struct sample_opts *o;
	uint32_t n_stuck;
	struct diag_sock_id stuck[SAMPLE_CONNS_MAX];   /* looked up one by one */
};

static bool conn_stuck(const struct sock_rec *r)
{
	if (r->state != SS_ESTABLISHED && r->state != SS_CLOSE_WAIT)
		return false;
	return r->timer == IDIAG_TIMER_PERSIST ||
	       (r->timer == IDIAG_TIMER_RETRANS && r->retrans >= CONN_STUCK_RETRANS);
}

/* --peer matches the remote end; a v4 peer also matches its v4-mapped form. */
static bool conn_is_peer(const struct sample_opts *o, const struct sock_rec *r)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!o || !o->has_peer)
		return false;
	if (o->peer_port >= 0 && r->dport != o->peer_port)
		return false;
	if (r->family == o->peer_family)
		return !memcmp(r->daddr, o->peer_addr, o->peer_family == AF_INET ? 4 : 16);
	return o->peer_family == AF_INET && r->family == AF_INET6 &&
	       !memcmp(r->daddr, mapped, 12) && !memcmp(r->daddr + 12, o->peer_addr, 4);
}

static int on_sock(const struct sock_rec *r, void *vctx)
{
	struct collect_ctx *c = vctx;

	sample_add_sock(c->s, r);
	/* A stuck --peer connection is the peer dump's to keep. */
	if (c->n_stuck < SAMPLE_CONNS_MAX && conn_stuck(r) && !conn_is_peer(c->o, r))
		sockdiag_id_of(r, &c->stuck[c->n_stuck++]);
	if (r->table == TBL_TCP && r->state == SS_CLOSE_WAIT && r->inode && c->cw) {
		if (c->n_cw < CW_MAX) {
			c->cw[c->n_cw].inode = r->inode;
			c->cw[c->n_cw].unread = r->rqueue >= 1;
			c->n_cw++;
		} else {
			c->cw_dropped++;
		}
	}
	return SOCK_CB_OK;
}

/* A torn dump: the whole sample's socket pass is done again (below). */
static int on_restart(enum sock_table t, void *vctx)
{
	struct collect_ctx *c = vctx;

	(void)t;
	c->torn = true;
	return 0;
}

#define SAMPLE_DUMP_ATTEMPTS 3

/* The states a kept connection may be in: data still flows, or should. */
#define CONN_STATES (1u << SS_ESTABLISHED | 1u << SS_CLOSE_WAIT | 1u << SS_FIN_WAIT1 | \
		     1u << SS_LAST_ACK | 1u << SS_CLOSING)

static int on_peer_conn(const struct sock_rec *r, void *vctx)
{
	struct collect_ctx *c = vctx;

	/* The kernel filtered on the address already; this keeps the mapped-v4 rule. */
	if (conn_is_peer(c->o, r))
		sample_add_conn(c->s, r, true);
	return SOCK_CB_OK;
}

/* A lookup answers whatever state the socket is in by now. */
static int on_stuck_conn(const struct sock_rec *r, void *vctx)
{
	struct collect_ctx *c = vctx;

	if (r->state < 32 && (CONN_STATES & (1u << r->state)))
		sample_add_conn(c->s, r, false);
	return SOCK_CB_OK;
}

/* The --peer pass: one dump the kernel filters on the remote address. */
static int dump_peer_conns(struct sample *s, struct collect_ctx *c, struct strbuf *err)
{
	uint8_t bc[SOCKDIAG_BYTECODE_MAX];
	struct diag_query q = {
		.session = c->ds,
		.tables = TBL_BIT(TBL_TCP),
		.states = CONN_STATES,
		.needs = DIAG_NEED_INFO | DIAG_NEED_MEM,
		.on_restart = on_restart,
		.bytecode = bc,
	};

	q.bytecode_len = sockdiag_bc_remote(bc, c->o->peer_family, c->o->peer_addr,
					    c->o->peer_port);
	/* An IPv4 peer lives in v4 sockets and v4-mapped v6 ones. */
	q.families = c->o->peer_family == AF_INET6 ? DIAG_FAM_INET6
						   : DIAG_FAM_INET | DIAG_FAM_INET6;
	for (int attempt = 0; attempt < SAMPLE_DUMP_ATTEMPTS; attempt++) {
		s->n_conns = 0;
		s->conns_dropped = 0;
		c->torn = false;
		if (sockdiag_collect(&q, on_peer_conn, c, err))
			return -1;
		if (!c->torn)
			return 0;
	}
	return error_set(err, "the connection dump was interrupted %d times in a row", SAMPLE_DUMP_ATTEMPTS);
}

/*
 * The per-connection passes, only with --peer or when the bare dump saw
 * stuck connections, so a healthy host pays nothing for them: tcp_info
 * and socket memory for the states data still flows in. The --peer pass
 * hands the kernel a filter on the remote address, so sockets to other
 * peers cost neither tcp_info nor bytes; a stuck connection is asked for
 * by its id (4-tuple, device, cookie), so the cost is per stuck socket,
 * not per socket on the host. One that closed in between is skipped.
 */
static int dump_conns(struct sample *s, struct collect_ctx *c, struct strbuf *err)
{
	if (c->o && c->o->has_peer && dump_peer_conns(s, c, err))
		return -1;
	for (uint32_t i = 0; i < c->n_stuck; i++)
		if (sockdiag_lookup(c->ds, &c->stuck[i], DIAG_NEED_INFO | DIAG_NEED_MEM,
				    on_stuck_conn, c, err) < 0)
			return -1;
	if ((c->o && c->o->has_peer) || c->n_stuck)
		s->conns_looked = true;
	return 0;
}

/*
 * Two dumps: the listeners alone with socket memory (their skmem d is
 * the per-listener drop count; with only LISTEN asked the kernel does
 * not walk the established table at all), then every other state with
 * no extension, which costs about what a bare dump costs. Listeners come
 * first, so the listening-port map is complete before the connections
 * it classifies arrive.
 */
static int dump_sockets(struct sample *s, struct collect_ctx *c, struct diag_stats *stats,
			struct strbuf *err)
{
	struct diag_query q = {
		.session = c->ds,
		.tables = TBL_BIT(TBL_TCP),
		.families = DIAG_FAM_INET | DIAG_FAM_INET6,
		.stats = stats,
		.on_restart = on_restart,
	};

	for (int attempt = 0; attempt < SAMPLE_DUMP_ATTEMPTS; attempt++) {
		sample_reset_socks(s);
		c->n_stuck = 0;
		c->n_cw = 0;
		c->cw_dropped = 0;
		c->torn = false;
		q.states = 1u << SS_LISTEN;
		q.needs = DIAG_NEED_MEM;
		if (sockdiag_collect(&q, on_sock, c, err))
			return -1;
		q.states = SS_ALL_STATES & ~(1u << SS_LISTEN);
		q.needs = 0;
		if (sockdiag_collect(&q, on_sock, c, err))
			return -1;
		if (!c->torn)
			return 0;
	}
	return error_set(err, "the socket dump was interrupted %d times in a row", SAMPLE_DUMP_ATTEMPTS);
}

/* Two numbers from a small file ("44728\t0\t2465610" for file-nr). */
static int read_u64s(const char *path, uint64_t *v, unsigned want)
{
	char buf[256];
	FILE *fp = fopen(path, "r");
	char *p = buf, *e;
	unsigned n = 0;

	if (!fp)
		return -1;
	if (!fgets(buf, sizeof(buf), fp)) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	while (n < want) {
		unsigned long long x;

		errno = 0;
		x = strtoull(p, &e, 10);
		if (e == p || errno)
			return -1;
		v[n++] = x;
		p = e;
	}
	return 0;
}

/*
 * /proc/net/stat/nf_conntrack: a header naming hex columns, then one
 * line per CPU; the drop counters are the per-CPU sums.
 */
static void read_conntrack_stat(struct sample *s, const char *proc_root)
{
	char path[512], line[2048];
	char *names[64];
	unsigned nnames = 0;
	int idx_drop = -1, idx_early = -1, idx_insf = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/net/stat/nf_conntrack", proc_root);
	fp = fopen(path, "r");
	if (!fp)
		return;
	if (!fgets(line, sizeof(line), fp)) {
		fclose(fp);
		return;
	}
	for (char *t = strtok(line, " \t\n"); t && nnames < 64; t = strtok(NULL, " \t\n"))
		names[nnames++] = t;
	for (unsigned i = 0; i < nnames; i++) {
		if (!strcmp(names[i], "drop"))
			idx_drop = (int)i;
		else if (!strcmp(names[i], "early_drop"))
			idx_early = (int)i;
		else if (!strcmp(names[i], "insert_failed"))
			idx_insf = (int)i;
	}
	while (fgets(line, sizeof(line), fp)) {
		unsigned i = 0;

		for (char *t = strtok(line, " \t\n"); t; t = strtok(NULL, " \t\n"), i++) {
			uint64_t v = strtoull(t, NULL, 16);

			if ((int)i == idx_drop)
				s->conntrack_drop += v;
			else if ((int)i == idx_early)
				s->conntrack_early_drop += v;
			else if ((int)i == idx_insf)
				s->conntrack_insert_failed += v;
		}
	}
	fclose(fp);
	s->has_conntrack_stat = idx_drop >= 0;
}

/* "Max open files            1024                 524288               files" */
static void read_nofile(struct s_proc *p, const char *proc_root)
{
	char path[512], line[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%u/limits", proc_root, p->pid);
	fp = fopen(path, "r");
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		char soft[32], hard[32];

		if (strncmp(line, "Max open files", 14))
			continue;
		if (sscanf(line + 14, "%31s %31s", soft, hard) == 2) {
			p->nofile_soft = strcmp(soft, "unlimited") ? strtoull(soft, NULL, 10) : UINT64_MAX;
			p->nofile_hard = strcmp(hard, "unlimited") ? strtoull(hard, NULL, 10) : UINT64_MAX;
			p->has_limit = true;
		}
		break;
	}
	fclose(fp);
}

static bool same_netns(const char *proc_root, uint32_t pid, const char *ours)
{
	char path[512], ns[64];
	ssize_t n;

	if (!ours[0])
		return true;
	snprintf(path, sizeof(path), "%s/%u/ns/net", proc_root, pid);
	n = readlink(path, ns, sizeof(ns) - 1);
	if (n <= 0)
		return true;    /* cannot tell (not root): keep it */
	ns[n] = '\0';
	return !strcmp(ns, ours);
}

static int cmp_fds_desc(const void *a, const void *b)
{
	const struct procmap_proc *x = a, *y = b;

	return x->fds < y->fds ? 1 : x->fds > y->fds ? -1 : 0;
}

/*
 * Owners: every socket-owning process (busiest fd users first, bounded),
 * with its RLIMIT_NOFILE; then listeners and CLOSE-WAIT sockets are
 * attributed to them.
 */
static bool owners_needed(const struct sample *s, const struct collect_ctx *c, int want_port)
{
	if (c->n_cw || s->n_conns)
		return true;
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct s_listener *l = &s->listeners[i];

		if (l->rq > l->wq || (l->has_drops && l->drops) || l->port == want_port)
			return true;
	}
	return false;
}

static void collect_owners(struct sample *s, struct collect_ctx *c, const char *proc_root,
			   bool full)
{
	struct strbuf err = STRBUF_INIT;
	struct procmap *pm = NULL;
	const struct procmap_proc *pp;
	struct procmap_proc *sorted = NULL;
	size_t np;
	int rc;

	rc = full ? procmap_build(&pm, proc_root, false, &err)
		  : procmap_build_counts(&pm, proc_root, &err);
	if (rc) {
		sample_unavailable(s, "process owners", err.buf);
		goto out;
	}
	if (procmap_unreadable(pm) && geteuid() != 0)
		sample_unavailable(s, "process owners",
				   "not root: only your own processes' sockets can be attributed");
	np = procmap_procs(pm, &pp);
	sorted = malloc(np ? np * sizeof(*sorted) : 1);
	if (!sorted)
		goto out;
	memcpy(sorted, pp, np * sizeof(*sorted));
	qsort(sorted, np, sizeof(*sorted), cmp_fds_desc);
	for (size_t i = 0; i < np; i++) {
		struct s_proc *p;

		/* /proc is host-wide: a namespace's triage blames only its own processes. */
		if (!same_netns(proc_root, sorted[i].pid, s->meta.netns))
			continue;
		p = sample_proc(s, sorted[i].pid, sorted[i].comm);
		if (!p)
			break;
		p->fds = sorted[i].fds;
		read_nofile(p, proc_root);
	}
	if (!full)
		goto out;
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct sock_owner *o;
		struct s_proc *p;

		if (!procmap_lookup(pm, s->listeners[i].inode, &o))
			continue;
		p = sample_proc(s, o[0].pid, o[0].comm);
		if (!p)
			continue;
		p->listeners++;
		s->listeners[i].owner = (int32_t)(p - s->procs);
	}
	for (uint32_t i = 0; i < s->n_conns; i++) {
		const struct sock_owner *o;
		struct s_proc *p;

		if (!procmap_lookup(pm, s->conns[i].inode, &o))
			continue;
		p = sample_proc(s, o[0].pid, o[0].comm);
		if (p)
			s->conns[i].owner = (int32_t)(p - s->procs);
	}
	for (uint32_t i = 0; i < c->n_cw; i++) {
		const struct sock_owner *o;
		struct s_proc *p;

		if (!procmap_lookup(pm, c->cw[i].inode, &o))
			continue;
		p = sample_proc(s, o[0].pid, o[0].comm);
		if (!p)
			continue;
		p->close_wait++;
		if (c->cw[i].unread)
			p->close_wait_unread++;
	}
	s->owners_known = true;
out:
	free(sorted);
	procmap_free(pm);
	strbuf_release(&err);
}

int sample_collect(struct sample *s, const struct sample_opts *o, struct strbuf *err)
{
	const char *root = o->proc_root ? o->proc_root : "/proc";
	struct collect_ctx c = { .s = s, .o = o, .ds = o->session };
	struct diag_session *own = NULL;
	struct diag_stats stats = { 0 };
	struct strbuf e2 = STRBUF_INIT;
	char path[512];
	uint64_t v[3];
	int ret = -1;

	sample_init(s);
	if (meta_collect(&s->meta, root, err))
		goto out;
	if (o->owners != SAMPLE_OWNERS_NONE) {
		c.cw = malloc(sizeof(*c.cw) * CW_MAX);
		if (!c.cw) {
			error_set(err, "out of memory");
			goto out;
		}
	}
	if (!o->session && sockdiag_session_open(&own, err))
		goto out;
	c.ds = o->session ? o->session : own;
	if (dump_sockets(s, &c, &stats, err))
		goto out;
	sample_finish_socks(s);
	if (dump_conns(s, &c, err))
		goto out;

	if (procnet_mib_read(&s->mib, root, &e2))
		sample_unavailable(s, "SNMP counters", e2.buf);
	else
		s->has_mib = true;
	strbuf_reset(&e2);
	if (sockstat_read(&s->sockstat, root, &e2))
		sample_unavailable(s, "sockstat", e2.buf);
	strbuf_reset(&e2);
	if (sysctl_read_all(&s->sysctl, root, &e2))
		sample_unavailable(s, "sysctls", e2.buf);

	snprintf(path, sizeof(path), "%s/sys/fs/file-nr", root);
	if (!read_u64s(path, v, 3)) {
		s->has_file_nr = true;
		s->file_nr_alloc = v[0];
		s->file_nr_max = v[2];
	}
	snprintf(path, sizeof(path), "%s/sys/net/netfilter/nf_conntrack_count", root);
	if (!read_u64s(path, v, 1)) {
		s->has_conntrack = true;
		s->conntrack_count = v[0];
		snprintf(path, sizeof(path), "%s/sys/net/netfilter/nf_conntrack_max", root);
		if (!read_u64s(path, v, 1))
			s->conntrack_max = v[0];
		read_conntrack_stat(s, root);
	}

	if (o->kmsg) {
		struct kmsg_events *k = calloc(1, sizeof(*k));

		if (k && !kmsg_read(k, o->kmsg_path ? o->kmsg_path : "/dev/kmsg", err)) {
			s->kmsg_available = k->available;
			if (!k->available)
				sample_unavailable(s, "kernel log", k->reason);
			for (size_t i = 0; i < k->n && s->n_kevents < SAMPLE_KEVENTS_MAX; i++)
				s->kevents[s->n_kevents++] = k->ev[i];
		}
		free(k);
	}
	if (o->owners != SAMPLE_OWNERS_NONE)
		collect_owners(s, &c, root, o->owners == SAMPLE_OWNERS_ALWAYS ||
				owners_needed(s, &c, o->want_port));
	if (c.cw_dropped)
		sample_unavailable(s, "close-wait owners", "more CLOSE-WAIT sockets than could be attributed");
	ret = 0;
out:
	sockdiag_session_close(own);
	free(c.cw);
	strbuf_release(&e2);
	return ret;
}
