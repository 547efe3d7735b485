// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the counters importer. The first input line is
 * the command line ("" none), the rest the section, streamed line by
 * line into a real builder. Whatever the bytes: no crash, no read past
 * a line, an error names "FILE:LINE:", the summary's strings are
 * terminated and its counts add up to at most the lines given.
 */
#include "../../src/import/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sample fuzz_sample;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sample_build_opts o = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	struct import_summary sum = { 0 };
	struct import_pos pos = { "f", 0 };
	struct sample_builder b;
	const char *p = (const char *)data, *end = p + size, *nl = memchr(p, '\n', size);
	char cmd[IMPORT_CMD_MAX];
	void *st = NULL;
	int rc = 0;

	snprintf(cmd, sizeof(cmd), "%.*s", nl ? (int)(nl - p) : 0, p);
	p = nl ? nl + 1 : end;
	if (sample_build_begin(&b, &fuzz_sample, &o, &err))
		abort();
	if (import_counters.begin(&st, &b, cmd[0] ? cmd : NULL, 0, &err))
		abort();
	while (p < end && !rc) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((e ? e : end) - p);
		char *line = malloc(n + 1);

		memcpy(line, p, n);
		line[n] = '\0';
		pos.line++;
		rc = import_counters.line(st, line, n, &pos, &err);
		free(line);
		p += n + 1;
	}
	if (!rc)
		rc = import_counters.end(st, &sum, &err);
	if (rc && strncmp(err.buf, "f:", 2))
		abort();
	if (!rc && (memchr(sum.what, 0, sizeof(sum.what)) == NULL ||
		    memchr(sum.note, 0, sizeof(sum.note)) == NULL || sum.rows + sum.skipped > pos.line))
		abort();
	import_counters.free(st);
	sample_build_finish(&b);
	strbuf_release(&err);
	return 0;
}
