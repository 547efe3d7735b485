/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_WATCH_RUN_H
#define SOCKVET_CMD_WATCH_RUN_H

/*
 * `sockvet watch` without the screen: one refresh takes a sample, adds
 * it to the trace (the sparklines' numbers) and to a ring of the last
 * WATCH_KEEP whole samples, runs every rule over that sliding window
 * (diagnose_run, the same rules as triage) and builds the report view.
 *
 * Memory is flat however long it runs: WATCH_KEEP samples (~2 MiB each,
 * allocated once), one trace (a bounded ring of points), one findings
 * set and one report view, all reused.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../diagnose/finding.h"
#include "../model/series.h"
#include "../model/trace.h"
#include "../render/report_view.h"
#include "../render/watch_view.h"
#include "../util/strbuf.h"
#include "triage_run.h"

/* Whole samples the rules read: the newest ones, as triage keeps. */
#define WATCH_KEEP TRIAGE_KEEP

struct diag_session;
struct owner_cache;

struct watch_run {
	/* in */
	struct focus o;          /* --port */
	const char *netns;       /* -N NAME (already entered), or NULL */
	double interval;
	/* state */
	struct diag_session *ds;
	struct sample *buf[WATCH_KEEP];
	const struct sample *cs[WATCH_KEEP];
	uint64_t taken;
	struct series ser;
	struct findings *fs;
	struct trace *trace;
	struct report_view *rv;
	struct owner_cache *owners;   /* listener owners between /proc walks */
	double last_cost_s;
};

/*
 * Take sample s with so (want_port, session, kmsg set by the caller),
 * naming listeners through the owner cache c (owner_cache.h). Also
 * watch --all-netns's, with one namespace's cache loaded into c.
 */
struct sample_opts;
int watch_collect_owned(struct owner_cache *c, struct sample *s, struct sample_opts *so,
			struct strbuf *err);

/* Allocate and open the sock_diag session (in the current namespace). */
int watch_run_open(struct watch_run *w, struct strbuf *err);
/* One refresh: sample, trace, diagnose the window, report view. */
int watch_run_refresh(struct watch_run *w, struct strbuf *err);
void watch_run_close(struct watch_run *w);

/* The exit status the newest verdict earns (0, 1, 2), as triage's. */
int watch_run_status(const struct watch_run *w);

/*
 * Fill d for trace listener slot `slot`: a dump of TCP sockets on its
 * port (kernel bytecode from the filter module), and its owner's fds
 * from the newest sample. A dump that fails is said in d->error.
 */
void watch_run_detail(struct watch_run *w, unsigned slot, struct watch_detail *d);

#endif
