// SPDX-License-Identifier: GPL-2.0-or-later
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <linux/tcp.h>

#define DEST_HASH_SIZE (SAMPLE_DESTS_MAX * 2)

void sample_init(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	tally_init(&s->tally);
	mib_init(&s->mib);
	for (size_t i = 0; i < DEST_HASH_SIZE; i++)
		s->dest_hash[i] = -1;
}

void sample_unavailable(struct sample *s, const char *what, const char *why)
{
	struct s_unavailable *u;

	for (uint32_t i = 0; i < s->n_unavailable; i++)
		if (!strcmp(s->unavailable[i].what, what))
			return;
	if (s->n_unavailable == SAMPLE_UNAVAIL_MAX)
		return;
	u = &s->unavailable[s->n_unavailable++];
	snprintf(u->what, sizeof(u->what), "%s", what);
	snprintf(u->why, sizeof(u->why), "%s", why);
}

bool sample_port_listening(const struct sample *s, uint16_t port)
{
	return s->listen_port[port >> 3] & (1u << (port & 7));
}

static void add_listener(struct sample *s, const struct sock_rec *r)
{
	struct s_listener *l;

	s->listen_port[r->sport >> 3] |= (uint8_t)(1u << (r->sport & 7));
	if (s->n_listeners == SAMPLE_LISTENERS_MAX) {
		s->listeners_dropped++;
		return;
	}
	l = &s->listeners[s->n_listeners++];
	memset(l, 0, sizeof(*l));
	l->family = r->family;
	memcpy(l->addr, r->saddr, sizeof(l->addr));
	l->port = r->sport;
	l->ifindex = r->ifindex;
	l->inode = r->inode;
	l->cookie = r->cookie;
	l->rq = r->rqueue;
	l->wq = r->wqueue;
	/* skmem d exists only when the kernel sent all nine fields. */
	if (r->has_skmem && r->skmem_n > SK_MEMINFO_DROPS) {
		l->has_drops = true;
		l->drops = r->skmem[SK_MEMINFO_DROPS];
	}
	l->owner = -1;
}

/* FNV-1a over the tuple: cheap and good enough for a bounded table. */
static uint32_t dest_hash(const struct sock_rec *r)
{
	uint32_t h = 2166136261u;
	const uint8_t *parts[2] = { r->saddr, r->daddr };

	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 16; i++)
			h = (h ^ parts[p][i]) * 16777619u;
	h = (h ^ (r->dport & 0xff)) * 16777619u;
	h = (h ^ (r->dport >> 8)) * 16777619u;
	return (h ^ r->family) * 16777619u;
}

static void add_dest(struct sample *s, const struct sock_rec *r)
{
	uint32_t h = dest_hash(r) % DEST_HASH_SIZE;
	struct s_dest *d;

	for (;;) {
		int32_t i = s->dest_hash[h];

		if (i < 0)
			break;
		d = &s->dests[i];
		if (d->family == r->family && d->dport == r->dport &&
		    !memcmp(d->saddr, r->saddr, 16) && !memcmp(d->daddr, r->daddr, 16))
			goto count;
		h = (h + 1) % DEST_HASH_SIZE;
	}
	if (s->n_dests == SAMPLE_DESTS_MAX) {
		s->dests_dropped++;
		return;
	}
	s->dest_hash[h] = (int32_t)s->n_dests;
	d = &s->dests[s->n_dests++];
	memset(d, 0, sizeof(*d));
	d->family = r->family;
	memcpy(d->saddr, r->saddr, 16);
	memcpy(d->daddr, r->daddr, 16);
	d->dport = r->dport;
count:
	if (!d->total)
		d->sport = r->sport;
	else if (d->sport != r->sport)
		d->sport_mixed = true;
	d->total++;
	if (r->state == SS_TIME_WAIT)
		d->time_wait++;
	else if (r->state == SS_ESTABLISHED)
		d->established++;
	else if (r->state == SS_SYN_SENT)
		d->syn_sent++;
}

/* Accepted (an inode) or still in the accept queue (none): see sample.h. */
static void add_close_wait(struct sample *s, const struct sock_rec *r)
{
	struct s_cw *c;

	if (!r->inode) {
		s->close_wait_unaccepted++;
		s->close_wait_unaccepted_by_port[r->sport]++;
		return;
	}
	s->close_wait_by_port[r->sport]++;
	if (s->n_cw == SAMPLE_CW_MAX) {
		s->cw_dropped++;
		return;
	}
	c = &s->cw[s->n_cw++];
	c->cookie = r->cookie;
	c->inode = r->inode;
	c->port = r->sport;
	c->unread = r->rqueue >= 1;
	c->owner = -1;
}

static int cmp_cw(const void *a, const void *b)
{
	uint64_t x = ((const struct s_cw *)a)->cookie, y = ((const struct s_cw *)b)->cookie;

	return x < y ? -1 : x > y;
}

const struct s_cw *sample_cw_find(const struct sample *s, uint64_t cookie)
{
	struct s_cw key = { .cookie = cookie };

	return bsearch(&key, s->cw, s->n_cw, sizeof(s->cw[0]), cmp_cw);
}

void sample_add_sock(struct sample *s, const struct sock_rec *r)
{
	tally_add(&s->tally, r);
	if (r->table != TBL_TCP || (r->family != AF_INET && r->family != AF_INET6))
		return;
	switch (r->state) {
	case SS_LISTEN:
		add_listener(s, r);
		return;
	case SS_SYN_RECV:
	case SS_NEW_SYN_RECV:
		s->syn_recv_by_port[r->sport]++;
		return;
	case SS_CLOSE_WAIT:
		add_close_wait(s, r);
		break;
	case SS_FIN_WAIT2:
		s->fin_wait2_by_port[r->sport]++;
		break;
	case SS_FIN_WAIT1:
	case SS_CLOSING:
	case SS_LAST_ACK:
		sample_add_closing(s, r);
		break;
	default:
		break;
	}
	/*
	 * A connection whose local port has a listener is the server side;
	 * the kernel dumps listeners before the established table, so with
	 * a live dump the bitmap is complete by the time these arrive (other
	 * orders are mended in sample_finish_socks). The rest are clients,
	 * each holding a port from the ephemeral range for its destination.
	 */
	if (!sample_port_listening(s, r->sport))
		add_dest(s, r);
}

void sample_reset_socks(struct sample *s)
{
	tally_init(&s->tally);
	s->n_listeners = 0;
	s->listeners_dropped = 0;
	memset(s->close_wait_by_port, 0, sizeof(s->close_wait_by_port));
	memset(s->close_wait_unaccepted_by_port, 0, sizeof(s->close_wait_unaccepted_by_port));
	s->close_wait_unaccepted = 0;
	s->n_cw = 0;
	s->cw_dropped = 0;
	memset(s->fin_wait2_by_port, 0, sizeof(s->fin_wait2_by_port));
	memset(s->syn_recv_by_port, 0, sizeof(s->syn_recv_by_port));
	memset(s->listen_port, 0, sizeof(s->listen_port));
	s->n_dests = 0;
	s->dests_dropped = 0;
	s->n_closing = 0;
	s->closing_dropped = 0;
	for (size_t i = 0; i < DEST_HASH_SIZE; i++)
		s->dest_hash[i] = -1;
}

/*
 * A source that gives connections before their listener (an imported
 * capture in another order than the kernel's dump) had them counted as
 * client tuples; take them out now that every listener is known. The
 * hash is rebuilt, since tuples move.
 */
static void prune_server_dests(struct sample *s)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < s->n_dests; i++) {
		const struct s_dest *d = &s->dests[i];

		if (!d->sport_mixed && sample_port_listening(s, d->sport))
			continue;
		s->dests[kept++] = *d;
	}
	if (kept == s->n_dests)
		return;
	s->n_dests = kept;
	for (size_t i = 0; i < DEST_HASH_SIZE; i++)
		s->dest_hash[i] = -1;
	for (uint32_t i = 0; i < kept; i++) {
		struct sock_rec key = { .family = s->dests[i].family, .dport = s->dests[i].dport };
		uint32_t h;

		memcpy(key.saddr, s->dests[i].saddr, 16);
		memcpy(key.daddr, s->dests[i].daddr, 16);
		h = dest_hash(&key) % DEST_HASH_SIZE;
		while (s->dest_hash[h] >= 0)
			h = (h + 1) % DEST_HASH_SIZE;
		s->dest_hash[h] = (int32_t)i;
	}
}

void sample_finish_socks(struct sample *s)
{
	for (uint32_t i = 0; i < s->n_listeners; i++)
		s->listeners[i].syn_recv = s->syn_recv_by_port[s->listeners[i].port];
	prune_server_dests(s);
	qsort(s->cw, s->n_cw, sizeof(s->cw[0]), cmp_cw);
}

struct s_proc *sample_proc(struct sample *s, uint32_t pid, const char *comm)
{
	struct s_proc *p;

	for (uint32_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	if (s->n_procs == SAMPLE_PROCS_MAX) {
		s->procs_dropped++;
		return NULL;
	}
	p = &s->procs[s->n_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm ? comm : "");
	return p;
}

void sample_add_conn(struct sample *s, const struct sock_rec *r, bool peer)
{
	struct s_conn *c;

	if (s->n_conns == SAMPLE_CONNS_MAX) {
		s->conns_dropped++;
		return;
	}
	c = &s->conns[s->n_conns++];
	memset(c, 0, sizeof(*c));
	c->family = r->family;
	c->state = r->state;
	memcpy(c->saddr, r->saddr, sizeof(c->saddr));
	memcpy(c->daddr, r->daddr, sizeof(c->daddr));
	c->sport = r->sport;
	c->dport = r->dport;
	c->cookie = r->cookie;
	c->inode = r->inode;
	c->peer = peer;
	c->rq = r->rqueue;
	c->wq = r->wqueue;
	c->owner = -1;
	if (r->has_skmem && r->skmem_n > SK_MEMINFO_WMEM_QUEUED) {
		c->has_skmem = true;
		c->sk_rmem = r->skmem[SK_MEMINFO_RMEM_ALLOC];
		c->sk_rcvbuf = r->skmem[SK_MEMINFO_RCVBUF];
		c->sk_wmem_queued = r->skmem[SK_MEMINFO_WMEM_QUEUED];
		c->sk_sndbuf = r->skmem[SK_MEMINFO_SNDBUF];
	}
	/* Old kernels send a shorter struct: what they did not send reads 0
	 * (the table's rows say which members are kept); only snd_wnd's 0
	 * is ambiguous, so its presence is kept too. */
	c->has_info = tcpinfo_conn_fill(c, r->tcpi, r->tcpi_len);
	c->has_snd_wnd = c->has_info && tcpinfo_present(r->tcpi_len, TCPINFO_SND_WND);
}

/* One row per have bit: its name, and the capture that provides it. */
static const struct {
	const char *name;
	const char *source;
} have_names[HAVE_BITS] = {
	[0] = { "socket list", "ss -tan" },
	[1] = { "listener drops", "ss -tlnm" },
	[2] = { "per-connection tcp_info", "ss -tin dst ADDR" },
	[3] = { "counters", "nstat -az" },
	[4] = { "sysctls", "sysctl -a" },
	[5] = { "socket memory totals", "cat /proc/net/sockstat" },
	[6] = { "socket owners", "ss -tlnp" },
	[7] = { "open files and limits", "ls /proc/PID/fd | wc -l; cat /proc/PID/limits" },
	[8] = { "file handles", "cat /proc/sys/fs/file-nr" },
	[9] = { "conntrack table", "conntrack -C; sysctl net.netfilter.nf_conntrack_max" },
	[10] = { "conntrack drops", "conntrack -S" },
	[11] = { "kernel log", "dmesg" },
	[12] = { "UNIX listeners", "ss -xl" },
	[13] = { "UDP sockets", "ss -uanm" },
	[14] = { "sockets in every state", "ss -tan" },
	[15] = { "application log", "the service's own log (journalctl -u UNIT, its error.log)" },
};

static int have_index(enum sample_have bit)
{
	for (int i = 0; i < HAVE_BITS; i++)
		if (bit == 1u << i)
			return i;
	return -1;
}

const char *sample_have_name(enum sample_have bit)
{
	int i = have_index(bit);

	return i < 0 ? "?" : have_names[i].name;
}

const char *sample_have_source(enum sample_have bit)
{
	int i = have_index(bit);

	return i < 0 ? "?" : have_names[i].source;
}

void sample_add_ulistener(struct sample *s, const struct sock_rec *r)
{
	struct s_ulistener *u;
	size_t n;

	if (r->table != TBL_UNIX || r->state != SS_LISTEN || !r->u.un.has_rqlen)
		return;
	if (s->n_ulisteners == SAMPLE_ULISTENERS_MAX) {
		s->ulisteners_dropped++;
		return;
	}
	u = &s->ulisteners[s->n_ulisteners++];
	memset(u, 0, sizeof(*u));
	u->netid = r->netid;
	u->inode = r->inode;
	u->rq = r->u.un.rq;
	u->wq = r->u.un.wq;
	u->owner = -1;
	n = r->u.un.path_len < SAMPLE_UNIX_PATH_MAX ? r->u.un.path_len : SAMPLE_UNIX_PATH_MAX;
	if (!n)
		return;
	memcpy(u->path, r->u.un.path, n);
	/* An abstract name starts with NUL; ss prints it with '@'. */
	if (u->path[0] == '\0')
		u->path[0] = '@';
	for (size_t i = 1; i < n; i++)
		if (u->path[i] == '\0')
			u->path[i] = '@';
}

void sample_add_udp(struct sample *s, const struct sock_rec *r)
{
	struct s_udp *u;

	if (r->table != TBL_UDP)
		return;
	if (r->sport)
		s->udp_port[r->sport >> 3] |= (uint8_t)(1u << (r->sport & 7));
	if (!r->has_skmem || r->skmem_n <= SK_MEMINFO_DROPS ||
	    (!r->skmem[SK_MEMINFO_DROPS] && !r->rqueue))
		return;
	if (s->n_udp == SAMPLE_UDP_MAX) {
		s->udp_dropped++;
		return;
	}
	u = &s->udp[s->n_udp++];
	memset(u, 0, sizeof(*u));
	u->family = r->family;
	memcpy(u->addr, r->saddr, sizeof(u->addr));
	u->port = r->sport;
	u->cookie = r->cookie;
	u->inode = r->inode;
	u->rq = r->rqueue;
	u->rb = r->skmem[SK_MEMINFO_RCVBUF];
	u->drops = r->skmem[SK_MEMINFO_DROPS];
	u->owner = -1;
}

bool sample_udp_full(const struct s_udp *u)
{
	return u->rb && (uint64_t)u->rq * 100 >= (uint64_t)u->rb * SAMPLE_UDP_FULL_PCT;
}

bool sample_udp_bound(const struct sample *s, uint16_t port)
{
	return s->udp_port[port >> 3] & (1u << (port & 7));
}

void sample_tcp_states(const struct sample *s, uint64_t by[SS_STATE_MAX])
{
	tally_tcp_states(&s->tally, by);
}

double sample_proc_fd_frac(const struct s_proc *p)
{
	if (!p->has_limit || !p->nofile_soft || p->nofile_soft == UINT64_MAX)
		return 0;
	return (double)p->fds / (double)p->nofile_soft;
}
