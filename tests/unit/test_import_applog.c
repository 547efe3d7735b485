// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The application-log importer and the findings it leads to. These
 * catch: a wording or runtime not recognised, the wrong call taken for
 * the failing one (Java's BindException on connect, nginx's "while
 * connecting" after the errno), the local address taken for the peer,
 * prose counted as a log line, a group per line instead of per cause,
 * and a look-alike turned into the wrong finding or into a change.
 */
#include "tap_check.h"
#include "import_fixture.h"
#include "series_fixture.h"

#include <stdint.h>

/* The group of this kind (and call, unless APC_MAX), or NULL. */
static const struct app_event *group(const struct sample *s, enum app_errno k, enum app_call c)
{
	for (uint32_t i = 0; i < s->n_appevents; i++)
		if (s->appevents[i].kind == k && (c == APC_MAX || s->appevents[i].call == c))
			return &s->appevents[i];
	return NULL;
}

START_TEST(go__accept_emfile_grouped_with_local_address)
{
	struct import_result r = import_file(&import_applog, NULL, "applog/go-accept-emfile.txt");
	const struct app_event *e = group(r.s, APE_EMFILE, APC_ACCEPT);

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_APPLOG);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->count, 3);
	ck_assert_str_eq(e->addr, "[::]:8080");
	ck_assert(e->addr_local);
	ck_assert(strstr(e->first_line, "retrying in 5ms"));
	e = group(r.s, APE_EMFILE, APC_SOCKET);    /* dial tcp ...: socket: too many open files */
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->addr, "10.0.0.7:6379");
	ck_assert(!e->addr_local);
	ck_assert_uint_eq(r.s->n_appevents, 2);
	ck_assert_uint_eq(r.sum.rows, 4);
	ck_assert_uint_eq(r.sum.skipped, 1);       /* "listening on :8080" */
	ck_assert(strstr(r.sum.note, "EMFILE 4"));
	free(r.s);
}
END_TEST

START_TEST(nginx__every_errno_call_and_upstream)
{
	struct import_result r = import_file(&import_applog, "tail /var/log/nginx/error.log",
					     "applog/nginx-error.log");
	const struct app_event *e;

	ck_assert_int_eq(r.rc, 0);
	e = group(r.s, APE_EMFILE, APC_ACCEPT);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->count, 2);
	ck_assert_str_eq(e->proc, "nginx[812]");
	e = group(r.s, APE_ECONNREFUSED, APC_CONNECT);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->addr, "10.0.0.5:8080");  /* the upstream, not the client */
	ck_assert_ptr_nonnull(group(r.s, APE_EADDRNOTAVAIL, APC_CONNECT));
	ck_assert_ptr_nonnull(group(r.s, APE_ECONNRESET, APC_READ));
	ck_assert_ptr_nonnull(group(r.s, APE_ETIMEDOUT, APC_CONNECT));  /* "while connecting" */
	e = group(r.s, APE_EADDRINUSE, APC_BIND);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->addr, "0.0.0.0:80");
	ck_assert(e->addr_local);
	ck_assert_uint_eq(r.sum.rows, 7);
	ck_assert_uint_eq(r.sum.skipped, 1);
	free(r.s);
}
END_TEST

START_TEST(java_python_node__runtimes_and_their_calls)
{
	struct import_result r = import_file(&import_applog, NULL, "applog/java-stack.txt");

	ck_assert_int_eq(r.rc, 0);
	/* BindException with "(connect failed)": connect's EADDRNOTAVAIL */
	ck_assert_ptr_nonnull(group(r.s, APE_EADDRNOTAVAIL, APC_CONNECT));
	ck_assert_ptr_nonnull(group(r.s, APE_ECONNREFUSED, APC_NONE));
	ck_assert_ptr_nonnull(group(r.s, APE_EMFILE, APC_NONE));
	ck_assert_ptr_nonnull(group(r.s, APE_ETIMEDOUT, APC_MAX));
	ck_assert_uint_eq(r.sum.rows, 4);          /* stack frames and headers skipped */
	free(r.s);

	r = import_file(&import_applog, NULL, "applog/python-node.txt");
	ck_assert_ptr_nonnull(group(r.s, APE_EADDRNOTAVAIL, APC_NONE));
	ck_assert_ptr_nonnull(group(r.s, APE_ECONNRESET, APC_NONE));
	ck_assert_str_eq(group(r.s, APE_ECONNREFUSED, APC_CONNECT)->addr, "10.0.0.5:5432");
	ck_assert_uint_eq(group(r.s, APE_ECONNREFUSED, APC_MAX)->count, 1); /* not code: '...' */
	ck_assert_ptr_nonnull(group(r.s, APE_EADDRINUSE, APC_BIND));         /* listen EADDRINUSE */
	free(r.s);
}
END_TEST

START_TEST(prefixes__journal_postgres_haproxy_envoy)
{
	struct import_result r = import_file(&import_applog, "journalctl -u api",
					     "applog/journal-unit.txt");

	ck_assert_str_eq(group(r.s, APE_EMFILE, APC_ACCEPT)->proc, "api[2211]");
	ck_assert_str_eq(group(r.s, APE_EADDRINUSE, APC_BIND)->proc, "api[2290]");
	ck_assert_uint_eq(r.sum.skipped, 2);      /* the banner and systemd's line */
	free(r.s);

	r = import_file(&import_applog, NULL, "applog/postgres-haproxy.txt");
	ck_assert_str_eq(group(r.s, APE_ENFILE, APC_ACCEPT)->proc, "postgres[4242]");
	ck_assert_ptr_null(group(r.s, APE_EMFILE, APC_MAX));  /* "... in system" is ENFILE only */
	ck_assert_str_eq(group(r.s, APE_EADDRNOTAVAIL, APC_CONNECT)->proc, "haproxy[812]");
	/* haproxy's health check and envoy's errno 111: two processes, two groups */
	ck_assert_uint_eq(group(r.s, APE_ECONNREFUSED, APC_NONE)->count, 1);
	ck_assert_uint_eq(r.sum.rows, 5);
	free(r.s);
}
END_TEST

START_TEST(python_netns__real_output)
{
	struct import_result r = import_file(&import_applog, NULL, "applog/python-netns.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(group(r.s, APE_ECONNREFUSED, APC_CONNECT)->addr, "127.0.0.1:9");
	ck_assert_str_eq(group(r.s, APE_EADDRNOTAVAIL, APC_CONNECT)->addr, "127.0.0.1:5000");
	ck_assert_str_eq(group(r.s, APE_EADDRNOTAVAIL, APC_BIND)->addr, "192.0.2.7:8080");
	ck_assert(group(r.s, APE_EADDRNOTAVAIL, APC_BIND)->addr_local);
	ck_assert_ptr_nonnull(group(r.s, APE_EADDRINUSE, APC_BIND));
	ck_assert_ptr_nonnull(group(r.s, APE_EMFILE, APC_SOCKET));
	ck_assert_uint_eq(r.sum.rows, 5);
	ck_assert_uint_eq(r.sum.skipped, 0);
	free(r.s);
}
END_TEST

START_TEST(prose__not_a_log_line)
{
	struct import_result r = import_file(&import_applog, NULL, "applog/prose.txt");

	ck_assert_uint_eq(r.sum.rows, 0);
	ck_assert_uint_eq(r.sum.skipped, 3);
	ck_assert(!(r.s->have & HAVE_APPLOG));
	ck_assert_uint_eq(r.s->n_appevents, 0);
	free(r.s);
}
END_TEST

START_TEST(hostile__nul_crlf_long_lines_and_many_groups)
{
	static const char text[] =
		"2026/12/01 10:00:00 accept4: too many open files\r\n"
		"2026/12/01 10:00:00 connect\0: connection refused\n"    /* NUL ends the line */
		"\xff\xfe 2026 [error] \x80 connect() to 10.0.0.5:99999 failed (111: Connection refused)\n"
		"2026/12/01 dial tcp [zz::1]:80: connect: connection refused\n"
		"2026/12/01 dial tcp 300.1.1.1:80: connect: connection refused\n";
	struct import_result r = import_buf(&import_applog, NULL, text, sizeof(text) - 1);
	const struct app_event *e = group(r.s, APE_ECONNREFUSED, APC_CONNECT);
	char *big;
	size_t n = IMPORT_LINE_MAX;

	ck_assert_int_eq(r.rc, 0);
	ck_assert_ptr_nonnull(group(r.s, APE_EMFILE, APC_ACCEPT));
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->addr, "");              /* no valid address:port anywhere */
	ck_assert_ptr_null(strchr(e->first_line, '\x80'));
	ck_assert_uint_eq(r.sum.rows, 4);
	ck_assert_uint_eq(r.sum.skipped, 1);
	free(r.s);

	/* a line of IMPORT_LINE_MAX bytes, the errno past the scan window: skipped */
	big = malloc(n + 64);
	memset(big, 'x', n);
	memcpy(big, "2026/12/01 ", 11);
	memcpy(big + n - 20, "connection refused", 18);
	r = import_buf(&import_applog, NULL, big, n);
	ck_assert_uint_eq(r.sum.rows + r.sum.skipped, 1);
	ck_assert_uint_eq(r.s->n_appevents, 0);
	free(r.s);

	/* more causes than groups: the rest counted, not kept */
	n = 0;
	for (int i = 0; i < SAMPLE_APPEVENTS_MAX + 4; i++)
		n += (size_t)sprintf(big + n, "Dec 01 10:00:00 h p%d[%d]: accept4: too many open files\n",
				     i, i);
	r = import_buf(&import_applog, NULL, big, n);
	ck_assert_uint_eq(r.s->n_appevents, SAMPLE_APPEVENTS_MAX);
	ck_assert_uint_eq(r.s->appevents_dropped, 4);
	ck_assert(strstr(r.sum.note, "not kept"));
	free(r.s);
	free(big);
}
END_TEST

START_TEST(detect__commands_content_and_prose)
{
	ck_assert_int_ge(import_detect_str(&import_applog, "journalctl -u nginx --since today", ""), 90);
	ck_assert_int_ge(import_detect_str(&import_applog, "sudo tail -n 50 /var/log/nginx/error.log",
					   ""), 70);
	ck_assert_int_eq(import_detect_str(&import_applog, "journalctl -k", "x"), 0);
	ck_assert_int_eq(import_detect_str(&import_applog, "tail /var/log/kern.log", ""), 0);
	ck_assert_int_ge(import_detect_str(&import_applog, NULL,
		"Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect\n"), 60);
	ck_assert_int_lt(import_detect_str(&import_applog, NULL,
		"Our clients get connection refused, and too many open files sometimes.\n"
		"We raised somaxconn already.\n"), 30);
	ck_assert_int_lt(import_detect_str(&import_applog, NULL,
		"net.core.somaxconn = 4096\nTcpExtListenOverflows 18092 0.0\n"), 30);
}
END_TEST

/* ---- findings ---- */

/* The finding with this id whose text has needle (two causes may share an id). */
static const struct finding *find_text(const struct fx *f, const char *id, const char *needle)
{
	for (unsigned i = 0; i < f->out.n; i++)
		if (!strcmp(f->out.f[i].id, id) && fx_has_text(&f->out.f[i], needle))
			return &f->out.f[i];
	return NULL;
}

static struct fx *fx_app(const struct app_event *evs, unsigned n)
{
	struct fx *f = fx_new(1, 1.0);

	f->s[0]->have = HAVE_APPLOG | HAVE_SYSCTL;
	for (unsigned i = 0; i < n; i++)
		f->s[0]->appevents[f->s[0]->n_appevents++] = evs[i];
	return f;
}

static struct app_event ev(const char *line, const char *proc)
{
	struct app_event e;

	ck_assert(appevent_classify(line, strlen(line), &e));
	snprintf(e.proc, sizeof(e.proc), "%s", proc);
	return e;
}

static unsigned n_changes(const struct fx *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->out.n; i++)
		n += f->out.f[i].n_changes;
	return n;
}

START_TEST(findings__emfile_alone_then_as_evidence)
{
	struct app_event e = ev("accept tcp [::]:8080: accept4: too many open files", "api[2211]");
	struct fx *f = fx_app(&e, 1);
	const struct finding *x;

	diagnose_run(&f->ser, &f->opts, &f->out);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_str_eq(x->subject, "process api[2211]");
	ck_assert(fx_has_text(x, "Application log only: 1 line"));
	ck_assert(fx_has_text(x, "LimitNOFILE="));
	ck_assert(fx_has_text(x, "current limit is unknown"));
	ck_assert_uint_eq(n_changes(f), 0);          /* no number invented */
	ck_assert(strstr(x->verify_command, "/proc/PID/limits"));

	/* the process at its limit in the captures: the rule's finding, the line its evidence */
	f->s[0]->have |= HAVE_FDS;
	sample_proc(f->s[0], 2211, "api");
	f->s[0]->procs[0].fds = 1024;
	f->s[0]->procs[0].has_limit = true;
	f->s[0]->procs[0].nofile_soft = f->s[0]->procs[0].nofile_hard = 1024;
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 1);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_str_eq(x->subject, "process api[2211]");
	ck_assert(!fx_has_text(x, "Application log only"));
	ck_assert(fx_has_text(x, "application log: 1 line like"));

	/* another process at its limit: not this line's, which stays a finding of its own */
	f->s[0]->procs[0].pid = 900;
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 2);
	ck_assert_ptr_nonnull(find_text(f, "fd-exhaustion", "Application log only"));
	f->s[0]->procs[0].pid = 2211;

	/* the limit far from reached now: the rule ran and found nothing, the line is info */
	f->s[0]->procs[0].fds = 10;
	diagnose_run(&f->ser, &f->opts, &f->out);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert(fx_has_text(x, "show no such problem now"));
	fx_free(f);
}
END_TEST

START_TEST(findings__enfile_is_the_kernels_and_ports_need_connect)
{
	struct app_event e[] = {
		ev("could not accept new connection: Too many open files in system", "postgres[1]"),
		ev("connect() to 10.0.0.5:80 failed (99: Cannot assign requested address)", ""),
		ev("bind() to 192.0.2.7:80 failed (99: Cannot assign requested address)", ""),
	};
	struct fx *f = fx_app(e, 3);
	const struct finding *x;

	f->s[0]->sockstat.tcp_tw.present = true;
	f->s[0]->sockstat.tcp_tw.v = 28471;
	diagnose_run(&f->ser, &f->opts, &f->out);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_str_eq(x->subject, "host (fs.file-max)");
	x = fx_find(f, "ephemeral-port-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_str_eq(x->subject, "destination 10.0.0.5:80");
	ck_assert(fx_has_text(x, "ss -s: timewait 28471"));
	ck_assert(fx_has_text(x, "range of 28232 ports"));
	/* bind()'s EADDRNOTAVAIL: a missing address, info, not exhaustion */
	x = fx_find(f, "no-listener");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert(fx_has_text(x, "not port exhaustion"));
	ck_assert_uint_eq(n_changes(f), 0);
	fx_free(f);
}
END_TEST

START_TEST(findings__lookalikes_change_nothing)
{
	struct app_event e[] = {
		ev("Error: connect ECONNREFUSED 10.0.0.5:5432", ""),
		ev("recv() failed (104: Connection reset by peer) while reading upstream", "nginx[9]"),
		ev("listen tcp :8080: bind: address already in use", "api[7]"),
		ev("dial tcp 10.0.0.5:443: i/o timeout", "api[7]"),
		ev("socket: too many open files", "client[3]"),
	};
	struct fx *f = fx_app(e, 5);
	const struct finding *x;

	fx_sysctl(f->s[0], SYSCTL_SOMAXCONN, 1, (int64_t)128);
	fx_sysctl(f->s[0], SYSCTL_TCP_ABORT_ON_OVERFLOW, 1, (int64_t)1);
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(n_changes(f), 0);
	for (unsigned i = 0; i < f->out.n; i++)
		ck_assert(strcmp(f->out.f[i].id, "accept-queue-overflow") &&
			  strcmp(f->out.f[i].id, "syn-queue-overflow") &&
			  strcmp(f->out.f[i].id, "ephemeral-port-exhaustion"));
	x = find_text(f, "no-listener", "REJECT");   /* refused */
	ck_assert_ptr_nonnull(x);
	ck_assert(fx_has_text(x, "somaxconn and the listen backlog are not the cause"));
	x = find_text(f, "no-listener", "SO_REUSEADDR");  /* in use: its own finding */
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "application log");
	x = fx_find(f, "connection-resets");
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert(fx_has_text(x, "tcp_abort_on_overflow"));
	x = fx_find(f, "connect-timeouts");
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert(fx_has_text(x, "on the server"));
	x = fx_find(f, "fd-exhaustion");             /* a client's socket(): the same fd limit */
	ck_assert_int_eq(x->side, SIDE_APP);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_applog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, go__accept_emfile_grouped_with_local_address);
	tcase_add_test(tc, nginx__every_errno_call_and_upstream);
	tcase_add_test(tc, java_python_node__runtimes_and_their_calls);
	tcase_add_test(tc, prefixes__journal_postgres_haproxy_envoy);
	tcase_add_test(tc, python_netns__real_output);
	tcase_add_test(tc, prose__not_a_log_line);
	tcase_add_test(tc, hostile__nul_crlf_long_lines_and_many_groups);
	tcase_add_test(tc, detect__commands_content_and_prose);
	tcase_add_test(tc, findings__emfile_alone_then_as_evidence);
	tcase_add_test(tc, findings__enfile_is_the_kernels_and_ports_need_connect);
	tcase_add_test(tc, findings__lookalikes_change_nothing);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
