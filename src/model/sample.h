/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_SAMPLE_H
#define SOCKVET_MODEL_SAMPLE_H

/*
 * struct sample: everything triage knows about the host at one instant,
 * aggregated while the sockets stream past (a 200k-socket host costs the
 * same few MiB as an idle one). Rules read a series of these; the live
 * collector and, later, the capture importers fill them.
 *
 * Every aggregate is bounded; when a bound is hit the sample says so
 * (the *_dropped counters), so a report never passes off a cut view as
 * whole.
 */

#include <stdbool.h>
#include <stdint.h>

#include "appevent.h"
#include "counters.h"
#include "kevent.h"
#include "meta.h"
#include "mib.h"
#include "sock.h"
#include "sysctl.h"
#include "tally.h"

#define SAMPLE_LISTENERS_MAX 4096
#define SAMPLE_DESTS_MAX 8192
#define SAMPLE_PROCS_MAX 1024
#define SAMPLE_KEVENTS_MAX 64
/* Application-log groups (errno, call, process): a paste has a few. */
#define SAMPLE_APPEVENTS_MAX 16
#define SAMPLE_UNAVAIL_MAX 16
#define SAMPLE_PORTS 65536
#define SAMPLE_CONNS_MAX 64
/* CLOSE-WAIT sockets tracked one by one (cookie) for persistence: past
 * this many a pile is a leak by size alone (rule_close_wait's critical
 * mark is 1,000), so the set only has to be complete below it. */
#define SAMPLE_CW_MAX 4096
/* Remote addresses with closing-state sockets kept apart; a pile is a
 * few peers, a busy host's ordinary closes spread over many. */
#define SAMPLE_CLOSING_MAX 256
#define SAMPLE_ULISTENERS_MAX 1024
#define SAMPLE_UNIX_PATH_MAX 108
#define SAMPLE_UDP_MAX 512

/* A TCP listener and what hangs off it. */
struct s_listener {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint32_t ifindex;
	uint32_t inode;
	uint64_t cookie;
	uint32_t rq;            /* accept queue length (Recv-Q) */
	uint32_t wq;            /* accept queue limit (Send-Q): min(backlog, somaxconn) */
	bool has_drops;
	uint32_t drops;         /* skmem d: TcpExtListenDrops for this socket */
	uint32_t syn_recv;      /* SYN-RECV request sockets on its port */
	int32_t owner;          /* index into procs[], -1 unknown */
};

/* A UNIX stream or seqpacket listener (ss -xl): the same accept queue
 * as TCP's (kernel-facts.md "UNIX listener accept queue"). */
struct s_ulistener {
	char path[SAMPLE_UNIX_PATH_MAX + 1]; /* "@name" for abstract, "" unnamed */
	uint8_t netid;          /* NETID_U_STR, NETID_U_SEQ */
	uint32_t inode;
	uint32_t rq;            /* connections waiting for accept() (Recv-Q) */
	uint32_t wq;            /* the limit: min(backlog, somaxconn) (Send-Q) */
	int32_t owner;          /* index into procs[], -1 unknown */
};

/* A UDP socket worth a look: one that has dropped datagrams (skmem d)
 * or holds some in its receive queue. Matched across samples by cookie.
 * kernel-facts.md "UDP receive buffer drops" */
struct s_udp {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint64_t cookie;
	uint32_t inode;
	uint32_t rq;            /* Recv-Q: bytes queued (truesize, as rmem_alloc) */
	uint32_t rb;            /* skmem rb: the receive buffer, SO_RCVBUF doubled */
	uint32_t drops;         /* skmem d: datagrams dropped on this socket */
	int32_t owner;          /* index into procs[], -1 unknown */
};

/* Client-side connections to one destination from one source address:
 * the unit of ephemeral-port exhaustion (kernel-facts.md "TIME-WAIT and the ephemeral port range"). */
struct s_dest {
	uint8_t family;
	uint8_t saddr[16];
	uint8_t daddr[16];
	uint16_t dport;
	uint32_t total;         /* every state, TIME-WAIT included */
	uint32_t time_wait;
	uint32_t established;
	uint32_t syn_sent;
	/* The local port when every socket of the tuple has the same one:
	 * a tuple whose one port turns out to be listening is the server
	 * side of connections that arrived before their listener. */
	uint16_t sport;
	bool sport_mixed;
};

/*
 * TCP sockets in FIN-WAIT-1, CLOSING or LAST-ACK to one remote address
 * (any port, any local side): the closes this host is still pushing out
 * and the peer is not acknowledging (sample_closing.c).
 */
enum { CL_FIN_WAIT1, CL_CLOSING, CL_LAST_ACK, CL_STATES };
struct s_closing {
	uint8_t family;
	uint8_t daddr[16];
	uint32_t n[CL_STATES];
	uint32_t orphans;        /* inode 0: the application already closed them */
	uint32_t persist;        /* timer persist: probing a zero window */
	uint32_t retrans;        /* timer on: retransmitting data or the FIN */
	uint32_t max_backoff;    /* the highest idiag_retrans seen */
	uint64_t send_q;         /* Send-Q bytes still queued */
	uint16_t lport;          /* the local port when every socket has the same one */
	bool lport_mixed;
};

/* A process that owns sockets triage talks about. */
struct s_proc {
	uint32_t pid;
	char comm[16];
	uint32_t fds;           /* open fds now */
	bool has_limit;
	uint64_t nofile_soft;   /* RLIMIT_NOFILE from /proc/PID/limits */
	uint64_t nofile_hard;
	uint32_t close_wait;    /* CLOSE-WAIT sockets it holds */
	uint32_t close_wait_unread; /* of which Recv-Q >= 1 (EOF never read) */
	uint32_t listeners;
};

/*
 * One TCP connection kept whole, with what its tcp_info says about who
 * limits it: those to/from --peer, and (without --peer) clearly stuck
 * ones (a queue of CONN_STUCK_QUEUE bytes or more, see sample_collect.c).
 * Matched across samples by cookie. Times are microseconds since the
 * connection started, as tcp_info counts them; rules take deltas.
 */
struct s_conn {
	uint8_t family;
	uint8_t state;           /* SS_* */
	uint8_t saddr[16];
	uint8_t daddr[16];
	uint16_t sport, dport;
	uint64_t cookie;
	uint32_t inode;
	bool peer;               /* kept for --peer (else: stuck) */
	uint32_t rq, wq;         /* Recv-Q, Send-Q */
	bool has_info;           /* tcp_info was sent */
	uint32_t rtt_us, rttvar_us, min_rtt_us;
	uint32_t snd_cwnd, snd_ssthresh, snd_mss, rcv_mss;
	uint32_t unacked, lost, retrans, total_retrans;
	uint8_t backoff;         /* zero-window probes / RTO backoff in progress */
	uint8_t probes;
	bool app_limited;        /* tcpi_delivery_rate_app_limited */
	uint64_t delivery_rate;  /* bytes/s, measured */
	uint64_t busy_us, rwnd_limited_us, sndbuf_limited_us;
	uint32_t notsent_bytes;
	uint32_t snd_wnd;        /* the peer's advertised window (5.4+; 0 = closed or not sent) */
	bool has_snd_wnd;        /* the kernel's tcp_info is long enough for snd_wnd */
	uint32_t rcv_space;
	uint64_t bytes_acked, bytes_received, bytes_sent, bytes_retrans;
	uint32_t last_data_sent_ms, last_data_recv_ms;
	bool has_skmem;
	uint32_t sk_rmem, sk_rcvbuf, sk_wmem_queued, sk_sndbuf;  /* skmem r rb w tb */
	int32_t owner;           /* index into procs[], -1 unknown */
};

/* One accepted CLOSE-WAIT socket (inode != 0), matched across samples by
 * cookie; owner is set when the sample was attributed. */
struct s_cw {
	uint64_t cookie;
	uint32_t inode;
	uint16_t port;           /* local */
	bool unread;             /* Recv-Q >= 1 */
	int32_t owner;           /* index into procs[], -1 unknown */
};

/*
 * What a sample holds. A source sets the bit for each input it read;
 * an input that is absent is never read as zero: a rule whose needs
 * (struct rule.needs) are not all in series_have() does not run, and
 * the report names the capture that would let it (sample_have_source).
 */
enum sample_have {
	HAVE_SOCKETS = 1u << 0,        /* TCP listeners, complete (queues, addresses) */
	HAVE_LISTEN_DROPS = 1u << 1,   /* per-listener skmem d */
	HAVE_CONNS = 1u << 2,          /* the per-connection tcp_info pass ran */
	HAVE_MIB = 1u << 3,            /* SNMP / netstat counters */
	HAVE_SYSCTL = 1u << 4,         /* at least one sysctl (each value has .present) */
	HAVE_SOCKSTAT = 1u << 5,       /* /proc/net/sockstat */
	HAVE_OWNERS = 1u << 6,         /* sockets attributed to processes */
	HAVE_FDS = 1u << 7,            /* per-process open fds and RLIMIT_NOFILE */
	HAVE_FILE_NR = 1u << 8,        /* fs.file-nr */
	HAVE_CONNTRACK = 1u << 9,      /* nf_conntrack_count (and _max); max 0: no table */
	HAVE_CONNTRACK_STAT = 1u << 10, /* conntrack drop counters */
	HAVE_KLOG = 1u << 11,          /* the kernel log was read */
	HAVE_UNIX_LISTENERS = 1u << 12, /* UNIX stream/seqpacket listeners with queues */
	HAVE_UDP = 1u << 13,           /* UDP sockets with skmem (bound ports, drops) */
	/*
	 * TCP sockets in every other state, complete: a live dump has them;
	 * a pasted `ss -tlnp` (listeners) or `ss -tan state close-wait` (one
	 * state) does not, and a rule counting a state must not read its
	 * absence as zero.
	 */
	HAVE_CONN_STATES = 1u << 14,
	HAVE_APPLOG = 1u << 15,        /* an application or service log was read */
	HAVE_BITS = 16
};

/* For the report: the capture that provides a have bit ("ss -tan"). */
const char *sample_have_source(enum sample_have bit);
/* A short name for a have bit ("socket list"). */
const char *sample_have_name(enum sample_have bit);

struct s_unavailable {
	char what[48];          /* "process owners", "kernel log" */
	char why[160];
};

struct sample {
	struct snap_meta meta;
	uint32_t have;                      /* enum sample_have bits */
	struct sock_tally tally;            /* per table/state counts */

	uint32_t n_listeners;
	uint32_t listeners_dropped;
	struct s_listener listeners[SAMPLE_LISTENERS_MAX];

	/* Per local TCP port, both families. */
	uint32_t close_wait_by_port[SAMPLE_PORTS];
	uint32_t fin_wait2_by_port[SAMPLE_PORTS];
	uint32_t syn_recv_by_port[SAMPLE_PORTS];

	uint32_t n_dests;
	uint32_t dests_dropped;
	struct s_dest dests[SAMPLE_DESTS_MAX];
	int32_t dest_hash[SAMPLE_DESTS_MAX * 2];  /* index into dests, -1 empty */
	uint8_t listen_port[SAMPLE_PORTS / 8];    /* bitmap: ports with a listener */

	uint32_t n_ulisteners;
	uint32_t ulisteners_dropped;
	struct s_ulistener ulisteners[SAMPLE_ULISTENERS_MAX];

	uint32_t n_udp;
	uint32_t udp_dropped;
	struct s_udp udp[SAMPLE_UDP_MAX];
	uint8_t udp_port[SAMPLE_PORTS / 8];       /* bitmap: ports a UDP socket is bound to */

	uint32_t n_conns;
	uint32_t conns_dropped;  /* matching connections beyond SAMPLE_CONNS_MAX */
	struct s_conn conns[SAMPLE_CONNS_MAX];

	uint32_t n_closing;
	uint32_t closing_dropped;  /* closing sockets to peers beyond SAMPLE_CLOSING_MAX */
	struct s_closing closing[SAMPLE_CLOSING_MAX];

	uint32_t n_procs;
	uint32_t procs_dropped;
	struct s_proc procs[SAMPLE_PROCS_MAX];

	struct mib mib;
	/* The mib values are increments since an earlier reading (plain
	 * `nstat` without -a), not totals: a series adds them up before
	 * taking a delta (import.c). */
	bool mib_increments;
	struct sysctl_set sysctl;

	struct sockstat_counts sockstat;    /* orphan, alloc, mem are host-wide */

	uint64_t file_nr_alloc, file_nr_max;

	/*
	 * TCP sockets of one state counted by a pasted pipeline (`ss -tan
	 * state time-wait | wc -l`, `netstat -an | grep -c CLOSE_WAIT`;
	 * import/count_text.c): a host-wide total for that state alone, the
	 * SS_* bit set in counted_states. Not a socket list: it never marks
	 * HAVE_CONN_STATES and says nothing per port or destination.
	 */
	uint32_t counted_states;
	uint64_t counted[SS_STATE_MAX];

	uint64_t conntrack_count, conntrack_max;
	uint64_t conntrack_drop, conntrack_early_drop, conntrack_insert_failed;

	uint32_t n_kevents;
	struct kevent kevents[SAMPLE_KEVENTS_MAX];

	/* Application-log errors, grouped (appevent.h); lines of groups
	 * beyond SAMPLE_APPEVENTS_MAX are counted in appevents_dropped. */
	uint32_t n_appevents;
	uint64_t appevents_dropped;
	struct app_event appevents[SAMPLE_APPEVENTS_MAX];

	uint32_t n_unavailable;
	struct s_unavailable unavailable[SAMPLE_UNAVAIL_MAX];

	/*
	 * CLOSE-WAIT split by acceptance. close_wait_by_port counts accepted
	 * ones only (an inode: an fd exists); the children still in a
	 * listener's accept queue (inode 0, nobody can close them) are counted
	 * here per port instead: a symptom of the accept queue, not a leak.
	 */
	uint32_t close_wait_unaccepted;
	uint32_t close_wait_unaccepted_by_port[SAMPLE_PORTS];
	/* Accepted CLOSE-WAIT sockets one by one, sorted by cookie at
	 * sample_finish_socks; cw_tracked: the source filled this set. */
	bool cw_tracked;
	uint32_t n_cw;
	uint32_t cw_dropped;
	struct s_cw cw[SAMPLE_CW_MAX];
};

void sample_init(struct sample *s);
/* Record that a source could not be read; bounded, never fails. */
void sample_unavailable(struct sample *s, const char *what, const char *why);
/* Fold one socket into the aggregates (called from the dump callback). */
void sample_add_sock(struct sample *s, const struct sock_rec *r);
/* Forget the socket aggregates (a dump being retried from scratch). */
void sample_reset_socks(struct sample *s);
/* After the dump: attach SYN-RECV counts to listeners, and drop the
 * client tuples that were server-side sockets seen before their listener. */
void sample_finish_socks(struct sample *s);
/* A TCP listener on this local port (either family, any address). */
bool sample_port_listening(const struct sample *s, uint16_t port);
/* Keep one connection whole (SAMPLE_CONNS_MAX, then counted as dropped). */
void sample_add_conn(struct sample *s, const struct sock_rec *r, bool peer);
/* Fold one FIN-WAIT-1 / CLOSING / LAST-ACK socket into closing[]
 * (sample_closing.c); other states are ignored. */
void sample_add_closing(struct sample *s, const struct sock_rec *r);
/* Keep one UNIX listener (r: table TBL_UNIX, state SS_LISTEN, with
 * RQLEN); bounded, then counted as dropped. */
void sample_add_ulistener(struct sample *s, const struct sock_rec *r);
/* Fold one UDP socket in: its port into udp_port, and the socket into
 * udp[] when it dropped or holds datagrams (bounded, then dropped). */
void sample_add_udp(struct sample *s, const struct sock_rec *r);
/*
 * A UDP socket's queue is "full" at SAMPLE_UDP_FULL_PCT % of rb or more.
 * Recv-Q counts each datagram's truesize (a 512-byte datagram costs 1280
 * bytes), so a full queue stops up to one datagram short of rb: 212480
 * of 212992 with 512-byte datagrams, and a 64 KiB one leaves a third of
 * a default buffer unused.
 */
#define SAMPLE_UDP_FULL_PCT 75
bool sample_udp_full(const struct s_udp *u);
/* A UDP socket bound to this local port (either family, any address). */
bool sample_udp_bound(const struct sample *s, uint16_t port);
/* The process entry for pid, created if room; NULL when full. */
struct s_proc *sample_proc(struct sample *s, uint32_t pid, const char *comm);
/* TCP sockets per state as ss shows them (NEW_SYN_RECV request sockets
 * count as SYN-RECV): tally_tcp_states() on the sample's tally. */
void sample_tcp_states(const struct sample *s, uint64_t by[SS_STATE_MAX]);
/* A process's open fds over its soft RLIMIT_NOFILE (0..1, above 1 past
 * it); 0 when the limit is unknown, 0 or unlimited. fd-exhaustion judges
 * this share and reports show it: the one place it is computed. */
double sample_proc_fd_frac(const struct s_proc *p);
/* The tracked CLOSE-WAIT socket with this cookie; NULL when absent. */
const struct s_cw *sample_cw_find(const struct sample *s, uint64_t cookie);

#endif
