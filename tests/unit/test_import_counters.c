// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The counters importer, driven line by line into a real builder. These
 * would catch a misread nstat/netstat -s/proc line, a counter made up
 * for a filtered capture, a wrapped overflow, or a HAVE bit marked for
 * an input that was not whole (conntrack count without max).
 */
#include "tap_check.h"
#include "../../src/import/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA "tests/data/import/counters/"

struct run {
	struct sample *s;
	struct import_summary sum;
	int rc;
	char err[256];
};

/* text: the whole section; lines cut at '\n' (len given: NULs allowed). */
static struct run import_buf(const char *cmd, const char *text, size_t len)
{
	struct sample_build_opts o = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	struct sample_builder b;
	struct run r = { .s = malloc(sizeof(struct sample)) };
	struct import_pos pos = { "cap.txt", 0 };
	void *st = NULL;
	size_t i = 0;

	ck_assert_int_eq(sample_build_begin(&b, r.s, &o, &err), 0);
	ck_assert_int_eq(import_counters.begin(&st, &b, cmd, 0, &err), 0);
	while (i < len && !r.rc) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		char *line = malloc(n + 1);

		memcpy(line, text + i, n);
		line[n] = '\0';
		pos.line++;
		r.rc = import_counters.line(st, line, n, &pos, &err);
		free(line);
		i += n + 1;
	}
	if (!r.rc)
		r.rc = import_counters.end(st, &r.sum, &err);
	import_counters.free(st);
	sample_build_finish(&b);
	snprintf(r.err, sizeof(r.err), "%s", err.len ? err.buf : "");
	strbuf_release(&err);
	return r;
}

static struct run import_text(const char *cmd, const char *text)
{
	return import_buf(cmd, text, strlen(text));
}

static struct run import_file(const char *cmd, const char *name)
{
	char path[256], *buf = malloc(1 << 20);
	FILE *f;
	size_t n;
	struct run r;

	snprintf(path, sizeof(path), DATA "%s", name);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	r = import_buf(cmd, buf, n);
	free(buf);
	return r;
}

static uint64_t mib(const struct run *r, const char *name)
{
	uint64_t v = 0;

	ck_assert_msg(mib_get(&r->s->mib, name, &v), "%s missing", name);
	return v;
}

static bool has(const struct run *r, const char *name)
{
	uint64_t v;

	return mib_get(&r->s->mib, name, &v);
}

START_TEST(nstat_az__every_counter_absolute)
{
	struct run r = import_file("nstat -az", "nstat-az.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_MIB);
	ck_assert_uint_eq(mib(&r, "TcpExtListenOverflows"), 12);
	ck_assert_uint_eq(mib(&r, "TcpExtListenDrops"), 12);
	ck_assert_uint_eq(mib(&r, "TcpRetransSegs"), 8);
	ck_assert(!has(&r, "TcpMaxConn"));  /* nstat leaves the non-counters out */
	ck_assert_uint_eq(r.sum.rows, 391);
	ck_assert_uint_eq(r.sum.skipped, 0);
	ck_assert_uint_eq(r.sum.have, HAVE_MIB);
	ck_assert_str_eq(r.sum.note, "");
	free(r.s);
}
END_TEST

START_TEST(nstat_plain__delta_said_and_absent_not_zero)
{
	struct run r = import_file("sudo /usr/sbin/nstat", "nstat-delta.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(mib(&r, "TcpEstabResets"), 4);
	ck_assert(!has(&r, "TcpExtListenOverflows"));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "increments since its last run"));
	free(r.s);
	r = import_file(NULL, "nstat-delta.txt");
	ck_assert_ptr_nonnull(strstr(r.sum.note, "taken as absolute"));
	free(r.s);
}
END_TEST

START_TEST(proc_pairs_and_snmp6__as_the_collector)
{
	struct run r = import_file("cat /proc/net/netstat", "proc-net-netstat.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(mib(&r, "TcpExtListenOverflows"), 12);
	ck_assert_uint_eq(r.sum.rows, 6);
	free(r.s);
	r = import_file(NULL, "proc-net-snmp.txt");
	ck_assert_uint_eq(mib(&r, "TcpRetransSegs"), 8);
	ck_assert_uint_eq(mib(&r, "TcpOutRsts"), 2);
	ck_assert_uint_eq(mib(&r, "TcpMaxConn"), UINT64_MAX); /* -1 kept */
	free(r.s);
	r = import_file(NULL, "proc-net-snmp6.txt");
	ck_assert_int_eq(r.rc, 0);
	ck_assert(has(&r, "Ip6InReceives"));
	ck_assert_uint_eq(r.sum.skipped, 0);
	free(r.s);
}
END_TEST

START_TEST(pairs__count_mismatch_names_capture_line)
{
	struct run r = import_text(NULL, "some prose\n\nTcpExt: A B C\nTcpExt: 1 2\n");

	ck_assert_int_lt(r.rc, 0);
	ck_assert_str_eq(r.err, "cap.txt:4:12: fewer values than names in 'TcpExt'");
	free(r.s);
}
END_TEST

START_TEST(netstat_s__sentences_and_hidden_zeros)
{
	struct run r = import_file("netstat -s", "netstat-s.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(mib(&r, "TcpExtListenOverflows"), 12);
	ck_assert_uint_eq(mib(&r, "TcpExtListenDrops"), 12);
	ck_assert_uint_eq(mib(&r, "TcpRetransSegs"), 8);
	ck_assert_uint_eq(mib(&r, "TcpOutRsts"), 2);
	ck_assert_uint_eq(mib(&r, "TcpEstabResets"), 4);
	ck_assert_uint_eq(mib(&r, "TcpExtTCPSynRetrans"), 8);
	ck_assert_uint_eq(mib(&r, "IpExtInOctets"), 1168);
	ck_assert_uint_eq(mib(&r, "UdpRcvbufErrors"), 0);
	/* hidden at 0 by netstat -s, whole TcpExt group: 0 */
	ck_assert_uint_eq(mib(&r, "TcpExtTCPAbortOnData"), 0);
	/* not in the zero list (kernel 3.10+): still absent */
	ck_assert(!has(&r, "TcpExtTCPLossProbes"));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "hides at 0"));
	free(r.s);
}
END_TEST

START_TEST(netstat_s__older_wording)
{
	struct run r = import_file(NULL, "netstat-s-nettools160.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(mib(&r, "TcpActiveOpens"), 5021);
	ck_assert_uint_eq(mib(&r, "TcpOutSegs"), 171960);
	ck_assert_uint_eq(mib(&r, "TcpRetransSegs"), 1532);
	ck_assert_uint_eq(mib(&r, "TcpExtListenDrops"), 2310);
	ck_assert_uint_eq(mib(&r, "TcpExtDelayedACKLost"), 88);
	ck_assert_uint_eq(mib(&r, "UdpNoPorts"), 3);
	ck_assert_uint_eq(mib(&r, "IcmpInErrors"), 0);
	ck_assert_uint_eq(mib(&r, "TcpExtTCPLossProbes"), 140);
	ck_assert_uint_eq(r.sum.skipped, 2);  /* the histogram heading and row */
	free(r.s);
}
END_TEST

START_TEST(netstat_s__grep_subset_invents_nothing)
{
	struct run r = import_text("netstat -s | grep -i listen",
				   "    2310 times the listen queue of a socket overflowed\n"
				   "    2310 SYNs to LISTEN sockets dropped\n");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(mib(&r, "TcpExtListenOverflows"), 2310);
	ck_assert(!has(&r, "TcpExtTCPAbortOnData"));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "subset"));
	free(r.s);
}
END_TEST

START_TEST(overflow__refused_with_position)
{
	struct run r = import_text("netstat -s", "Tcp:\n    99999999999999999999 segments retransmitted\n");

	ck_assert_int_lt(r.rc, 0);
	ck_assert_str_eq(r.err, "cap.txt:2:5: counter value does not fit 64 bits");
	free(r.s);
	r = import_text(NULL, "#kernel\nTcpRetransSegs 18446744073709551616 0.0\n");
	ck_assert_int_lt(r.rc, 0);
	ck_assert_ptr_nonnull(strstr(r.err, "cap.txt:2:16:"));
	free(r.s);
	r = import_text(NULL, "TCP: inuse 99999999999999999999\n");
	ck_assert_int_lt(r.rc, 0);
	ck_assert_ptr_nonnull(strstr(r.err, "cap.txt:1:12: number out of range"));
	free(r.s);
}
END_TEST

START_TEST(sockstat__both_files)
{
	struct run r = import_file(NULL, "proc-net-sockstat.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_SOCKSTAT);
	ck_assert(r.s->sockstat.tcp_mem.present);
	ck_assert_int_eq(r.s->sockstat.tcp_mem.v, 276);
	ck_assert_int_eq(r.s->sockstat.tcp_alloc.v, 1);
	ck_assert(!(r.s->have & HAVE_MIB));
	free(r.s);
	r = import_file("cat /proc/net/sockstat6", "proc-net-sockstat6.txt");
	ck_assert(r.s->sockstat.has_sockstat6 && r.s->sockstat.tcp6_inuse.present);
	free(r.s);
}
END_TEST

START_TEST(conntrack__stats_summed_count_needs_max)
{
	struct run r = import_file("conntrack -S", "conntrack-S.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_CONNTRACK_STAT);
	ck_assert_uint_eq(r.s->conntrack_drop, 4);
	ck_assert_uint_eq(r.s->conntrack_early_drop, 2);
	ck_assert_uint_eq(r.s->conntrack_insert_failed, 4);
	free(r.s);
	r = import_file("cat /proc/net/stat/nf_conntrack", "proc-net-stat-nf_conntrack.txt");
	ck_assert(r.s->have & HAVE_CONNTRACK_STAT);
	ck_assert_uint_eq(r.sum.rows, 3);
	free(r.s);
	r = import_text("conntrack -C", "65536\n");
	ck_assert_uint_eq(r.s->conntrack_count, 65536);
	ck_assert(!(r.s->have & HAVE_CONNTRACK));
	ck_assert_ptr_nonnull(strstr(r.sum.note, "nf_conntrack_max"));
	free(r.s);
	r = import_text(NULL, "65536\n");  /* a bare number, nothing says what */
	ck_assert_uint_eq(r.s->have, 0);
	ck_assert_uint_eq(r.sum.skipped, 1);
	free(r.s);
}
END_TEST

START_TEST(hostile__crlf_nul_prose_long)
{
	static char text[200000];
	size_t n = 0;
	struct run r;

	n += (size_t)sprintf(text + n, "#kernel\r\nTcpRetransSegs  7  0.0\r\n");
	memcpy(text + n, "TcpOutRsts\0 5\n", 14);
	n += 14;
	n += (size_t)sprintf(text + n, "I restarted the box and then 5 things happened.\n...\n\n");
	memset(text + n, 'A', 100000);
	n += 100000;
	text[n++] = '\n';
	n += (size_t)sprintf(text + n, "\xff\xfeTcpExt: \xc3\x28\n");
	r = import_buf(NULL, text, n);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(mib(&r, "TcpRetransSegs"), 7);
	ck_assert(!has(&r, "TcpOutRsts"));
	ck_assert_uint_eq(r.sum.rows, 2);
	ck_assert_uint_eq(r.sum.skipped, 6);
	free(r.s);
}
END_TEST

START_TEST(detect__commands_content_and_prose)
{
	const char *nstat[] = { "#kernel", "IpInReceives   20   0.0", "TcpRetransSegs 8 0.0" };
	const char *prose[] = { "Hi all, our server drops connections.", "Tcp is fine I think:",
				"We see 5 resets a minute and 12 timeouts." };
	const char *ns[] = { "Tcp:", "    6 active connection openings", "    8 segments retransmitted" };
	const char *sock[] = { "sockets: used 0", "TCP: inuse 0 orphan 0 tw 0 alloc 1 mem 276" };

	ck_assert_int_ge(import_counters.detect("sudo nstat -az", nstat, 3), 90);
	ck_assert_int_ge(import_counters.detect(NULL, nstat, 3), 90);
	ck_assert_int_lt(import_counters.detect(NULL, prose, 3), IMPORT_MIN_SCORE);
	ck_assert_int_lt(import_counters.detect("ss -tan", prose, 3), IMPORT_MIN_SCORE);
	ck_assert_int_ge(import_counters.detect(NULL, ns, 3), 80);
	ck_assert_int_ge(import_counters.detect("/bin/netstat -s | grep retrans", ns + 2, 1), 90);
	ck_assert_int_lt(import_counters.detect("netstat -tan", ns, 0), IMPORT_MIN_SCORE);
	ck_assert_int_ge(import_counters.detect(NULL, sock, 2), 80);
	ck_assert_int_ge(import_counters.detect("cat /proc/sys/net/netfilter/nf_conntrack_count",
						NULL, 0), 80);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_counters");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, nstat_az__every_counter_absolute);
	tcase_add_test(tc, nstat_plain__delta_said_and_absent_not_zero);
	tcase_add_test(tc, proc_pairs_and_snmp6__as_the_collector);
	tcase_add_test(tc, pairs__count_mismatch_names_capture_line);
	tcase_add_test(tc, netstat_s__sentences_and_hidden_zeros);
	tcase_add_test(tc, netstat_s__older_wording);
	tcase_add_test(tc, netstat_s__grep_subset_invents_nothing);
	tcase_add_test(tc, overflow__refused_with_position);
	tcase_add_test(tc, sockstat__both_files);
	tcase_add_test(tc, conntrack__stats_summed_count_needs_max);
	tcase_add_test(tc, hostile__crlf_nul_prose_long);
	tcase_add_test(tc, detect__commands_content_and_prose);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
