// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sock_diag decoder, the dump-file importer, the live collector
 * (dumps, sessions, exact lookups) and the netlink owner enrichment.
 *
 * Fixtures in tests/data (recorded in throwaway network namespaces on a
 * 6.18 kernel):
 *   tcp_v4v6_plain.dump   sockvet -D style record, no extensions: LISTEN
 *                         127.0.0.1:8080 (backlog 5) with one ESTAB pair
 *                         holding 1000 unread bytes, LISTEN [::1]:8443
 *                         v6only (backlog 10) with one ESTAB pair.
 *   tcp_v4v6_im_ss.dump   the same sockets recorded by `ss -tanimD`
 *                         (tcp_info, cong, bbr, meminfo, skmeminfo).
 *   unix_all.dump         a unix dump with NAME|VFS|PEER|ICONS|RQLEN|MEMINFO:
 *                         listener /tmp/sdt/u.sock with 1 pending peer,
 *                         abstract dgram @sdt-abstract, a socketpair.
 *   packet_all.dump       p_raw ETH_P_ALL and p_dgr ETH_P_IP bound to lo.
 *   netlink_all.dump      every netlink socket of that namespace.
 */
#include "tap_check.h"
#include "../../src/collect/sockdiag.h"
#include "../../src/collect/netns.h"
#include "../../src/collect/nlcomm.h"
#include "../../src/import/dumpfile.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/netlink.h>

#define DATA "tests/data/"
#define MAXREC 64

struct got {
	size_t n;
	struct sock_rec r[MAXREC];
	char path[MAXREC][112];
	uint16_t path_len[MAXREC];
	uint32_t icon0[MAXREC];
	uint64_t ti_state[MAXREC];  /* tcpi_state */
	bool has_ti[MAXREC];
	int stop_after;          /* 0: never stop; else SOCK_CB_STOP after n */
	int fail_after;          /* 0: never fail; else SOCK_CB_ERROR after n */
	struct strbuf *fail_err; /* where the failure's message goes, if set */
};

/* Records die with the callback: copy what the tests look at. */
static int keep(const struct sock_rec *s, void *arg)
{
	struct got *g = arg;

	if (g->stop_after && (int)g->n >= g->stop_after)
		return SOCK_CB_STOP;
	if (g->fail_after && (int)g->n >= g->fail_after) {
		if (g->fail_err)
			error_set(g->fail_err, "test callback gave up");
		return SOCK_CB_ERROR;
	}
	if (g->n >= MAXREC)
		return SOCK_CB_OK;
	g->r[g->n] = *s;
	g->r[g->n].tcpi = NULL;
	g->r[g->n].mptcpi = NULL;
	if (s->table == TBL_UNIX) {
		g->r[g->n].u.un.icons = NULL;
		g->path_len[g->n] = s->u.un.path_len;
		if (s->u.un.path_len)   /* an unnamed socket's path is NULL */
			memcpy(g->path[g->n], s->u.un.path, s->u.un.path_len);
		g->r[g->n].u.un.path = NULL;
		g->icon0[g->n] = s->u.un.n_icons ? s->u.un.icons[0] : 0;
	}
	g->has_ti[g->n] = tcpinfo_get(s->tcpi, s->tcpi_len, TCPINFO_STATE,
				      &g->ti_state[g->n]);
	g->n++;
	return SOCK_CB_OK;
}

static const struct sock_rec *find_port(const struct got *g, int family,
					uint16_t sport, uint8_t state)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->r[i].family == family && g->r[i].sport == sport &&
		    g->r[i].state == state)
			return &g->r[i];
	return NULL;
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	ck_assert_msg(fp != NULL, "cannot open %s (run from the source root)", path);
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

static const struct diag_query all_tcp = {
	.tables = TBL_BIT(TBL_TCP),
	.families = DIAG_FAM_INET | DIAG_FAM_INET6,
	.states = SS_ALL_STATES,
};

static const struct dumpfile_filter all_file = {
	.states = SS_ALL_STATES,
	.families = DIAG_FAM_INET | DIAG_FAM_INET6,
};

/* ---- synthetic messages ---- */

struct msgbuf {
	uint8_t b[4096];
	size_t len;
	size_t start;            /* current message */
};

static void msg_begin(struct msgbuf *m, uint16_t type, uint16_t flags)
{
	struct nlmsghdr h = { 0, type, flags, 1, 0 };

	m->start = m->len;
	memcpy(m->b + m->len, &h, sizeof(h));
	m->len += sizeof(h);
}

/* p may be NULL with n 0 (an empty payload): memcpy's arguments may not. */
static void msg_put(struct msgbuf *m, const void *p, size_t n)
{
	if (n)
		memcpy(m->b + m->len, p, n);
	m->len += NLMSG_ALIGN(n);
}

static void msg_attr(struct msgbuf *m, uint16_t type, const void *p,
		     size_t n, uint16_t claimed_len)
{
	uint16_t hdr[2] = { claimed_len ? claimed_len : (uint16_t)(n + 4), type };

	memcpy(m->b + m->len, hdr, 4);
	if (n)
		memcpy(m->b + m->len + 4, p, n);
	m->len += NLMSG_ALIGN(n + 4);
}

static void msg_end(struct msgbuf *m)
{
	uint32_t len = (uint32_t)(m->len - m->start);

	memcpy(m->b + m->start, &len, 4);
}

static void put_inet(struct msgbuf *m, uint16_t sport, uint8_t state)
{
	struct inet_diag_msg r;

	memset(&r, 0, sizeof(r));
	r.idiag_family = AF_INET;
	r.idiag_state = state;
	r.id.idiag_sport = htons(sport);
	r.id.idiag_src[0] = htonl(0x7f000001);
	r.id.idiag_cookie[0] = 0x1234;
	r.id.idiag_cookie[1] = 0x1;
	r.idiag_inode = 4242;
	r.idiag_rqueue = 7;
	msg_put(m, &r, sizeof(r));
}

static void put_done(struct msgbuf *m)
{
	int zero = 0;

	msg_begin(m, NLMSG_DONE, NLM_F_MULTI);
	msg_put(m, &zero, sizeof(zero));
	msg_end(m);
}

/* Two ESTAB sockets, ports 22 and 23, no DONE: a callback sees one or both. */
static void put_two_sockets(struct msgbuf *m)
{
	memset(m, 0, sizeof(*m));
	for (uint16_t port = 22; port <= 23; port++) {
		msg_begin(m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
		put_inet(m, port, SS_ESTABLISHED);
		msg_end(m);
	}
}

/* ---- fixtures ---- */

START_TEST(replay__plain_tcp_fixture_gives_v4_and_v6_sockets)
{
	struct strbuf err = STRBUF_INIT;
	static struct got g;
	const struct sock_rec *s;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dumpfile_replay(DATA "tcp_v4v6_plain.dump", &all_file,
					 keep, &g, &err), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_uint_eq(g.n, 6);   /* ss 6.1 would stop at 3: the first DONE */

	s = find_port(&g, AF_INET, 8080, SS_LISTEN);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->rqueue, 0);
	ck_assert_uint_eq(s->wqueue, 5);
	ck_assert_uint_eq(s->inode, 1063891);
	ck_assert_uint_eq(s->cookie, 0xacf9);
	ck_assert_uint_eq(s->saddr[0], 127);
	ck_assert_uint_eq(s->table, TBL_TCP);
	ck_assert_uint_eq(s->netid, NETID_TCP);
	ck_assert_uint_eq(s->tcpi_len, 0);
	ck_assert(!s->has_skmem);
	ck_assert(s->has_shutdown);

	s = find_port(&g, AF_INET, 8080, SS_ESTABLISHED);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->rqueue, 1000);
	ck_assert_uint_eq(s->dport, 36258);
	ck_assert_uint_eq(s->inode, 1063893);

	s = find_port(&g, AF_INET6, 8443, SS_LISTEN);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->wqueue, 10);
	ck_assert(s->has_v6only);
	ck_assert_uint_eq(s->v6only, 1);
	ck_assert_uint_eq(s->saddr[15], 1);     /* ::1 */
	strbuf_release(&err);
}
END_TEST

START_TEST(replay__ss_recorded_info_mem_fixture_keeps_extensions)
{
	struct strbuf err = STRBUF_INIT;
	static struct got g;
	const struct sock_rec *s;
	size_t i;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dumpfile_replay(DATA "tcp_v4v6_im_ss.dump", &all_file,
					 keep, &g, &err), 0);
	ck_assert_uint_eq(g.n, 6);
	for (i = 0; i < g.n; i++) {
		s = &g.r[i];
		/* 6.18 sends more tcp_info than the 6.1 headers describe. */
		ck_assert_uint_eq(s->tcpi_len, 280);
		ck_assert(g.has_ti[i]);
		ck_assert_uint_eq(g.ti_state[i], s->state);
		ck_assert(s->has_skmem);
		ck_assert_uint_eq(s->skmem_n, SK_MEMINFO_VARS);
		ck_assert_uint_eq(s->skmem[SK_MEMINFO_RCVBUF], 131072);
		ck_assert(s->has_meminfo);
		ck_assert(s->has_cong);
		ck_assert_str_eq(s->cong, "bbr");
		/* A listener has no congestion state to report. */
		ck_assert(s->has_bbr == (s->state != SS_LISTEN));
	}
	s = find_port(&g, AF_INET, 8080, SS_ESTABLISHED);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->rqueue, 1000);
	ck_assert_uint_ge(s->skmem[SK_MEMINFO_RMEM_ALLOC], 1000);
	strbuf_release(&err);
}
END_TEST

START_TEST(replay__applies_state_and_family_masks)
{
	struct strbuf err = STRBUF_INIT;
	static struct got g;
	struct dumpfile_filter q = all_file;

	memset(&g, 0, sizeof(g));
	q.states = 1u << SS_LISTEN;
	ck_assert_int_eq(dumpfile_replay(DATA "tcp_v4v6_plain.dump", &q, keep, &g, &err), 0);
	ck_assert_uint_eq(g.n, 2);
	memset(&g, 0, sizeof(g));
	q.states = SS_ALL_STATES;
	q.families = DIAG_FAM_INET6;
	ck_assert_int_eq(dumpfile_replay(DATA "tcp_v4v6_plain.dump", &q, keep, &g, &err), 0);
	ck_assert_uint_eq(g.n, 3);
	ck_assert_uint_eq(g.r[0].family, AF_INET6);
	strbuf_release(&err);
}
END_TEST

START_TEST(replay__truncated_file_names_the_byte_offset)
{
	struct strbuf err = STRBUF_INIT;
	static uint8_t buf[4096];
	static struct got g;
	char path[] = "/tmp/sockvet-trunc-XXXXXX", want[64];
	size_t n = read_file(DATA "tcp_v4v6_plain.dump", buf, sizeof(buf));
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	uint32_t first;

	/* Cut 20 bytes into the second message. */
	memcpy(&first, buf, 4);
	ck_assert_uint_gt(n, first + 20);
	ck_assert_int_eq(write(fd, buf, first + 20), (ssize_t)first + 20);
	close(fd);
	snprintf(want, sizeof(want), "truncated netlink message at byte %u", first);
	memset(&g, 0, sizeof(g));
	ck_assert_int_lt(dumpfile_replay(path, &all_file, keep, &g, &err), 0);
	ck_assert_msg(strstr(err.buf, want), "%s", err.buf);
	ck_assert_msg(strstr(err.buf, path), "%s", err.buf);
	ck_assert_uint_eq(g.n, 0);      /* whole or an error: no row first */
	unlink(path);
	strbuf_release(&err);
}
END_TEST

START_TEST(replay__missing_file_is_an_error)
{
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(dumpfile_replay("/nonexistent/x.dump", &all_file, keep, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, "cannot open '/nonexistent/x.dump'"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__unix_fixture_names_paths_peers_and_queues)
{
	struct strbuf err = STRBUF_INIT;
	static uint8_t buf[8192];
	static struct got g;
	size_t n = read_file(DATA "unix_all.dump", buf, sizeof(buf)), i;
	bool intr = false, saw_listener = false, saw_abstract = false, saw_pair = false;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_decode(buf, n, TBL_UNIX, keep, &g, &intr, &err), 1);
	ck_assert_uint_eq(g.n, 5);
	for (i = 0; i < g.n; i++) {
		const struct sock_rec *s = &g.r[i];

		ck_assert_uint_eq(s->family, AF_UNIX);
		ck_assert(s->u.un.has_rqlen);
		ck_assert(s->has_skmem);
		if (s->state == SS_LISTEN) {
			saw_listener = true;
			ck_assert_uint_eq(g.path_len[i], strlen("/tmp/sdt/u.sock"));
			ck_assert(!memcmp(g.path[i], "/tmp/sdt/u.sock", g.path_len[i]));
			ck_assert_uint_eq(s->rqueue, 1);     /* pending connections */
			ck_assert_uint_eq(s->wqueue, 3);     /* backlog */
			ck_assert_uint_eq(s->u.un.n_icons, 1);
			ck_assert_uint_eq(g.icon0[i], 920521);
			ck_assert(s->u.un.has_vfs);
			ck_assert_uint_eq(s->netid, NETID_U_STR);
		} else if (s->netid == NETID_U_DGR) {
			saw_abstract = true;
			ck_assert_uint_eq(g.path[i][0], '\0');
			ck_assert(!memcmp(g.path[i] + 1, "sdt-abstract", 12));
			ck_assert_uint_eq(s->state, SS_CLOSE);
		} else if (s->inode == 920524) {
			saw_pair = true;
			ck_assert_uint_eq(s->u.un.peer_ino, 920523);
			ck_assert_uint_eq(s->rqueue, 100);
			ck_assert_uint_eq(g.path_len[i], 0);
		}
	}
	ck_assert(saw_listener && saw_abstract && saw_pair);
	ck_assert(!intr);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__packet_fixture_gives_proto_device_and_recvq)
{
	struct strbuf err = STRBUF_INIT;
	static uint8_t buf[4096];
	static struct got g;
	size_t n = read_file(DATA "packet_all.dump", buf, sizeof(buf));

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_decode(buf, n, TBL_PACKET, keep, &g, NULL, &err), 1);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_uint_eq(g.r[0].netid, NETID_P_RAW);
	ck_assert_uint_eq(g.r[0].u.pk.proto, 3);        /* ETH_P_ALL */
	ck_assert_uint_eq(g.r[0].u.pk.ifindex, 0);
	ck_assert_uint_eq(g.r[0].state, SS_CLOSE);
	ck_assert_uint_eq(g.r[0].rqueue, g.r[0].skmem[SK_MEMINFO_RMEM_ALLOC]);
	ck_assert(g.r[0].u.pk.has_info);
	ck_assert_uint_eq(g.r[1].netid, NETID_P_DGR);
	ck_assert_uint_eq(g.r[1].u.pk.proto, 0x0800);
	ck_assert_uint_eq(g.r[1].u.pk.ifindex, 1);       /* lo */
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__netlink_fixture_gives_protocol_portid_and_queues)
{
	struct strbuf err = STRBUF_INIT;
	static uint8_t buf[4096];
	static struct got g;
	size_t n = read_file(DATA "netlink_all.dump", buf, sizeof(buf)), i;
	bool saw_diag = false, saw_groups = false;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_decode(buf, n, TBL_NETLINK, keep, &g, NULL, &err), 1);
	ck_assert_uint_ge(g.n, 8);
	for (i = 0; i < g.n; i++) {
		const struct sock_rec *s = &g.r[i];

		ck_assert_uint_eq(s->netid, NETID_NL);
		ck_assert_uint_eq(s->state, SS_CLOSE);
		ck_assert(s->has_skmem);
		ck_assert(!s->u.nl.has_comm);   /* decode alone reads no /proc */
		/* The recording socket itself: a sock_diag socket with data queued. */
		if (s->u.nl.protocol == NETLINK_SOCK_DIAG && s->u.nl.portid) {
			saw_diag = true;
			ck_assert_uint_gt(s->rqueue, 0);
		}
		if (s->u.nl.protocol == NETLINK_ROUTE && s->u.nl.groups == 1)
			saw_groups = true;
	}
	ck_assert(saw_diag && saw_groups);
	strbuf_release(&err);
}
END_TEST

/* ---- synthetic ---- */

START_TEST(decode__unknown_attribute_is_skipped)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;
	uint8_t junk[5] = { 1, 2, 3, 4, 5 }, shut = 3;

	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_attr(&m, 200, junk, sizeof(junk), 0);
	msg_attr(&m, INET_DIAG_SHUTDOWN, &shut, 1, 0);
	msg_end(&m);
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(g.r[0].sport, 22);
	ck_assert_uint_eq(g.r[0].inode, 4242);
	ck_assert_uint_eq(g.r[0].rqueue, 7);
	ck_assert_uint_eq(g.r[0].cookie, 0x100001234ull);
	ck_assert(g.r[0].has_shutdown);
	ck_assert_uint_eq(g.r[0].shutdown, 3);
	strbuf_release(&err);
}
END_TEST

/* Two MD5 keys and a stray tail: two entries, addresses and prefixes. */
START_TEST(decode__md5sig_gives_each_whole_key_entry)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;
	struct tcp_diag_md5sig sig[2];
	uint8_t buf[sizeof(sig) + 12];
	struct sock_md5key k;

	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	memset(sig, 0, sizeof(sig));
	memset(buf, 0, sizeof(buf));
	sig[0].tcpm_family = AF_INET;
	sig[0].tcpm_prefixlen = 8;
	sig[0].tcpm_keylen = 3;
	sig[0].tcpm_addr[0] = htonl(0x0a000000);
	memcpy(sig[0].tcpm_key, "k,\\", 3);
	sig[1].tcpm_family = AF_INET6;
	sig[1].tcpm_prefixlen = 128;
	sig[1].tcpm_addr[3] = htonl(1);
	memcpy(buf, sig, sizeof(sig));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_LISTEN);
	msg_attr(&m, INET_DIAG_MD5SIG, buf, sizeof(buf), 0);
	msg_end(&m);
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 0);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(sock_md5key_count(&g.r[0]), 2);
	sock_md5key_get(&g.r[0], 0, &k);
	ck_assert_str_eq(k.addr, "10.0.0.0");
	ck_assert_uint_eq(k.prefixlen, 8);
	sock_md5key_get(&g.r[0], 1, &k);
	ck_assert_str_eq(k.addr, "::1");
	ck_assert_uint_eq(k.prefixlen, 128);
	/* Copies outliving the buffer lose it, as they lose tcp_info. */
	sock_rec_detach(&g.r[0]);
	ck_assert_uint_eq(sock_md5key_count(&g.r[0]), 0);
	strbuf_release(&err);
}
END_TEST

/* ULP_INFO {NAME "mptcp", MPTCP {...}}: each subflow attribute kept. */
START_TEST(decode__mptcp_subflow_ulp_attributes)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;
	uint8_t nest[128], ulp[160];
	size_t n = 0, u = 0;
	uint32_t tok = 0x236de16f, flags = 0xc1;
	uint64_t seq = 0xee8047c74ec3cc0dull;
	uint16_t maplen = 0x40;
	uint8_t id = 3;

#define PUT(buf, off, type, p, len) do { \
		uint16_t h[2] = { (uint16_t)((len) + 4), (type) }; \
		memcpy((buf) + (off), h, 4); \
		memcpy((buf) + (off) + 4, (p), (len)); \
		(off) += NLMSG_ALIGN((len) + 4); \
	} while (0)
	memset(nest, 0, sizeof(nest));
	memset(ulp, 0, sizeof(ulp));
	PUT(nest, n, MPTCP_SUBFLOW_ATTR_TOKEN_LOC, &tok, 4);
	PUT(nest, n, MPTCP_SUBFLOW_ATTR_MAP_SEQ, &seq, 8);
	PUT(nest, n, MPTCP_SUBFLOW_ATTR_MAP_DATALEN, &maplen, 2);
	PUT(nest, n, MPTCP_SUBFLOW_ATTR_FLAGS, &flags, 4);
	PUT(nest, n, MPTCP_SUBFLOW_ATTR_ID_LOC, &id, 1);
	PUT(ulp, u, INET_ULP_INFO_NAME, "mptcp", 6);
	PUT(ulp, u, INET_ULP_INFO_MPTCP, nest, n);
#undef PUT
	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_attr(&m, INET_DIAG_ULP_INFO, ulp, u, 0);
	msg_end(&m);
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(g.r[0].ulp, "mptcp");
	ck_assert_uint_eq(g.r[0].mptcp_sf.present,
			  1u << MPTCP_SUBFLOW_ATTR_TOKEN_LOC | 1u << MPTCP_SUBFLOW_ATTR_MAP_SEQ |
			  1u << MPTCP_SUBFLOW_ATTR_MAP_DATALEN | 1u << MPTCP_SUBFLOW_ATTR_FLAGS |
			  1u << MPTCP_SUBFLOW_ATTR_ID_LOC);
	ck_assert_uint_eq(g.r[0].mptcp_sf.val[MPTCP_SUBFLOW_ATTR_TOKEN_LOC], tok);
	ck_assert_uint_eq(g.r[0].mptcp_sf.val[MPTCP_SUBFLOW_ATTR_MAP_SEQ], seq);
	ck_assert_uint_eq(g.r[0].mptcp_sf.val[MPTCP_SUBFLOW_ATTR_MAP_DATALEN], 0x40);
	ck_assert_uint_eq(g.r[0].mptcp_sf.val[MPTCP_SUBFLOW_ATTR_FLAGS], 0xc1);
	ck_assert_uint_eq(g.r[0].mptcp_sf.val[MPTCP_SUBFLOW_ATTR_ID_LOC], 3);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__attribute_longer_than_message_is_an_error)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;
	uint8_t v = 1;

	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_attr(&m, INET_DIAG_TOS, &v, 1, 200);    /* claims 200 bytes */
	msg_end(&m);
	ck_assert_int_lt(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 0);
	/* 16-byte header + 72-byte inet_diag_msg: the attribute is at 88. */
	ck_assert_msg(strstr(err.buf, "attribute 5 at byte 88 has bad length 200"), "%s", err.buf);
	ck_assert_uint_eq(g.n, 0);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__too_short_fixed_attribute_is_an_error)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	uint32_t four = 4;

	memset(&m, 0, sizeof(m));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_attr(&m, INET_DIAG_MEMINFO, &four, sizeof(four), 0);   /* wants 16 */
	msg_end(&m);
	ck_assert_int_lt(sockdiag_decode(m.b, m.len, TBL_TCP, keep, NULL, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, "attribute 1 at byte 88 is too short"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__truncated_message_is_an_error)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;

	memset(&m, 0, sizeof(m));
	put_done(&m);
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_end(&m);
	ck_assert_int_lt(sockdiag_decode(m.b, m.len - 10, TBL_TCP, keep, NULL, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, "truncated netlink message at byte 20"), "%s", err.buf);
	strbuf_reset(&err);
	/* A header that is itself cut short. */
	ck_assert_int_lt(sockdiag_decode(m.b, 30, TBL_TCP, keep, NULL, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, "truncated netlink message at byte 20"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__short_family_header_is_an_error)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	uint8_t few[8] = { AF_INET };

	memset(&m, 0, sizeof(m));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	msg_put(&m, few, sizeof(few));
	msg_end(&m);
	ck_assert_int_lt(sockdiag_decode(m.b, m.len, TBL_TCP, keep, NULL, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, "inet_diag_msg at byte 16 is too short"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__nlmsg_error_reports_the_errno)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	struct nlmsgerr e;

	memset(&m, 0, sizeof(m));
	memset(&e, 0, sizeof(e));
	e.error = -EPERM;
	msg_begin(&m, NLMSG_ERROR, 0);
	msg_put(&m, &e, sizeof(e));
	msg_end(&m);
	ck_assert_int_lt(sockdiag_decode(m.b, m.len, TBL_TCP, keep, NULL, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, strerror(EPERM)), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__dump_intr_flag_is_reported)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;
	bool intr = false;

	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_end(&m);
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, &intr, &err), 0);
	ck_assert(!intr);
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI | NLM_F_DUMP_INTR);
	put_inet(&m, 23, SS_ESTABLISHED);
	msg_end(&m);
	put_done(&m);
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, &intr, &err), 1);
	ck_assert(intr);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__reads_past_done_and_keeps_long_tcp_info)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;
	uint8_t info[400];

	memset(&m, 0, sizeof(m));
	memset(&g, 0, sizeof(g));
	memset(info, 0, sizeof(info));
	info[0] = SS_ESTABLISHED;       /* tcpi_state */
	put_done(&m);
	msg_begin(&m, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI);
	put_inet(&m, 22, SS_ESTABLISHED);
	msg_attr(&m, INET_DIAG_INFO, info, sizeof(info), 0);
	msg_end(&m);
	put_done(&m);
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 1);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(g.r[0].tcpi_len, 400);
	ck_assert(g.has_ti[0]);
	ck_assert_uint_eq(g.ti_state[0], SS_ESTABLISHED);
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__callback_can_stop_the_dump)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;

	put_two_sockets(&m);
	memset(&g, 0, sizeof(g));
	g.stop_after = 1;
	/* STOP is a clean end: no error, no message, nothing decoded after it. */
	ck_assert_int_eq(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err),
			 DIAG_DECODE_STOP);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(err.buf, "");
	strbuf_release(&err);
}
END_TEST

START_TEST(decode__callback_error_fails_with_its_own_message)
{
	struct strbuf err = STRBUF_INIT;
	static struct msgbuf m;
	static struct got g;

	put_two_sockets(&m);
	memset(&g, 0, sizeof(g));
	g.fail_after = 1;
	g.fail_err = &err;
	ck_assert_int_lt(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 0);
	ck_assert_uint_eq(g.n, 1);
	ck_assert_str_eq(err.buf, "test callback gave up");
	/* A callback that says nothing still leaves a message. */
	strbuf_reset(&err);
	memset(&g, 0, sizeof(g));
	g.fail_after = 1;
	ck_assert_int_lt(sockdiag_decode(m.b, m.len, TBL_TCP, keep, &g, NULL, &err), 0);
	ck_assert_msg(strstr(err.buf, "callback failed"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

START_TEST(replay__callback_stop_ends_the_file_cleanly)
{
	struct strbuf err = STRBUF_INIT;
	static struct got g;

	memset(&g, 0, sizeof(g));
	g.stop_after = 2;
	ck_assert_int_eq(dumpfile_replay(DATA "tcp_v4v6_plain.dump", NULL, keep, &g, &err), 0);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(err.buf, "");
	strbuf_release(&err);
}
END_TEST

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_ge(fputs(text, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
}

/*
 * The decoder must not look this host's processes up: a dump from another
 * host would get our names. One record's portid is made our own pid, so
 * a decoder that read /proc would find a name; only nlcomm_fill() may.
 */
START_TEST(decode__netlink_comm_only_from_enrichment)
{
	struct strbuf err = STRBUF_INIT;
	static uint8_t buf[4096];
	static struct got g;
	size_t n = read_file(DATA "netlink_all.dump", buf, sizeof(buf));
	char root[] = "/tmp/sockvet-proc-XXXXXX", dir[64], file[96], comm[64] = "";
	char stat_line[256];
	uint32_t pid = (uint32_t)getpid();
	struct sock_rec r;
	FILE *fp;

	/* portid is at byte 4 of struct netlink_diag_msg, after the nlmsghdr. */
	memcpy(buf + 16 + 4, &pid, 4);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_decode(buf, n, TBL_NETLINK, keep, &g, NULL, &err), 1);
	ck_assert_uint_eq(g.r[0].u.nl.portid, pid);
	for (size_t i = 0; i < g.n; i++)
		ck_assert(!g.r[i].u.nl.has_comm);

	/* Enrichment reads PROC_ROOT/PORTID/stat: a fake root names it. */
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/%u", root, pid);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(file, sizeof(file), "%s/stat", dir);
	write_file(file, "4242 (fake comm) S 1 2 3\n");
	r = g.r[0];
	nlcomm_fill(&r, root);
	ck_assert(r.u.nl.has_comm);
	ck_assert_str_eq(r.u.nl.comm, "fake comm");
	/* A bogus root names nothing, and clears a stale name. */
	nlcomm_fill(&r, "/nonexistent-proc");
	ck_assert(!r.u.nl.has_comm);
	ck_assert_str_eq(r.u.nl.comm, "");
	/* The real /proc gives our own name, as ss prints it. */
	fp = fopen("/proc/self/stat", "r");
	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(stat_line, sizeof(stat_line), fp));
	fclose(fp);
	ck_assert_int_eq(sscanf(stat_line, "%*d (%15[^)])", comm), 1);
	nlcomm_fill(&r, NULL);
	ck_assert(r.u.nl.has_comm);
	ck_assert_str_eq(r.u.nl.comm, comm);
	/* Not a netlink record: left alone. */
	r = g.r[0];
	r.table = TBL_TCP;
	nlcomm_fill(&r, root);
	ck_assert(!r.u.nl.has_comm);
	unlink(file);
	rmdir(dir);
	rmdir(root);
	strbuf_release(&err);
}
END_TEST

/* ---- live ---- */

static int listen_loopback(uint16_t *port, uint32_t *ino)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	struct stat st;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 7), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	*port = ntohs(sa.sin_port);
	*ino = (uint32_t)st.st_ino;
	return fd;
}

START_TEST(collect__finds_a_listener_we_created)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_stats st = { 0 };
	struct diag_query q = all_tcp;
	static struct got g;
	const struct sock_rec *s;
	uint16_t port;
	uint32_t ino;
	int fd = listen_loopback(&port, &ino);

	memset(&g, 0, sizeof(g));
	q.states = 1u << SS_LISTEN;
	q.families = DIAG_FAM_INET;
	q.stats = &st;
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	s = find_port(&g, AF_INET, port, SS_LISTEN);
	ck_assert_msg(s != NULL, "listener on port %u not in %zu records", port, g.n);
	ck_assert_uint_eq(s->inode, ino);
	ck_assert_uint_eq(s->wqueue, 7);
	ck_assert_uint_eq(s->saddr[0], 127);
	ck_assert_uint_eq(st.records, g.n);
	ck_assert_uint_eq(st.intr_retries, 0);
	close(fd);
	strbuf_release(&err);
}
END_TEST

START_TEST(collect__names_the_owner_of_our_netlink_socket)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_query q = { .tables = TBL_BIT(TBL_NETLINK), .states = 1u << SS_CLOSE };
	static struct got g;
	char comm[64] = "", stat_line[256];
	FILE *fp = fopen("/proc/self/stat", "r");
	size_t i;
	bool found = false;

	ck_assert_ptr_nonnull(fp);
	ck_assert_ptr_nonnull(fgets(stat_line, sizeof(stat_line), fp));
	fclose(fp);
	ck_assert_int_eq(sscanf(stat_line, "%*d (%15[^)])", comm), 1);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	/* Our own dump socket: the first netlink socket a process opens gets portid = pid. */
	for (i = 0; i < g.n; i++) {
		if (g.r[i].u.nl.protocol == NETLINK_SOCK_DIAG &&
		    g.r[i].u.nl.portid == (uint32_t)getpid()) {
			found = true;
			/* The collector names nobody; the live listing enriches. */
			ck_assert(!g.r[i].u.nl.has_comm);
			nlcomm_fill(&g.r[i], NULL);
			ck_assert(g.r[i].u.nl.has_comm);
			ck_assert_str_eq(g.r[i].u.nl.comm, comm);
		}
	}
	ck_assert_msg(found, "own sock_diag socket not among %zu netlink sockets", g.n);
	strbuf_release(&err);
}
END_TEST

/* A loopback connection; SO_LINGER {1,0} so a close destroys it at once. */
static void tcp_pair(int *lfd, int *cfd, int *afd, uint16_t *lport, uint16_t *cport)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct linger lg = { 1, 0 };
	socklen_t sl = sizeof(sa);
	uint32_t ino;

	*lfd = listen_loopback(lport, &ino);
	*cfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(*cfd, 0);
	ck_assert_int_eq(setsockopt(*cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(*lport);
	ck_assert_int_eq(connect(*cfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(getsockname(*cfd, (struct sockaddr *)&sa, &sl), 0);
	*cport = ntohs(sa.sin_port);
	*afd = accept(*lfd, NULL, NULL);
	ck_assert_int_ge(*afd, 0);
}

START_TEST(lookup__finds_a_connection_by_id_with_tcp_info)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_session *ds = NULL;
	struct diag_query q = all_tcp;
	struct diag_sock_id id, bogus;
	static struct got g;
	const struct sock_rec *s;
	uint16_t lport, cport;
	int lfd, cfd, afd;

	tcp_pair(&lfd, &cfd, &afd, &lport, &cport);
	ck_assert_int_eq(sockdiag_session_open(&ds, &err), 0);
	q.session = ds;
	q.states = 1u << SS_ESTABLISHED;
	q.families = DIAG_FAM_INET;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	s = find_port(&g, AF_INET, cport, SS_ESTABLISHED);
	ck_assert_msg(s != NULL, "client end :%u not in %zu records", cport, g.n);
	ck_assert(!g.has_ti[s - g.r]);        /* the bare dump has no tcp_info */
	sockdiag_id_of(s, &id);

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_lookup(ds, &id, DIAG_NEED_INFO | DIAG_NEED_MEM, keep, &g, &err), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_uint_eq(g.n, 1);
	ck_assert_uint_eq(g.r[0].cookie, id.cookie);
	ck_assert_uint_eq(g.r[0].sport, cport);
	ck_assert_uint_eq(g.r[0].dport, lport);
	ck_assert(g.has_ti[0]);
	ck_assert_uint_eq(g.ti_state[0], SS_ESTABLISHED);
	ck_assert(g.r[0].has_skmem);

	/* Same tuple, another cookie: "not found", not an error. */
	bogus = id;
	bogus.cookie ^= 0x5a5a5a5a5a5aULL;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(sockdiag_lookup(ds, &bogus, DIAG_NEED_INFO, keep, &g, &err), 1);
	ck_assert_uint_eq(g.n, 0);
	ck_assert_str_eq(err.buf, "");

	/* Gone since the dump (a RST close destroys it): skipped the same way. */
	close(cfd);
	ck_assert_int_eq(sockdiag_lookup(ds, &id, DIAG_NEED_INFO, keep, &g, &err), 1);
	ck_assert_uint_eq(g.n, 0);

	/* The session still dumps after lookups. */
	q.states = 1u << SS_LISTEN;
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	ck_assert_ptr_nonnull(find_port(&g, AF_INET, lport, SS_LISTEN));
	sockdiag_session_close(ds);
	close(afd);
	close(lfd);
	strbuf_release(&err);
}
END_TEST

#define MANY_LISTENERS 600

/*
 * A callback's STOP leaves the kernel mid-dump (600 listeners take
 * several chunks); the session must still serve the next request
 * instead of failing with EBUSY or reading the old dump's tail.
 */
START_TEST(session__serves_the_next_dump_after_a_stop)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_session *ds = NULL;
	struct diag_stats st = { 0 };
	struct diag_query q = all_tcp;
	static int fds[MANY_LISTENERS];
	static struct got g;
	uint16_t port;
	uint32_t ino;

	for (int i = 0; i < MANY_LISTENERS; i++)
		fds[i] = listen_loopback(&port, &ino);
	ck_assert_int_eq(sockdiag_session_open(&ds, &err), 0);
	q.session = ds;
	q.states = 1u << SS_LISTEN;
	q.needs = DIAG_NEED_INFO | DIAG_NEED_MEM;
	memset(&g, 0, sizeof(g));
	g.stop_after = 3;
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_uint_eq(g.n, 3);
	memset(&g, 0, sizeof(g));
	q.stats = &st;
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	ck_assert_str_eq(err.buf, "");
	/* Whole, not the stopped dump's tail: every listener came. */
	ck_assert_uint_ge(st.records, MANY_LISTENERS);
	ck_assert_uint_eq(st.intr_retries, 0);
	sockdiag_session_close(ds);
	for (int i = 0; i < MANY_LISTENERS; i++)
		close(fds[i]);
	strbuf_release(&err);
}
END_TEST

static int never(const struct sock_rec *s, void *ctx)
{
	(void)s;
	(void)ctx;
	ck_abort_msg("recording must not decode");
	return SOCK_CB_ERROR;
}

START_TEST(collect__record_writes_a_dump_that_replays)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_query q = all_tcp;
	char path[] = "/tmp/sockvet-rec-XXXXXX";
	static struct got g;
	uint16_t port;
	uint32_t ino;
	int lfd = listen_loopback(&port, &ino);
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	q.record = fdopen(fd, "wb");
	q.record_name = path;
	q.states = 1u << SS_LISTEN;
	ck_assert_int_eq(sockdiag_collect(&q, never, NULL, &err), 0);
	fclose(q.record);
	memset(&g, 0, sizeof(g));
	q.record = NULL;
	ck_assert_int_eq(dumpfile_replay(path, NULL, keep, &g, &err), 0);
	ck_assert_ptr_nonnull(find_port(&g, AF_INET, port, SS_LISTEN));
	unlink(path);
	close(lfd);
	strbuf_release(&err);
}
END_TEST

START_TEST(collect__every_table_dumps_or_is_reported_absent)
{
	struct strbuf err = STRBUF_INIT;
	struct diag_stats st = { 0 };
	struct diag_query q = {
		.tables = (1u << TBL_MAX) - 1,
		.families = DIAG_FAM_INET | DIAG_FAM_INET6,
		.states = SS_ALL_STATES,
		.needs = DIAG_NEED_INFO | DIAG_NEED_MEM | DIAG_NEED_TOS |
			 DIAG_NEED_UNIX_VFS | DIAG_NEED_UNIX_MEM,
		.stats = &st,
	};
	static struct got g;

	memset(&g, 0, sizeof(g));
	/* raw_diag and mptcp_diag may be missing: that is not an error. */
	ck_assert_int_eq(sockdiag_collect(&q, keep, &g, &err), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_uint_eq(st.absent_tables & ~(TBL_BIT(TBL_RAW) | TBL_BIT(TBL_MPTCP)), 0);
	ck_assert_uint_gt(st.records, 0);     /* at least our own netlink socket */
	strbuf_release(&err);
}
END_TEST

START_TEST(netns__unknown_name_fails_with_the_path)
{
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(netns_enter("sockvet-no-such-netns", &err), 0);
	ck_assert_msg(strstr(err.buf, "/var/run/netns/sockvet-no-such-netns"), "%s", err.buf);
	strbuf_reset(&err);
	ck_assert_int_lt(netns_enter("..", &err), 0);
	ck_assert_msg(strstr(err.buf, "invalid"), "%s", err.buf);
	strbuf_reset(&err);
	/* A path that is not a namespace file. */
	ck_assert_int_lt(netns_enter("/dev/null", &err), 0);
	ck_assert_msg(strstr(err.buf, "cannot enter network namespace '/dev/null'"), "%s", err.buf);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sockdiag");
	TCase *fx = tcase_create("fixtures");
	TCase *sy = tcase_create("synthetic");
	TCase *lv = tcase_create("live");

	tcase_add_test(fx, replay__plain_tcp_fixture_gives_v4_and_v6_sockets);
	tcase_add_test(fx, replay__ss_recorded_info_mem_fixture_keeps_extensions);
	tcase_add_test(fx, replay__applies_state_and_family_masks);
	tcase_add_test(fx, replay__truncated_file_names_the_byte_offset);
	tcase_add_test(fx, replay__missing_file_is_an_error);
	tcase_add_test(fx, decode__unix_fixture_names_paths_peers_and_queues);
	tcase_add_test(fx, decode__packet_fixture_gives_proto_device_and_recvq);
	tcase_add_test(fx, decode__netlink_fixture_gives_protocol_portid_and_queues);
	tcase_add_test(sy, decode__unknown_attribute_is_skipped);
	tcase_add_test(sy, decode__attribute_longer_than_message_is_an_error);
	tcase_add_test(sy, decode__too_short_fixed_attribute_is_an_error);
	tcase_add_test(sy, decode__truncated_message_is_an_error);
	tcase_add_test(sy, decode__short_family_header_is_an_error);
	tcase_add_test(sy, decode__nlmsg_error_reports_the_errno);
	tcase_add_test(sy, decode__dump_intr_flag_is_reported);
	tcase_add_test(sy, decode__reads_past_done_and_keeps_long_tcp_info);
	tcase_add_test(sy, decode__callback_can_stop_the_dump);
	tcase_add_test(sy, decode__callback_error_fails_with_its_own_message);
	tcase_add_test(fx, replay__callback_stop_ends_the_file_cleanly);
	tcase_add_test(fx, decode__netlink_comm_only_from_enrichment);
	tcase_add_test(lv, collect__finds_a_listener_we_created);
	tcase_add_test(lv, collect__names_the_owner_of_our_netlink_socket);
	tcase_add_test(lv, collect__record_writes_a_dump_that_replays);
	tcase_add_test(lv, collect__every_table_dumps_or_is_reported_absent);
	tcase_add_test(lv, lookup__finds_a_connection_by_id_with_tcp_info);
	tcase_add_test(sy, decode__md5sig_gives_each_whole_key_entry);
	tcase_add_test(sy, decode__mptcp_subflow_ulp_attributes);
	tcase_add_test(lv, session__serves_the_next_dump_after_a_stop);
	tcase_add_test(lv, netns__unknown_name_fails_with_the_path);
	suite_add_tcase(s, fx);
	suite_add_tcase(s, sy);
	suite_add_tcase(s, lv);
	return s;
}

TAP_CHECK_MAIN
