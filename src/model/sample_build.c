// SPDX-License-Identifier: GPL-2.0-or-later
#include "sample_build.h"

#include <stdlib.h>
#include <string.h>

/*
 * Without --peer, a connection is kept whole only when it is clearly
 * stuck, which the bare socket list already shows: the persist timer
 * (the peer advertises a zero window and we probe it), or a
 * retransmission timer that has backed off CONN_STUCK_RETRANS times
 * (about 1.4 s of silence at the minimum RTO, far more than any healthy
 * path). A big Send-Q alone is not stuck: a bulk sender's autotuned
 * buffer is full by design.
 */
#define CONN_STUCK_RETRANS 3
#define IDIAG_TIMER_RETRANS 1
#define IDIAG_TIMER_PERSIST 4

int sample_build_begin(struct sample_builder *b, struct sample *s,
		       const struct sample_build_opts *o, struct strbuf *err)
{
	memset(b, 0, sizeof(*b));
	b->s = s;
	b->o = *o;
	sample_init(s);
	if (o->owners) {
		b->cw = malloc(sizeof(*b->cw) * SAMPLE_BUILD_CW_MAX);
		if (!b->cw)
			return error_set(err, "out of memory");
	}
	return 0;
}

void sample_build_socks_begin(struct sample_builder *b, uint32_t have)
{
	sample_reset_socks(b->s);
	b->n_stuck = 0;
	b->n_cw = 0;
	b->cw_dropped = 0;
	b->s->have |= have;
	b->s->cw_tracked = true;
}

static bool conn_stuck(const struct sock_rec *r)
{
	if (r->state != SS_ESTABLISHED && r->state != SS_CLOSE_WAIT)
		return false;
	return r->timer == IDIAG_TIMER_PERSIST ||
	       (r->timer == IDIAG_TIMER_RETRANS && r->retrans >= CONN_STUCK_RETRANS);
}

bool sample_build_sock(struct sample_builder *b, const struct sock_rec *r)
{
	bool fetch = false;

	sample_add_sock(b->s, r);
	if (r->table != TBL_TCP)
		return false;
	if (b->n_stuck < SAMPLE_CONNS_MAX && conn_stuck(r) &&
	    !peer_match(&b->o.peer, r->family, r->daddr, r->dport)) {
		b->stuck[b->n_stuck++] = r->cookie;
		fetch = true;
	}
	if (r->state == SS_CLOSE_WAIT && r->inode && b->cw) {
		if (b->n_cw == SAMPLE_BUILD_CW_MAX) {
			b->cw_dropped++;
		} else {
			b->cw[b->n_cw].inode = r->inode;
			b->cw[b->n_cw].unread = r->rqueue >= 1;
			b->n_cw++;
		}
	}
	return fetch;
}

void sample_build_ulisteners_begin(struct sample_builder *b)
{
	b->s->n_ulisteners = 0;
	b->s->ulisteners_dropped = 0;
	b->s->have |= HAVE_UNIX_LISTENERS;
}

void sample_build_ulistener(struct sample_builder *b, const struct sock_rec *r)
{
	sample_add_ulistener(b->s, r);
}

void sample_build_udp_begin(struct sample_builder *b)
{
	b->s->n_udp = 0;
	b->s->udp_dropped = 0;
	memset(b->s->udp_port, 0, sizeof(b->s->udp_port));
	b->s->have |= HAVE_UDP;
}

void sample_build_udp(struct sample_builder *b, const struct sock_rec *r)
{
	sample_add_udp(b->s, r);
}

bool sample_build_wants_conns(const struct sample_builder *b)
{
	return b->o.peer.set || b->n_stuck;
}

const uint64_t *sample_build_stuck(const struct sample_builder *b, uint32_t *n)
{
	*n = b->n_stuck;
	return b->stuck;
}

static int cmp_u64(const void *a, const void *c)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)c;

	return x < y ? -1 : x > y;
}

void sample_build_conns_begin(struct sample_builder *b)
{
	qsort(b->stuck, b->n_stuck, sizeof(b->stuck[0]), cmp_u64);
	b->s->n_conns = 0;
	b->s->conns_dropped = 0;
}

bool sample_build_conn(struct sample_builder *b, const struct sock_rec *r)
{
	bool peer = peer_match(&b->o.peer, r->family, r->daddr, r->dport);

	if (!peer && !(b->n_stuck && bsearch(&r->cookie, b->stuck, b->n_stuck,
					     sizeof(b->stuck[0]), cmp_u64)))
		return false;
	/* A socket seen by two passes (a stuck one to the peer) is kept once. */
	for (uint32_t i = 0; i < b->s->n_conns; i++)
		if (b->s->conns[i].cookie == r->cookie)
			return true;
	sample_add_conn(b->s, r, peer);
	return true;
}

void sample_build_conns_end(struct sample_builder *b)
{
	b->s->have |= HAVE_CONNS;
}

bool sample_build_owners_wanted(const struct sample_builder *b)
{
	const struct sample *s = b->s;

	if (b->n_cw || s->n_conns)
		return true;
	for (uint32_t i = 0; i < s->n_ulisteners; i++)
		if (s->ulisteners[i].rq > s->ulisteners[i].wq)
			return true;
	for (uint32_t i = 0; i < s->n_udp; i++)
		if (sample_udp_full(&s->udp[i]) || s->udp[i].port == b->o.want_port)
			return true;
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct s_listener *l = &s->listeners[i];

		if (l->rq > l->wq || (l->has_drops && l->drops) || l->port == b->o.want_port)
			return true;
	}
	return false;
}

struct s_proc *sample_build_proc(struct sample_builder *b, uint32_t pid, const char *comm,
				 uint32_t fds, bool has_limit, uint64_t soft, uint64_t hard)
{
	struct s_proc *p = sample_proc(b->s, pid, comm);

	b->s->have |= HAVE_FDS;
	if (!p)
		return NULL;
	p->fds = fds;
	p->has_limit = has_limit;
	p->nofile_soft = soft;
	p->nofile_hard = hard;
	return p;
}

static struct s_proc *owner_of(struct sample_builder *b, uint32_t inode,
			       sample_owner_fn lookup, void *ctx)
{
	const char *comm = NULL;
	uint32_t pid;

	if (!inode || !lookup(inode, &pid, &comm, ctx))
		return NULL;
	return sample_proc(b->s, pid, comm);
}

void sample_build_attribute(struct sample_builder *b, sample_owner_fn lookup, void *ctx)
{
	struct sample *s = b->s;
	struct s_proc *p;

	for (uint32_t i = 0; i < s->n_listeners; i++)
		if ((p = owner_of(b, s->listeners[i].inode, lookup, ctx))) {
			p->listeners++;
			s->listeners[i].owner = (int32_t)(p - s->procs);
		}
	for (uint32_t i = 0; i < s->n_ulisteners; i++)
		if ((p = owner_of(b, s->ulisteners[i].inode, lookup, ctx)))
			s->ulisteners[i].owner = (int32_t)(p - s->procs);
	for (uint32_t i = 0; i < s->n_udp; i++)
		if ((p = owner_of(b, s->udp[i].inode, lookup, ctx)))
			s->udp[i].owner = (int32_t)(p - s->procs);
	for (uint32_t i = 0; i < s->n_conns; i++)
		if ((p = owner_of(b, s->conns[i].inode, lookup, ctx)))
			s->conns[i].owner = (int32_t)(p - s->procs);
	for (uint32_t i = 0; i < b->n_cw; i++)
		if ((p = owner_of(b, b->cw[i].inode, lookup, ctx))) {
			p->close_wait++;
			if (b->cw[i].unread)
				p->close_wait_unread++;
		}
	for (uint32_t i = 0; i < s->n_cw; i++)
		if ((p = owner_of(b, s->cw[i].inode, lookup, ctx)))
			s->cw[i].owner = (int32_t)(p - s->procs);
	s->have |= HAVE_OWNERS;
}

void sample_build_kevent(struct sample_builder *b, const struct kevent *e)
{
	if (b->s->n_kevents < SAMPLE_KEVENTS_MAX)
		b->s->kevents[b->s->n_kevents++] = *e;
}

void sample_build_appevent(struct sample_builder *b, const struct app_event *e)
{
	struct sample *s = b->s;

	for (uint32_t i = 0; i < s->n_appevents; i++)
		if (appevent_same(&s->appevents[i], e)) {
			appevent_merge(&s->appevents[i], e);
			return;
		}
	if (s->n_appevents == SAMPLE_APPEVENTS_MAX)
		s->appevents_dropped += e->count;
	else
		s->appevents[s->n_appevents++] = *e;
}

void sample_build_mark(struct sample_builder *b, uint32_t have)
{
	b->s->have |= have;
}

void sample_build_finish(struct sample_builder *b)
{
	if (b->s->have & HAVE_SOCKETS)
		sample_finish_socks(b->s);
	if (b->cw_dropped)
		sample_unavailable(b->s, "close-wait owners",
				   "more CLOSE-WAIT sockets than could be attributed");
	sample_build_abort(b);
}

void sample_build_abort(struct sample_builder *b)
{
	free(b->cw);
	b->cw = NULL;
}
