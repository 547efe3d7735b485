// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/render/ss_fmt.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static struct ss_view view;
static struct ss_fmt fmt;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	memset(&view, 0, sizeof(view));
	view.numeric = true;
	view.eph_lo = 32768;
	view.eph_hi = 60999;
	view.tables = TBL_BIT(TBL_TCP);
	ck_assert_int_eq(ss_fmt_init(&fmt, &view, &err), 0);
}

static void teardown(void)
{
	ss_fmt_release(&fmt);
}

static struct sock_rec tcp4(const char *src, uint16_t sp, const char *dst,
			    uint16_t dp)
{
	struct sock_rec s;

	memset(&s, 0, sizeof(s));
	s.table = TBL_TCP;
	s.netid = NETID_TCP;
	s.family = AF_INET;
	s.state = SS_ESTABLISHED;
	inet_pton(AF_INET, src, s.saddr);
	inet_pton(AF_INET, dst, s.daddr);
	s.sport = sp;
	s.dport = dp;
	return s;
}

static struct sock_rec tcp6(const char *src, uint16_t sp, const char *dst,
			    uint16_t dp)
{
	struct sock_rec s = tcp4("0.0.0.0", sp, "0.0.0.0", dp);

	s.family = AF_INET6;
	inet_pton(AF_INET6, src, s.saddr);
	inet_pton(AF_INET6, dst, s.daddr);
	return s;
}

/* The text of one column after formatting s. */
static const char *col(const struct sock_rec *s, enum ss_col c)
{
	static char buf[SS_FIELD_MAX + 1];
	struct ss_row row = { .sock = s };

	ss_fmt_row(&fmt, &row);
	memcpy(buf, fmt.f[c].buf, fmt.f[c].len);
	buf[fmt.f[c].len] = '\0';
	return buf;
}

START_TEST(fmt__ipv4_address_owns_the_colon_and_port_is_separate)
{
	struct sock_rec s = tcp4("127.0.0.1", 9090, "10.20.255.3", 43304);

	ck_assert_str_eq(col(&s, SS_COL_ADDR), "127.0.0.1:");
	ck_assert_str_eq(col(&s, SS_COL_SERV), "9090");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "10.20.255.3:");
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "43304");
	ck_assert_str_eq(col(&s, SS_COL_NETID), "tcp");
	ck_assert_str_eq(col(&s, SS_COL_STATE), "ESTAB");
}
END_TEST

START_TEST(fmt__port_zero_is_a_star)
{
	struct sock_rec s = tcp4("0.0.0.0", 22, "0.0.0.0", 0);

	ck_assert_str_eq(col(&s, SS_COL_RSERV), "*");
}
END_TEST

START_TEST(fmt__ipv6_is_bracketed_and_v4_mapped_kept)
{
	struct sock_rec s = tcp6("::1", 8443, "::ffff:127.0.0.1", 40328);

	ck_assert_str_eq(col(&s, SS_COL_ADDR), "[::1]:");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "[::ffff:127.0.0.1]:");
}
END_TEST

START_TEST(fmt__ipv6_any_is_star_unless_v6only)
{
	struct sock_rec s = tcp6("::", 8444, "::", 0);

	s.state = SS_LISTEN;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "*:");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "*:");
	s.has_v6only = true;
	s.v6only = 1;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "[::]:");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "[::]:");
	s.v6only = 0;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "*:");
}
END_TEST

START_TEST(fmt__bound_device_is_appended_to_the_local_address)
{
	struct sock_rec s = tcp4("127.0.0.1", 9500, "0.0.0.0", 0);

	s.ifindex = 1;  /* lo, in any network namespace */
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "127.0.0.1%lo:");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "0.0.0.0:");
}
END_TEST

START_TEST(fmt__queues_are_left_justified_to_six_and_widen)
{
	struct sock_rec s = tcp4("1.1.1.1", 1, "2.2.2.2", 2);

	s.rqueue = 0;
	s.wqueue = 3782144;
	ck_assert_str_eq(col(&s, SS_COL_RECVQ), "0     ");
	ck_assert_str_eq(col(&s, SS_COL_SENDQ), "3782144");
	s.rqueue = 0x80000000u;  /* ss prints its int */
	ck_assert_str_eq(col(&s, SS_COL_RECVQ), "-2147483648");
}
END_TEST

START_TEST(fmt__service_names_unless_numeric_or_ephemeral)
{
	struct sock_rec s = tcp4("127.0.0.1", 22, "127.0.0.1", 57000);

	view.numeric = false;
	ck_assert_str_eq(col(&s, SS_COL_SERV), "ssh");
	/* 57000 is dircproxy in /etc/services but inside the range */
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "57000");
	view.eph_lo = 60000;
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "dircproxy");
	s.netid = NETID_UDP;
	s.sport = 5353;
	ck_assert_str_eq(col(&s, SS_COL_SERV), "mdns");
	view.numeric = true;
	ck_assert_str_eq(col(&s, SS_COL_SERV), "5353");
}
END_TEST

START_TEST(fmt__raw_port_is_the_ip_protocol)
{
	struct sock_rec s = tcp4("0.0.0.0", 1, "0.0.0.0", 0);

	s.netid = NETID_RAW;
	view.numeric = false;
	ck_assert_str_eq(col(&s, SS_COL_SERV), "icmp");
	s.sport = 253;
	ck_assert_str_eq(col(&s, SS_COL_SERV), "ipproto-253");
}
END_TEST

START_TEST(fmt__timer_boundaries)
{
	static const struct {
		uint32_t ms;
		const char *text;
	} c[] = {
		{ 0, "" }, { 16, "016ms" }, { 999, "999ms" }, { 1000, "1sec" },
		{ 3944, "3.944sec" }, { 9999, "9.999sec" }, { 10000, "10sec" },
		{ 10500, "10sec" }, { 59999, "59sec" }, { 60000, "1min" },
		{ 61500, "1min1sec" }, { 572000, "9min32sec" },
		{ 599999, "9min59sec" }, { 600000, "10min" },
		{ 7180950, "119min" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ss_fmt_timer(buf, c[i].ms);
		ck_assert_msg(!strcmp(buf, c[i].text), "%u ms: got '%s' want '%s'",
			      c[i].ms, buf, c[i].text);
	}
}
END_TEST

START_TEST(fmt__timer_token_and_extended_details)
{
	struct sock_rec s = tcp4("127.0.0.1", 50486, "127.0.0.1", 9093);

	view.timers = true;
	view.extended = true;
	s.timer = 2;
	s.expires_ms = 572000;
	s.uid = 1000;
	s.inode = 19744;
	s.cookie = 0x1010;
	s.has_mark = true;
	s.mark = 42;
	s.has_shutdown = true;
	s.shutdown = 1;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 " timer:(keepalive,9min32sec,0) uid:1000 ino:19744"
			 " sk:1010 fwmark:0x2a -->");
	s.timer = 5;  /* delack: 6.1 does not know it */
	s.expires_ms = 40;
	s.retrans = 3;
	s.uid = 0;
	s.has_mark = false;
	s.shutdown = 2;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 " timer:(unknown,040ms,3) ino:19744 sk:1010 <--");
}
END_TEST

START_TEST(fmt__cgroup_path_and_v6only_with_extended)
{
	struct sock_rec s = tcp6("::", 8443, "::", 0);
	struct ss_row row = { .sock = &s, .cgroup_path = "unreachable:1" };

	view.extended = true;
	s.has_cgroup = true;
	s.cgroup_id = 1;
	s.has_v6only = true;
	s.v6only = 1;
	s.inode = 7;
	s.cookie = 0x102a;
	s.has_shutdown = true;
	ss_fmt_row(&fmt, &row);
	fmt.f[SS_COL_PROC].buf[fmt.f[SS_COL_PROC].len] = '\0';
	ck_assert_str_eq(fmt.f[SS_COL_PROC].buf,
			 " ino:7 sk:102a cgroup:unreachable:1 v6only:1 <->");
}
END_TEST

START_TEST(fmt__users_list_with_and_without_threads)
{
	struct sock_rec s = tcp4("0.0.0.0", 9600, "0.0.0.0", 0);
	struct sock_owner o[2] = {
		{ "python3", 19550, 19551, 3, NULL },
		{ "a-very-long-nam", 7, 7, 22, NULL },
	};
	struct ss_row row = { .sock = &s, .owners = o, .n_owners = 2 };

	s.inode = 5;
	view.show_proc = true;
	ss_fmt_row(&fmt, &row);
	fmt.f[SS_COL_PROC].buf[fmt.f[SS_COL_PROC].len] = '\0';
	ck_assert_str_eq(fmt.f[SS_COL_PROC].buf,
			 " users:((\"python3\",pid=19550,fd=3),"
			 "(\"a-very-long-nam\",pid=7,fd=22))");
	view.show_threads = true;
	row.n_owners = 1;
	ss_fmt_row(&fmt, &row);
	fmt.f[SS_COL_PROC].buf[fmt.f[SS_COL_PROC].len] = '\0';
	ck_assert_str_eq(fmt.f[SS_COL_PROC].buf,
			 " users:((\"python3\",pid=19550,tid=19551,fd=3))");
	/* a socket still in the accept queue has no file, so no owner */
	s.inode = 0;
	ss_fmt_row(&fmt, &row);
	ck_assert_uint_eq(fmt.f[SS_COL_PROC].len, 0);
}
END_TEST

START_TEST(fmt__rates_use_powers_of_1000_or_raw_with_numeric)
{
	char buf[64];

	ss_fmt_bw(buf, 6660081.0, false);
	ck_assert_str_eq(buf, "6.66M");
	ss_fmt_bw(buf, 163840000000.0, false);
	ck_assert_str_eq(buf, "164G");
	ss_fmt_bw(buf, 999.0, false);
	ck_assert_str_eq(buf, "999");
	ss_fmt_bw(buf, 1000.0, false);
	ck_assert_str_eq(buf, "1k");
	ss_fmt_bw(buf, 2.5e12, false);
	ck_assert_str_eq(buf, "2.5T");
	ss_fmt_bw(buf, 109226666666.6667, true);
	ck_assert_str_eq(buf, "109226666667");
	ss_fmt_bw(buf, 2.5, true);   /* %.0f: ties to even */
	ck_assert_str_eq(buf, "2");
}
END_TEST

START_TEST(fmt__milliseconds_like_percent_g)
{
	static const struct {
		uint32_t us;
		const char *text;
	} c[] = {
		{ 16, "0.016" }, { 8, "0.008" }, { 204000, "204" },
		{ 38265, "38.265" }, { 870, "0.87" }, { 4500, "4.5" },
		{ 999999, "999.999" }, { 1234567, "1234.57" },
		{ 4294967295u, "4.29497e+06" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ss_fmt_usec_ms(buf, c[i].us);
		ck_assert_msg(!strcmp(buf, c[i].text), "%u us: got '%s'",
			      c[i].us, buf);
	}
}
END_TEST

START_TEST(fmt__tcp_info_tokens_and_order)
{
	struct sock_rec s = tcp4("10.9.0.1", 46386, "10.9.0.2", 7001);
	struct tcp_info ti;

	memset(&ti, 0, sizeof(ti));
	ti.tcpi_options = TCPI_OPT_WSCALE | TCPI_OPT_SACK | TCPI_OPT_TIMESTAMPS;
	ti.tcpi_snd_wscale = 10;
	ti.tcpi_rcv_wscale = 7;
	ti.tcpi_rto = 240000;
	ti.tcpi_backoff = 6;
	ti.tcpi_rtt = 38265;
	ti.tcpi_rttvar = 12852;
	ti.tcpi_snd_mss = 1448;
	ti.tcpi_snd_cwnd = 22;
	ti.tcpi_snd_ssthresh = 0xFFFF;  /* "infinite": not printed */
	ti.tcpi_reordering = 3;          /* the default: not printed */
	ti.tcpi_busy_time = 27636000;
	ti.tcpi_rwnd_limited = 27144000;
	ti.tcpi_sacked = 5;
	ti.tcpi_snd_wnd = 8957952;
	s.tcpi = (const uint8_t *)&ti;
	s.tcpi_len = sizeof(ti);
	s.has_cong = true;
	strcpy(s.cong, "bbr");
	view.info = true;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 "\n\t bbr wscale:10,7 rto:240 backoff:6 rtt:38.265/12.852"
			 " mss:1448 cwnd:22 send 6660081bps busy:27636ms"
			 " rwnd_limited:27144ms(98.2%) sacked:5 snd_wnd:8957952");
	/* -o adds the option flags; -O keeps it on one line */
	view.timers = true;
	view.oneline = true;
	s.state = SS_LISTEN;  /* tcpi_sacked is the backlog there */
	ti.tcpi_busy_time = 0;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 " ts sack bbr wscale:10,7 rto:240 backoff:6"
			 " rtt:38.265/12.852 mss:1448 cwnd:22 send 6660081bps"
			 " snd_wnd:8957952");
}
END_TEST

/* md5keys after tcp_info, before the ULP, as ss; the key never shows. */
START_TEST(fmt__md5keys_without_the_key)
{
	struct sock_rec s = tcp4("127.0.0.1", 9090, "0.0.0.0", 0);
	struct tcp_diag_md5sig sig[2];

	memset(sig, 0, sizeof(sig));
	sig[0].tcpm_family = AF_INET;
	sig[0].tcpm_prefixlen = 8;
	sig[0].tcpm_keylen = 6;
	inet_pton(AF_INET, "10.0.0.0", sig[0].tcpm_addr);
	memcpy(sig[0].tcpm_key, "secret", 6);
	sig[1].tcpm_family = AF_INET6;
	sig[1].tcpm_prefixlen = 128;
	inet_pton(AF_INET6, "::1", sig[1].tcpm_addr);
	s.state = SS_LISTEN;
	s.md5sig = (const uint8_t *)sig;
	s.md5sig_len = sizeof(sig);
	s.has_cong = true;
	strcpy(s.cong, "bbr");
	s.has_ulp = true;
	strcpy(s.ulp, "tls");
	view.info = true;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 "\n\t md5keys:10.0.0.0/8=,::1/128= tcp-ulp-tls");
	view.info = false;
	ck_assert_str_eq(col(&s, SS_COL_PROC), "");
}
END_TEST

/* ss 6.1's mptcp_subflow_info(): letters, token pair, hex numbers. */
START_TEST(fmt__mptcp_subflow_after_the_ulp_name)
{
	struct sock_rec s = tcp4("127.0.0.1", 7373, "127.0.0.1", 51200);
	static const unsigned attrs[] = {
		MPTCP_SUBFLOW_ATTR_TOKEN_REM, MPTCP_SUBFLOW_ATTR_TOKEN_LOC,
		MPTCP_SUBFLOW_ATTR_ID_REM, MPTCP_SUBFLOW_ATTR_ID_LOC,
		MPTCP_SUBFLOW_ATTR_MAP_SEQ, MPTCP_SUBFLOW_ATTR_MAP_SFSEQ,
		MPTCP_SUBFLOW_ATTR_SSN_OFFSET, MPTCP_SUBFLOW_ATTR_MAP_DATALEN,
		MPTCP_SUBFLOW_ATTR_FLAGS,
	};

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		s.mptcp_sf.present |= (uint16_t)(1u << attrs[i]);
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_TOKEN_LOC] = 0x236de16f;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_ID_REM] = 1;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_MAP_SEQ] = 0xee8047c74ec3cc0dull;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ] = 1;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_SSN_OFFSET] = 0xdc38a7ee;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_MAP_DATALEN] = 0x40;
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_FLAGS] = 0x1c3;   /* M m e c v */
	s.has_ulp = true;
	strcpy(s.ulp, "mptcp");
	view.info = true;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 "\n\t tcp-ulp-mptcp flags:Mmecv token:0000(id:1)/236de16f(id:0)"
			 " seq:ee8047c74ec3cc0d sfseq:1 ssnoff:dc38a7ee maplen:40");
	/* No token without all four of its attributes; no flags when 0. */
	s.mptcp_sf.present &= (uint16_t)~(1u << MPTCP_SUBFLOW_ATTR_ID_LOC);
	s.mptcp_sf.val[MPTCP_SUBFLOW_ATTR_FLAGS] = 0;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 "\n\t tcp-ulp-mptcp seq:ee8047c74ec3cc0d sfseq:1 ssnoff:dc38a7ee maplen:40");
}
END_TEST

START_TEST(fmt__udp_gets_no_info_line_but_raw_does)
{
	struct sock_rec s = tcp4("0.0.0.0", 5353, "0.0.0.0", 0);

	view.info = true;
	s.netid = NETID_UDP;
	ck_assert_str_eq(col(&s, SS_COL_PROC), "");
	s.netid = NETID_RAW;
	ck_assert_str_eq(col(&s, SS_COL_PROC), "\n\t");
	view.info = false;
	view.mem = true;
	s.netid = NETID_UDP;
	s.has_skmem = true;
	s.skmem[SK_MEMINFO_RMEM_ALLOC] = 2496;
	s.skmem[SK_MEMINFO_RCVBUF] = 212992;
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 "\n\t skmem:(r2496,rb212992,t0,tb0,f0,w0,o0,bl0,d0)");
	s.skmem_n = 7;  /* an old kernel: no backlog, no drops */
	ck_assert_str_eq(col(&s, SS_COL_PROC),
			 "\n\t skmem:(r2496,rb212992,t0,tb0,f0,w0,o0)");
}
END_TEST

START_TEST(fmt__tos_uses_hash_x)
{
	struct sock_rec s = tcp4("1.1.1.1", 1, "2.2.2.2", 2);

	view.tos = true;
	s.has_tos = true;
	s.has_class_id = true;
	ck_assert_str_eq(col(&s, SS_COL_PROC), " tos:0 class_id:0");
	s.tos = 0x10;
	ck_assert_str_eq(col(&s, SS_COL_PROC), " tos:0x10 class_id:0");
}
END_TEST

START_TEST(fmt__unix_rows)
{
	static const char path[] = "/run/demo/u.sock";
	static const char abstract[] = "\0ssw\0x";
	struct sock_rec s;

	memset(&s, 0, sizeof(s));
	s.family = AF_UNIX;
	s.netid = NETID_U_STR;
	s.state = SS_LISTEN;
	s.inode = 19712;
	s.u.un.path = path;
	s.u.un.path_len = sizeof(path);  /* with the kernel's trailing NUL */
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "/run/demo/u.sock ");
	ck_assert_str_eq(col(&s, SS_COL_SERV), "19712");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "* ");
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "0");
	s.u.un.path = abstract;
	s.u.un.path_len = sizeof(abstract) - 1;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "@ssw@x ");
	s.u.un.path_len = 0;
	s.u.un.peer_ino = 19716;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "* ");
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "19716");
	ck_assert_str_eq(col(&s, SS_COL_NETID), "u_str");
}
END_TEST

START_TEST(fmt__netlink_rows_name_the_owner)
{
	struct sock_rec s;

	memset(&s, 0, sizeof(s));
	s.family = AF_NETLINK;
	s.netid = NETID_NL;
	s.state = SS_CLOSE;
	s.u.nl.protocol = 4;
	s.u.nl.portid = 7528;
	s.u.nl.has_comm = true;
	strcpy(s.u.nl.comm, "ss");
	view.numeric = false;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "tcpdiag:");
	ck_assert_str_eq(col(&s, SS_COL_SERV), "ss/7528");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "*");
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "");
	ck_assert(fmt.f[SS_COL_RSERV].touched);
	s.u.nl.portid = 0;
	ck_assert_str_eq(col(&s, SS_COL_SERV), "kernel");
	s.u.nl.portid = (uint32_t)-4123;  /* autobind ids are negative */
	ck_assert_str_eq(col(&s, SS_COL_SERV), "-4123");
	view.numeric = true;
	s.u.nl.portid = 0;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "4:");
	ck_assert_str_eq(col(&s, SS_COL_SERV), "0");
	s.u.nl.connected = true;
	s.u.nl.dst_group = 1;
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "1:");
	ck_assert_str_eq(col(&s, SS_COL_RSERV), "0");
}
END_TEST

START_TEST(fmt__packet_rows)
{
	struct sock_rec s;

	memset(&s, 0, sizeof(s));
	s.family = AF_PACKET;
	s.netid = NETID_P_RAW;
	s.state = SS_CLOSE;
	s.u.pk.proto = 0x0800;
	view.numeric = false;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "ip:");
	ck_assert_str_eq(col(&s, SS_COL_SERV), "*");
	view.numeric = true;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "[2048]:");
	s.u.pk.proto = 3;
	s.u.pk.ifindex = 1;
	ck_assert_str_eq(col(&s, SS_COL_ADDR), "*:");
	ck_assert_str_eq(col(&s, SS_COL_SERV), "lo");
	ck_assert_str_eq(col(&s, SS_COL_RADDR), "*");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ss_fmt");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fmt__ipv4_address_owns_the_colon_and_port_is_separate);
	tcase_add_test(tc, fmt__port_zero_is_a_star);
	tcase_add_test(tc, fmt__ipv6_is_bracketed_and_v4_mapped_kept);
	tcase_add_test(tc, fmt__ipv6_any_is_star_unless_v6only);
	tcase_add_test(tc, fmt__bound_device_is_appended_to_the_local_address);
	tcase_add_test(tc, fmt__queues_are_left_justified_to_six_and_widen);
	tcase_add_test(tc, fmt__service_names_unless_numeric_or_ephemeral);
	tcase_add_test(tc, fmt__raw_port_is_the_ip_protocol);
	tcase_add_test(tc, fmt__timer_boundaries);
	tcase_add_test(tc, fmt__timer_token_and_extended_details);
	tcase_add_test(tc, fmt__cgroup_path_and_v6only_with_extended);
	tcase_add_test(tc, fmt__users_list_with_and_without_threads);
	tcase_add_test(tc, fmt__rates_use_powers_of_1000_or_raw_with_numeric);
	tcase_add_test(tc, fmt__milliseconds_like_percent_g);
	tcase_add_test(tc, fmt__tcp_info_tokens_and_order);
	tcase_add_test(tc, fmt__udp_gets_no_info_line_but_raw_does);
	tcase_add_test(tc, fmt__md5keys_without_the_key);
	tcase_add_test(tc, fmt__mptcp_subflow_after_the_ulp_name);
	tcase_add_test(tc, fmt__tos_uses_hash_x);
	tcase_add_test(tc, fmt__unix_rows);
	tcase_add_test(tc, fmt__netlink_rows_name_the_owner);
	tcase_add_test(tc, fmt__packet_rows);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
