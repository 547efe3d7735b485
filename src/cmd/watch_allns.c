// SPDX-License-Identifier: GPL-2.0-or-later
/* watch --all-netns: every namespace each refresh; see watch_allns.h. */
#include "watch_allns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../collect/sample_collect.h"
#include "../collect/sockdiag.h"
#include "../diagnose/finding_scope.h"
#include "../diagnose/rules.h"
#include "triage_run.h"
#include "watch_run.h"

int watch_allns_open(struct watch_allns *a, struct strbuf *err)
{
	a->ns = calloc(a->max_netns, sizeof(*a->ns));
	a->src = calloc(a->max_netns, sizeof(*a->src));
	a->buf = malloc(sizeof(*a->buf));
	a->oc = calloc(1, sizeof(*a->oc));
	a->fs = calloc(1, sizeof(*a->fs));
	a->hw = calloc(1, sizeof(*a->hw));
	a->all = calloc(1, sizeof(*a->all));
	a->rv = calloc(1, sizeof(*a->rv));
	if (!a->ns || !a->src || !a->buf || !a->oc || !a->fs || !a->hw || !a->all || !a->rv)
		return error_set(err, "out of memory");
	report_view_build_findings(a->rv, a->all);
	return 0;
}

static void ns_free(struct watch_ns *n)
{
	free(n->trace);
	free(n->owners);
	memset(n, 0, sizeof(*n));
}

void watch_allns_close(struct watch_allns *a)
{
	for (unsigned i = 0; a->ns && i < a->n_ns; i++)
		ns_free(&a->ns[i]);
	free(a->ns);
	free(a->src);
	free(a->buf);
	free(a->oc);
	free(a->fs);
	free(a->hw);
	free(a->all);
	free(a->rv);
	memset(a, 0, sizeof(*a));
}

int watch_allns_status(const struct watch_allns *a)
{
	return a->all ? triage_exit_status(a->all) : SV_EXIT_OK;
}

/* The kept state of entry e: found by (dev, ino), or a new slot. */
static struct watch_ns *ns_slot(struct watch_allns *a, const struct netns_entry *e)
{
	struct watch_ns *n;

	for (unsigned i = 0; i < a->n_ns; i++)
		if (a->ns[i].dev == e->dev && a->ns[i].ino == e->ino)
			return &a->ns[i];
	if (a->n_ns == a->max_netns)
		return NULL;
	n = &a->ns[a->n_ns];
	n->trace = malloc(trace_size(WATCH_ALLNS_POINTS));
	if (!n->trace)
		return NULL;
	trace_init_cap(n->trace, WATCH_ALLNS_POINTS);
	n->dev = e->dev;
	n->ino = e->ino;
	a->n_ns++;
	return n;
}

/* The namespace's owners into the scratch cache, and back after the sample. */
static void owners_load(struct owner_cache *c, const struct watch_ns *n)
{
	c->n = n->n_owners;
	if (n->n_owners)
		memcpy(c->e, n->owners, n->n_owners * sizeof(c->e[0]));
	c->primed = n->primed;
	c->since_full = n->since_full;
}

static void owners_store(const struct owner_cache *c, struct watch_ns *n)
{
	struct owner_entry *e = realloc(n->owners, (c->n ? c->n : 1) * sizeof(*e));

	if (!e)
		return;          /* the old owners stay: the next full walk names them */
	memcpy(e, c->e, c->n * sizeof(*e));
	n->owners = e;
	n->n_owners = c->n;
	n->primed = c->primed;
	n->since_full = c->since_full;
}

/* This namespace's findings into the merged set, subjects prefixed. */
static void findings_merge(struct watch_allns *a, const struct findings *fs, uint64_t ino,
			   const char *label)
{
	char shortl[WATCH_NETNS_SHORT];
	char subject[sizeof(fs->f[0].subject)];

	watch_netns_short(label, shortl, sizeof(shortl));
	for (unsigned i = 0; i < fs->n; i++) {
		struct finding *f;

		if (a->all->n == FINDINGS_MAX) {
			a->all->dropped++;
			continue;
		}
		a->finding_ino[a->all->n] = ino;
		f = &a->all->f[a->all->n++];
		*f = fs->f[i];
		snprintf(subject, sizeof(subject), "[%s] %s", !ino ? "host-wide" : shortl, f->subject);
		memcpy(f->subject, subject, sizeof(subject));
	}
}

static int visit(struct netns_entry *e, void *ctx, struct strbuf *err)
{
	struct watch_allns *a = ctx;
	struct watch_ns *n = ns_slot(a, e);
	struct sample_opts so = { .want_port = a->o.port, .kmsg = e->host };
	struct strbuf why = STRBUF_INIT;
	struct series ser = { .s = a->cs, .n = 1, .interval_s = a->interval };
	double t0 = triage_mono_s();

	(void)err;
	if (!n) {
		a->past++;
		return 0;
	}
	n->seen = true;
	netns_label(e, n->label, sizeof(n->label));
	netns_run_name(e, n->run_in, sizeof(n->run_in));
	owners_load(a->oc, n);
	if (sockdiag_session_open(&so.session, &why) ||
	    watch_collect_owned(a->oc, a->buf, &so, &why)) {
		snprintf(e->skipped, sizeof(e->skipped), "%s", why.buf);
		n->seen = false;
		a->past++;
	} else {
		owners_store(a->oc, n);
		trace_add(n->trace, a->buf, triage_mono_s() - t0);
		a->cs[0] = a->buf;
		diagnose_run(&ser, &a->o, a->fs);
		findings_take_host_wide(a->fs, a->hw);
		findings_merge(a, a->fs, n->ino, n->label);
	}
	sockdiag_session_close(so.session);
	strbuf_release(&why);
	return 0;
}

/* Namespaces gone since the last refresh: their state freed, the rest packed. */
static void ns_compact(struct watch_allns *a)
{
	unsigned k = 0;

	for (unsigned i = 0; i < a->n_ns; i++) {
		if (!a->ns[i].seen) {
			ns_free(&a->ns[i]);
			continue;
		}
		if (k != i) {
			a->ns[k] = a->ns[i];
			memset(&a->ns[i], 0, sizeof(a->ns[i]));
		}
		a->src[k].t = a->ns[k].trace;
		a->src[k].label = a->ns[k].label;
		a->src[k].inode = a->ns[k].ino;
		a->src[k].run_in = a->ns[k].run_in;
		k++;
	}
	a->n_ns = k;
}

int watch_allns_refresh(struct watch_allns *a, struct strbuf *err)
{
	struct netns_list l;
	int ret;

	memset(&l, 0, sizeof(l));
	a->all->n = a->all->dropped = a->all->n_not_run = 0;
	a->hw->n = a->hw->dropped = 0;
	a->past = 0;
	for (unsigned i = 0; i < a->n_ns; i++)
		a->ns[i].seen = false;
	ret = netns_list_scan(&l, "/proc", NETNS_RUN_DIR_DEFAULT, err);
	if (!ret) {
		a->past += l.dropped;
		ret = netns_each(&l, visit, a, err);
	}
	netns_list_free(&l);
	if (ret)
		return -1;
	ns_compact(a);
	findings_merge(a, a->hw, 0, "");
	report_view_build_findings(a->rv, a->all);
	a->taken++;
	return 0;
}
