/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_RUN_H
#define SOCKVET_IMPORT_IMPORT_RUN_H

/* `sockvet analyze`'s inputs into samples in time (import.c). */

#include <stdio.h>

#include "import.h"
#include "../model/capture.h"
#include "../model/series.h"

/* Samples in time one run reads (the same bound as live triage's). */
#define IMPORT_SAMPLES_MAX 8

/*
 * What a run read: samples (each ~2 MiB, allocated as they are
 * needed), and the series over them, oldest first, that the rules read.
 * Release with import_series_release.
 */
struct import_series {
	unsigned n;
	struct sample *s[IMPORT_SAMPLES_MAX];             /* owned, oldest first */
	const struct sample *order[IMPORT_SAMPLES_MAX];  /* ser.s */
	struct series ser;                               /* ser.n == n */
};

/*
 * Read every path ("-": stdin; a directory: its files, by name, hidden
 * ones skipped) into out through the importers, listing every section in
 * cl. A capture of a kind the sample being read already has (the same
 * importer and command) starts the next sample; so do a capture header
 * and a `date` when the sample already has its time. Samples are ordered
 * by their times when every one has one, else kept in the order given
 * (out->ser.time_unknown). Settings given once (sysctls, the kernel log)
 * apply to every sample. A file that cannot be opened, a section no
 * importer knows or one that fails, and everything past
 * IMPORT_SAMPLES_MAX samples is listed and skipped; the others are used.
 * Returns the number of sections used (0: nothing could be read), or -1
 * with a message in err when the run itself failed (memory). out is
 * filled either way: release it.
 */
int import_run(const char *const *paths, unsigned n, const struct sample_build_opts *bo,
	       struct import_series *out, struct capture_list *cl, struct strbuf *err);

/* The same for one open stream (name is for messages); fp is not closed. */
int import_run_stream(FILE *fp, const char *name, const struct sample_build_opts *bo,
		      struct import_series *out, struct capture_list *cl, struct strbuf *err);

void import_series_release(struct import_series *out);

/* Is line a shell prompt with a known tool's command? The command into cmd. */
bool import_prompt(const char *line, char *cmd, size_t size);

#endif
