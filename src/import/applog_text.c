// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The application-log importer: a service's own log lines that carry a
 * socket errno, reduced to grouped app events (src/model/appevent.h).
 *
 * What gets pasted is a service's log, or a slice of it, in one of a
 * few prefixes around the message; the message's wording is the
 * runtime's (appevent.c lists them) and is classified there:
 *
 *   journalctl -u (systemd 252)  Dec 01 10:00:00 web1 api[2211]: ... accept4: too many open files
 *   journalctl -o short-iso      2026-12-01T10:00:00+0000 web1 api[2211]: ...
 *   syslog (rsyslog, RFC 3164)   Dec  1 10:00:00 web1 haproxy[812]: ...
 *   nginx error.log (1.22)       2026/12/01 10:00:00 [crit] 812#812: *41 accept4() failed (24: Too many open files)
 *   PostgreSQL (15, default log_line_prefix '%m [%p] ')
 *                                2026-12-01 10:00:00.123 UTC [4242] LOG:  could not accept new connection: ...
 *   Go log package               2026/12/01 10:00:00 http: Accept error: accept tcp [::]:8080: accept4: ...
 *   Java (logback/log4j)         2026-12-01 10:00:00.123 ERROR [main] c.e.Db - ... / java.net.ConnectException: ...
 *   Python traceback             OSError: [Errno 99] Cannot assign requested address
 *   Node.js                      Error: connect ECONNREFUSED 10.0.0.5:5432
 *   Envoy / HAProxy              through syslog or journald, as above
 *
 * The process is taken from the prefix when it names one: syslog's and
 * journald's `prog[pid]:`, nginx's `pid#tid:` (nginx writes that form
 * only), PostgreSQL's `[pid] LEVEL:`. A timestamp is not placed in time:
 * application clocks are wall clocks in the application's zone.
 *
 * A line counts only when it looks like a log line (a timestamp, a
 * level, a `prog[pid]:` prefix, an exception or error class, Go's
 * `op tcp addr:` form, nginx's `failed (NN:`, Python's `[Errno N]`),
 * so a ticket's prose that says "we see connection refused" is skipped,
 * and Node's `code: 'ECONNREFUSED'` lines under an error it already
 * counted are too. Stack frames, blank lines and the rest are skipped
 * and counted. Events are grouped by errno, failing call and process
 * as they come (sample_build_appevent); nothing per line is kept.
 */
#include "import.h"
#include "import_cmd.h"
#include "../model/sample.h"
#include "../util/fmt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX_SCAN 160          /* a prefix's `prog[pid]:` is within this many bytes */

struct applog_import {
	struct sample_builder *b;
	const char *subset;
	char label[48];
	uint64_t dropped0;           /* the sample's appevents_dropped at begin */
	uint64_t rows, skipped, events;
	uint64_t count[APE_MAX];
};

/* The split line: the message and the process its prefix names. */
struct applog_line {
	const char *msg;
	char proc[APPEVENT_PROC_MAX];
	bool prefixed;
};

static bool digits(const char *p, const char *end, const char **after)
{
	const char *q = p;

	while (q < end && isdigit((unsigned char)*q) && q - p < 10)
		q++;
	*after = q;
	return q > p && (q == end || !isdigit((unsigned char)*q));
}

static bool prog_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-' || c == '/' || c == '@';
}

/* "prog[pid]: " anywhere in the first bytes (syslog, journald). */
static bool split_syslog(const char *s, const char *end, struct applog_line *al)
{
	const char *lim = end - s > PREFIX_SCAN ? s + PREFIX_SCAN : end, *d, *p;

	for (const char *b = s + 1; b < lim; b++) {
		if (*b != '[' || !prog_char(b[-1]) || !digits(b + 1, end, &d) || end - d < 2 ||
		    d[0] != ']' || d[1] != ':')
			continue;
		for (p = b; p > s && prog_char(p[-1]); p--)
			;
		snprintf(al->proc, sizeof(al->proc), "%.*s", (int)(d + 1 - p), p);
		al->msg = d + 2;
		return true;
	}
	return false;
}

/* nginx: "... [level] PID#TID: msg"; PostgreSQL: "... [PID] LEVEL:  msg". */
static bool split_service(const char *s, const char *end, struct applog_line *al)
{
	static const char *const levels[] = { "LOG:", "FATAL:", "ERROR:", "WARNING:", "PANIC:" };
	const char *lim = end - s > PREFIX_SCAN ? s + PREFIX_SCAN : end, *d, *t;

	for (const char *p = s; p < lim; p++) {
		if (*p == ']' && p + 2 < end && p[1] == ' ' && digits(p + 2, end, &d) && d < end &&
		    *d == '#' && digits(d + 1, end, &t) && t < end && *t == ':') {
			snprintf(al->proc, sizeof(al->proc), "nginx[%.*s]", (int)(d - p - 2), p + 2);
			al->msg = t + 1;
			return true;
		}
		if (*p == '[' && digits(p + 1, end, &d) && end - d > 2 && d[0] == ']' && d[1] == ' ')
			for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
				if (!strncmp(d + 2, levels[i], strlen(levels[i]))) {
					snprintf(al->proc, sizeof(al->proc), "postgres[%.*s]",
						 (int)(d - p - 1), p + 1);
					al->msg = d + 2;
					return true;
				}
	}
	return false;
}

static bool has(const char *s, const char *end, const char *t)
{
	return memmem(s, (size_t)(end - s), t, strlen(t)) != NULL;
}

/* A token ending in "Exception:" / "Error:" ("java.net.ConnectException:", "OSError:"). */
static bool error_class(const char *s, const char *end)
{
	static const char *const tails[] = { "Exception:", "Error:", "Exception " };

	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		const char *p = memmem(s, (size_t)(end - s), tails[i], strlen(tails[i]));

		if (p && (p == s || p[-1] != ' '))
			return true;
	}
	return false;
}

/* Does the line look like a log line rather than prose? */
static bool log_shaped(const char *s, const char *end, const struct applog_line *al)
{
	static const char *const marks[] = {
		" tcp ", " udp ", " tcp4 ", " tcp6 ", "() failed (", "[Errno ", "Caused by:",
		"level=", "ERROR", "WARN", "FATAL", "CRIT", "[error]", "[crit]", "[alert]",
		"[warn]", "[emerg]", ": accept4: ", ": connect: ", ": bind: ", ": read: ",
		": write: ", ": socket: ",
	};
	const char *p = s;

	if (al->prefixed)
		return true;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && (isdigit((unsigned char)*p) || *p == '[' || *p == '{'))
		return true;
	if (error_class(p, end))
		return true;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (has(p, end, marks[i]))
			return true;
	return false;
}

static void applog_split(const char *s, const char *end, struct applog_line *al)
{
	memset(al, 0, sizeof(*al));
	al->msg = s;
	al->prefixed = split_service(s, end, al) || split_syslog(s, end, al);
}

/* A line that is a log line with a socket errno: its event in ev. */
static bool applog_event(const char *s, size_t len, struct app_event *ev)
{
	struct applog_line al;
	const char *end = s + len;

	applog_split(s, end, &al);
	if (!log_shaped(s, end, &al) || !appevent_classify(al.msg, (size_t)(end - al.msg), ev))
		return false;
	snprintf(ev->proc, sizeof(ev->proc), "%s", al.proc);
	appevent_set_line(ev, s, len);
	return true;
}

static int applog_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		       struct strbuf *err)
{
	struct applog_import *st = vst;
	struct app_event ev;

	(void)pos;
	(void)err;
	len = strnlen(s, len);            /* a NUL ends the line */
	if (len && s[len - 1] == '\r')
		len--;
	if (!applog_event(s, len, &ev)) {
		st->skipped++;
		return 0;
	}
	st->rows++;
	st->events++;
	st->count[ev.kind]++;
	sample_build_appevent(st->b, &ev);
	return 0;
}

static int applog_begin(void **out, struct sample_builder *b, const char *cmd, uint32_t prior,
			struct strbuf *err)
{
	struct applog_import *st = calloc(1, sizeof(*st));
	struct import_cmd c;

	(void)prior;
	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	st->dropped0 = b->s->appevents_dropped;
	import_cmd_parse(&c, cmd);
	st->subset = c.subset;
	import_cmd_label(&c, "", st->label, sizeof(st->label));
	*out = st;
	return 0;
}

/* "EMFILE 3, ECONNREFUSED 1" into the note. */
static void applog_note(const struct applog_import *st, struct import_summary *sum)
{
	char a[32], kinds[128] = "";
	size_t o = 0;

	for (int k = 1; k < APE_MAX && o < sizeof(kinds); k++)
		if (st->count[k])
			o += (size_t)snprintf(kinds + o, sizeof(kinds) - o, "%s%s %s", o ? ", " : "",
					      appevent_names[k], fmt_thousands(a, st->count[k]));
	if (st->events)
		import_note_add(sum, "socket errors: %s", kinds);
	if (st->subset)
		import_note_add(sum, "a subset (| %s): lines not shown may still be in the log",
				st->subset);
	if (st->b->s->appevents_dropped > st->dropped0)
		import_note_add(sum, "%s lines past %d error groups not kept",
				fmt_thousands(a, st->b->s->appevents_dropped - st->dropped0),
				SAMPLE_APPEVENTS_MAX);
}

static int applog_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct applog_import *st = vst;
	char a[32];

	(void)err;
	if (st->rows) {
		sample_build_mark(st->b, HAVE_APPLOG);
		sum->have = HAVE_APPLOG;
	}
	snprintf(sum->what, sizeof(sum->what), "%.40s%sapplication log, %s socket error line%s",
		 st->label, st->label[0] ? ": " : "", fmt_thousands(a, st->rows),
		 st->rows == 1 ? "" : "s");
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	applog_note(st, sum);
	return 0;
}

static void applog_free(void *st)
{
	free(st);
}

/* A service's log by its command: journalctl -u, docker/kubectl logs, an app log file. */
static int applog_cmd_score(const struct import_cmd *c)
{
	static const char *const readers[] = { "cat", "tail", "less", "more", "head", "zcat", "grep",
					       "egrep" };
	bool reader = false;

	if (!strcmp(c->prog, "journalctl"))
		return import_cmd_flag(c, 'u') || import_cmd_word(c, "--unit") ? 90 : 0;
	if ((!strcmp(c->prog, "docker") || !strcmp(c->prog, "kubectl")) &&
	    import_cmd_word(c, "logs"))
		return 90;
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		reader |= !strcmp(c->prog, readers[i]);
	if (!reader)
		return 0;
	for (unsigned i = 0; i < c->argc; i++) {
		const char *a = c->argv[i];
		size_t n = strlen(a);

		if (strstr(a, "kern") || strstr(a, "/var/log/messages") || strstr(a, "/var/log/syslog"))
			return 0;
		if ((n > 4 && !strcmp(a + n - 4, ".log")) || strstr(a, "error.log") ||
		    strstr(a, "catalina.out") || strstr(a, "/var/log/nginx/") ||
		    strstr(a, "/var/log/postgresql/"))
			return 75;
	}
	return 0;
}

static bool applog_shaped(const char *line, size_t len)
{
	struct app_event ev;

	return applog_event(line, len, &ev);
}

static int applog_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct import_cmd c;
	int score;

	import_cmd_parse(&c, cmd);
	if (cmd && !strcmp(c.prog, "journalctl") &&
	    (import_cmd_flag(&c, 'k') || import_cmd_word(&c, "--dmesg")))
		return 0;
	if ((score = applog_cmd_score(&c)))
		return score;
	return import_head_score(head, n, applog_shaped);
}

const struct importer import_applog = {
	.name = "applog",
	.detect = applog_detect,
	.begin = applog_begin,
	.line = applog_line,
	.end = applog_end,
	.free = applog_free,
};
