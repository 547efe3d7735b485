/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TEST_SERIES_FIXTURE_H
#define SOCKVET_TEST_SERIES_FIXTURE_H

/*
 * Synthetic sample series for rule tests: fx_new(n, interval) gives n
 * zeroed samples, 'interval' seconds apart, with the default sysctls of
 * a 6.18 host (somaxconn 4096, syncookies 1, port range 32768-60999,
 * ...); tests then set exactly the values their case is about.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "../../src/diagnose/rules.h"

/* The inputs a synthetic sample represents unless a test says otherwise. */
#define FX_HAVE (HAVE_SOCKETS | HAVE_CONN_STATES | HAVE_LISTEN_DROPS | HAVE_MIB | HAVE_SYSCTL | HAVE_SOCKSTAT | HAVE_FDS | \
		 HAVE_CONNTRACK | HAVE_UNIX_LISTENERS | HAVE_UDP)

struct fx {
	struct sample *s[8];
	const struct sample *cs[8];
	struct series ser;
	struct focus opts;
	struct findings out;
};

static inline void fx_sysctl(struct sample *s, enum sysctl_id id, int n, ...)
{
	struct sysctl_val *v = &s->sysctl.val[id];
	va_list ap;

	v->present = true;
	v->n = (unsigned)n;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v->v[i] = va_arg(ap, int64_t);
	va_end(ap);
	snprintf(v->text, sizeof(v->text), "%lld", (long long)v->v[0]);
}

static inline struct fx *fx_new(unsigned n, double interval)
{
	struct fx *f = calloc(1, sizeof(*f));

	for (unsigned i = 0; i < n; i++) {
		struct sample *s = malloc(sizeof(*s));

		sample_init(s);
		s->meta.mono_ns = (int64_t)(i * interval * 1e9);
		snprintf(s->meta.host, sizeof(s->meta.host), "testhost");
		/* What every live sample has; the bits a rule tests itself
		 * (owners, kernel log, connections, conntrack, file-nr) are
		 * set by the tests that are about them. */
		s->have |= FX_HAVE;
		fx_sysctl(s, SYSCTL_SOMAXCONN, 1, (int64_t)4096);
		fx_sysctl(s, SYSCTL_TCP_MAX_SYN_BACKLOG, 1, (int64_t)2048);
		fx_sysctl(s, SYSCTL_TCP_SYNCOOKIES, 1, (int64_t)1);
		fx_sysctl(s, SYSCTL_TCP_ABORT_ON_OVERFLOW, 1, (int64_t)0);
		fx_sysctl(s, SYSCTL_IP_LOCAL_PORT_RANGE, 2, (int64_t)32768, (int64_t)60999);
		fx_sysctl(s, SYSCTL_TCP_TW_REUSE, 1, (int64_t)2);
		fx_sysctl(s, SYSCTL_TCP_FIN_TIMEOUT, 1, (int64_t)60);
		fx_sysctl(s, SYSCTL_TCP_MAX_TW_BUCKETS, 1, (int64_t)131072);
		fx_sysctl(s, SYSCTL_TCP_MAX_ORPHANS, 1, (int64_t)131072);
		fx_sysctl(s, SYSCTL_TCP_MEM, 3, (int64_t)287901, (int64_t)383868, (int64_t)575802);
		fx_sysctl(s, SYSCTL_FILE_MAX, 1, (int64_t)2466186);
		fx_sysctl(s, SYSCTL_NR_OPEN, 1, (int64_t)1048576);
		s->sysctl.val[SYSCTL_IP_LOCAL_RESERVED_PORTS].present = true;
		f->s[i] = s;
		f->cs[i] = s;
	}
	f->ser.s = f->cs;
	f->ser.n = n;
	f->ser.interval_s = interval;
	f->opts.port = -1;
	f->opts.peer.port = -1;
	return f;
}

static inline void fx_free(struct fx *f)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		free(f->s[i]);
	free(f);
}

/* Set a counter in sample i (nstat name). */
static inline void fx_mib(struct fx *f, unsigned i, const char *name, uint64_t v)
{
	mib_set(&f->s[i]->mib, name, strlen(name), v);
	mib_sort(&f->s[i]->mib);
}

/* Add a TCP listener to sample i; returns it for further tweaks. */
/* A TCP listener into sample s (any sample, not only a fixture's). */
static inline struct s_listener *fx_sample_listener(struct sample *s, const char *addr,
						    uint16_t port, uint32_t rq, uint32_t wq)
{
	struct s_listener *l = &s->listeners[s->n_listeners++];

	memset(l, 0, sizeof(*l));
	l->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(l->family, addr, l->addr);
	l->port = port;
	l->rq = rq;
	l->wq = wq;
	l->owner = -1;
	s->listen_port[port >> 3] |= (uint8_t)(1u << (port & 7));
	return l;
}

static inline struct s_listener *fx_listener(struct fx *f, unsigned i, const char *addr,
					     uint16_t port, uint32_t rq, uint32_t wq)
{
	return fx_sample_listener(f->s[i], addr, port, rq, wq);
}

/*
 * Add an ESTABLISHED connection with tcp_info to sample i, as the
 * collector keeps them (peer: kept for --peer, else for being stuck);
 * returns it for the test to fill the tcp_info fields its case needs.
 */
static inline struct s_conn *fx_conn(struct fx *f, unsigned i, uint64_t cookie,
				     const char *saddr, uint16_t sport,
				     const char *daddr, uint16_t dport, bool peer)
{
	struct sample *s = f->s[i];
	struct s_conn *c = &s->conns[s->n_conns++];

	memset(c, 0, sizeof(*c));
	c->family = strchr(saddr, ':') ? AF_INET6 : AF_INET;
	inet_pton(c->family, saddr, c->saddr);
	inet_pton(c->family, daddr, c->daddr);
	c->sport = sport;
	c->dport = dport;
	c->cookie = cookie;
	c->state = SS_ESTABLISHED;
	c->peer = peer;
	c->has_info = true;
	c->owner = -1;
	s->have |= HAVE_CONNS;
	return c;
}

/* The first finding with this id, or NULL. */
static inline const struct finding *fx_find(const struct fx *f, const char *id)
{
	for (unsigned i = 0; i < f->out.n; i++)
		if (!strcmp(f->out.f[i].id, id))
			return &f->out.f[i];
	return NULL;
}

/* Whether the finding's explanation or one of its evidence lines
 * contains needle. */
static inline bool fx_has_text(const struct finding *x, const char *needle)
{
	if (strstr(x->explanation, needle))
		return true;
	for (unsigned i = 0; i < x->n_evidence; i++)
		if (strstr(x->evidence[i], needle))
			return true;
	return false;
}

/* Run the rule on f, free f, and say whether it gave a finding with this
 * id: for the cases that only ask "fires or not". */
static inline bool fx_fires(struct fx *f, const struct rule *rule, const char *id)
{
	bool found;

	rule_run(rule, &f->ser, &f->opts, &f->out);
	found = fx_find(f, id) != NULL;
	fx_free(f);
	return found;
}

#endif
