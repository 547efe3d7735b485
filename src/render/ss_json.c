// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The JSON form of a socket listing (ss_view.h), key by key documented
 * in docs/json-keys.md:
 *
 *   {"schema_version":1,"sockets":[{"netid":"tcp","state":"ESTAB",...},...]}
 *
 * Rules the output follows, so consumers can rely on them:
 *  - values are the kernel's raw numbers in their own units (bytes,
 *    milliseconds for timers, microseconds inside tcp_info), never the
 *    rounded text ss prints; ports are numbers and service and host
 *    names are never resolved, whatever -n/-r say: a number is what a
 *    program wants, and a name from /etc/services can mislead;
 *  - addresses are inet_ntop() strings, v4-mapped IPv6 kept as
 *    "::ffff:1.2.3.4", so an address reads back with inet_pton();
 *  - the text's column suppression (no Netid with -t, ...) does not
 *    apply: "netid" and "state" are always there;
 *  - the optional groups follow the same switches as the text (-e, -o,
 *    -m, -i, --tos, -p), and inside a group a key is present only when
 *    the kernel sent the attribute behind it: absent means "not
 *    reported", 0 means "reported as zero".
 */
#include "ss_view.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/mptcp.h>

#include "json_writer.h"
#include "tcpinfo_json.h"

#define SS_JSON_SCHEMA 1

struct ss_json {
	struct ss_view v;
	/* One-entry cache: sockets bound to a device cluster on one. */
	uint32_t dev_ifindex;
	bool dev_found;
	char dev_name[IF_NAMESIZE];
	struct json_writer w;
	/* --all-netns: the namespace the rows come from (ss_json_set_netns). */
	bool netns_set;
	uint64_t netns_inode;
	char netns_owner[160];
};

static const char *const skmem_keys[SK_MEMINFO_VARS] = {
	[SK_MEMINFO_RMEM_ALLOC] = "rmem_alloc",
	[SK_MEMINFO_RCVBUF] = "rcvbuf",
	[SK_MEMINFO_WMEM_ALLOC] = "wmem_alloc",
	[SK_MEMINFO_SNDBUF] = "sndbuf",
	[SK_MEMINFO_FWD_ALLOC] = "fwd_alloc",
	[SK_MEMINFO_WMEM_QUEUED] = "wmem_queued",
	[SK_MEMINFO_OPTMEM] = "optmem",
	[SK_MEMINFO_BACKLOG] = "backlog",
	[SK_MEMINFO_DROPS] = "drops",
};

/*
 * struct mptcp_info's members, keyed by offset and size so a member is
 * written only when the kernel's reply was long enough to contain it
 * (tcp_info has its own table, src/model/tcpinfo.c).
 */
struct info_field {
	const char *key;
	uint16_t off;
	uint8_t size;
};

#define MPTCPI_FIELD(f) { #f, offsetof(struct mptcp_info, mptcpi_##f), \
			  sizeof(((struct mptcp_info *)0)->mptcpi_##f) }

static const struct info_field mptcpi_fields[] = {
	MPTCPI_FIELD(subflows), MPTCPI_FIELD(add_addr_signal),
	MPTCPI_FIELD(add_addr_accepted), MPTCPI_FIELD(subflows_max),
	MPTCPI_FIELD(add_addr_signal_max), MPTCPI_FIELD(add_addr_accepted_max),
	MPTCPI_FIELD(flags), MPTCPI_FIELD(token), MPTCPI_FIELD(write_seq),
	MPTCPI_FIELD(snd_una), MPTCPI_FIELD(rcv_nxt),
	MPTCPI_FIELD(local_addr_used), MPTCPI_FIELD(local_addr_max),
	MPTCPI_FIELD(csum_enabled),
};

static void fields_put(struct json_writer *w, const void *bytes,
		       size_t len, const struct info_field *f, size_t n)
{
	const uint8_t *base = bytes;
	uint8_t u8;
	uint32_t u32;
	uint64_t u64;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((size_t)f[i].off + f[i].size > len)
			return;
		switch (f[i].size) {
		case 1:
			u8 = base[f[i].off];
			json_kv_u64(w, f[i].key, u8);
			break;
		case 4:
			memcpy(&u32, base + f[i].off, 4);
			json_kv_u64(w, f[i].key, u32);
			break;
		default:
			memcpy(&u64, base + f[i].off, 8);
			json_kv_u64(w, f[i].key, u64);
			break;
		}
	}
}

static void tcp_info_put(struct json_writer *w, const struct sock_rec *s)
{
	struct tcpinfo_vals v;

	if (!s->tcpi_len || !s->tcpi)
		return;
	tcpinfo_load(&v, s->tcpi, s->tcpi_len);
	tcpinfo_json_write(w, &v);
}

static void mptcp_info_put(struct json_writer *w, const struct sock_rec *s)
{
	if (!s->mptcpi_len || !s->mptcpi)
		return;
	json_kv_obj_begin(w, "mptcp_info");
	fields_put(w, s->mptcpi, s->mptcpi_len, mptcpi_fields,
		   sizeof(mptcpi_fields) / sizeof(mptcpi_fields[0]));
	json_obj_end(w);
}

static void cc_info_put(struct json_writer *w, const struct sock_rec *s)
{
	if (s->has_bbr) {
		json_kv_obj_begin(w, "bbr");
		json_kv_u64(w, "bw", (uint64_t)s->bbr.bbr_bw_hi << 32 |
			    s->bbr.bbr_bw_lo);
		json_kv_u64(w, "min_rtt", s->bbr.bbr_min_rtt);
		/* The kernel sends gains as fixed point, 8 fraction bits. */
		json_kv_double(w, "pacing_gain",
			       s->bbr.bbr_pacing_gain / 256.0);
		json_kv_double(w, "cwnd_gain", s->bbr.bbr_cwnd_gain / 256.0);
		json_obj_end(w);
	}
	if (s->has_dctcp) {
		json_kv_obj_begin(w, "dctcp");
		json_kv_bool(w, "enabled", s->dctcp.dctcp_enabled != 0);
		json_kv_u64(w, "ce_state", s->dctcp.dctcp_ce_state);
		json_kv_u64(w, "alpha", s->dctcp.dctcp_alpha);
		json_kv_u64(w, "ab_ecn", s->dctcp.dctcp_ab_ecn);
		json_kv_u64(w, "ab_tot", s->dctcp.dctcp_ab_tot);
		json_obj_end(w);
	}
	if (s->has_vegas) {
		json_kv_obj_begin(w, "vegas");
		json_kv_bool(w, "enabled", s->vegas.tcpv_enabled != 0);
		json_kv_u64(w, "rttcnt", s->vegas.tcpv_rttcnt);
		json_kv_u64(w, "rtt", s->vegas.tcpv_rtt);
		json_kv_u64(w, "minrtt", s->vegas.tcpv_minrtt);
		json_obj_end(w);
	}
}

static bool is_inet(const struct sock_rec *s)
{
	return s->table == TBL_RAW || s->table == TBL_UDP ||
	       s->table == TBL_TCP || s->table == TBL_MPTCP;
}

static const char *dev_name(struct ss_json *j, uint32_t ifindex)
{
	if (ifindex != j->dev_ifindex) {
		j->dev_ifindex = ifindex;
		j->dev_found = if_indextoname(ifindex, j->dev_name) != NULL;
	}
	return j->dev_found ? j->dev_name : NULL;
}

static void dev_put(struct ss_json *j, uint32_t ifindex)
{
	const char *name;

	if (!ifindex)
		return;
	json_kv_u64(&j->w, "ifindex", ifindex);
	name = dev_name(j, ifindex);
	if (name)
		json_kv_cstr(&j->w, "dev", name);
}

static void endpoint_put(struct ss_json *j, const char *key, int family,
			 const uint8_t *addr, uint16_t port, uint32_t ifindex)
{
	char buf[INET6_ADDRSTRLEN];

	json_kv_obj_begin(&j->w, key);
	if ((family == AF_INET || family == AF_INET6) &&
	    inet_ntop(family, addr, buf, sizeof(buf)))
		json_kv_cstr(&j->w, "addr", buf);
	else
		json_kv_str(&j->w, "addr", "", 0);
	json_kv_u64(&j->w, "port", port);
	dev_put(j, ifindex);
	json_obj_end(&j->w);
}

static void unix_put(struct ss_json *j, const struct sock_rec *s)
{
	const struct sock_unix *u = &s->u.un;
	struct json_writer *w = &j->w;
	bool abstract = u->path_len && u->path && u->path[0] == '\0';

	json_key(w, "path");
	if (!u->path_len || !u->path)
		json_null(w);
	else if (abstract)
		json_str(w, u->path + 1, u->path_len - 1u);
	else
		json_str(w, u->path, u->path_len);
	json_kv_bool(w, "abstract", abstract);
	json_kv_u64(w, "inode", s->inode);
	json_kv_u64(w, "peer_inode", u->peer_ino);
}

static void family_put(struct ss_json *j, const struct sock_rec *s)
{
	struct json_writer *w = &j->w;

	if (is_inet(s)) {
		endpoint_put(j, "local", s->family, s->saddr, s->sport,
			     s->ifindex);
		endpoint_put(j, "peer", s->family, s->daddr, s->dport, 0);
	} else if (s->table == TBL_UNIX) {
		unix_put(j, s);
	} else if (s->table == TBL_NETLINK) {
		json_kv_u64(w, "protocol", s->u.nl.protocol);
		json_kv_u64(w, "portid", s->u.nl.portid);
		if (s->u.nl.has_comm)
			json_kv_str(w, "comm", s->u.nl.comm,
				    strnlen(s->u.nl.comm, sizeof(s->u.nl.comm)));
		json_kv_bool(w, "connected", s->u.nl.connected);
		json_kv_u64(w, "dst_portid", s->u.nl.dst_portid);
		json_kv_u64(w, "dst_group", s->u.nl.dst_group);
	} else if (s->table == TBL_PACKET) {
		json_kv_u64(w, "protocol", s->u.pk.proto);
		dev_put(j, s->u.pk.ifindex);
	}
}

/* -e: the details ss prints after the addresses. */
static void extended_put(struct json_writer *w, const struct ss_row *row)
{
	const struct sock_rec *s = row->sock;

	json_kv_u64(w, "uid", s->uid);
	if (s->table != TBL_UNIX)
		json_kv_u64(w, "inode", s->inode);
	json_kv_u64(w, "cookie", s->cookie);
	if (s->has_mark)
		json_kv_u64(w, "mark", s->mark);
	if (s->has_cgroup)
		json_kv_u64(w, "cgroup_id", s->cgroup_id);
	if (row->cgroup_path)
		json_kv_cstr(w, "cgroup", row->cgroup_path);
	if (s->has_v6only)
		json_kv_bool(w, "v6only", s->v6only != 0);
	if (s->has_shutdown)
		json_kv_u64(w, "shutdown", s->shutdown);
	if (s->table == TBL_UNIX && s->u.un.has_vfs) {
		json_kv_u64(w, "vfs_inode", s->u.un.vfs_ino);
		json_kv_u64(w, "vfs_dev", s->u.un.vfs_dev);
	}
	if (s->table == TBL_NETLINK)
		json_kv_u64(w, "groups", s->u.nl.groups);
	if (s->table == TBL_PACKET && s->u.pk.has_info) {
		json_kv_u64(w, "version", s->u.pk.version);
		json_kv_u64(w, "copy_thresh", s->u.pk.copy_thresh);
		json_kv_u64(w, "flags", s->u.pk.flags);
	}
	if (s->table == TBL_PACKET && s->u.pk.has_fanout)
		json_kv_u64(w, "fanout", s->u.pk.fanout);
}

/* Only sent when asked for (--inet-sockopt), so no view switch here. */
static void sockopt_put(struct json_writer *w, const struct sock_rec *s)
{
	const struct inet_diag_sockopt *o = &s->sockopt;

	if (!s->has_sockopt)
		return;
	json_kv_obj_begin(w, "sockopt");
	json_kv_bool(w, "recverr", o->recverr);
	json_kv_bool(w, "is_icsk", o->is_icsk);
	json_kv_bool(w, "freebind", o->freebind);
	json_kv_bool(w, "hdrincl", o->hdrincl);
	json_kv_bool(w, "mc_loop", o->mc_loop);
	json_kv_bool(w, "transparent", o->transparent);
	json_kv_bool(w, "mc_all", o->mc_all);
	json_kv_bool(w, "nodefrag", o->nodefrag);
	json_kv_bool(w, "bind_address_no_port", o->bind_address_no_port);
	json_kv_bool(w, "recverr_rfc4884", o->recverr_rfc4884);
	json_kv_bool(w, "defer_connect", o->defer_connect);
	json_obj_end(w);
}

static void timer_put(struct json_writer *w, const struct sock_rec *s)
{
	if (!s->timer)
		return;
	json_kv_obj_begin(w, "timer");
	json_kv_cstr(w, "name", sock_timer_name(s->timer, SOCK_SPELL_KERNEL));
	json_kv_u64(w, "expires_ms", s->expires_ms);
	json_kv_u64(w, "retrans", s->retrans);
	json_obj_end(w);
}

static void mem_put(struct json_writer *w, const struct sock_rec *s)
{
	int i, n = s->skmem_n;

	/* 0 predates skmem_n: a source that never set it filled them all. */
	if (!n || n > SK_MEMINFO_VARS)
		n = SK_MEMINFO_VARS;
	if (s->has_skmem) {
		json_kv_obj_begin(w, "skmem");
		for (i = 0; i < n; i++)
			json_kv_u64(w, skmem_keys[i], s->skmem[i]);
		json_obj_end(w);
	} else if (s->has_meminfo) {
		json_kv_obj_begin(w, "meminfo");
		json_kv_u64(w, "rmem", s->meminfo.idiag_rmem);
		json_kv_u64(w, "wmem", s->meminfo.idiag_wmem);
		json_kv_u64(w, "fmem", s->meminfo.idiag_fmem);
		json_kv_u64(w, "tmem", s->meminfo.idiag_tmem);
		json_obj_end(w);
	}
}

static void users_put(struct json_writer *w, const struct ss_row *row,
		      bool threads)
{
	const struct sock_owner *o;
	size_t i;

	json_kv_arr_begin(w, "users");
	for (i = 0; i < row->n_owners; i++) {
		o = &row->owners[i];
		json_obj_begin(w);
		/* The true name: the text listing keeps ss's cut at the first ')'. */
		json_kv_cstr(w, "comm", o->comm_true ? o->comm_true : o->comm ? o->comm : "");
		json_kv_u64(w, "pid", o->pid);
		if (threads)
			json_kv_u64(w, "tid", o->tid);
		json_kv_i64(w, "fd", o->fd);
		json_obj_end(w);
	}
	json_arr_end(w);
}

int ss_json_new(struct ss_json **out, const struct ss_view *v, FILE *fp,
		struct strbuf *err)
{
	struct ss_json *j;

	*out = NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return error_set(err, "cannot allocate the json renderer");
	j->v = *v;
	json_writer_init(&j->w, fp, v->json_pretty ? JSON_PRETTY : 0);
	json_obj_begin(&j->w);
	json_kv_u64(&j->w, "schema_version", SS_JSON_SCHEMA);
	json_kv_arr_begin(&j->w, "sockets");
	*out = j;
	return 0;
}

/*
 * "mptcp_subflow":{...}: an MPTCP subflow's ULP attributes, each under
 * its kernel name (MPTCP_SUBFLOW_ATTR_*, lower case), only when sent.
 */
static void mptcp_subflow_put(struct json_writer *w, const struct sock_rec *s)
{
	static const char *const names[MPTCP_SUBFLOW_ATTR_ID_LOC + 1] = {
		[MPTCP_SUBFLOW_ATTR_TOKEN_REM] = "token_rem",
		[MPTCP_SUBFLOW_ATTR_TOKEN_LOC] = "token_loc",
		[MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ] = "relwrite_seq",
		[MPTCP_SUBFLOW_ATTR_MAP_SEQ] = "map_seq",
		[MPTCP_SUBFLOW_ATTR_MAP_SFSEQ] = "map_sfseq",
		[MPTCP_SUBFLOW_ATTR_SSN_OFFSET] = "ssn_offset",
		[MPTCP_SUBFLOW_ATTR_MAP_DATALEN] = "map_datalen",
		[MPTCP_SUBFLOW_ATTR_FLAGS] = "flags",
		[MPTCP_SUBFLOW_ATTR_ID_REM] = "id_rem",
		[MPTCP_SUBFLOW_ATTR_ID_LOC] = "id_loc",
	};

	if (!s->mptcp_sf.present)
		return;
	json_kv_obj_begin(w, "mptcp_subflow");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i] && (s->mptcp_sf.present & (1u << i)))
			json_kv_u64(w, names[i], s->mptcp_sf.val[i]);
	json_obj_end(w);
}

/* "md5keys":[{"addr":"127.0.0.1","prefixlen":32}]: never the key. */
static void md5keys_put(struct json_writer *w, const struct sock_rec *s)
{
	size_t n = sock_md5key_count(s);

	if (!n)
		return;
	json_kv_arr_begin(w, "md5keys");
	for (size_t i = 0; i < n; i++) {
		struct sock_md5key k;

		sock_md5key_get(s, i, &k);
		json_obj_begin(w);
		json_kv_cstr(w, "addr", k.addr);
		json_kv_u64(w, "prefixlen", k.prefixlen);
		json_obj_end(w);
	}
	json_arr_end(w);
}

int ss_json_row(struct ss_json *j, const struct ss_row *row,
		struct strbuf *err)
{
	const struct sock_rec *s = row->sock;
	struct json_writer *w = &j->w;
	const struct ss_view *v = &j->v;

	json_obj_begin(w);
	json_kv_cstr(w, "netid", sock_netid_name(s->netid));
	json_kv_cstr(w, "state", sock_state_spelling(s->state, SOCK_SPELL_KERNEL));
	json_kv_u64(w, "recv_q", s->rqueue);
	json_kv_u64(w, "send_q", s->wqueue);
	family_put(j, s);
	if (v->extended)
		extended_put(w, row);
	if (v->extended || v->timers)
		timer_put(w, s);
	if (v->tos) {
		if (s->has_tos)
			json_kv_u64(w, "tos", s->tos);
		if (s->has_tclass)
			json_kv_u64(w, "tclass", s->tclass);
		if (s->has_class_id)
			json_kv_u64(w, "class_id", s->class_id);
	}
	sockopt_put(w, s);
	if (v->mem)
		mem_put(w, s);
	if (v->info) {
		if (s->has_cong)
			json_kv_str(w, "cong", s->cong,
				    strnlen(s->cong, sizeof(s->cong)));
		if (s->has_ulp)
			json_kv_str(w, "ulp", s->ulp,
				    strnlen(s->ulp, sizeof(s->ulp)));
		mptcp_subflow_put(w, s);
		md5keys_put(w, s);
		tcp_info_put(w, s);
		mptcp_info_put(w, s);
		cc_info_put(w, s);
	}
	if (v->show_proc || v->show_threads)
		users_put(w, row, v->show_threads);
	if (j->netns_set) {
		json_kv_obj_begin(w, "netns");
		json_kv_u64(w, "inode", j->netns_inode);
		json_kv_cstr(w, "owner", j->netns_owner);
		json_obj_end(w);
	}
	json_obj_end(w);
	return json_writer_check(w, err);
}

void ss_json_set_netns(struct ss_json *j, uint64_t inode, const char *owner)
{
	j->netns_set = true;
	j->netns_inode = inode;
	/* interface indexes are the namespace's own */
	j->dev_found = false;
	j->dev_ifindex = 0;
	snprintf(j->netns_owner, sizeof(j->netns_owner), "%s", owner);
}

int ss_json_finish(struct ss_json *j, struct strbuf *err)
{
	json_arr_end(&j->w);
	json_obj_end(&j->w);
	return json_writer_finish(&j->w, err);
}

void ss_json_free(struct ss_json *j)
{
	free(j);
}
