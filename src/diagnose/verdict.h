/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_VERDICT_H
#define SOCKVET_DIAGNOSE_VERDICT_H

/*
 * The verdict: what a set of findings amounts to, and the names of
 * severities and sides. Diagnose owns these so that the exit status
 * (src/cmd/triage_run.c), the lab's check and every report format read
 * the same answer without going through a renderer.
 */

#include <stdbool.h>

#include "finding.h"

/* The worst finding above info, or healthy when there is none. */
struct verdict {
	bool healthy;
	enum severity severity;  /* SEV_INFO when healthy */
	enum side side;          /* SIDE_NONE when healthy */
};

/* Among equally severe findings the first one (findings come worst and
 * most relevant first) names the side. */
void verdict_of(const struct findings *fs, struct verdict *v);

/* "info", "warning", "critical"; "?" out of range. */
const char *verdict_severity_name(enum severity s);
/* "none", "app", "kernel", "network"; "?" out of range. */
const char *verdict_side_name(enum side s);
/* The same in capitals, as the text report and the lab print a side ("APP"). */
const char *verdict_side_label(enum side s);

/* The verdict's own words: severity "healthy" and side "none" when healthy. */
const char *verdict_severity_word(const struct verdict *v);
const char *verdict_side_word(const struct verdict *v);

#endif
