/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TEST_IMPORT_FIXTURE_H
#define SOCKVET_TEST_IMPORT_FIXTURE_H

/*
 * Drive one importer over a text, the way the dispatcher does (begin,
 * each line without its newline, end), into a fresh sample through a
 * real builder. For importer unit tests.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/import/import.h"
#include "../../src/model/sample.h"

#define IMPORT_DATA "tests/data/import/"

struct import_result {
	struct sample *s;
	struct import_summary sum;
	int rc;                          /* first negative return, else 0 */
	char err[256];
};

/* text of len bytes (may hold NULs); lines cut at '\n' as the dispatcher does. */
static inline struct import_result import_buf(const struct importer *imp, const char *cmd,
					      const char *text, size_t len)
{
	struct import_result r = { .s = malloc(sizeof(struct sample)) };
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;
	struct import_pos pos = { .file = "t.txt", .line = 0 };
	char *line = malloc(len + 1);
	void *st = NULL;
	size_t i = 0;

	if (!r.s || !line || sample_build_begin(&b, r.s, &o, &err))
		abort();
	r.rc = imp->begin(&st, &b, cmd, 0, &err);
	while (!r.rc && i < len) {
		size_t n = 0;

		while (i < len && text[i] != '\n')
			line[n++] = text[i++];
		i++;
		line[n] = '\0';
		pos.line++;
		r.rc = imp->line(st, line, n, &pos, &err);
	}
	if (!r.rc)
		r.rc = imp->end(st, &r.sum, &err);
	if (r.rc)
		snprintf(r.err, sizeof(r.err), "%s", err.buf ? err.buf : "");
	if (st)
		imp->free(st);
	sample_build_finish(&b);
	strbuf_release(&err);
	free(line);
	return r;
}

static inline struct import_result import_str(const struct importer *imp, const char *cmd,
					      const char *text)
{
	return import_buf(imp, cmd, text, strlen(text));
}

/* A fixture under tests/data/import/, read whole. */
static inline struct import_result import_file(const struct importer *imp, const char *cmd,
					       const char *name)
{
	char path[256], *buf;
	struct import_result r;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), IMPORT_DATA "%s", name);
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		abort();
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		abort();
	fclose(fp);
	r = import_buf(imp, cmd, buf, (size_t)n);
	free(buf);
	return r;
}

/* The head lines detection would see (up to IMPORT_HEAD_LINES), then detect. */
static inline int import_detect_str(const struct importer *imp, const char *cmd, const char *text)
{
	char *copy = strdup(text), *save = NULL, *l;
	const char *head[IMPORT_HEAD_LINES];
	unsigned n = 0;
	int score;

	for (l = strtok_r(copy, "\n", &save); l && n < IMPORT_HEAD_LINES;
	     l = strtok_r(NULL, "\n", &save))
		head[n++] = l;
	score = imp->detect(cmd, head, n);
	free(copy);
	return score;
}

#endif
