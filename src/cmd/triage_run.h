/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_TRIAGE_RUN_H
#define SOCKVET_CMD_TRIAGE_RUN_H

/*
 * The triage pipeline without the printing: take the samples in the
 * current network namespace (sleeping between them), run every rule.
 * Shared by `sockvet` (cmd_triage.c) and `sockvet lab` (cmd_lab.c), which
 * each render the result their own way.
 */

#include "../diagnose/finding.h"
#include "../filter/filter.h"
#include "../util/strbuf.h"

#define TRIAGE_SAMPLES_MAX 8      /* a trend needs 2; 8 caps memory (~2 MiB each) */

struct triage_run {
	/* in */
	struct focus o;
	unsigned samples;         /* 1..TRIAGE_SAMPLES_MAX */
	double interval;          /* seconds between samples */
	/* out, valid after triage_run() returned 0 */
	struct sample *buf[TRIAGE_SAMPLES_MAX];
	const struct sample *cs[TRIAGE_SAMPLES_MAX];
	struct series ser;
	struct findings *fs;
	struct filter_bc *peer_bc;   /* with a peer: its kernel program */
};

/* Collect and diagnose; 0, or negative with a message in err. */
int triage_run(struct triage_run *t, struct strbuf *err);
void triage_run_release(struct triage_run *t);

/* The exit status a set of findings earns: 0 healthy, 1 warning, 2 critical. */
int triage_exit_status(const struct findings *fs);

#endif
