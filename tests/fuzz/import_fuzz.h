/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_FUZZ_IMPORT_H
#define SOCKVET_FUZZ_IMPORT_H

/*
 * One text importer under libFuzzer, driven as the dispatcher drives it.
 * The input's first line is the pasted command (empty: none), the rest
 * the section. Detection sees the head lines; then every line (cut at
 * IMPORT_LINE_MAX, NULs and \r kept) goes through begin/line/end into a
 * real builder. Whatever the bytes: no crash, no error (text importers
 * skip what they do not understand), every line counted once as used or
 * skipped, the summary's strings terminated, and the sample within its
 * bounds.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/import/import.h"
#include "../../src/model/sample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_import_check(const struct sample *s, const struct import_summary *sum,
			      uint64_t lines)
{
	if (sum->rows + sum->skipped != lines || !memchr(sum->what, 0, sizeof(sum->what)) ||
	    !memchr(sum->note, 0, sizeof(sum->note)) || s->n_kevents > SAMPLE_KEVENTS_MAX)
		abort();
	for (uint32_t i = 0; i < s->n_kevents; i++)
		if (s->kevents[i].kind <= KEV_NONE || s->kevents[i].kind >= KEV_KIND_MAX ||
		    s->kevents[i].ts_us < -1)
			abort();
	if (s->n_appevents > SAMPLE_APPEVENTS_MAX)
		abort();
	for (uint32_t i = 0; i < s->n_appevents; i++)
		if (s->appevents[i].kind <= APE_NONE || s->appevents[i].kind >= APE_MAX ||
		    s->appevents[i].call >= APC_MAX || !s->appevents[i].count ||
		    !memchr(s->appevents[i].first_line, 0, sizeof(s->appevents[i].first_line)) ||
		    !memchr(s->appevents[i].addr, 0, sizeof(s->appevents[i].addr)))
			abort();
	for (int i = 0; i < SYSCTL_MAX; i++)
		if (s->sysctl.val[i].n > SYSCTL_VALS ||
		    !memchr(s->sysctl.val[i].text, 0, sizeof(s->sysctl.val[i].text)))
			abort();
}

/* Head lines for detect(): NUL-terminated copies, as the dispatcher keeps them. */
static unsigned fuzz_import_head(const char *text, size_t len, char **head)
{
	unsigned n = 0;
	size_t i = 0;

	while (i < len && n < IMPORT_HEAD_LINES) {
		size_t e = i;

		while (e < len && text[e] != '\n')
			e++;
		head[n] = strndup(text + i, e - i < IMPORT_LINE_MAX ? e - i : IMPORT_LINE_MAX);
		if (!head[n])
			abort();
		n++;
		i = e + 1;
	}
	return n;
}

static void fuzz_import_detect(const struct importer *imp, const char *cmd, const char *text,
			       size_t len)
{
	char *head[IMPORT_HEAD_LINES];
	unsigned n = fuzz_import_head(text, len, head);
	int score = imp->detect(cmd, (const char *const *)head, n);

	if (score < 0 || score > 100)
		abort();
	for (unsigned i = 0; i < n; i++)
		free(head[i]);
}

static void fuzz_import_run(const struct importer *imp, const uint8_t *data, size_t size)
{
	static struct sample s;
	const char *nl = memchr(data, '\n', size);
	size_t cl = nl ? (size_t)(nl - (const char *)data) : size;
	char cmd[IMPORT_CMD_MAX], *text = malloc(size + 1);
	struct sample_build_opts o = { .want_port = -1 };
	struct import_pos pos = { .file = "fuzz", .line = 1 };
	struct import_summary sum;
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;
	size_t i = nl ? cl + 1 : size, len;
	uint64_t lines = 0;
	void *st = NULL;

	snprintf(cmd, sizeof(cmd), "%.*s", (int)(cl < sizeof(cmd) ? cl : sizeof(cmd) - 1), data);
	if (!text || sample_build_begin(&b, &s, &o, &err))
		abort();
	memcpy(text, data + i, size - i);
	len = size - i;
	text[len] = '\0';
	fuzz_import_detect(imp, cmd[0] ? cmd : NULL, text, len);
	if (imp->begin(&st, &b, cmd[0] ? cmd : NULL, 0, &err))
		abort();
	for (size_t p = 0; p < len; pos.line++, lines++) {
		size_t e = p;
		char save;

		while (e < len && text[e] != '\n')
			e++;
		if (e - p > IMPORT_LINE_MAX)
			e = p + IMPORT_LINE_MAX;
		save = text[e];
		text[e] = '\0';
		if (imp->line(st, text + p, e - p, &pos, &err))
			abort();
		text[e] = save;
		p = e + 1;
	}
	memset(&sum, 0, sizeof(sum));
	if (imp->end(st, &sum, &err))
		abort();
	imp->free(st);
	sample_build_finish(&b);
	fuzz_import_check(&s, &sum, lines);
	strbuf_release(&err);
	free(text);
}

#endif
