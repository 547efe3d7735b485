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

#endif
