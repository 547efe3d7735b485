// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel-log importer: the kernel's messages in the shapes people
 * paste them, reduced to the socket events the rules read.
 *
 * Every shape is a prefix and the kernel's message; the message is the
 * same text /dev/kmsg carries, so once the prefix is off it goes through
 * kevent_classify(), the classifier the live reader uses (kevent.c lists
 * the wordings). No message text is matched here.
 *
 *   dmesg (util-linux 2.38)     [ 8843.123456] TCP: request_sock_TCP: Possible SYN flooding ...
 *   dmesg -r                    <4>[ 8843.123456] TCP: ...
 *   dmesg -x                    kern  :warn  : [ 8843.123456] TCP: ...
 *   dmesg -T                    [Tue Dec  1 10:00:00 2026] TCP: ...
 *   dmesg --time-format iso     2026-12-01T10:00:00,123456+00:00 TCP: ...
 *   dmesg -t                    TCP: ...                          (no prefix at all)
 *   journalctl -k (systemd 252) Dec 01 10:00:00 web1 kernel: TCP: ...
 *   journalctl -k -o short-iso  2026-12-01T10:00:00+0000 web1 kernel: TCP: ...
 *   journalctl -k -o short-monotonic
 *                               [ 8843.123456] web1 kernel: TCP: ...
 *   syslog / kern.log (rsyslog) Dec  1 10:00:00 web1 kernel: [ 8843.123456] TCP: ...
 *   rsyslog high precision      2026-12-01T10:00:00.123456+00:00 web1 kernel: [ 8843.1] TCP: ...
 *   /dev/kmsg                   4,1234,8843123456,-;TCP: ...
 *
 * The bracketed number is seconds since boot with a fraction (six
 * digits from dmesg; fewer when someone trimmed it); it becomes ts_us.
 * Wall-clock prefixes (dmesg -T, syslog dates) give no monotonic time:
 * ts_us is -1 then. A syslog line from another program
 * (`web1 sshd[812]: ...`), a /dev/kmsg record or dmesg -r/-x line with a
 * facility other than kern (userspace writing to /dev/kmsg), journalctl's
 * `-- Boot ... --` banners, /dev/kmsg's ` KEY=value` continuation lines,
 * prose and blank lines are skipped and counted. A line without any
 * prefix is read as a message only after `dmesg -t` (--notime), whose
 * output has none: elsewhere it could be prose quoting a log line.
 *
 * Events are kept as the live reader keeps them: the newest
 * SAMPLE_KEVENTS_MAX, with a count of every kind; they go into the
 * builder at the end, oldest first.
 */
#include "import.h"
#include "import_cmd.h"
#include "../collect/kmsg.h"
#include "../model/sample.h"
#include "../util/fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONO_SEC_DIGITS 10        /* ~317 years of uptime: more is not a stamp */

enum klog_style { ST_DMESG, ST_DMESG_T, ST_JOURNAL, ST_SYSLOG, ST_KMSG, ST_BARE, ST_MAX };

static const char *const style_names[ST_MAX] = {
	[ST_DMESG] = "dmesg", [ST_DMESG_T] = "dmesg -T", [ST_JOURNAL] = "journalctl -k",
	[ST_SYSLOG] = "syslog/journal", [ST_KMSG] = "/dev/kmsg", [ST_BARE] = "dmesg -t",
};

enum line_kind { LK_NONE, LK_OTHER, LK_KERNEL };

struct klog_line {
	const char *msg, *end;
	int64_t ts_us;
	enum klog_style style;
};

struct klog_import {
	struct sample_builder *b;
	bool notime;
	const char *subset;
	char label[48];
	struct kevent ring[SAMPLE_KEVENTS_MAX];
	unsigned n_ring, head;
	uint64_t count[KEV_KIND_MAX];
	uint64_t style_n[ST_MAX];
	uint64_t rows, skipped, others, events;
	int64_t ts_first, ts_last;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_sp(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* "[  8843.123456]" -> microseconds; *after past "] ". */
static bool parse_mono(const char *p, const char *end, int64_t *ts, const char **after)
{
	int64_t sec = 0, us = 0;
	unsigned nd = 0, nf = 0;

	if (p >= end || *p != '[')
		return false;
	p = skip_sp(p + 1, end);
	for (; p < end && is_digit(*p); p++, nd++)
		if (nd < MONO_SEC_DIGITS)
			sec = sec * 10 + (*p - '0');
	if (!nd || nd > MONO_SEC_DIGITS || p >= end || *p != '.')
		return false;
	for (p++; p < end && is_digit(*p); p++, nf++)
		if (nf < 6)
			us = us * 10 + (*p - '0');
	if (!nf || p >= end || *p != ']')
		return false;
	for (unsigned i = nf; i < 6; i++)
		us *= 10;
	*ts = sec * 1000000 + us;
	*after = skip_sp(p + 1, end);
	return true;
}

/* "[Tue Dec  1 10:00:00 2026]": a day name, a time, a closing bracket. */
static bool parse_wall_bracket(const char *p, const char *end, const char **after)
{
	const char *close;

	if (end - p < 8 || p[0] != '[' || p[1] < 'A' || p[1] > 'Z' || p[4] != ' ')
		return false;
	close = memchr(p, ']', (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
	if (!close || !memchr(p, ':', (size_t)(close - p)))
		return false;
	*after = skip_sp(close + 1, end);
	return true;
}

/* "Dec  1 10:00:00 " / "Dec 01 10:00:00.123456 " */
static bool parse_bsd_date(const char *p, const char *end, const char **after)
{
	if (end - p < 16 || p[0] < 'A' || p[0] > 'Z' || p[3] != ' ' ||
	    !(p[4] == ' ' || is_digit(p[4])) || !is_digit(p[5]) || p[6] != ' ' ||
	    !is_digit(p[7]) || p[9] != ':' || p[12] != ':' || !is_digit(p[14]))
		return false;
	p += 15;
	if (p < end && *p == '.')
		for (p++; p < end && is_digit(*p); p++)
			;
	if (p >= end || *p != ' ')
		return false;
	*after = skip_sp(p, end);
	return true;
}

/* "2026-12-01T10:00:00[.,frac][Z|+hh:mm|+hhmm] "; *comma: dmesg's own. */
static bool parse_iso(const char *p, const char *end, const char **after, bool *comma)
{
	if (end - p < 20 || !is_digit(p[0]) || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    p[13] != ':' || p[16] != ':')
		return false;
	p += 19;
	*comma = *p == ',';
	if (*p == '.' || *p == ',')
		for (p++; p < end && is_digit(*p); p++)
			;
	while (p < end && *p != ' ' && (*p == 'Z' || *p == '+' || *p == '-' || *p == ':' ||
					is_digit(*p)))
		p++;
	if (p >= end || *p != ' ')
		return false;
	*after = skip_sp(p, end);
	return true;
}

/* After a syslog date: "HOST PROG[PID]: msg". Kernel when PROG is kernel. */
static enum line_kind syslog_rest(const char *p, const char *end, struct klog_line *kl)
{
	const char *host_end = memchr(p, ' ', (size_t)(end - p)), *prog, *colon;

	if (!host_end || host_end == p || host_end[-1] == ':')
		return LK_NONE;
	prog = host_end + 1;
	colon = memchr(prog, ':', (size_t)(end - prog));
	if (!colon || colon == prog || memchr(prog, ' ', (size_t)(colon - prog)))
		return LK_NONE;
	if ((size_t)(colon - prog) != 6 && !((size_t)(colon - prog) > 6 && prog[6] == '['))
		return LK_OTHER;
	if (strncmp(prog, "kernel", 6))
		return LK_OTHER;
	kl->msg = skip_sp(colon + 1, end);
	(void)parse_mono(kl->msg, end, &kl->ts_us, &kl->msg);  /* kern.log: "[ 8843.1] " */
	return LK_KERNEL;
}

/* "<4>" (dmesg -r) or "kern  :warn  : " (dmesg -x): false when not kern. */
static bool strip_level(const char **pp, const char *end)
{
	const char *p = *pp, *c1, *c2;

	if (p < end && *p == '<') {
		char *e;
		long pri = strtol(p + 1, &e, 10);

		if (e > p + 1 && e - p <= 5 && e < end && *e == '>') {
			*pp = e + 1;
			return (pri >> 3) == 0;
		}
		return true;
	}
	c1 = memchr(p, ':', (size_t)(end - p) < 8 ? (size_t)(end - p) : 8);
	if (!c1 || c1 == p || p[strspn(p, "abcdefghijklmnopqrstuvwxyz")] != ' ')
		return true;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1) < 9 ? (size_t)(end - c1 - 1) : 9);
	if (!c2 || c2 + 1 >= end || c2[1] != ' ')
		return true;
	*pp = skip_sp(c2 + 1, end);
	return !strncmp(p, "kern ", 5) || !strncmp(p, "kern:", 5);
}

/* "4,1234,8843123456,-;msg": a /dev/kmsg record. */
static enum line_kind split_kmsg(const char *s, const char *end, struct klog_line *kl)
{
	long long ts;
	size_t mlen;
	char *e;
	long pri = strtol(s, &e, 10);

	if (e == s || *e != ',' || !kmsg_parse_record(s, (size_t)(end - s), &kl->msg, &mlen, &ts))
		return LK_NONE;
	kl->end = kl->msg + mlen;
	kl->ts_us = ts >= 0 && ts < 1000000LL * 10000000000LL ? ts : -1;
	kl->style = ST_KMSG;
	return (pri >> 3) == 0 ? LK_KERNEL : LK_OTHER;
}

/* Cut the prefix off: the message and its stamp in kl. */
static enum line_kind klog_split(const char *s, const char *end, bool notime,
				 struct klog_line *kl)
{
	const char *p = skip_sp(s, end), *after;
	enum line_kind k;
	bool comma;

	kl->ts_us = -1;
	kl->end = end;
	if (p < end && is_digit(*p) && (k = split_kmsg(p, end, kl)) != LK_NONE)
		return k;
	if (!strip_level(&p, end))
		return LK_OTHER;
	if (parse_mono(p, end, &kl->ts_us, &after)) {
		int64_t ts = kl->ts_us;

		/* journalctl -o short-monotonic: "[ 8843.1] web1 kernel: msg"; any
		 * other word pair is dmesg's message ("e1000e 0000:00:1f.6 eth0: ...") */
		kl->style = syslog_rest(after, end, kl) == LK_KERNEL ? ST_JOURNAL : ST_DMESG;
		if (kl->style == ST_DMESG)
			kl->msg = after;
		kl->ts_us = ts;
		return LK_KERNEL;
	}
	if (parse_wall_bracket(p, end, &after)) {
		kl->style = ST_DMESG_T;
		kl->msg = after;
		return LK_KERNEL;
	}
	if (parse_iso(p, end, &after, &comma) && comma) {
		kl->style = ST_DMESG_T;
		kl->msg = after;
		return LK_KERNEL;
	}
	if (parse_iso(p, end, &after, &comma) || parse_bsd_date(p, end, &after)) {
		kl->style = ST_SYSLOG;
		return syslog_rest(after, end, kl);
	}
	if (!notime)
		return LK_NONE;
	kl->style = ST_BARE;
	kl->msg = p;
	return LK_KERNEL;
}

static void ring_push(struct klog_import *st, const struct kevent *ev)
{
	st->count[ev->kind]++;
	st->events++;
	st->ring[(st->head + st->n_ring) % SAMPLE_KEVENTS_MAX] = *ev;
	if (st->n_ring < SAMPLE_KEVENTS_MAX)
		st->n_ring++;
	else
		st->head = (st->head + 1) % SAMPLE_KEVENTS_MAX;
}

static int klog_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		     struct strbuf *err)
{
	struct klog_import *st = vst;
	struct klog_line kl = { 0 };
	enum line_kind k;
	struct kevent ev;

	(void)pos;
	(void)err;
	len = strnlen(s, len);            /* a NUL ends the line, as in the head lines */
	if (len && s[len - 1] == '\r')
		len--;
	k = klog_split(s, s + len, st->notime, &kl);
	if (k != LK_KERNEL) {
		st->skipped++;
		st->others += k == LK_OTHER;
		return 0;
	}
	st->rows++;
	st->style_n[kl.style]++;
	if (kl.ts_us >= 0) {
		if (st->ts_first < 0)
			st->ts_first = kl.ts_us;
		st->ts_last = kl.ts_us;
	}
	if (kevent_classify(kl.msg, (size_t)(kl.end - kl.msg), &ev)) {
		ev.ts_us = kl.ts_us;
		ring_push(st, &ev);
	}
	return 0;
}

static int klog_begin(void **out, struct sample_builder *b, const char *cmd, uint32_t prior,
		      struct strbuf *err)
{
	struct klog_import *st = calloc(1, sizeof(*st));
	struct import_cmd c;

	(void)prior;
	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	st->ts_first = st->ts_last = -1;
	import_cmd_parse(&c, cmd);
	st->subset = c.subset;
	st->notime = !strcmp(c.prog, "dmesg") &&
		     (import_cmd_flag(&c, 't') || import_cmd_word(&c, "--notime"));
	import_cmd_label(&c, "", st->label, sizeof(st->label));
	*out = st;
	return 0;
}

/* "3 socket events (syn-flood 2, conntrack-table-full 1)" into the note. */
static void klog_note(const struct klog_import *st, struct import_summary *sum)
{
	char a[32], kinds[96] = "";
	size_t o = 0;

	for (int k = 1; k < KEV_KIND_MAX && o < sizeof(kinds); k++)
		if (st->count[k])
			o += (size_t)snprintf(kinds + o, sizeof(kinds) - o, "%s%s %s", o ? ", " : "",
					      kevent_names[k], fmt_thousands(a, st->count[k]));
	if (st->events)
		import_note_add(sum, "socket events: %s", kinds);
	if (st->subset)
		import_note_add(sum, "a subset (| %s): a line not shown may still be in the log",
				st->subset);
	if (st->others)
		import_note_add(sum, "%s lines from other programs skipped",
				fmt_thousands(a, st->others));
	if (st->rows && st->ts_first < 0)
		import_note_add(sum, "wall-clock times only: events are not placed against uptime");
	if (st->events > SAMPLE_KEVENTS_MAX)
		import_note_add(sum, "the newest %d events kept", SAMPLE_KEVENTS_MAX);
}

static int klog_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct klog_import *st = vst;
	enum klog_style best = ST_DMESG;
	char a[32], e[32];

	(void)err;
	for (unsigned i = 0; i < st->n_ring; i++)
		sample_build_kevent(st->b, &st->ring[(st->head + i) % SAMPLE_KEVENTS_MAX]);
	if (st->rows) {
		sample_build_mark(st->b, HAVE_KLOG);
		sum->have = HAVE_KLOG;
	}
	for (int i = 0; i < ST_MAX; i++)
		if (st->style_n[i] > st->style_n[best])
			best = (enum klog_style)i;
	snprintf(sum->what, sizeof(sum->what), "%.40s: kernel log, %s line%s, %s socket event%s",
		 st->label[0] ? st->label : style_names[best], fmt_thousands(a, st->rows),
		 st->rows == 1 ? "" : "s", fmt_thousands(e, st->events), st->events == 1 ? "" : "s");
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	klog_note(st, sum);
	return 0;
}

static void klog_free(void *st)
{
	free(st);
}

/* A log-reading command, or a log file it reads. */
static int klog_cmd_score(const struct import_cmd *c)
{
	static const char *const files[] = { "/var/log/kern", "/var/log/messages",
					     "/var/log/syslog", "/dev/kmsg" };

	if (!strcmp(c->prog, "dmesg"))
		return 95;
	if (!strcmp(c->prog, "journalctl"))
		return import_cmd_flag(c, 'k') || import_cmd_word(c, "--dmesg") ? 95 : 60;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (import_cmd_arg_prefix(c, files[i]))
			return 90;
	return 0;
}

static bool klog_shaped(const char *line, size_t len)
{
	struct klog_line kl;

	return klog_split(line, line + len, false, &kl) == LK_KERNEL;
}

static int klog_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct import_cmd c;
	int score;

	import_cmd_parse(&c, cmd);
	if ((score = klog_cmd_score(&c)))
		return score;
	return import_head_score(head, n, klog_shaped);
}

const struct importer import_klog = {
	.name = "klog",
	.detect = klog_detect,
	.begin = klog_begin,
	.line = klog_line,
	.end = klog_end,
	.free = klog_free,
};
