// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ss text importer: socket tables and `ss -s` summaries as people
 * paste them.
 *
 * TABLES. `ss -tan` (iproute2 6.1, Debian 12) prints one header line and
 * one row per socket, columns separated by runs of spaces:
 *
 *   State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
 *   LISTEN     2      4          127.0.0.1:8080       0.0.0.0:*
 *   ESTAB      0      0          127.0.0.1:80       127.0.0.1:51354
 *   CLOSE-WAIT 1      0              [::1]:443          [::1]:46142
 *
 * The columns are, left to right:
 *   Netid   only when more than one protocol is listed (-tu, -tulpn, -a
 *           without -t): tcp, udp, raw, mptcp, u_str, u_dgr, u_seq, p_raw,
 *           p_dgr, nl. Lower case.
 *   State   ss's spelling (ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1/2,
 *           TIME-WAIT, UNCONN, CLOSE-WAIT, LAST-ACK, LISTEN, CLOSING).
 *           Absent when a `state X` filter selects exactly one state
 *           (`ss -tan state close-wait`): the state is then the command
 *           line's, which is why a table whose header and command line are
 *           both gone (`-H`, no prompt) cannot be read without its State.
 *   Recv-Q, Send-Q  bytes queued; for LISTEN the accept queue's length and
 *           its limit (min(backlog, somaxconn)).
 *   Local Address:Port, Peer Address:Port  v4 as 127.0.0.1:80, v6 in
 *           brackets [::1]:80 (iproute2 4.x printed v6 bare, :::22 and
 *           ::1:631, split at the last colon), a wildcard as 0.0.0.0,
 *           [::] or * (a dual-stack v6 socket; in 4.x also 0.0.0.0), a
 *           port as * when none, an interface as 127.0.0.53%lo:53 or
 *           [fe80::1]%eth0:22, v4-mapped as [::ffff:127.0.0.1]:80.
 *           Without -n (`ss -ta`) ports are service names (http, ssh,
 *           http-alt) from /etc/services; with -r hosts are names.
 *   Process ("users:((\"nginx\",pid=1,fd=6))") with -p, iproute2 5.x+
 *           names the column; 4.x had no header for it.
 *
 * Extras follow on the same line: -o `timer:(on,200ms,3)` (name, time
 * left, retransmissions or probes), -e `uid:0 ino:6246524 sk:1ff6ec
 * cgroup:... <->` (ino:0 is a child still in its listener's accept queue;
 * sk: the socket cookie, a kernel pointer in 4.x), and -m/-i go on a
 * continuation line that starts with a tab (`\t skmem:(r0,rb131072,t0,
 * tb16384,f0,w0,o0,bl0,d0)`; -O puts it on the row itself). Pasted text
 * may have the continuation's tab turned into spaces.
 *
 * SUMMARY. `ss -s` (6.1):
 *
 *   Total: 20
 *   TCP:   17 (estab 11, closed 2, orphaned 0, timewait 1)
 *   Transport Total     IP        IPv6
 *   TCP       15        11        4
 *
 * Total is sockstat's "sockets: used", TCP: N its TCP alloc, orphaned its
 * orphan, timewait its tw, estab snmp's CurrEstab; older versions add
 * "synrecv 0", write timewait as "1/0" and append ", ports 0", and 4.x
 * wrote "Total: 182 (kernel 0)". The Transport TCP IP column is sockstat
 * TCP inuse minus tw. There is no memory figure, so the rules that need
 * /proc/net/sockstat (tcp_mem) cannot be fed: the counters are stored
 * (each with its present flag) and quoted in the note, and HAVE_SOCKSTAT
 * is not marked.
 *
 * WHAT IS DONE WITH IT. TCP rows become socket records for the builder
 * (sample_build_socks_begin once, at the first TCP row). UDP rows are
 * given only with skmem (-m): HAVE_UDP promises drop counts. When an
 * earlier section already gave the socket list, LISTEN rows are not added
 * again (an `ss -tlnp` after an `ss -tan`). Unknown service names and
 * host names leave the row out (a port we would guess could make a false
 * tuple); each such row is counted and named in the note. A CLOSE-WAIT
 * row without ino: counts as accepted (it usually is; the note says how
 * many were taken so). Without sk: cookies the rows cannot be matched
 * across samples, so the per-socket CLOSE-WAIT set is withdrawn.
 */
#include "import.h"
#include "import_cmd.h"

#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "../filter/filter.h"
#include "../util/fmt.h"
#include "sock_text.h"

/* What the command line says about the output. */
struct ss_cmd {
	bool seen;               /* an ss command line was given */
	bool tcp, udp;           /* -t / -u (neither: ss lists all) */
	bool summary;            /* -s */
	bool listening;          /* -l: listeners only */
	bool all;                /* -a: every state */
	char expr[256];          /* the filter expression's words */
	int port_only;           /* the expression is `sport = :P`: P; else -1 */
	bool subset;             /* a filter, | grep, | head: rows may be missing */
	uint32_t states;         /* `state X`: the mask; 0 none */
	uint8_t one_state;       /* the State column's value when it is absent */
};

struct ss_sum {
	bool total, tcp, transport;
	int64_t used, alloc, estab, closed, orphan, tw, tcp_ip, udp_ip;
};

struct ss_st {
	struct sample_builder *b;
	uint32_t prior;
	struct ss_cmd c;
	char cmdline[48];
	struct sock_text k;      /* the TCP rows, shared with netstat */
	bool header, udp_started;
	bool pend;
	struct ss_extra x;       /* what the pending row's extras said */
	struct sock_rec r;       /* the row waiting for its continuation */
	uint64_t rows, skipped, udp, cont, svc, host, nostate, dup;
	uint64_t udp_noskmem, other;
	struct ss_sum sum;
};

/* ---- the command line ---- */

static void cmd_short_flags(struct ss_cmd *c, const char *w)
{
	for (const char *p = w + 1; *p; p++) {
		if (*p == 't')
			c->tcp = true;
		else if (*p == 'u')
			c->udp = true;
		else if (*p == 's')
			c->summary = true;
		else if (*p == 'l')
			c->listening = true;
		else if (*p == 'a')
			c->all = true;
		else if (*p == '4' || *p == '6')
			c->subset = true;
		else if (*p == 'A' || *p == 'f' || *p == 'F')
			c->subset = true;  /* the rest of the word is an argument */
		if (*p == 'A' || *p == 'f' || *p == 'F')
			break;
	}
}

static void cmd_long_flag(struct ss_cmd *c, const char *w)
{
	if (!strcmp(w, "--tcp"))
		c->tcp = true;
	else if (!strcmp(w, "--udp"))
		c->udp = true;
	else if (!strcmp(w, "--summary"))
		c->summary = true;
	else if (!strcmp(w, "--listening"))
		c->listening = true;
	else if (!strcmp(w, "--all"))
		c->all = true;
}

/* The words after ss, up to a pipe. */
static void cmd_words(struct ss_cmd *c, const char *const *w, size_t n)
{
	uint32_t m;

	for (size_t i = 0; i < n; i++) {
		if (!strncmp(w[i], "--", 2))
			cmd_long_flag(c, w[i]);
		else if (w[i][0] == '-')
			cmd_short_flags(c, w[i]);
		else if ((!strcmp(w[i], "state") || !strcmp(w[i], "exclude")) && i + 1 < n &&
			 filter_state_word(w[i + 1], &m, NULL) == 0) {
			c->states = !strcmp(w[i], "state") ? c->states | m : (c->states ? c->states : SS_ALL_STATES) & ~m;
			c->subset = true;
			i++;
		} else if (strlen(c->expr) + strlen(w[i]) + 2 < sizeof(c->expr)) {
			/* a filter expression: judged whole in cmd_expr() */
			if (c->expr[0])
				strcat(c->expr, " ");
			strcat(c->expr, w[i]);
		} else {
			c->subset = true;
		}
	}
}

/*
 * The expression, read by the filter language itself: `sport = :P` (the
 * runbook's `ss -tlnp '( sport = :8080 )'`) keeps the table complete for
 * port P's listeners; anything else makes it a subset.
 */
static void cmd_expr(struct ss_cmd *c)
{
	struct filter *f;
	const struct filter_node *n;
	struct strbuf err = STRBUF_INIT;

	if (!c->expr[0])
		return;
	c->subset = true;
	f = malloc(sizeof(*f));
	if (!f)
		return;
	filter_init(f);
	if (filter_parse(f, c->expr, &err) == 0 && f->root >= 0) {
		n = &f->nodes[f->root];
		if (n->kind == FK_SPORT && n->op == FOP_EQ) {
			c->port_only = (int)n->u.num;
			c->subset = false;
		}
	}
	strbuf_release(&err);
	free(f);
}

/* Fills c from cmd (split by import_cmd_parse); c->seen stays false
 * unless the command runs ss (also after a wrapper: ip netns exec NS ss). */
static void cmd_parse(struct ss_cmd *c, const char *cmd)
{
	struct import_cmd ic;
	int at;

	memset(c, 0, sizeof(*c));
	c->port_only = -1;
	import_cmd_parse(&ic, cmd);
	at = import_cmd_runs(&ic, "ss");
	if (at < 0)
		return;
	c->seen = true;
	cmd_words(c, ic.argv + at, ic.argc - (unsigned)at);
	/* any later stage: not the whole table; wc counts: not a table at all */
	if (ic.piped) {
		c->subset = true;
		c->seen = strcmp(ic.piped, "wc") != 0;
	}
	cmd_expr(c);
	for (unsigned s = 1; s < SS_STATE_MAX; s++)
		if (c->states == 1u << s)
			c->one_state = (uint8_t)s;
}

/* ---- detection ---- */

static bool is_header(const char *s)
{
	/* Rows never hold "Recv-Q": skip the search for them (one per line). */
	if (!strchr(s, 'Q'))
		return false;
	return strstr(s, "Recv-Q") && strstr(s, "Send-Q") &&
	       (strstr(s, "Local Address:Port") || strstr(s, "Local  Address:Port"));
}

static bool is_summary_line(const char *s)
{
	return !strncmp(s, "Total: ", 7) || (!strncmp(s, "TCP:", 4) && strstr(s, "(estab ")) ||
	       !strncmp(s, "Transport Total", 15);
}

static int row_shape(const char *s, size_t len);

static int ss_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct ss_cmd c;
	unsigned hdr = 0, sum = 0, rows = 0, lines = 0;

	cmd_parse(&c, cmd);
	if (cmd && strstr(cmd, "wc") && strchr(cmd, '|') && !c.seen)
		return 0;
	if (c.seen)
		return 90;
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(head[i]);

		if (!len)
			continue;
		lines++;
		hdr += is_header(head[i]);
		sum += is_summary_line(head[i]);
		rows += row_shape(head[i], len) == 1;
	}
	if (hdr)
		return 80;
	if (sum >= 2)
		return 80;
	if (rows >= 2 && rows * 2 >= lines)
		return 60;
	return rows ? 20 : 0;
}

static int row_shape(const char *s, size_t len)
{
	struct tok t[SS_TOK_MAX];
	struct sock_rec r;
	size_t n = ss_tokenize(s, len, t, SS_TOK_MAX), col = 0;

	return ss_row_read(&r, t, n, 0, false, &col);
}

/* ---- ss -s ---- */

/* "11," "1/0)" "0)": the leading number. */
static bool sum_num(const struct tok *t, int64_t *v)
{
	size_t k = 0;
	uint64_t u;

	while (k < t->n && t->p[k] >= '0' && t->p[k] <= '9')
		k++;
	if (ss_parse_u64(t->p, k, INT64_MAX, &u))
		return false;
	*v = (int64_t)u;
	return true;
}

static void sum_tcp(struct ss_sum *m, const struct tok *t, size_t n)
{
	static const char *const key[] = { "(estab", "closed", "orphaned", "timewait" };
	int64_t *dst[] = { &m->estab, &m->closed, &m->orphan, &m->tw };

	m->tcp = sum_num(&t[1], &m->alloc);
	for (size_t i = 2; i + 1 < n; i++)
		for (size_t k = 0; k < sizeof(key) / sizeof(key[0]); k++)
			if (ss_tok_is(&t[i], key[k]) || (k == 0 && ss_tok_is(&t[i], "estab")))
				sum_num(&t[i + 1], dst[k]);
}

/* 1: the line was ss -s's (used), 2: its shape but unreadable, 0: not. */
static int sum_line(struct ss_st *st, const struct tok *t, size_t n)
{
	struct ss_sum *m = &st->sum;

	if (ss_tok_is(&t[0], "Total:") && n >= 2)
		return (m->total = sum_num(&t[1], &m->used)) ? 1 : 2;
	if (ss_tok_is(&t[0], "TCP:") && n >= 2) {
		sum_tcp(m, t, n);
		return m->tcp ? 1 : 2;
	}
	if (n == 4 && ss_tok_is(&t[0], "Transport") && ss_tok_is(&t[1], "Total")) {
		m->transport = true;
		return 1;
	}
	if (!m->transport || n != 4)
		return 0;
	if (ss_tok_is(&t[0], "TCP"))
		return sum_num(&t[2], &m->tcp_ip) ? 1 : 2;
	if (ss_tok_is(&t[0], "UDP"))
		return sum_num(&t[2], &m->udp_ip) ? 1 : 2;
	return ss_tok_is(&t[0], "*") || ss_tok_is(&t[0], "RAW") || ss_tok_is(&t[0], "INET") || ss_tok_is(&t[0], "FRAG") ? 1 : 0;
}

static void sum_set(struct counter *c, bool have, int64_t v)
{
	if (have && !c->present) {
		c->present = true;
		c->v = v;
	}
}

/* Stored, not marked: ss -s has no TCP mem (see the essay). */
static void sum_store(struct ss_st *st)
{
	struct sockstat_counts *ss = &st->b->s->sockstat;
	const struct ss_sum *m = &st->sum;

	sum_set(&ss->sockets_used, m->total, m->used);
	sum_set(&ss->tcp_alloc, m->tcp, m->alloc);
	sum_set(&ss->tcp_orphan, m->tcp, m->orphan);
	sum_set(&ss->tcp_tw, m->tcp, m->tw);
	sum_set(&ss->tcp_curr_estab, m->tcp, m->estab);
	sum_set(&ss->tcp_inuse, m->transport && m->tcp, m->tcp_ip + m->tw);
	sum_set(&ss->udp_inuse, m->transport, m->udp_ip);
}

/* ---- streaming ---- */

static void flush_tcp(struct ss_st *st)
{
	if (!sock_text_tcp(&st->k, &st->r, &st->x)) {
		st->dup++;
		st->skipped++;
		return;
	}
	st->rows++;
}

static void flush_udp(struct ss_st *st)
{
	if (!st->r.has_skmem || st->r.skmem_n <= SK_MEMINFO_DROPS) {
		st->udp_noskmem++;
		st->skipped++;
		return;
	}
	if (st->prior & HAVE_UDP) {
		st->dup++;
		st->skipped++;
		return;
	}
	if (!st->udp_started) {
		sample_build_udp_begin(st->b);
		st->udp_started = true;
	}
	sample_build_udp(st->b, &st->r);
	st->udp++;
	st->rows++;
}

static void flush(struct ss_st *st)
{
	if (!st->pend)
		return;
	st->pend = false;
	if (st->r.table == TBL_TCP) {
		flush_tcp(st);
	} else if (st->r.table == TBL_UDP) {
		flush_udp(st);
	} else {
		st->other++;
		st->skipped++;
	}
}

static void row_start(struct ss_st *st, const struct sock_rec *r, const struct tok *t, size_t n)
{
	int netid, state;
	size_t i = ss_row_lead(t, n, &netid, &state) + 4;

	flush(st);
	st->r = *r;
	st->pend = true;
	memset(&st->x, 0, sizeof(st->x));
	ss_row_extras(&st->r, &st->x, t + i, n - i);
}

/* A line that is no row: a continuation of the last one, or noise. */
static void not_a_row(struct ss_st *st, const char *s, const struct tok *t, size_t n)
{
	struct sock_rec r;
	size_t col;
	bool had = st->r.has_skmem;

	if (st->pend && (s[0] == '\t' || s[0] == ' ')) {
		st->cont++;
		ss_row_extras(&st->r, &st->x, t, n);
		if (!had && st->r.has_skmem)
			st->rows++;
		else
			st->skipped++;
		return;
	}
	flush(st);
	/* a row but for its State: -H or no prompt, and no `state X` */
	if (!st->c.one_state && ss_row_read(&r, t, n, SS_ESTABLISHED, false, &col) == 1)
		st->nostate++;
	st->skipped++;
}

static int ss_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		   struct strbuf *err)
{
	struct ss_st *st = vst;
	struct tok t[SS_TOK_MAX];
	struct sock_rec r;
	size_t n, col = 0;
	int rc;

	if (len && s[len - 1] == '\r')
		len--;
	n = ss_tokenize(s, len, t, SS_TOK_MAX);
	if (!n) {
		/* -i on a socket without info: the tab alone */
		st->cont += st->pend && len && s[0] == '\t';
		st->skipped++;
		return 0;
	}
	if (is_header(s)) {
		flush(st);
		st->header = true;
		st->rows++;
		return 0;
	}
	rc = sum_line(st, t, n);
	if (rc) {
		flush(st);
		*(rc == 1 ? &st->rows : &st->skipped) += 1;
		return 0;
	}
	rc = ss_row_read(&r, t, n, st->c.one_state, st->c.udp && !st->c.tcp, &col);
	if (rc == 1) {
		row_start(st, &r, t, n);
	} else if (rc == -1) {
		flush(st);
		return error_set(err, "%s:%u:%zu: ss row: a number out of range", pos->file, pos->line, col);
	} else if (rc > 10) {
		flush(st);
		*(rc == 10 + EP_SVC ? &st->svc : &st->host) += 1;
		st->skipped++;
	} else {
		not_a_row(st, s, t, n);
	}
	return 0;
}

static int ss_begin(void **vst, struct sample_builder *b, const char *cmd, uint32_t prior,
		    struct strbuf *err)
{
	struct ss_st *st = calloc(1, sizeof(*st));

	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	st->prior = prior;
	sock_text_init(&st->k, b, prior);
	cmd_parse(&st->c, cmd);
	snprintf(st->cmdline, sizeof(st->cmdline), "%s", st->c.seen && cmd ? cmd : "ss");
	*vst = st;
	return 0;
}

/* Appends "; what" to the note while there is room. */
static void note_add(struct import_summary *sum, const char *fmt, uint64_t v)
{
	size_t len = strlen(sum->note);
	char buf[32], one[96];

	if (!v)
		return;
	snprintf(one, sizeof(one), fmt, fmt_thousands(buf, v));
	if (len + strlen(one) + 3 >= sizeof(sum->note))
		return;
	snprintf(sum->note + len, sizeof(sum->note) - len, "%s%s", len ? "; " : "", one);
}

static void end_notes(const struct ss_st *st, struct import_summary *sum)
{
	if (st->c.subset)
		snprintf(sum->note, sizeof(sum->note), "a subset (filter or pipe): absent rows are not zero");
	if (st->c.listening && !st->c.subset)
		snprintf(sum->note, sizeof(sum->note), "listeners only (-l): other states absent, not zero");
	if (st->c.port_only >= 0 && !st->c.subset)
		snprintf(sum->note + strlen(sum->note), sizeof(sum->note) - strlen(sum->note),
			 "%sport %d only (sport = :%d): other ports absent, not zero",
			 sum->note[0] ? "; " : "", st->c.port_only, st->c.port_only);
	note_add(sum, "%s LISTEN/UDP rows already given earlier, not added", st->dup);
	note_add(sum, "%s rows with unknown service names left out", st->svc);
	note_add(sum, "%s rows with host names left out", st->host);
	note_add(sum, "%s rows without State (no `state X`) left out", st->nostate);
	note_add(sum, "%s CLOSE-WAIT without ino: taken as accepted", st->k.cw_guess);
	note_add(sum, "%s UDP rows without skmem (-m) not used", st->udp_noskmem);
	note_add(sum, "%s non-TCP/UDP rows", st->other);
	note_add(sum, "%s -i/-m continuation lines", st->cont);
	if (st->sum.tcp)
		snprintf(sum->note + strlen(sum->note), sizeof(sum->note) - strlen(sum->note),
			 "%sss -s: TCP alloc %lld orphan %lld tw %lld estab %lld (no mem: not a sockstat)",
			 sum->note[0] ? "; " : "", (long long)st->sum.alloc, (long long)st->sum.orphan,
			 (long long)st->sum.tw, (long long)st->sum.estab);
}

static int ss_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct ss_st *st = vst;
	struct sock_cover c = {
		.seen = st->c.seen, .all = st->c.all, .listening = st->c.listening,
		.subset = st->c.subset, .port_only = st->c.port_only,
	};
	char a[32], b[32];

	(void)err;
	flush(st);
	memset(sum, 0, sizeof(*sum));
	sum->have |= sock_text_end(&st->k, &c, st->header && st->c.tcp && !st->c.subset);
	if (st->sum.total || st->sum.tcp || st->sum.transport)
		sum_store(st);
	sum->have |= st->udp_started ? HAVE_UDP : 0;
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	if (st->k.tcp || st->udp || st->k.socks || !st->sum.tcp)
		snprintf(sum->what, sizeof(sum->what), "%s: socket table, %s TCP, %s UDP sockets",
			 st->cmdline, fmt_thousands(a, st->k.tcp), fmt_thousands(b, st->udp));
	else
		snprintf(sum->what, sizeof(sum->what), "%s: socket summary", st->cmdline);
	end_notes(st, sum);
	return 0;
}

static void ss_free(void *st)
{
	free(st);
}

const struct importer import_ss = {
	.name = "ss",
	.detect = ss_detect,
	.begin = ss_begin,
	.line = ss_line,
	.end = ss_end,
	.free = ss_free,
};
