// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The limits importer: `cat /proc/PID/limits`, the resource limits of
 * one process, for its RLIMIT_NOFILE (HAVE_FDS with the fd count that
 * count_text.c reads from `ls /proc/PID/fd | wc -l`).
 *
 * FORMAT. A header and one row per limit, columns padded to fixed widths
 * (fs/proc/base.c's proc_pid_limits, the same since 2.6.24; 6.18 here):
 *
 *   Limit                     Soft Limit           Hard Limit           Units
 *   Max cpu time              unlimited            unlimited            seconds
 *   Max open files            1024                 4096                 files
 *
 * Only "Max open files" is read; a value is a decimal number or
 * "unlimited". The file has no process name and no PID: the PID comes
 * from the command's path (`cat /proc/4116/limits`), a name from a
 * comment after it (`# nginx`, as `sockvet capture` writes) or from an
 * `ss -p` owner with the same PID. Without a PID (`cat
 * /proc/self/limits`, the file pasted alone, `/proc/$(pidof x)/limits`)
 * the limit belongs to no known process: it is said in the note and not
 * attached, because the shell's limit is not the server's (a login
 * shell's 1024 beside a service started with LimitNOFILE=65536 is the
 * classic look-alike). `grep 'Max open files' /proc/PID/limits` prints
 * the row alone and reads the same. A number that overflows is refused.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_cmd.h"
#include "proc_pid.h"
#include "ss_text.h"

struct lim_st {
	struct sample_builder *b;
	struct proc_pid p;
	bool found, refused;
	uint64_t soft, hard, rows, skipped;
	char refused_at[96];
};

static bool is_header(const char *s)
{
	return !strncmp(s, "Limit ", 6) && strstr(s, "Soft Limit") && strstr(s, "Hard Limit");
}

static bool is_row(const char *s)
{
	return !strncmp(s, "Max ", 4) && strlen(s) > 26;
}

static bool lim_shaped(const char *line, size_t len)
{
	(void)len;
	return is_header(line) || is_row(line);
}

static int lim_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct import_cmd c;
	int score;

	import_cmd_parse(&c, cmd);
	for (unsigned i = 0; i < c.argc; i++) {
		size_t l = strlen(c.argv[i]);

		if (!strncmp(c.argv[i], "/proc/", 6) && l > 7 && !strcmp(c.argv[i] + l - 7, "/limits"))
			return cmd && strstr(cmd, "wc") ? 0 : 95;
	}
	for (unsigned i = 0; i < n; i++)
		if (is_header(head[i]))
			return 85;
	score = import_head_score(head, n, lim_shaped);
	return score >= 80 ? score : 0;
}

static int lim_begin(void **vst, struct sample_builder *b, const char *cmd, uint32_t prior,
		     struct strbuf *err)
{
	struct lim_st *st = calloc(1, sizeof(*st));
	struct import_cmd c;

	(void)prior;
	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	import_cmd_parse(&c, cmd);
	proc_pid_from_cmd(&st->p, &c, cmd, "limits");
	*vst = st;
	return 0;
}

/* "unlimited" or a decimal that fits. */
static bool lim_value(const struct tok *t, uint64_t *v)
{
	if (ss_tok_is(t, "unlimited")) {
		*v = UINT64_MAX;
		return true;
	}
	return ss_parse_u64(t->p, t->n, UINT64_MAX - 1, v) == 0;
}

static int lim_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		    struct strbuf *err)
{
	struct lim_st *st = vst;
	struct tok t[SS_TOK_MAX];
	size_t n;

	(void)err;
	if (len && s[len - 1] == '\r')
		len--;
	n = ss_tokenize(s, len, t, SS_TOK_MAX);
	if (is_header(s) || (is_row(s) && strncmp(s, "Max open files", 14))) {
		st->rows++;
		return 0;
	}
	if (n < 5 || !ss_tok_is(&t[0], "Max") || !ss_tok_is(&t[1], "open") ||
	    !ss_tok_is(&t[2], "files") || memchr(s, '\0', len)) {
		st->skipped++;
		return 0;
	}
	if (!lim_value(&t[3], &st->soft) || !lim_value(&t[4], &st->hard)) {
		st->skipped++;
		if (!st->refused)
			snprintf(st->refused_at, sizeof(st->refused_at), "%.60s:%u:%zu", pos->file,
				 pos->line, lim_value(&t[3], &st->soft) ? t[4].col : t[3].col);
		st->refused = true;
		return 0;
	}
	st->found = true;
	st->rows++;
	return 0;
}

static void lim_value_str(char *buf, size_t n, uint64_t v)
{
	if (v == UINT64_MAX)
		snprintf(buf, n, "unlimited");
	else
		snprintf(buf, n, "%llu", (unsigned long long)v);
}

static int lim_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct lim_st *st = vst;
	char soft[24], hard[24];
	struct s_proc *p;

	(void)err;
	memset(sum, 0, sizeof(*sum));
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	lim_value_str(soft, sizeof(soft), st->soft);
	lim_value_str(hard, sizeof(hard), st->hard);
	if (st->p.given)
		snprintf(sum->what, sizeof(sum->what), "/proc/%u/limits: Max open files %s/%s",
			 st->p.pid, st->found ? soft : "?", st->found ? hard : "?");
	else
		snprintf(sum->what, sizeof(sum->what), "process limits: Max open files %s/%s",
			 st->found ? soft : "?", st->found ? hard : "?");
	if (st->refused)
		import_note_add(sum, "Max open files refused (not a number, or too large) at %s",
				st->refused_at);
	if (!st->found)
		return 0;
	if (!st->p.given) {
		import_note_add(sum, "%s: not attached to any process; a shell's limit is not the "
				"server's (give cat /proc/PID/limits of the server)",
				st->p.self ? "/proc/self is the cat itself, so the shell's limit"
					   : "no PID given");
		return 0;
	}
	p = proc_pid_entry(st->b, &st->p);
	if (p) {
		p->has_limit = true;
		p->nofile_soft = st->soft;
		p->nofile_hard = st->hard;
		sum->have = HAVE_FDS;
	}
	return 0;
}

static void lim_free(void *st)
{
	free(st);
}

const struct importer import_limits = {
	.name = "limits",
	.detect = lim_detect,
	.begin = lim_begin,
	.line = lim_line,
	.end = lim_end,
	.free = lim_free,
};
