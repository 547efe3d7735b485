// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel-log importer: the exact kernel strings of kernel-facts.md
 * "Kernel log strings" behind every prefix people paste (dmesg, dmesg
 * -T/-r/-x, journalctl -k, syslog, /dev/kmsg). These catch a prefix
 * left on the message (the classifier then misses or misreads it), a
 * wall-clock time taken for uptime, another program's line (or prose
 * quoting a kernel line) taken for the kernel's, and a look-alike made
 * into an event.
 */
#include "tap_check.h"
#include "import_fixture.h"

#include <stdint.h>

static unsigned count_kind(const struct sample *s, enum kevent_kind k)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < s->n_kevents; i++)
		n += s->kevents[i].kind == k;
	return n;
}

START_TEST(dmesg__every_event_with_uptime)
{
	struct import_result r = import_file(&import_klog, "dmesg", "klog/dmesg.txt");
	const struct kevent *e = r.s->kevents;

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_KLOG);
	ck_assert_uint_eq(r.s->n_kevents, 7);
	ck_assert_int_eq(e[0].kind, KEV_SYN_FLOOD);
	ck_assert_int_eq(e[0].action, KEV_ACT_DROPPING);
	ck_assert_uint_eq(e[0].port, 6000);
	ck_assert_str_eq(e[0].addr, "0.0.0.0");
	ck_assert_int_eq(e[0].ts_us, 8843123456LL);
	ck_assert(e[1].ipv6);
	ck_assert_uint_eq(e[1].port, 6002);
	ck_assert_int_eq(e[1].ts_us, 8850000001LL);
	ck_assert_int_eq(e[2].kind, KEV_TCP_OOM);
	ck_assert_int_eq(e[3].kind, KEV_ORPHANS);
	ck_assert_int_eq(e[4].kind, KEV_CONNTRACK_FULL);
	ck_assert_int_eq(e[5].kind, KEV_CONNTRACK_FULL);
	ck_assert_int_eq(e[6].kind, KEV_FILE_MAX);
	ck_assert_int_eq(e[6].ts_us, 9200000000LL);
	/* look-alikes: the OOM killer and conntrack's helper notice are no events */
	ck_assert_uint_eq(count_kind(r.s, KEV_TCP_OOM), 1);
	ck_assert_uint_eq(r.sum.rows, 12);
	ck_assert_uint_eq(r.sum.skipped, 0);
	ck_assert(strstr(r.sum.what, "dmesg: kernel log, 12 lines, 7 socket events"));
	free(r.s);
}
END_TEST

START_TEST(dmesg_T__wall_clock_is_no_uptime)
{
	struct import_result r = import_file(&import_klog, "dmesg -T", "klog/dmesg-T.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.s->n_kevents, 3);
	for (uint32_t i = 0; i < r.s->n_kevents; i++)
		ck_assert_int_eq(r.s->kevents[i].ts_us, -1);
	ck_assert_uint_eq(r.s->kevents[0].port, 6000);
	ck_assert_int_eq(r.s->kevents[1].kind, KEV_TCP_OOM);
	ck_assert(strstr(r.sum.note, "wall-clock"));
	free(r.s);
}
END_TEST

START_TEST(journal_and_syslog__kernel_lines_only)
{
	struct import_result r = import_file(&import_klog, "journalctl -k", "klog/journalctl-k.txt");

	ck_assert_uint_eq(r.s->n_kevents, 3);
	ck_assert_uint_eq(r.s->kevents[0].port, 8009);
	ck_assert(!r.s->kevents[0].has_addr);
	ck_assert_int_eq(r.s->kevents[1].kind, KEV_ORPHANS);
	ck_assert_int_eq(r.s->kevents[2].kind, KEV_FILE_MAX);
	ck_assert_uint_eq(r.sum.rows, 4);
	ck_assert_uint_eq(r.sum.skipped, 2);          /* the two banners */
	free(r.s);

	r = import_file(&import_klog, NULL, "klog/kern-log.txt");
	ck_assert_uint_eq(r.s->n_kevents, 3);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 8843123456LL);
	ck_assert_int_eq(r.s->kevents[1].ts_us, 8945900000LL);
	ck_assert_int_eq(r.s->kevents[2].ts_us, -1);
	ck_assert_int_eq(r.s->kevents[2].kind, KEV_TCP_OOM);
	ck_assert_uint_eq(r.sum.rows, 4);
	ck_assert_uint_eq(r.sum.skipped, 3);          /* CRON, nginx, sshd */
	ck_assert(strstr(r.sum.note, "3 lines from other programs skipped"));
	free(r.s);

	r = import_file(&import_klog, NULL, "klog/rsyslog-iso.txt");
	ck_assert_uint_eq(r.s->n_kevents, 1);
	ck_assert(r.s->kevents[0].ipv6);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 8843123456LL);
	ck_assert_uint_eq(r.sum.skipped, 1);
	free(r.s);

	r = import_file(&import_klog, NULL, "klog/journalctl-short-monotonic.txt");
	ck_assert_uint_eq(r.s->n_kevents, 1);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 8843123456LL);
	ck_assert_str_eq(r.s->kevents[0].addr, "0.0.0.0");
	free(r.s);
}
END_TEST

START_TEST(kmsg_and_levels__facility_decides)
{
	struct import_result r = import_file(&import_klog, "cat /dev/kmsg", "klog/kmsg.txt");

	/* the systemd record (facility 3) quoting the conntrack line is not the kernel's */
	ck_assert_uint_eq(r.s->n_kevents, 2);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 8843123456LL);
	ck_assert_int_eq(r.s->kevents[1].kind, KEV_CONNTRACK_FULL);
	ck_assert_int_eq(r.s->kevents[1].ts_us, 9102000000LL);
	ck_assert_uint_eq(r.sum.rows, 3);
	ck_assert_uint_eq(r.sum.skipped, 3);          /* 2 continuation lines, systemd */
	free(r.s);

	r = import_file(&import_klog, "dmesg -x", "klog/dmesg-x.txt");
	ck_assert_uint_eq(r.s->n_kevents, 1);
	ck_assert_int_eq(r.s->kevents[0].kind, KEV_CONNTRACK_FULL);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 9102000000LL);
	free(r.s);

	r = import_str(&import_klog, "dmesg -r",
		       "<4>[ 9001.5] TCP: out of memory -- consider tuning tcp_mem\n"
		       "<14>[ 9002.0] TCP: too many orphaned sockets\n");
	ck_assert_uint_eq(r.s->n_kevents, 1);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 9001500000LL);
	free(r.s);
}
END_TEST

START_TEST(old_wordings__classifier_reads_them)
{
	struct import_result r = import_file(&import_klog, NULL, "klog/dmesg-old-2.6.txt");

	ck_assert_uint_eq(r.s->n_kevents, 5);
	ck_assert_uint_eq(count_kind(r.s, KEV_SYN_FLOOD), 2);
	ck_assert_uint_eq(count_kind(r.s, KEV_TW_OVERFLOW), 1);
	ck_assert_uint_eq(count_kind(r.s, KEV_TCP_OOM), 1);
	ck_assert_uint_eq(count_kind(r.s, KEV_ORPHANS), 1);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 1234567890123LL);
	free(r.s);
}
END_TEST

START_TEST(notime__bare_lines_only_after_dmesg_t)
{
	static const char text[] = "TCP: too many orphaned sockets\n";
	struct import_result r = import_str(&import_klog, "dmesg -t", text);

	ck_assert_uint_eq(r.s->n_kevents, 1);
	ck_assert_int_eq(r.s->kevents[0].ts_us, -1);
	free(r.s);

	/* prose quoting a kernel line is not the log */
	r = import_str(&import_klog, "dmesg",
		       "We saw TCP: too many orphaned sockets in the log yesterday.\n"
		       "[ 10.0] TCP: out of memory -- consider tuning tcp_mem\n");
	ck_assert_uint_eq(r.s->n_kevents, 1);
	ck_assert_int_eq(r.s->kevents[0].kind, KEV_TCP_OOM);
	ck_assert_uint_eq(r.sum.skipped, 1);
	free(r.s);
}
END_TEST

START_TEST(hostile__stamps_nul_crlf_and_many_events)
{
	static const char text[] =
		"[99999999999999999999.000001] TCP: too many orphaned sockets\n"
		"[ 12.] TCP: too many orphaned sockets\n"
		"[ 12.000001\n"
		"[ 13.000002] TCP: out of \0memory -- consider tuning tcp_mem\r\n"
		"[ 14.5] VFS: file-max limit 2466186 reached\r\n"
		"4,1,99999999999999999999999,-;TCP: too many orphaned sockets\n"
		"<999999999999>[ 1.0] x\n";
	struct import_result r = import_buf(&import_klog, "dmesg | grep -i tcp", text,
					    sizeof(text) - 1);
	char *many;
	size_t o = 0;

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.s->n_kevents, 2);
	ck_assert_int_eq(r.s->kevents[0].kind, KEV_FILE_MAX);
	ck_assert_int_eq(r.s->kevents[0].ts_us, 14500000);
	ck_assert_int_eq(r.s->kevents[1].kind, KEV_ORPHANS);
	ck_assert_int_eq(r.s->kevents[1].ts_us, -1);
	ck_assert(strstr(r.sum.note, "a subset (| grep)"));
	free(r.s);

	/* more events than the sample keeps: the newest are kept, all counted */
	many = malloc(200 * 64);
	for (int i = 0; i < 200; i++)
		o += (size_t)sprintf(many + o, "[%d.0] TCP: too many orphaned sockets\n", i + 1);
	r = import_str(&import_klog, "dmesg", many);
	ck_assert_uint_eq(r.s->n_kevents, SAMPLE_KEVENTS_MAX);
	ck_assert_int_eq(r.s->kevents[0].ts_us, (200 - SAMPLE_KEVENTS_MAX + 1) * 1000000LL);
	ck_assert_int_eq(r.s->kevents[SAMPLE_KEVENTS_MAX - 1].ts_us, 200 * 1000000LL);
	ck_assert(strstr(r.sum.note, "too-many-orphans 200"));
	free(r.s);
	free(many);
}
END_TEST

START_TEST(detect__commands_content_and_prose)
{
	ck_assert_int_ge(import_detect_str(&import_klog, "sudo dmesg -T | tail -50", ""), 90);
	ck_assert_int_ge(import_detect_str(&import_klog, "journalctl -k --since today", ""), 90);
	ck_assert_int_ge(import_detect_str(&import_klog, "grep kernel /var/log/kern.log", ""), 90);
	ck_assert_int_ge(import_detect_str(&import_klog, NULL,
		"[ 8843.123456] TCP: too many orphaned sockets\n[ 8844.0] eth0: link up\n"), 80);
	ck_assert_int_ge(import_detect_str(&import_klog, NULL,
		"Dec  1 10:00:00 web1 kernel: [ 1.0] TCP: too many orphaned sockets\n"), 80);
	ck_assert_int_ge(import_detect_str(&import_klog, NULL,
		"6,1021,2413007,-;e1000e eth0: NIC Link is Up\n"), 80);
	ck_assert_int_lt(import_detect_str(&import_klog, NULL,
		"Our service drops connections. The kernel says TCP: too many orphaned sockets.\n"
		"We tried raising somaxconn: no change. [1] see the wiki.\n"), 30);
	ck_assert_int_lt(import_detect_str(&import_klog, NULL,
		"Dec  1 09:59:01 web1 CRON[2211]: (root) CMD (true)\n"), 30);
	ck_assert_int_lt(import_detect_str(&import_klog, NULL,
		"net.core.somaxconn = 4096\nTcpExtListenOverflows 18092 0.0\n"
		"State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n"), 30);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_klog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, dmesg__every_event_with_uptime);
	tcase_add_test(tc, dmesg_T__wall_clock_is_no_uptime);
	tcase_add_test(tc, journal_and_syslog__kernel_lines_only);
	tcase_add_test(tc, kmsg_and_levels__facility_decides);
	tcase_add_test(tc, old_wordings__classifier_reads_them);
	tcase_add_test(tc, notime__bare_lines_only_after_dmesg_t);
	tcase_add_test(tc, hostile__stamps_nul_crlf_and_many_events);
	tcase_add_test(tc, detect__commands_content_and_prose);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
