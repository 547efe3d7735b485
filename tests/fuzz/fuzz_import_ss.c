// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the ss text importer. The input's first byte
 * picks the prior HAVE_* bits (an earlier section's socket list or UDP
 * list, or none), its first line is the prompt's command line (empty:
 * none), the rest streams through detect, begin, line and end as the
 * dispatcher would drive them, lines cut at IMPORT_LINE_MAX. Whatever the
 * bytes: no crash, every line accounted for at most once (rows + skipped
 * <= lines), only the bits the importer may fill marked, and an error is
 * one "FILE:LINE:COL: what" line.
 */
#include "../../src/import/import.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_err(const struct strbuf *err)
{
	if (!err->buf || strncmp(err->buf, "f.txt:", 6) || strchr(err->buf, '\n'))
		abort();
}

static int fuzz_feed(void *st, const char *text, size_t size, unsigned *lines,
		     struct strbuf *err)
{
	struct import_pos pos = { .file = "f.txt", .line = 1 };
	size_t i = 0;
	int rc = 0;

	while (i < size && rc == 0) {
		const char *nl = memchr(text + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - text - i) : size - i;
		char *line;

		if (n > IMPORT_LINE_MAX)
			n = IMPORT_LINE_MAX;
		line = malloc(n + 1);
		if (!line)
			return 0;
		memcpy(line, text + i, n);
		line[n] = '\0';
		pos.line++;
		(*lines)++;
		rc = import_ss.line(st, line, n, &pos, err);
		free(line);
		i = nl ? (size_t)(nl - text) + 1 : size;
	}
	return rc;
}

static void fuzz_detect(const char *cmd, const char *text, size_t size)
{
	char buf[2048];
	const char *head[IMPORT_HEAD_LINES];
	unsigned n = 0;
	size_t k = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;
	int score;

	memcpy(buf, text, k);
	buf[k] = '\0';
	for (char *p = buf, *nl; n < IMPORT_HEAD_LINES && p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		head[n++] = p;
	}
	score = import_ss.detect(cmd, head, n);
	if (score < 0 || score > 100)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sample s;
	static const uint32_t priors[] = { 0, HAVE_SOCKETS, HAVE_UDP, HAVE_SOCKETS | HAVE_UDP };
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct import_summary sum;
	struct strbuf err = STRBUF_INIT;
	char cmd[IMPORT_CMD_MAX + 1];
	const char *text, *nl;
	unsigned lines = 0;
	uint32_t prior;
	void *st = NULL;
	size_t k;

	if (!size)
		return 0;
	prior = priors[data[0] & 3];
	text = (const char *)data + 1;
	size--;
	nl = memchr(text, '\n', size);
	k = nl ? (size_t)(nl - text) : size;
	memcpy(cmd, text, k < IMPORT_CMD_MAX ? k : IMPORT_CMD_MAX);
	cmd[k < IMPORT_CMD_MAX ? k : IMPORT_CMD_MAX] = '\0';
	text += nl ? k + 1 : k;
	size -= nl ? k + 1 : k;
	fuzz_detect(cmd[0] ? cmd : NULL, text, size);
	if (sample_build_begin(&b, &s, &o, &err))
		return 0;
	s.have |= prior;
	if (import_ss.begin(&st, &b, cmd[0] ? cmd : NULL, prior, &err) == 0) {
		if (fuzz_feed(st, text, size, &lines, &err) == 0) {
			if (import_ss.end(st, &sum, &err) ||
			    sum.rows + sum.skipped > lines ||
			    (sum.have & ~(uint32_t)(HAVE_SOCKETS | HAVE_CONN_STATES | HAVE_UDP |
						     HAVE_LISTEN_DROPS | HAVE_OWNERS)) ||
			    !memchr(sum.what, '\0', sizeof(sum.what)) || !memchr(sum.note, '\0', sizeof(sum.note)))
				abort();
		} else {
			fuzz_check_err(&err);
		}
		import_ss.free(st);
	}
	sample_build_finish(&b);
	strbuf_release(&err);
	return 0;
}
