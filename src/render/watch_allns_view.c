// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet watch --all-netns`'s view (watch_view.h): each namespace's
 * view is built from its own trace into a scratch view, then its rows
 * are merged (the best WATCH_ROWS_MAX kept, by the sort in force) and
 * its states and counters either copied (the chosen namespace) or added
 * up (the sum).
 */
#include "watch_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *watch_netns_short(const char *label, char *out, size_t n)
{
	const char *p = label;
	size_t len;

	if (!strncmp(p, "named ", 6))
		p += 6;
	len = strcspn(p, "(");
	while (len && p[len - 1] == ' ')
		len--;
	snprintf(out, n, "%.*s", (int)len, p);
	return out;
}

/* Row r of namespace i into w: appended, or in place of the least wanted. */
static void row_merge(struct watch_view *w, const struct watch_listener *r, unsigned i,
		      const char *label, const struct watch_view_opts *o)
{
	struct watch_listener *dst;

	if (w->n_rows < WATCH_ROWS_MAX) {
		dst = &w->rows[w->n_rows++];
	} else {
		unsigned worst = 0;

		for (unsigned k = 1; k < w->n_rows; k++)
			if (watch_view_row_cmp(&w->rows[k], &w->rows[worst], (void *)&o->sort) > 0)
				worst = k;
		w->rows_folded++;
		if (watch_view_row_cmp(r, &w->rows[worst], (void *)&o->sort) >= 0)
			return;
		dst = &w->rows[worst];
	}
	*dst = *r;
	dst->ns = i;
	watch_netns_short(label, dst->netns, sizeof(dst->netns));
}

/* a's newest points onto sum's, aligned on the newest. */
static void spark_add(struct watch_spark *sum, const struct watch_spark *a)
{
	unsigned n = a->n > sum->n ? a->n : sum->n;

	if (a->n > sum->n) {     /* shift the sum right to make room on the left */
		unsigned d = a->n - sum->n;

		memmove(sum->v + d, sum->v, sum->n * sizeof(sum->v[0]));
		memmove(sum->known + d, sum->known, sum->n * sizeof(sum->known[0]));
		for (unsigned k = 0; k < d; k++) {
			sum->v[k] = 0;
			sum->known[k] = true;
		}
		sum->n = n;
	}
	for (unsigned k = 0; k < a->n; k++) {
		unsigned at = n - a->n + k;

		sum->v[at] += a->known[k] ? a->v[k] : 0;
		sum->known[at] = sum->known[at] && a->known[k];
	}
}

static void states_counters_add(struct watch_view *w, const struct watch_view *a, bool first)
{
	if (first) {
		w->have_states = a->have_states;
		w->n_states = a->n_states;
		memcpy(w->states, a->states, sizeof(w->states));
		w->n_counters = a->n_counters;
		memcpy(w->counters, a->counters, sizeof(w->counters));
		return;
	}
	for (unsigned j = 0; j < w->n_states && j < a->n_states && a->have_states; j++) {
		w->states[j].n += a->states[j].n;
		w->states[j].delta += a->states[j].delta;
		w->states[j].delta_known = w->states[j].delta_known && a->states[j].delta_known;
		spark_add(&w->states[j].spark, &a->states[j].spark);
	}
	for (unsigned j = 0; j < w->n_counters && j < a->n_counters; j++) {
		w->counters[j].per_s += a->counters[j].known ? a->counters[j].per_s : 0;
		w->counters[j].known = w->counters[j].known || a->counters[j].known;
		spark_add(&w->counters[j].spark, &a->counters[j].spark);
	}
}

void watch_view_build_allns(struct watch_view *w, struct watch_view *scratch,
			    const struct watch_ns_src *ns, unsigned n, int pane,
			    const struct report_view *rv, const struct watch_view_opts *o)
{
	bool summed = false;
	char label[WATCH_NETNS_SHORT];

	watch_view_build(w, NULL, rv, o);
	w->all_netns = true;
	w->judged = 1;
	w->n_netns = n;
	if (pane >= (int)n)
		pane = -1;
	for (unsigned i = 0; i < n; i++) {
		if (!ns[i].t || !trace_last(ns[i].t))
			continue;
		watch_view_build(scratch, ns[i].t, NULL, o);
		if (scratch->time_unix > w->time_unix)
			w->time_unix = scratch->time_unix;
		w->cost_s += scratch->cost_s;
		if (scratch->refreshes > w->refreshes)
			w->refreshes = scratch->refreshes;
		w->n_tracked += scratch->n_tracked;
		w->untracked += scratch->untracked;
		for (unsigned k = 0; k < scratch->n_rows; k++)
			row_merge(w, &scratch->rows[k], i, ns[i].label, o);
		if (pane < 0 || (unsigned)pane == i) {
			states_counters_add(w, scratch, !summed);
			summed = true;
		}
	}
	qsort_r(w->rows, w->n_rows, sizeof(w->rows[0]), watch_view_row_cmp, (void *)&o->sort);
	if (pane < 0)
		snprintf(w->pane_netns, sizeof(w->pane_netns), "sum of %u namespaces", n);
	else
		snprintf(w->pane_netns, sizeof(w->pane_netns), "netns %s",
			 watch_netns_short(ns[pane].label, label, sizeof(label)));
}
