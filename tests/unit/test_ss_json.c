// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/render/ss_view.h"

#include <arpa/inet.h>
#include <linux/mptcp.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEAD "{\"schema_version\":1,\"sockets\":["
#define TAIL "]}\n"

/* An ifindex no host has, so "dev" never appears for it. */
#define NO_SUCH_IFINDEX 987654u

/* Renders rows with view v into a string (caller frees). */
static char *render(const struct ss_view *v, const struct ss_row *rows,
		    size_t n)
{
	struct strbuf err = STRBUF_INIT;
	struct ss_json *j;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ss_json_new(&j, v, fp, &err), 0);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(ss_json_row(j, &rows[i], &err), 0);
	ck_assert_int_eq(ss_json_finish(j, &err), 0);
	ss_json_free(j);
	ck_assert_str_eq(err.buf, "");
	fclose(fp);
	return buf;
}

static char *render_one(const struct ss_view *v, const struct sock_rec *s)
{
	struct ss_row row = { .sock = s };

	return render(v, &row, 1);
}

static void check_one(const struct ss_view *v, const struct sock_rec *s,
		      const char *want_sock)
{
	char *got = render_one(v, s);
	char want[8192];

	snprintf(want, sizeof(want), HEAD "%s" TAIL, want_sock);
	ck_assert_str_eq(got, want);
	free(got);
}

static void tcp4(struct sock_rec *s, const char *src, uint16_t sport,
		 const char *dst, uint16_t dport)
{
	memset(s, 0, sizeof(*s));
	s->table = TBL_TCP;
	s->netid = NETID_TCP;
	s->family = AF_INET;
	s->protocol = 6;
	s->state = SS_ESTABLISHED;
	ck_assert_int_eq(inet_pton(AF_INET, src, s->saddr), 1);
	ck_assert_int_eq(inet_pton(AF_INET, dst, s->daddr), 1);
	s->sport = sport;
	s->dport = dport;
}

START_TEST(ss_json__empty_listing)
{
	struct ss_view v = { 0 };
	char *got = render(&v, NULL, 0);

	ck_assert_str_eq(got, "{\"schema_version\":1,\"sockets\":[]}\n");
	free(got);
	v.json_pretty = true;
	got = render(&v, NULL, 0);
	ck_assert_str_eq(got, "{\n  \"schema_version\": 1,\n"
			      "  \"sockets\": []\n}\n");
	free(got);
}
END_TEST

START_TEST(ss_json__tcp4_basic)
{
	struct ss_view v = { .show_netid = false, .show_state = false };
	struct sock_rec s;

	tcp4(&s, "127.0.0.1", 43304, "127.0.0.1", 9090);
	s.wqueue = 3782144;
	/* Column suppression is a text matter: netid and state stay. */
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":3782144,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":43304},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":9090}}");
}
END_TEST

START_TEST(ss_json__state_names_are_ss_names)
{
	static const char *const want[] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
		"FIN-WAIT-2", "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK",
		"LISTEN", "CLOSING", "NEW-SYN-RECV", "BOUND-INACTIVE",
		"UNKNOWN",
	};
	struct ss_view v = { 0 };
	struct sock_rec s;
	char needle[64], *got;
	unsigned st;

	tcp4(&s, "0.0.0.0", 0, "0.0.0.0", 0);
	for (st = 0; st <= SS_STATE_MAX; st++) {
		s.state = (uint8_t)st;
		got = render_one(&v, &s);
		snprintf(needle, sizeof(needle), "\"state\":\"%s\"", want[st]);
		ck_assert_msg(strstr(got, needle), "state %u: %s", st, got);
		free(got);
	}
}
END_TEST

START_TEST(ss_json__ipv6_mapped_any_and_device)
{
	struct ss_view v = { 0 };
	struct sock_rec s;
	char want[1024], lo[IF_NAMESIZE], dev[64] = "";

	tcp4(&s, "0.0.0.0", 0, "0.0.0.0", 0);
	s.family = AF_INET6;
	s.state = SS_LISTEN;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", s.saddr);
	inet_pton(AF_INET6, "::", s.daddr);
	s.sport = 8444;
	s.ifindex = NO_SUCH_IFINDEX;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"LISTEN\",\"recv_q\":0,"
		"\"send_q\":0,\"local\":{\"addr\":\"::ffff:127.0.0.1\","
		"\"port\":8444,\"ifindex\":987654},"
		"\"peer\":{\"addr\":\"::\",\"port\":0}}");

	/* Loopback is ifindex 1 in every namespace; name it if it exists. */
	s.ifindex = 1;
	inet_pton(AF_INET6, "fe80::1", s.saddr);
	if (if_indextoname(1, lo))
		snprintf(dev, sizeof(dev), ",\"dev\":\"%s\"", lo);
	snprintf(want, sizeof(want),
		 "{\"netid\":\"tcp\",\"state\":\"LISTEN\",\"recv_q\":0,"
		 "\"send_q\":0,\"local\":{\"addr\":\"fe80::1\","
		 "\"port\":8444,\"ifindex\":1%s},"
		 "\"peer\":{\"addr\":\"::\",\"port\":0}}", dev);
	check_one(&v, &s, want);
}
END_TEST

START_TEST(ss_json__unix_abstract_path_with_nul_and_bad_utf8)
{
	struct ss_view v = { 0 };
	struct sock_rec s;
	static const char name[] = "\0ab\0c\xff";

	memset(&s, 0, sizeof(s));
	s.table = TBL_UNIX;
	s.netid = NETID_U_DGR;
	s.family = AF_UNIX;
	s.state = SS_CLOSE;
	s.inode = 19715;
	s.u.un.path = name;
	s.u.un.path_len = 6;
	check_one(&v, &s,
		"{\"netid\":\"u_dgr\",\"state\":\"UNCONN\",\"recv_q\":0,"
		"\"send_q\":0,\"path\":\"ab\\u0000c\\ufffd\",\"abstract\":true,"
		"\"inode\":19715,\"peer_inode\":0}");
}
END_TEST

START_TEST(ss_json__unix_unnamed_and_bound_with_vfs)
{
	struct ss_view v = { 0 };
	struct sock_rec s;

	memset(&s, 0, sizeof(s));
	s.table = TBL_UNIX;
	s.netid = NETID_U_STR;
	s.family = AF_UNIX;
	s.state = SS_ESTABLISHED;
	s.inode = 19717;
	s.rqueue = 1000;
	s.u.un.peer_ino = 19716;
	check_one(&v, &s,
		"{\"netid\":\"u_str\",\"state\":\"ESTAB\",\"recv_q\":1000,"
		"\"send_q\":0,\"path\":null,\"abstract\":false,"
		"\"inode\":19717,\"peer_inode\":19716}");

	s.u.un.path = "/run/demo/u.sock";
	s.u.un.path_len = 16;
	s.u.un.has_vfs = true;
	s.u.un.vfs_ino = 10953466;
	s.u.un.vfs_dev = 65024;
	s.cookie = 7;
	v.extended = true;
	/* Unix has its inode in the main part; -e does not repeat it. */
	check_one(&v, &s,
		"{\"netid\":\"u_str\",\"state\":\"ESTAB\",\"recv_q\":1000,"
		"\"send_q\":0,\"path\":\"/run/demo/u.sock\",\"abstract\":false,"
		"\"inode\":19717,\"peer_inode\":19716,\"uid\":0,\"cookie\":7,"
		"\"vfs_inode\":10953466,\"vfs_dev\":65024}");
}
END_TEST

START_TEST(ss_json__extended_and_timer)
{
	struct ss_view v = { .extended = true };
	struct sock_rec s;

	tcp4(&s, "127.0.0.1", 50486, "127.0.0.1", 9093);
	s.uid = 1000;
	s.inode = 19744;
	s.cookie = 0x1010;
	s.has_mark = true;
	s.mark = 0x2a;
	s.has_cgroup = true;
	s.cgroup_id = 1;
	s.has_shutdown = true;
	s.shutdown = 2;
	s.timer = 2;
	s.expires_ms = 572000;
	s.retrans = 1;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":50486},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":9093},"
		"\"uid\":1000,\"inode\":19744,\"cookie\":4112,\"mark\":42,"
		"\"cgroup_id\":1,\"shutdown\":2,"
		"\"timer\":{\"name\":\"keepalive\",\"expires_ms\":572000,"
		"\"retrans\":1}}");

	/* The caller resolves the cgroup path; the id stays beside it. */
	{
		struct ss_row row = { .sock = &s, .cgroup_path = "/sys\"x" };
		char *got = render(&v, &row, 1);

		ck_assert_ptr_nonnull(strstr(got,
			"\"cgroup_id\":1,\"cgroup\":\"/sys\\\"x\",\"shutdown\":2,"));
		free(got);
	}

	/* -o alone: the timer and nothing of -e. */
	v.extended = false;
	v.timers = true;
	s.timer = 5;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":50486},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":9093},"
		"\"timer\":{\"name\":\"delack\",\"expires_ms\":572000,"
		"\"retrans\":1}}");
}
END_TEST

START_TEST(ss_json__timer_absent_when_off_unknown_past_table)
{
	struct ss_view v = { .timers = true };
	struct sock_rec s;
	char *got;

	tcp4(&s, "127.0.0.1", 1, "127.0.0.1", 2);
	got = render_one(&v, &s);
	ck_assert_ptr_null(strstr(got, "timer"));
	free(got);
	s.timer = 9;
	got = render_one(&v, &s);
	ck_assert_ptr_nonnull(strstr(got, "\"timer\":{\"name\":\"unknown\""));
	free(got);
}
END_TEST

START_TEST(ss_json__v6only_and_tos)
{
	struct ss_view v = { .extended = true, .tos = true };
	struct sock_rec s;

	tcp4(&s, "0.0.0.0", 0, "0.0.0.0", 0);
	s.family = AF_INET6;
	s.state = SS_LISTEN;
	s.has_v6only = true;
	s.v6only = 1;
	s.has_tos = true;
	s.tos = 0x10;
	s.has_tclass = true;
	s.tclass = 0;
	s.has_class_id = true;
	s.class_id = 3;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"LISTEN\",\"recv_q\":0,"
		"\"send_q\":0,\"local\":{\"addr\":\"::\",\"port\":0},"
		"\"peer\":{\"addr\":\"::\",\"port\":0},"
		"\"uid\":0,\"inode\":0,\"cookie\":0,\"v6only\":true,"
		"\"tos\":16,\"tclass\":0,\"class_id\":3}");
}
END_TEST

START_TEST(ss_json__skmem_follows_kernel_count)
{
	struct ss_view v = { .mem = true };
	struct sock_rec s;
	int i;

	tcp4(&s, "127.0.0.1", 9090, "127.0.0.1", 43304);
	s.has_skmem = true;
	for (i = 0; i < SK_MEMINFO_VARS; i++)
		s.skmem[i] = 100u + (unsigned)i;
	s.skmem_n = SK_MEMINFO_VARS;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":9090},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":43304},"
		"\"skmem\":{\"rmem_alloc\":100,\"rcvbuf\":101,"
		"\"wmem_alloc\":102,\"sndbuf\":103,\"fwd_alloc\":104,"
		"\"wmem_queued\":105,\"optmem\":106,\"backlog\":107,"
		"\"drops\":108}}");

	/* An old kernel sends seven: no backlog, no drops. */
	s.skmem_n = 7;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":9090},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":43304},"
		"\"skmem\":{\"rmem_alloc\":100,\"rcvbuf\":101,"
		"\"wmem_alloc\":102,\"sndbuf\":103,\"fwd_alloc\":104,"
		"\"wmem_queued\":105,\"optmem\":106}}");

	s.has_skmem = false;
	s.has_meminfo = true;
	s.meminfo.idiag_rmem = 1;
	s.meminfo.idiag_wmem = 2;
	s.meminfo.idiag_fmem = 3;
	s.meminfo.idiag_tmem = 4;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":9090},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":43304},"
		"\"meminfo\":{\"rmem\":1,\"wmem\":2,\"fmem\":3,\"tmem\":4}}");
}
END_TEST

START_TEST(ss_json__tcp_info_head_and_bitfields)
{
	struct ss_view v = { .info = true };
	struct sock_rec s;
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_state = 1;
	ti.tcpi_backoff = 6;
	ti.tcpi_options = 7;
	ti.tcpi_snd_wscale = 10;
	ti.tcpi_rcv_wscale = 7;
	ti.tcpi_delivery_rate_app_limited = 1;
	ti.tcpi_fastopen_client_fail = 2;
	ti.tcpi_rto = 240000;
	tcp4(&s, "10.9.0.1", 46386, "10.9.0.2", 7001);
	s.tcpi = (const uint8_t *)&ti;
	s.tcpi_len = 8;   /* cut before tcpi_rto: rto must not appear */
	s.has_cong = true;
	strcpy(s.cong, "bbr");
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"10.9.0.1\",\"port\":46386},"
		"\"peer\":{\"addr\":\"10.9.0.2\",\"port\":7001},"
		"\"cong\":\"bbr\",\"tcp_info\":{\"state\":1,\"ca_state\":0,"
		"\"retransmits\":0,\"probes\":0,\"backoff\":6,\"options\":7,"
		"\"snd_wscale\":10,\"rcv_wscale\":7,"
		"\"delivery_rate_app_limited\":1,\"fastopen_client_fail\":2}}");
}
END_TEST

START_TEST(ss_json__tcp_info_stops_at_returned_length)
{
	struct ss_view v = { .info = true };
	struct sock_rec s;
	struct tcp_info ti;
	char *got, *p;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rcv_ssthresh = 64088;
	ti.tcpi_rtt = 38265;
	tcp4(&s, "10.9.0.1", 46386, "10.9.0.2", 7001);
	s.tcpi = (const uint8_t *)&ti;
	s.tcpi_len = offsetof(struct tcp_info, tcpi_rtt) + 3;
	got = render_one(&v, &s);
	p = strstr(got, "\"rcv_ssthresh\":64088}}");
	ck_assert_msg(p, "%s", got);
	ck_assert_ptr_null(strstr(got, "\"rtt\""));
	free(got);

	s.tcpi_len = offsetof(struct tcp_info, tcpi_rttvar);
	got = render_one(&v, &s);
	ck_assert_ptr_nonnull(strstr(got, "\"rcv_ssthresh\":64088,\"rtt\":38265}}"));
	free(got);
}
END_TEST

START_TEST(ss_json__tcp_info_full_and_longer_than_known)
{
	struct ss_view v = { .info = true };
	struct sock_rec s;
	struct tcp_info ti;
	uint8_t bytes[300];
	char *got;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_rtt = 4498;
	ti.tcpi_max_pacing_rate = UINT64_MAX;
	ti.tcpi_bytes_acked = 65918753;
	ti.tcpi_snd_wnd = 8957952;
	/* A newer kernel's longer struct: the unknown tail is ignored. */
	memset(bytes, 0xab, sizeof(bytes));
	memcpy(bytes, &ti, sizeof(ti));
	tcp4(&s, "127.0.0.1", 43304, "127.0.0.1", 9090);
	s.tcpi = bytes;
	s.tcpi_len = sizeof(bytes);
	got = render_one(&v, &s);
	ck_assert_ptr_nonnull(strstr(got, "\"rtt\":4498,"));
	ck_assert_ptr_nonnull(strstr(got,
		"\"max_pacing_rate\":18446744073709551615,"));
	ck_assert_ptr_nonnull(strstr(got, "\"bytes_acked\":65918753,"));
	ck_assert_ptr_nonnull(strstr(got,
		"\"rcv_ooopack\":0,\"snd_wnd\":8957952}}]}\n"));
	free(got);
}
END_TEST

START_TEST(ss_json__cc_objects)
{
	struct ss_view v = { .info = true };
	struct sock_rec s;

	tcp4(&s, "10.9.0.1", 1, "10.9.0.2", 2);
	s.has_bbr = true;
	s.bbr.bbr_bw_lo = 328313;
	s.bbr.bbr_bw_hi = 1;
	s.bbr.bbr_min_rtt = 4839;
	s.bbr.bbr_pacing_gain = 256;
	s.bbr.bbr_cwnd_gain = 739;
	s.has_dctcp = true;
	s.dctcp.dctcp_enabled = 1;
	s.dctcp.dctcp_ce_state = 1;
	s.dctcp.dctcp_alpha = 1024;
	s.dctcp.dctcp_ab_ecn = 5;
	s.dctcp.dctcp_ab_tot = 9;
	s.has_vegas = true;
	s.vegas.tcpv_rttcnt = 3;
	s.vegas.tcpv_rtt = 100;
	s.vegas.tcpv_minrtt = 50;
	s.has_ulp = true;
	strcpy(s.ulp, "tls");
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"10.9.0.1\",\"port\":1},"
		"\"peer\":{\"addr\":\"10.9.0.2\",\"port\":2},"
		"\"ulp\":\"tls\","
		"\"bbr\":{\"bw\":4295295609,\"min_rtt\":4839,"
		"\"pacing_gain\":1,\"cwnd_gain\":2.88671875},"
		"\"dctcp\":{\"enabled\":true,\"ce_state\":1,\"alpha\":1024,"
		"\"ab_ecn\":5,\"ab_tot\":9},"
		"\"vegas\":{\"enabled\":false,\"rttcnt\":3,\"rtt\":100,"
		"\"minrtt\":50}}");

	/* Without -i none of it shows. */
	v.info = false;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"10.9.0.1\",\"port\":1},"
		"\"peer\":{\"addr\":\"10.9.0.2\",\"port\":2}}");
}
END_TEST

START_TEST(ss_json__md5keys_without_the_key)
{
	struct ss_view v = { .info = true };
	struct tcp_diag_md5sig sig;
	struct sock_rec s;

	tcp4(&s, "127.0.0.1", 1, "0.0.0.0", 0);
	memset(&sig, 0, sizeof(sig));
	sig.tcpm_family = AF_INET6;
	sig.tcpm_prefixlen = 64;
	sig.tcpm_keylen = 6;
	inet_pton(AF_INET6, "fd00::", sig.tcpm_addr);
	memcpy(sig.tcpm_key, "secret", 6);
	s.md5sig = (const uint8_t *)&sig;
	s.md5sig_len = sizeof(sig);
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":1},"
		"\"peer\":{\"addr\":\"0.0.0.0\",\"port\":0},"
		"\"md5keys\":[{\"addr\":\"fd00::\",\"prefixlen\":64}]}");
}
END_TEST

START_TEST(ss_json__mptcp_subflow_keys_only_when_sent)
{
	struct ss_view v = { .info = true };
	struct sock_rec s;

	tcp4(&s, "127.0.0.1", 1, "127.0.0.1", 2);
	s.has_ulp = true;
	strcpy(s.ulp, "mptcp");
	s.mptcp_sf.present = 1u << MPTCP_SUBFLOW_ATTR_MAP_SEQ | 1u << MPTCP_SUBFLOW_ATTR_FLAGS;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_MAP_SEQ] = 0xee8047c74ec3cc0dull;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_FLAGS] = 0xc1;
	check_one(&v, &s,
		"{\"netid\":\"tcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"127.0.0.1\",\"port\":1},"
		"\"peer\":{\"addr\":\"127.0.0.1\",\"port\":2},"
		"\"ulp\":\"mptcp\","
		"\"mptcp_subflow\":{\"map_seq\":17185815099391331341,\"flags\":193}}");
}
END_TEST

START_TEST(ss_json__users_with_and_without_threads)
{
	static const struct sock_owner owners[] = {
		{ "we\"ird) na,me", 19550, 19551, 3, NULL },
		{ "python3", 19507, 19507, 4, NULL },
	};
	struct ss_view v = { .show_proc = true };
	struct sock_rec s;
	struct ss_row row = { .sock = &s, .owners = owners, .n_owners = 2 };
	char *got;

	tcp4(&s, "0.0.0.0", 9600, "0.0.0.0", 0);
	s.state = SS_LISTEN;
	got = render(&v, &row, 1);
	ck_assert_str_eq(got, HEAD
		"{\"netid\":\"tcp\",\"state\":\"LISTEN\",\"recv_q\":0,"
		"\"send_q\":0,\"local\":{\"addr\":\"0.0.0.0\",\"port\":9600},"
		"\"peer\":{\"addr\":\"0.0.0.0\",\"port\":0},"
		"\"users\":[{\"comm\":\"we\\\"ird) na,me\",\"pid\":19550,"
		"\"fd\":3},{\"comm\":\"python3\",\"pid\":19507,\"fd\":4}]}"
		TAIL);
	free(got);

	v.show_threads = true;
	row.n_owners = 1;
	got = render(&v, &row, 1);
	ck_assert_ptr_nonnull(strstr(got,
		"\"users\":[{\"comm\":\"we\\\"ird) na,me\",\"pid\":19550,"
		"\"tid\":19551,\"fd\":3}]}"));
	free(got);

	/* -p and no owner (ino:0): an empty list, not a missing key. */
	row.n_owners = 0;
	got = render(&v, &row, 1);
	ck_assert_ptr_nonnull(strstr(got, "\"users\":[]}"));
	free(got);
}
END_TEST

START_TEST(ss_json__netlink_and_packet)
{
	struct ss_view v = { 0 };
	struct sock_rec s;

	memset(&s, 0, sizeof(s));
	s.table = TBL_NETLINK;
	s.netid = NETID_NL;
	s.state = SS_CLOSE;
	s.rqueue = 4352;
	s.u.nl.protocol = 4;
	s.u.nl.portid = 7528;
	s.u.nl.has_comm = true;
	strcpy(s.u.nl.comm, "ss");
	check_one(&v, &s,
		"{\"netid\":\"nl\",\"state\":\"UNCONN\",\"recv_q\":4352,"
		"\"send_q\":0,\"protocol\":4,\"portid\":7528,\"comm\":\"ss\","
		"\"connected\":false,\"dst_portid\":0,\"dst_group\":0}");

	memset(&s, 0, sizeof(s));
	s.table = TBL_PACKET;
	s.netid = NETID_P_RAW;
	s.state = SS_CLOSE;
	s.u.pk.proto = 3;
	s.u.pk.ifindex = NO_SUCH_IFINDEX;
	check_one(&v, &s,
		"{\"netid\":\"p_raw\",\"state\":\"UNCONN\",\"recv_q\":0,"
		"\"send_q\":0,\"protocol\":3,\"ifindex\":987654}");
}
END_TEST

START_TEST(ss_json__mptcp_info_and_sockopt)
{
	struct ss_view v = { .info = true };
	struct sock_rec s;
	struct mptcp_info mi;

	memset(&mi, 0, sizeof(mi));
	mi.mptcpi_subflows = 2;
	mi.mptcpi_token = 0xdeadbeef;
	mi.mptcpi_write_seq = 5;
	tcp4(&s, "1.2.3.4", 1, "5.6.7.8", 2);
	s.table = TBL_MPTCP;
	s.netid = NETID_MPTCP;
	s.mptcpi = (const uint8_t *)&mi;
	/* Cut inside write_seq: the u64 must not be half-read. */
	s.mptcpi_len = offsetof(struct mptcp_info, mptcpi_write_seq) + 4;
	s.has_sockopt = true;
	s.sockopt.transparent = 1;
	s.sockopt.defer_connect = 1;
	check_one(&v, &s,
		"{\"netid\":\"mptcp\",\"state\":\"ESTAB\",\"recv_q\":0,"
		"\"send_q\":0,"
		"\"local\":{\"addr\":\"1.2.3.4\",\"port\":1},"
		"\"peer\":{\"addr\":\"5.6.7.8\",\"port\":2},"
		"\"sockopt\":{\"recverr\":false,\"is_icsk\":false,"
		"\"freebind\":false,\"hdrincl\":false,\"mc_loop\":false,"
		"\"transparent\":true,\"mc_all\":false,\"nodefrag\":false,"
		"\"bind_address_no_port\":false,\"recverr_rfc4884\":false,"
		"\"defer_connect\":true},"
		"\"mptcp_info\":{\"subflows\":2,\"add_addr_signal\":0,"
		"\"add_addr_accepted\":0,\"subflows_max\":0,"
		"\"add_addr_signal_max\":0,\"add_addr_accepted_max\":0,"
		"\"flags\":0,\"token\":3735928559}}");
}
END_TEST

/*
 * A process named `a(b)c"d`: the text listing prints ss's cut "a(b";
 * users[].comm carries the whole name.
 */
START_TEST(ss_json__users_comm_is_the_true_name)
{
	static const struct sock_owner owner = { "a(b", 7, 0, 3, "a(b)c\"d" };
	struct ss_view v = { .show_proc = true };
	struct sock_rec s;
	struct ss_row row = { .sock = &s, .owners = &owner, .n_owners = 1 };
	char *got;

	tcp4(&s, "0.0.0.0", 9600, "0.0.0.0", 0);
	s.state = SS_LISTEN;
	got = render(&v, &row, 1);
	ck_assert_ptr_nonnull(strstr(got, "\"users\":[{\"comm\":\"a(b)c\\\"d\",\"pid\":7,"));
	free(got);
}
END_TEST

/* Every group on, compact and pretty, must satisfy a real parser. */
START_TEST(ss_json__output_parses_with_jq)
{
	static const char name[] = "\0x\x01\"\\\xc3(";
	static const struct sock_owner owner = { "a\tb\xff", 1, 2, 3, NULL };
	struct ss_view v = { .extended = true, .timers = true, .mem = true,
			     .info = true, .tos = true, .show_proc = true,
			     .show_threads = true };
	struct sock_rec s[3];
	struct ss_row rows[3];
	struct tcp_info ti;
	char path[] = "/tmp/test_ss_json.XXXXXX", cmd[256], *doc;
	int fd, pretty, i;
	FILE *fp;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_max_pacing_rate = UINT64_MAX;
	tcp4(&s[0], "1.2.3.4", 1, "5.6.7.8", 2);
	s[0].tcpi = (const uint8_t *)&ti;
	s[0].tcpi_len = sizeof(ti);
	s[0].has_bbr = true;
	s[0].bbr.bbr_pacing_gain = 739;
	s[0].has_skmem = true;
	s[0].timer = 1;
	s[1] = s[0];
	s[1].family = AF_INET6;
	memset(&s[2], 0, sizeof(s[2]));
	s[2].table = TBL_UNIX;
	s[2].netid = NETID_U_STR;
	s[2].u.un.path = name;
	s[2].u.un.path_len = sizeof(name) - 1;
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < 3; i++) {
		rows[i].sock = &s[i];
		rows[i].owners = &owner;
		rows[i].n_owners = 1;
	}
	if (system("jq --version >/dev/null 2>&1") != 0)
		return;   /* jq absent: the exact-string tests still stand */
	for (pretty = 0; pretty < 2; pretty++) {
		v.json_pretty = pretty;
		doc = render(&v, rows, 3);
		fd = mkstemp(path);
		ck_assert_int_ge(fd, 0);
		fp = fdopen(fd, "w");
		fputs(doc, fp);
		fclose(fp);
		snprintf(cmd, sizeof(cmd),
			 "jq -e '.schema_version == 1 and (.sockets | length) == 3"
			 " and .sockets[2].path == \"x\\u0001\\\"\\\\\\ufffd(\"'"
			 " %s >/dev/null", path);
		ck_assert_msg(system(cmd) == 0, "jq rejected:\n%s", doc);
		unlink(path);
		strcpy(path, "/tmp/test_ss_json.XXXXXX");
		free(doc);
	}
}
END_TEST

START_TEST(ss_json__write_error_reaches_finish)
{
	struct ss_view v = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct ss_json *j;
	struct sock_rec s;
	struct ss_row row = { .sock = &s };
	FILE *fp = fopen("/dev/full", "w");
	int i, r = 0;

	if (!fp)
		return;
	tcp4(&s, "1.2.3.4", 1, "5.6.7.8", 2);
	ck_assert_int_eq(ss_json_new(&j, &v, fp, &err), 0);
	for (i = 0; i < 200 && !r; i++)
		r = ss_json_row(j, &row, &err);
	if (!r)
		r = ss_json_finish(j, &err);
	ck_assert_int_eq(r, -1);
	ck_assert_str_eq(err.buf, "cannot write json output: No space left on device");
	ss_json_free(j);
	fclose(fp);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ss_json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ss_json__empty_listing);
	tcase_add_test(tc, ss_json__tcp4_basic);
	tcase_add_test(tc, ss_json__state_names_are_ss_names);
	tcase_add_test(tc, ss_json__ipv6_mapped_any_and_device);
	tcase_add_test(tc, ss_json__unix_abstract_path_with_nul_and_bad_utf8);
	tcase_add_test(tc, ss_json__unix_unnamed_and_bound_with_vfs);
	tcase_add_test(tc, ss_json__extended_and_timer);
	tcase_add_test(tc, ss_json__timer_absent_when_off_unknown_past_table);
	tcase_add_test(tc, ss_json__v6only_and_tos);
	tcase_add_test(tc, ss_json__skmem_follows_kernel_count);
	tcase_add_test(tc, ss_json__tcp_info_head_and_bitfields);
	tcase_add_test(tc, ss_json__tcp_info_stops_at_returned_length);
	tcase_add_test(tc, ss_json__tcp_info_full_and_longer_than_known);
	tcase_add_test(tc, ss_json__cc_objects);
	tcase_add_test(tc, ss_json__users_with_and_without_threads);
	tcase_add_test(tc, ss_json__users_comm_is_the_true_name);
	tcase_add_test(tc, ss_json__netlink_and_packet);
	tcase_add_test(tc, ss_json__md5keys_without_the_key);
	tcase_add_test(tc, ss_json__mptcp_subflow_keys_only_when_sent);
	tcase_add_test(tc, ss_json__mptcp_info_and_sockopt);
	tcase_add_test(tc, ss_json__output_parses_with_jq);
	tcase_add_test(tc, ss_json__write_error_reaches_finish);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
