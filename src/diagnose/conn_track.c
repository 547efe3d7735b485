// SPDX-License-Identifier: GPL-2.0-or-later
#include "conn_track.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"
#include "diag_util.h"

bool conn_track_same(const struct s_conn *a, const struct s_conn *b)
{
	if (a->cookie && b->cookie)
		return a->cookie == b->cookie;
	return a->family == b->family && a->sport == b->sport && a->dport == b->dport &&
	       a->inode == b->inode && !memcmp(a->saddr, b->saddr, sizeof(a->saddr)) &&
	       !memcmp(a->daddr, b->daddr, sizeof(a->daddr));
}

static const struct s_conn *find_conn(const struct sample *s, const struct s_conn *ref)
{
	for (uint32_t j = 0; j < s->n_conns; j++)
		if (conn_track_same(&s->conns[j], ref))
			return &s->conns[j];
	return NULL;
}

static const struct s_conn *with_info(const struct sample *s, const struct s_conn *ref)
{
	const struct s_conn *x = find_conn(s, ref);

	return x && x->has_info ? x : NULL;
}

const struct s_conn *conn_track_in(const struct series *ser, const struct conn_track *t,
				   unsigned k)
{
	if (k < t->first || k > t->last)
		return NULL;
	return with_info(ser->s[k], t->c0);
}

static bool seen_before(const struct series *ser, unsigned i, const struct s_conn *c)
{
	for (unsigned k = 0; k < i; k++)
		if (with_info(ser->s[k], c))
			return true;
	return false;
}

/* A counter that went down (a reused cookie, a reset) grew by nothing. */
static uint64_t grew(uint64_t a, uint64_t b)
{
	return b >= a ? b - a : 0;
}

static void track(const struct series *ser, unsigned i, const struct s_conn *ref,
		  struct conn_track *t)
{
	const struct s_conn *a, *b;

	memset(t, 0, sizeof(*t));
	t->c0 = ref;
	t->first = t->last = i;
	for (unsigned k = i; k < ser->n; k++) {
		const struct s_conn *x = with_info(ser->s[k], ref);

		if (!x)
			continue;
		t->c = x;
		t->s = ser->s[k];
		t->last = k;
		t->seen++;
	}
	t->trend = t->seen >= 2;
	if (!t->c)
		return;
	a = t->c0;
	b = t->c;
	if (!t->trend) {
		t->busy_us = b->busy_us;
		t->rwnd_limited_us = b->rwnd_limited_us;
		t->sndbuf_limited_us = b->sndbuf_limited_us;
		t->bytes_acked = b->bytes_acked;
		t->bytes_received = b->bytes_received;
		return;
	}
	t->span = series_between_s(ser, i, t->last);
	t->busy_us = grew(a->busy_us, b->busy_us);
	t->rwnd_limited_us = grew(a->rwnd_limited_us, b->rwnd_limited_us);
	t->sndbuf_limited_us = grew(a->sndbuf_limited_us, b->sndbuf_limited_us);
	t->bytes_acked = grew(a->bytes_acked, b->bytes_acked);
	t->bytes_received = grew(a->bytes_received, b->bytes_received);
}

static bool worse(const struct conn_track *a, const struct conn_track *b)
{
	return a->rank[0] > b->rank[0] || (a->rank[0] == b->rank[0] && a->rank[1] > b->rank[1]);
}

/* Insertion sort: stable, and the lists are short. */
static void sort_worst_first(struct conn_track *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct conn_track t = v[i];
		unsigned j = i;

		while (j && worse(&t, &v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

unsigned conn_track_collect(const struct series *ser, struct conn_track *out, unsigned max,
			    conn_track_keep_fn keep, const void *ctx)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];

		for (uint32_t j = 0; j < s->n_conns && n < max; j++) {
			const struct s_conn *c = &s->conns[j];

			/* The cookie keeps a connection to one track: the
			 * one begun at its first appearance. */
			if (!c->has_info || seen_before(ser, i, c))
				continue;
			track(ser, i, c, &out[n]);
			/* !c: a twin without tcp_info shadows it everywhere. */
			if (out[n].c && keep(&out[n], ctx))
				n++;
		}
	}
	sort_worst_first(out, n);
	return n;
}

unsigned conn_track_pct(uint64_t part, uint64_t whole)
{
	return whole ? (unsigned)(part * 100 / whole) : 0;
}

const struct s_proc *conn_track_owner(const struct conn_track *t)
{
	return diag_owner(t->s, t->c->owner);
}

void conn_track_ss(char *buf, size_t size, const struct s_conn *c)
{
	char l[ADDR_STR_MAX], r[ADDR_STR_MAX];

	addr_endpoint(l, c->family, c->saddr, c->sport);
	addr_endpoint(r, c->family, c->daddr, c->dport);
	snprintf(buf, size, "ss -tin 'src %s and dst %s'", l, r);
}

void conn_track_share_evidence(struct finding *f, const struct conn_track *t,
			       const char *name, uint64_t limited_us)
{
	unsigned pct = conn_track_pct(limited_us, t->busy_us);
	char ss[160], sp[FINDING_SPAN_MAX];

	conn_track_ss(ss, sizeof(ss), t->c);
	if (t->trend)
		finding_evidence(f, "%s: %s %llu ms of busy %llu ms (%u%%) %s",
				 ss, name, (unsigned long long)(limited_us / 1000),
				 (unsigned long long)(t->busy_us / 1000), pct, finding_span(sp, "in", t->span));
	else
		finding_evidence(f, "%s: %s %llu ms of busy %llu ms (%u%%) over the connection's life",
				 ss, name, (unsigned long long)(limited_us / 1000),
				 (unsigned long long)(t->busy_us / 1000), pct);
}

void conn_track_who(char *buf, size_t size, const struct conn_track *t)
{
	const struct s_proc *p = conn_track_owner(t);

	if (p)
		snprintf(buf, size, "; process %s[%u]", p->comm, p->pid);
	else if (size)
		buf[0] = '\0';
}

void conn_track_subject(struct finding *f, const struct conn_track *t)
{
	const struct s_conn *c = t->c;
	char l[ADDR_STR_MAX], r[ADDR_STR_MAX];

	addr_endpoint(l, c->family, c->saddr, c->sport);
	addr_endpoint(r, c->family, c->daddr, c->dport);
	diag_appendf(f->subject, sizeof(f->subject), "connection %s -> %s", l, r);
}

unsigned conn_track_next_lead(const struct conn_track *cand, unsigned n, unsigned k)
{
	while (k < n && cand[k].used)
		k++;
	return k;
}

static bool same_service(const struct sample *last, const struct s_conn *a, const struct s_conn *b)
{
	bool la = sample_port_listening(last, a->sport), lb = sample_port_listening(last, b->sport);

	if (la != lb || a->family != b->family)
		return false;
	if (la)
		return a->sport == b->sport && !memcmp(a->saddr, b->saddr, sizeof(a->saddr));
	return a->dport == b->dport && !memcmp(a->daddr, b->daddr, sizeof(a->daddr));
}

void conn_track_list(const struct series *ser, struct conn_track *cand, unsigned n,
		     unsigned lead, unsigned max, struct finding *f,
		     conn_track_evidence_fn evidence, const void *ctx)
{
	const struct sample *last = series_last(ser);
	const struct conn_track *v = &cand[lead];
	unsigned listed = 0, more = 0;

	for (unsigned k = lead; k < n; k++) {
		struct conn_track *w = &cand[k];

		if (w->used || w->kind != v->kind || !same_service(last, w->c, v->c))
			continue;
		w->used = true;
		if (listed++ < max)
			evidence(f, w, ctx);
		else
			more++;
	}
	if (more)
		finding_evidence(f, "%u more connection%s of the same service show the same (not listed)",
				 more, more == 1 ? "" : "s");
}
