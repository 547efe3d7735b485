// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The count importer: a lone number printed by a counting pipeline, when
 * the command line says what was counted.
 *
 * FORMAT. `wc -l` (coreutils 9.1 on Debian 12) prints the count alone,
 * "1022"; BSD and busybox wc pad it ("    1022"); `grep -c` prints the
 * count alone too. What the number means is the command's:
 *
 *   ls /proc/PID/fd | wc -l           PID's open fds
 *   ls -l /proc/PID/fd | wc -l        the same plus ls's "total 0" line: n - 1
 *   ls -la /proc/PID/fd | wc -l       plus "total", "." and "..": n - 3
 *   lsof -p PID | wc -l               a header line, then one line per fd and
 *                                     per cwd/rtd/txt/mem entry: n - 1 is an
 *                                     upper bound of the fds (said in the note)
 *   ss -tan state time-wait | wc -l   ss prints a header: n - 1 TIME-WAIT sockets
 *   ss -tanH state time-wait | wc -l  no header (-H): n
 *   netstat -an | grep TIME_WAIT | wc -l     n TIME-WAIT sockets
 *   netstat -ant | grep -c ESTABLISHED       the same with grep -c
 *   ss -tan | grep -c CLOSE-WAIT
 *
 * (each checked on 6.18 in a netns: 6 CLOSE-WAIT sockets gave 7 with ss
 * and a header, 6 with -H and with every grep form; an fd directory of
 * 16 entries gave 17 with ls -l). A socket count is a total for that one
 * state (sample.counted[]): never the table (HAVE_CONN_STATES: the other
 * states are unknown), never per port or destination. It is kept only
 * when the grep is one state word (ss or netstat spelling, any case) or
 * ss's own `state X`: a second grep (`| grep :443`), -v, a pattern that
 * is not a state, or ss/netstat without -t where the state word also
 * names UDP or UNIX lines (ESTAB, CONNECTED) is read as "not known" and
 * said in the note. An fd count needs a numeric PID in the path
 * (`/proc/self/fd` is ls's own); `# nginx` after the command names it.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/fmt.h"
#include "import_cmd.h"
#include "proc_pid.h"
#include "ss_text.h"

#define STAGES_MAX 6

enum cnt_kind { CNT_NONE, CNT_FDS_LS, CNT_FDS_LSOF, CNT_SOCKS };

struct cnt_st {
	struct sample_builder *b;
	enum cnt_kind kind;
	struct proc_pid p;
	unsigned minus;          /* lines that are not items: headers, "total" */
	int state;               /* SS_* for CNT_SOCKS; 0 unknown */
	char why[96];            /* why a count is not kept */
	char label[64];
	bool found;
	uint64_t n, rows, skipped, extra;
};

/* State words as ss and netstat print them; a grep matching one. */
static const struct { const char *w; int state; bool tcp_only; } state_words[] = {
	{ "ESTAB", SS_ESTABLISHED, false }, { "ESTABLISHED", SS_ESTABLISHED, false },
	{ "SYN-SENT", SS_SYN_SENT, true }, { "SYN_SENT", SS_SYN_SENT, true },
	{ "SYN-RECV", SS_SYN_RECV, true }, { "SYN_RECV", SS_SYN_RECV, true },
	{ "FIN-WAIT-1", SS_FIN_WAIT1, true }, { "FIN_WAIT1", SS_FIN_WAIT1, true },
	{ "FIN-WAIT-2", SS_FIN_WAIT2, true }, { "FIN_WAIT2", SS_FIN_WAIT2, true },
	{ "TIME-WAIT", SS_TIME_WAIT, true }, { "TIME_WAIT", SS_TIME_WAIT, true },
	{ "CLOSE-WAIT", SS_CLOSE_WAIT, true }, { "CLOSE_WAIT", SS_CLOSE_WAIT, true },
	{ "LAST-ACK", SS_LAST_ACK, true }, { "LAST_ACK", SS_LAST_ACK, true },
	{ "CLOSING", SS_CLOSING, true }, { "LISTEN", SS_LISTEN, false },
};

/* ss's `state X` words (lower case, dashes): the same table, any case. */
static int state_of(const char *w, bool *tcp_only)
{
	for (size_t i = 0; i < sizeof(state_words) / sizeof(state_words[0]); i++)
		if (!strcasecmp(w, state_words[i].w)) {
			*tcp_only = state_words[i].tcp_only;
			return state_words[i].state;
		}
	if (!strcasecmp(w, "established") || !strcasecmp(w, "estab"))
		return *tcp_only = false, SS_ESTABLISHED;
	return 0;
}

/* cmd without a trailing "# comment", cut into pipeline stages. */
static unsigned split_stages(const char *cmd, struct import_cmd *st, unsigned max)
{
	char buf[IMPORT_CMD_MAX], *p = buf, *h;
	unsigned n = 0;
	char q = 0;

	snprintf(buf, sizeof(buf), "%s", cmd ? cmd : "");
	h = strstr(buf, " #");
	if (h)
		*h = '\0';
	for (char *s = buf;; s++) {
		if (!q && (*s == '\'' || *s == '"'))
			q = *s;
		else if (q && *s == q)
			q = 0;
		if ((*s == '|' && !q) || !*s) {
			bool end = !*s;

			*s = '\0';
			if (n < max)
				import_cmd_parse(&st[n++], p);
			if (end)
				break;
			p = s + 1;
		}
	}
	return n;
}

static bool stage_is(const struct import_cmd *c, const char *prog)
{
	return !strcmp(c->prog, prog);
}

/* The grep stages' one state word (grep -c or a grep before wc -l). */
static int grep_state(struct cnt_st *st, const struct import_cmd *g, unsigned ng, bool tcp)
{
	const char *pat = NULL;
	bool tcp_only = false;
	int state;

	if (ng != 1) {
		snprintf(st->why, sizeof(st->why), "%s", ng ? "several greps: a subset of a state"
						       : "every line counted, not one state");
		return 0;
	}
	for (unsigned i = 0; i < g->argc; i++) {
		const char *a = g->argv[i];

		if (a[0] == '-' && strchr(a + 1, 'v'))
			return snprintf(st->why, sizeof(st->why), "grep -v"), 0;
		if (a[0] != '-' && !pat)
			pat = a;
	}
	state = pat ? state_of(pat, &tcp_only) : 0;
	if (!state)
		snprintf(st->why, sizeof(st->why), "grep %.40s is not a state", pat ? pat : "?");
	else if (!tcp && !tcp_only)
		snprintf(st->why, sizeof(st->why), "without -t %.20s lines of other protocols count too",
			 pat);
	return tcp || tcp_only ? state : 0;
}

/* ss/netstat ... [| grep X] | wc -l, or ... | grep -c X. */
static void socks_kind(struct cnt_st *st, const struct import_cmd *s, unsigned n)
{
	bool ss = stage_is(&s[0], "ss");
	bool tcp = import_cmd_flag(&s[0], 't') || import_cmd_word(&s[0], "--tcp");
	const struct import_cmd *greps[STAGES_MAX];
	unsigned ng = 0;
	bool tcp_only = false, wc = false, grep_c = false;
	int own = 0;

	for (unsigned i = 0; ss && i + 1 < s[0].argc; i++)
		if (!strcmp(s[0].argv[i], "state"))
			own = own ? -1 : state_of(s[0].argv[i + 1], &tcp_only);
	for (unsigned i = 1; i < n; i++) {
		if (stage_is(&s[i], "grep") || stage_is(&s[i], "egrep"))
			greps[ng++] = &s[i];
		wc |= stage_is(&s[i], "wc");
	}
	grep_c = ng && import_cmd_flag(greps[ng - 1], 'c');
	st->kind = CNT_SOCKS;
	if (own < 0 || (own && ng)) {
		snprintf(st->why, sizeof(st->why), "several states or a grep on top: not one total");
		return;
	}
	if (own) {
		st->state = tcp ? own : 0;
		st->minus = import_cmd_flag(&s[0], 'H') || import_cmd_word(&s[0], "--no-header") ? 0 : 1;
		if (!tcp)
			snprintf(st->why, sizeof(st->why), "ss without -t: other protocols count too");
		return;
	}
	if (wc || grep_c)
		st->state = grep_state(st, ng ? greps[0] : NULL, ng, tcp);
}

static void cmd_kind(struct cnt_st *st, const char *cmd)
{
	struct import_cmd s[STAGES_MAX];
	unsigned n = split_stages(cmd, s, STAGES_MAX);
	bool wc = n >= 2 && stage_is(&s[n - 1], "wc") && import_cmd_flag(&s[n - 1], 'l');
	bool grep_c = n >= 2 && stage_is(&s[n - 1], "grep") && import_cmd_flag(&s[n - 1], 'c');

	if (!wc && !grep_c)
		return;
	import_cmd_label(&s[0], "count", st->label, sizeof(st->label));
	if (stage_is(&s[0], "ls") && n == 2) {
		st->kind = CNT_FDS_LS;
		proc_pid_from_cmd(&st->p, &s[0], cmd, "fd");
		st->minus = import_cmd_flag(&s[0], 'l') ? 1 : 0;
		st->minus += import_cmd_flag(&s[0], 'a') ? 2 : 0;
	} else if (stage_is(&s[0], "lsof") && n == 2) {
		st->kind = CNT_FDS_LSOF;
		proc_pid_from_cmd(&st->p, &s[0], cmd, NULL);
		st->minus = 1;
	} else if (stage_is(&s[0], "ss") || stage_is(&s[0], "netstat")) {
		socks_kind(st, s, n);
	}
}

static int cnt_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct cnt_st st;
	unsigned nums = 0;

	(void)head;
	memset(&st, 0, sizeof(st));
	if (!cmd)
		return 0;
	cmd_kind(&st, cmd);
	for (unsigned i = 0; i < n; i++)
		nums += head[i][strspn(head[i], " \t")] >= '0' && head[i][strspn(head[i], " \t")] <= '9';
	return st.kind == CNT_NONE ? 0 : nums ? 95 : 60;
}

static int cnt_begin(void **vst, struct sample_builder *b, const char *cmd, uint32_t prior,
		     struct strbuf *err)
{
	struct cnt_st *st = calloc(1, sizeof(*st));

	(void)prior;
	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	snprintf(st->label, sizeof(st->label), "count");
	cmd_kind(st, cmd);
	*vst = st;
	return 0;
}

static int cnt_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		    struct strbuf *err)
{
	struct cnt_st *st = vst;
	struct tok t[2];
	uint64_t v;

	(void)pos;
	(void)err;
	if (len && s[len - 1] == '\r')
		len--;
	if (ss_tokenize(s, len, t, 2) != 1 || memchr(s, '\0', len) ||
	    ss_parse_u64(t[0].p, t[0].n, UINT32_MAX, &v) < 0) {
		st->skipped++;
		return 0;
	}
	if (st->found) {
		st->extra++;
		st->skipped++;
		return 0;
	}
	st->found = true;
	st->n = v;
	st->rows++;
	return 0;
}

static void end_fds(struct cnt_st *st, uint64_t n, struct import_summary *sum)
{
	struct s_proc *p;
	char a[32];

	if (st->p.given)
		snprintf(sum->what, sizeof(sum->what), "/proc/%u/fd%s%s: %s open fds", st->p.pid,
			 st->p.comm[0] ? " " : "", st->p.comm, fmt_thousands(a, n));
	else
		snprintf(sum->what, sizeof(sum->what), "%.56s | wc -l: %s open fds of no known "
			 "process", st->label, fmt_thousands(a, n));
	if (st->kind == CNT_FDS_LSOF)
		import_note_add(sum, "lsof also lists cwd, txt and mapped files: an upper bound");
	if (!st->p.given) {
		import_note_add(sum, "%s: not attached to any process",
				st->p.self ? "/proc/self is ls itself" : "no PID in the command");
		return;
	}
	p = proc_pid_entry(st->b, &st->p);
	if (p) {
		p->fds = (uint32_t)n;
		sum->have = HAVE_FDS;
	}
}

static void end_socks(struct cnt_st *st, uint64_t n, struct import_summary *sum)
{
	struct sample *s = st->b->s;
	char a[32];

	if (!st->state) {
		snprintf(sum->what, sizeof(sum->what), "%.56s: a count of %s lines", st->label,
			 fmt_thousands(a, n));
		import_note_add(sum, "not used: %s", st->why[0] ? st->why : "what was counted is unclear");
		return;
	}
	s->counted[st->state] = n;
	s->counted_states |= 1u << st->state;
	snprintf(sum->what, sizeof(sum->what), "%.48s: %s %s sockets (counted)", st->label,
		 fmt_thousands(a, n), sock_state_name((unsigned)st->state));
	import_note_add(sum, "a total for one state only: not per port or destination, other "
			"states unknown");
}

static int cnt_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct cnt_st *st = vst;
	uint64_t n;

	(void)err;
	memset(sum, 0, sizeof(*sum));
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	if (!st->found) {
		snprintf(sum->what, sizeof(sum->what), "%.56s: no count in the output", st->label);
		return 0;
	}
	n = st->n > st->minus ? st->n - st->minus : 0;
	if (st->extra)
		import_note_add(sum, "more than one number: the first was used");
	if (st->kind == CNT_SOCKS)
		end_socks(st, n, sum);
	else
		end_fds(st, n, sum);
	return 0;
}

static void cnt_free(void *st)
{
	free(st);
}

const struct importer import_count = {
	.name = "count",
	.detect = cnt_detect,
	.begin = cnt_begin,
	.line = cnt_line,
	.end = cnt_end,
	.free = cnt_free,
};
