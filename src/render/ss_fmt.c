// SPDX-License-Identifier: GPL-2.0-or-later
#include "ss_fmt.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <linux/netlink.h>

int ss_fmt_init(struct ss_fmt *fmt, const struct ss_view *v,
		struct strbuf *err)
{
	memset(fmt, 0, sizeof(*fmt));
	fmt->v = v;
	fmt->mem = malloc((size_t)SS_COL_MAX * SS_FIELD_MAX);
	if (!fmt->mem)
		return error_set(err, "cannot allocate the row buffer");
	for (int c = 0; c < SS_COL_MAX; c++)
		fmt->f[c].buf = fmt->mem + (size_t)c * SS_FIELD_MAX;
	if (services_new(&fmt->svc, err) < 0) {
		free(fmt->mem);
		fmt->mem = NULL;
		return -1;
	}
	return 0;
}

void ss_fmt_release(struct ss_fmt *fmt)
{
	services_free(fmt->svc);
	free(fmt->mem);
	memset(fmt, 0, sizeof(*fmt));
}

void ss_put_u64_cut(struct ss_field *f, uint64_t v)
{
	char tmp[24], *p = ss_u64_rev(tmp + sizeof(tmp), v);

	ss_put(f, p, (size_t)(tmp + sizeof(tmp) - p));
}

static const char *const col_header[SS_COL_MAX] = {
	"Netid", "State", "Recv-Q", "Send-Q", "Local Address:", "Port",
	"Peer Address:", "Port", "Process", "",
};

const char *ss_fmt_header(enum ss_col c)
{
	return col_header[c];
}

/*
 * Timer expiry as ss prints it: minutes drop the milliseconds (and the
 * seconds from ten minutes on), seconds from ten on drop the
 * milliseconds. One deliberate difference from 6.1: "3.944sec", where
 * 6.1 printed "3.944ms" (fixed upstream in 6.11).
 */
size_t ss_fmt_timer(char *buf, uint32_t ms)
{
	uint32_t secs = ms / 1000, minutes = secs / 60, msecs = ms % 1000;
	char tmp[16], *p, *o = buf;

	secs %= 60;
	if (minutes) {
		msecs = 0;
		p = ss_u64_rev(tmp + sizeof(tmp), minutes);
		memcpy(o, p, (size_t)(tmp + sizeof(tmp) - p));
		o += tmp + sizeof(tmp) - p;
		memcpy(o, "min", 3);
		o += 3;
		if (minutes > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		p = ss_u64_rev(tmp + sizeof(tmp), secs);
		memcpy(o, p, (size_t)(tmp + sizeof(tmp) - p));
		o += tmp + sizeof(tmp) - p;
		if (msecs) {
			*o++ = '.';
		} else {
			memcpy(o, "sec", 3);
			o += 3;
		}
	}
	if (msecs) {
		*o++ = (char)('0' + msecs / 100);
		*o++ = (char)('0' + msecs / 10 % 10);
		*o++ = (char)('0' + msecs % 10);
		if (secs) {
			memcpy(o, "sec", 3);
			o += 3;
		} else {
			memcpy(o, "ms", 2);
			o += 2;
		}
	}
	*o = '\0';
	return (size_t)(o - buf);
}

/* Recv-Q and Send-Q: "%-6d" of ss's int. */
static void put_queue(struct ss_field *f, uint32_t q)
{
	size_t start = f->len;

	ss_put_i64(f, (int32_t)q);
	if (f->len - start < 6)
		ss_put(f, "      ", 6 - (f->len - start));
}

static void put_ipv4(struct ss_field *f, const uint8_t *a)
{
	char tmp[16], *o = ss_room(f, sizeof(tmp));
	char *start;

	/* straight into the field unless near the cut */
	if (!o)
		o = tmp;
	start = o;

	for (int i = 0; i < 4; i++) {
		unsigned b = a[i];

		if (i)
			*o++ = '.';
		if (b >= 100)
			*o++ = (char)('0' + b / 100);
		if (b >= 10)
			*o++ = (char)('0' + b / 10 % 10);
		*o++ = (char)('0' + b % 10);
	}
	if (start == tmp)
		ss_put(f, tmp, (size_t)(o - tmp));
	else
		f->len += (uint32_t)(o - start);
}

/* -r: ss asks gethostbyaddr, v4-mapped addresses as IPv4. */
static const char *resolve_host(int af, const uint8_t *a)
{
	static const uint8_t mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct hostent *he;

	if (af == AF_INET6 && !memcmp(a, mapped, sizeof(mapped))) {
		af = AF_INET;
		a += 12;
	}
	he = gethostbyaddr(a, af == AF_INET ? 4 : 16, af);
	return he ? he->h_name : NULL;
}

static const char *ifname(struct ss_fmt *fmt, uint32_t idx)
{
	unsigned slot = idx % SS_IFCACHE;

	if (fmt->ifc[slot].idx != idx || !fmt->ifc[slot].name[0]) {
		fmt->ifc[slot].idx = idx;
		if (!if_indextoname(idx, fmt->ifc[slot].name))
			snprintf(fmt->ifc[slot].name, sizeof(fmt->ifc[slot].name),
				 "if%u", idx);
	}
	return fmt->ifc[slot].name;
}

enum port_kind { PK_TCP, PK_UDP, PK_ANY, PK_RAW };

static void put_port(struct ss_fmt *fmt, struct ss_field *f,
		     enum port_kind k, uint16_t port)
{
	const struct ss_view *v = fmt->v;
	const char *name = NULL;
	int lo = v->eph_lo, hi = v->eph_hi;

	if (port == 0) {
		ss_put(f, "*", 1);
		return;
	}
	if (v->numeric) {
		ss_put_u64(f, port);
		return;
	}
	if (k == PK_RAW) {
		name = port < 256 ? services_ipproto(fmt->svc, (uint8_t)port) :
		       NULL;
		if (name) {
			ss_puts(f, name);
		} else {
			ss_puts(f, "ipproto-");
			ss_put_u64(f, port);
		}
		return;
	}
	if (!lo && !hi) {
		/* ss's own fallback when it cannot read the range */
		lo = 1024;
		hi = 4999;
	}
	if (port < lo || port > hi)
		name = services_port(fmt->svc, k == PK_TCP ? SVC_TCP :
				     k == PK_UDP ? SVC_UDP : SVC_ANY, port);
	if (name)
		ss_puts(f, name);
	else
		ss_put_u64(f, port);
}

static enum port_kind port_kind(const struct ss_view *v, unsigned netid)
{
	switch (netid) {
	case NETID_TCP:
		return PK_TCP;
	case NETID_UDP:
		return PK_UDP;
	case NETID_RAW:
		return PK_RAW;
	default:
		/*
		 * MPTCP: ss never sets its protocol string for MPTCP, so the
		 * one left by the last of raw, udp, tcp it dumped applies.
		 */
		if (v->tables & TBL_BIT(TBL_TCP))
			return PK_TCP;
		if (v->tables & TBL_BIT(TBL_UDP))
			return PK_UDP;
		if (v->tables & TBL_BIT(TBL_RAW))
			return PK_RAW;
		return PK_ANY;
	}
}

/* Address (with '%dev' and the ':' ss puts in this column) and port. */
static void put_inet(struct ss_fmt *fmt, struct ss_field *fa,
		     struct ss_field *fp, const struct sock_rec *s,
		     const uint8_t *a, uint16_t port, uint32_t ifindex,
		     bool v6only)
{
	static const uint8_t any[16];
	const char *host = NULL;

	if (s->family == AF_INET) {
		if (fmt->v->resolve)
			host = resolve_host(AF_INET, a);
		if (host)
			ss_puts(fa, host);
		else
			put_ipv4(fa, a);
	} else if (!v6only && !memcmp(a, any, 16)) {
		ss_put(fa, "*", 1);
	} else {
		char tmp[INET6_ADDRSTRLEN];

		if (fmt->v->resolve)
			host = resolve_host(AF_INET6, a);
		if (!host)
			host = inet_ntop(AF_INET6, a, tmp, sizeof(tmp));
		if (!host)
			host = "";
		/* numeric IPv6 goes in brackets, host names do not */
		if (strchr(host, ':')) {
			ss_put(fa, "[", 1);
			ss_puts(fa, host);
			ss_put(fa, "]", 1);
		} else {
			ss_puts(fa, host);
		}
	}
	if (ifindex) {
		ss_put(fa, "%", 1);
		ss_puts(fa, ifname(fmt, ifindex));
	}
	ss_put(fa, ":", 1);
	put_port(fmt, fp, port_kind(fmt->v, s->netid), port);
}

static void put_users(struct ss_fmt *fmt, struct ss_field *f,
		      const struct ss_row *row, uint32_t ino)
{
	if (!fmt->v->show_proc && !fmt->v->show_threads)
		return;
	if (!ino || !row->n_owners)
		return;
	ss_puts(f, " users:(");
	for (size_t i = 0; i < row->n_owners; i++) {
		const struct sock_owner *o = &row->owners[i];

		/* comm goes out unescaped, as 6.1 does */
		ss_puts(f, i ? ",(\"" : "(\"");
		ss_puts(f, o->comm ? o->comm : "");
		ss_put_kv(f, "\",pid=", o->pid);
		if (fmt->v->show_threads)
			ss_put_kv(f, ",tid=", o->tid);
		ss_puts(f, ",fd=");
		ss_put_i64(f, o->fd);
		ss_put(f, ")", 1);
	}
	ss_put(f, ")", 1);
}

static void put_timer(struct ss_field *f, const struct sock_rec *s)
{
	char buf[64];

	if (!s->timer)
		return;
	ss_puts(f, " timer:(");
	ss_puts(f, sock_timer_name(s->timer, SOCK_SPELL_SS61));
	ss_put(f, ",", 1);
	ss_put(f, buf, ss_fmt_timer(buf, s->expires_ms));
	ss_put(f, ",", 1);
	ss_put_u64(f, s->retrans);
	ss_put(f, ")", 1);
}

/* uid, ino, sk, fwmark, cgroup: ss's sock_details_print(). */
static void put_details(struct ss_field *f, const struct ss_row *row)
{
	const struct sock_rec *s = row->sock;

	if (s->uid)
		ss_put_kv(f, " uid:", s->uid);
	ss_put_kv(f, " ino:", s->inode);
	ss_puts(f, " sk:");
	ss_put_hex(f, s->cookie);
	if (s->has_mark && s->mark) {
		ss_puts(f, " fwmark:0x");
		ss_put_hex(f, s->mark);
	}
	if (s->has_cgroup && s->cgroup_id && row->cgroup_path) {
		ss_puts(f, " cgroup:");
		ss_puts(f, row->cgroup_path);
	}
}

static void put_shutdown(struct ss_field *f, const struct sock_rec *s)
{
	char m[4] = { ' ', '<', '-', '>' };

	if (!s->has_shutdown)
		return;
	if (s->shutdown & 1)
		m[1] = '-';
	if (s->shutdown & 2)
		m[3] = '-';
	ss_put(f, m, 4);
}

/* "%#x": 0 stays "0". */
static void put_hash_x(struct ss_field *f, const char *key, uint32_t v)
{
	ss_puts(f, key);
	if (v) {
		ss_put(f, "0x", 2);
		ss_put_hex(f, v);
	} else {
		ss_put(f, "0", 1);
	}
}

static void row_inet(struct ss_fmt *fmt, const struct ss_row *row)
{
	const struct ss_view *v = fmt->v;
	const struct sock_rec *s = row->sock;
	struct ss_field *f = &fmt->f[SS_COL_PROC];
	bool v6only = s->family == AF_INET6 && s->has_v6only && s->v6only;

	put_inet(fmt, &fmt->f[SS_COL_ADDR], &fmt->f[SS_COL_SERV], s,
		 s->saddr, s->sport, s->ifindex, v6only);
	put_inet(fmt, &fmt->f[SS_COL_RADDR], &fmt->f[SS_COL_RSERV], s,
		 s->daddr, s->dport, 0, v6only);
	put_users(fmt, f, row, s->inode);
	if (s->from_proc)
		return;
	if (v->timers)
		put_timer(f, s);
	if (v->extended) {
		put_details(f, row);
		if (s->family == AF_INET6 && s->has_v6only)
			ss_put_kv(f, " v6only:", s->v6only);
		put_shutdown(f, s);
	}
	if (v->tos) {
		if (s->has_tos)
			put_hash_x(f, " tos:", s->tos);
		if (s->has_tclass)
			put_hash_x(f, " tclass:", s->tclass);
		if (s->has_class_id)
			put_hash_x(f, " class_id:", s->class_id);
	}
	if (v->mem || (v->info && s->netid != NETID_UDP)) {
		if (!v->oneline)
			ss_put(f, "\n\t", 2);
		ss_fmt_tcp_info(fmt, f, s);
	}
}

static void row_unix(struct ss_fmt *fmt, const struct ss_row *row)
{
	const struct ss_view *v = fmt->v;
	const struct sock_rec *s = row->sock;
	const struct sock_unix *u = &s->u.un;
	struct ss_field *fa = &fmt->f[SS_COL_ADDR];
	struct ss_field *f = &fmt->f[SS_COL_PROC];
	size_t n = u->path_len < 127 ? u->path_len : 127;

	if (!n || !u->path) {
		ss_put(fa, "*", 1);
	} else if (u->path[0] == '\0') {
		/* abstract: every NUL of the name shows as '@' */
		for (size_t i = 0; i < n; i++)
			ss_put(fa, u->path[i] ? &u->path[i] : "@", 1);
	} else {
		const char *nul = memchr(u->path, '\0', n);

		ss_put(fa, u->path, nul ? (size_t)(nul - u->path) : n);
	}
	ss_put(fa, " ", 1);
	ss_put_i64(&fmt->f[SS_COL_SERV], (int32_t)s->inode);
	ss_put(&fmt->f[SS_COL_RADDR], "* ", 2);
	ss_put_i64(&fmt->f[SS_COL_RSERV], (int32_t)u->peer_ino);
	put_users(fmt, f, row, s->inode);
	if (v->mem)
		ss_fmt_skmem(f, s, false);
	if (v->extended) {
		put_shutdown(f, s);
		if (u->has_vfs) {
			ss_put_kv(f, " ino:", u->vfs_ino);
			ss_put_kv(f, " dev:", major(u->vfs_dev));
			ss_put_kv(f, "/", minor(u->vfs_dev));
		}
		/* the kernel sends UNIX_DIAG_ICONS for listeners only */
		if (u->icons || s->state == SS_LISTEN) {
			ss_puts(f, " peers:");
			for (uint32_t i = 0; u->icons && i < u->n_icons; i++)
				ss_put_kv(f, " ", u->icons[i]);
		}
	}
}

/* Link-layer protocol names, as iproute2's ll_proto table has them. */
static const struct {
	uint16_t id;
	const char *name;
} ll_proto[] = {
	{ 0x0060, "loop" }, { 0x0200, "pup" }, { 0x0201, "pupat" },
	{ 0x0800, "ip" }, { 0x0805, "x25" }, { 0x0806, "arp" },
	{ 0x08FF, "bpq" }, { 0x0a00, "ieeepup" }, { 0x0a01, "ieeepupat" },
	{ 0x6000, "dec" }, { 0x6001, "dna_dl" }, { 0x6002, "dna_rc" },
	{ 0x6003, "dna_rt" }, { 0x6004, "lat" }, { 0x6005, "diag" },
	{ 0x6006, "cust" }, { 0x6007, "sca" }, { 0x8035, "rarp" },
	{ 0x809B, "atalk" }, { 0x80F3, "aarp" }, { 0x8137, "ipx" },
	{ 0x86DD, "ipv6" }, { 0x8863, "ppp_disc" }, { 0x8864, "ppp_ses" },
	{ 0x884c, "atmmpoa" }, { 0x8884, "atmfate" }, { 0x0001, "802_3" },
	{ 0x0002, "ax25" }, { 0x0003, "all" }, { 0x0004, "802_2" },
	{ 0x0005, "snap" }, { 0x0006, "ddcmp" }, { 0x0007, "wan_ppp" },
	{ 0x0008, "ppp_mp" }, { 0x0009, "localtalk" }, { 0x000C, "can" },
	{ 0x0010, "ppptalk" }, { 0x0011, "tr_802_2" }, { 0x0015, "mobitex" },
	{ 0x0016, "control" }, { 0x0017, "irda" }, { 0x0018, "econet" },
	{ 0x88CA, "tipc" }, { 0x8892, "profinet" }, { 0x88A2, "aoe" },
	{ 0x88A4, "ethercat" }, { 0x8100, "802.1Q" }, { 0x88A8, "802.1ad" },
	{ 0x8847, "mpls_uc" }, { 0x8848, "mpls_mc" }, { 0x6558, "teb" },
	{ 0x8902, "cfm" }, { 0x88cc, "LLDP" },
};

static void row_packet(struct ss_fmt *fmt, const struct ss_row *row)
{
	static const char *const fanout_type[] = {
		"hash", "lb", "cpu", "roll", "random", "qm" };
	const struct ss_view *v = fmt->v;
	const struct sock_rec *s = row->sock;
	const struct sock_packet *p = &s->u.pk;
	struct ss_field *fa = &fmt->f[SS_COL_ADDR];
	struct ss_field *f = &fmt->f[SS_COL_PROC];
	const char *name = NULL;

	if (p->proto == 3) {  /* ETH_P_ALL */
		name = "*";
	} else if (!v->numeric) {
		for (size_t i = 0; i < sizeof(ll_proto) / sizeof(ll_proto[0]); i++)
			if (ll_proto[i].id == p->proto) {
				name = ll_proto[i].name;
				break;
			}
	}
	if (name) {
		ss_puts(fa, name);
	} else {
		ss_put(fa, "[", 1);
		ss_put_u64(fa, p->proto);
		ss_put(fa, "]", 1);
	}
	ss_put(fa, ":", 1);
	ss_puts(&fmt->f[SS_COL_SERV], p->ifindex ? ifname(fmt, p->ifindex) : "*");
	ss_put(&fmt->f[SS_COL_RADDR], "*", 1);
	ss_put(&fmt->f[SS_COL_RSERV], "", 0);
	put_users(fmt, f, row, s->inode);
	if (v->extended) {
		put_details(f, row);
		if (p->has_info) {
			ss_puts(f, v->oneline ? " ver:" : "\n\tver:");
			ss_put_i64(f, (int32_t)p->version);
			ss_puts(f, " cpy_thresh:");
			ss_put_i64(f, (int32_t)p->copy_thresh);
			ss_puts(f, " flags( ");
			if (p->flags & 1)
				ss_puts(f, "running");
			if (p->flags & 2)
				ss_puts(f, " auxdata");
			if (p->flags & 4)
				ss_puts(f, " origdev");
			if (p->flags & 8)
				ss_puts(f, " vnethdr");
			if (p->flags & 16)
				ss_puts(f, " loss");
			if (!p->flags)
				ss_put(f, "0", 1);
			ss_puts(f, " )");
		}
		if (p->has_fanout) {
			uint16_t type = (uint16_t)(p->fanout >> 16);

			ss_puts(f, v->oneline ? " fanout(" : "\n\tfanout(");
			ss_put_kv(f, "id:", p->fanout & 0xffff);
			ss_puts(f, ",type:");
			if (type < 6) {
				ss_puts(f, fanout_type[type]);
			} else {
				ss_puts(f, "0x");
				ss_put_hex(f, type);
			}
			ss_put(f, ")", 1);
		}
	}
	if (v->mem)
		ss_fmt_skmem(f, s, false);
}

static const char *const nl_proto[] = {
	"rtnl", "unused", "usersock", "fw", "tcpdiag", "nflog", "xfrm",
	"selinux", "iscsi", "audit", "fiblookup", "connector", "nft",
	"ip6fw", "dec-rt", "uevent", "genl", NULL, "scsi-trans", "ecryptfs",
	"rdma", "crypto",
};

static void row_netlink(struct ss_fmt *fmt, const struct ss_row *row)
{
	const struct ss_view *v = fmt->v;
	const struct sock_rec *s = row->sock;
	const struct sock_netlink *n = &s->u.nl;
	struct ss_field *fa = &fmt->f[SS_COL_ADDR];
	struct ss_field *fp = &fmt->f[SS_COL_SERV];
	struct ss_field *f = &fmt->f[SS_COL_PROC];
	int32_t pid = (int32_t)n->portid;

	if (!v->numeric && n->protocol < sizeof(nl_proto) / sizeof(nl_proto[0]) &&
	    nl_proto[n->protocol])
		ss_puts(fa, nl_proto[n->protocol]);
	else
		ss_put_u64(fa, n->protocol);
	ss_put(fa, ":", 1);
	if (pid == -1) {
		ss_put(fp, "*", 1);
	} else if (!v->numeric && pid == 0) {
		ss_puts(fp, "kernel");
	} else if (!v->numeric && pid > 0 && n->has_comm) {
		ss_puts(fp, n->comm);
		ss_put(fp, "/", 1);
		ss_put_i64(fp, pid);
	} else {
		ss_put_i64(fp, pid);
	}
	if (n->connected) {
		ss_put_i64(&fmt->f[SS_COL_RADDR], (int32_t)n->dst_group);
		ss_put(&fmt->f[SS_COL_RADDR], ":", 1);
		ss_put_i64(&fmt->f[SS_COL_RSERV], (int32_t)n->dst_portid);
	} else {
		ss_put(&fmt->f[SS_COL_RADDR], "*", 1);
		ss_put(&fmt->f[SS_COL_RSERV], "", 0);
	}
	if (v->extended) {
		/* the diag path has no sk/cb pointers: ss prints zeros */
		char g[9];
		uint32_t gr = (uint32_t)n->groups;

		for (int i = 7; i >= 0; i--, gr >>= 4)
			g[i] = "0123456789abcdef"[gr & 15];
		ss_puts(f, " sk=0 cb=0 groups=0x");
		ss_put(f, g, 8);
	}
	if (v->mem) {
		ss_put(f, "\t", 1);
		ss_fmt_skmem(f, s, false);
	}
}

void ss_fmt_row(struct ss_fmt *fmt, const struct ss_row *row)
{
	const struct sock_rec *s = row->sock;
	uint32_t rq = s->rqueue, wq = s->wqueue;

	for (int c = 0; c < SS_COL_MAX; c++) {
		fmt->f[c].len = 0;
		fmt->f[c].touched = false;
	}
	ss_puts(&fmt->f[SS_COL_NETID], sock_netid_name(s->netid));
	ss_puts(&fmt->f[SS_COL_STATE], sock_state_spelling(s->state, SOCK_SPELL_SS61));
	switch (s->family) {
	case AF_UNIX:
		rq = s->u.un.has_rqlen ? s->u.un.rq : 0;
		wq = s->u.un.has_rqlen ? s->u.un.wq : 0;
		break;
	case AF_PACKET:
		if (s->has_skmem)
			rq = s->skmem[SK_MEMINFO_RMEM_ALLOC];
		wq = 0;
		break;
	case AF_NETLINK:
		if (s->has_skmem) {
			rq = s->skmem[SK_MEMINFO_RMEM_ALLOC];
			wq = s->skmem[SK_MEMINFO_WMEM_ALLOC];
		}
		break;
	default:
		break;
	}
	put_queue(&fmt->f[SS_COL_RECVQ], rq);
	put_queue(&fmt->f[SS_COL_SENDQ], wq);
	switch (s->family) {
	case AF_UNIX:
		row_unix(fmt, row);
		break;
	case AF_PACKET:
		row_packet(fmt, row);
		break;
	case AF_NETLINK:
		row_netlink(fmt, row);
		break;
	default:
		row_inet(fmt, row);
		break;
	}
}
