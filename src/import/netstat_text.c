// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The netstat table importer: net-tools `netstat -tan`, `-tanp`, `-an`,
 * `-lntp` as people paste them.
 *
 * FORMAT. net-tools 2.10 (Debian 12) prints a title, a header and one row
 * per socket, columns padded with spaces to fixed widths:
 *
 *   Active Internet connections (servers and established)
 *   Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
 *   tcp        2      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      14680/python3
 *   tcp        1      0 127.0.0.1:9090          127.0.0.1:36848         CLOSE_WAIT  14680/python3
 *   tcp6       0      0 ::1:48462               ::1:2222                ESTABLISHED -
 *   udp        0      0 0.0.0.0:5353            0.0.0.0:*
 *
 * The title says which rows follow: "(servers and established)" with -a,
 * "(only servers)" with -l, "(w/o servers)" without either. -p adds the
 * "PID/Program name" column ("-" when the socket has no process the
 * caller may see, and a "(Not all processes could be identified ...)"
 * line before the title when not root); -e adds "User Inode" before it.
 * Without -t/-u (`netstat -an`) UDP, raw and then an "Active UNIX domain
 * sockets" part follow, with its own header (Proto RefCnt Flags Type State
 * I-Node Path) and rows starting with "unix": those are skipped, counted.
 *
 * Proto is tcp or tcp6 (udp, udp6, raw, raw6 for the others). Addresses
 * are ADDR:PORT with IPv6 unbracketed (:::22, ::1:631, ::ffff:10.0.0.1:80):
 * the port is after the last colon. A port is * when none; without -n
 * ports are service names and hosts names. States are spelled ESTABLISHED
 * SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2 TIME_WAIT CLOSE CLOSE_WAIT
 * LAST_ACK LISTEN CLOSING (UNKNOWN for anything else).
 *
 * Without -W (--wide) each endpoint is cut to 23 characters: when
 * address and port do not fit, net-tools keeps the port and truncates the
 * address, which then may still look like a valid but different IPv6
 * address (2001:db8:85a3:1234::443 for 2001:db8:85a3:1234:5678:9abc:def0:1
 * port 443, tests/data/import/netstat/v6-tan). An IPv4
 * endpoint always fits; a v6 one of exactly 23 characters may be cut, so
 * without -W on the command line such rows, and rows whose address does
 * not parse, are skipped and counted, and the table is then not taken as
 * complete; -W avoids it.
 *
 * QUEUES. Both queues come from /proc/net/tcp. For a connection Recv-Q
 * and Send-Q are bytes not read by the application and not acknowledged
 * by the peer, as ss shows them. For a LISTEN row Recv-Q is the accept
 * queue's length, as in ss, but Send-Q is not the backlog ss shows (ss
 * reads sock_diag, which reports the limit): /proc/net/tcp's tx_queue
 * for a listener is write_seq - snd_una, 0 (a listener with backlog 16
 * shows "2 0" here and "2 16" in ss, tests/data/import/netstat/tanp).
 * A listener without its limit cannot say whether its queue is full, so
 * LISTEN rows are not given to the model and a netstat table never marks
 * HAVE_SOCKETS: the report asks for `ss -tlnp` instead.
 *
 * WHAT IS DONE WITH IT. Every other TCP row becomes a socket record, as
 * in ss (sock_text.c): -a (or, with no command line, LISTEN rows next to
 * other states) makes the table complete for the non-listening states
 * (HAVE_CONN_STATES); -l, no -a, `| grep` or `| head`, -4/-6, -c mark
 * nothing. There are no cookies, so CLOSE-WAIT sockets cannot be followed
 * across samples; a CLOSE_WAIT row is taken as accepted (from -e's
 * Inode, else a guess the note counts). UDP has no drop counts here, so
 * UDP rows are counted, not used.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "../util/fmt.h"
#include "import_cmd.h"
#include "sock_text.h"

/* net-tools' endpoint column without -W: longer ones were cut. */
#define NS_EP_SHORT 23

struct ns_cmd {
	bool seen, subset, tcp, udp, all, listening, wide, ext;
};

struct ns_st {
	struct sock_text k;
	struct ns_cmd c;
	char label[48];
	bool header, in_unix;
	uint64_t rows, skipped, cut, svc, host, big, unix_n, udp, dup, listen;
};

/* ---- the command line ---- */

static void cmd_read(struct ns_cmd *c, const char *cmd, char *label, size_t size)
{
	struct import_cmd ic;

	memset(c, 0, sizeof(*c));
	import_cmd_parse(&ic, cmd);
	import_cmd_label(&ic, "netstat", label, size);
	if (strcmp(ic.prog, "netstat"))
		return;
	c->seen = true;
	c->subset = ic.subset || import_cmd_flag(&ic, '4') || import_cmd_flag(&ic, '6') ||
		    import_cmd_flag(&ic, 'c') || import_cmd_word(&ic, "--continuous");
	c->tcp = import_cmd_flag(&ic, 't') || import_cmd_word(&ic, "--tcp");
	c->udp = import_cmd_flag(&ic, 'u') || import_cmd_word(&ic, "--udp");
	c->all = import_cmd_flag(&ic, 'a') || import_cmd_word(&ic, "--all");
	c->listening = import_cmd_flag(&ic, 'l') || import_cmd_word(&ic, "--listening");
	c->wide = import_cmd_flag(&ic, 'W') || import_cmd_word(&ic, "--wide");
	c->ext = import_cmd_flag(&ic, 'e') || import_cmd_word(&ic, "--extend");
}

/* netstat modes whose output is no socket table (-s is counters_text.c's). */
static bool cmd_other_mode(const char *cmd)
{
	struct import_cmd ic;
	static const char other[] = "sirgMN";

	import_cmd_parse(&ic, cmd);
	for (const char *p = other; *p; p++)
		if (import_cmd_flag(&ic, *p))
			return true;
	return import_cmd_word(&ic, "--statistics") || import_cmd_word(&ic, "--interfaces") ||
	       import_cmd_word(&ic, "--route") || import_cmd_word(&ic, "--groups");
}

/* ---- rows ---- */

static const char *const ns_states[SS_STATE_MAX] = {
	[SS_ESTABLISHED] = "ESTABLISHED", [SS_SYN_SENT] = "SYN_SENT",
	[SS_SYN_RECV] = "SYN_RECV", [SS_FIN_WAIT1] = "FIN_WAIT1",
	[SS_FIN_WAIT2] = "FIN_WAIT2", [SS_TIME_WAIT] = "TIME_WAIT",
	[SS_CLOSE] = "CLOSE", [SS_CLOSE_WAIT] = "CLOSE_WAIT",
	[SS_LAST_ACK] = "LAST_ACK", [SS_LISTEN] = "LISTEN", [SS_CLOSING] = "CLOSING",
};

static int ns_state(const struct tok *t)
{
	for (int i = 1; i < SS_STATE_MAX; i++)
		if (ns_states[i] && ss_tok_is(t, ns_states[i]))
			return i;
	return -1;
}

static bool is_tcp(const struct tok *t)
{
	return ss_tok_is(t, "tcp") || ss_tok_is(t, "tcp6");
}

static bool is_other_inet(const struct tok *t)
{
	return ss_tok_is(t, "udp") || ss_tok_is(t, "udp6") || ss_tok_is(t, "raw") ||
	       ss_tok_is(t, "raw6");
}

/* What a row is; NS_ROW fills *r. */
enum ns_row { NS_NOT = 0, NS_ROW, NS_CUT, NS_SVC, NS_HOST, NS_BIG };

static enum ns_row ep_read(const struct tok *t, bool wide, uint8_t *fam, uint8_t addr[16],
			   uint16_t *port)
{
	int rc;

	/* a v6 endpoint filling the column may have lost part of its address */
	if (!wide && t->n == NS_EP_SHORT && memchr(t->p, ':', t->n) != memrchr(t->p, ':', t->n))
		return NS_CUT;
	rc = ss_ep_parse(t, false, fam, addr, port);
	if (rc == EP_OK && *fam == 0)
		return NS_CUT;       /* netstat never prints a bare * host */
	return rc == EP_OK ? NS_ROW : rc == EP_SVC ? NS_SVC : rc == EP_HOST ? NS_HOST :
	       rc == EP_BIG ? NS_BIG : NS_CUT;
}

/* proto recv-q send-q local foreign state [user inode] [pid/prog]. */
/* "1234/nginx:" (netstat cuts the program name; a space or ':' ends it). */
static void owner_read(struct ss_extra *x, const struct tok *t)
{
	const char *slash = memchr(t->p, '/', t->n);
	size_t k = 0, len = t->n - (size_t)(slash - t->p) - 1;
	uint64_t v;

	x->owned = true;
	if (ss_parse_u64(t->p, (size_t)(slash - t->p), UINT32_MAX, &v) || !v)
		return;
	x->pid = (uint32_t)v;
	while (k < len && k + 1 < sizeof(x->comm) && slash[1 + k] != ':' && slash[1 + k] != ' ')
		k++;
	memcpy(x->comm, slash + 1, k);
	x->comm[k] = '\0';
}

static enum ns_row row_read(struct sock_rec *r, struct ss_extra *x, const struct tok *t,
			    size_t n, const struct ns_cmd *c)
{
	uint64_t rq, wq, v;
	uint8_t pfam = 0;
	int a, b, state;
	enum ns_row ea, eb;

	memset(r, 0, sizeof(*r));
	memset(x, 0, sizeof(*x));
	if (n < 6 || !is_tcp(&t[0]) || (state = ns_state(&t[5])) < 0)
		return NS_NOT;
	a = ss_parse_u64(t[1].p, t[1].n, UINT32_MAX, &rq);
	b = ss_parse_u64(t[2].p, t[2].n, UINT32_MAX, &wq);
	if (a == -1 || b == -1)
		return NS_NOT;
	if (a == -2 || b == -2)
		return NS_BIG;
	ea = ep_read(&t[3], c->wide, &r->family, r->saddr, &r->sport);
	eb = ep_read(&t[4], c->wide, &pfam, r->daddr, &r->dport);
	if (ea != NS_ROW || eb != NS_ROW)
		return ea == NS_CUT || eb == NS_CUT ? NS_CUT : ea != NS_ROW ? ea : eb;
	r->state = (uint8_t)state;
	r->rqueue = (uint32_t)rq;
	r->wqueue = (uint32_t)wq;
	r->netid = NETID_TCP;
	r->table = TBL_TCP;
	r->protocol = IPPROTO_TCP;
	if (c->ext && n >= 8 && ss_parse_u64(t[7].p, t[7].n, UINT32_MAX, &v) == 0) {
		r->inode = (uint32_t)v;
		x->ino = v != 0;
	}
	/* PID/Program name: "1234/nginx: master" ("-": none the caller may see) */
	for (size_t i = 6; i < n && !x->owned; i++)
		if (t[i].p[0] >= '1' && t[i].p[0] <= '9' && memchr(t[i].p, '/', t[i].n))
			owner_read(x, &t[i]);
	return NS_ROW;
}

/* ---- detection ---- */

static bool is_title(const char *s)
{
	return !strncmp(s, "Active Internet connections", 27);
}

static bool is_header(const char *s)
{
	return !strncmp(s, "Proto Recv-Q Send-Q Local Address", 33) && strstr(s, "Foreign Address");
}

static bool row_shaped(const char *s, size_t len)
{
	struct tok t[SS_TOK_MAX];
	struct sock_rec r;
	struct ss_extra x;
	struct ns_cmd c = { .wide = true };
	size_t n = ss_tokenize(s, len, t, SS_TOK_MAX);

	if (is_title(s) || is_header(s))
		return true;
	if (n >= 5 && n <= 7 && is_other_inet(&t[0]))
		return true;
	return n >= 6 && row_read(&r, &x, t, n, &c) != NS_NOT;
}

static int ns_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct ns_cmd c;
	char label[48];
	const char *pipe = cmd ? strchr(cmd, '|') : NULL;
	int score;

	cmd_read(&c, cmd, label, sizeof(label));
	if (c.seen)
		return cmd_other_mode(cmd) || (pipe && strstr(pipe, "wc")) ? 0 : 90;
	for (unsigned i = 0; i < n; i++)
		if (is_title(head[i]) || is_header(head[i]))
			return 85;
	/* rows alone: most of the head, and below a header's score */
	score = import_head_score(head, n, row_shaped);
	return score >= 65 ? score * 3 / 4 : score ? 20 : 0;
}

/* ---- streaming ---- */

static void row_give(struct ns_st *st, struct sock_rec *r, const struct ss_extra *x)
{
	if (r->state == SS_LISTEN) {
		/* Send-Q is not the backlog here (see the essay) */
		st->k.listen_seen++;
		st->listen++;
		st->skipped++;
	} else if (st->k.prior & HAVE_CONN_STATES) {
		st->dup++;
		st->skipped++;
	} else if (sock_text_tcp(&st->k, r, x)) {
		st->rows++;
	} else {
		st->dup++;
		st->skipped++;
	}
}

static void line_other(struct ns_st *st, const char *s, const struct tok *t, size_t n)
{
	if (!strncmp(s, "Active ", 7)) {
		st->in_unix = true;  /* UNIX, Bluetooth: not ours */
		st->unix_n++;
	} else if (st->in_unix) {
		st->unix_n++;
	} else if (n >= 5 && is_other_inet(&t[0])) {
		st->udp++;
	}
	st->skipped++;
}

static int ns_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		   struct strbuf *err)
{
	struct ns_st *st = vst;
	struct tok t[SS_TOK_MAX];
	struct sock_rec r;
	struct ss_extra x;
	size_t n;

	(void)pos;
	(void)err;
	if (len && s[len - 1] == '\r')
		len--;
	n = ss_tokenize(s, len, t, SS_TOK_MAX);
	if (is_title(s) || (!st->in_unix && is_header(s))) {
		st->in_unix = false;
		st->header = true;
		st->rows++;
		return 0;
	}
	switch (st->in_unix || !n ? NS_NOT : row_read(&r, &x, t, n, &st->c)) {
	case NS_ROW:
		row_give(st, &r, &x);
		return 0;
	case NS_CUT:
		st->cut++;
		break;
	case NS_SVC:
		st->svc++;
		break;
	case NS_HOST:
		st->host++;
		break;
	case NS_BIG:
		st->big++;
		break;
	case NS_NOT:
		line_other(st, s, t, n);
		return 0;
	}
	st->skipped++;
	return 0;
}

static int ns_begin(void **vst, struct sample_builder *b, const char *cmd, uint32_t prior,
		    struct strbuf *err)
{
	struct ns_st *st = calloc(1, sizeof(*st));

	if (!st)
		return error_set(err, "out of memory");
	sock_text_init(&st->k, b, prior);
	cmd_read(&st->c, cmd, st->label, sizeof(st->label));
	*vst = st;
	return 0;
}

static void end_notes(const struct ns_st *st, struct import_summary *sum)
{
	char a[32];

	if (st->c.subset)
		import_note_add(sum, "a subset (pipe or -4/-6): absent rows are not zero");
	else if (st->c.seen && !st->c.all)
		import_note_add(sum, "%s", st->c.listening ? "listeners only (-l)" :
				"no -a: listeners and closed states absent");
	if (st->listen)
		import_note_add(sum, "%s LISTEN rows not used: netstat's Send-Q is 0, not the "
				"backlog; give ss -tlnp", fmt_thousands(a, st->listen));
	if (st->cut)
		import_note_add(sum, "%s rows with cut addresses (netstat -W avoids it)",
				fmt_thousands(a, st->cut));
	if (st->svc || st->host)
		import_note_add(sum, "%s rows with names, not numbers (-n)",
				fmt_thousands(a, st->svc + st->host));
	if (st->big)
		import_note_add(sum, "%s rows with numbers out of range", fmt_thousands(a, st->big));
	if (st->cut || st->svc || st->host || st->big)
		import_note_add(sum, "so the table is not complete");
	if (st->dup)
		import_note_add(sum, "%s rows already given earlier", fmt_thousands(a, st->dup));
	if (st->k.cw_guess)
		import_note_add(sum, "%s CLOSE_WAIT taken as accepted", fmt_thousands(a, st->k.cw_guess));
	if (st->udp)
		import_note_add(sum, "%s UDP/raw rows not used", fmt_thousands(a, st->udp));
	if (st->unix_n)
		import_note_add(sum, "%s UNIX lines skipped", fmt_thousands(a, st->unix_n));
}

static int ns_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct ns_st *st = vst;
	struct sock_cover c = {
		.seen = st->c.seen, .all = st->c.all, .listening = st->c.listening,
		.subset = st->c.subset, .port_only = -1, .no_backlog = true,
	};
	bool tcp_listed = st->c.tcp || !st->c.udp;
	char a[32];

	(void)err;
	/* a TCP row that could not be read: the table is no longer whole */
	if (st->cut || st->svc || st->host || st->big)
		c.subset = true;
	memset(sum, 0, sizeof(*sum));
	if (!(st->k.prior & HAVE_CONN_STATES))
		sum->have = sock_text_end(&st->k, &c, st->header && st->c.seen && tcp_listed &&
					  !st->c.subset);
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	snprintf(sum->what, sizeof(sum->what), "%s: TCP socket table, %s sockets", st->label,
		 fmt_thousands(a, st->k.tcp + st->listen));
	end_notes(st, sum);
	return 0;
}

static void ns_free(void *st)
{
	free(st);
}

const struct importer import_netstat = {
	.name = "netstat",
	.detect = ns_detect,
	.begin = ns_begin,
	.line = ns_line,
	.end = ns_end,
	.free = ns_free,
};
