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
};

/*
 * The view as a Prometheus text exposition (0.0.4) on fp (names in
 * docs/exporter.md). v NULL (no sample yet, or it failed): only self.
 * v->all_listeners must be set (report_view_set_all_listeners) for the
 * per-listener series.
 */
int report_prom(FILE *fp, const struct report_view *v, const struct prom_self *self,
		struct strbuf *err);

#endif
