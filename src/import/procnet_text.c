// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The /proc/net/tcp importer: `cat /proc/net/tcp` and `cat /proc/net/tcp6`,
 * the kernel's own TCP socket table, as people paste it when ss is not
 * installed (minimal containers, busybox images) or from a sosreport.
 *
 * FORMAT. One header line, then one line per socket in every state
 * (listeners, connections, TIME-WAIT), numbered from 0. On 6.18 (Debian
 * 12's 6.1 prints the same columns):
 *
 *     sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *      0: 0100007F:2328 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 7965823 4 00000000c169146c 100 0 0 10 0
 *      1: 0100007F:2328 0100007F:A7BE 01 00000000:00000000 00:00000000 00000000     0        0 0 1 00000000722a1c26 20 0 0 10 -1
 *
 * Addresses are the kernel's 32-bit words printed with %08X from memory,
 * so on the little-endian machines nearly every capture comes from each
 * word reads backwards: 0100007F is 127.0.0.1. tcp6 has four such words
 * (00000000000000000000000001000000 is ::1) and a wider header
 * ("remote_address" for "rem_address"); the family is read from each
 * row's address length, so `cat /proc/net/tcp /proc/net/tcp6` (two
 * headers in one section) reads whole. Ports are big-endian hex (2328 is
 * 9000). st is the state in hex, the kernel's numbering: 01 ESTABLISHED,
 * 02 SYN-SENT, 03 SYN-RECV, 04 FIN-WAIT-1, 05 FIN-WAIT-2, 06 TIME-WAIT,
 * 07 CLOSE, 08 CLOSE-WAIT, 09 LAST-ACK, 0A LISTEN, 0B CLOSING. uid and
 * inode are decimal; inode 0 is a socket no process holds (not accepted
 * yet, or orphaned). TIME-WAIT and the FIN-WAIT-2 of a closed socket are
 * shorter rows (they end after the pointer). The pointer is the hashed
 * kernel address (all zeros without CAP_SYSLOG under kptr_restrict), not
 * the sock_diag cookie: nothing is matched by it.
 *
 * QUEUES. tx_queue:rx_queue are Send-Q:Recv-Q for a connection. For a
 * LISTEN socket rx_queue is the accept queue's length (sk_ack_backlog)
 * and tx_queue is 0: the backlog that ss shows as Send-Q is not in the
 * file (checked in a netns on 6.18: a listen(5) socket with three
 * unaccepted connections reads 00000000:00000003 here and "3 5" in ss
 * -tln). A listener without its limit cannot say whether its queue is
 * full, so LISTEN rows are counted, not given, and this table never
 * marks HAVE_SOCKETS: the report asks for `ss -tln` for the backlog.
 *
 * WHAT IS DONE WITH IT. Every other row becomes a socket record through
 * sock_text.c, as ss and netstat rows do. A whole file is every state of
 * one family; the table is complete (HAVE_CONN_STATES) once both
 * families are in, whether in one section or in two sections one after
 * the other (tcp then tcp6, or the reverse); one family alone is a
 * subset, said in the note. `| grep`, `| head` make it a subset; a row
 * that does not parse (a cut paste, a number that overflows) is skipped
 * and counted, and the table is then not taken as complete. A capture
 * from a big-endian host would decode its addresses wrongly here; the
 * counts per state and port are still right.
 */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../collect/procnet_inet.h"
#include "../util/fmt.h"
#include "import_cmd.h"
#include "sock_text.h"

#define FAM_V4 1u
#define FAM_V6 2u

/*
 * The families an earlier section of the same run gave (tcp before
 * tcp6): the importer interface carries only HAVE_* bits between
 * sections, and a single family's table marks none. Keyed by the builder
 * and the sockets it holds, so a new run never inherits it.
 */
static const struct sample_builder *last_b;
static unsigned last_fams;
static uint64_t last_total;

struct pn_st {
	struct sock_text k;
	const char *subset;
	char label[48];
	unsigned fams, fams_before;
	bool header;
	uint64_t rows, skipped, listen, bad, dup;
	char bad_at[96];
};

static bool is_header(const char *s)
{
	return strstr(s, "local_address") && strstr(s, "st tx_queue rx_queue");
}

/* "  12: " then a hex address: the row's family (0: not a row). */
static unsigned row_family(const char *s, size_t len)
{
	size_t i = strspn(s, " \t"), d, h;

	d = strspn(s + i, "0123456789");
	if (!d || i + d >= len || s[i + d] != ':')
		return 0;
	i += d + 1;
	i += strspn(s + i, " \t");
	h = strspn(s + i, "0123456789abcdefABCDEF");
	if (i + h >= len || s[i + h] != ':')
		return 0;
	return h == 8 ? FAM_V4 : h == 32 ? FAM_V6 : 0;
}

static bool pn_shaped(const char *line, size_t len)
{
	return is_header(line) || row_family(line, len);
}

static bool cmd_is_ours(const struct import_cmd *c)
{
	for (unsigned i = 0; i < c->argc; i++)
		if (!strcmp(c->argv[i], "/proc/net/tcp") || !strcmp(c->argv[i], "/proc/net/tcp6") ||
		    !strcmp(c->argv[i], "/proc/net/tcp*"))
			return true;
	return false;
}

static int pn_detect(const char *cmd, const char *const *head, unsigned n)
{
	struct import_cmd c;
	int score;

	import_cmd_parse(&c, cmd);
	if (cmd && cmd_is_ours(&c))
		return strstr(cmd, "wc") ? 0 : 95;
	for (unsigned i = 0; i < n; i++)
		if (is_header(head[i]))
			return 90;
	score = import_head_score(head, n, pn_shaped);
	return score >= 65 ? score : 0;
}

static int pn_begin(void **vst, struct sample_builder *b, const char *cmd, uint32_t prior,
		    struct strbuf *err)
{
	struct pn_st *st = calloc(1, sizeof(*st));
	struct import_cmd c;

	if (!st)
		return error_set(err, "out of memory");
	sock_text_init(&st->k, b, prior);
	import_cmd_parse(&c, cmd);
	st->subset = c.subset;
	snprintf(st->label, sizeof(st->label), "%s", "/proc/net/tcp");
	if (c.argc && cmd_is_ours(&c))
		snprintf(st->label, sizeof(st->label), "%.40s%s", c.argv[0],
			 c.argc > 1 ? " ..." : "");
	/* tcp6 after tcp: add to the list the first began */
	if (last_b == b && last_total == b->s->tally.total && b->s->tally.total) {
		st->fams_before = last_fams;
		st->k.socks = true;
	}
	*vst = st;
	return 0;
}

static void row_bad(struct pn_st *st, const struct import_pos *pos, struct strbuf *e)
{
	st->bad++;
	st->skipped++;
	if (!st->bad_at[0])
		snprintf(st->bad_at, sizeof(st->bad_at), "%.90s", e->buf ? e->buf : "?");
	(void)pos;
}

static int pn_line(void *vst, const char *s, size_t len, const struct import_pos *pos,
		   struct strbuf *err)
{
	struct pn_st *st = vst;
	struct strbuf e = STRBUF_INIT;
	struct ss_extra x = { .ino = true };   /* the inode column is always there */
	struct sock_rec r;
	unsigned fam;

	(void)err;
	if (len && s[len - 1] == '\r')
		len--;
	if (memchr(s, '\0', len) || !(fam = row_family(s, len))) {
		st->header |= is_header(s);
		if (is_header(s))
			st->rows++;
		else
			st->skipped++;
		return 0;
	}
	if (procnet_inet_parse_line(s, len, fam == FAM_V4 ? AF_INET : AF_INET6, &r, pos->file,
				    pos->line, &e) < 0 || r.state == 0) {
		row_bad(st, pos, &e);
		strbuf_release(&e);
		return 0;
	}
	strbuf_release(&e);
	st->fams |= fam;
	r.table = TBL_TCP;
	r.netid = NETID_TCP;
	r.from_proc = true;
	r.cookie = 0;            /* a hashed pointer, not a cookie */
	if (r.state == SS_LISTEN) {
		/* tx_queue is not the backlog (see the essay) */
		st->k.listen_seen++;
		st->listen++;
		st->skipped++;
	} else if ((st->k.prior & HAVE_CONN_STATES) || !sock_text_tcp(&st->k, &r, &x)) {
		st->dup++;
		st->skipped++;
	} else {
		st->rows++;
	}
	return 0;
}

static void pn_notes(const struct pn_st *st, unsigned fams, struct import_summary *sum)
{
	char a[32];

	if (st->subset)
		import_note_add(sum, "a subset (| %s): absent rows are not zero", st->subset);
	if (fams == FAM_V4)
		import_note_add(sum, "IPv4 only: add cat /proc/net/tcp6 for the whole table");
	else if (fams == FAM_V6)
		import_note_add(sum, "IPv6 only: add cat /proc/net/tcp for the whole table");
	if (st->listen)
		import_note_add(sum, "%s LISTEN rows not used: the file has the accept queue "
				"but not the backlog; give ss -tln for it", fmt_thousands(a, st->listen));
	if (st->bad)
		import_note_add(sum, "%s rows not read, so the table is not complete; first %s",
				fmt_thousands(a, st->bad), st->bad_at);
	if (st->dup)
		import_note_add(sum, "%s rows already given earlier", fmt_thousands(a, st->dup));
}

static int pn_end(void *vst, struct import_summary *sum, struct strbuf *err)
{
	struct pn_st *st = vst;
	unsigned fams = st->fams | st->fams_before;
	bool whole = fams == (FAM_V4 | FAM_V6) && !st->subset && !st->bad;
	struct sock_cover c = {
		.seen = true, .all = true, .subset = !whole, .port_only = -1, .no_backlog = true,
	};
	char a[32];

	(void)err;
	memset(sum, 0, sizeof(*sum));
	if (!(st->k.prior & HAVE_CONN_STATES))
		sum->have = sock_text_end(&st->k, &c, whole && st->header);
	sum->rows = st->rows;
	sum->skipped = st->skipped;
	snprintf(sum->what, sizeof(sum->what), "%.48s: TCP socket table, %s sockets", st->label,
		 fmt_thousands(a, st->k.tcp + st->listen));
	pn_notes(st, fams, sum);
	last_b = st->k.b;
	last_fams = whole ? 0 : fams;
	last_total = st->k.b->s->tally.total;
	return 0;
}

static void pn_free(void *st)
{
	free(st);
}

const struct importer import_procnet = {
	.name = "procnet",
	.detect = pn_detect,
	.begin = pn_begin,
	.line = pn_line,
	.end = pn_end,
	.free = pn_free,
};
