// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The netstat table importer, driven directly (begin/line/end) into a
 * real sample builder, on the fixtures in tests/data/import/netstat
 * (SOURCES says where each comes from) and on hostile input. These would
 * catch an importer that misreads unbracketed IPv6, trusts an address
 * netstat cut, takes a listener's Send-Q for its backlog, marks a subset
 * or a listeners-only table as complete, wipes or doubles another
 * section's sockets, or wraps a number.
 */
#include "tap_check.h"
#include "import_fixture.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#define NS "netstat/"

static uint64_t tcp_state(const struct sample *s, int state)
{
	return s->tally.by_state[TBL_TCP][state];
}

static uint64_t tcp_total(const struct sample *s)
{
	uint64_t n = 0;

	for (int i = 0; i < SS_STATE_MAX; i++)
		n += tcp_state(s, i);
	return n;
}

/* A connection to daddr:dport among the sample's destinations. */
static bool has_dest(const struct sample *s, const uint8_t daddr[16], uint16_t dport)
{
	for (uint32_t i = 0; i < s->n_dests; i++)
		if (s->dests[i].family == AF_INET6 && s->dests[i].dport == dport &&
		    !memcmp(s->dests[i].daddr, daddr, 16))
			return true;
	return false;
}

START_TEST(tanp__real_table_without_listeners)
{
	struct import_result r = import_file(&import_netstat, "netstat -tanp", NS "tanp");

	ck_assert_int_eq(r.rc, 0);
	/* -a: the other states complete; listeners have no backlog here */
	/* -p: the rows name their processes */
	ck_assert_uint_eq(r.sum.have, HAVE_CONN_STATES | HAVE_OWNERS);
	ck_assert_uint_eq(r.s->have & (HAVE_SOCKETS | HAVE_CONN_STATES), HAVE_CONN_STATES);
	ck_assert_uint_eq(r.s->n_listeners, 0);
	ck_assert_uint_eq(tcp_state(r.s, SS_ESTABLISHED), 8);
	ck_assert_uint_eq(tcp_state(r.s, SS_CLOSE_WAIT), 1);
	ck_assert_uint_eq(tcp_state(r.s, SS_FIN_WAIT2), 1);
	ck_assert_uint_eq(tcp_state(r.s, SS_LISTEN), 0);
	/* the CLOSE_WAIT row has a PID/Program: accepted, not a guess */
	ck_assert_uint_eq(r.s->close_wait_by_port[9090], 1);
	ck_assert_uint_eq(r.s->close_wait_unaccepted, 0);
	ck_assert_ptr_null(strstr(r.sum.note, "CLOSE_WAIT taken"));
	ck_assert(!r.s->cw_tracked);
	ck_assert_uint_eq(r.sum.rows, 12);
	ck_assert_uint_eq(r.sum.skipped, 3);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "3 LISTEN rows not used"));
	ck_assert_ptr_nonnull(strstr(r.sum.what, "netstat -tanp"));
	ck_assert_ptr_nonnull(strstr(r.sum.what, "13 sockets"));
	free(r.s);
}
END_TEST

START_TEST(no_cmd__judged_by_rows)
{
	struct import_result t = import_file(&import_netstat, NULL, NS "tanp");
	struct import_result l = import_file(&import_netstat, NULL, NS "lntp");

	/* LISTEN rows next to others: an -a table; LISTEN alone: nothing */
	ck_assert_uint_eq(t.sum.have, HAVE_CONN_STATES | HAVE_OWNERS);
	ck_assert_uint_eq(tcp_total(t.s), 10);
	ck_assert_uint_eq(l.sum.have, 0);
	ck_assert_ptr_nonnull(strstr(t.sum.what, "netstat: TCP socket table"));
	free(t.s);
	free(l.s);
}
END_TEST

START_TEST(v6__real_cut_address_never_read)
{
	struct import_result r = import_file(&import_netstat, "netstat -tan", NS "v6-tan");
	struct import_result w = import_file(&import_netstat, "netstat -tanW", NS "v6-tanW");
	uint8_t want[16];

	/* "2001:db8:85a3:1234::443" parses, but is not the socket's address */
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(tcp_total(r.s), 0);
	ck_assert_uint_eq(r.sum.have, 0);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "3 rows with cut addresses"));
	ck_assert_int_eq(w.rc, 0);
	ck_assert_uint_eq(w.sum.have, HAVE_CONN_STATES);
	ck_assert_uint_eq(tcp_state(w.s, SS_ESTABLISHED), 2);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8:85a3:1234:5678:9abc:def0:1", want), 1);
	ck_assert_uint_eq(w.sum.skipped, 1);    /* the LISTEN row */
	ck_assert(has_dest(w.s, want, 443));
	ck_assert_ptr_null(strstr(w.sum.note, "cut"));
	free(r.s);
	free(w.s);
}
END_TEST

START_TEST(an__udp_and_unix_counted_not_used)
{
	struct import_result r = import_file(&import_netstat, "sudo netstat -an", NS "an");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.sum.have, HAVE_CONN_STATES);
	ck_assert_uint_eq(tcp_total(r.s), 10);
	ck_assert_uint_eq(r.s->n_udp, 0);
	ck_assert_uint_eq(r.sum.rows, 12);
	ck_assert_uint_eq(r.sum.skipped, 6);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "1 UDP/raw rows not used"));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "2 UNIX lines skipped"));
	/* no PID column: the CLOSE_WAIT's acceptance is a guess, said so */
	ck_assert_ptr_nonnull(strstr(r.sum.note, "1 CLOSE_WAIT taken as accepted"));
	free(r.s);
}
END_TEST

START_TEST(lntp__listeners_only_marks_nothing)
{
	struct import_result r = import_file(&import_netstat, "netstat -lntp", NS "lntp");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.sum.have, 0);
	ck_assert_uint_eq(r.s->have & (HAVE_SOCKETS | HAVE_CONN_STATES), 0);
	ck_assert_uint_eq(r.s->n_listeners, 0);
	ck_assert_uint_eq(r.sum.rows, 2);
	ck_assert_uint_eq(r.sum.skipped, 3);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "listeners only"));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "give ss -tlnp"));
	free(r.s);
}
END_TEST

START_TEST(cut_crlf__cut_v6_skipped_rows_judged_without_cmd)
{
	struct import_result r = import_file(&import_netstat, NULL, NS "cut-crlf");
	struct import_result w = import_file(&import_netstat, "netstat -tanW", NS "cut-crlf");

	ck_assert_int_eq(r.rc, 0);
	/* rows left out: not complete, whatever the shape says */
	ck_assert_uint_eq(r.sum.have, 0);
	ck_assert_uint_eq(r.s->have & HAVE_CONN_STATES, 0);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "not complete"));
	ck_assert_uint_eq(tcp_state(r.s, SS_ESTABLISHED), 1);
	ck_assert_uint_eq(tcp_state(r.s, SS_TIME_WAIT), 2);
	ck_assert_uint_eq(tcp_state(r.s, SS_CLOSE_WAIT), 1);
	ck_assert_uint_eq(tcp_state(r.s, SS_SYN_RECV), 1);
	ck_assert_uint_eq(r.s->close_wait_by_port[443], 1);
	ck_assert_uint_eq(r.sum.rows, 7);
	ck_assert_uint_eq(r.sum.skipped, 4);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "2 rows with cut addresses (netstat -W"));
	/* -W: a 23-character v6 endpoint is whole; the invalid one still is not */
	ck_assert_int_eq(w.rc, 0);
	ck_assert_uint_eq(tcp_state(w.s, SS_ESTABLISHED), 2);
	ck_assert_ptr_nonnull(strstr(w.sum.note, "1 rows with cut addresses"));
	free(r.s);
	free(w.s);
}
END_TEST

/* Two sections into one builder, as the dispatcher feeds them. */
static void section(struct sample_builder *b, const struct importer *imp, const char *cmd,
		    uint32_t prior, const char *text, struct import_summary *sum)
{
	struct strbuf err = STRBUF_INIT;
	struct import_pos pos = { .file = "t.txt", .line = 0 };
	char line[512];
	void *st = NULL;

	ck_assert_int_eq(imp->begin(&st, b, cmd, prior, &err), 0);
	while (*text) {
		size_t n = strcspn(text, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)n, text);
		pos.line++;
		ck_assert_int_eq(imp->line(st, line, n, &pos, &err), 0);
		text += n + (text[n] == '\n');
	}
	ck_assert_int_eq(imp->end(st, sum, &err), 0);
	imp->free(st);
	strbuf_release(&err);
}

static const char ss_tlnp[] =
	"State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
	"LISTEN 2      16           0.0.0.0:8080      0.0.0.0:*\n";
static const char ns_an[] =
	"Active Internet connections (servers and established)\n"
	"Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
	"tcp        2      0 0.0.0.0:8080            0.0.0.0:*               LISTEN\n"
	"tcp        0      0 127.0.0.1:8080          127.0.0.1:35442         ESTABLISHED\n"
	"tcp        0      0 127.0.0.1:35442         127.0.0.1:8080          ESTABLISHED\n"
	"tcp6       0      0 ::1:8080                ::1:40000               TIME_WAIT\n";

static void both_orders(bool ss_first)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;
	struct import_summary a, c;

	ck_assert_int_eq(sample_build_begin(&b, s, &o, &err), 0);
	if (ss_first) {
		section(&b, &import_ss, "ss -tlnp", 0, ss_tlnp, &a);
		section(&b, &import_netstat, "netstat -an", a.have, ns_an, &c);
	} else {
		section(&b, &import_netstat, "netstat -an", 0, ns_an, &a);
		section(&b, &import_ss, "ss -tlnp", a.have, ss_tlnp, &c);
	}
	sample_build_finish(&b);
	/* ss gives the listener with its backlog, netstat the rest; neither wipes the other */
	ck_assert_uint_eq(s->have & (HAVE_SOCKETS | HAVE_CONN_STATES), HAVE_SOCKETS | HAVE_CONN_STATES);
	ck_assert_uint_eq(s->n_listeners, 1);
	ck_assert_uint_eq(s->listeners[0].wq, 16);
	ck_assert_uint_eq(tcp_state(s, SS_LISTEN), 1);
	ck_assert_uint_eq(tcp_state(s, SS_ESTABLISHED), 2);
	ck_assert_uint_eq(tcp_state(s, SS_TIME_WAIT), 1);
	strbuf_release(&err);
	free(s);
}

START_TEST(with_ss__listeners_from_ss_states_from_netstat)
{
	both_orders(true);
	both_orders(false);
}
END_TEST

START_TEST(repeat__a_second_full_table_is_not_added)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;
	struct import_summary a, c;

	ck_assert_int_eq(sample_build_begin(&b, s, &o, &err), 0);
	section(&b, &import_netstat, "netstat -an", 0, ns_an, &a);
	section(&b, &import_netstat, "netstat -tanp", a.have, ns_an, &c);
	sample_build_finish(&b);
	ck_assert_uint_eq(tcp_state(s, SS_ESTABLISHED), 2);
	ck_assert_uint_eq(c.have, 0);
	ck_assert_ptr_nonnull(strstr(c.note, "3 rows already given earlier"));
	strbuf_release(&err);
	free(s);
}
END_TEST

START_TEST(grep_and_no_a__mark_nothing)
{
	struct import_result g = import_str(&import_netstat, "netstat -an | grep 8080", ns_an);
	struct import_result n = import_str(&import_netstat, "netstat -tn", strstr(ns_an, "Proto"));

	ck_assert_int_eq(g.rc, 0);
	ck_assert_uint_eq(g.sum.have, 0);
	ck_assert_uint_eq(g.s->have & HAVE_CONN_STATES, 0);
	ck_assert_uint_eq(tcp_state(g.s, SS_ESTABLISHED), 2);
	ck_assert_ptr_nonnull(strstr(g.sum.note, "a subset"));
	ck_assert_int_eq(n.rc, 0);
	ck_assert_uint_eq(n.sum.have, 0);
	ck_assert_ptr_nonnull(strstr(n.sum.note, "no -a"));
	free(g.s);
	free(n.s);
}
END_TEST

START_TEST(hostile__nul_overflow_names_long_lines)
{
	static const char text[] =
		"tcp        0      0 10.0.0.1:80\0\0       10.0.0.2:5000           ESTABLISHED\n"
		"tcp 99999999999999999999 0 10.0.0.1:80 10.0.0.2:5001 ESTABLISHED\n"
		"tcp 4294967296 0 10.0.0.1:80 10.0.0.2:5002 ESTABLISHED\n"
		"tcp 4294967295 0 10.0.0.1:80 10.0.0.2:5003 ESTABLISHED\n"
		"tcp 0 0 10.0.0.1:70000 10.0.0.2:5004 ESTABLISHED\n"
		"tcp 0 0 web1:nosuchsvc client7:5005 ESTABLISHED\n"
		"tcp 0 0 10.0.0.1:nosuchsvc 10.0.0.2:5006 ESTABLISHED\n"
		"tcp 0 0 10.0.0.1:80 10.0.0.2:5007 BOGUS_STATE\n"
		"tcp 0 0 *:80 10.0.0.2:5008 ESTABLISHED\n"
		"tcp 0 0 \xff\xfe:80 10.0.0.2:5009 ESTABLISHED\n"
		"...\n"
		"\n"
		"Here is the output of netstat from the box, it has a lot of TIME_WAIT.\n";
	size_t len = sizeof(text) - 1;
	char *big = malloc(IMPORT_LINE_MAX + 1);
	struct import_result r = import_buf(&import_netstat, NULL, text, len);
	struct import_result l;

	ck_assert_int_eq(r.rc, 0);
	/* only the UINT32_MAX Recv-Q row is whole; nothing wrapped */
	ck_assert_uint_eq(tcp_total(r.s), 1);
	ck_assert_uint_eq(r.sum.rows, 1);
	ck_assert_uint_eq(r.sum.skipped, 12);
	ck_assert_ptr_nonnull(strstr(r.sum.note, "3 rows with numbers out of range"));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "2 rows with names"));
	ck_assert_uint_eq(r.sum.have, 0);   /* no command, no LISTEN: nothing known complete */
	memset(big, 'a', IMPORT_LINE_MAX);
	memcpy(big, "tcp 0 0 ", 8);
	big[IMPORT_LINE_MAX] = '\0';
	l = import_buf(&import_netstat, "netstat -tan", big, IMPORT_LINE_MAX);
	ck_assert_int_eq(l.rc, 0);
	ck_assert_uint_eq(l.sum.skipped, 1);
	free(big);
	free(r.s);
	free(l.s);
}
END_TEST

START_TEST(detect__commands_content_and_prose)
{
	const char *tbl = "Active Internet connections (only servers)\n"
			  "Proto Recv-Q Send-Q Local Address           Foreign Address         State\n"
			  "tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN\n";

	ck_assert_int_ge(import_detect_str(&import_netstat, "netstat -tan", ""), 80);
	ck_assert_int_ge(import_detect_str(&import_netstat, "sudo /bin/netstat -lntp", tbl), 80);
	ck_assert_int_eq(import_detect_str(&import_netstat, "netstat -s", tbl), 0);
	ck_assert_int_eq(import_detect_str(&import_netstat, "netstat -i", ""), 0);
	ck_assert_int_eq(import_detect_str(&import_netstat,
					   "netstat -an | grep TIME_WAIT | wc -l", "1204"), 0);
	ck_assert_int_ge(import_detect_str(&import_netstat, NULL, tbl), 80);
	/* beats ss on netstat text, loses to it on ss text */
	ck_assert_int_gt(import_detect_str(&import_netstat, NULL, tbl),
			 import_detect_str(&import_ss, NULL, tbl));
	ck_assert_int_lt(import_detect_str(&import_netstat, NULL, ss_tlnp), 30);
	ck_assert_int_ge(import_detect_str(&import_netstat, NULL, strstr(ns_an, "tcp ")), 30);
	ck_assert_int_lt(import_detect_str(&import_netstat, NULL,
		"The server keeps dropping connections. netstat shows lots of sockets\n"
		"in TIME_WAIT and CLOSE_WAIT on port 8080; tcp 0 0 is all I see.\n"
		"Any idea what the Recv-Q and Send-Q columns mean here?\n"), 30);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_netstat");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, tanp__real_table_without_listeners);
	tcase_add_test(tc, no_cmd__judged_by_rows);
	tcase_add_test(tc, v6__real_cut_address_never_read);
	tcase_add_test(tc, an__udp_and_unix_counted_not_used);
	tcase_add_test(tc, lntp__listeners_only_marks_nothing);
	tcase_add_test(tc, cut_crlf__cut_v6_skipped_rows_judged_without_cmd);
	tcase_add_test(tc, with_ss__listeners_from_ss_states_from_netstat);
	tcase_add_test(tc, repeat__a_second_full_table_is_not_added);
	tcase_add_test(tc, grep_and_no_a__mark_nothing);
	tcase_add_test(tc, hostile__nul_overflow_names_long_lines);
	tcase_add_test(tc, detect__commands_content_and_prose);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
