// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static struct s_dest *dest(struct sample *s, const char *src, const char *dst, uint16_t port,
			   uint32_t tw, uint32_t est, uint32_t syn)
{
	struct s_dest *d = &s->dests[s->n_dests++];
	int fam = strchr(dst, ':') ? AF_INET6 : AF_INET;

	memset(d, 0, sizeof(*d));
	d->family = (uint8_t)fam;
	inet_pton(fam, src, d->saddr);
	inet_pton(fam, dst, d->daddr);
	d->dport = port;
	d->time_wait = tw;
	d->established = est;
	d->syn_sent = syn;
	d->total = tw + est + syn;
	return d;
}

/* n samples, the same destination in each; the default range has 28,232 ports. */
static struct fx *run(unsigned n, uint32_t tw, uint32_t est, uint32_t syn)
{
	struct fx *f = fx_new(n, 1.0);

	for (unsigned i = 0; i < n; i++)
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 5432, tw, est, syn);
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	return f;
}

static void set_all(struct fx *f, enum sysctl_id id, int64_t v)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		fx_sysctl(f->s[i], id, 1, v);
}

START_TEST(eph__warning_at_70_percent)
{
	/* 70% of 28,232 = 19,762.4 */
	struct fx *f = run(3, 10000, 9763, 0);

	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_int_eq(f->out.f[0].side, SIDE_APP);
	ck_assert_str_eq(f->out.f[0].subject, "destination 10.0.0.2:5432 from 10.0.0.1");
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation,
				     "connect() fails with EADDRNOTAVAIL and no counter records it"));
	fx_free(f);
	f = run(3, 10000, 9762, 0);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(eph__critical_at_90_percent_or_syn_sent_pile)
{
	/* 90% of 28,232 = 25,408.8 */
	struct fx *f = run(3, 15000, 10409, 0);

	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	fx_free(f);
	f = run(3, 15000, 10408, 0);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	fx_free(f);
	/* 5% of 28,232 = 1,411.6 stuck in SYN-SENT at 75% */
	f = run(3, 15000, 4762, 1412);
	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "1,412 are in SYN-SENT"));
	fx_free(f);
	f = run(3, 15000, 4763, 1411);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_ptr_null(strstr(f->out.f[0].explanation, "SYN-SENT:"));
	fx_free(f);
}
END_TEST

START_TEST(eph__exact_evidence_and_changes_app_first)
{
	struct fx *f = run(3, 20000, 3000, 0);
	const struct finding *x = &f->out.f[0];

	ck_assert_str_eq(x->evidence[0], "ss -tan 'src 10.0.0.1 and dst 10.0.0.2:5432': 23,000 "
			 "sockets (TIME-WAIT 20,000, ESTAB 3,000, SYN-SENT 0, other 0), 81% of "
			 "28,232 usable local ports");
	ck_assert_str_eq(x->evidence[1], "sockets to that destination: 23,000 -> 23,000 -> "
			 "23,000 in 3 samples over 2.0 s");
	ck_assert_str_eq(x->evidence[2], "sysctl net.ipv4.ip_local_port_range: 32768 60999 "
			 "(28,232 ports), 0 of them in net.ipv4.ip_local_reserved_ports");
	ck_assert_str_eq(x->evidence[3], "sysctl net.ipv4.tcp_tw_reuse: 2 (this destination's "
			 "TIME-WAIT cannot be reused)");
	ck_assert_uint_eq(x->n_changes, 2);
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.ip_local_port_range");
	ck_assert_str_eq(x->changes[0].current, "32768 60999");
	ck_assert_str_eq(x->changes[0].proposed, "10240 65535");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.ipv4.ip_local_port_range='32768 60999'");
	ck_assert_str_eq(x->changes[0].effective, "immediately, for new connect() calls; existing "
			 "connections keep their ports; add it to /etc/sysctl.d/ to survive a reboot");
	/* TIME-WAIT is 87% and reuse=2 does not cover 10.0.0.2: propose 1. */
	ck_assert_str_eq(x->changes[1].setting, "net.ipv4.tcp_tw_reuse");
	ck_assert_str_eq(x->changes[1].current, "2");
	ck_assert_str_eq(x->changes[1].proposed, "1");
	ck_assert_str_eq(x->changes[1].backout, "sysctl -w net.ipv4.tcp_tw_reuse=2");
	ck_assert_str_eq(x->verify_command, "ss -tan 'src 10.0.0.1 and dst 10.0.0.2:5432' | "
			 "tail -n +2 | wc -l");
	ck_assert_str_eq(x->fixed_when, "the count stays below 19,762 (70% of 28,232 usable "
			 "ports) and the app logs no EADDRNOTAVAIL (Cannot assign requested address)");
	/* The app fix comes before the kernel one. */
	ck_assert_ptr_nonnull(strstr(x->explanation, "Fix the app first"));
	ck_assert(strstr(x->explanation, "Fix the app first") < strstr(x->explanation, "widen"));
	fx_free(f);

	/* Mostly ESTABLISHED: tcp_tw_reuse would not help, so it is not proposed. */
	f = run(3, 5000, 18000, 0);
	ck_assert_uint_eq(f->out.f[0].n_changes, 1);
	ck_assert_str_eq(f->out.f[0].changes[0].setting, "net.ipv4.ip_local_port_range");
	fx_free(f);
}
END_TEST

START_TEST(eph__one_sample_gauge_without_tuning)
{
	struct fx *f = run(1, 20000, 6000, 0);

	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);   /* 92%: a gauge needs no trend */
	ck_assert_uint_eq(f->out.f[0].n_changes, 0);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "no kernel change is proposed"));
	ck_assert_uint_eq(f->out.f[0].n_evidence, 3);            /* no trend line */
	fx_free(f);
}
END_TEST

START_TEST(eph__per_destination_not_host_wide)
{
	struct fx *f = fx_new(3, 1.0);

	/* 28,000 tuples host-wide, but split over two destinations: no pressure. */
	for (unsigned i = 0; i < 3; i++) {
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 5432, 14000, 0, 0);
		dest(f->s[i], "10.0.0.1", "10.0.0.3", 5432, 14000, 0, 0);
	}
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(eph__tw_reuse_makes_time_wait_harmless)
{
	struct fx *f = fx_new(3, 1.0);

	/* 85% in tuples, but 75% of them reusable TIME-WAIT under reuse=1. */
	for (unsigned i = 0; i < 3; i++)
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 5432, 21000, 3000, 0);
	set_all(f, SYSCTL_TCP_TW_REUSE, 1);
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NONE);
	ck_assert_uint_eq(f->out.f[0].n_changes, 0);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "Only 3,000 (10%) really hold a port"));
	fx_free(f);

	/* reuse=2 covers loopback destinations only. */
	f = fx_new(3, 1.0);
	for (unsigned i = 0; i < 3; i++)
		dest(f->s[i], "127.0.0.1", "127.0.0.1", 6379, 21000, 3000, 0);
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NONE);
	fx_free(f);

	/* reuse=0: blocked for the full 60 s; propose 1, back out to 0. */
	f = fx_new(3, 1.0);
	for (unsigned i = 0; i < 3; i++)
		dest(f->s[i], "127.0.0.1", "127.0.0.1", 6379, 21000, 3000, 0);
	set_all(f, SYSCTL_TCP_TW_REUSE, 0);
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_int_eq(f->out.f[0].side, SIDE_APP);
	ck_assert_str_eq(f->out.f[0].changes[1].backout, "sysctl -w net.ipv4.tcp_tw_reuse=0");
	fx_free(f);
}
END_TEST

START_TEST(eph__reserved_ports_shrink_the_budget)
{
	struct fx *f = fx_new(3, 1.0);

	/* 5,000 reserved leave 23,232: 70% is 16,262.4. Without them 16,263 is 57%. */
	for (unsigned i = 0; i < 3; i++) {
		snprintf(f->s[i]->sysctl.val[SYSCTL_IP_LOCAL_RESERVED_PORTS].text,
			 SYSCTL_TEXT_MAX, "40000-44999");
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 80, 0, 16263, 0);
	}
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_str_eq(f->out.f[0].evidence[2], "sysctl net.ipv4.ip_local_port_range: 32768 "
			 "60999 (28,232 ports), 5,000 of them in net.ipv4.ip_local_reserved_ports");
	fx_free(f);

	f = fx_new(3, 1.0);
	for (unsigned i = 0; i < 3; i++) {
		snprintf(f->s[i]->sysctl.val[SYSCTL_IP_LOCAL_RESERVED_PORTS].text,
			 SYSCTL_TEXT_MAX, "40000-44999");
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 80, 0, 16262, 0);
	}
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(eph__wide_range_and_listener_caveats)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		fx_sysctl(f->s[i], SYSCTL_IP_LOCAL_PORT_RANGE, 2, (int64_t)1024, (int64_t)65535);
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 80, 0, 60000, 0);
	}
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	/* Already as wide as it goes: only the app can fix it. */
	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	ck_assert_uint_eq(f->out.f[0].n_changes, 0);
	ck_assert_ptr_null(strstr(f->out.f[0].explanation, "widen"));
	fx_free(f);

	f = fx_new(3, 1.0);
	for (unsigned i = 0; i < 3; i++)
		dest(f->s[i], "10.0.0.1", "10.0.0.2", 80, 0, 21000, 0);
	fx_listener(f, 2, "0.0.0.0", 11211, 0, 4096);   /* below 32768: in the new range */
	fx_listener(f, 2, "0.0.0.0", 40000, 0, 4096);   /* inside the current range */
	fx_listener(f, 2, "0.0.0.0", 8080, 0, 4096);    /* outside both */
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation,
				     "listeners now on 11211 fall inside the new range"));
	ck_assert_str_eq(f->out.f[0].evidence[4], "ss -ltn: 1 listening ports inside the range "
			 "(40000); connect() skips them");
	fx_free(f);
}
END_TEST

START_TEST(eph__ipv6_worst_case_text_fits)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		dest(f->s[i], "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
		     "2001:db8:1111:2222:3333:4444:5555:6666", 65535, 20000, 3000, 5000);
		for (uint16_t p = 10240; p < 10250; p++)
			fx_listener(f, i, "::", p, 0, 4096);
	}
	rule_run(&rule_ephemeral_port_exhaustion, &f->ser, &f->opts, &f->out);
	ck_assert_uint_lt(strlen(f->out.f[0].explanation), sizeof(f->out.f[0].explanation) - 1);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "(2 covers only loopback)."));
	ck_assert_ptr_nonnull(strstr(f->out.f[0].verify_command,
				     "dst [2001:db8:1111:2222:3333:4444:5555:6666]:65535'"));
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_ports");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, eph__warning_at_70_percent);
	tcase_add_test(tc, eph__critical_at_90_percent_or_syn_sent_pile);
	tcase_add_test(tc, eph__exact_evidence_and_changes_app_first);
	tcase_add_test(tc, eph__one_sample_gauge_without_tuning);
	tcase_add_test(tc, eph__per_destination_not_host_wide);
	tcase_add_test(tc, eph__tw_reuse_makes_time_wait_harmless);
	tcase_add_test(tc, eph__reserved_ports_shrink_the_budget);
	tcase_add_test(tc, eph__wide_range_and_listener_caveats);
	tcase_add_test(tc, eph__ipv6_worst_case_text_fits);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
