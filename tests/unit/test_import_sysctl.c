// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysctl importer on real `sysctl -a` output (a namespace on this
 * host) and on the variants other tools print. These catch a value read
 * into the wrong setting, an absent setting read as 0, a wrapped number,
 * a bare value taken without a command naming it, and prose detected as
 * settings.
 */
#include "tap_check.h"
#include "import_fixture.h"

#include <errno.h>
#include <stdint.h>

#define V(r, id) ((r).s->sysctl.val[SYSCTL_##id])

START_TEST(sysctl_a__real_netns_capture)
{
	struct import_result r = import_file(&import_sysctl, "sysctl -a",
					     "sysctl/sysctl-a-netns-procps4.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert(r.s->have & HAVE_SYSCTL);
	ck_assert(r.s->have & HAVE_FILE_NR);
	ck_assert(r.s->have & HAVE_CONNTRACK);
	ck_assert(V(r, SOMAXCONN).present);
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 4096);
	ck_assert_uint_eq(V(r, IP_LOCAL_PORT_RANGE).n, 2);
	ck_assert_int_eq(V(r, IP_LOCAL_PORT_RANGE).v[0], 32768);
	ck_assert_int_eq(V(r, IP_LOCAL_PORT_RANGE).v[1], 60999);
	ck_assert_uint_eq(V(r, TCP_RMEM).n, 3);
	ck_assert_int_eq(V(r, TCP_RMEM).v[2], 33554432);
	/* "net.ipv4.ip_local_reserved_ports = " is present and empty */
	ck_assert(V(r, IP_LOCAL_RESERVED_PORTS).present);
	ck_assert_str_eq(V(r, IP_LOCAL_RESERVED_PORTS).text, "");
	/* a child namespace hides tcp_mem and tcp_max_orphans: absent, not 0 */
	ck_assert(!V(r, TCP_MEM).present);
	ck_assert(!V(r, TCP_MAX_ORPHANS).present);
	ck_assert_uint_eq(r.s->file_nr_alloc, 560);
	ck_assert_uint_eq(r.s->file_nr_max, 2466116);
	ck_assert_uint_eq(r.s->conntrack_max, 262144);
	ck_assert_uint_eq(r.s->conntrack_count, 0);
	ck_assert_uint_eq(r.sum.rows + r.sum.skipped, 829);
	ck_assert_uint_ge(r.sum.skipped, 800);
	ck_assert(strstr(r.sum.what, "sysctl -a"));
	ck_assert_str_eq(r.sum.note, "");
	free(r.s);
}
END_TEST

START_TEST(sysctl_variants__colon_grep_and_old_procps)
{
	struct import_result r = import_file(&import_sysctl, NULL, "sysctl/name-colon.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 128);
	ck_assert_int_eq(V(r, IP_LOCAL_PORT_RANGE).v[1], 61000);
	ck_assert_int_eq(V(r, TCP_MEM).v[2], 377124);
	ck_assert_uint_eq(r.sum.rows, 5);
	ck_assert_uint_eq(r.sum.skipped, 1);         /* kernel.hostname */
	free(r.s);

	r = import_file(&import_sysctl, "grep -r . /proc/sys/net/core", "sysctl/grep-proc-sys.txt");
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 4096);
	ck_assert_int_eq(V(r, RMEM_MAX).v[0], 212992);
	ck_assert_int_eq(V(r, RMEM_DEFAULT).v[0], 212992);
	ck_assert_uint_eq(r.sum.skipped, 1);
	free(r.s);

	r = import_file(&import_sysctl, NULL, "sysctl/procps3-centos7.txt");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(V(r, TCP_MEM).v[1], 123738);
	ck_assert_int_eq(V(r, TCP_MAX_ORPHANS).v[0], 65536);
	ck_assert_int_eq(V(r, NF_CONNTRACK_MAX).v[0], 65536);
	ck_assert_uint_eq(r.s->conntrack_count, 65533);
	ck_assert_uint_eq(r.s->conntrack_max, 65536);
	ck_assert_uint_eq(r.s->file_nr_alloc, 1632);
	ck_assert_uint_eq(r.s->file_nr_max, 6815744);
	ck_assert(!V(r, SOMAXCONN).present);
	ck_assert_uint_eq(r.sum.skipped, 2);         /* the stderr line, tcp_tw_recycle */
	free(r.s);
}
END_TEST

START_TEST(sysctl_n__values_take_the_command_names)
{
	struct import_result r = import_file(&import_sysctl,
		"sudo /sbin/sysctl -n net.core.somaxconn net.ipv4.tcp_rmem net.ipv4.ip_local_port_range",
		"sysctl/sysctl-n.txt");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 4096);
	ck_assert_int_eq(V(r, TCP_RMEM).v[1], 87380);
	ck_assert_int_eq(V(r, IP_LOCAL_PORT_RANGE).v[0], 32768);
	free(r.s);

	/* the same lines without a command naming them: nothing is guessed */
	r = import_file(&import_sysctl, NULL, "sysctl/sysctl-n.txt");
	ck_assert(!(r.s->have & HAVE_SYSCTL));
	ck_assert_uint_eq(r.sum.skipped, 3);
	free(r.s);

	/* a missing one (stderr pasted in) uses its turn and is recorded missing */
	r = import_str(&import_sysctl, "sysctl -n net.ipv4.tcp_mem net.core.somaxconn",
		       "sysctl: cannot stat /proc/sys/net/ipv4/tcp_mem: No such file or directory\n"
		       "511\n");
	ck_assert(!V(r, TCP_MEM).present);
	ck_assert_int_eq(V(r, TCP_MEM).err, ENOENT);
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 511);
	free(r.s);
}
END_TEST

START_TEST(cat_proc_sys__the_file_names_the_setting)
{
	struct import_result r = import_str(&import_sysctl, "cat /proc/sys/net/core/somaxconn",
					    "128\r\n");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 128);
	free(r.s);

	r = import_file(&import_sysctl, "cat /proc/sys/fs/file-nr", "sysctl/file-nr.txt");
	ck_assert(r.s->have & HAVE_FILE_NR);
	ck_assert(!(r.s->have & HAVE_SYSCTL));
	ck_assert_uint_eq(r.s->file_nr_alloc, 1088);
	ck_assert_uint_eq(r.s->file_nr_max, 9223372036854775807ull);
	ck_assert_str_eq(r.sum.what, "fs.file-nr: 1 setting read");
	free(r.s);

	r = import_str(&import_sysctl,
		       "cat /proc/sys/net/netfilter/nf_conntrack_count /proc/sys/net/netfilter/nf_conntrack_max",
		       "262100\n262144\n");
	ck_assert(r.s->have & HAVE_CONNTRACK);
	ck_assert_uint_eq(r.s->conntrack_count, 262100);
	ck_assert_uint_eq(r.s->conntrack_max, 262144);
	free(r.s);

	/* nf_conntrack_max alone: the count is unknown, so no conntrack input */
	r = import_str(&import_sysctl, "cat /proc/sys/net/netfilter/nf_conntrack_max", "65536\n");
	ck_assert(!(r.s->have & HAVE_CONNTRACK));
	ck_assert_int_eq(V(r, NF_CONNTRACK_MAX).v[0], 65536);
	free(r.s);
}
END_TEST

START_TEST(config_file__not_the_running_values)
{
	static const char text[] = "# raised for the API\nnet.core.somaxconn = 65535\n";
	struct import_result r = import_str(&import_sysctl, "cat /etc/sysctl.d/99-api.conf", text);

	ck_assert_int_ge(import_detect_str(&import_sysctl, "cat /etc/sysctl.d/99-api.conf", text), 30);
	ck_assert(!(r.s->have & HAVE_SYSCTL));
	ck_assert(strstr(r.sum.note, "configuration file"));
	free(r.s);

	/* sysctl -p prints what it set: those are running values */
	r = import_str(&import_sysctl, "sysctl -p /etc/sysctl.d/99-api.conf",
		       "net.core.somaxconn = 65535\n");
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 65535);
	free(r.s);
}
END_TEST

START_TEST(ulimit__note_only)
{
	struct import_result r = import_str(&import_sysctl, "ulimit -Hn", "524288\n");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.s->have, 0);
	ck_assert_uint_eq(r.s->n_procs, 0);
	ck_assert(strstr(r.sum.note, "hard open-files limit is 524288"));
	free(r.s);

	r = import_file(&import_sysctl, "ulimit -a", "sysctl/ulimit-a.txt");
	ck_assert(strstr(r.sum.note, "soft open-files limit is 1024"));
	ck_assert_uint_eq(r.sum.rows, 1);
	ck_assert_uint_eq(r.sum.skipped, 3);
	free(r.s);
}
END_TEST

START_TEST(hostile__overflow_text_nul_subset)
{
	static const char text[] =
		"net.core.somaxconn = 99999999999999999999999\n"
		"net.ipv4.tcp_fin_timeout = sixty\n"
		"fs.file-nr = -1\t0\t5\n"
		"net.ipv4.tcp_syncookies = 1\0 = 7\n"
		"net.ipv4.tcp_tw_reuse = 2\n"
		"...\n\n"
		"net.ipv4.tcp_mem = 1 2 3 4\n";
	struct import_result r = import_buf(&import_sysctl, "sysctl -a | grep -E 'net|fs'", text,
					    sizeof(text) - 1);

	ck_assert_int_eq(r.rc, 0);
	ck_assert(!V(r, SOMAXCONN).present);
	ck_assert(!V(r, TCP_FIN_TIMEOUT).present);
	ck_assert(!(r.s->have & HAVE_FILE_NR));
	ck_assert(!V(r, TCP_SYNCOOKIES).present);
	ck_assert(!V(r, TCP_MEM).present);
	ck_assert_int_eq(V(r, TCP_TW_REUSE).v[0], 2);
	ck_assert_uint_eq(r.sum.rows, 1);
	ck_assert_uint_eq(r.sum.skipped, 7);
	ck_assert(strstr(r.sum.note, "a subset (| grep)"));
	ck_assert(strstr(r.sum.note, "4 value(s) refused, first t.txt:1:22: net.core.somaxconn"));
	free(r.s);
}
END_TEST

START_TEST(hostile__long_line_and_long_value)
{
	size_t n = 70000;
	char *big = malloc(n + 64);
	struct import_result r;

	memset(big, 'x', n);
	memcpy(big, "net.ipv4.ip_local_reserved_ports = ", 35);
	memcpy(big + n, "\nnet.core.somaxconn = 5\n", 25);
	r = import_str(&import_sysctl, NULL, big);
	ck_assert_int_eq(r.rc, 0);
	ck_assert(!V(r, IP_LOCAL_RESERVED_PORTS).present);
	ck_assert_int_eq(V(r, SOMAXCONN).v[0], 5);
	free(r.s);
	free(big);
}
END_TEST

START_TEST(detect__commands_content_and_prose)
{
	ck_assert_int_ge(import_detect_str(&import_sysctl, "sudo sysctl -a | grep tcp", ""), 90);
	ck_assert_int_ge(import_detect_str(&import_sysctl, "cat /proc/sys/fs/file-nr", "1 0 2"), 90);
	ck_assert_int_ge(import_detect_str(&import_sysctl, "ulimit -n", "1024"), 80);
	ck_assert_int_lt(import_detect_str(&import_sysctl, "cat /proc/net/snmp", "Tcp: 1 2"), 30);
	ck_assert_int_ge(import_detect_str(&import_sysctl, NULL,
		"net.core.somaxconn = 4096\nnet.ipv4.tcp_syncookies = 1\n"), 80);
	ck_assert_int_ge(import_detect_str(&import_sysctl, NULL,
		"/proc/sys/net/core/somaxconn:4096\n"), 80);
	ck_assert_int_lt(import_detect_str(&import_sysctl, NULL,
		"We raised the backlog last week, e.g. the somaxconn value: it did not help.\n"
		"Note: this happens every day at 10:00. The app is node.js: version 18.\n"
		"i.e. the kernel drops SYNs.\n"), 30);
	ck_assert_int_lt(import_detect_str(&import_sysctl, NULL,
		"Dec  1 10:00:00 web1 kernel: TCP: too many orphaned sockets\n"
		"2026-12-01T10:00:00.1+00:00 web1 kernel: x\n"), 30);
	ck_assert_int_lt(import_detect_str(&import_sysctl, NULL,
		"TcpExtListenOverflows           18092              0.0\n"), 30);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_sysctl");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sysctl_a__real_netns_capture);
	tcase_add_test(tc, sysctl_variants__colon_grep_and_old_procps);
	tcase_add_test(tc, sysctl_n__values_take_the_command_names);
	tcase_add_test(tc, cat_proc_sys__the_file_names_the_setting);
	tcase_add_test(tc, config_file__not_the_running_values);
	tcase_add_test(tc, ulimit__note_only);
	tcase_add_test(tc, hostile__overflow_text_nul_subset);
	tcase_add_test(tc, hostile__long_line_and_long_value);
	tcase_add_test(tc, detect__commands_content_and_prose);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
