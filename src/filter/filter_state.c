// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What surrounds the expression: the leading `state` / `exclude` words
 * (ss.c main() and scan_state, not the bison grammar), -F file text,
 * the caret under an error column, and what the kernel can take.
 */
#include "filter_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ST(x) (1u << (x))
/* ss 6.1's SS_ALL: every state of its table, UNKNOWN to CLOSING */
#define ST_ALL (ST(SS_CLOSING + 1) - 1)
#define ST_CONNECTED (ST_ALL & ~(ST(SS_LISTEN) | ST(SS_CLOSE)))
#define ST_BUCKET (ST(SS_SYN_RECV) | ST(SS_TIME_WAIT))

/* ss 6.1's names (case-insensitive); bound-inactive and new-syn-recv
 * are rejected there, so here too. */
static const struct {
	const char *name;
	uint32_t mask;
} state_words[] = {
	{ "unknown", ST(SS_UNKNOWN_) },
	{ "established", ST(SS_ESTABLISHED) },
	{ "syn-sent", ST(SS_SYN_SENT) },
	{ "syn-recv", ST(SS_SYN_RECV) },
	{ "syn-rcv", ST(SS_SYN_RECV) },
	{ "fin-wait-1", ST(SS_FIN_WAIT1) },
	{ "fin-wait-2", ST(SS_FIN_WAIT2) },
	{ "time-wait", ST(SS_TIME_WAIT) },
	{ "unconnected", ST(SS_CLOSE) },
	{ "close", ST(SS_CLOSE) },
	{ "closed", ST(SS_CLOSE) },
	{ "close-wait", ST(SS_CLOSE_WAIT) },
	{ "last-ack", ST(SS_LAST_ACK) },
	{ "listening", ST(SS_LISTEN) },
	{ "closing", ST(SS_CLOSING) },
	{ "all", ST_ALL },
	{ "connected", ST_CONNECTED },
	{ "synchronized", ST_CONNECTED & ~ST(SS_SYN_SENT) },
	{ "bucket", ST_BUCKET },
	{ "big", ST_ALL & ~ST_BUCKET },
};

int filter_state_word(const char *name, uint32_t *mask, struct strbuf *err)
{
	for (size_t i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++)
		if (!strcasecmp(name, state_words[i].name)) {
			/* request sockets: the kernel reports them as
			 * SYN-RECV, not NEW_SYN_RECV, so no bit 12 */
			*mask = state_words[i].mask;
			return 0;
		}
	return error_set(err, "filter: wrong state name: %s", name);
}

static bool state_keyword(const char *w, bool *exclude)
{
	*exclude = !strcmp(w, "exclude") || !strcmp(w, "excl");
	return *exclude || !strcmp(w, "state");
}

int filter_parse_argv(struct filter *f, int argc, char *const *argv,
		      struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	bool exclude;
	uint32_t m = 0;
	int i = 0, ret = 0;

	f->has_states = false;
	f->states = 0;
	strbuf_init(&text, FILTER_MAX_TEXT + 1);
	for (; i < argc && state_keyword(argv[i], &exclude); i += 2) {
		if (i + 1 == argc) {
			ret = error_set(err, "filter: expected a state name after '%s'",
					argv[i]);
			goto out;
		}
		ret = filter_state_word(argv[i + 1], &m, err);
		if (ret < 0)
			goto out;
		if (!f->has_states)
			f->states = exclude ? ST_ALL : 0;
		f->states = exclude ? f->states & ~m : f->states | m;
		f->has_states = true;
	}
	for (int j = i; j < argc; j++)
		if ((j > i && strbuf_addch(&text, ' ') < 0) ||
		    strbuf_addstr(&text, argv[j]) < 0) {
			ret = error_set(err, "filter: longer than %u characters",
					FILTER_MAX_TEXT);
			goto out;
		}
	ret = filter_parse(f, text.buf, err);
out:
	strbuf_release(&text);
	return ret;
}

int filter_parse_file(struct filter *f, const char *text, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line = text;
	int ret = 0;

	strbuf_init(&sb, FILTER_MAX_TEXT + 1);
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		/* a comment line keeps its place, so columns still count */
		if ((line[0] == '#' ? strbuf_addf(&sb, "%*s", (int)len, "") :
		     strbuf_add(&sb, line, len)) < 0 ||
		    (nl && strbuf_addch(&sb, ' ') < 0)) {
			ret = error_set(err, "filter: file longer than %u characters",
					FILTER_MAX_TEXT);
			goto out;
		}
		line += len + (nl ? 1 : 0);
	}
	ret = filter_parse(f, sb.buf, err);
out:
	strbuf_release(&sb);
	return ret;
}

void filter_error_caret(const char *text, unsigned col, struct strbuf *out)
{
	size_t len = strlen(text);

	strbuf_addf(out, "  %s\n  ", text);
	for (size_t i = 0; i + 1 < col && i < len; i++)
		strbuf_addch(out, text[i] == '\t' ? '\t' : ' ');
	if (col > len + 1)
		for (size_t i = len + 1; i < col; i++)
			strbuf_addch(out, ' ');
	strbuf_addstr(out, "^\n");
}

bool filter_kernel_only(const struct filter *f)
{
	return f->root < 0 || !f->nodes[f->root].user_only;
}

void filter_port_range(struct filter *f)
{
	FILE *fp = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	unsigned lo, hi;

	if (!fp)
		return;
	if (fscanf(fp, "%u %u", &lo, &hi) == 2 && lo <= hi && hi <= UINT16_MAX) {
		f->port_lo = (uint16_t)lo;
		f->port_hi = (uint16_t)hi;
	}
	fclose(fp);
}
