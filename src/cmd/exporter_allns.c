// SPDX-License-Identifier: GPL-2.0-or-later
/* `sockvet exporter --all-netns`: one round over every namespace (exporter_allns.h). */
#include "exporter_allns.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner_cache.h"
#include "../collect/netns_list.h"
#include "../collect/procmap.h"
#include "../collect/sample_collect.h"
#include "../diagnose/finding_scope.h"
#include "../diagnose/rules.h"

/* Listener owners kept between rounds, over every namespace (32 B each). */
#define ALLNS_OWNERS_MAX 16384

struct ns_owner {
	uint64_t netns;
	uint32_t inode, pid;     /* pid 0: a full walk found no owner */
	char comm[16];
};

struct exp_allns {
	const struct focus *fo;
	unsigned max_netns, max_listeners;
	struct sample *smp;              /* one, reused for every namespace */
	struct findings *fs, *hw;        /* this namespace's; host-wide, once each */
	struct report_view *view;
	struct report_listener *rows;
	struct prom_merge *m;
	struct procmap *pm;              /* this round's walk of /proc */
	bool pm_full;                    /* ... with the socket map */
	bool primed;                     /* a full walk has been made */
	unsigned since_full;             /* rounds since the last full walk */
	struct ns_owner *prev, *cur;     /* last round's (sorted), this round's */
	unsigned n_prev, n_cur;
	unsigned sampled;
	bool read_kmsg;                  /* the kernel log is still to read this round */
};

int exp_allns_new(struct exp_allns **out, unsigned max_netns, unsigned max_listeners,
		  const struct focus *fo, struct strbuf *err)
{
	struct exp_allns *a = calloc(1, sizeof(*a));

	*out = a;
	if (!a)
		return error_set(err, "out of memory");
	a->fo = fo;
	a->max_netns = max_netns;
	a->max_listeners = max_listeners;
	a->smp = malloc(sizeof(*a->smp));
	a->fs = malloc(sizeof(*a->fs));
	a->hw = calloc(1, sizeof(*a->hw));
	a->view = malloc(sizeof(*a->view));
	a->rows = calloc(max_listeners, sizeof(*a->rows));
	a->m = prom_merge_new();
	a->prev = malloc(ALLNS_OWNERS_MAX * sizeof(*a->prev));
	a->cur = malloc(ALLNS_OWNERS_MAX * sizeof(*a->cur));
	if (!a->smp || !a->fs || !a->hw || !a->view || !a->rows || !a->m || !a->prev || !a->cur)
		return error_set(err, "out of memory");
	return 0;
}

void exp_allns_free(struct exp_allns *a)
{
	if (!a)
		return;
	procmap_free(a->pm);
	prom_merge_free(a->m);
	free(a->smp);
	free(a->fs);
	free(a->hw);
	free(a->view);
	free(a->rows);
	free(a->prev);
	free(a->cur);
	free(a);
}

static int owner_cmp(const void *x, const void *y)
{
	const struct ns_owner *a = x, *b = y;

	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

static void owner_keep(struct exp_allns *a, uint64_t netns, uint32_t inode, uint32_t pid,
		       const char *comm)
{
	struct ns_owner *o;

	if (a->n_cur >= ALLNS_OWNERS_MAX)
		return;    /* past the bound: named again by the next full walk */
	o = &a->cur[a->n_cur++];
	*o = (struct ns_owner){ .netns = netns, .inode = inode, .pid = pid };
	snprintf(o->comm, sizeof(o->comm), "%s", comm);
}

/*
 * The sample's listeners named: by this round's walk, else by what an
 * earlier round learnt. false: one is neither, and this round's walk has
 * no socket map (the namespace should be sampled again with one).
 */
static bool owners_apply(struct exp_allns *a, uint64_t netns, bool commit)
{
	struct sample *s = a->smp;

	for (uint32_t i = 0; i < s->n_listeners; i++) {
		struct s_listener *l = &s->listeners[i];
		struct ns_owner key = { .netns = netns, .inode = l->inode };
		const struct ns_owner *old;

		if (l->owner >= 0 && (uint32_t)l->owner < s->n_procs) {
			if (commit)
				owner_keep(a, netns, l->inode, s->procs[l->owner].pid,
					   s->procs[l->owner].comm);
		} else if ((old = bsearch(&key, a->prev, a->n_prev, sizeof(key), owner_cmp))) {
			if (commit) {
				owner_give(s, l, old->pid, old->comm);
				owner_keep(a, netns, l->inode, old->pid, old->comm);
			}
		} else if (a->pm_full) {
			if (commit)
				owner_keep(a, netns, l->inode, 0, "");
		} else {
			return false;
		}
	}
	return true;
}

/* This round's walk: the socket map when due, fd counts otherwise. */
static void walk_proc(struct exp_allns *a, bool full)
{
	struct strbuf err = STRBUF_INIT;

	procmap_free(a->pm);
	a->pm = NULL;
	a->pm_full = full;
	if (full ? procmap_build(&a->pm, "/proc", false, &err)
		 : procmap_build_counts(&a->pm, "/proc", &err)) {
		/* Each sample walks for itself then, and says so if it fails too. */
		a->pm = NULL;
		a->pm_full = false;
	}
	if (full && a->pm) {
		a->primed = true;
		a->since_full = 0;
	}
	strbuf_release(&err);
}

static int ns_sample(struct exp_allns *a, bool kmsg, struct strbuf *err)
{
	struct sample_opts so = {
		.want_port = -1, .kmsg = kmsg, .procmap = a->pm,
		.owners = a->pm_full ? SAMPLE_OWNERS_ALWAYS : SAMPLE_OWNERS_AUTO,
	};

	return sample_collect(a->smp, &so, err);
}

/* The namespace's part, rendered and merged. */
static int ns_render(struct exp_allns *a, const struct netns_entry *e, struct strbuf *err)
{
	const struct sample *one[1] = { a->smp };
	struct series ser = { .s = one, .n = 1 };
	char ino[24], owner[NETNS_LABEL_MAX];
	const char *labels[] = { "netns", ino, "netns_owner", owner, NULL };
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	snprintf(ino, sizeof(ino), "%" PRIu64, e->ino);
	netns_label(e, owner, sizeof(owner));
	diagnose_run(&ser, a->fo, a->fs);
	findings_take_host_wide(a->fs, a->hw);
	if (report_view_build(a->view, &ser, a->fs, a->fo, "", err))
		return -1;
	report_view_set_all_listeners(a->view, &ser, a->rows, a->max_listeners);
	if (!(fp = open_memstream(&buf, &len)))
		return error_set(err, "out of memory");
	rc = report_prom_part(fp, a->view, PROM_PART_NETNS, labels, err);
	/* The host-wide values once, from the host's own sample (a fresh
	 * namespace hides tcp_mem and tcp_max_orphans). */
	if (!rc && e->host)
		rc = report_prom_part(fp, a->view, PROM_PART_HOST, NULL, err);
	if (fclose(fp) && !rc)
		rc = error_set(err, "cannot write the exposition");
	if (!rc)
		rc = prom_merge_add(a->m, buf, len, err);
	free(buf);
	return rc;
}

/* netns_each's callback: sample, name the listeners, render. */
static int ns_one(struct netns_entry *e, void *ctx, struct strbuf *err)
{
	struct exp_allns *a = ctx;
	struct strbuf why = STRBUF_INIT;
	bool kmsg = a->read_kmsg;   /* one ring for the host: read once a round */
	int rc = ns_sample(a, kmsg, &why);

	if (!rc && !owners_apply(a, e->ino, false)) {
		walk_proc(a, true);
		strbuf_reset(&why);
		rc = ns_sample(a, kmsg, &why);
	}
	if (rc) {
		snprintf(e->skipped, sizeof(e->skipped), "cannot sample: %s", why.buf);
		strbuf_release(&why);
		return 0;
	}
	strbuf_release(&why);
	if (kmsg)
		a->read_kmsg = false;
	owners_apply(a, e->ino, true);
	a->sampled++;
	return ns_render(a, e, err);
}

/* The host-wide findings (and their verdict), then the exporter's own series. */
static int round_tail(struct exp_allns *a, const struct prom_self *self, struct strbuf *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int rc;

	if (!fp)
		return error_set(err, "out of memory");
	report_view_build_findings(a->view, a->hw);
	rc = report_prom_part(fp, a->view, PROM_PART_FINDINGS, NULL, err);
	if (!rc)
		rc = report_prom(fp, NULL, self, err);
	if (fclose(fp) && !rc)
		rc = error_set(err, "cannot write the exposition");
	if (!rc)
		rc = prom_merge_add(a->m, buf, len, err);
	free(buf);
	return rc;
}

/* The listing, cut at --max-netns; the walk; every namespace visited. */
static int round_visit(struct exp_allns *a, struct prom_self *self, struct strbuf *err)
{
	struct netns_list l;
	int rc;

	memset(&l, 0, sizeof(l));
	if (netns_list_scan(&l, "/proc", NETNS_RUN_DIR_DEFAULT, err)) {
		netns_list_free(&l);
		return -1;
	}
	self->netns_past_limit = l.dropped;
	if (l.n > a->max_netns) {
		self->netns_past_limit += l.n - a->max_netns;
		l.n = a->max_netns;
	}
	walk_proc(a, !a->primed || a->since_full >= OWNERS_REFRESH);
	rc = netns_each(&l, ns_one, a, err);
	self->netns_skipped = 0;
	for (unsigned i = 0; i < l.n; i++)
		self->netns_skipped += l.e[i].skipped[0] != '\0';
	netns_list_free(&l);
	return rc ? -2 : 0;
}

int exp_allns_round(struct exp_allns *a, struct prom_self *self, char **out, size_t *len,
		    struct strbuf *err)
{
	FILE *fp;
	int rc;

	prom_merge_reset(a->m);
	a->hw->n = 0;
	a->hw->dropped = 0;
	a->n_cur = 0;
	a->sampled = 0;
	a->read_kmsg = true;
	a->since_full++;
	rc = round_visit(a, self, err);
	if (rc == -2)
		return -2;
	if (!rc) {
		struct ns_owner *t = a->prev;

		qsort(a->cur, a->n_cur, sizeof(*a->cur), owner_cmp);
		a->prev = a->cur;
		a->cur = t;
		a->n_prev = a->n_cur;
	}
	self->all_netns = true;
	self->netns_sampled = a->sampled;
	self->window = a->sampled ? 1 : 0;
	self->errors += rc != 0;
	if (round_tail(a, self, err))
		return -2;
	fp = open_memstream(out, len);
	if (!fp) {
		error_set(err, "out of memory");
		return -2;
	}
	if (prom_merge_write(a->m, fp) | fclose(fp)) {
		error_set(err, "cannot write the exposition");
		return -2;
	}
	return rc;
}
