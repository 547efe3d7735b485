// SPDX-License-Identifier: GPL-2.0-or-later
#include "watch_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "owner_cache.h"
#include "../collect/sample_collect.h"
#include "../collect/sockdiag.h"
#include "../diagnose/rules.h"
#include "../filter/filter.h"
#include "../model/tally.h"

int watch_run_open(struct watch_run *w, struct strbuf *err)
{
	w->fs = calloc(1, sizeof(*w->fs));
	w->rv = calloc(1, sizeof(*w->rv));
	w->trace = malloc(sizeof(*w->trace));
	w->owners = calloc(1, sizeof(*w->owners));
	for (unsigned i = 0; i < WATCH_KEEP; i++)
		w->buf[i] = malloc(sizeof(*w->buf[i]));
	for (unsigned i = 0; i < WATCH_KEEP; i++)
		if (!w->buf[i])
			return error_set(err, "out of memory");
	if (!w->fs || !w->rv || !w->trace || !w->owners)
		return error_set(err, "out of memory");
	trace_init(w->trace);
	return sockdiag_session_open(&w->ds, err);
}

void watch_run_close(struct watch_run *w)
{
	sockdiag_session_close(w->ds);
	w->ds = NULL;
	for (unsigned i = 0; i < WATCH_KEEP; i++) {
		free(w->buf[i]);
		w->buf[i] = NULL;
	}
	free(w->fs);
	free(w->rv);
	free(w->trace);
	free(w->owners);
	w->owners = NULL;
	w->fs = NULL;
	w->rv = NULL;
	w->trace = NULL;
}

/* The window in time order: the newest WATCH_KEEP samples. */
static void window_order(struct watch_run *w)
{
	unsigned n = w->taken < WATCH_KEEP ? (unsigned)w->taken : WATCH_KEEP;

	for (unsigned k = 0; k < n; k++)
		w->cs[k] = w->buf[(w->taken - n + k) % WATCH_KEEP];
	w->ser.s = w->cs;
	w->ser.n = n;
	w->ser.interval_s = w->interval;
}

/*
 * One sample. Listeners' owners come from the owner cache (owner_cache.h):
 * a full /proc walk only when a listener appears that no walk has named
 * (then the sample is taken again with it), and every OWNERS_REFRESH
 * samples; every other refresh is triage's AUTO mode and the cache fills
 * in the names, so every sample in the window is attributed.
 */
int watch_collect_owned(struct owner_cache *c, struct sample *s, struct sample_opts *so,
			struct strbuf *err)
{
	so->owners = owner_cache_mode(c);
	if (sample_collect(s, so, err))
		return -1;
	if (!owner_cache_apply(c, s, so->owners == SAMPLE_OWNERS_ALWAYS)) {
		so->owners = SAMPLE_OWNERS_ALWAYS;
		if (sample_collect(s, so, err))
			return -1;
		owner_cache_apply(c, s, true);
	}
	return 0;
}

static int collect_one(struct watch_run *w, struct sample *s, struct strbuf *err)
{
	struct sample_opts so = { .want_port = w->o.port, .session = w->ds, .kmsg = true };
	double t0 = triage_mono_s();

	if (watch_collect_owned(w->owners, s, &so, err))
		return -1;
	w->last_cost_s = triage_mono_s() - t0;
	return 0;
}

int watch_run_refresh(struct watch_run *w, struct strbuf *err)
{
	struct sample *s = w->buf[w->taken % WATCH_KEEP];

	if (collect_one(w, s, err))
		return -1;
	trace_add(w->trace, s, w->last_cost_s);
	w->taken++;
	window_order(w);
	diagnose_run(&w->ser, &w->o, w->fs);
	if (report_view_build(w->rv, &w->ser, w->fs, &w->o, NULL, err) ||
	    report_view_set_netns(w->rv, w->netns, err))
		return -1;
	report_view_set_trace(w->rv, w->trace);
	return 0;
}

int watch_run_status(const struct watch_run *w)
{
	return triage_exit_status(w->fs);
}

static int detail_cb(const struct sock_rec *r, void *ctx)
{
	void **c = ctx;
	const struct filter *f = c[0];

	if (filter_match(f, r, NULL, NULL))
		tally_add(c[1], r);
	return SOCK_CB_OK;
}

static int detail_dump(struct watch_run *w, uint16_t port, struct sock_tally *t,
		       struct strbuf *err)
{
	struct filter *f = malloc(sizeof(*f));
	struct filter_bc *bc = malloc(sizeof(*bc));
	struct diag_query q = { .session = w->ds, .tables = TBL_BIT(TBL_TCP),
				.states = SS_ALL_STATES };
	char text[32];
	void *ctx[2] = { f, t };
	int ret = -1;

	if (!f || !bc) {
		error_set(err, "out of memory");
		goto out;
	}
	snprintf(text, sizeof(text), "sport = :%u", port);
	filter_init(f);
	f->svc_protos = FILTER_SVC_TCP;
	if (filter_parse(f, text, err) || filter_compile(f, 0, bc, err))
		goto out;
	q.bytecode = bc->len ? bc->code : NULL;
	q.bytecode_len = bc->len;
	tally_init(t);
	ret = sockdiag_collect(&q, detail_cb, ctx, err);
out:
	free(f);
	free(bc);
	return ret;
}

void watch_run_detail(struct watch_run *w, unsigned slot, struct watch_detail *d)
{
	const struct trace_lslot *k = &w->trace->lslot[slot];
	const struct sample *s = w->taken ? w->buf[(w->taken - 1) % WATCH_KEEP] : NULL;
	struct strbuf err = STRBUF_INIT;
	struct sock_tally *t = malloc(sizeof(*t));

	memset(d, 0, sizeof(*d));
	memcpy(d->endpoint, k->endpoint, sizeof(d->endpoint));
	d->port = k->port;
	memcpy(d->comm, k->comm, sizeof(d->comm));
	d->pid = k->pid;
	if (!t || detail_dump(w, k->port, t, &err)) {
		snprintf(d->error, sizeof(d->error), "%s", err.len ? err.buf : "out of memory");
	} else {
		d->have_states = true;
		d->total = t->total;
		tally_tcp_states(t, d->states);
	}
	for (uint32_t i = 0; s && k->pid && i < s->n_procs; i++) {
		if (s->procs[i].pid != k->pid)
			continue;
		d->have_fds = true;
		d->fds = s->procs[i].fds;
		d->has_limit = s->procs[i].has_limit;
		d->nofile_soft = s->procs[i].nofile_soft;
		d->nofile_hard = s->procs[i].nofile_hard;
	}
	free(t);
	strbuf_release(&err);
}
