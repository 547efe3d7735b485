/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_REPORT_H
#define SOCKVET_RENDER_REPORT_H

/*
 * The triage report: one set of findings and the series they came from,
 * two faces (text for people, JSON for machines). Renderers read only
 * what they are given; the command picks the exit code.
 */

#include <stdbool.h>
#include <stdio.h>

#include "../diagnose/finding.h"
#include "../util/strbuf.h"

struct report {
	const struct series *ser;
	const struct findings *fs;
	const struct focus *opts;
	const char *focus;       /* "--port 8080 --symptom refused", or "" */
	bool color;              /* text only */
};

/* The worst finding's severity/side; healthy when none above info. */
bool report_worst(const struct findings *fs, enum severity *sev, enum side *side);

const char *report_side_name(enum side s);        /* "app", "kernel", ... */
const char *report_severity_name(enum severity s); /* "info", ... */

int report_text(FILE *fp, const struct report *r, struct strbuf *err);
int report_json(FILE *fp, const struct report *r, bool pretty, struct strbuf *err);

#endif
