/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_IMPORT_RUN_H
#define SOCKVET_IMPORT_IMPORT_RUN_H

/* `sockvet analyze`'s inputs into one sample (import.c). */

#include <stdio.h>

#include "import.h"
#include "../model/capture.h"

/*
 * Read every path ("-": stdin; a directory: its files, by name, hidden
 * ones skipped) into s through the importers, listing every section in
 * cl. A file that cannot be opened, a section no importer knows or one
 * that fails is listed and skipped; the others are used. Returns the
 * number of sections used (0: nothing could be read), or -1 with a
 * message in err when the run itself failed (memory).
 */
int import_run(const char *const *paths, unsigned n, const struct sample_build_opts *bo,
	       struct sample *s, struct capture_list *cl, struct strbuf *err);

/* The same for one open stream (name is for messages); fp is not closed. */
int import_run_stream(FILE *fp, const char *name, const struct sample_build_opts *bo,
		      struct sample *s, struct capture_list *cl, struct strbuf *err);

/* Is line a shell prompt with a known tool's command? The command into cmd. */
bool import_prompt(const char *line, char *cmd, size_t size);

#endif
