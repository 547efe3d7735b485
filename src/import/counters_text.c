// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The counters importer: the kernel's MIB counters, socket totals and
 * conntrack counters, in the shapes people paste them.
 *
 * NSTAT (iproute2). `nstat -az` prints a "#kernel" line, then one counter
 * per line: the nstat name, blanks, the value, blanks, a rate (a float,
 * an average since the history file was written):
 *
 *   #kernel
 *   IpInReceives                    20                 0.0
 *   TcpExtListenOverflows           12                 0.0
 *
 * -a (--ignore) prints absolute values, -z includes zero counters. Plain
 * `nstat` prints what changed since its previous run (it keeps a history
 * file, /tmp/.nstat.u$UID unless NSTAT_HISTORY says otherwise) and hides
 * zeros, so its numbers are increments, not totals. The text does not
 * say which: we decide from the command line when there is one, else
 * take the values as absolute and say so in the summary note.
 * /proc/net/snmp6 has the same shape without the rate ("Ip6InReceives
 * <blanks> 4"), so the same line reader takes both.
 *
 * /proc/net/netstat and /proc/net/snmp come in line pairs, a header line
 * naming a group's counters and a value line with the same prefix:
 *
 *   TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed ...
 *   TcpExt: 0 0 0 ...
 *
 * nstat names are the prefix without its colon followed by the field
 * (TcpExtListenOverflows). Both layouts are parsed by the collector's own
 * code (mib_parse_pairs_at/mib_parse_kv_at, src/collect/procnet_mib.c);
 * this file only finds the lines and keeps one header waiting for its
 * value line, so a section streams.
 *
 * NETSTAT -S (net-tools). Prose, one group per heading, one counter per
 * indented line. Wording is net-tools's, which prints some counters as a
 * sentence and the ones it has no sentence for as "Name: value":
 *
 *   Tcp:
 *       6 active connection openings
 *       8 segments retransmitted
 *   TcpExt:
 *       12 times the listen queue of a socket overflowed
 *       12 SYNs to LISTEN sockets dropped
 *       TCPSynRetrans: 8
 *
 * net-tools 2.10 (Debian 12) is the sample above; 1.60 (RHEL/CentOS 5-7,
 * Ubuntu up to 16.04) spells a few differently: "segments send out",
 * "segments retransmited", "active connections openings", "SYNs to LISTEN
 * sockets ignored", some with a final period. netstat -s leaves out the
 * TcpExt sentences whose value is 0, so a full TcpExt group without a
 * listen-overflow line means 0 overflows: counters every kernel since
 * 2.6.32 has (ext_zero[] below) are then set to 0, and the note says so.
 * A `| grep` capture keeps no headings: the sentence then names its
 * group alone.
 *
 * /proc/net/sockstat and sockstat6: "LABEL: name value ...", read by
 * sockstat_parse_line (src/collect/sockstat.c):
 *
 *   sockets: used 0
 *   TCP: inuse 0 orphan 0 tw 0 alloc 1 mem 276
 *
 * CONNTRACK. `conntrack -S` (conntrack-tools 1.4) prints one line per CPU,
 * "cpu=0 found=0 invalid=0 ... insert_failed=0 drop=0 early_drop=0 ...";
 * /proc/net/stat/nf_conntrack is the same per CPU, as a header of column
 * names and rows of hex numbers. drop, early_drop and insert_failed are
 * summed over CPUs. `conntrack -C` and `cat .../nf_conntrack_count` are a
 * bare number, taken only when the command line says what it is; the
 * table's size needs nf_conntrack_max too (a sysctl capture).
 *
 * Values that overflow 64 bits are refused with FILE:LINE:COL; a line
 * that fits none of these shapes (prose, "...", a cut row) is skipped and
 * counted. When the command line has a `| grep`, `| head` or `| tail`,
 * the section is a subset: an absent counter stays absent.
 */
#include "import.h"
#include "import_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../collect/procnet_mib.h"
#include "../collect/sockstat.h"
#include "counters_netstat.h"

enum ck_kind {
	K_NSTAT = 1u << 0,       /* nstat, snmp6: Name value [rate] */
	K_PAIRS = 1u << 1,       /* /proc/net/netstat, snmp */
	K_NETSTAT = 1u << 2,     /* netstat -s */
	K_SOCKSTAT = 1u << 3,
	K_CTSTAT = 1u << 4,      /* conntrack -S, /proc/net/stat/nf_conntrack */
	K_CTCOUNT = 1u << 5,     /* conntrack -C, nf_conntrack_count */
	K_CTMAX = 1u << 6,       /* nf_conntrack_max */
};

enum { CT_DROP, CT_EARLY_DROP, CT_INSERT_FAILED, CT_N };

struct ck_state {
	struct sample_builder *b;
	unsigned cmd_kind;       /* what the command line says, 0: no cmd / unknown */
	unsigned seen;           /* kinds met in the text */
	bool subset;             /* | grep, | head, | tail */
	bool nstat_delta;        /* plain nstat (no -a) */
	char group[NETSTAT_GROUP_MAX]; /* netstat -s heading, "" none */
	bool saw_tcpext;
	struct strbuf hdr;       /* a pairs header waiting for its value line */
	unsigned hdr_line;
	bool hdr_pending;
	int ct_col[CT_N];        /* hex table columns, -1 unknown */
	bool ct_hex;
	unsigned ct_cpus;
	uint64_t ct[CT_N];
	bool ct_overflow;
	bool have_number;
	uint64_t number;
	uint64_t rows, skipped, zeros;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident(const char *s, size_t n)
{
	if (!n || !is_alpha(s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* An option of the first stage: a letter in a cluster ("-az" has a), or
 * a long one ("--ignore"). */
static bool cmd_opt(const struct import_cmd *c, char letter, const char *longopt)
{
	return import_cmd_flag(c, letter) || import_cmd_arg_prefix(c, longopt);
}

/* What the command line (c, split from cmd) says the output is (K_*), 0
 * when it says nothing. */
static unsigned cmd_kind(const char *cmd, const struct import_cmd *c)
{
	if (!cmd)
		return 0;
	if (import_cmd_runs(c, "nstat") >= 0)
		return K_NSTAT;
	if (import_cmd_runs(c, "netstat") >= 0 && cmd_opt(c, 's', "--statistics"))
		return K_NETSTAT;
	if (strstr(cmd, "/proc/net/snmp6") || strstr(cmd, "/proc/net/dev_snmp6"))
		return K_NSTAT;
	if (strstr(cmd, "/proc/net/netstat") || strstr(cmd, "/proc/net/snmp"))
		return K_PAIRS;
	if (strstr(cmd, "/proc/net/sockstat"))
		return K_SOCKSTAT;
	if (strstr(cmd, "/proc/net/stat/nf_conntrack"))
		return K_CTSTAT;
	if (import_cmd_runs(c, "conntrack") >= 0 && cmd_opt(c, 'S', "--stats"))
		return K_CTSTAT;
	if ((import_cmd_runs(c, "conntrack") >= 0 && cmd_opt(c, 'C', "--count")) ||
	    strstr(cmd, "nf_conntrack_count"))
		return K_CTCOUNT;
	if (strstr(cmd, "nf_conntrack_max") && import_cmd_runs(c, "sysctl") < 0)
		return K_CTMAX;
	return 0;
}

/* Decimal, all of s[0..n); false when empty, not a number or > 2^64-1. */
static bool parse_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (!is_digit(s[i]) || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

static bool parse_hex(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (!n || n > 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d = is_digit(c) ? (unsigned)(c - '0')
			     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
			     : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10) : 16;

		if (d > 15)
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

/* The next blank-separated token at *i; its length (0 at the end). */
static size_t token(const char *s, size_t len, size_t *i, size_t *start)
{
	while (*i < len && is_blank(s[*i]))
		(*i)++;
	*start = *i;
	while (*i < len && !is_blank(s[*i]))
		(*i)++;
	return *i - *start;
}

static int add_sum(struct ck_state *st, int k, uint64_t v)
{
	if (st->ct[k] > UINT64_MAX - v) {
		st->ct_overflow = true;
		return -1;
	}
	st->ct[k] += v;
	return 0;
}

static int ct_key(const char *s, size_t n)
{
	static const char *const keys[CT_N] = { "drop", "early_drop", "insert_failed" };

	for (int k = 0; k < CT_N; k++)
		if (strlen(keys[k]) == n && !memcmp(keys[k], s, n))
			return k;
	return -1;
}

/* "cpu=0 found=0 ... drop=0 early_drop=0 ..." (conntrack -S). */
static int ct_stat_line(struct ck_state *st, const char *s, size_t len,
			const struct import_pos *pos, struct strbuf *err)
{
	size_t i = 0, t, n;

	while ((n = token(s, len, &i, &t))) {
		const char *eq = memchr(s + t, '=', n);
		uint64_t v;
		int k;

		if (!eq)
			continue;
		k = ct_key(s + t, (size_t)(eq - (s + t)));
		if (k < 0)
			continue;
		if (!parse_u64(eq + 1, n - (size_t)(eq + 1 - (s + t)), &v) || add_sum(st, k, v))
			return error_set(err, "%s:%u:%zu: '%.*s' is not a count that fits 64 bits",
					 pos->file, pos->line, t + 1, (int)n, s + t);
	}
	st->ct_cpus++;
	st->seen |= K_CTSTAT;
	st->rows++;
	return 0;
}

/* /proc/net/stat/nf_conntrack: a header naming columns, rows of hex. */
static bool ct_hex_header(struct ck_state *st, const char *s, size_t len)
{
	size_t i = 0, t, n;
	int col = 0;
	bool any = false;

	if (len < 7 || memcmp(s, "entries", 7))
		return false;
	for (int k = 0; k < CT_N; k++)
		st->ct_col[k] = -1;
	while ((n = token(s, len, &i, &t))) {
		int k = ct_key(s + t, n);

		if (k >= 0) {
			st->ct_col[k] = col;
			any = true;
		}
		col++;
	}
	st->ct_hex = any;
	return any;
}

static bool ct_hex_row(struct ck_state *st, const char *s, size_t len)
{
	uint64_t v[CT_N] = { 0 }, x;
	size_t i = 0, t, n;
	int col = 0;

	while ((n = token(s, len, &i, &t))) {
		if (!parse_hex(s + t, n, &x))
			return false;
		for (int k = 0; k < CT_N; k++)
			if (st->ct_col[k] == col)
				v[k] = x;
		col++;
	}
	if (!col)
		return false;
	for (int k = 0; k < CT_N; k++)
		add_sum(st, k, v[k]);
	st->ct_cpus++;
	st->seen |= K_CTSTAT;
	return true;
}

/* nstat names start with one of these (Ip6, IpExt, TcpExt, Udp6 too). */
static bool nstat_name(const char *s, size_t n)
{
	static const char *const pre[] = { "Ip", "Icmp", "Tcp", "Udp", "MPTcp", "Sctp", "Xfrm" };

	if (!is_ident(s, n) || n >= MIB_NAME_MAX)
		return false;
	for (size_t k = 0; k < sizeof(pre) / sizeof(pre[0]); k++)
		if (n > strlen(pre[k]) && !memcmp(s, pre[k], strlen(pre[k])))
			return true;
	return false;
}

/* "Name value [rate]" with a known name and a number: nstat or snmp6. */
static bool nstat_shape(const char *s, size_t len)
{
	size_t i = 0, t, n = token(s, len, &i, &t);

	if (t || !nstat_name(s, n))
		return false;
	n = token(s, len, &i, &t);
	if (!n || !(is_digit(s[t]) || (s[t] == '-' && n > 1)))
		return false;
	n = token(s, len, &i, &t);
	if (n && !is_digit(s[t]))
		return false;
	return token(s, len, &i, &t) == 0;
}

/* "Group:" with the first field after it a name (header) or a number. */
static size_t group_prefix(const char *s, size_t len)
{
	const char *c = memchr(s, ':', len);
	size_t n = c ? (size_t)(c - s) : 0;

	return n && is_ident(s, n) && n + 2 < len && s[n + 1] == ' ' ? n : 0;
}

static bool sockstat_label(const char *s, size_t n)
{
	static const char *const labels[] = {
		"sockets", "TCP", "UDP", "UDPLITE", "RAW", "FRAG", "MPTCP",
		"TCP6", "UDP6", "UDPLITE6", "RAW6", "FRAG6",
	};

	for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
		if (strlen(labels[k]) == n && !memcmp(labels[k], s, n))
			return true;
	return false;
}

static int pairs_value(struct ck_state *st, const char *s, size_t len,
		       const struct import_pos *pos, struct strbuf *err)
{
	st->hdr_pending = false;
	if (pos->line != st->hdr_line + 1) {
		st->skipped += 2;
		return 0;
	}
	if (strbuf_add(&st->hdr, "\n", 1) || strbuf_add(&st->hdr, s, len))
		return error_set(err, "%s:%u:1: out of memory", pos->file, pos->line);
	if (mib_parse_pairs_at(&st->b->s->mib, st->hdr.buf, st->hdr.len, pos->file,
			       st->hdr_line, err))
		return -1;
	st->seen |= K_PAIRS;
	st->rows += 2;
	return 0;
}

/* "Group: ..." lines: a pairs header or value, sockstat, a netstat -s
 * "Name: value" without indent. 1: taken, 0: not this shape. */
static int label_line(struct ck_state *st, const char *s, size_t len,
		      const struct import_pos *pos, struct strbuf *err)
{
	size_t g = group_prefix(s, len);
	char first = g ? s[g + 2] : 0;

	if (!g)
		return 0;
	if (sockstat_label(s, g)) {
		struct sockstat_counts *c = &st->b->s->sockstat;

		if (sockstat_parse_line(c, s, len, pos->file, pos->line, err))
			return -1;
		if (s[g - 1] == '6')
			c->has_sockstat6 = true;
		else
			c->has_sockstat = true;
		st->seen |= K_SOCKSTAT;
		st->rows++;
		return 1;
	}
	if (st->hdr_pending && st->hdr.len > g && !memcmp(st->hdr.buf, s, g + 1) &&
	    (is_digit(first) || first == '-'))
		return pairs_value(st, s, len, pos, err) ? -1 : 1;
	if (is_alpha(first) && !(st->seen & K_NETSTAT)) {
		if (st->hdr_pending)
			st->skipped++;
		strbuf_reset(&st->hdr);
		if (strbuf_add(&st->hdr, s, len))
			return error_set(err, "%s:%u:1: out of memory", pos->file, pos->line);
		st->hdr_pending = true;
		st->hdr_line = pos->line;
		return 1;
	}
	return 0;
}

static int netstat_line(struct ck_state *st, const char *s, size_t len,
			const struct import_pos *pos, struct strbuf *err)
{
	char name[MIB_NAME_MAX];
	uint64_t v;
	size_t col = 1;

	switch (netstat_s_line(st->group, s, len, name, &v, &col)) {
	case NETSTAT_NONE:
		return 0;
	case NETSTAT_OVERFLOW:
		return error_set(err, "%s:%u:%zu: counter value does not fit 64 bits",
				 pos->file, pos->line, col);
	case NETSTAT_SET:
		break;
	}
	if (mib_set(&st->b->s->mib, name, strlen(name), v))
		return error_set(err, "%s:%u:1: more than %d counters", pos->file, pos->line,
				 MIB_MAX);
	st->seen |= K_NETSTAT;
	st->rows++;
	return 1;
}

static int bare_number(struct ck_state *st, const char *s, size_t len,
		       const struct import_pos *pos, struct strbuf *err)
{
	if (!(st->cmd_kind & (K_CTCOUNT | K_CTMAX)) || !is_digit(s[0]))
		return 0;
	if (!parse_u64(s, len, &st->number)) {
		for (size_t i = 0; i < len; i++)
			if (!is_digit(s[i]))
				return 0;
		return error_set(err, "%s:%u:1: '%.*s' does not fit 64 bits", pos->file,
				 pos->line, (int)len, s);
	}
	if (st->have_number) {
		st->skipped++;
		return 1;
	}
	st->have_number = true;
	st->seen |= st->cmd_kind;
	st->rows++;
	return 1;
}

/* The shapes in turn; 1 taken, 0 none, -1 error. */
static int classify(struct ck_state *st, const char *s, size_t len,
		    const struct import_pos *pos, struct strbuf *err)
{
	int r;

	if (len == 7 && !memcmp(s, "#kernel", 7)) {
		st->seen |= K_NSTAT;
		st->rows++;
		return 1;
	}
	if (len >= 4 && !memcmp(s, "cpu=", 4))
		return ct_stat_line(st, s, len, pos, err) ? -1 : 1;
	if (ct_hex_header(st, s, len) || (st->ct_hex && ct_hex_row(st, s, len))) {
		st->rows++;
		return 1;
	}
	if (netstat_s_heading(s, len, st->group)) {
		if (!strcmp(st->group, "TcpExt"))
			st->saw_tcpext = true;
		st->seen |= K_NETSTAT;
		st->rows++;
		return 1;
	}
	if ((r = bare_number(st, s, len, pos, err)) != 0)
		return r;
	if (!is_blank(s[0]) && (r = label_line(st, s, len, pos, err)) != 0)
		return r;
	if (nstat_shape(s, len)) {
		if (mib_parse_kv_at(&st->b->s->mib, s, len, pos->file, pos->line, err))
			return -1;
		st->seen |= K_NSTAT;
		st->rows++;
		return 1;
	}
	return netstat_line(st, s, len, pos, err);
}

static int ck_line(void *p, const char *s, size_t len, const struct import_pos *pos,
		   struct strbuf *err)
{
	struct ck_state *st = p;
	size_t end = len;
	int r;

	while (end && (s[end - 1] == '\r' || s[end - 1] == '\n'))
		end--;
	while (end && is_blank(s[end - 1]))
		end--;
	if (st->hdr_pending && pos->line != st->hdr_line + 1) {
		st->hdr_pending = false;
		st->skipped++;
	}
	if (!end || memchr(s, '\0', end)) {
		st->skipped++;
		return 0;
	}
	r = classify(st, s, end, pos, err);
	if (r < 0)
		return -1;
	if (!r)
		st->skipped++;
	return 0;
}

/* How many of the head lines have each shape. */
static int content_score(const char *const *head, unsigned n)
{
	unsigned nstat = 0, pairs = 0, sock = 0, ct = 0, heading = 0, prose = 0, kernel = 0;
	char group[NETSTAT_GROUP_MAX] = "", name[MIB_NAME_MAX];

	for (unsigned i = 0; i < n; i++) {
		const char *s = head[i];
		size_t len = strlen(s), g, col;
		uint64_t v;

		while (len && (s[len - 1] == '\r' || is_blank(s[len - 1])))
			len--;
		g = group_prefix(s, len);
		if (len == 7 && !memcmp(s, "#kernel", 7))
			kernel++;
		else if (nstat_shape(s, len))
			nstat++;
		else if (g && sockstat_label(s, g))
			sock++;
		else if (g && i + 1 < n && !strncmp(s, head[i + 1], g + 1) && is_alpha(s[g + 2]))
			pairs++;
		else if ((len >= 4 && !memcmp(s, "cpu=", 4) && strstr(s, "drop=")) ||
			 (len >= 7 && !memcmp(s, "entries", 7) && strstr(s, "early_drop")))
			ct++;
		else if (netstat_s_heading(s, len, group))
			heading++;
		else if (netstat_s_line(group, s, len, name, &v, &col) != NETSTAT_NONE)
			prose++;
	}
	if (ct)
		return 90;
	if (pairs)
		return pairs >= 2 || n <= 3 ? 90 : 70;
	if (kernel && nstat)
		return 95;
	if (heading && prose >= 2)
		return 85;
	if (sock >= 2 || (sock && n <= 2))
		return 85;
	if (nstat >= 3 || (nstat && nstat * 2 >= n))
		return 80;
	if (prose >= 2 && prose * 2 >= n)
		return 60;
	return nstat || prose || sock ? 25 : 0;
}

static int ck_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct import_cmd ic;
	unsigned k;

	import_cmd_parse(&ic, cmd);
	k = cmd_kind(cmd, &ic);
	int c = content_score(head, n);

	if (k == K_CTCOUNT)
		return 85;
	if (k == K_CTMAX)
		return 40;  /* a sysctl capture's single value: the sysctl importer first */
	if (k)
		return c >= 25 || !n ? 95 : 50;
	return c;
}

static int ck_begin(void **out, struct sample_builder *b, const char *cmd, uint32_t prior,
		    struct strbuf *err)
{
	struct ck_state *st = calloc(1, sizeof(*st));
	struct import_cmd ic;

	(void)prior;
	if (!st)
		return error_set(err, "out of memory");
	st->b = b;
	import_cmd_parse(&ic, cmd);
	st->cmd_kind = cmd_kind(cmd, &ic);
	st->subset = ic.subset != NULL;
	st->nstat_delta = st->cmd_kind == K_NSTAT && import_cmd_runs(&ic, "nstat") >= 0 &&
			  !cmd_opt(&ic, 'a', "--ignore");
	strbuf_init(&st->hdr, 2 * IMPORT_LINE_MAX + 2);
	for (int k = 0; k < CT_N; k++)
		st->ct_col[k] = -1;
	*out = st;
	return 0;
}

/* netstat -s hides zero TcpExt sentences: a whole TcpExt group says 0. */
static void netstat_zeros(struct ck_state *st)
{
	struct mib *m = &st->b->s->mib;
	uint64_t v;

	if (!(st->seen & K_NETSTAT) || !st->saw_tcpext || st->subset)
		return;
	for (const char *const *z = netstat_ext_zero; *z; z++)
		if (!mib_get(m, *z, &v) && !mib_set(m, *z, strlen(*z), 0))
			st->zeros++;
}

/* The conntrack counters into the sample; the HAVE_* bits marked. */
static uint32_t conntrack_end(struct ck_state *st, struct strbuf *note)
{
	struct sample *s = st->b->s;
	uint32_t have = 0;

	if (st->seen & K_CTSTAT) {
		s->conntrack_drop = st->ct[CT_DROP];
		s->conntrack_early_drop = st->ct[CT_EARLY_DROP];
		s->conntrack_insert_failed = st->ct[CT_INSERT_FAILED];
		have |= HAVE_CONNTRACK_STAT;
		if (st->ct_overflow)
			strbuf_addf(note, "; a drop sum passed 2^64 (rows left out)");
	}
	if (!st->have_number)
		return have;
	if (st->cmd_kind == K_CTMAX)
		s->conntrack_max = st->number;
	else
		s->conntrack_count = st->number;
	if (st->cmd_kind == K_CTCOUNT && s->sysctl.val[SYSCTL_NF_CONNTRACK_MAX].present &&
	    !s->conntrack_max && s->sysctl.val[SYSCTL_NF_CONNTRACK_MAX].v[0] > 0)
		s->conntrack_max = (uint64_t)s->sysctl.val[SYSCTL_NF_CONNTRACK_MAX].v[0];
	if (st->cmd_kind == K_CTCOUNT && s->conntrack_max)
		have |= HAVE_CONNTRACK;
	else
		strbuf_addf(note, st->cmd_kind == K_CTCOUNT
			    ? "; table size unknown: add sysctl net.netfilter.nf_conntrack_max"
			    : "; entry count unknown: add conntrack -C");
	return have;
}

static void describe(const struct ck_state *st, char *what, size_t n)
{
	const struct sample *s = st->b->s;
	unsigned k = st->seen;

	if (k & K_NSTAT)
		snprintf(what, n, "nstat: MIB counters (%zu names)", s->mib.n);
	else if (k & K_PAIRS)
		snprintf(what, n, "/proc/net/snmp|netstat: MIB counters (%zu names)", s->mib.n);
	else if (k & K_NETSTAT)
		snprintf(what, n, "netstat -s: MIB counters (%zu names)", s->mib.n);
	else if (k & K_SOCKSTAT)
		snprintf(what, n, "/proc/net/sockstat: socket totals");
	else if (k & K_CTSTAT)
		snprintf(what, n, "conntrack -S: drops summed over %u CPUs", st->ct_cpus);
	else if (k & K_CTCOUNT)
		snprintf(what, n, "conntrack -C: %llu entries", (unsigned long long)st->number);
	else if (k & K_CTMAX)
		snprintf(what, n, "nf_conntrack_max: %llu", (unsigned long long)st->number);
	else
		snprintf(what, n, "counters: nothing recognised");
}

static int ck_end(void *p, struct import_summary *sum, struct strbuf *err)
{
	struct ck_state *st = p;
	struct strbuf note = STRBUF_INIT;
	uint32_t have = 0;

	(void)err;
	if (st->hdr_pending)
		st->skipped++;
	netstat_zeros(st);
	if (st->seen & (K_NSTAT | K_PAIRS | K_NETSTAT)) {
		mib_sort(&st->b->s->mib);
		have |= HAVE_MIB;
	}
	if (st->seen & K_SOCKSTAT)
		have |= HAVE_SOCKSTAT;
	if (st->subset)
		strbuf_addf(&note, "; a filtered subset (| grep/head): absent counters unknown");
	if ((st->seen & K_NSTAT) && st->nstat_delta) {
		strbuf_addf(&note, "; plain nstat: increments since its last run, not totals");
		st->b->s->mib_increments = true;
	}
	else if ((st->seen & K_NSTAT) && st->cmd_kind != K_NSTAT)
		strbuf_addf(&note, "; nstat values taken as absolute (no command line)");
	if (st->zeros)
		strbuf_addf(&note, "; %llu TcpExt counters netstat -s hides at 0 read as 0",
			    (unsigned long long)st->zeros);
	have |= conntrack_end(st, &note);
	sample_build_mark(st->b, have);
	describe(st, sum->what, sizeof(sum->what));
	sum->have = have;
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	snprintf(sum->note, sizeof(sum->note), "%s", note.len > 2 ? note.buf + 2 : "");
	strbuf_release(&note);
	return 0;
}

static void ck_free(void *p)
{
	struct ck_state *st = p;

	if (!st)
		return;
	strbuf_release(&st->hdr);
	free(st);
}

const struct importer import_counters = {
	.name = "counters",
	.detect = ck_detect,
	.begin = ck_begin,
	.line = ck_line,
	.end = ck_end,
	.free = ck_free,
};
