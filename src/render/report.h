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

/* The report as one JSON document on fp (schema in report_json.c). */
int report_json(FILE *fp, const struct report_view *v, bool pretty, struct strbuf *err);
/* The same document as one value into w, to nest it in another document
 * (the lab's "report"); errors are w's, sticky, checked when w finishes. */
int report_json_write(struct json_writer *w, const struct report_view *v);

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
