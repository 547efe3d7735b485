// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "syn-queue-overflow"

/* Listener 0.0.0.0:8080 with Send-Q wq in every sample, syn[i] SYN-RECV
 * sockets on its port. */
static void port3(struct fx *f, uint32_t wq, const uint32_t syn[3])
{
	for (unsigned i = 0; i < f->ser.n; i++) {
		struct s_listener *l = fx_listener(f, i, "0.0.0.0", 8080, 0, wq);

		l->inode = 77;
		l->syn_recv = syn[i];
		f->s[i]->syn_recv_by_port[8080] = syn[i];
	}
}

static void syncookies(struct fx *f, int64_t v)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		fx_sysctl(f->s[i], SYSCTL_TCP_SYNCOOKIES, 1, v);
}

/* Counter from a in the first sample to b in the last. */
static void mib2(struct fx *f, const char *name, uint64_t a, uint64_t b)
{
	fx_mib(f, 0, name, a);
	fx_mib(f, f->ser.n - 1, name, b);
}

/* The SYN-queue counters of a 6.18 netns, all present. */
static void counters(struct fx *f, uint64_t drop, uint64_t cookies, uint64_t recv)
{
	mib2(f, "TcpExtTCPReqQFullDrop", 1000, 1000 + drop);
	mib2(f, "TcpExtTCPReqQFullDoCookies", 50, 50 + cookies);
	mib2(f, "TcpExtSyncookiesSent", 50, 50 + cookies);
	mib2(f, "TcpExtSyncookiesRecv", 7, 7 + recv);
	mib2(f, "TcpExtListenDrops", 1000, 1000 + drop);
}

static struct kevent *flood_line(struct fx *f, unsigned i, uint16_t port, enum kevent_action a,
				 int64_t ts_us)
{
	struct sample *s = f->s[i];
	struct kevent *e = &s->kevents[s->n_kevents++];

	s->have |= HAVE_KLOG;
	memset(e, 0, sizeof(*e));
	e->kind = KEV_SYN_FLOOD;
	e->action = a;
	e->port = port;
	e->has_addr = true;
	snprintf(e->addr, sizeof(e->addr), "0.0.0.0");
	e->ts_us = ts_us;
	return e;
}

static void run(struct fx *f)
{
	rule_run(&rule_syn_queue_overflow, &f->ser, &f->opts, &f->out);
}

static bool any_change_named(const struct fx *f, const char *name)
{
	for (unsigned k = 0; k < f->out.n; k++)
		for (unsigned c = 0; c < f->out.f[k].n_changes; c++)
			if (strstr(f->out.f[k].changes[c].setting, name))
				return true;
	return false;
}

static bool has_evidence(const struct finding *x, const char *line)
{
	for (unsigned i = 0; i < x->n_evidence; i++)
		if (!strcmp(x->evidence[i], line))
			return true;
	return false;
}

/* (a) The queue pinned at its limit, cookies sent and never answered. */
START_TEST(sq__flood_unanswered_is_network_warning)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 512, 512, 511 };
	const struct finding *x;

	port3(f, 511, syn);
	counters(f, 0, 1000, 0);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->subject, "listener 0.0.0.0:8080");
	ck_assert(has_evidence(x, "ss -Htn state syn-recv 'sport = :8080' | wc -l: up to 512, limit 512 (Send-Q 511 + 1), at the limit in 3 of 3 samples"));
	ck_assert(has_evidence(x, "TcpExtSyncookiesSent rose by 1,000 and TcpExtSyncookiesRecv by 0 in 2.0 s, "
				  "Recv counting the cookies that came back valid "
				  "(nstat -az TcpExtSyncookiesSent TcpExtSyncookiesRecv)"));
	ck_assert(strstr(x->explanation, "firewall"));
	ck_assert(strstr(x->explanation, "real clients still connect"));
	fx_free(f);
}
END_TEST

/* 90 % of the limit 512 is 460.8: 461 is at the limit, 460 is not. */
START_TEST(sq__near_limit_threshold)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t at[3] = { 461, 461, 461 }, below[3] = { 460, 460, 460 };

	port3(f, 511, at);
	counters(f, 0, 100, 0);
	run(f);
	ck_assert_ptr_nonnull(fx_find(f, ID));
	ck_assert_str_eq(fx_find(f, ID)->subject, "listener 0.0.0.0:8080");
	fx_free(f);

	/* Below the limit, counters quiet: nothing. */
	f = fx_new(3, 1.0);
	port3(f, 511, below);
	counters(f, 0, 0, 0);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);

	/* Below the limit with cookies rising: not this port (host level). */
	f = fx_new(3, 1.0);
	port3(f, 511, below);
	counters(f, 0, 100, 0);
	run(f);
	ck_assert_str_eq(fx_find(f, ID)->subject, "host (network namespace)");
	fx_free(f);

	/* At the limit but no counter moved: a momentary full queue. */
	f = fx_new(3, 1.0);
	port3(f, 511, at);
	counters(f, 0, 0, 0);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

/* (b) A tiny backlog, cookies come back: real traffic, app side. */
START_TEST(sq__small_backlog_answered_is_app)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 9, 9, 9 };
	const struct finding *x;

	port3(f, 8, syn);
	counters(f, 0, 27, 27);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert(strstr(x->explanation, "not a flood"));
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "listen() backlog (app config)");
	ck_assert_str_eq(x->changes[0].current, "8");
	ck_assert_str_eq(x->changes[0].proposed, "128");
	ck_assert(!any_change_named(f, "tcp_max_syn_backlog"));
	fx_free(f);
}
END_TEST

/* Backlog 128 is not small: answered cookies are still real traffic (app,
 * no backlog change), unanswered ones a flood (network). Backlog 127 with
 * nobody answering stays a flood. */
START_TEST(sq__small_backlog_threshold_and_answer_ratio)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t s128[3] = { 129, 129, 129 }, s127[3] = { 128, 128, 128 };
	const struct finding *x;

	port3(f, 128, s128);
	counters(f, 0, 100, 50);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);

	f = fx_new(3, 1.0);
	port3(f, 128, s128);
	counters(f, 0, 100, 49);
	run(f);
	ck_assert_int_eq(fx_find(f, ID)->side, SIDE_NETWORK);
	fx_free(f);

	f = fx_new(3, 1.0);
	port3(f, 127, s127);
	counters(f, 0, 100, 0);
	run(f);
	x = fx_find(f, ID);
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert(strstr(x->explanation, "Send-Q 127 is small too"));
	fx_free(f);

	f = fx_new(3, 1.0);
	port3(f, 127, s127);
	counters(f, 0, 100, 100);
	run(f);
	x = fx_find(f, ID);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 1);
	fx_free(f);
}
END_TEST

/* (c) Cookies off and SYNs dropped: kernel, critical, turn cookies on. */
START_TEST(sq__cookies_off_drops_is_kernel_critical)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 9, 9, 9 };
	const struct finding *x;

	syncookies(f, 0);
	port3(f, 8, syn);
	counters(f, 31, 0, 0);
	/* The log was readable in the first sample and had no such line yet. */
	f->s[0]->have |= HAVE_KLOG;
	flood_line(f, 2, 8080, KEV_ACT_DROPPING, 5000000);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert(has_evidence(x, "TcpExtTCPReqQFullDrop rose by 31 in 2.0 s, whole network namespace "
				  "(nstat -az TcpExtTCPReqQFullDrop)"));
	ck_assert(has_evidence(x, "sysctl net.ipv4.tcp_syncookies: 0"));
	ck_assert(has_evidence(x, "kernel log: Possible SYN flooding on port 0.0.0.0:8080 (Dropping request) at 5.0 s after boot, new while sampling (dmesg | grep -i 'SYN flooding')"));
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.tcp_syncookies");
	ck_assert_str_eq(x->changes[0].current, "0");
	ck_assert_str_eq(x->changes[0].proposed, "1");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.ipv4.tcp_syncookies=0");
	ck_assert_str_eq(x->changes[0].effective, "immediately, for new SYNs (this network namespace only)");
	ck_assert(strstr(x->explanation, "cookies are the fix"));
	ck_assert(!any_change_named(f, "tcp_max_syn_backlog"));
	fx_free(f);

	/* Same, no drops and SYN-RECV below the limit: nothing. */
	f = fx_new(3, 1.0);
	syncookies(f, 0);
	port3(f, 8, (const uint32_t[3]){ 3, 3, 3 });
	counters(f, 0, 0, 0);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

/* Cookies off, backlog 100, tcp_max_syn_backlog 16: the queue stops at 13
 * and the drops show only in ListenDrops (kernel-facts.md "SYN queue and syncookies"). */
START_TEST(sq__cookies_off_quarter_rule)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 13, 13, 13 };
	const struct finding *x;

	syncookies(f, 0);
	for (unsigned i = 0; i < 3; i++)
		fx_sysctl(f->s[i], SYSCTL_TCP_MAX_SYN_BACKLOG, 1, (int64_t)16);
	port3(f, 100, syn);
	counters(f, 0, 0, 0);
	mib2(f, "TcpExtListenDrops", 0, 27);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert(strstr(x->explanation, "minus a quarter"));
	ck_assert(has_evidence(x, "ss -Htn state syn-recv 'sport = :8080' | wc -l: up to 13, limit 13 (Send-Q 100 + 1, cut by tcp_max_syn_backlog), at the limit in 3 of 3 samples"));
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.tcp_syncookies");
	fx_free(f);
}
END_TEST

/* syncookies=2 counts every SYN as DoCookies and uses no queue: quiet.
 * The same counters with syncookies=1 are an overflow somewhere. */
START_TEST(sq__syncookies_2_docookies_alone_is_quiet)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 0, 0, 0 };
	const struct finding *x;

	syncookies(f, 2);
	port3(f, 511, syn);
	counters(f, 0, 40, 40);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);

	f = fx_new(3, 1.0);
	port3(f, 511, syn);
	counters(f, 0, 40, 0);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "host (network namespace)");
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	fx_free(f);
}
END_TEST

/* An old flood line with nothing moving is info; with the counters moving
 * and the queue at its limit it is a current finding. */
START_TEST(sq__old_log_line_is_info)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 2, 0, 1 };
	const struct finding *x;

	port3(f, 511, syn);
	counters(f, 0, 0, 0);
	for (unsigned i = 0; i < 3; i++)
		flood_line(f, i, 8080, KEV_ACT_COOKIES, 1234500000);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->subject, "kernel log (earlier or elsewhere)");
	ck_assert(has_evidence(x, "dmesg | grep -i 'SYN flooding': 1 line (0.0.0.0:8080), 0 while sampling"));
	fx_free(f);

	f = fx_new(3, 1.0);
	port3(f, 511, (const uint32_t[3]){ 512, 512, 512 });
	counters(f, 0, 300, 0);
	for (unsigned i = 0; i < 3; i++)
		flood_line(f, i, 8080, KEV_ACT_COOKIES, 1234500000);
	run(f);
	x = fx_find(f, ID);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	fx_free(f);
}
END_TEST

START_TEST(sq__one_sample_reports_without_change)
{
	struct fx *f = fx_new(1, 1.0);
	struct s_listener *l = fx_listener(f, 0, "0.0.0.0", 8080, 0, 8);
	const struct finding *x;

	fx_sysctl(f->s[0], SYSCTL_TCP_SYNCOOKIES, 1, (int64_t)0);
	l->syn_recv = 9;
	f->s[0]->syn_recv_by_port[8080] = 9;
	fx_mib(f, 0, "TcpExtTCPReqQFullDrop", 500);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(strstr(x->explanation, "could not be confirmed"));
	/* The exact command for a second look, in the text and under Verify. */
	ck_assert(strstr(x->explanation, "sockvet --port 8080 (without --once"));
	ck_assert(strstr(x->verify_command, "; sockvet --port 8080"));
	fx_free(f);
}
END_TEST

/* A full accept queue holds completing handshakes back (kernel-facts.md "Full accept queue"); their
 * SYN-RECV belongs to the accept-queue rule. */
START_TEST(sq__accept_queue_full_is_not_syn_queue)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 9, 9, 9 };

	port3(f, 8, syn);
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->listeners[0].rq = 9;
	counters(f, 0, 0, 0);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	/* Even with cookies counted, the port is not blamed for its SYN queue. */
	counters(f, 0, 20, 0);
	f->out.n = 0;
	run(f);
	for (unsigned k = 0; k < f->out.n; k++)
		ck_assert_str_eq(f->out.f[k].subject, "host (network namespace)");
	fx_free(f);
}
END_TEST

/* The accept queue full in one sample is enough to leave the port to the
 * accept-queue rule, even when SYN-RECV is at the limit in the others
 * (observed: cookies sent and all answered while the accept queue
 * overflowed); answered cookies with ListenOverflows rising are not
 * reported at host level either. */
START_TEST(sq__accept_full_in_any_sample_defers)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 0, 17, 17 };

	port3(f, 16, syn);
	f->s[0]->listeners[0].rq = 17;
	counters(f, 0, 451, 451);
	mib2(f, "TcpExtListenOverflows", 0, 4336);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

/* A small backlog that is already somaxconn: no backlog-only change. */
START_TEST(sq__small_backlog_capped_by_somaxconn_no_change)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 17, 17, 17 };
	const struct finding *x;

	for (unsigned i = 0; i < 3; i++)
		fx_sysctl(f->s[i], SYSCTL_SOMAXCONN, 1, (int64_t)16);
	port3(f, 16, syn);
	counters(f, 0, 30, 30);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(strstr(x->explanation, "somaxconn raised too"));
	fx_free(f);
}
END_TEST

/* v4 and v6 listeners on one port share the SYN-RECV count: the limit is
 * the sum of both queues. */
START_TEST(sq__dual_stack_port_limit_is_summed)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	for (unsigned i = 0; i < 3; i++) {
		fx_listener(f, i, "0.0.0.0", 8080, 0, 8)->inode = 1;
		fx_listener(f, i, "::", 8080, 0, 8)->inode = 2;
		f->s[i]->syn_recv_by_port[8080] = 9;
	}
	counters(f, 0, 10, 0);
	run(f);
	x = fx_find(f, ID);
	/* 9 of 18 is not at the limit: only the host-level finding. */
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "host (network namespace)");
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->syn_recv_by_port[8080] = 18;
	f->out.n = 0;
	run(f);
	ck_assert_str_eq(fx_find(f, ID)->subject, "listeners on port 8080 (2 sockets)");
	fx_free(f);
}
END_TEST

/*
 * Live triage reads the kernel log in the last sample only. A flood line
 * stamped after the first sample was taken is new while sampling; before
 * the fix nothing read live was ever "new" (the first sample has no log),
 * so a port whose line is new, with cookies rising but not caught at the
 * limit, was reported only as an unnamed host-wide overflow.
 */
START_TEST(sq__log_in_last_sample_only_tells_new_lines_by_time)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t syn[3] = { 3, 3, 3 };
	const struct finding *x;

	for (unsigned i = 0; i < 3; i++)
		f->s[i]->meta.mono_ns = (int64_t)(100 + i) * 1000000000LL;
	port3(f, 128, syn);
	counters(f, 0, 100, 100);
	flood_line(f, 2, 8080, KEV_ACT_COOKIES, 100500000);
	ck_assert(!(f->s[0]->have & HAVE_KLOG));
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "listener 0.0.0.0:8080");
	ck_assert(has_evidence(x, "kernel log: Possible SYN flooding on port 0.0.0.0:8080 (Sending cookies) at 100.5 s after boot, new while sampling (dmesg | grep -i 'SYN flooding')"));
	fx_free(f);

	/* Stamped before the first sample: old, so the port is not named. */
	f = fx_new(3, 1.0);
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->meta.mono_ns = (int64_t)(100 + i) * 1000000000LL;
	port3(f, 128, syn);
	counters(f, 0, 100, 100);
	flood_line(f, 2, 8080, KEV_ACT_COOKIES, 50000000);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "host (network namespace)");
	/* ... and the old line is one short note. */
	ck_assert_uint_eq(f->out.n, 2);
	ck_assert_str_eq(f->out.f[1].subject, "kernel log (earlier or elsewhere)");
	ck_assert_int_eq(f->out.f[1].severity, SEV_INFO);
	fx_free(f);
}
END_TEST

/*
 * Kernel-log lines are matched by address, port and time: old lines from
 * other namespaces on the same port, however many, are one info line; a
 * new line on another address is not this listener's.
 */
START_TEST(sq__foreign_and_old_lines_grouped)
{
	struct fx *f = fx_new(3, 1.0);
	struct kevent *e;

	for (unsigned i = 0; i < 3; i++) {
		f->s[i]->meta.mono_ns = (int64_t)(100 + i) * 1000000000LL;
		fx_listener(f, i, "0.0.0.0", 8443, 0, 4096);
	}
	counters(f, 0, 0, 0);
	flood_line(f, 2, 8443, KEV_ACT_COOKIES, 10000000);
	flood_line(f, 2, 8444, KEV_ACT_DROPPING, 20000000);
	flood_line(f, 2, 8443, KEV_ACT_COOKIES, 30000000);
	e = flood_line(f, 2, 8443, KEV_ACT_COOKIES, 101500000);
	snprintf(e->addr, sizeof(e->addr), "10.1.2.3");
	run(f);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_str_eq(f->out.f[0].subject, "kernel log (earlier or elsewhere)");
	ck_assert(has_evidence(&f->out.f[0], "dmesg | grep -i 'SYN flooding': 4 lines (0.0.0.0:8443, 0.0.0.0:8444, 10.1.2.3:8443), 1 while sampling"));
	fx_free(f);
}
END_TEST

/* The same new line on the listener's own address, cookies moving: the
 * listener's finding carries it, and no note is added. */
START_TEST(sq__new_line_on_own_address_attached)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		f->s[i]->meta.mono_ns = (int64_t)(100 + i) * 1000000000LL;
		fx_listener(f, i, "10.1.2.3", 8443, 0, 128);
		f->s[i]->syn_recv_by_port[8443] = 3;
	}
	counters(f, 0, 100, 100);
	snprintf(flood_line(f, 2, 8443, KEV_ACT_COOKIES, 101500000)->addr, 48, "10.1.2.3");
	run(f);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_str_eq(f->out.f[0].subject, "listener 10.1.2.3:8443");
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_syn_queue");
	TCase *t = tcase_create("core");

	tcase_add_test(t, sq__flood_unanswered_is_network_warning);
	tcase_add_test(t, sq__near_limit_threshold);
	tcase_add_test(t, sq__small_backlog_answered_is_app);
	tcase_add_test(t, sq__small_backlog_threshold_and_answer_ratio);
	tcase_add_test(t, sq__cookies_off_drops_is_kernel_critical);
	tcase_add_test(t, sq__cookies_off_quarter_rule);
	tcase_add_test(t, sq__syncookies_2_docookies_alone_is_quiet);
	tcase_add_test(t, sq__old_log_line_is_info);
	tcase_add_test(t, sq__foreign_and_old_lines_grouped);
	tcase_add_test(t, sq__new_line_on_own_address_attached);
	tcase_add_test(t, sq__one_sample_reports_without_change);
	tcase_add_test(t, sq__accept_queue_full_is_not_syn_queue);
	tcase_add_test(t, sq__dual_stack_port_limit_is_summed);
	tcase_add_test(t, sq__accept_full_in_any_sample_defers);
	tcase_add_test(t, sq__small_backlog_capped_by_somaxconn_no_change);
	tcase_add_test(t, sq__log_in_last_sample_only_tells_new_lines_by_time);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
