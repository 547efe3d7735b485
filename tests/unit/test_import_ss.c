// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ss text importer, driven directly (begin/line/end) into a real
 * sample builder, on the fixtures in tests/data/import/ss (SOURCES says
 * where each comes from) and on hostile input. These would catch an
 * importer that loses rows of a column variant, reads the wrong column,
 * adds a table twice, marks an input it did not fill, or wraps a number.
 */
#include "tap_check.h"
#include "../../src/import/import.h"
#include "../../src/import/ss_text.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define DATA "tests/data/import/ss/"

struct run {
	struct sample *s;
	struct import_summary sum;
	int rc;
	char err[256];
};

/* Feeds text (len bytes, NULs allowed) as one section. */
static struct run *run_text(const char *cmd, uint32_t prior, const char *text, size_t len)
{
	struct run *r = calloc(1, sizeof(*r));
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;
	struct import_pos pos = { .file = "t.txt", .line = 0 };
	void *st = NULL;
	size_t i = 0;

	r->s = malloc(sizeof(*r->s));
	ck_assert_int_eq(sample_build_begin(&b, r->s, &o, &err), 0);
	r->s->have |= prior;
	ck_assert_int_eq(import_ss.begin(&st, &b, cmd, prior, &err), 0);
	while (i < len && r->rc == 0) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - text - i) : len - i;
		char *line = malloc(n + 1);

		memcpy(line, text + i, n);
		line[n] = '\0';
		pos.line++;
		r->rc = import_ss.line(st, line, n, &pos, &err);
		free(line);
		i += n + 1;
	}
	if (r->rc == 0)
		r->rc = import_ss.end(st, &r->sum, &err);
	import_ss.free(st);
	snprintf(r->err, sizeof(r->err), "%s", err.buf ? err.buf : "");
	sample_build_finish(&b);
	strbuf_release(&err);
	return r;
}

static struct run *run_file(const char *cmd, uint32_t prior, const char *name)
{
	char path[256], *buf;
	FILE *fp;
	size_t n;
	struct run *r;

	snprintf(path, sizeof(path), DATA "%s", name);
	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	buf = malloc(1 << 16);
	n = fread(buf, 1, 1 << 16, fp);
	fclose(fp);
	r = run_text(cmd, prior, buf, n);
	free(buf);
	return r;
}

static void run_free(struct run *r)
{
	free(r->s);
	free(r);
}

static uint64_t tcp_state(const struct run *r, int state)
{
	return r->s->tally.by_state[TBL_TCP][state];
}

static const struct s_listener *listener(const struct run *r, uint16_t port, int family)
{
	for (uint32_t i = 0; i < r->s->n_listeners; i++)
		if (r->s->listeners[i].port == port && r->s->listeners[i].family == family)
			return &r->s->listeners[i];
	return NULL;
}

START_TEST(ss__tan_real)
{
	struct run *r = run_file("ss -tan", 0, "real61-tan.txt");
	const struct s_listener *l;

	ck_assert_int_eq(r->rc, 0);
	/* -a: listeners and every other state, complete */
	ck_assert_uint_eq(r->s->have & (HAVE_SOCKETS | HAVE_CONN_STATES | HAVE_SOCKSTAT | HAVE_UDP),
			  HAVE_SOCKETS | HAVE_CONN_STATES);
	ck_assert_uint_eq(r->sum.have, HAVE_SOCKETS | HAVE_CONN_STATES);
	ck_assert_uint_eq(r->s->n_listeners, 4);
	ck_assert_uint_eq(tcp_state(r, SS_ESTABLISHED), 10);
	ck_assert_uint_eq(tcp_state(r, SS_FIN_WAIT2), 1);
	ck_assert_uint_eq(tcp_state(r, SS_CLOSE_WAIT), 1);
	l = listener(r, 8080, AF_INET);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(l->rq, 2);
	ck_assert_uint_eq(l->wq, 4);
	ck_assert_ptr_nonnull(listener(r, 443, AF_INET6));
	/* "*:22" on both sides: the dual-stack v6 listener */
	ck_assert_ptr_nonnull(listener(r, 22, AF_INET6));
	/* no ino: and no owner: taken as accepted, and said so */
	ck_assert_uint_eq(r->s->close_wait_by_port[80], 1);
	ck_assert_uint_eq(r->s->close_wait_unaccepted, 0);
	ck_assert_ptr_nonnull(strstr(r->sum.note, "1 CLOSE-WAIT without ino:"));
	ck_assert(!r->s->cw_tracked);   /* no sk: cookies */
	ck_assert_uint_eq(r->sum.rows, 17);
	ck_assert_uint_eq(r->sum.skipped, 0);
	ck_assert_ptr_nonnull(strstr(r->sum.what, "16 TCP"));
	run_free(r);
}
END_TEST

START_TEST(ss__tanoe_real_ino_and_cookies)
{
	struct run *r = run_file("ss -tanoe", 0, "real61-tanoe.txt");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(r->s->n_cw, 1);
	ck_assert_uint_eq(r->s->cw[0].inode, 6246527);
	ck_assert_uint_eq(r->s->cw[0].cookie, 0x1ff6f3);
	ck_assert(r->s->cw_tracked);
	ck_assert_ptr_null(strstr(r->sum.note, "CLOSE-WAIT"));
	run_free(r);
}
END_TEST

START_TEST(ss__state_filter_without_state_column)
{
	struct run *r = run_file("ss -tan state close-wait", 0, "real61-state-close-wait.txt");
	struct run *n = run_file(NULL, 0, "real61-state-close-wait.txt");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(tcp_state(r, SS_CLOSE_WAIT), 1);
	ck_assert_uint_eq(r->s->close_wait_by_port[80], 1);
	ck_assert_ptr_nonnull(strstr(r->sum.note, "subset"));
	/* no command line: the State is unknown, the row is not guessed */
	ck_assert_int_eq(n->rc, 0);
	ck_assert_uint_eq(n->s->have & HAVE_SOCKETS, 0);
	ck_assert_uint_eq(n->sum.skipped, 1);
	ck_assert_ptr_nonnull(strstr(n->sum.note, "without State"));
	run_free(r);
	run_free(n);
}
END_TEST

/*
 * What a table is complete for: a one-state or listeners-only paste must
 * never let a rule read the other states as zero (no-listener on a
 * `state close-wait` table, a TIME-WAIT count from `ss -tlnp`).
 */
START_TEST(ss__coverage)
{
	static const struct { const char *cmd; const char *file; uint32_t have; } rows[] = {
		{ "ss -tan", "real61-tan.txt", HAVE_SOCKETS | HAVE_CONN_STATES },
		{ NULL, "real61-tan.txt", HAVE_SOCKETS | HAVE_CONN_STATES },
		{ "ss -tlnp", "real61-tlnp.txt", HAVE_SOCKETS },
		{ NULL, "real61-tln.txt", HAVE_SOCKETS },
		{ "ss -tlnp '( sport = :8080 )'", "real61-tlnp.txt", HAVE_SOCKETS },
		{ "ss -tlnp '( dport = :8080 )'", "real61-tlnp.txt", 0 },
		{ "ss -tan '( sport = :8080 )'", "real61-tan.txt", HAVE_SOCKETS },
		{ "ss -tan state close-wait", "real61-state-close-wait.txt", 0 },
		{ "ss -tan | grep 8080", "real61-tan.txt", 0 },
		{ "ss -tn", "real61-tan.txt", 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct run *r = run_file(rows[i].cmd, 0, rows[i].file);

		ck_assert_int_eq(r->rc, 0);
		ck_assert_msg((r->s->have & (HAVE_SOCKETS | HAVE_CONN_STATES)) == rows[i].have,
			      "'%s' on %s: have %#x", rows[i].cmd ? rows[i].cmd : "(none)",
			      rows[i].file, r->s->have);
		run_free(r);
	}
}
END_TEST

START_TEST(ss__no_header)
{
	struct run *r = run_file("ss -Htan", 0, "real61-H-tan.txt");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(r->s->n_listeners, 4);
	ck_assert_uint_eq(tcp_state(r, SS_ESTABLISHED), 10);
	ck_assert_uint_eq(r->sum.rows, 16);
	run_free(r);
}
END_TEST

START_TEST(ss__service_names)
{
	struct run *r = run_file("ss -ta", 0, "real61-ta.txt");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_ptr_nonnull(listener(r, 8080, AF_INET));   /* http-alt */
	ck_assert_ptr_nonnull(listener(r, 80, AF_INET));     /* http */
	ck_assert_ptr_nonnull(listener(r, 22, AF_INET6));    /* ssh */
	ck_assert_uint_eq(r->s->close_wait_by_port[80], 1);
	run_free(r);
	r = run_text("ss -ta", 0, "ESTAB 0 0 10.0.0.1:nosuchsvc 10.0.0.2:http\n"
		     "ESTAB 0 0 db.internal:40000 10.0.0.2:http\n", 85);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(tcp_state(r, SS_ESTABLISHED), 0);
	ck_assert_uint_eq(r->sum.skipped, 2);
	ck_assert_ptr_nonnull(strstr(r->sum.note, "1 rows with unknown service names"));
	ck_assert_ptr_nonnull(strstr(r->sum.note, "1 rows with host names"));
	run_free(r);
}
END_TEST

START_TEST(ss__listeners_not_added_twice)
{
	struct run *r = run_file("ss -tlnp", HAVE_SOCKETS, "real61-tlnp.txt");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(r->s->n_listeners, 0);
	ck_assert_uint_eq(r->sum.skipped, 4);
	ck_assert_ptr_nonnull(strstr(r->sum.note, "4 LISTEN/UDP rows already given"));
	run_free(r);
	r = run_file("ss -tlnp", 0, "real61-tlnp.txt");
	ck_assert_uint_eq(r->s->n_listeners, 4);
	ck_assert_uint_eq(r->s->have & HAVE_LISTEN_DROPS, 0);
	ck_assert_ptr_nonnull(strstr(r->sum.note, "listeners only"));
	run_free(r);
}
END_TEST

START_TEST(ss__skmem_continuations)
{
	struct run *r = run_file("ss -tlnm", 0, "real61-tlnm.txt");
	struct run *u = run_file("ss -uanm", 0, "real61-uanm.txt");
	struct run *i = run_file("ss -tin", 0, "real61-tin.txt");

	ck_assert_uint_eq(r->s->n_listeners, 4);
	ck_assert_uint_eq(r->s->have & HAVE_LISTEN_DROPS, HAVE_LISTEN_DROPS);
	ck_assert(listener(r, 80, AF_INET)->has_drops);
	ck_assert_uint_eq(u->s->have & (HAVE_UDP | HAVE_SOCKETS), HAVE_UDP);
	ck_assert_uint_eq(u->s->n_udp, 1);
	ck_assert_uint_eq(u->s->udp[0].port, 53);
	ck_assert_uint_eq(u->s->udp[0].rq, 832);
	ck_assert_uint_eq(u->s->udp[0].rb, 212992);
	/* -i: the continuation lines are skipped and counted, the rows kept */
	ck_assert_uint_eq(tcp_state(i, SS_ESTABLISHED), 10);
	ck_assert_uint_eq(i->sum.skipped, 12);
	ck_assert_ptr_nonnull(strstr(i->sum.note, "12 -i/-m continuation"));
	run_free(r);
	run_free(u);
	run_free(i);
}
END_TEST

START_TEST(ss__tulpn_netid)
{
	struct run *r = run_file("ss -tulpn", 0, "real61-tulpn.txt");
	struct run *v = run_file("ss -tulpn", 0, "v5x-tulpn.txt");

	ck_assert_uint_eq(r->s->n_listeners, 4);
	ck_assert_uint_eq(r->s->have & HAVE_UDP, 0);   /* no skmem: drops unknown */
	ck_assert_ptr_nonnull(strstr(r->sum.note, "2 UDP rows without skmem"));
	ck_assert_uint_eq(v->s->n_listeners, 3);
	ck_assert_ptr_nonnull(listener(v, 53, AF_INET));   /* 127.0.0.53%lo */
	run_free(r);
	run_free(v);
}
END_TEST

START_TEST(ss__summary)
{
	struct run *r = run_file("ss -s", 0, "real61-s.txt");
	struct run *o = run_file(NULL, 0, "v4x-s.txt");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(r->s->have & (HAVE_SOCKSTAT | HAVE_SOCKETS), 0);
	ck_assert(r->s->sockstat.tcp_orphan.present);
	ck_assert_int_eq(r->s->sockstat.tcp_orphan.v, 0);
	ck_assert_int_eq(r->s->sockstat.tcp_alloc.v, 17);
	ck_assert_int_eq(r->s->sockstat.tcp_tw.v, 1);
	ck_assert_int_eq(r->s->sockstat.tcp_inuse.v, 12);
	ck_assert_int_eq(r->s->sockstat.sockets_used.v, 20);
	ck_assert(!r->s->sockstat.tcp_mem.present);
	ck_assert_ptr_nonnull(strstr(r->sum.what, "summary"));
	ck_assert_uint_eq(r->sum.skipped, 2);   /* the blank lines */
	ck_assert_int_eq(o->s->sockstat.tcp_orphan.v, 3);
	ck_assert_int_eq(o->s->sockstat.tcp_tw.v, 2);
	ck_assert_int_eq(o->s->sockstat.sockets_used.v, 182);
	ck_assert_ptr_nonnull(strstr(o->sum.note, "orphan 3 tw 2"));
	run_free(r);
	run_free(o);
}
END_TEST

START_TEST(ss__old_and_pasted_variants)
{
	struct run *r = run_file("ss -tan", 0, "v4x-tan.txt");
	struct run *c = run_file("ss -tanp", 0, "v6x-tanp-crlf.txt");
	struct run *t = run_file("ss -tano", 0, "v6x-tano.txt");

	ck_assert_uint_eq(r->s->n_listeners, 3);
	ck_assert_ptr_nonnull(listener(r, 22, AF_INET6));
	ck_assert_uint_eq(listener(r, 8080, AF_INET)->rq, 129);
	ck_assert_uint_eq(r->s->close_wait_by_port[8080], 1);
	ck_assert_uint_eq(tcp_state(r, SS_TIME_WAIT), 2);
	ck_assert_uint_eq(tcp_state(r, SS_ESTABLISHED), 3);   /* ::ffff: and ::1:631 */
	ck_assert_uint_eq(c->sum.skipped, 0);
	ck_assert_uint_eq(c->s->n_listeners, 2);
	ck_assert_uint_eq(c->s->close_wait_by_port[22], 1);
	ck_assert_ptr_null(strstr(c->sum.note, "CLOSE-WAIT"));   /* owned: accepted */
	/* the 443 connection is server side ([::]:443 listens); the
	 * CLOSE-WAIT on 22 has no listener here: a client tuple */
	ck_assert_uint_eq(c->s->n_dests, 1);
	ck_assert_uint_eq(c->s->dests[0].dport, 51000);
	ck_assert_uint_eq(t->s->n_closing, 1);
	ck_assert_uint_eq(t->s->closing[0].persist, 1);   /* FIN-WAIT-1 */
	ck_assert_uint_eq(t->s->closing[0].retrans, 1);   /* LAST-ACK, timer on */
	ck_assert_uint_eq(t->s->closing[0].max_backoff, 7);
	run_free(r);
	run_free(c);
	run_free(t);
}
END_TEST

START_TEST(ss__hostile)
{
	static const char text[] =
		"We see lots of these, any idea?\n"
		"State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
		"ESTAB 0 0 10.0.0.1:\0" "80 10.0.0.2:5000\n"
		"ESTAB 0 0 10.0.0.1:80 \xff\xfe:5000\n"
		"...\n"
		"\n"
		"LISTEN 0 128 0.0.0.0:80 0.0.0.0:*\r\n"
		"ESTAB 0 0 10.0.0.1:40000 10.0.0.2:5000 " "users:((\"x\",pid=99999999999999999999,fd=1))\n";
	struct run *r = run_text("ss -tan", 0, text, sizeof(text) - 1);
	struct run *big = run_text("ss -tan", 0, "ESTAB 0 99999999999 10.0.0.1:80 10.0.0.2:5000\n", 46);
	struct run *port = run_text("ss -tan", 0, "ESTAB 0 0 10.0.0.1:80 10.0.0.2:70000\n", 37);

	ck_assert_int_eq(r->rc, 0);
	ck_assert_uint_eq(r->s->n_listeners, 1);
	ck_assert_uint_eq(r->s->n_dests, 1);
	ck_assert_uint_eq(r->sum.rows, 3);
	ck_assert_uint_eq(r->sum.skipped, 5);
	ck_assert_int_eq(big->rc, -1);
	ck_assert_str_eq(big->err, "t.txt:1:9: ss row: a number out of range");
	ck_assert_int_eq(port->rc, -1);
	ck_assert_str_eq(port->err, "t.txt:1:23: ss row: a number out of range");
	run_free(r);
	run_free(big);
	run_free(port);
}
END_TEST

static int detect_text(const char *cmd, const char *text)
{
	char buf[4096], *save = NULL;
	const char *head[IMPORT_HEAD_LINES];
	unsigned n = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (char *l = strtok_r(buf, "\n", &save); l && n < IMPORT_HEAD_LINES; l = strtok_r(NULL, "\n", &save))
		head[n++] = l;
	return import_ss.detect(cmd, head, n);
}

/* The dotted-quad fast path accepts exactly what inet_pton does. */
START_TEST(ss__endpoint_v4_like_inet_pton)
{
	static const char *const eps[] = {
		"127.0.0.1:80", "0.0.0.0:*", "255.255.255.255:65535", "10.0.0.256:1",
		"01.2.3.4:5", "1.2.3:4", "1.2.3.4.5:6", "1..2.3:4", "1.2.3.4 :5", "1.2.3.0004:5",
		"[::ffff:1.2.3.4]:8", "1.2.3.4%eth0:22", ".1.2.3:4",
	};

	for (size_t i = 0; i < sizeof(eps) / sizeof(eps[0]); i++) {
		const char *ep = eps[i];
		const char *colon = strrchr(ep, ':');
		struct tok t = { ep, strlen(ep), 1 };
		uint8_t fam = 0, addr[16], want[16] = { 0 };
		uint16_t port = 0;
		char host[64];
		int rc = ss_ep_parse(&t, false, &fam, addr, &port);

		snprintf(host, sizeof(host), "%.*s", (int)(colon - ep), ep);
		if (strchr(host, '%'))
			*strchr(host, '%') = '\0';
		if (host[0] != '[' && inet_pton(AF_INET, host, want) == 1) {
			ck_assert_msg(rc == EP_OK && fam == AF_INET && !memcmp(addr, want, 4), "%s", ep);
		} else if (host[0] != '[') {
			ck_assert_msg(rc != EP_OK || fam != AF_INET, "%s taken as v4", ep);
		}
	}
}
END_TEST

/* -p names each listener's process; the same socket pasted twice gets
 * the same (made-up) inode, so a series matches it across samples. */
START_TEST(ss__tlnp_owners)
{
	struct run *ra = run_file("ss -tlnp", 0, "real61-tlnp.txt");
	struct run *rb = run_file("ss -tlnp", 0, "real61-tlnp.txt");
	const struct sample *sa = ra->s, *sb = rb->s;
	const struct s_listener *l = NULL;

	ck_assert_int_eq(ra->rc, 0);
	ck_assert(sa->have & HAVE_OWNERS);
	ck_assert_uint_eq(sa->n_listeners, 4);
	for (uint32_t i = 0; i < sa->n_listeners; i++)
		if (sa->listeners[i].port == 8080)
			l = &sa->listeners[i];
	ck_assert_ptr_nonnull(l);
	ck_assert_int_ge(l->owner, 0);
	ck_assert_uint_eq(sa->procs[l->owner].pid, 5743);
	ck_assert_str_eq(sa->procs[l->owner].comm, "python3");
	ck_assert_uint_eq(sa->procs[l->owner].listeners, 4);
	ck_assert_uint_ne(l->inode, 0);
	for (uint32_t i = 0; i < sa->n_listeners; i++) {
		ck_assert_uint_eq(sa->listeners[i].inode, sb->listeners[i].inode);
		for (uint32_t j = 0; j < i; j++)   /* fds differ: so do the inodes */
			ck_assert_uint_ne(sa->listeners[i].inode, sa->listeners[j].inode);
	}
	run_free(ra);
	run_free(rb);
}
END_TEST

START_TEST(ss__detect)
{
	static const char prose[] =
		"After the deploy the service stopped answering on port 8080.\n"
		"We restarted it twice: the queue filled again within minutes.\n"
		"Local address is 10.0.0.5:8080 and the peer is 10.0.0.9:443.\n";
	static const char netstat[] =
		"Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
		"tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n"
		"tcp        0      0 10.0.0.5:22             10.0.0.9:50110          ESTABLISHED\n";
	static const char rows[] =
		"LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n"
		"ESTAB 0 0 10.0.0.5:22 10.0.0.9:50110\n";

	ck_assert_int_ge(detect_text("sudo /usr/bin/ss -tlnp '( sport = :8080 )'", ""), 30);
	ck_assert_int_ge(detect_text("ss -tan|grep 8080", rows), 30);
	ck_assert_int_lt(detect_text("ss -tan | wc -l", "1204"), 30);
	ck_assert_int_lt(detect_text("netstat -tan", netstat), 30);
	ck_assert_int_lt(detect_text(NULL, netstat), 30);
	ck_assert_int_lt(detect_text(NULL, prose), 30);
	ck_assert_int_ge(detect_text(NULL, rows), 30);
	ck_assert_int_ge(detect_text(NULL, "Total: 20\nTCP:   17 (estab 11, closed 2, orphaned 0, timewait 1)\n"), 30);
	ck_assert_int_ge(detect_text(NULL, "State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"), 30);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_ss");
	TCase *tc = tcase_create("import_ss");

	tcase_add_test(tc, ss__tan_real);
	tcase_add_test(tc, ss__tanoe_real_ino_and_cookies);
	tcase_add_test(tc, ss__state_filter_without_state_column);
	tcase_add_test(tc, ss__no_header);
	tcase_add_test(tc, ss__coverage);
	tcase_add_test(tc, ss__service_names);
	tcase_add_test(tc, ss__listeners_not_added_twice);
	tcase_add_test(tc, ss__skmem_continuations);
	tcase_add_test(tc, ss__tulpn_netid);
	tcase_add_test(tc, ss__summary);
	tcase_add_test(tc, ss__old_and_pasted_variants);
	tcase_add_test(tc, ss__hostile);
	tcase_add_test(tc, ss__detect);
	tcase_add_test(tc, ss__tlnp_owners);
	tcase_add_test(tc, ss__endpoint_v4_like_inet_pton);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
