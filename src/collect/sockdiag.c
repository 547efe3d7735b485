// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The live sock_diag collector: a session (one NETLINK_SOCK_DIAG socket
 * and its receive buffer), the requests (a dump per table and family,
 * exact lookups of one socket), the receive loop and the NLM_F_DUMP_INTR
 * retries. It moves bytes only: sockdiag_decode.c turns them into
 * records, and the wire format is described there.
 *
 * A session serves many requests because a triage sample makes several
 * (listeners, every other state, the --peer dump, one lookup per stuck
 * connection), and reopening the socket and its 256 KiB buffer for each
 * showed in bench/RESULTS.md.
 */
#include "sockdiag.h"
#include "procnet_inet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/*
 * The kernel sizes each dump chunk to what recvmsg offered before, capped
 * near 32 KiB, so 256 KiB holds any chunk with room for one oversized
 * message (a unix listener's ICONS list). A message larger than this
 * fails with a message instead of being cut.
 */
#define SOCKDIAG_BUF_SIZE (256u << 10)
/* Queue room: lets the kernel keep the next chunk ready while we decode. */
#define SOCKDIAG_RCVBUF (1 << 20)
/* ss's MAGIC_SEQ, so our -D files carry the same bytes as ss's. */
#define SOCKDIAG_SEQ 123456u

/* How one request ended, besides failing (-1). */
enum {
	REQ_DONE = 0,
	REQ_ABSENT = 1,          /* the kernel has no such table */
	REQ_STOPPED = 2,         /* the callback returned SOCK_CB_STOP */
};

static const char *const table_name[TBL_MAX] = {
	[TBL_NETLINK] = "netlink",
	[TBL_PACKET] = "packet",
	[TBL_UNIX] = "unix",
	[TBL_RAW] = "raw",
	[TBL_UDP] = "udp",
	[TBL_TCP] = "tcp",
	[TBL_MPTCP] = "mptcp",
};

struct diag_session {
	struct mnl_socket *nl;
	uint8_t *buf;            /* SOCKDIAG_BUF_SIZE, allocated once */
	uint32_t seq;
	/*
	 * The last request was not read to its end (a callback stopped it,
	 * a receive failed): the kernel may still hold the rest of a dump
	 * for this socket and would refuse the next (EBUSY), and stale
	 * replies would queue up. The socket is replaced before reuse.
	 */
	bool unfinished;
};

static int session_socket(struct diag_session *s, struct strbuf *err)
{
	int rcvbuf = SOCKDIAG_RCVBUF;

	s->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!s->nl)
		return error_set(err, "cannot open a NETLINK_SOCK_DIAG socket: %s",
				 strerror(errno));
	/* FORCE passes rmem_max when we may; otherwise take what we get. */
	if (setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		error_set(err, "cannot bind the NETLINK_SOCK_DIAG socket: %s",
			  strerror(errno));
		mnl_socket_close(s->nl);
		s->nl = NULL;
		return -1;
	}
	s->unfinished = false;
	return 0;
}

int sockdiag_session_open(struct diag_session **out, struct strbuf *err)
{
	struct diag_session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return error_set(err, "sock_diag: out of memory");
	s->seq = SOCKDIAG_SEQ;
	s->buf = malloc(SOCKDIAG_BUF_SIZE);
	if (!s->buf) {
		free(s);
		return error_set(err, "sock_diag: out of memory for the receive buffer");
	}
	if (session_socket(s, err)) {
		free(s->buf);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void sockdiag_session_close(struct diag_session *s)
{
	if (!s)
		return;
	if (s->nl)
		mnl_socket_close(s->nl);
	free(s->buf);
	free(s);
}

/* Send one request on a clean socket; it is unfinished until read to its end. */
static int session_send(struct diag_session *s, const struct nlmsghdr *nlh,
			enum sock_table t, struct strbuf *err)
{
	if (s->unfinished || !s->nl) {
		if (s->nl)
			mnl_socket_close(s->nl);
		s->nl = NULL;
		if (session_socket(s, err))
			return -1;
	}
	s->unfinished = true;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return error_set(err, "cannot send the sock_diag request for %s: %s",
				 table_name[t], strerror(errno));
	return 0;
}

static int session_recv(struct diag_session *s, enum sock_table t, size_t *len,
			struct strbuf *err)
{
	ssize_t n;

	for (;;) {
		n = mnl_socket_recvfrom(s->nl, s->buf, SOCKDIAG_BUF_SIZE);
		if (n >= 0) {
			*len = (size_t)n;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == ENOSPC)
			return error_set(err, "sock_diag %s dump: a message did not fit the %u-byte receive buffer",
					 table_name[t], SOCKDIAG_BUF_SIZE);
		return error_set(err, "sock_diag %s dump: receive failed: %s",
				 table_name[t], strerror(errno));
	}
}

static void put_header(struct nlmsghdr *nlh, uint32_t seq, uint16_t flags)
{
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
}

/*
 * Errors that mean "this kernel has no such table": ENOENT (no diag
 * handler registered, module absent), EINVAL/EPROTONOSUPPORT/EOPNOTSUPP
 * (protocol unknown or too new for the request format).
 */
static bool kerr_is_absent(int e)
{
	return e == ENOENT || e == EINVAL || e == EPROTONOSUPPORT ||
	       e == EOPNOTSUPP;
}

/* The inet_diag extensions (idiag_ext bits) for enum diag_need. */
static uint8_t inet_ext(unsigned needs)
{
	unsigned ext = 0;

	if (needs & DIAG_NEED_MEM)
		ext |= 1u << (INET_DIAG_MEMINFO - 1) | 1u << (INET_DIAG_SKMEMINFO - 1);
	if (needs & DIAG_NEED_INFO)
		ext |= 1u << (INET_DIAG_INFO - 1) | 1u << (INET_DIAG_VEGASINFO - 1) |
		       1u << (INET_DIAG_CONG - 1);
	if (needs & DIAG_NEED_TOS)
		ext |= 1u << (INET_DIAG_TOS - 1) | 1u << (INET_DIAG_TCLASS - 1);
	return (uint8_t)ext;
}

static void build_inet(struct nlmsghdr *nlh, const struct diag_query *q,
		       enum sock_table t, int family)
{
	struct inet_diag_req_v2 *r;
	static const uint8_t proto[TBL_MAX] = {
		[TBL_TCP] = IPPROTO_TCP,
		[TBL_UDP] = IPPROTO_UDP,
		[TBL_RAW] = IPPROTO_RAW,
		/* Ignored: INET_DIAG_REQ_PROTOCOL names the protocol. */
		[TBL_MPTCP] = 0,
	};

	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = (uint8_t)family;
	r->sdiag_protocol = proto[t];
	/*
	 * raw: `pad` is inet_diag_req_raw's sdiag_raw_protocol, which only
	 * exact lookups read; a dump lists raw sockets of every protocol
	 * whatever it holds (raw_diag_dump filters on family and ports).
	 * ss sends 0 and so do we.
	 */
	r->idiag_states = q->states;
	r->idiag_ext = inet_ext(q->needs);
	if (t == TBL_MPTCP)
		mnl_attr_put_u32(nlh, INET_DIAG_REQ_PROTOCOL, IPPROTO_MPTCP);
	/*
	 * Only TCP and UDP: raw_diag and mptcp_diag may not run it (and raw
	 * rows may come from /proc), so their rows are filtered by the caller.
	 */
	if (q->bytecode && q->bytecode_len && q->bytecode_len <= SOCKDIAG_BYTECODE_MAX &&
	    (t == TBL_TCP || t == TBL_UDP))
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, q->bytecode_len, q->bytecode);
}

static void build_request(struct nlmsghdr *nlh, const struct diag_query *q,
			  enum sock_table t, int family)
{
	switch (t) {
	case TBL_UNIX: {
		struct unix_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = AF_UNIX;
		r->udiag_states = q->states;
		/* ss 6.1: NAME|PEER|RQLEN always, VFS|ICONS with -e, MEMINFO with -m. */
		r->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
		if (q->needs & DIAG_NEED_UNIX_VFS)
			r->udiag_show |= UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS;
		if (q->needs & DIAG_NEED_UNIX_MEM)
			r->udiag_show |= UDIAG_SHOW_MEMINFO;
		break;
	}
	case TBL_PACKET: {
		struct packet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = AF_PACKET;
		/* MEMINFO gives Recv-Q; INFO the device and -e details. */
		r->pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO |
				PACKET_SHOW_FANOUT;
		break;
	}
	case TBL_NETLINK: {
		struct netlink_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

		r->sdiag_family = AF_NETLINK;
		r->sdiag_protocol = NDIAG_PROTO_ALL;
		r->ndiag_show = NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO;
		break;
	}
	default:
		build_inet(nlh, q, t, family);
		break;
	}
}

/* 0 or -1. Writes what the kernel sent, as ss -D does. */
static int record_chunk(const struct diag_query *q, const uint8_t *buf,
			size_t n, struct strbuf *err)
{
	if (fwrite(buf, 1, n, q->record) == n)
		return 0;
	return error_set(err, "cannot write '%s': %s",
			 q->record_name ? q->record_name : "dump file",
			 strerror(errno));
}

/*
 * One dump request, read to its DONE. Returns REQ_DONE, REQ_ABSENT
 * (nothing was decoded), REQ_STOPPED, or -1.
 */
static int dump_one(struct diag_session *ds, const struct diag_query *q,
		    struct diag_decoder *d, int family, struct strbuf *err)
{
	/* aligned room: header, request, a u32 attribute and the bytecode */
	uint32_t req[64 + (SOCKDIAG_BYTECODE_MAX + 8) / 4];
	struct nlmsghdr *nlh;
	struct strbuf derr = STRBUF_INIT;
	size_t n, len0 = err ? err->len : 0;
	int r, ret = -1;

	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	put_header(nlh, ds->seq++, NLM_F_REQUEST | NLM_F_DUMP);
	build_request(nlh, q, d->table, family);
	d->seq = nlh->nlmsg_seq;
	d->kerr = 0;
	if (session_send(ds, nlh, d->table, err))
		goto out;
	for (;;) {
		if (session_recv(ds, d->table, &n, err))
			goto out;
		if (q->record && record_chunk(q, ds->buf, NLMSG_ALIGN(n), err))
			goto out;
		r = sockdiag_decode_buf(d, ds->buf, n, 0, &derr);
		if (r < 0) {
			if (d->cb_failed) {
				sockdiag_cb_failed(d, len0, err);
				goto out;
			}
			if (d->kerr)
				ds->unfinished = false;  /* the kernel ended it */
			if (d->kerr && kerr_is_absent(d->kerr) && !d->records) {
				ret = REQ_ABSENT;
				goto out;
			}
			error_set(err, "%s dump: %s", table_name[d->table], derr.buf);
			goto out;
		}
		if (r == DIAG_DECODE_STOP) {
			ret = REQ_STOPPED;
			goto out;
		}
		if (r == DIAG_DECODE_DONE)
			break;
	}
	ds->unfinished = false;
	ret = REQ_DONE;
out:
	strbuf_release(&derr);
	return ret;
}

static bool table_wanted(const struct diag_query *q, enum sock_table t)
{
	unsigned fam = q->families ? q->families : DIAG_FAM_INET | DIAG_FAM_INET6;

	if (!(q->tables & TBL_BIT(t)))
		return false;
	switch (t) {
	case TBL_NETLINK:
	case TBL_PACKET:
		/* Their sockets are all UNCONN to ss; it skips them otherwise. */
		return q->states & (1u << SS_CLOSE);
	case TBL_UNIX:
		return true;
	default:
		return fam & (DIAG_FAM_INET | DIAG_FAM_INET6);
	}
}

/*
 * A table, v4 then v6 for the inet ones. NLM_F_DUMP_INTR: the whole
 * table is dumped again (after on_restart), at most SOCKDIAG_INTR_RETRIES
 * times; callbacks made for the torn attempt stand, and stats say so.
 * Returns REQ_DONE, REQ_STOPPED or -1.
 */
static int dump_table(struct diag_session *ds, const struct diag_query *q,
		      enum sock_table t, sock_cb cb, void *ctx,
		      struct strbuf *err)
{
	unsigned fam = q->families ? q->families : DIAG_FAM_INET | DIAG_FAM_INET6;
	static const int families[2] = { AF_INET, AF_INET6 };
	static const unsigned fam_bits[2] = { DIAG_FAM_INET, DIAG_FAM_INET6 };
	bool inet = t == TBL_TCP || t == TBL_UDP || t == TBL_RAW || t == TBL_MPTCP;
	unsigned attempt, i;
	struct diag_decoder d;
	bool intr;
	int r;

	for (attempt = 0; attempt <= SOCKDIAG_INTR_RETRIES; attempt++) {
		intr = false;
		for (i = 0; i < (inet ? 2u : 1u); i++) {
			if (inet && !(fam & fam_bits[i]))
				continue;
			memset(&d, 0, sizeof(d));
			d.table = t;
			d.cb = cb;
			d.ctx = ctx;
			d.what = "sock_diag";
			d.scan_only = q->record != NULL;
			r = dump_one(ds, q, &d, inet ? families[i] : AF_UNSPEC, err);
			intr |= d.intr;
			if (q->stats)
				q->stats->records += d.records;
			if (r < 0 || r == REQ_STOPPED)
				return r;
			if (r == REQ_ABSENT) {
				if (q->stats)
					q->stats->absent_tables |= TBL_BIT(t);
				/* No raw_diag: ss reads /proc/net/raw{,6}; so do we. */
				if (t == TBL_RAW && !q->record && cb) {
					r = procnet_raw_read(q->proc_root,
							     q->proc_families ? q->proc_families : fam,
							     q->states,
							     cb, ctx, err);
					return r > 0 ? REQ_STOPPED : r;
				}
				return REQ_DONE;
			}
		}
		if (!intr)
			return REQ_DONE;
		if (attempt == SOCKDIAG_INTR_RETRIES)
			break;
		if (q->stats) {
			q->stats->intr_retries++;
			q->stats->intr_tables |= TBL_BIT(t);
		}
		if (q->on_restart && q->on_restart(t, ctx) < 0)
			return error_set(err, "the %s dump was interrupted and the caller chose not to retry",
					 table_name[t]);
	}
	return error_set(err, "the %s dump was interrupted %u times in a row (the socket table kept changing); giving up",
			 table_name[t], SOCKDIAG_INTR_RETRIES + 1);
}

int sockdiag_collect(const struct diag_query *q, sock_cb cb, void *ctx,
		     struct strbuf *err)
{
	struct diag_session *own = NULL, *ds = q->session;
	int t, r, ret = -1;

	if (q->record && !(q->tables & TBL_BIT(TBL_TCP)))
		return error_set(err, "recording a dump needs the tcp table");
	if (!ds) {
		if (sockdiag_session_open(&own, err))
			return -1;
		ds = own;
	}
	for (t = 0; t < TBL_MAX; t++) {
		/* -D records the TCP dump only, as ss does. */
		if (q->record && t != TBL_TCP)
			continue;
		if (!table_wanted(q, (enum sock_table)t))
			continue;
		r = dump_table(ds, q, (enum sock_table)t, cb, ctx, err);
		if (r < 0)
			goto out;
		if (r == REQ_STOPPED)
			break;
	}
	if (q->record && fflush(q->record)) {
		error_set(err, "cannot write '%s': %s",
			  q->record_name ? q->record_name : "dump file",
			  strerror(errno));
		goto out;
	}
	ret = 0;
out:
	sockdiag_session_close(own);
	return ret;
}

void sockdiag_id_of(const struct sock_rec *r, struct diag_sock_id *id)
{
	memset(id, 0, sizeof(*id));
	id->family = r->family;
	id->sport = r->sport;
	id->dport = r->dport;
	memcpy(id->saddr, r->saddr, sizeof(id->saddr));
	memcpy(id->daddr, r->daddr, sizeof(id->daddr));
	id->ifindex = r->ifindex;
	id->cookie = r->cookie;
}

/*
 * Not a dump: without NLM_F_DUMP, tcp_diag looks the 4-tuple up in its
 * hash (bound device as given) and checks the cookie, so a socket closed
 * since, or a new one on the same tuple, answers ENOENT. The reply is
 * one message or one error, no DONE.
 */
int sockdiag_lookup(struct diag_session *ds, const struct diag_sock_id *id,
		    unsigned needs, sock_cb cb, void *ctx, struct strbuf *err)
{
	uint32_t req[64];
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *r;
	struct diag_decoder d;
	struct strbuf derr = STRBUF_INIT;
	size_t n, len0 = err ? err->len : 0;
	int rc, ret = -1;

	if (!cb)
		return error_set(err, "sock_diag tcp lookup: no callback to hand the socket to");
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	put_header(nlh, ds->seq++, NLM_F_REQUEST);
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = id->family;
	r->sdiag_protocol = IPPROTO_TCP;
	r->idiag_ext = inet_ext(needs);
	r->id.idiag_sport = htons(id->sport);
	r->id.idiag_dport = htons(id->dport);
	memcpy(r->id.idiag_src, id->saddr, sizeof(r->id.idiag_src));
	memcpy(r->id.idiag_dst, id->daddr, sizeof(r->id.idiag_dst));
	r->id.idiag_if = id->ifindex;
	r->id.idiag_cookie[0] = (uint32_t)id->cookie;
	r->id.idiag_cookie[1] = (uint32_t)(id->cookie >> 32);
	memset(&d, 0, sizeof(d));
	d.table = TBL_TCP;
	d.cb = cb;
	d.ctx = ctx;
	d.what = "sock_diag tcp lookup";
	d.seq = nlh->nlmsg_seq;
	if (session_send(ds, nlh, TBL_TCP, err))
		goto out;
	while (!d.records) {
		if (session_recv(ds, TBL_TCP, &n, err))
			goto out;
		rc = sockdiag_decode_buf(&d, ds->buf, n, 0, &derr);
		if (rc < 0 && d.cb_failed) {
			ds->unfinished = false;
			sockdiag_cb_failed(&d, len0, err);
			goto out;
		}
		if (rc < 0 && d.kerr)
			ds->unfinished = false;
		if (rc < 0 && d.kerr == ENOENT) {
			ret = 1;
			goto out;
		}
		if (rc < 0) {
			error_set(err, "%s", derr.buf);
			goto out;
		}
	}
	ds->unfinished = false;
	ret = 0;
out:
	strbuf_release(&derr);
	return ret;
}
