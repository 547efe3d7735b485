// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the option parser every command uses. The input
 * is argv: words separated by NUL bytes (at most 32), parsed against a
 * table with a row of every type. Afterwards argv must still hold the
 * same words (getopt_long only permutes them), the result must be an
 * index into it or a PARSE_OPT_* value, and a failure must say why.
 */
#include "../../src/cmd/parse_options.c"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORDS_MAX 32

static volatile size_t sink;

static int touch(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	sink += (size_t)opt->defval + (arg ? strlen(arg) : 0);
	if (arg && arg[0] == '!')
		return error_set(err, "--%s: '%s' starts with '!'", opt->long_name, arg);
	if (arg && arg[0] == '?')
		return PARSE_CB_ERROR;
	if (arg && arg[0] == '.')
		return PARSE_CB_STOP;
	return PARSE_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool b = false, c = true;
	int i = 0, n = 0, k = 0;
	unsigned u = 0;
	const char *s = NULL;
	const struct option_def opts[] = {
		OPT_HELP(),
		OPT_GROUP("group:"),
		OPT_BOOL('j', "json", &b, "b"),
		OPT_SET_BOOL('H', "no-header", &c, 0, "c"),
		OPT_SET_INT(0, "once", &i, 1, "i"),
		OPT_COUNT('v', "verbose", &k, "k"),
		OPT_INT(0, "num", &n, "N", -5, 65535, "n"),
		OPT_UINT('c', "count", &u, "C", 0, 8, "u"),
		OPT_STRING('N', "net", &s, "NETNS", "s"),
		OPT_CALLBACK_VAL('t', "tcp", NULL, 1, "t", touch),
		OPT_CALLBACK('A', "query", NULL, "QUERY", "q", touch),
		OPT_CALLBACK(0, "socket", NULL, "QUERY", NULL, touch),
		OPT_BOOL('Z', NULL, &b, "z"),
		OPT_END(),
	};
	char *buf = malloc(size + 1), *argv[WORDS_MAX + 2], *orig[WORDS_MAX + 2];
	struct strbuf err = STRBUF_INIT;
	int argc = 1, rc;
	size_t off = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"prog";
	while (off <= size && argc <= WORDS_MAX) {
		argv[argc++] = buf + off;
		off += strlen(buf + off) + 1;
	}
	argv[argc] = NULL;
	memcpy(orig, argv, sizeof(argv));
	rc = parse_options(argc, argv, opts, &err);
	if (rc > argc || rc == 0 || rc < PARSE_OPT_LIST)
		abort();
	if (rc == PARSE_OPT_FAILED && !err.len)
		abort();
	/* The same words, in some order. */
	for (int w = 1; w < argc; w++) {
		int found = 0;

		for (int o = 1; o < argc; o++)
			found += argv[o] == orig[w];
		if (!found)
			abort();
	}
	if (s)
		sink += strlen(s);
	sink += (size_t)(b + c + i + n + k) + u;
	strbuf_release(&err);
	free(buf);
	return 0;
}
