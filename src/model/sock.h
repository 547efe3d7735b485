/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_SOCK_H
#define SOCKVET_MODEL_SOCK_H

/*
 * struct sock_rec: one socket as the kernel's sock_diag reports it.
 *
 * Sources (the netlink collector, replayed dumps, later the text
 * importers) fill it; filters, renderers and rules only read it. It holds
 * raw kernel values, never formatted text: queues in bytes (or, for a
 * listener, connections), timers in milliseconds, addresses in network
 * byte order, ports in host order.
 *
 * A record is valid only for the duration of the callback that receives
 * it: listing streams records and keeps none, so 200k sockets cost no
 * more memory than one. Pointers inside (tcp_info bytes, the UNIX path)
 * point into the source's buffer.
 *
 * Every optional kernel attribute carries a has_* flag: "the kernel did
 * not send it" and "the kernel sent zero" are different facts (an old
 * kernel without SKMEMINFO, a v4 socket without v6only).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/mptcp.h>

#include "tcpinfo.h"

/* Socket tables, in the order ss walks them for its default listing. */
enum sock_table {
	TBL_NETLINK,
	TBL_PACKET,
	TBL_UNIX,
	TBL_RAW,
	TBL_UDP,
	TBL_TCP,
	TBL_MPTCP,
	TBL_MAX,
};
#define TBL_BIT(t) (1u << (t))

/* ss's Netid column: one value per (table, socket type). */
enum netid {
	NETID_TCP,
	NETID_UDP,
	NETID_RAW,
	NETID_MPTCP,
	NETID_U_STR,
	NETID_U_DGR,
	NETID_U_SEQ,
	NETID_P_RAW,
	NETID_P_DGR,
	NETID_NL,
	NETID_MAX,
};

/*
 * States use the kernel's TCP numbering (include/net/tcp_states.h) for
 * every table, as sock_diag does: UNIX and UDP sockets report
 * SS_ESTABLISHED/LISTEN/CLOSE through the same values.
 */
enum sock_state {
	SS_UNKNOWN_ = 0,
	SS_ESTABLISHED = 1,
	SS_SYN_SENT,
	SS_SYN_RECV,
	SS_FIN_WAIT1,
	SS_FIN_WAIT2,
	SS_TIME_WAIT,
	SS_CLOSE,
	SS_CLOSE_WAIT,
	SS_LAST_ACK,
	SS_LISTEN,
	SS_CLOSING,
	SS_NEW_SYN_RECV,
	SS_BOUND_INACTIVE,
	SS_STATE_MAX,
};
#define SS_ALL_STATES ((1u << SS_STATE_MAX) - 2)  /* every state but 0 */

/*
 * tcp_info as returned, byte for byte. The kernel's struct grows with
 * every release (6.18 sends more than the 6.1 headers describe), so keep
 * the bytes and their length; read them through tcpinfo.h, whose table
 * says which fields a reply of that length holds.
 */
#define SOCK_TCPI_MAX 512

struct sock_unix {
	uint32_t peer_ino;       /* UNIX_DIAG_PEER, 0 if none */
	const char *path;        /* UNIX_DIAG_NAME bytes, not NUL-terminated */
	uint16_t path_len;       /* 0: unnamed; path[0]=='\0': abstract */
	bool has_vfs;
	uint32_t vfs_ino;        /* UNIX_DIAG_VFS */
	uint32_t vfs_dev;
	bool has_rqlen;
	uint32_t rq, wq;         /* UNIX_DIAG_RQLEN */
	uint32_t *icons;         /* UNIX_DIAG_ICONS (pending peers), not owned */
	uint32_t n_icons;
};

struct sock_netlink {
	uint32_t protocol;       /* NETLINK_ROUTE, ... */
	uint32_t portid;
	uint32_t dst_portid;
	uint32_t dst_group;
	bool connected;          /* ndiag_state NETLINK_CONNECTED: ss prints
				    dst_group:dst_portid as the peer */
	uint64_t groups;         /* NETLINK_DIAG_GROUPS, first word (-e) */
	/*
	 * ss 6.1 names the socket's owner by reading PROC_ROOT/PORTID/stat
	 * (comm up to the first ')'): "tcpdiag:ss/7528". Filled by the live
	 * collector for portids 1..INT_MAX; has_comm false when that file
	 * could not be read (ss then prints the bare portid).
	 */
	bool has_comm;
	char comm[16];
};

struct sock_packet {
	uint16_t proto;          /* ethertype, host order */
	uint32_t ifindex;        /* bound device from PACKET_DIAG_INFO */
	bool has_info;           /* PACKET_DIAG_INFO (ss -e "ver:... flags(") */
	uint32_t version;
	uint32_t copy_thresh;
	uint32_t flags;          /* PDI_RUNNING, PDI_AUXDATA, ... */
	bool has_fanout;
	uint32_t fanout;         /* PACKET_DIAG_FANOUT: id | type << 16 */
};

struct sock_rec {
	uint8_t table;           /* enum sock_table */
	uint8_t netid;           /* enum netid */
	uint8_t family;          /* AF_INET, AF_INET6, AF_UNIX, ... */
	uint8_t state;           /* enum sock_state */
	uint8_t protocol;        /* IPPROTO_* for inet; socket type for unix */

	/* inet_diag_msg */
	uint8_t saddr[16];       /* network byte order; v4 in the first 4 */
	uint8_t daddr[16];
	uint16_t sport;          /* host order */
	uint16_t dport;
	uint32_t ifindex;        /* idiag_if: bound device, 0 if none */
	uint64_t cookie;         /* idiag_cookie[0] | [1] << 32 */
	uint8_t timer;           /* idiag_timer: 0 none, 1 on, 2 keepalive,
				    3 timewait, 4 persist, 5 delack */
	uint8_t retrans;         /* idiag_retrans */
	uint32_t expires_ms;     /* idiag_expires */
	uint32_t rqueue;         /* LISTEN: accept queue length; else bytes */
	uint32_t wqueue;         /* LISTEN: backlog limit; else bytes */
	uint32_t uid;
	uint32_t inode;          /* 0: no file yet (not accept()ed) */

	/* optional attributes */
	bool has_shutdown;
	uint8_t shutdown;        /* bit 0 RCV_SHUTDOWN, bit 1 SEND_SHUTDOWN */
	bool has_v6only;
	uint8_t v6only;
	bool has_mark;
	uint32_t mark;
	bool has_cgroup;
	uint64_t cgroup_id;
	bool has_tos;
	uint8_t tos;
	bool has_tclass;
	uint8_t tclass;
	bool has_skmem;
	uint32_t skmem[SK_MEMINFO_VARS];
	uint8_t skmem_n;         /* entries the kernel sent (old kernels: 7,
				    without backlog and drops) */
	bool has_meminfo;
	struct inet_diag_meminfo meminfo;
	bool has_cong;
	char cong[16];           /* NUL-terminated, truncated to 15 */
	uint16_t tcpi_len;       /* 0: no INET_DIAG_INFO */
	const uint8_t *tcpi;     /* tcpi_len bytes as the kernel sent them */
	bool has_vegas;
	struct tcpvegas_info vegas;
	bool has_dctcp;
	struct tcp_dctcp_info dctcp;
	bool has_bbr;
	struct tcp_bbr_info bbr;
	bool has_ulp;
	char ulp[16];
	/*
	 * ULP_INFO's MPTCP nest on a subflow (-i: "flags:... token:..."):
	 * present has bit 1u << MPTCP_SUBFLOW_ATTR_* for each attribute sent
	 * (tokens and ids only to CAP_NET_ADMIN callers).
	 */
	struct sock_mptcp_sf {
		uint16_t present;
		uint64_t val[MPTCP_SUBFLOW_ATTR_ID_LOC + 1];  /* by attribute type */
	} mptcp_sf;
	/*
	 * INET_DIAG_MD5SIG (TCP_MD5SIG keys; the kernel sends it to
	 * CAP_NET_ADMIN callers only): md5sig_len / sizeof(struct
	 * tcp_diag_md5sig) entries as the kernel sent them, key bytes
	 * included. Renderers print addresses and prefixes, never keys.
	 */
	uint16_t md5sig_len;
	const uint8_t *md5sig;
	bool has_class_id;
	uint32_t class_id;       /* INET_DIAG_CLASS_ID (--tos) */
	bool has_sockopt;
	struct inet_diag_sockopt sockopt;  /* INET_DIAG_SOCKOPT */
	/*
	 * Read from /proc/net text (kernels without raw_diag), not netlink:
	 * no extensions exist, and ss 6.1 prints only the columns and owners
	 * for such rows, whatever -e/-o/-m/-i ask.
	 */
	bool from_proc;
	uint16_t mptcpi_len;     /* MPTCP table: INET_DIAG_INFO is a
				    struct mptcp_info, kept here, not in tcpi */
	const uint8_t *mptcpi;

	union {
		struct sock_unix un;
		struct sock_netlink nl;
		struct sock_packet pk;
	} u;
};

/*
 * Make a copied record safe to outlive the receive buffer it was decoded
 * from: every borrowed pointer (tcp_info and mptcp_info bytes, a UNIX
 * socket's path and pending-peer array) is cleared with its length.
 */
void sock_rec_detach(struct sock_rec *s);

/* One TCP-MD5 key of a record, without its key bytes. */
struct sock_md5key {
	char addr[46];           /* INET6_ADDRSTRLEN; "???" for another family */
	unsigned prefixlen;
};

/* How many keys s->md5sig holds; entry i of them into out. */
size_t sock_md5key_count(const struct sock_rec *s);
void sock_md5key_get(const struct sock_rec *s, size_t i, struct sock_md5key *out);

/*
 * The names of states, timers and netids: one table each (sock.c), with
 * a column per spelling an output needs, so no renderer keeps its own.
 */
enum sock_spelling {
	/*
	 * ss 6.1's text: its state table stops at CLOSING (later states read
	 * UNKNOWN) and its timer table at persist (delack reads unknown).
	 */
	SOCK_SPELL_SS61,
	/*
	 * Every kernel value under its own name, in ss's spelling: ss
	 * --json ("NEW-SYN-RECV", "delack").
	 */
	SOCK_SPELL_KERNEL,
	/*
	 * The word a user can feed back to `ss state ...`: a request
	 * socket's NEW_SYN_RECV reads SYN-RECV (reports, the lab).
	 */
	SOCK_SPELL_USER,
};

/* "UNKNOWN" past the table. */
const char *sock_state_spelling(unsigned state, enum sock_spelling sp);
/* The state's name in the SOCK_SPELL_USER spelling: ESTAB, UNCONN, ... */
const char *sock_state_name(unsigned state);
/* idiag_timer's name: off, on, keepalive, ...; "unknown" past the table. */
const char *sock_timer_name(unsigned timer, enum sock_spelling sp);
/* ss's Netid column: tcp, u_str, p_raw, ...; "unknown" past the table. */
const char *sock_netid_name(unsigned netid);

#endif
