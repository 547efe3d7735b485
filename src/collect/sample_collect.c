// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One triage sample of the live host: drives the sample builder
 * (src/model/sample_build.h) from the netlink socket dump, /proc and the
 * kernel log. What is kept, what is attributed and how is the builder's
 * business; this file only reads.
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
#include "procfs.h"
#include "procmap.h"
#include "procnet_mib.h"
#include "sample_collect_more.h"
#include "sockdiag.h"
#include "sockstat.h"
#include "sysctl_read.h"
#include "../model/sample_build.h"

struct collect_ctx {
	struct sample_builder *b;
	const struct sample_opts *o;
	struct diag_session *ds;
	bool torn;
	uint32_t n_stuck;
	struct diag_sock_id stuck[SAMPLE_CONNS_MAX];   /* looked up one by one */
};

static int on_sock(const struct sock_rec *r, void *vctx)
{
	struct collect_ctx *c = vctx;

	/* The builder says which sockets to fetch whole; the id is ours to keep. */
	if (sample_build_sock(c->b, r) && c->n_stuck < SAMPLE_CONNS_MAX)
		sockdiag_id_of(r, &c->stuck[c->n_stuck++]);
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

static int on_conn(const struct sock_rec *r, void *vctx)
{
	struct collect_ctx *c = vctx;

	/* A lookup answers whatever state the socket is in by now. */
	if (r->state < 32 && (CONN_STATES & (1u << r->state)))
		sample_build_conn(c->b, r);
	return SOCK_CB_OK;
}

/* The --peer pass: one dump the kernel filters on the remote address. */
static int dump_peer_conns(struct collect_ctx *c, struct strbuf *err)
{
	const struct peer *pe = &c->b->o.peer;
	struct diag_query q = {
		.session = c->ds,
		.tables = TBL_BIT(TBL_TCP),
		.states = CONN_STATES,
		.needs = DIAG_NEED_INFO | DIAG_NEED_MEM,
		.on_restart = on_restart,
		.bytecode = c->o->peer_bc,
		.bytecode_len = c->o->peer_bc_len,
	};

	/* An IPv4 peer lives in v4 sockets and v4-mapped v6 ones. */
	q.families = pe->family == AF_INET6 ? DIAG_FAM_INET6 : DIAG_FAM_INET | DIAG_FAM_INET6;
	for (int attempt = 0; attempt < SAMPLE_DUMP_ATTEMPTS; attempt++) {
		sample_build_conns_begin(c->b);
		c->torn = false;
		if (sockdiag_collect(&q, on_conn, c, err))
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
static int dump_conns(struct collect_ctx *c, struct strbuf *err)
{
	if (!sample_build_wants_conns(c->b))
		return 0;
	if (c->b->o.peer.set) {
		if (dump_peer_conns(c, err))
			return -1;
	} else {
		sample_build_conns_begin(c->b);
	}
	for (uint32_t i = 0; i < c->n_stuck; i++)
		if (sockdiag_lookup(c->ds, &c->stuck[i], DIAG_NEED_INFO | DIAG_NEED_MEM,
				    on_conn, c, err) < 0)
			return -1;
	sample_build_conns_end(c->b);
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
static int dump_sockets(struct collect_ctx *c, struct diag_stats *stats, struct strbuf *err)
{
	struct diag_query q = {
		.session = c->ds,
		.tables = TBL_BIT(TBL_TCP),
		.families = DIAG_FAM_INET | DIAG_FAM_INET6,
		.stats = stats,
		.on_restart = on_restart,
	};

	for (int attempt = 0; attempt < SAMPLE_DUMP_ATTEMPTS; attempt++) {
		sample_build_socks_begin(c->b, HAVE_SOCKETS | HAVE_CONN_STATES | HAVE_LISTEN_DROPS);
		c->n_stuck = 0;
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

static int cmp_fds_desc(const void *a, const void *b)
{
	const struct procmap_proc *x = a, *y = b;

	return x->fds < y->fds ? 1 : x->fds > y->fds ? -1 : 0;
}

static bool owner_lookup(uint32_t inode, uint32_t *pid, const char **comm, void *ctx)
{
	const struct sock_owner *o;

	if (!procmap_lookup(ctx, inode, &o))
		return false;
	*pid = o[0].pid;
	*comm = o[0].comm;
	return true;
}

/*
 * Owners: every socket-owning process of this namespace (busiest fd
 * users first, bounded) with its RLIMIT_NOFILE; then, when the builder
 * has something to attribute, the full walk's inode map attributes it.
 */
static void collect_owners(struct sample_builder *b, const char *proc_root,
			   const struct procmap *given, bool full)
{
	struct sample *s = b->s;
	struct strbuf err = STRBUF_INIT;
	struct procmap *own = NULL;
	const struct procmap *pm = given;
	const struct procmap_proc *pp;
	struct procmap_proc *sorted = NULL;
	size_t np;
	int rc = 0;

	if (!pm) {
		rc = full ? procmap_build(&own, proc_root, false, &err)
			  : procmap_build_counts(&own, proc_root, &err);
		pm = own;
	}
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
		uint64_t soft = 0, hard = 0;
		bool lim;

		/* /proc is host-wide: a namespace's triage blames only its own processes. */
		if (!procfs_same_netns(proc_root, sorted[i].pid, s->meta.netns))
			continue;
		lim = procfs_read_nofile(proc_root, sorted[i].pid, &soft, &hard);
		if (!sample_build_proc(b, sorted[i].pid, sorted[i].comm, sorted[i].fds, lim, soft, hard))
			break;
	}
	if (full)
		sample_build_attribute(b, owner_lookup, (void *)pm);
out:
	free(sorted);
	procmap_free(own);
	strbuf_release(&err);
}

/* Counters, sysctls and the small tables, each marked when read. */
static void collect_counters(struct sample_builder *b, const char *root)
{
	struct sample *s = b->s;
	struct strbuf e = STRBUF_INIT;
	struct conntrack_stat cst;
	char path[512];
	uint64_t v[3];

	if (procnet_mib_read(&s->mib, root, &e))
		sample_unavailable(s, "SNMP counters", e.buf);
	else
		sample_build_mark(b, HAVE_MIB);
	strbuf_reset(&e);
	if (sockstat_read(&s->sockstat, root, &e))
		sample_unavailable(s, "sockstat", e.buf);
	else
		sample_build_mark(b, HAVE_SOCKSTAT);
	strbuf_reset(&e);
	if (sysctl_read_all(&s->sysctl, root, &e))
		sample_unavailable(s, "sysctls", e.buf);
	else
		sample_build_mark(b, HAVE_SYSCTL);
	strbuf_release(&e);

	snprintf(path, sizeof(path), "%s/sys/fs/file-nr", root);
	if (!procfs_read_u64s(path, v, 3)) {
		s->file_nr_alloc = v[0];
		s->file_nr_max = v[2];
		sample_build_mark(b, HAVE_FILE_NR);
	}
	snprintf(path, sizeof(path), "%s/sys/net/netfilter/nf_conntrack_count", root);
	if (procfs_read_u64s(path, v, 1)) {
		/* No nf_conntrack here: no table can fill, which is known, not missing. */
		if (access(path, F_OK) && errno == ENOENT)
			sample_build_mark(b, HAVE_CONNTRACK);
		return;
	}
	s->conntrack_count = v[0];
	sample_build_mark(b, HAVE_CONNTRACK);
	snprintf(path, sizeof(path), "%s/sys/net/netfilter/nf_conntrack_max", root);
	if (!procfs_read_u64s(path, v, 1))
		s->conntrack_max = v[0];
	if (procfs_read_conntrack_stat(root, &cst)) {
		s->conntrack_drop = cst.drop;
		s->conntrack_early_drop = cst.early_drop;
		s->conntrack_insert_failed = cst.insert_failed;
		sample_build_mark(b, HAVE_CONNTRACK_STAT);
	}
}

static void collect_kmsg(struct sample_builder *b, const char *path)
{
	struct kmsg_events *k = calloc(1, sizeof(*k));
	struct strbuf err = STRBUF_INIT;

	if (!k) {
		sample_unavailable(b->s, "kernel log", "out of memory");
	} else if (kmsg_read(k, path, &err)) {
		sample_unavailable(b->s, "kernel log", err.buf);
	} else {
		if (k->available)
			sample_build_mark(b, HAVE_KLOG);
		else
			sample_unavailable(b->s, "kernel log", k->reason);
		for (size_t i = 0; i < k->n; i++)
			sample_build_kevent(b, &k->ev[i]);
	}
	free(k);
	strbuf_release(&err);
}

int sample_collect(struct sample *s, const struct sample_opts *o, struct strbuf *err)
{
	const char *root = o->proc_root ? o->proc_root : "/proc";
	struct sample_build_opts bo = {
		.peer = o->peer,
		.want_port = o->want_port,
		.owners = o->owners == SAMPLE_OWNERS_AUTO || o->owners == SAMPLE_OWNERS_ALWAYS,
	};
	struct sample_builder b = { 0 };
	struct diag_session *own = NULL;
	struct diag_stats stats = { 0 };
	struct collect_ctx *c;
	int ret = -1;

	/* The stuck ids are ~4 KiB: off the stack. */
	c = calloc(1, sizeof(*c));
	if (!c)
		return error_set(err, "out of memory");
	c->b = &b;
	c->o = o;
	c->ds = o->session;
	if (sample_build_begin(&b, s, &bo, err))
		goto out;
	if (!c->ds && sockdiag_session_open(&own, err))
		goto out;
	if (own)
		c->ds = own;
	if (meta_collect(&s->meta, root, err) || dump_sockets(c, &stats, err) ||
	    dump_conns(c, err) || sample_collect_unix(&b, c->ds, err) ||
	    sample_collect_udp(&b, c->ds, err))
		goto out;
	collect_counters(&b, root);
	if (o->kmsg)
		collect_kmsg(&b, o->kmsg_path ? o->kmsg_path : "/dev/kmsg");
	if (o->owners != SAMPLE_OWNERS_NONE)
		collect_owners(&b, root, o->procmap, o->owners == SAMPLE_OWNERS_ALWAYS ||
			       (o->owners == SAMPLE_OWNERS_AUTO && sample_build_owners_wanted(&b)));
	sample_build_finish(&b);
	ret = 0;
out:
	if (ret)
		sample_build_abort(&b);
	sockdiag_session_close(own);
	free(c);
	return ret;
}
