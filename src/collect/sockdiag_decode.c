// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sock_diag decoder: netlink message buffers to struct sock_rec.
 * Pure: it reads only the bytes it is given (no socket, no /proc), so a
 * dump recorded on another host decodes to that host's sockets. Live
 * dumps are in sockdiag.c, dump files in src/import/dumpfile.c, and the
 * netlink owner's process name (which needs this host's /proc) is added
 * by nlcomm.c, for live listings only.
 *
 * INPUT FORMAT. A dump is a stream of netlink messages, back to back,
 * each padded to 4 bytes (NLMSG_ALIGN):
 *
 *   <nlmsghdr 16: len u32, type u16, flags u16, seq u32, pid u32>
 *   <family header> <attributes>                 ...repeated...
 *   <nlmsghdr type NLMSG_DONE> <int: 0, or -errno>
 *
 * type 20 (SOCK_DIAG_BY_FAMILY) carries one socket. The family header
 * depends on the table that was asked for:
 *
 *   tcp/udp/raw/mptcp  struct inet_diag_msg      72 bytes
 *   unix               struct unix_diag_msg      16 bytes
 *   packet             struct packet_diag_msg    16 bytes
 *   netlink            struct netlink_diag_msg   28 bytes
 *
 * Attributes follow as <rta_len u16, rta_type u16, payload>, each padded
 * to 4 bytes; rta_len counts the 4-byte header and the payload but not
 * the padding. Types we read (payload size checked, shorter is an error):
 *
 *   inet:    MEMINFO 16, INFO any (tcp_info grows with every kernel;
 *            for MPTCP it is a struct mptcp_info), VEGASINFO 16, CONG
 *            string, TOS 1, TCLASS 1, SKMEMINFO >= 28 (7 u32 on old
 *            kernels, 9 since backlog and drops were added), SHUTDOWN 1,
 *            DCTCPINFO 16, PROTOCOL 1, SKV6ONLY 1, MARK 4, BBRINFO 20,
 *            CLASS_ID 4, ULP_INFO nested {NAME string, MPTCP nested
 *            {SUBFLOW_ATTR_*: u32; MAP_SEQ u64, DATALEN u16, IDs u8}}, CGROUP_ID 8,
 *            SOCKOPT 2, MD5SIG n * 100 (struct tcp_diag_md5sig)
 *   unix:    NAME <= 108 (sun_path; leading NUL = abstract; a path
 *            name includes its terminating NUL), VFS 8,
 *            PEER 4, ICONS n*4, RQLEN 8, MEMINFO >= 28, SHUTDOWN 1, UID 4
 *   packet:  INFO 24, FANOUT 4, UID 4, MEMINFO >= 28
 *   netlink: MEMINFO >= 28, GROUPS 0..n words
 *
 * Anything else (LOCALS, rings, bpf filters, future types) is
 * skipped. NLMSG_ERROR carries a struct nlmsgerr whose first int is
 * -errno (0 is an ACK). NLM_F_DUMP_INTR in any message's flags means the
 * kernel saw the table change under the dump.
 *
 * A recorded dump (ss -D, TCPDIAG_FILE) is exactly these bytes: each
 * recvmsg buffer written as received, so a v4+v6 recording holds two
 * DONE messages. ss writes seq 123456; we use the same first seq.
 *
 * Where ss 6.1 takes its numbers from (so rows match it):
 *   - packet: Recv-Q = MEMINFO[RMEM_ALLOC], Send-Q 0, state UNCONN.
 *   - netlink: Recv-Q = MEMINFO[RMEM_ALLOC], Send-Q = MEMINFO[WMEM_ALLOC],
 *     state UNCONN; owner name from PROC_ROOT/PORTID/stat (not here:
 *     nlcomm_fill(), after decoding, on live records only).
 *   - unix: queues from RQLEN.
 * The decoder puts those into rqueue/wqueue, so renderers need not know.
 */
#include "sockdiag_decode.h"

#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <linux/inet_diag.h>
#include <linux/mptcp.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

#define SUN_PATH_MAX 108

struct attr_it {
	const uint8_t *p;
	size_t left;
	size_t off;              /* stream offset of p, for messages */
};

struct attr {
	uint16_t type;
	const uint8_t *data;
	size_t len;
	size_t off;
};

static void attr_bad(const struct attr_it *it, const struct diag_decoder *d,
		     struct strbuf *err)
{
	uint16_t rlen, rtype;

	if (it->left < 4) {
		error_set(err, "%s: truncated attribute header at byte %zu",
			  d->what, it->off);
		return;
	}
	memcpy(&rlen, it->p, 2);
	memcpy(&rtype, it->p + 2, 2);
	error_set(err, "%s: attribute %u at byte %zu has bad length %u (%zu bytes left)",
		  d->what, rtype & NLA_TYPE_MASK, it->off, rlen, it->left);
}

/*
 * 1: got one, 0: end, -1: malformed (message in err). Inline, with the
 * error text out of line: it runs for every attribute of every socket.
 */
static inline int attr_next(struct attr_it *it, struct attr *a,
			    const struct diag_decoder *d, struct strbuf *err)
{
	uint16_t rlen, rtype;
	size_t adv;

	if (!it->left)
		return 0;
	if (it->left < 4)
		goto bad;
	memcpy(&rlen, it->p, 2);
	memcpy(&rtype, it->p + 2, 2);
	if (rlen < 4 || rlen > it->left)
		goto bad;
	a->type = rtype & NLA_TYPE_MASK;
	a->data = it->p + 4;
	a->len = rlen - 4u;
	a->off = it->off;
	adv = NLA_ALIGN(rlen);
	if (adv >= it->left) {
		it->left = 0;
	} else {
		it->p += adv;
		it->left -= adv;
		it->off += adv;
	}
	return 1;
bad:
	attr_bad(it, d, err);
	return -1;
}

static int attr_short(const struct attr *a, size_t want, const struct diag_decoder *d,
		      struct strbuf *err)
{
	if (a->len >= want)
		return 0;
	return error_set(err, "%s: attribute %u at byte %zu is too short (%zu bytes, want %zu)",
			 d->what, a->type, a->off, a->len, want);
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* A kernel string: up to dst_size-1 bytes, stopping at a NUL. */
static void get_str(char *dst, size_t dst_size, const struct attr *a)
{
	size_t n = 0;

	while (n < a->len && n + 1 < dst_size && a->data[n])
		n++;
	memcpy(dst, a->data, n);
	dst[n] = '\0';
}

static int get_skmem(struct sock_rec *s, const struct attr *a,
		     const struct diag_decoder *d, struct strbuf *err)
{
	size_t n;

	if (attr_short(a, (SK_MEMINFO_OPTMEM + 1) * 4, d, err))
		return -1;
	n = a->len / 4;
	if (n > SK_MEMINFO_VARS)
		n = SK_MEMINFO_VARS;
	memcpy(s->skmem, a->data, n * 4);
	s->skmem_n = (uint8_t)n;
	s->has_skmem = true;
	return 0;
}

typedef int (*nested_fn)(struct sock_rec *s, const struct attr *a,
			 const struct diag_decoder *d, struct strbuf *err);

/* fn on each attribute nested in outer; stops at its first error. */
static int each_nested(struct sock_rec *s, const struct attr *outer, nested_fn fn,
		       const struct diag_decoder *d, struct strbuf *err)
{
	struct attr_it it = { outer->data, outer->len, outer->off + 4 };
	struct attr a;
	int r;

	while ((r = attr_next(&it, &a, d, err)) > 0)
		if (fn(s, &a, d, err) < 0)
			return -1;
	return r;
}

/* One attribute of ULP_INFO's MPTCP subflow nest; short is an error. */
static int mptcp_sf_attr(struct sock_rec *s, const struct attr *a,
			 const struct diag_decoder *d, struct strbuf *err)
{
	union { uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64; } v = { 0 };
	size_t want = a->type == MPTCP_SUBFLOW_ATTR_MAP_SEQ ? 8 :
		      a->type == MPTCP_SUBFLOW_ATTR_ID_REM ||
		      a->type == MPTCP_SUBFLOW_ATTR_ID_LOC ? 1 :
		      a->type == MPTCP_SUBFLOW_ATTR_MAP_DATALEN ? 2 : 4;

	if (a->type > MPTCP_SUBFLOW_ATTR_ID_LOC)
		return 0;
	if (attr_short(a, want, d, err))
		return -1;
	s->mptcp_sf.present |= (uint16_t)(1u << a->type);
	/* Host order: u8 (IDs), u16 (MAP_DATALEN), u64 (MAP_SEQ), else u32. */
	memcpy(&v, a->data, want);
	s->mptcp_sf.val[a->type] = want == 1 ? v.u8 : want == 2 ? v.u16 :
				   want == 4 ? v.u32 : v.u64;
	return 0;
}

static int ulp_attr(struct sock_rec *s, const struct attr *a,
		    const struct diag_decoder *d, struct strbuf *err)
{
	if (a->type == INET_ULP_INFO_NAME) {
		get_str(s->ulp, sizeof(s->ulp), a);
		s->has_ulp = true;
	} else if (a->type == INET_ULP_INFO_MPTCP) {
		return each_nested(s, a, mptcp_sf_attr, d, err) < 0 ? -1 : 0;
	}
	return 0;
}

/*
 * Longer than 80 lines on purpose: one case per attribute type, each with
 * its own size check next to the field it fills, which a table of
 * offsets would separate.
 */
static int decode_inet_attr(struct sock_rec *s, const struct attr *a,
			    const struct diag_decoder *d, struct strbuf *err)
{
	switch (a->type) {
	case INET_DIAG_MEMINFO:
		if (attr_short(a, sizeof(s->meminfo), d, err))
			return -1;
		memcpy(&s->meminfo, a->data, sizeof(s->meminfo));
		s->has_meminfo = true;
		break;
	case INET_DIAG_INFO:
		/* Variable by design: old kernels send less, new ones more. */
		if (d->table == TBL_MPTCP) {
			s->mptcpi = a->len ? a->data : NULL;
			s->mptcpi_len = a->len > UINT16_MAX ? UINT16_MAX : (uint16_t)a->len;
		} else {
			s->tcpi = a->len ? a->data : NULL;
			s->tcpi_len = a->len > UINT16_MAX ? UINT16_MAX : (uint16_t)a->len;
		}
		break;
	case INET_DIAG_VEGASINFO:
		if (attr_short(a, sizeof(s->vegas), d, err))
			return -1;
		memcpy(&s->vegas, a->data, sizeof(s->vegas));
		s->has_vegas = true;
		break;
	case INET_DIAG_DCTCPINFO:
		if (attr_short(a, sizeof(s->dctcp), d, err))
			return -1;
		memcpy(&s->dctcp, a->data, sizeof(s->dctcp));
		s->has_dctcp = true;
		break;
	case INET_DIAG_BBRINFO:
		if (attr_short(a, sizeof(s->bbr), d, err))
			return -1;
		memcpy(&s->bbr, a->data, sizeof(s->bbr));
		s->has_bbr = true;
		break;
	case INET_DIAG_CONG:
		get_str(s->cong, sizeof(s->cong), a);
		s->has_cong = true;
		break;
	case INET_DIAG_TOS:
	case INET_DIAG_TCLASS:
	case INET_DIAG_SHUTDOWN:
	case INET_DIAG_PROTOCOL:
	case INET_DIAG_SKV6ONLY:
		if (attr_short(a, 1, d, err))
			return -1;
		if (a->type == INET_DIAG_TOS) {
			s->tos = a->data[0];
			s->has_tos = true;
		} else if (a->type == INET_DIAG_TCLASS) {
			s->tclass = a->data[0];
			s->has_tclass = true;
		} else if (a->type == INET_DIAG_SHUTDOWN) {
			s->shutdown = a->data[0];
			s->has_shutdown = true;
		} else if (a->type == INET_DIAG_PROTOCOL) {
			s->protocol = a->data[0];
		} else {
			s->v6only = a->data[0];
			s->has_v6only = true;
		}
		break;
	case INET_DIAG_SKMEMINFO:
		return get_skmem(s, a, d, err);
	case INET_DIAG_MARK:
	case INET_DIAG_CLASS_ID:
		if (attr_short(a, 4, d, err))
			return -1;
		if (a->type == INET_DIAG_MARK) {
			s->mark = get_u32(a->data);
			s->has_mark = true;
		} else {
			s->class_id = get_u32(a->data);
			s->has_class_id = true;
		}
		break;
	case INET_DIAG_CGROUP_ID:
		if (attr_short(a, 8, d, err))
			return -1;
		s->cgroup_id = get_u64(a->data);
		s->has_cgroup = true;
		break;
	case INET_DIAG_SOCKOPT:
		if (attr_short(a, sizeof(s->sockopt), d, err))
			return -1;
		memcpy(&s->sockopt, a->data, sizeof(s->sockopt));
		s->has_sockopt = true;
		break;
	case INET_DIAG_ULP_INFO:
		return each_nested(s, a, ulp_attr, d, err) < 0 ? -1 : 0;
	case INET_DIAG_MD5SIG: {
		size_t n = a->len / sizeof(struct tcp_diag_md5sig);

		if (n > UINT16_MAX / sizeof(struct tcp_diag_md5sig))
			n = UINT16_MAX / sizeof(struct tcp_diag_md5sig);
		s->md5sig = n ? a->data : NULL;
		s->md5sig_len = (uint16_t)(n * sizeof(struct tcp_diag_md5sig));
		break;
	}
	default:
		break;
	}
	return 0;
}

static const uint8_t table_netid[TBL_MAX] = {
	[TBL_TCP] = NETID_TCP,
	[TBL_UDP] = NETID_UDP,
	[TBL_RAW] = NETID_RAW,
	[TBL_MPTCP] = NETID_MPTCP,
};

/*
 * What rec.protocol holds when the kernel sends no INET_DIAG_PROTOCOL.
 * MPTCP's 262 does not fit a byte; the kernel's own u8 view of it is 6.
 */
static const uint8_t table_proto[TBL_MAX] = {
	[TBL_TCP] = IPPROTO_TCP,
	[TBL_UDP] = IPPROTO_UDP,
	[TBL_RAW] = IPPROTO_RAW,
	[TBL_MPTCP] = (uint8_t)IPPROTO_MPTCP,
};

static int decode_inet(struct sock_rec *s, const uint8_t *p, size_t len,
		       size_t off, const struct diag_decoder *d, struct strbuf *err)
{
	struct inet_diag_msg r;
	struct attr_it it;
	struct attr a;
	int ret;

	if (len < sizeof(r))
		return error_set(err, "%s: inet_diag_msg at byte %zu is too short (%zu bytes)",
				 d->what, off, len);
	memcpy(&r, p, sizeof(r));
	s->family = r.idiag_family;
	s->state = r.idiag_state;
	s->timer = r.idiag_timer;
	s->retrans = r.idiag_retrans;
	s->sport = ntohs(r.id.idiag_sport);
	s->dport = ntohs(r.id.idiag_dport);
	memcpy(s->saddr, r.id.idiag_src, 16);
	memcpy(s->daddr, r.id.idiag_dst, 16);
	s->ifindex = r.id.idiag_if;
	s->cookie = (uint64_t)r.id.idiag_cookie[0] |
		    (uint64_t)r.id.idiag_cookie[1] << 32;
	s->expires_ms = r.idiag_expires;
	s->rqueue = r.idiag_rqueue;
	s->wqueue = r.idiag_wqueue;
	s->uid = r.idiag_uid;
	s->inode = r.idiag_inode;
	s->netid = table_netid[d->table];
	s->protocol = table_proto[d->table];

	it.p = p + NLMSG_ALIGN(sizeof(r));
	it.left = len > NLMSG_ALIGN(sizeof(r)) ? len - NLMSG_ALIGN(sizeof(r)) : 0;
	it.off = off + NLMSG_ALIGN(sizeof(r));
	while ((ret = attr_next(&it, &a, d, err)) > 0)
		if (decode_inet_attr(s, &a, d, err))
			return -1;
	return ret;
}

/* Long for the same reason as decode_inet_attr(): one case per attribute. */
static int decode_unix(struct sock_rec *s, const uint8_t *p, size_t len,
		       size_t off, const struct diag_decoder *d, struct strbuf *err)
{
	struct unix_diag_msg r;
	struct attr_it it;
	struct attr a;
	int ret;

	if (len < sizeof(r))
		return error_set(err, "%s: unix_diag_msg at byte %zu is too short (%zu bytes)",
				 d->what, off, len);
	memcpy(&r, p, sizeof(r));
	s->family = r.udiag_family;
	s->protocol = r.udiag_type;
	s->state = r.udiag_state;
	s->inode = r.udiag_ino;
	s->cookie = (uint64_t)r.udiag_cookie[0] |
		    (uint64_t)r.udiag_cookie[1] << 32;
	switch (r.udiag_type) {
	case SOCK_STREAM:
		s->netid = NETID_U_STR;
		break;
	case SOCK_DGRAM:
		s->netid = NETID_U_DGR;
		break;
	case SOCK_SEQPACKET:
		s->netid = NETID_U_SEQ;
		break;
	default:
		return 1;        /* ss has no Netid for it either: skip */
	}

	it.p = p + sizeof(r);
	it.left = len - sizeof(r);
	it.off = off + sizeof(r);
	while ((ret = attr_next(&it, &a, d, err)) > 0) {
		switch (a.type) {
		case UNIX_DIAG_NAME:
			if (a.len > SUN_PATH_MAX)
				return error_set(err, "%s: unix name at byte %zu is %zu bytes, longer than sun_path",
						 d->what, a.off, a.len);
			s->u.un.path = (const char *)a.data;
			/*
			 * The kernel counts a path's terminating NUL; ss prints
			 * a path up to its first NUL. An abstract name is all
			 * its bytes (ss shows each NUL as '@').
			 */
			s->u.un.path_len = a.len && a.data[0] ?
				(uint16_t)strnlen((const char *)a.data, a.len) :
				(uint16_t)a.len;
			break;
		case UNIX_DIAG_VFS:
			if (attr_short(&a, 8, d, err))
				return -1;
			s->u.un.vfs_ino = get_u32(a.data);
			s->u.un.vfs_dev = get_u32(a.data + 4);
			s->u.un.has_vfs = true;
			break;
		case UNIX_DIAG_PEER:
			if (attr_short(&a, 4, d, err))
				return -1;
			s->u.un.peer_ino = get_u32(a.data);
			break;
		case UNIX_DIAG_ICONS:
			/* Attribute payloads are 4-aligned in the buffer. */
			s->u.un.icons = (uint32_t *)(uintptr_t)a.data;
			s->u.un.n_icons = (uint32_t)(a.len / 4);
			break;
		case UNIX_DIAG_RQLEN:
			if (attr_short(&a, 8, d, err))
				return -1;
			s->u.un.rq = get_u32(a.data);
			s->u.un.wq = get_u32(a.data + 4);
			s->u.un.has_rqlen = true;
			s->rqueue = s->u.un.rq;
			s->wqueue = s->u.un.wq;
			break;
		case UNIX_DIAG_MEMINFO:
			if (get_skmem(s, &a, d, err))
				return -1;
			break;
		case UNIX_DIAG_SHUTDOWN:
			if (attr_short(&a, 1, d, err))
				return -1;
			s->shutdown = a.data[0];
			s->has_shutdown = true;
			break;
		case UNIX_DIAG_UID:
			if (attr_short(&a, 4, d, err))
				return -1;
			s->uid = get_u32(a.data);
			break;
		default:
			break;
		}
	}
	return ret;
}

static int decode_packet(struct sock_rec *s, const uint8_t *p, size_t len,
			 size_t off, const struct diag_decoder *d, struct strbuf *err)
{
	struct packet_diag_msg r;
	struct packet_diag_info pi;
	struct attr_it it;
	struct attr a;
	int ret;

	if (len < sizeof(r))
		return error_set(err, "%s: packet_diag_msg at byte %zu is too short (%zu bytes)",
				 d->what, off, len);
	memcpy(&r, p, sizeof(r));
	s->family = r.pdiag_family;
	s->protocol = r.pdiag_type;
	s->netid = r.pdiag_type == SOCK_DGRAM ? NETID_P_DGR : NETID_P_RAW;
	s->state = SS_CLOSE;             /* what ss prints: UNCONN */
	s->inode = r.pdiag_ino;
	s->cookie = (uint64_t)r.pdiag_cookie[0] |
		    (uint64_t)r.pdiag_cookie[1] << 32;
	s->u.pk.proto = r.pdiag_num;     /* the kernel already ntohs()ed it */

	it.p = p + sizeof(r);
	it.left = len - sizeof(r);
	it.off = off + sizeof(r);
	while ((ret = attr_next(&it, &a, d, err)) > 0) {
		switch (a.type) {
		case PACKET_DIAG_INFO:
			if (attr_short(&a, sizeof(pi), d, err))
				return -1;
			memcpy(&pi, a.data, sizeof(pi));
			s->u.pk.ifindex = pi.pdi_index;
			s->ifindex = pi.pdi_index;
			s->u.pk.version = pi.pdi_version;
			s->u.pk.copy_thresh = pi.pdi_copy_thresh;
			s->u.pk.flags = pi.pdi_flags;
			s->u.pk.has_info = true;
			break;
		case PACKET_DIAG_FANOUT:
			if (attr_short(&a, 4, d, err))
				return -1;
			s->u.pk.fanout = get_u32(a.data);
			s->u.pk.has_fanout = true;
			break;
		case PACKET_DIAG_UID:
			if (attr_short(&a, 4, d, err))
				return -1;
			s->uid = get_u32(a.data);
			break;
		case PACKET_DIAG_MEMINFO:
			if (get_skmem(s, &a, d, err))
				return -1;
			s->rqueue = s->skmem[SK_MEMINFO_RMEM_ALLOC];
			break;
		default:
			break;
		}
	}
	return ret;
}

/*
 * ss 6.1 (netlink_show_one) reads PROC_ROOT/PID/stat with "%*d (%[^)])":
 * the comm up to the first ')', nothing if it is empty. A portid is a
 * pid only for the first socket a process opens; for others the file
 * usually does not exist and ss prints the number.
 */
static int decode_netlink(struct sock_rec *s, const uint8_t *p, size_t len,
			  size_t off, const struct diag_decoder *d, struct strbuf *err)
{
	struct netlink_diag_msg r;
	struct attr_it it;
	struct attr a;
	int ret;

	if (len < sizeof(r))
		return error_set(err, "%s: netlink_diag_msg at byte %zu is too short (%zu bytes)",
				 d->what, off, len);
	memcpy(&r, p, sizeof(r));
	s->family = r.ndiag_family;
	s->protocol = r.ndiag_type;
	s->netid = NETID_NL;
	s->state = SS_CLOSE;             /* what ss prints: UNCONN */
	s->inode = r.ndiag_ino;
	s->cookie = (uint64_t)r.ndiag_cookie[0] |
		    (uint64_t)r.ndiag_cookie[1] << 32;
	s->u.nl.protocol = r.ndiag_protocol;
	s->u.nl.portid = r.ndiag_portid;
	s->u.nl.dst_portid = r.ndiag_dst_portid;
	s->u.nl.dst_group = r.ndiag_dst_group;
	s->u.nl.connected = r.ndiag_state == 1;  /* NETLINK_CONNECTED */

	it.p = p + sizeof(r);
	it.left = len - sizeof(r);
	it.off = off + sizeof(r);
	while ((ret = attr_next(&it, &a, d, err)) > 0) {
		switch (a.type) {
		case NETLINK_DIAG_MEMINFO:
			if (get_skmem(s, &a, d, err))
				return -1;
			s->rqueue = s->skmem[SK_MEMINFO_RMEM_ALLOC];
			s->wqueue = s->skmem[SK_MEMINFO_WMEM_ALLOC];
			break;
		case NETLINK_DIAG_GROUPS:
			/* An array of unsigned long; ss shows the first. */
			if (a.len >= 8 && sizeof(unsigned long) == 8)
				s->u.nl.groups = get_u64(a.data);
			else if (a.len >= 4)
				s->u.nl.groups = get_u32(a.data);
			break;
		default:
			break;
		}
	}
	return ret;
}

/* 0: go on, 1: the callback stopped, -1: failed. */
static int decode_sock(struct diag_decoder *d, const uint8_t *p, size_t len,
		       size_t off, struct strbuf *err)
{
	struct sock_rec s;
	int r;

	memset(&s, 0, sizeof(s));
	s.table = (uint8_t)d->table;
	switch (d->table) {
	case TBL_TCP:
	case TBL_UDP:
	case TBL_RAW:
	case TBL_MPTCP:
		r = decode_inet(&s, p, len, off, d, err);
		break;
	case TBL_UNIX:
		r = decode_unix(&s, p, len, off, d, err);
		break;
	case TBL_PACKET:
		r = decode_packet(&s, p, len, off, d, err);
		break;
	case TBL_NETLINK:
		r = decode_netlink(&s, p, len, off, d, err);
		break;
	default:
		return error_set(err, "%s: unknown socket table %d", d->what,
				 (int)d->table);
	}
	if (r < 0)
		return r;
	if (r > 0 || !d->cb)
		return 0;        /* skipped, or nobody to tell */
	d->records++;
	r = d->cb(&s, d->ctx);
	if (r < SOCK_CB_STOP) {
		d->cb_failed = true;
		return -1;       /* the callback's message is the message */
	}
	if (r == SOCK_CB_STOP) {
		d->stopped = true;
		return 1;
	}
	return 0;
}

/* The kernel sends -errno; a hostile buffer may send INT_MIN. */
static int errno_of(int e)
{
	if (e == INT_MIN)
		return INT_MAX;
	return e < 0 ? -e : e;
}

/* DONE or ERROR: 0 to go on (success, an ACK), -1 with d->kerr set. */
static int control_msg(struct diag_decoder *d, const struct nlmsghdr *h,
		       const uint8_t *payload, size_t off, struct strbuf *err)
{
	int e;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int))) {
		if (h->nlmsg_type == NLMSG_DONE)
			return 0;        /* old kernels send a bare DONE */
		return error_set(err, "%s: truncated netlink error at byte %zu",
				 d->what, off);
	}
	memcpy(&e, payload, sizeof(e));
	if (h->nlmsg_type == NLMSG_DONE ? e >= 0 : e == 0)
		return 0;
	d->kerr = errno_of(e);
	if (h->nlmsg_type == NLMSG_DONE)
		return error_set(err, "%s: the kernel ended the dump with an error: %s",
				 d->what, strerror(d->kerr));
	return error_set(err, "%s: the kernel answered: %s", d->what,
			 strerror(d->kerr));
}

int sockdiag_decode_buf(struct diag_decoder *d, const void *vbuf, size_t len,
			size_t base, struct strbuf *err)
{
	const uint8_t *buf = vbuf;
	struct nlmsghdr h;
	size_t off = 0, adv;
	int done = DIAG_DECODE_MORE, r;

	while (off < len) {
		if (len - off < sizeof(h))
			return error_set(err, "%s: truncated netlink message at byte %zu",
					 d->what, base + off);
		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h))
			return error_set(err, "%s: bad netlink message length %u at byte %zu",
					 d->what, h.nlmsg_len, base + off);
		if (h.nlmsg_len > len - off)
			return error_set(err, "%s: truncated netlink message at byte %zu (length %u, %zu bytes left)",
					 d->what, base + off, h.nlmsg_len,
					 len - off);
		if (d->seq && h.nlmsg_seq != d->seq)
			goto next;
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			d->intr = true;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
		case NLMSG_ERROR:
			if (h.nlmsg_type == NLMSG_DONE)
				done = DIAG_DECODE_DONE;
			if (control_msg(d, &h, buf + off + sizeof(h), base + off, err))
				return -1;
			break;
		case NLMSG_OVERRUN:
			return error_set(err, "%s: netlink overrun at byte %zu",
					 d->what, base + off);
		case SOCK_DIAG_BY_FAMILY:
			if (d->scan_only)
				break;
			r = decode_sock(d, buf + off + sizeof(h), h.nlmsg_len - sizeof(h),
					base + off + sizeof(h), err);
			if (r)
				return r < 0 ? -1 : DIAG_DECODE_STOP;
			break;
		default:
			break;           /* NLMSG_NOOP and future types */
		}
next:
		adv = NLMSG_ALIGN(h.nlmsg_len);
		off = adv > len - off ? len : off + adv;
	}
	return done;
}

int sockdiag_cb_failed(const struct diag_decoder *d, size_t len_before,
		       struct strbuf *err)
{
	if (err && err->len == len_before)
		error_set(err, "%s: the socket callback failed without a message",
			  d->what);
	return -1;
}

int sockdiag_decode(const void *buf, size_t len, enum sock_table table,
		    sock_cb cb, void *ctx, bool *intr, struct strbuf *err)
{
	struct diag_decoder d;
	size_t len0 = err ? err->len : 0;
	int r;

	memset(&d, 0, sizeof(d));
	if ((unsigned)table >= TBL_MAX)
		return error_set(err, "sock_diag: unknown socket table %d",
				 (int)table);
	d.table = table;
	d.cb = cb;
	d.ctx = ctx;
	d.what = "sock_diag";
	r = sockdiag_decode_buf(&d, buf, len, 0, err);
	if (intr && d.intr)
		*intr = true;
	if (r < 0 && d.cb_failed)
		return sockdiag_cb_failed(&d, len0, err);
	return r;
}
