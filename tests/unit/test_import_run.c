// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/import/import.c: prompts, sections, detection, repeats, and what
 * the capture list says about each section.
 */
#include "tap_check.h"
#include "../../src/import/import_run.h"
#include "../../src/import/import_time.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(import__prompts)
{
	static const struct { const char *line; const char *cmd; } rows[] = {
		{ "$ ss -tan", "ss -tan" },
		{ "# nstat -az", "nstat -az" },
		{ "  $ sudo ss -tlnp '( sport = :8080 )'", "sudo ss -tlnp '( sport = :8080 )'" },
		{ "root@web1:~# sysctl -a", "sysctl -a" },
		{ "deploy@api-3:/srv$ netstat -an | grep TIME_WAIT | wc -l",
		  "netstat -an | grep TIME_WAIT | wc -l" },
		{ "[root@db1 ~]# cat /proc/net/sockstat", "cat /proc/net/sockstat" },
		{ "$ /usr/sbin/ss -s", "/usr/sbin/ss -s" },
		{ "$ date -u", "date -u" },
		{ "$ sleep 10; date -u", "sleep 10; date -u" },
		{ "$ sleep 1 && nstat -az", "sleep 1 && nstat -az" },
		/* not prompts */
		{ "# Controls source route verification", NULL },
		{ "# kernel.sysrq = 1", NULL },
		{ "$ make all", NULL },
		{ "$ sleep 10", NULL },
		{ "TcpExtListenOverflows  1 0.0", NULL },
		{ "user@example.com wrote: $ ss", NULL },
		{ "", NULL },
	};
	char cmd[IMPORT_CMD_MAX];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool is = import_prompt(rows[i].line, cmd, sizeof(cmd));

		ck_assert_msg(is == (rows[i].cmd != NULL), "'%s'", rows[i].line);
		if (is)
			ck_assert_str_eq(cmd, rows[i].cmd);
	}
}
END_TEST

static int fx_run(const char *text, struct import_series *is, struct capture_list *cl)
{
	struct sample_build_opts bo = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int used;

	bo.peer.port = -1;
	ck_assert_ptr_nonnull(fp);
	used = import_run_stream(fp, "paste.txt", &bo, is, cl, &err);
	fclose(fp);
	strbuf_release(&err);
	return used;
}

/* A transcript: prose, two commands, a repeat, an unknown command. */
START_TEST(import__transcript_sections)
{
	static const char text[] =
		"Hi, the service stops accepting after a while. Output below.\r\n"
		"\r\n"
		"root@web1:~# nstat -az TcpExtListenOverflows TcpExtListenDrops\r\n"
		"#kernel\r\n"
		"TcpExtListenOverflows           18092              0.0\r\n"
		"TcpExtListenDrops               18092              0.0\r\n"
		"root@web1:~# cat /proc/net/sockstat\n"
		"sockets: used 1204\n"
		"TCP: inuse 311 orphan 0 tw 805 alloc 1187 mem 45\n"
		"UDP: inuse 4 mem 2\n"
		"root@web1:~# nstat -az TcpExtListenOverflows TcpExtListenDrops\n"
		"#kernel\n"
		"TcpExtListenOverflows           18100              0.0\n"
		"root@web1:~# ls /proc/1234/fd | wc -l\n"
		"61\n";
	struct import_series *is = calloc(1, sizeof(*is));
	struct capture_list *cl = calloc(1, sizeof(*cl));
	const struct sample *s;
	uint64_t v = 0;

	ck_assert_int_eq(fx_run(text, is, cl), 4);              /* the fd count is used too */
	ck_assert_uint_eq(cl->n, 5);
	ck_assert_int_eq(cl->r[0].status, CAPTURE_UNKNOWN);     /* the prose */
	ck_assert_ptr_nonnull(strstr(cl->r[0].what, "applog"));  /* every importer tried is named */
	ck_assert_uint_eq(cl->r[0].line, 1);
	ck_assert_int_eq(cl->r[0].sample, -1);
	ck_assert_int_eq(cl->r[1].status, CAPTURE_USED);
	ck_assert_str_eq(cl->r[1].cmd, "nstat -az TcpExtListenOverflows TcpExtListenDrops");
	ck_assert_uint_eq(cl->r[1].line, 4);
	ck_assert_int_eq(cl->r[1].sample, 0);
	ck_assert_int_eq(cl->r[2].status, CAPTURE_USED);
	ck_assert_int_eq(cl->r[2].sample, 0);
	ck_assert_int_eq(cl->r[3].status, CAPTURE_USED);        /* a second nstat: sample 2 */
	ck_assert_int_eq(cl->r[3].sample, 1);
	ck_assert_int_eq(cl->r[4].status, CAPTURE_USED);        /* a labelled fd count */
	ck_assert_int_eq(cl->r[4].sample, 1);
	ck_assert_uint_eq(is->n, 2);
	ck_assert_uint_eq(is->ser.n, 2);
	ck_assert(is->ser.time_unknown);                         /* no times: as given */
	ck_assert(!cl->by_time);
	ck_assert(is->s[1]->have & HAVE_FDS);
	ck_assert_uint_eq(is->s[1]->procs[0].pid, 1234);
	ck_assert_uint_eq(is->s[1]->procs[0].fds, 61);
	ck_assert(!(is->s[0]->have & HAVE_FDS));                 /* fds: never carried */
	s = is->s[0];
	ck_assert(s->have & HAVE_MIB);
	ck_assert(s->have & HAVE_SOCKSTAT);
	ck_assert(!(s->have & HAVE_SOCKETS));
	ck_assert(mib_get(&s->mib, "TcpExtListenOverflows", &v));
	ck_assert_uint_eq(v, 18092);
	ck_assert(mib_get(&is->s[1]->mib, "TcpExtListenOverflows", &v));
	ck_assert_uint_eq(v, 18100);
	ck_assert(!(series_have(&is->ser) & HAVE_SOCKSTAT));    /* counters: never carried */
	ck_assert(series_mib_delta(&is->ser, "TcpExtListenOverflows", &v));
	ck_assert_uint_eq(v, 8);                                 /* a count without a time */
	ck_assert(series_between_s(&is->ser, 0, 1) == 0);        /* no rate invented */
	import_series_release(is);
	free(is);
	free(cl);
}
END_TEST

/* date output in the shapes coreutils prints; prose is not a time. */
START_TEST(import__date_shapes)
{
	static const struct { const char *line; int64_t s; } rows[] = {
		{ "Thu Dec  3 07:44:07 UTC 2026", 1796283847 },
		{ "Thu Dec  3 07:44:07 AM UTC 2026", 1796283847 },
		{ "Thu Dec  3 07:44:07 PM UTC 2026", 1796283847 + 12 * 3600 },
		{ "Thu, 03 Dec 2026 08:44:07 +0100", 1796283847 },
		{ "2026-12-03T07:44:07+00:00", 1796283847 },
		{ "2026-12-03T02:44:07-05:00", 1796283847 },
		{ "2026-12-03 07:44:07", 1796283847 },
		{ "2026-12-03T07:44:07Z", 1796283847 },
		{ "1796283847", 1796283847 },
		{ "Thu Dec  3 07:44:07 CET 2026", 1796283847 },  /* a zone name: taken as UTC */
		{ "the service was restarted at noon", -1 },
		{ "Dec 3", -1 },
		{ "42", -1 },
		{ "2026-13-03T07:44:07Z", -1 },
		{ "", -1 },
	};
	int64_t ns;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool ok = import_time_date(rows[i].line, &ns);

		ck_assert_msg(ok == (rows[i].s >= 0), "'%s'", rows[i].line);
		if (ok)
			ck_assert_msg(ns == rows[i].s * 1000000000LL, "'%s': %lld", rows[i].line,
				      (long long)ns);
	}
	ck_assert(import_time_date("1796283847.250000000", &ns));
	ck_assert(ns == 1796283847250000000LL);
	ck_assert(import_time_date("2026-12-03T07:44:07,5+00:00", &ns));
	ck_assert(ns == 1796283847500000000LL);
	ck_assert(import_time_header("sockvet capture 1: host a, kernel 6.1, netns net:[1], "
				     "2026-12-03T07:44:07.125000Z, sample 2 of 3", &ns));
	ck_assert(ns == 1796283847125000000LL);
	ck_assert(import_time_header("sockvet capture 1: host a, kernel 6.1, netns unknown, "
				     "2026-12-03T07:44:07Z, sample 1 of 1", &ns));
	ck_assert(!import_time_header("sockvet capture --samples 3", &ns));
}
END_TEST

#define HDR(t, k) "# sockvet capture 1: host h, kernel 6.1, netns unknown, " t ", sample " k " of 3\n"
#define NSTAT(v) "$ nstat -az\n#kernel\nTcpExtListenOverflows " v " 0.0\n"

/* Capture headers: ordered by their fractional times, not as given. */
START_TEST(import__order_by_header_time)
{
	static const char text[] =
		HDR("2026-12-03T07:44:09.000000Z", "3") NSTAT("30")
		HDR("2026-12-03T07:44:07.000000Z", "1") NSTAT("10")
		HDR("2026-12-03T07:44:08.500000Z", "2") NSTAT("20");
	struct import_series *is = calloc(1, sizeof(*is));
	struct capture_list *cl = calloc(1, sizeof(*cl));
	uint64_t v;

	ck_assert_int_eq(fx_run(text, is, cl), 3);
	ck_assert_uint_eq(is->n, 3);
	ck_assert(!is->ser.time_unknown);
	ck_assert(cl->by_time);
	ck_assert(mib_get(&is->s[0]->mib, "TcpExtListenOverflows", &v) && v == 10);
	ck_assert(mib_get(&is->s[2]->mib, "TcpExtListenOverflows", &v) && v == 30);
	ck_assert_int_eq(cl->r[0].sample, 2);       /* the first section read is the newest */
	ck_assert_int_eq(cl->r[1].sample, 0);
	ck_assert(fabs(series_between_s(&is->ser, 0, 1) - 1.5) < 1e-9);
	ck_assert(fabs(series_span_s(&is->ser) - 2.0) < 1e-9);
	ck_assert(fabs(is->ser.interval_s - 1.0) < 1e-9);
	ck_assert(cl->r[1].time_ns == 1796283847000000000LL);
	ck_assert(series_mib_delta(&is->ser, "TcpExtListenOverflows", &v) && v == 20);
	import_series_release(is);
	free(is);
	free(cl);
}
END_TEST

/* A transcript twice with `date` before each round; sysctl given once. */
START_TEST(import__date_rounds_and_carry)
{
	static const char text[] =
		"$ sysctl net.core.somaxconn\nnet.core.somaxconn = 4096\n"
		"$ date -u\nThu Dec  3 07:44:07 UTC 2026\n" NSTAT("10")
		"$ cat /proc/net/sockstat\nTCP: inuse 3 orphan 0 tw 1 alloc 4 mem 1\n"
		"$ date -u\nThu Dec  3 07:44:17 UTC 2026\n" NSTAT("25")
		"$ cat /proc/net/sockstat\nTCP: inuse 3 orphan 0 tw 1 alloc 4 mem 1\n";
	struct import_series *is = calloc(1, sizeof(*is));
	struct capture_list *cl = calloc(1, sizeof(*cl));
	uint32_t have;

	ck_assert_int_eq(fx_run(text, is, cl), 5);
	ck_assert_uint_eq(is->n, 2);
	ck_assert(!is->ser.time_unknown);
	ck_assert(fabs(series_span_s(&is->ser) - 10.0) < 1e-9);
	have = series_have(&is->ser);
	ck_assert(have & HAVE_SYSCTL);               /* carried to sample 2 */
	ck_assert(have & HAVE_MIB);
	ck_assert(have & HAVE_SOCKSTAT);
	ck_assert(is->s[1]->sysctl.val[SYSCTL_SOMAXCONN].present);
	ck_assert_int_eq(cl->r[1].status, CAPTURE_USED);   /* the date */
	ck_assert_int_eq(cl->r[1].sample, 0);
	ck_assert_int_eq(cl->r[4].sample, 1);
	ck_assert(cl->r[4].time_ns == 1796283857000000000LL);
	import_series_release(is);
	free(is);
	free(cl);
}
END_TEST

/* Plain nstat twice prints increments: totalled, never diffed as totals. */
START_TEST(import__nstat_increments)
{
	static const char text[] =
		"$ nstat\n#kernel\nTcpExtListenOverflows 100 0.0\nTcpRetransSegs 5 0.0\n"
		"$ nstat\n#kernel\nTcpExtListenOverflows 7 0.0\n"
		"$ nstat\n#kernel\nTcpExtListenOverflows 3 0.0\nTcpRetransSegs 2 0.0\n";
	struct import_series *is = calloc(1, sizeof(*is));
	struct capture_list *cl = calloc(1, sizeof(*cl));
	uint64_t v;

	ck_assert_int_eq(fx_run(text, is, cl), 3);
	ck_assert_uint_eq(is->n, 3);
	ck_assert(series_mib_delta(&is->ser, "TcpExtListenOverflows", &v));
	ck_assert_uint_eq(v, 10);                    /* 7 + 3, not 3 - 100 */
	ck_assert(series_mib_delta(&is->ser, "TcpRetransSegs", &v));
	ck_assert_uint_eq(v, 2);                     /* hidden at 0 in the second */
	import_series_release(is);
	free(is);
	free(cl);
}
END_TEST

/* Past IMPORT_SAMPLES_MAX samples the rest is listed, not read. */
START_TEST(import__samples_max)
{
	struct strbuf t = STRBUF_INIT;
	struct import_series *is = calloc(1, sizeof(*is));
	struct capture_list *cl = calloc(1, sizeof(*cl));
	uint64_t v;

	for (int i = 0; i < IMPORT_SAMPLES_MAX + 2; i++)
		strbuf_addf(&t, "$ nstat -az\n#kernel\nTcpRetransSegs %d 0.0\n", i);
	ck_assert_int_eq(fx_run(t.buf, is, cl), IMPORT_SAMPLES_MAX);
	ck_assert_uint_eq(is->n, IMPORT_SAMPLES_MAX);
	ck_assert_uint_eq(cl->n, IMPORT_SAMPLES_MAX + 2);
	ck_assert_int_eq(cl->r[IMPORT_SAMPLES_MAX].status, CAPTURE_REPEAT);
	ck_assert_int_eq(cl->r[IMPORT_SAMPLES_MAX + 1].status, CAPTURE_REPEAT);
	ck_assert_ptr_nonnull(strstr(cl->r[IMPORT_SAMPLES_MAX].note, "only the first 8"));
	ck_assert(mib_get(&is->s[IMPORT_SAMPLES_MAX - 1]->mib, "TcpRetransSegs", &v) && v == 7);
	import_series_release(is);
	strbuf_release(&t);
	free(is);
	free(cl);
}
END_TEST

/* Nothing known: no section used, every one listed. */
START_TEST(import__nothing_known)
{
	struct import_series *s = calloc(1, sizeof(*s));
	struct capture_list *cl = calloc(1, sizeof(*cl));

	ck_assert_int_eq(fx_run("lorem ipsum dolor sit amet\nconsectetur 5\n", s, cl), 0);
	ck_assert_uint_eq(cl->n, 1);
	ck_assert_int_eq(cl->r[0].status, CAPTURE_UNKNOWN);
	ck_assert_uint_eq(s->n, 1);
	import_series_release(s);
	ck_assert_int_eq(fx_run("", s, cl), 0);
	ck_assert_uint_eq(cl->n, 0);
	import_series_release(s);
	free(s);
	free(cl);
}
END_TEST

/* A line longer than IMPORT_LINE_MAX is cut, not a crash or a split line. */
START_TEST(import__long_line)
{
	size_t n = IMPORT_LINE_MAX * 2 + 100;
	char *text = malloc(n + 64);
	struct import_series *s = calloc(1, sizeof(*s));
	struct capture_list *cl = calloc(1, sizeof(*cl));

	memset(text, 'x', n);
	strcpy(text + n, "\n$ nstat -az\n#kernel\nTcpRetransSegs 7 0.0\n");
	ck_assert_int_eq(fx_run(text, s, cl), 1);
	ck_assert_uint_eq(cl->n, 2);
	ck_assert_int_eq(cl->r[1].status, CAPTURE_USED);
	ck_assert_uint_eq(cl->r[1].line, 3);
	import_series_release(s);
	free(text);
	free(s);
	free(cl);
}
END_TEST

/* An unreadable path is listed; the other inputs are still used. */
START_TEST(import__unreadable_file)
{
	char path[] = "/tmp/sockvet-import-XXXXXX";
	int fd = mkstemp(path);
	const char *paths[2] = { "/nonexistent/capture.txt", path };
	struct sample_build_opts bo = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	struct import_series *s = calloc(1, sizeof(*s));
	struct capture_list *cl = calloc(1, sizeof(*cl));
	static const char body[] = "#kernel\nTcpRetransSegs 7 0.0\nTcpOutSegs 100 0.0\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, body, sizeof(body) - 1), (int)sizeof(body) - 1);
	close(fd);
	bo.peer.port = -1;
	ck_assert_int_eq(import_run(paths, 2, &bo, s, cl, &err), 1);
	ck_assert_uint_eq(cl->n, 2);
	ck_assert_int_eq(cl->r[0].status, CAPTURE_ERROR);
	ck_assert_ptr_nonnull(strstr(cl->r[0].note, "No such file"));
	ck_assert_int_eq(cl->r[1].status, CAPTURE_USED);
	import_series_release(s);
	unlink(path);
	strbuf_release(&err);
	free(s);
	free(cl);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_run");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, import__prompts);
	tcase_add_test(tc, import__transcript_sections);
	tcase_add_test(tc, import__nothing_known);
	tcase_add_test(tc, import__long_line);
	tcase_add_test(tc, import__unreadable_file);
	tcase_add_test(tc, import__date_shapes);
	tcase_add_test(tc, import__order_by_header_time);
	tcase_add_test(tc, import__date_rounds_and_carry);
	tcase_add_test(tc, import__nstat_increments);
	tcase_add_test(tc, import__samples_max);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
