// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sock_diag collector and decoder.
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
 *            CLASS_ID 4, ULP_INFO nested {NAME string}, CGROUP_ID 8,
 *            SOCKOPT 2
 *   unix:    NAME <= 108 (sun_path; leading NUL = abstract; a path
 *            name includes its terminating NUL), VFS 8,
 *            PEER 4, ICONS n*4, RQLEN 8, MEMINFO >= 28, SHUTDOWN 1, UID 4
 *   packet:  INFO 24, FANOUT 4, UID 4, MEMINFO >= 28
 *   netlink: MEMINFO >= 28, GROUPS 0..n words
 *
 * Anything else (LOCALS, MD5SIG, rings, bpf filters, future types) is
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
 *     state UNCONN; owner name from PROC_ROOT/PORTID/stat.
 *   - unix: queues from RQLEN.
 * The decoder puts those into rqueue/wqueue, so renderers need not know.
 */
#include "sockdiag.h"
#include "procnet_inet.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
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
/* Replay reads this much at a time; no message may exceed REPLAY_MSG_MAX. */
#define REPLAY_CHUNK (64u << 10)
#define REPLAY_MSG_MAX (1u << 20)
#define SUN_PATH_MAX 108

struct dctx {
	enum sock_table table;
	sock_cb cb;
	void *ctx;
	const char *what;        /* message prefix: file name or "sock_diag" */
	const char *proc_root;   /* netlink comm lookup; NULL: none */
	bool *intr;
	uint32_t seq;            /* 0: accept any */
	bool scan_only;          /* -D: find DONE/ERROR, decode nothing */
	int kerr;                /* errno from NLMSG_ERROR or DONE, else 0 */
	uint64_t records;
};

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

static void attr_bad(const struct attr_it *it, const struct dctx *d,
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
			    const struct dctx *d, struct strbuf *err)
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

static int attr_short(const struct attr *a, size_t want, const struct dctx *d,
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
		     const struct dctx *d, struct strbuf *err)
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

static int decode_ulp(struct sock_rec *s, const struct attr *outer,
		      const struct dctx *d, struct strbuf *err)
{
	struct attr_it it = { outer->data, outer->len, outer->off + 4 };
	struct attr a;
	int r;

	while ((r = attr_next(&it, &a, d, err)) > 0) {
		if (a.type == INET_ULP_INFO_NAME) {
			get_str(s->ulp, sizeof(s->ulp), &a);
			s->has_ulp = true;
		}
	}
	return r;
}

static int decode_inet_attr(struct sock_rec *s, const struct attr *a,
			    const struct dctx *d, struct strbuf *err)
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
		return decode_ulp(s, a, d, err) < 0 ? -1 : 0;
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
		       size_t off, const struct dctx *d, struct strbuf *err)
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

static int decode_unix(struct sock_rec *s, const uint8_t *p, size_t len,
		       size_t off, const struct dctx *d, struct strbuf *err)
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
			 size_t off, const struct dctx *d, struct strbuf *err)
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
static void netlink_comm(struct sock_netlink *nl, const char *proc_root)
{
	char path[PATH_MAX], buf[128];
	const char *open_p, *close_p;
	ssize_t n;
	size_t len;
	int fd;

	if (nl->portid == 0 || nl->portid > INT32_MAX)
		return;
	if ((size_t)snprintf(path, sizeof(path), "%s/%u/stat", proc_root,
			     nl->portid) >= sizeof(path))
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	open_p = strchr(buf, '(');
	if (!open_p)
		return;
	open_p++;
	close_p = strchr(open_p, ')');
	len = close_p ? (size_t)(close_p - open_p) : strlen(open_p);
	if (!len)
		return;
	if (len > sizeof(nl->comm) - 1)
		len = sizeof(nl->comm) - 1;
	memcpy(nl->comm, open_p, len);
	nl->comm[len] = '\0';
	nl->has_comm = true;
}

static int decode_netlink(struct sock_rec *s, const uint8_t *p, size_t len,
			  size_t off, const struct dctx *d, struct strbuf *err)
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
	if (ret == 0 && d->proc_root)
		netlink_comm(&s->u.nl, d->proc_root);
	return ret;
}

static int decode_sock(struct dctx *d, const uint8_t *p, size_t len,
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
	if (r > 0)
		return 0;        /* skipped */
	if (!d->cb)
		return 0;
	d->records++;
	r = d->cb(&s, d->ctx);
	if (r < 0)
		return error_set(err, "%s: stopped by the caller at byte %zu",
				 d->what, off);
	return 0;
}

/* The kernel sends -errno; a hostile buffer may send INT_MIN. */
static int errno_of(int e)
{
	if (e == INT_MIN)
		return INT_MAX;
	return e < 0 ? -e : e;
}

/*
 * Walks every message in buf (not only up to the first DONE), `base`
 * being the stream offset of buf[0] for messages. 1: a DONE was seen.
 */
static int decode_msgs(struct dctx *d, const uint8_t *buf, size_t len,
		       size_t base, struct strbuf *err)
{
	struct nlmsghdr h;
	size_t off = 0, adv;
	int done = 0;
	int e;

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
		if ((h.nlmsg_flags & NLM_F_DUMP_INTR) && d->intr)
			*d->intr = true;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			done = 1;
			if (h.nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
				memcpy(&e, buf + off + sizeof(h), sizeof(e));
				if (e < 0) {
					d->kerr = errno_of(e);
					return error_set(err, "%s: the kernel ended the dump with an error: %s",
							 d->what, strerror(d->kerr));
				}
			}
			break;
		case NLMSG_ERROR:
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(int)))
				return error_set(err, "%s: truncated netlink error at byte %zu",
						 d->what, base + off);
			memcpy(&e, buf + off + sizeof(h), sizeof(e));
			if (e == 0)
				break;           /* an ACK */
			d->kerr = errno_of(e);
			return error_set(err, "%s: the kernel answered: %s",
					 d->what, strerror(d->kerr));
		case NLMSG_OVERRUN:
			return error_set(err, "%s: netlink overrun at byte %zu",
					 d->what, base + off);
		case SOCK_DIAG_BY_FAMILY:
			if (d->scan_only)
				break;
			if (decode_sock(d, buf + off + sizeof(h),
					h.nlmsg_len - sizeof(h),
					base + off + sizeof(h), err))
				return -1;
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

int sockdiag_decode(const void *buf, size_t len, enum sock_table table,
		    sock_cb cb, void *ctx, bool *intr, struct strbuf *err)
{
	struct dctx d;

	memset(&d, 0, sizeof(d));
	if ((unsigned)table >= TBL_MAX)
		return error_set(err, "sock_diag: unknown socket table %d",
				 (int)table);
	d.table = table;
	d.cb = cb;
	d.ctx = ctx;
	d.what = "sock_diag";
	d.intr = intr;
	return decode_msgs(&d, buf, len, 0, err);
}

/* ---- live dumps ---- */

static const char *const table_name[TBL_MAX] = {
	[TBL_NETLINK] = "netlink",
	[TBL_PACKET] = "packet",
	[TBL_UNIX] = "unix",
	[TBL_RAW] = "raw",
	[TBL_UDP] = "udp",
	[TBL_TCP] = "tcp",
	[TBL_MPTCP] = "mptcp",
};

struct diag_sock {
	struct mnl_socket *nl;
	uint8_t *buf;
	uint32_t seq;
};

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

static void put_header(struct nlmsghdr *nlh, uint32_t seq)
{
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
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
	if (q->needs & DIAG_NEED_MEM)
		r->idiag_ext |= 1u << (INET_DIAG_MEMINFO - 1) |
				1u << (INET_DIAG_SKMEMINFO - 1);
	if (q->needs & DIAG_NEED_INFO)
		r->idiag_ext |= 1u << (INET_DIAG_INFO - 1) |
				1u << (INET_DIAG_VEGASINFO - 1) |
				1u << (INET_DIAG_CONG - 1);
	if (q->needs & DIAG_NEED_TOS)
		r->idiag_ext |= 1u << (INET_DIAG_TOS - 1) |
				1u << (INET_DIAG_TCLASS - 1);
	if (t == TBL_MPTCP)
		mnl_attr_put_u32(nlh, INET_DIAG_REQ_PROTOCOL, IPPROTO_MPTCP);
	if (q->bytecode && q->bytecode_len && q->bytecode_len <= SOCKDIAG_BYTECODE_MAX)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, q->bytecode_len, q->bytecode);
}

size_t sockdiag_bc_remote(uint8_t buf[SOCKDIAG_BYTECODE_MAX], int family,
			  const uint8_t addr[16], int port)
{
	struct inet_diag_bc_op op;
	struct inet_diag_hostcond hc;
	size_t alen = family == AF_INET ? 4 : 16;
	size_t len = sizeof(op) + sizeof(hc) + alen;

	/*
	 * One condition: "yes" jumps exactly to the end (accept: the program
	 * must end with nothing left), "no" 4 bytes past it (reject).
	 */
	memset(&op, 0, sizeof(op));
	op.code = INET_DIAG_BC_D_COND;
	op.yes = (uint8_t)len;
	op.no = (uint16_t)(len + 4);
	memset(&hc, 0, sizeof(hc));
	hc.family = (uint8_t)family;
	hc.prefix_len = (uint8_t)(alen * 8);
	hc.port = port >= 0 ? port : -1;
	memcpy(buf, &op, sizeof(op));
	memcpy(buf + sizeof(op), &hc, sizeof(hc));
	memcpy(buf + sizeof(op) + sizeof(hc), addr, alen);
	return len;
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

static int diag_open(struct diag_sock *ds, struct strbuf *err)
{
	int rcvbuf = SOCKDIAG_RCVBUF;

	memset(ds, 0, sizeof(*ds));
	ds->seq = SOCKDIAG_SEQ;
	ds->buf = malloc(SOCKDIAG_BUF_SIZE);
	if (!ds->buf)
		return error_set(err, "sock_diag: out of memory for the receive buffer");
	ds->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!ds->nl) {
		error_set(err, "cannot open a NETLINK_SOCK_DIAG socket: %s",
			  strerror(errno));
		goto fail;
	}
	/* FORCE passes rmem_max when we may; otherwise take what we get. */
	if (setsockopt(mnl_socket_get_fd(ds->nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(mnl_socket_get_fd(ds->nl), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(ds->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		error_set(err, "cannot bind the NETLINK_SOCK_DIAG socket: %s",
			  strerror(errno));
		goto fail;
	}
	return 0;
fail:
	if (ds->nl)
		mnl_socket_close(ds->nl);
	free(ds->buf);
	ds->nl = NULL;
	ds->buf = NULL;
	return -1;
}

static void diag_close(struct diag_sock *ds)
{
	if (ds->nl)
		mnl_socket_close(ds->nl);
	free(ds->buf);
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
 * One request, read to its DONE. Returns 0, 1 when the kernel lacks the
 * table (nothing was decoded), or -1.
 */
static int dump_one(struct diag_sock *ds, const struct diag_query *q,
		    struct dctx *d, int family, struct strbuf *err)
{
	uint32_t req[64];  /* aligned room: header, request, one u32 attribute */
	struct nlmsghdr *nlh;
	struct strbuf derr = STRBUF_INIT;
	ssize_t n;
	int r, ret = -1;

	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	put_header(nlh, ds->seq++);
	build_request(nlh, q, d->table, family);
	d->seq = nlh->nlmsg_seq;
	d->kerr = 0;
	if (mnl_socket_sendto(ds->nl, nlh, nlh->nlmsg_len) < 0) {
		error_set(err, "cannot send the sock_diag request for %s: %s",
			  table_name[d->table], strerror(errno));
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(ds->nl, ds->buf, SOCKDIAG_BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOSPC)
				error_set(err, "sock_diag %s dump: a message did not fit the %u-byte receive buffer",
					  table_name[d->table], SOCKDIAG_BUF_SIZE);
			else
				error_set(err, "sock_diag %s dump: receive failed: %s",
					  table_name[d->table], strerror(errno));
			goto out;
		}
		if (q->record && record_chunk(q, ds->buf, NLMSG_ALIGN((size_t)n), err))
			goto out;
		r = decode_msgs(d, ds->buf, (size_t)n, 0, &derr);
		if (r < 0) {
			if (d->kerr && kerr_is_absent(d->kerr) && !d->records) {
				ret = 1;
				goto out;
			}
			error_set(err, "%s dump: %s", table_name[d->table], derr.buf);
			goto out;
		}
		if (r == 1)
			break;
	}
	ret = 0;
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
 */
static int dump_table(struct diag_sock *ds, const struct diag_query *q,
		      enum sock_table t, sock_cb cb, void *ctx,
		      struct strbuf *err)
{
	unsigned fam = q->families ? q->families : DIAG_FAM_INET | DIAG_FAM_INET6;
	static const int families[2] = { AF_INET, AF_INET6 };
	static const unsigned fam_bits[2] = { DIAG_FAM_INET, DIAG_FAM_INET6 };
	bool inet = t == TBL_TCP || t == TBL_UDP || t == TBL_RAW || t == TBL_MPTCP;
	unsigned attempt, i;
	struct dctx d;
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
			d.intr = &intr;
			d.scan_only = q->record != NULL;
			if (t == TBL_NETLINK)
				d.proc_root = q->proc_root ? q->proc_root : "/proc";
			r = dump_one(ds, q, &d, inet ? families[i] : AF_UNSPEC, err);
			if (q->stats)
				q->stats->records += d.records;
			if (r < 0)
				return -1;
			if (r == 1) {
				if (q->stats)
					q->stats->absent_tables |= TBL_BIT(t);
				/* No raw_diag: ss reads /proc/net/raw{,6}; so do we. */
				if (t == TBL_RAW && !q->record && cb)
					return procnet_raw_read(q->proc_root, fam, q->states,
								cb, ctx, err);
				return 0;
			}
		}
		if (!intr)
			return 0;
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
	struct diag_sock ds;
	int t, ret = -1;

	if (q->record && !(q->tables & TBL_BIT(TBL_TCP)))
		return error_set(err, "recording a dump needs the tcp table");
	if (diag_open(&ds, err))
		return -1;
	for (t = 0; t < TBL_MAX; t++) {
		/* -D records the TCP dump only, as ss does. */
		if (q->record && t != TBL_TCP)
			continue;
		if (!table_wanted(q, (enum sock_table)t))
			continue;
		if (dump_table(&ds, q, (enum sock_table)t, cb, ctx, err))
			goto out;
	}
	if (q->record && fflush(q->record)) {
		error_set(err, "cannot write '%s': %s",
			  q->record_name ? q->record_name : "dump file",
			  strerror(errno));
		goto out;
	}
	ret = 0;
out:
	diag_close(&ds);
	return ret;
}

/* ---- replay ---- */

struct replay_filter {
	const struct diag_query *q;
	sock_cb cb;
	void *ctx;
};

static int replay_cb(const struct sock_rec *s, void *arg)
{
	const struct replay_filter *f = arg;
	unsigned fam = f->q->families;

	/* An empty mask filters nothing: there was nothing to ask for. */
	if (f->q->states && s->state < 32 && !(f->q->states & (1u << s->state)))
		return 0;
	if (fam && s->family == AF_INET && !(fam & DIAG_FAM_INET))
		return 0;
	if (fam && s->family == AF_INET6 && !(fam & DIAG_FAM_INET6))
		return 0;
	return f->cb(s, f->ctx);
}

/*
 * Length of the complete messages at the start of buf[0..have), checking
 * each header as it goes. *need is set to how many bytes the next,
 * incomplete message wants.
 */
static int replay_complete(const uint8_t *buf, size_t have, size_t base,
			   bool eof, const char *path, size_t *done,
			   size_t *need, struct strbuf *err)
{
	struct nlmsghdr h;
	size_t off = 0;

	*need = 0;
	while (have - off >= sizeof(h)) {
		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h))
			return error_set(err, "%s: bad netlink message length %u at byte %zu",
					 path, h.nlmsg_len, base + off);
		if (h.nlmsg_len > REPLAY_MSG_MAX)
			return error_set(err, "%s: netlink message of %u bytes at byte %zu is larger than %u",
					 path, h.nlmsg_len, base + off,
					 REPLAY_MSG_MAX);
		if (h.nlmsg_len > have - off ||
		    (!eof && NLMSG_ALIGN(h.nlmsg_len) > have - off)) {
			*need = NLMSG_ALIGN(h.nlmsg_len);
			break;
		}
		off += NLMSG_ALIGN(h.nlmsg_len) > have - off ?
		       have - off : NLMSG_ALIGN(h.nlmsg_len);
	}
	if (!*need && have - off)
		*need = sizeof(h);
	*done = off;
	return 0;
}

int sockdiag_replay(const char *path, const struct diag_query *q,
		    sock_cb cb, void *ctx, struct strbuf *err)
{
	struct replay_filter f = { q, cb, ctx };
	struct dctx d;
	uint8_t *buf = NULL, *nb;
	size_t cap = REPLAY_CHUNK, have = 0, base = 0, done = 0, need = 0, n;
	bool eof = false;
	FILE *fp;
	int ret = -1;

	fp = fopen(path, "rb");
	if (!fp)
		return error_set(err, "cannot open '%s': %s", path, strerror(errno));
	buf = malloc(cap);
	if (!buf) {
		error_set(err, "%s: out of memory", path);
		goto out;
	}
	memset(&d, 0, sizeof(d));
	d.table = TBL_TCP;
	d.cb = replay_cb;
	d.ctx = &f;
	d.what = path;
	while (!eof || have) {
		if (!eof) {
			n = fread(buf + have, 1, cap - have, fp);
			if (n < cap - have) {
				if (ferror(fp)) {
					error_set(err, "cannot read '%s': %s",
						  path, strerror(errno));
					goto out;
				}
				eof = true;
			}
			have += n;
		}
		if (replay_complete(buf, have, base, eof, path, &done, &need, err))
			goto out;
		if (done && decode_msgs(&d, buf, done, base, err) < 0)
			goto out;
		memmove(buf, buf + done, have - done);
		have -= done;
		base += done;
		if (!have && eof)
			break;
		if (eof) {
			error_set(err, "%s: truncated netlink message at byte %zu",
				  path, base);
			goto out;
		}
		if (need > cap) {
			nb = realloc(buf, need);
			if (!nb) {
				error_set(err, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
			cap = need;
		}
	}
	ret = 0;
out:
	free(buf);
	fclose(fp);
	return ret;
}
