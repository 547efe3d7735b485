// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * src/filter/filter_bytecode.c: the programs it writes pass the kernel's
 * audit and, run as the kernel runs them (bc_ref.h), accept exactly what
 * the user-space matcher accepts; with an extension inside, at least
 * that. Plus the exact bytes of the basic shapes and the longest programs.
 * The real kernel runs them in t20/t21 against ss.
 */
#include "tap_check.h"
#include "bc_ref.h"
#include "../../src/filter/filter.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct filter fx_f;
static struct filter_bc fx_bc;

/* Parse and compile expr into fx_f / fx_bc; the audit must pass. */
static void fx_compile(const char *expr, unsigned flags)
{
	struct strbuf err = STRBUF_INIT;

	filter_init(&fx_f);
	if (filter_parse(&fx_f, expr, &err) < 0)
		ck_abort_msg("'%s': %s", expr, err.buf);
	fx_f.port_lo = 0;        /* autobound: user space says yes to all */
	fx_f.port_hi = 65535;
	ck_assert_msg(filter_compile(&fx_f, flags, &fx_bc, &err) == 0, "'%s': %s", expr,
		      err.buf ? err.buf : "");
	ck_assert_msg(bc_ref_audit(fx_bc.code, (int)fx_bc.len) == 0,
		      "'%s': the kernel's audit refuses the program", expr);
	strbuf_release(&err);
}

/* The sockets every expression is tried on. */
#define N_SOCKS 12
static struct sock_rec fx_socks[N_SOCKS];
static bool fx_locked[N_SOCKS];

static void fx_sock(int i, int family, const char *src, int sport, const char *dst, int dport)
{
	struct sock_rec *s = &fx_socks[i];

	memset(s, 0, sizeof(*s));
	s->table = TBL_TCP;
	s->state = SS_ESTABLISHED;
	s->family = (uint8_t)family;
	inet_pton(family, src, s->saddr);
	inet_pton(family, dst, s->daddr);
	s->sport = (uint16_t)sport;
	s->dport = (uint16_t)dport;
	s->ifindex = (uint32_t)(i % 3);
	s->has_mark = true;
	s->mark = (uint32_t)(i * 0x11);
	s->has_cgroup = true;
	s->cgroup_id = 1000 + (uint64_t)(i % 4);
	s->wqueue = (uint32_t)(i % 2) * 100;
	fx_locked[i] = i % 2;
}

static void fx_population(void)
{
	fx_sock(0, AF_INET, "10.0.0.1", 80, "10.0.0.5", 40000);
	fx_sock(1, AF_INET, "10.0.0.1", 443, "192.168.1.9", 51000);
	fx_sock(2, AF_INET, "127.0.0.1", 40001, "127.0.0.1", 8080);
	fx_sock(3, AF_INET, "10.1.2.3", 22, "10.0.0.200", 65535);
	fx_sock(4, AF_INET6, "2001:db8::1", 443, "2001:db8::5", 50000);
	fx_sock(5, AF_INET6, "::ffff:10.0.0.1", 80, "::ffff:10.0.0.5", 40002);
	fx_sock(6, AF_INET6, "::1", 8080, "::1", 40003);
	fx_sock(7, AF_INET6, "fe80::1", 0, "::", 0);
	fx_sock(8, AF_INET, "0.0.0.0", 0, "0.0.0.0", 0);
	fx_sock(9, AF_INET, "255.255.255.255", 65535, "10.0.0.5", 1);
	fx_sock(10, AF_INET6, "2001:db8:0:1::9", 1024, "2001:db8::5", 443);
	fx_sock(11, AF_INET, "10.0.0.5", 8080, "10.0.0.1", 80);
}

static bool fx_kernel(int i)
{
	const struct sock_rec *s = &fx_socks[i];
	struct bc_ref_sock k = {
		.family = s->family, .saddr = s->saddr, .daddr = s->daddr,
		.sport = s->sport, .dport = s->dport, .ifindex = s->ifindex,
		.mark = s->mark, .cgroup_id = s->cgroup_id, .port_locked = fx_locked[i],
	};

	return !fx_bc.len || bc_ref_run(fx_bc.code, (int)fx_bc.len, &k);
}

/*
 * The kernel's tests, written as the matcher reads them, and the sockets
 * on which the two must agree: 0 all; 4 the IPv4 and v4-mapped ones; 6
 * the other IPv6 ones. Across families they differ on purpose: user
 * space is ss's raw-bytes test (filter_match.c), the kernel's is
 * family-aware, and ss's rows are those both accept.
 */
static const struct { const char *expr; int fam; } exact[] = {
	{ "sport = :80", 0 }, { "sport == 80", 0 }, { "sport != :80", 0 },
	{ "sport < :443", 0 }, { "sport > :443", 0 }, { "sport <= :443", 0 },
	{ "sport >= :443", 0 }, { "sport lt 1", 0 }, { "sport gt 65534", 0 },
	{ "dport = :40000", 0 }, { "dport != :40000", 0 }, { "dport < :40001", 0 },
	{ "dport > :8080", 0 }, { "dport <= :0", 0 }, { "dport >= :65535", 0 },
	{ "src *:443", 0 }, { "fwmark = 0x22", 0 },
	{ "fwmark != 0x22", 0 }, { "fwmark = 0x10/0x10", 0 }, { "fwmark = 0x0/0xff", 0 },
	{ "not sport = :80", 0 }, { "not not sport = :80", 0 },
	{ "sport = :80 or sport = :443", 0 },
	{ "sport = :80 or sport = :443 or dport = :8080", 0 },
	{ "not ( sport = :80 or dport = :443 )", 0 },
	{ "( sport >= :80 and sport <= :443 ) or ( dport >= :40000 and dport <= :41000 )", 0 },
	{ "src 10.0.0.1", 4 }, { "src 10.0.0.0/8", 4 }, { "src 10.0.0.0/24", 4 },
	{ "src 0.0.0.0/0", 4 }, { "src 10.0.0.1:80", 4 }, { "dst 10.0.0.5", 4 },
	{ "dst 10.0.0.5:40000", 4 }, { "dst 10.0.0.0/25", 4 }, { "dst 10.0.0.128/25", 4 },
	{ "dst inet:*", 4 }, { "src 255.255.255.255/32", 4 }, { "src 255.255.255.254/31", 4 },
	{ "sport = :80 and dst 10.0.0.5", 4 },
	{ "( sport = :80 or sport = :443 ) and not dst 10.0.0.0/8", 4 },
	{ "not ( sport = :80 and dst 10.0.0.5 )", 4 },
	{ "sport = :80 and ( dport = :40000 or dport = :40002 ) and src 10.0.0.1", 4 },
	{ "not ( not ( sport = :22 or not dport = :8080 ) and src 10.0.0.0/8 )", 4 },
	{ "src [2001:db8::1]", 6 }, { "src 2001:db8::/32", 6 }, { "src 2001:db8::/64", 6 },
	{ "dst [2001:db8::5]:50000", 6 }, { "dst [::1]", 6 }, { "src ::/0", 6 },
	{ "src inet6:*", 6 }, { "src [2001:db8::1] or dst [::1]", 6 },
	{ "not ( dst 2001:db8::/64 and sport != :443 )", 6 },
};

static bool fx_same_family(int i, int fam)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct sock_rec *s = &fx_socks[i];
	bool is_mapped = s->family == AF_INET6 && !memcmp(s->saddr, mapped, 12);

	if (fam == 4)
		return s->family == AF_INET || is_mapped;
	return fam == 0 || (s->family == AF_INET6 && !is_mapped);
}

static void fx_check_exact(const char *expr, int fam)
{
	fx_compile(expr, FILTER_BC_MARK);
	for (int i = 0; i < N_SOCKS; i++) {
		bool user = filter_match(&fx_f, &fx_socks[i], NULL, NULL);

		if (!fx_same_family(i, fam))
			continue;
		ck_assert_msg(!fx_f.family_only ? fx_kernel(i) == user : !user || fx_kernel(i),
			      "'%s' on socket %d: kernel %d, user space %d", expr, i, fx_kernel(i),
			      user);
	}
}

START_TEST(bytecode__kernel_and_user_space_agree)
{
	fx_population();
	for (size_t k = 0; k < sizeof(exact) / sizeof(exact[0]); k++)
		fx_check_exact(exact[k].expr, exact[k].fam);
}
END_TEST

/* autobound is the bind lock in the kernel, whatever user space says. */
START_TEST(bytecode__autobound_is_the_bind_lock)
{
	fx_population();
	fx_compile("autobound", 0);
	for (int i = 0; i < N_SOCKS; i++)
		ck_assert_int_eq(fx_kernel(i), !fx_locked[i]);
	fx_compile("not autobound", 0);
	for (int i = 0; i < N_SOCKS; i++)
		ck_assert_int_eq(fx_kernel(i), fx_locked[i]);
	fx_compile("dst 10.0.0.5 and ( autobound or sport = :80 )", 0);
	ck_assert(fx_kernel(0));          /* unlocked */
	ck_assert(!fx_kernel(9));         /* locked, port 65535 */
	ck_assert(!fx_kernel(11));        /* other dst */
	/* as ss 6.1: `dev` anywhere, and no program at all */
	fx_compile("autobound and not dev lo", 0);
	ck_assert_uint_eq(fx_bc.len, 0);
}
END_TEST

/* With extensions the kernel may only widen: never drop a matching row. */
static const char *const loose[] = {
	"send-q > 0", "not send-q > 0", "send-q > 0 or sport = :80",
	"send-q > 0 and sport = :80", "not ( send-q > 0 and sport = :80 )",
	"not ( send-q > 0 or sport = :80 )", "( sport = :80 or rtt > 1ms ) and dst 10.0.0.0/8",
	"uid = 0 and not ( dport = :40000 or inode > 5 )", "not not ( send-q > 0 or fwmark = 1 )",
	"dst 10.0.0.5 and not ( send-q > 0 and not sport = :80 )",
};

START_TEST(bytecode__extensions_only_widen)
{
	fx_population();
	for (size_t k = 0; k < sizeof(loose) / sizeof(loose[0]); k++) {
		fx_compile(loose[k], FILTER_BC_MARK);
		for (int i = 0; i < N_SOCKS; i++)
			ck_assert_msg(!filter_match(&fx_f, &fx_socks[i], NULL, NULL) || fx_kernel(i),
				      "'%s': the kernel drops socket %d, which matches", loose[k], i);
	}
	/* Where nothing is left for the kernel, there is no program. */
	fx_compile("send-q > 0", 0);
	ck_assert_uint_eq(fx_bc.len, 0);
	fx_compile("send-q > 0 or sport = :80", 0);
	ck_assert_uint_eq(fx_bc.len, 0);
	fx_compile("not ( send-q > 0 and sport = :80 )", 0);
	ck_assert_uint_eq(fx_bc.len, 0);
	/* ... and what the kernel can say is kept: */
	fx_compile("send-q > 0 and sport = :80", 0);
	ck_assert_uint_eq(fx_bc.len, 8);
	fx_compile("not ( send-q > 0 or sport = :80 )", 0);
	ck_assert_uint_eq(fx_bc.len, 12);
}
END_TEST

static void fx_expect(const char *expr, const uint16_t *want, size_t n)
{
	fx_compile(expr, FILTER_BC_MARK);
	ck_assert_msg(fx_bc.len == n * 2, "'%s': %u bytes, want %zu", expr, fx_bc.len, n * 2);
	for (size_t i = 0; i < n; i += 2) {
		struct inet_diag_bc_op op = bc_ref_op(fx_bc.code + i * 2);

		ck_assert_msg(op.code == (want[i] >> 8) && op.yes == (want[i] & 0xff) &&
			      op.no == want[i + 1], "'%s' op at %zu: {%u,%u,%u}", expr, i * 2,
			      op.code, op.yes, op.no);
	}
}

#define OP(code, yes) (uint16_t)((code) << 8 | (yes))
START_TEST(bytecode__exact_shapes)
{
	static const uint16_t eq[] = { OP(INET_DIAG_BC_S_EQ, 8), 12, 0, 80 };
	static const uint16_t ne[] = { OP(INET_DIAG_BC_D_EQ, 8), 12, 0, 80, OP(INET_DIAG_BC_JMP, 4), 8 };
	static const uint16_t gt[] = { OP(INET_DIAG_BC_S_LE, 8), 12, 0, 1024,
				       OP(INET_DIAG_BC_JMP, 4), 8 };
	/* and: the first test's failure re-aimed past the second */
	static const uint16_t and[] = { OP(INET_DIAG_BC_S_GE, 8), 20, 0, 10,
					OP(INET_DIAG_BC_S_LE, 8), 12, 0, 20 };
	/* or: a, JMP over b (b's length + 4), b */
	static const uint16_t or[] = { OP(INET_DIAG_BC_S_EQ, 8), 12, 0, 1,
				       OP(INET_DIAG_BC_JMP, 4), 12,
				       OP(INET_DIAG_BC_S_EQ, 8), 12, 0, 2 };
	static const uint16_t aut[] = { OP(INET_DIAG_BC_AUTO, 4), 8 };
	/* nothing can match: one jump past the end */
	static const uint16_t none[] = { OP(INET_DIAG_BC_JMP, 4), 8 };

	fx_expect("sport = :80", eq, 4);
	fx_expect("dport != :80", ne, 6);
	fx_expect("sport > :1024", gt, 6);
	fx_expect("sport >= :10 and sport <= :20", and, 8);
	fx_expect("sport = :1 or sport = :2", or, 10);
	fx_expect("autobound", aut, 2);
	fx_expect("src unix:*", none, 2);
	fx_compile("src *", 0);
	ck_assert_uint_eq(fx_bc.len, 0);
	/* v4 hostcond: op, family, prefix, port, address */
	fx_compile("dst 10.0.0.0/8:443", 0);
	ck_assert_uint_eq(fx_bc.len, 16);
	ck_assert_uint_eq(fx_bc.code[0], INET_DIAG_BC_D_COND);
	ck_assert_uint_eq(fx_bc.code[4], AF_INET);
	ck_assert_uint_eq(fx_bc.code[5], 8);
	ck_assert_uint_eq(fx_bc.code[12], 10);
	fx_compile("src *:22", 0);    /* port only: AF_UNSPEC, no address */
	ck_assert_uint_eq(fx_bc.len, 12);
	ck_assert_uint_eq(fx_bc.code[4], AF_UNSPEC);
	/* fwmark stays in user space without CAP_NET_ADMIN */
	fx_compile("fwmark = 0x1", 0);
	ck_assert_uint_eq(fx_bc.len, 0);
}
END_TEST

/*
 * The longest programs the node pool allows: jumps of thousands of
 * bytes, nesting as deep as the parser takes, all audited and run.
 */
START_TEST(bytecode__longest_programs)
{
	static char text[FILTER_MAX_TEXT];
	uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct bc_ref_sock k = { .family = AF_INET6, .daddr = want, .saddr = want };
	size_t n = 0;
	int alts;

	/* dst [2001:db8::N] or ... : 28-byte tests and JMPs of up to ~3 KiB */
	for (alts = 0; n + 40 < sizeof(text) && alts < 120; alts++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%sdst [2001:db8::%x]",
				      alts ? " or " : "", alts + 1);
	fx_compile(text, 0);
	ck_assert_uint_eq(fx_bc.len, (uint32_t)(alts * 28 + (alts - 1) * 4));
	want[15] = (uint8_t)alts;              /* the last one */
	ck_assert(bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));
	want[15] = 1;                          /* the first one */
	ck_assert(bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));
	want[15] = (uint8_t)(alts + 1);        /* none */
	ck_assert(!bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));

	/* the same under a not and an and: every failure jump re-aimed */
	memmove(text + 6, text, n + 1);
	memcpy(text, "not ( ", 6);
	strcat(text, " ) and dport = :9");
	fx_compile(text, 0);
	k.dport = 9;
	ck_assert(bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));
	want[15] = 1;
	ck_assert(!bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));
}
END_TEST

START_TEST(bytecode__deep_nesting)
{
	static char text[FILTER_MAX_TEXT];
	struct bc_ref_sock k = { .family = AF_INET, .sport = 7 };
	uint8_t a[16] = { 0 };
	int depth;
	size_t n = 0;

	k.saddr = k.daddr = a;
	/* not ( not ( ... sport = :7 ... ) ): each level one more JMP */
	for (depth = 0; depth < 30; depth++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "not ( ");
	n += (size_t)snprintf(text + n, sizeof(text) - n, "sport = :7");
	for (int i = 0; i < depth; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, " )");
	fx_compile(text, 0);
	ck_assert_uint_eq(fx_bc.len, 8 + 4 * (uint32_t)depth);
	ck_assert(bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));   /* even: as written */
	k.sport = 8;
	ck_assert(!bc_ref_run(fx_bc.code, (int)fx_bc.len, &k));
}
END_TEST

/* triage's --peer: parsed and compiled by the filter module. */
START_TEST(bytecode__peer)
{
	struct strbuf err = STRBUF_INIT;
	struct peer p;

	fx_population();
	ck_assert_int_eq(filter_peer_parse("10.0.0.5", &p, &err), 0);
	ck_assert(p.set && p.family == AF_INET && p.port == -1);
	ck_assert_int_eq(filter_peer_compile(&p, &fx_bc, &err), 0);
	ck_assert_int_eq(bc_ref_audit(fx_bc.code, (int)fx_bc.len), 0);
	ck_assert(fx_kernel(0) && fx_kernel(5) && fx_kernel(9));   /* v4, v4-mapped */
	ck_assert(!fx_kernel(1) && !fx_kernel(11));
	ck_assert_int_eq(filter_peer_parse("[2001:db8::5]:https", &p, &err), 0);
	ck_assert(p.family == AF_INET6 && p.port == 443);
	ck_assert_int_eq(filter_peer_compile(&p, &fx_bc, &err), 0);
	ck_assert(fx_kernel(10) && !fx_kernel(4));                 /* 443, not 50000 */
	ck_assert_int_eq(filter_peer_parse("2001:db8::5", &p, &err), 0);
	ck_assert(p.port == -1);
	ck_assert_int_eq(filter_peer_parse("10.0.0.0/8", &p, &err), -1);
	ck_assert_int_eq(filter_peer_parse("*", &p, &err), -1);
	ck_assert_int_eq(filter_peer_parse("10.0.0.1:70000", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.buf, "--peer: "));
	strbuf_release(&err);
}
END_TEST

START_TEST(bytecode__port_option)
{
	struct strbuf err = STRBUF_INIT;
	int port = -1;

	ck_assert_int_eq(filter_port_parse("8080", &port, &err), 0);
	ck_assert_int_eq(port, 8080);
	ck_assert_int_eq(filter_port_parse("ssh", &port, &err), 0);
	ck_assert_int_eq(port, 22);
	ck_assert_int_eq(filter_port_parse("0", &port, &err), -1);
	ck_assert_int_eq(filter_port_parse("65536", &port, &err), -1);
	ck_assert_int_eq(filter_port_parse("no-such-service", &port, &err), -1);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("filter_bytecode");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, bytecode__kernel_and_user_space_agree);
	tcase_add_test(tc, bytecode__autobound_is_the_bind_lock);
	tcase_add_test(tc, bytecode__extensions_only_widen);
	tcase_add_test(tc, bytecode__exact_shapes);
	tcase_add_test(tc, bytecode__longest_programs);
	tcase_add_test(tc, bytecode__deep_nesting);
	tcase_add_test(tc, bytecode__peer);
	tcase_add_test(tc, bytecode__port_option);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
