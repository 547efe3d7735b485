// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The smaller analyze inputs: /proc/net/tcp[6] (procnet_text.c),
 * /proc/PID/limits (limits_text.c), `| wc -l` and `grep -c` counts
 * (count_text.c) and raw sock_diag recordings (import_dump.c), on
 * captures made on this host in a namespace and on hand-written
 * variants. These catch a listener given without its backlog, one
 * family's file taken as the whole table, a shell's limit attached to
 * a process, a header counted as a socket or an fd, a grep subset taken
 * as a state total, a wrapped number, and a dump that claims more than
 * it recorded.
 */
#include "tap_check.h"
#include "import_fixture.h"

#include <arpa/inet.h>
#include <stdint.h>

#include "../../src/import/import_dump.h"
#include "../../src/import/import_run.h"

static const struct s_proc *proc_of(const struct sample *s, uint32_t pid)
{
	for (uint32_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

/* The one sample an import gave, taken out of its series (the caller frees it). */
static struct sample *only_sample(struct import_series *is)
{
	struct sample *s;

	ck_assert_uint_eq(is->n, 1);
	s = is->s[0];
	is->s[0] = NULL;
	import_series_release(is);
	return s;
}

/* A transcript through the whole dispatcher (sections, detection). */
static struct sample *run_text(const char *text, struct capture_list *cl)
{
	struct sample_build_opts o = { .want_port = -1 };
	struct import_series is = { 0 };
	struct strbuf err = STRBUF_INIT;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	if (!fp || import_run_stream(fp, "t.txt", &o, &is, cl, &err) < 0)
		abort();
	fclose(fp);
	strbuf_release(&err);
	return only_sample(&is);
}

static char *slurp(const char *name)
{
	char path[256], *buf;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), IMPORT_DATA "%s", name);
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		abort();
	buf = calloc(1, (size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		abort();
	fclose(fp);
	return buf;
}

START_TEST(procnet__v4_listener_without_backlog_is_not_given)
{
	struct import_result r = import_file(&import_procnet, "cat /proc/net/tcp", "procnet/tcp");

	ck_assert_int_eq(r.rc, 0);
	/* 6 ESTABLISHED (3 unaccepted server sides, 3 clients); the listener counted only */
	ck_assert_uint_eq(r.s->tally.by_state[TBL_TCP][SS_ESTABLISHED], 6);
	ck_assert_uint_eq(r.s->tally.by_state[TBL_TCP][SS_LISTEN], 0);
	ck_assert_uint_eq(r.s->n_listeners, 0);
	/* one family alone: nothing complete */
	ck_assert(!(r.s->have & (HAVE_SOCKETS | HAVE_CONN_STATES)));
	ck_assert(strstr(r.sum.note, "IPv4 only"));
	ck_assert(strstr(r.sum.note, "ss -tln"));
	ck_assert_uint_eq(r.sum.rows, 7);            /* header + 6 */
	ck_assert_uint_eq(r.sum.skipped, 1);         /* the LISTEN row */
	free(r.s);
}
END_TEST

START_TEST(procnet__both_files_make_the_table_whole)
{
	char *v4 = slurp("procnet/tcp"), *v6 = slurp("procnet/tcp6");
	char *text = malloc(strlen(v4) + strlen(v6) + 128);
	struct capture_list *cl = malloc(sizeof(*cl));
	struct sample *s;

	sprintf(text, "$ cat /proc/net/tcp\n%s$ cat /proc/net/tcp6\n%s", v4, v6);
	s = run_text(text, cl);
	ck_assert_uint_eq(cl->n, 2);
	ck_assert_int_eq(cl->r[0].status, CAPTURE_USED);
	ck_assert_int_eq(cl->r[1].status, CAPTURE_USED);
	ck_assert(s->have & HAVE_CONN_STATES);
	ck_assert(!(s->have & HAVE_SOCKETS));        /* never: no backlog in the file */
	ck_assert_uint_eq(s->tally.by_state[TBL_TCP][SS_ESTABLISHED], 6);
	ck_assert_uint_eq(s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT], 6);
	ck_assert_uint_eq(s->tally.by_state[TBL_TCP][SS_FIN_WAIT2], 6);
	/* accepted CLOSE-WAIT (inode != 0) on [::1]:9090 (0x2382) */
	ck_assert_uint_eq(s->close_wait_by_port[9090], 6);
	ck_assert_uint_eq(s->close_wait_unaccepted, 0);
	free(s);
	free(cl);
	free(text);
	free(v4);
	free(v6);
}
END_TEST

START_TEST(procnet__cut_paste_and_hostile_rows)
{
	struct import_result r = import_file(&import_procnet, NULL, "procnet/tcp-busybox-cut");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT], 2);
	ck_assert_uint_eq(r.s->tally.by_state[TBL_TCP][SS_TIME_WAIT], 1);
	ck_assert_uint_eq(r.s->close_wait_by_port[8080], 2);
	ck_assert(!(r.s->have & HAVE_CONN_STATES));
	free(r.s);

	/* an inode past 32 bits, a uid past 64, a state 0, NUL and CRLF */
	static const char bad[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\r\n"
		"   0: 0100007F:1F90 0100007F:D4C2 08 00000000:00000001 00:00000000 00000000     0        0 4294967296 1 0\n"
		"   1: 0100007F:1F90 0100007F:D4C2 08 00000000:00000001 00:00000000 00000000 99999999999999999999 0 5 1 0\n"
		"   2: 0100007F:1F90 0100007F:D4C2 00 00000000:00000001 00:00000000 00000000     0        0 5 1 0\n"
		"   3: 0100007F:1F90 0100007F:D4C2 08 00000000:00000001 00:00000000 00000000     0        0 7 1 0\r\n"
		"   4: 0100007F:1F90 0100007F:D4C2 08 0000\0000:00000001 00:00000000 00000000     0        0 5 1 0\n";
	r = import_buf(&import_procnet, "cat /proc/net/tcp /proc/net/tcp6", bad, sizeof(bad) - 1);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT], 1);
	ck_assert_uint_eq(r.sum.rows, 2);
	ck_assert_uint_eq(r.sum.skipped, 4);
	ck_assert(strstr(r.sum.note, "3 rows not read"));
	ck_assert(strstr(r.sum.note, "t.txt:2:"));
	free(r.s);
}
END_TEST

START_TEST(procnet__detect)
{
	ck_assert_int_ge(import_detect_str(&import_procnet, "sudo cat /proc/net/tcp6", "x"), 90);
	ck_assert_int_ge(import_detect_str(&import_procnet, NULL,
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"), 90);
	ck_assert_int_eq(import_detect_str(&import_procnet, "cat /proc/net/tcp | wc -l", "12"), 0);
	ck_assert_int_lt(import_detect_str(&import_procnet, NULL,
		"The socket table showed 12: connections in CLOSE-WAIT on port 8080.\n"
		"We restarted the service twice.\n"), 30);
	ck_assert_int_lt(import_detect_str(&import_procnet, "ss -tan",
		"State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"), 30);
}
END_TEST

START_TEST(limits__pid_from_the_path_and_the_comment)
{
	struct import_result r = import_file(&import_limits, "cat /proc/4116/limits  # nginx",
					     "fds/limits");
	const struct s_proc *p = proc_of(r.s, 4116);

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_FDS);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->comm, "nginx");
	ck_assert(p->has_limit);
	ck_assert_uint_eq(p->nofile_soft, 20000);
	ck_assert_uint_eq(p->nofile_hard, 20000);
	ck_assert_uint_eq(r.sum.rows, 17);
	free(r.s);

	r = import_file(&import_limits, "grep 'Max open files' /proc/77/limits", "fds/limits-grep");
	ck_assert_uint_eq(proc_of(r.s, 77)->nofile_soft, 65536);
	free(r.s);
	r = import_str(&import_limits, "cat /proc/9/limits",
		       "Max open files            unlimited            unlimited            files\n");
	ck_assert_uint_eq(proc_of(r.s, 9)->nofile_soft, UINT64_MAX);
	free(r.s);
}
END_TEST

START_TEST(limits__no_pid_is_not_attached)
{
	const char *cmds[] = { "cat /proc/self/limits", NULL, "cat /proc/$(pidof nginx)/limits" };

	for (unsigned i = 0; i < 3; i++) {
		struct import_result r = import_file(&import_limits, cmds[i], "fds/limits");

		ck_assert_int_eq(r.rc, 0);
		ck_assert_uint_eq(r.s->n_procs, 0);
		ck_assert(!(r.s->have & HAVE_FDS));
		ck_assert(strstr(r.sum.note, "not attached"));
		free(r.s);
	}
}
END_TEST

START_TEST(limits__overflow_refused)
{
	struct import_result r = import_str(&import_limits, "cat /proc/5/limits",
		"Max open files            18446744073709551616 4096                 files\n");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.s->n_procs, 0);
	ck_assert(strstr(r.sum.note, "refused"));
	ck_assert(strstr(r.sum.note, "t.txt:1:27"));
	free(r.s);
}
END_TEST

START_TEST(count__fds_ls_ls_l_lsof)
{
	struct import_result r = import_file(&import_count, "ls /proc/4116/fd | wc -l # nginx",
					     "count/ls-fd");

	ck_assert(r.s->have & HAVE_FDS);
	ck_assert_uint_eq(proc_of(r.s, 4116)->fds, 16);
	ck_assert_str_eq(proc_of(r.s, 4116)->comm, "nginx");
	ck_assert(!proc_of(r.s, 4116)->has_limit);
	free(r.s);
	r = import_file(&import_count, "sudo ls -l /proc/4116/fd | wc -l", "count/ls-l-fd");
	ck_assert_uint_eq(proc_of(r.s, 4116)->fds, 16);      /* 17 - "total 0" */
	free(r.s);
	r = import_file(&import_count, "lsof -p 4116 | wc -l", "count/lsof-p");
	ck_assert_uint_eq(proc_of(r.s, 4116)->fds, 41);      /* header off; an upper bound */
	ck_assert(strstr(r.sum.note, "upper bound"));
	free(r.s);
	r = import_file(&import_count, "ls /proc/self/fd | wc -l", "count/ls-fd");
	ck_assert_uint_eq(r.s->n_procs, 0);
	ck_assert(!(r.s->have & HAVE_FDS));
	free(r.s);
}
END_TEST

/* The counts measured in the netns: 6 CLOSE-WAIT sockets. */
START_TEST(count__socket_states)
{
	static const struct { const char *cmd, *out; int state; uint64_t n; } t[] = {
		{ "ss -tan state close-wait | wc -l", "7\n", SS_CLOSE_WAIT, 6 },
		{ "ss -tanH state close-wait | wc -l", "6\n", SS_CLOSE_WAIT, 6 },
		{ "netstat -an | grep CLOSE_WAIT | wc -l", "6\n", SS_CLOSE_WAIT, 6 },
		{ "netstat -ant | grep -c ESTABLISHED", "6\n", SS_ESTABLISHED, 6 },
		{ "ss -tan | grep -c CLOSE-WAIT", "6\n", SS_CLOSE_WAIT, 6 },
		{ "sudo ss -tan state time-wait | wc -l", "      4813\r\n", SS_TIME_WAIT, 4812 },
		{ "netstat -an | grep -ci time_wait", "12\n", SS_TIME_WAIT, 12 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct import_result r = import_str(&import_count, t[i].cmd, t[i].out);

		ck_assert_int_ge(import_detect_str(&import_count, t[i].cmd, t[i].out), 90);
		ck_assert_uint_eq(r.s->counted_states, 1u << t[i].state);
		ck_assert_uint_eq(r.s->counted[t[i].state], t[i].n);
		ck_assert(!(r.s->have & (HAVE_CONN_STATES | HAVE_SOCKETS)));
		ck_assert_uint_eq(r.s->tally.by_state[TBL_TCP][t[i].state], 0);
		ck_assert(strstr(r.sum.what, "(counted)"));
		free(r.s);
	}
}
END_TEST

START_TEST(count__not_one_state_total)
{
	static const char *const cmds[] = {
		"ss -tan | grep ESTAB | grep :443 | wc -l",   /* a subset of a state */
		"ss -tan | wc -l",                             /* every line */
		"netstat -an | grep -v TIME_WAIT | wc -l",
		"netstat -an | grep 8080 | wc -l",
		"netstat -an | grep -c ESTABLISHED",           /* UDP rows say it too */
		"ss -tan state established state time-wait | wc -l",
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct import_result r = import_str(&import_count, cmds[i], "42\n");

		ck_assert_msg(r.s->counted_states == 0, "%s", cmds[i]);
		ck_assert(strstr(r.sum.note, "not used"));
		free(r.s);
	}
}
END_TEST

START_TEST(count__hostile_and_detect)
{
	static const char text[] = "99999999999999999999\nabc\n\0\n5\n3\n";
	struct import_result r = import_buf(&import_count, "ss -tanH state time-wait | wc -l",
					    text, sizeof(text) - 1);

	ck_assert_uint_eq(r.s->counted[SS_TIME_WAIT], 5);
	ck_assert_uint_eq(r.sum.rows, 1);
	ck_assert_uint_eq(r.sum.skipped, 4);
	ck_assert(strstr(r.sum.note, "first"));
	free(r.s);
	r = import_file(&import_count, "ls /proc/1/fd | wc -l", "count/busybox-wc");
	ck_assert_uint_eq(proc_of(r.s, 1)->fds, 7);
	free(r.s);
	ck_assert_int_eq(import_detect_str(&import_count, NULL, "42\n"), 0);
	ck_assert_int_eq(import_detect_str(&import_count, "ss -tan", "42\n"), 0);
	ck_assert_int_eq(import_detect_str(&import_count, "wc -l notes.txt", "42\n"), 0);
}
END_TEST

START_TEST(dump__recording_with_listeners_is_whole)
{
	struct sample_build_opts o = { .want_port = -1 };
	const char *path = IMPORT_DATA "dump/tam.dump";
	struct import_series is = { 0 };
	struct sample *s;
	struct capture_list *cl = malloc(sizeof(*cl));
	struct strbuf err = STRBUF_INIT;
	const char *paths[] = { path };

	ck_assert_int_eq(import_run(paths, 1, &o, &is, cl, &err), 1);
	s = only_sample(&is);
	ck_assert_uint_eq(cl->n, 1);
	ck_assert_int_eq(cl->r[0].status, CAPTURE_USED);
	ck_assert(s->have & HAVE_SOCKETS);
	ck_assert(s->have & HAVE_CONN_STATES);
	ck_assert(s->have & HAVE_LISTEN_DROPS);
	ck_assert_uint_eq(s->n_listeners, 1);
	ck_assert_uint_eq(s->listeners[0].port, 7000);
	ck_assert_uint_eq(s->listeners[0].wq, 4);
	ck_assert_uint_eq(s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT], 3);
	ck_assert_uint_eq(s->close_wait_by_port[7000], 3);
	strbuf_release(&err);
	free(s);
	free(cl);
}
END_TEST

START_TEST(dump__shape_check)
{
	uint8_t b[16] = { 0x7c, 0, 0, 0, 0x14, 0, 0x02, 0 };
	const char *txt = "State  Recv-Q Send-Q";

	ck_assert(import_dump_shaped(b, sizeof(b)));
	ck_assert(!import_dump_shaped(b, 15));
	b[0] = 0x7d;                                  /* not a multiple of 4 */
	ck_assert(!import_dump_shaped(b, sizeof(b)));
	b[0] = 0x7c;
	b[6] = 0;                                     /* not NLM_F_MULTI */
	ck_assert(!import_dump_shaped(b, sizeof(b)));
	ck_assert(!import_dump_shaped((const uint8_t *)txt, strlen(txt)));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_inputs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, procnet__v4_listener_without_backlog_is_not_given);
	tcase_add_test(tc, procnet__both_files_make_the_table_whole);
	tcase_add_test(tc, procnet__cut_paste_and_hostile_rows);
	tcase_add_test(tc, procnet__detect);
	tcase_add_test(tc, limits__pid_from_the_path_and_the_comment);
	tcase_add_test(tc, limits__no_pid_is_not_attached);
	tcase_add_test(tc, limits__overflow_refused);
	tcase_add_test(tc, count__fds_ls_ls_l_lsof);
	tcase_add_test(tc, count__socket_states);
	tcase_add_test(tc, count__not_one_state_total);
	tcase_add_test(tc, count__hostile_and_detect);
	tcase_add_test(tc, dump__recording_with_listeners_is_whole);
	tcase_add_test(tc, dump__shape_check);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
