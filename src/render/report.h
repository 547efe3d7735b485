/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_REPORT_H
#define SOCKVET_RENDER_REPORT_H

/*
 * The triage report's formats: text for people, JSON for machines. Each
 * renders one report view (report_view.h) and nothing else; the view is
 * built once from the series and the findings. The verdict and its
 * names are diagnose's (verdict.h); the command picks the exit code.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "json_writer.h"
#include "report_view.h"
#include "../util/strbuf.h"

int report_text(FILE *fp, const struct report_view *v, bool color, struct strbuf *err);

/* Prose (escaped) at 76 columns after `indent` spaces, ending in a newline. */
void report_text_wrap(FILE *fp, const char *text, int indent);

/* The findings alone, worst first, with their changes and verify
 * commands (report_view_build_findings; --all-netns's host-wide part). */
int report_text_findings(FILE *fp, const struct report_view *v, bool color, struct strbuf *err);

/* The report as one JSON document on fp (schema in report_json.c). */
int report_json(FILE *fp, const struct report_view *v, bool pretty, struct strbuf *err);
/* The same document as one value into w, to nest it in another document
 * (the lab's "report"); errors are w's, sticky, checked when w finishes. */
int report_json_write(struct json_writer *w, const struct report_view *v);
/* Its "verdict" and "findings" members alone, into the object open in w. */
void report_json_write_findings(struct json_writer *w, const struct report_view *v);

/*
 * The report as one self-contained HTML page (report_html.c): the
 * verdict, plots of view->trace, the evidence tables. No fetch of any
 * kind; every outside string escaped.
 */
int report_html(FILE *fp, const struct report_view *v, struct strbuf *err);
/* The same into path, atomically (path.tmp, then rename). */
int report_html_file(const char *path, const struct report_view *v, struct strbuf *err);
/* As report_html_file; when v has no trace, one is built from ser's
 * samples for the plots (sockvet analyze). v->trace is NULL again after. */
int report_html_file_series(const char *path, struct report_view *v, const struct series *ser,
			    struct strbuf *err);

/* The exporter's own health, rendered after the view's metrics. */
struct prom_self {
	unsigned window;          /* samples the rules judged */
	uint64_t samples, errors; /* taken, failed, since start */
	double sample_s;          /* the newest sample's cost; < 0 unknown */
	double render_s;          /* the previous exposition's diagnose+render; < 0 unknown */
	int64_t last_unix;        /* the newest sample's time; 0 none */
	bool all_netns;           /* --all-netns: the three counts below are exported */
	unsigned netns_sampled, netns_skipped, netns_past_limit;
};

/*
 * The view as a Prometheus text exposition (0.0.4) on fp (names in
 * docs/exporter.md). v NULL (no sample yet, or it failed): only self.
 * v->all_listeners must be set (report_view_set_all_listeners) for the
 * per-listener series.
 */
int report_prom(FILE *fp, const struct report_view *v, const struct prom_self *self,
		struct strbuf *err);

/*
 * One part of the view, for `sockvet exporter --all-netns`, which renders
 * each namespace's part and merges the families (prom_merge.h):
 * PROM_PART_NETNS   what is per network namespace (listeners, states,
 *                   counters, per-namespace limits, healthy, findings,
 *                   rules not run), every series led by `labels`
 *                   (key, value pairs, NULL-terminated; listeners get no
 *                   netns label of their own then);
 * PROM_PART_HOST    the host-wide values (file-nr, tcp_mem, orphans:
 *                   finding_scope.h), no extra labels;
 * PROM_PART_FINDINGS  sockvet_finding alone (the host-wide findings).
 */
enum prom_part { PROM_PART_NETNS, PROM_PART_HOST, PROM_PART_FINDINGS };
int report_prom_part(FILE *fp, const struct report_view *v, enum prom_part part,
		     const char *const *labels, struct strbuf *err);

/*
 * The text exposition's families merged across renderings: each family's
 * HELP and TYPE once, then every sample of it from every rendering
 * added, in the order added; families in the order first seen.
 */
struct prom_merge;
struct prom_merge *prom_merge_new(void);
/* Add one rendering. -1 with err: a family typed twice differently, a
 * sample before any family, out of memory. */
int prom_merge_add(struct prom_merge *m, const char *text, size_t len, struct strbuf *err);
int prom_merge_write(const struct prom_merge *m, FILE *fp);
/* Empty again, memory kept for the next round. */
void prom_merge_reset(struct prom_merge *m);
void prom_merge_free(struct prom_merge *m);

#endif
