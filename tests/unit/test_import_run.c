// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/import/import.c: prompts, sections, detection, repeats, and what
 * the capture list says about each section.
 */
#include "tap_check.h"
#include "../../src/import/import_run.h"

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
		/* not prompts */
		{ "# Controls source route verification", NULL },
		{ "# kernel.sysrq = 1", NULL },
		{ "$ make all", NULL },
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

	ck_assert_int_eq(fx_run(text, is, cl), 3);
	ck_assert_uint_eq(cl->n, 5);
	ck_assert_int_eq(cl->r[0].status, CAPTURE_UNKNOWN);     /* the prose */
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
	ck_assert_int_eq(cl->r[4].status, CAPTURE_UNKNOWN);     /* a bare count */
	ck_assert_uint_eq(is->n, 2);
	ck_assert_uint_eq(is->ser.n, 2);
	ck_assert(is->ser.time_unknown);                         /* no times: as given */
	ck_assert(!cl->by_time);
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
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
