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
#include "../model/trace.h"
#include "../util/strbuf.h"

/*
 * Up to TRIAGE_SAMPLES_MAX samples are taken (an hour at one a second);
 * the rules read TRIAGE_KEEP of them, the first and the newest, because
 * a sample is ~2 MiB and every rule judges a trend from the first to the
 * last or across consecutive samples. Every sample goes into the trace
 * (a few numbers each) for the plots.
 */
#define TRIAGE_SAMPLES_MAX 3600
#define TRIAGE_KEEP 8

struct triage_run {
	/* in */
	struct focus o;
	unsigned samples;         /* 1..TRIAGE_SAMPLES_MAX */
	double interval;          /* seconds between samples */
	/* out, valid after triage_run() returned 0 */
	struct sample *buf[TRIAGE_KEEP];
	const struct sample *cs[TRIAGE_KEEP];
	struct series ser;
	struct findings *fs;
	struct filter_bc *peer_bc;   /* with a peer: its kernel program */
	struct trace *trace;         /* every sample, for plots (allocated) */
};

/* Collect and diagnose; 0, or negative with a message in err. */
int triage_run(struct triage_run *t, struct strbuf *err);
void triage_run_release(struct triage_run *t);

/* Seconds on the monotonic clock; sleep s seconds (signals do not cut it short). */
double triage_mono_s(void);
void triage_sleep_s(double s);

/* The exit status a set of findings earns: 0 healthy, 1 warning, 2 critical. */
int triage_exit_status(const struct findings *fs);

#endif
