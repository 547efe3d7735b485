/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_REPORT_VIEW_H
#define SOCKVET_RENDER_REPORT_VIEW_H

/*
 * The triage report's one view: everything any report format shows,
 * taken from the series and the findings once (report_view_build).
 * Renderers (text, JSON; later HTML, Prometheus, a check line) read
 * this and nothing else: no walking samples, no counting, no deltas.
 *
 * A number a rule also judges comes through the model's shared
 * function for it (a listener's drops: series_listener_drops), so the
 * report cannot show a different value than the rule saw.
 *
 * The view borrows: strings and records point into the series and the
 * findings, which must outlive it. Every array is bounded by the
 * sample's own bound, so building never allocates and never fails on
 * size.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../diagnose/finding.h"
#include "../diagnose/verdict.h"
#include "../model/addr.h"
#include "../model/focus.h"
#include "../model/capture.h"
#include "../model/series.h"
#include "../model/trace.h"
#include "../util/strbuf.h"

/* Listener rows a report shows (full ones first, then the rest). */
#define REPORT_LISTENER_ROWS 10

struct report_state {
	const char *name;        /* "ESTAB" (SYN-RECV includes NEW_SYN_RECV) */
	uint64_t n;
};

struct report_listener {
	char endpoint[ADDR_STR_MAX];  /* "0.0.0.0:8080" */
	uint32_t rq, wq;         /* Recv-Q, Send-Q in the last sample */
	bool full;               /* Recv-Q > Send-Q: the queue holds Send-Q + 1 */
	bool drops_moved;        /* skmem d rose over the series (drops > 0) */
	uint32_t drops;          /* by how much (series_listener_drops) */
	const struct s_proc *owner;   /* NULL: unknown */
	/* The same listener as labels and instant values (the exporter). */
	char addr[ADDR_STR_MAX]; /* "0.0.0.0", "[::]" */
	uint16_t port;
	uint32_t syn_recv;       /* SYN-RECV request sockets on its port */
	bool has_drops;          /* the last sample has its skmem d */
	uint32_t drops_total;    /* skmem d now: a counter since listen() */
};

/* A kept connection (--peer, stuck), as the last sample saw it. */
struct report_conn {
	const struct s_conn *c;  /* its tcp_info fields, rendered per format */
	char local[ADDR_STR_MAX];
	char remote[ADDR_STR_MAX];
	const char *state;       /* "ESTAB" */
	const struct s_proc *owner;   /* NULL: unknown */
};

struct report_counter {
	const char *name;        /* nstat's name */
	uint64_t delta;          /* over the series, > 0 */
	double per_s;            /* delta / span, 0 when the span is 0 */
};

/*
 * Limits and how much of each is used, from the last sample; a value
 * the sample lacks has present false (never 0).
 */
struct report_value {
	bool present;
	uint64_t v;
};

/* Client tuples (source address -> destination:port) by ports in use. */
#define REPORT_DESTS_MAX 10
struct report_dest {
	char src[ADDR_STR_MAX];  /* "10.0.0.1" */
	char dst[ADDR_STR_MAX];  /* "10.0.0.5:5432" */
	uint32_t total;          /* local ports held, every state */
};

/* Processes owning listeners whose fds and RLIMIT_NOFILE were read. */
#define REPORT_FD_PROCS_MAX 100

struct report_limits {
	struct report_value somaxconn, syn_backlog;
	struct report_value ports_usable;  /* sysctl_ephemeral_ports() */
	unsigned n_dests;                  /* busiest first */
	struct report_dest dests[REPORT_DESTS_MAX];
	struct report_value files_open, files_max;        /* fs.file-nr, fs.file-max */
	struct report_value conntrack, conntrack_max;     /* max absent: no table */
	struct report_value tcp_mem_bytes;                /* sockstat TCP mem, pages -> bytes */
	struct report_value tcp_mem_limit_bytes[3];       /* tcp_mem min, pressure, max */
	struct report_value orphans, orphans_max;
	unsigned n_fd_procs;
	const struct s_proc *fd_procs[REPORT_FD_PROCS_MAX];
};

/* A watched counter's value now (counters are monotonic; a scraper rates them). */
struct report_mib_now {
	const char *name;
	uint64_t value;
};

/* A command as the user must run it: in the triaged namespace
 * ("ip netns exec NAME ss ...", "sockvet -N NAME ...") when one was named. */
#define REPORT_CMD_MAX (FINDING_TEXT + 160)
#define REPORT_NETNS_NAME_MAX 64

struct report_finding {
	const struct finding *f;
	bool starts_notes;       /* the first info finding after real ones */
	char verify[REPORT_CMD_MAX];                       /* f->verify_command, runnable */
	char backout[FINDING_CHANGES_MAX][REPORT_CMD_MAX]; /* each change's back-out, runnable */
};

/* A rule that could not run, and what would let it: each missing input
 * by name with the capture that provides it. */
#define REPORT_NEEDS_MAX HAVE_BITS
struct report_not_run {
	const char *rule;        /* its id */
	unsigned n_needs;
	const char *need_name[REPORT_NEEDS_MAX];    /* "socket owners" */
	const char *need_source[REPORT_NEEDS_MAX];  /* "ss -tlnp" */
};

/*
 * The worst of a few levels, one number each, for formats that alert on
 * numbers (the monitoring-plugin check line; an exporter): taken from
 * the last sample (the drop rate: over the series) by report_gauges.c.
 * A gauge whose input was not read has have false and why says so; it
 * is never shown as 0.
 */
enum report_gauge_id {
	GAUGE_LISTENER_FILL,     /* % : worst TCP listener Recv-Q over Send-Q */
	GAUGE_ACCEPT_DROPS,      /* /s: TcpExtListenOverflows over the series */
	GAUGE_CLOSE_WAIT,        /* TCP sockets in CLOSE-WAIT */
	GAUGE_PORTS,             /* % : worst destination's sockets over usable local ports */
	GAUGE_FDS,               /* % : worst process's open fds over RLIMIT_NOFILE */
	GAUGE_MAX
};

#define REPORT_GAUGE_WHAT 128
struct report_gauge {
	bool have;
	double value;
	char what[REPORT_GAUGE_WHAT];  /* where: "0.0.0.0:8080 Recv-Q 129 Send-Q 128" */
	char why[REPORT_GAUGE_WHAT + 64]; /* !have: what was missing */
};

/* Fill gauges[GAUGE_MAX] from a series (n >= 1); focus_port >= 0 limits
 * the listener fill to that port's listeners. */
void report_gauges_build(struct report_gauge *gauges, const struct series *ser, int focus_port);

struct report_view {
	/* Where and when: the last sample's host, the first sample's time. */
	const char *host, *kernel, *netns;
	/* The namespace's name as given (-N NAME, the lab's), "" when none:
	 * the header shows it and commands are printed to run inside it. */
	char netns_name[REPORT_NETNS_NAME_MAX];
	int64_t time_unix;
	unsigned samples;        /* taken */
	unsigned samples_judged; /* of which the rules read (TRIAGE_KEEP) */
	double interval_s;       /* 0 with one sample */
	double span_s;           /* first to last sample, 0 with one */
	bool time_unknown;       /* imported samples without times: no rates */
	const char *focus;       /* "--port 8080 --symptom refused", or "" */

	/* What the sockets show (the last sample); nothing when the sample
	 * has no socket list (an analyze without ss output). */
	bool have_sockets;
	bool have_conn_states;   /* false: listeners only (a pasted ss -tlnp) */
	uint64_t tcp_total;
	unsigned n_states;       /* states with sockets, in SS_* order */
	struct report_state states[SS_STATE_MAX];
	/* One state's total counted by a pasted `| wc -l` / `grep -c`
	 * (sample.counted): not a socket list. */
	unsigned n_counted;
	struct report_state counted[SS_STATE_MAX];
	uint32_t n_listeners, n_full_listeners;
	bool listeners_cut;      /* more listeners than the sample could keep */
	unsigned n_listener_rows;
	struct report_listener listener_rows[REPORT_LISTENER_ROWS];

	bool have_conns;         /* the per-connection pass ran */
	bool peer_set;
	char peer[ADDR_STR_MAX]; /* --peer as an endpoint, when set */
	uint32_t n_conns;
	bool conns_cut;
	struct report_conn conns[SAMPLE_CONNS_MAX];

	/* Counters: need two samples for a delta. */
	bool trend;              /* samples >= 2 */
	unsigned n_counters;     /* every counter that moved, in the sample's order */
	struct report_counter counters[MIB_MAX];
	unsigned n_watched;      /* those an operator looks at first, in that order */
	struct report_counter watched[MIB_WATCHED_MAX];
	/* The watched counters the last sample has, with their values. */
	unsigned n_watched_now;
	struct report_mib_now watched_now[MIB_WATCHED_MAX];

	bool have_limits;        /* the last sample held any of them */
	struct report_limits limits;

	/* Every listener, fullest first (report_view_set_all_listeners);
	 * NULL until set. Those past the rows are summed into other. */
	const struct report_listener *all_listeners;
	unsigned n_all_listeners;
	uint32_t n_other_listeners;
	struct report_listener other_listeners;

	/* The verdict and the findings, in diagnose's order (worst first). */
	struct verdict verdict;
	unsigned n_findings;
	unsigned findings_dropped;
	unsigned n_changes;      /* over every finding */
	struct report_finding findings[FINDINGS_MAX];

	/* Rules whose inputs the samples lack: not run, never guessed. */
	unsigned n_not_run;
	struct report_not_run not_run[FINDINGS_NOT_RUN_MAX];

	/* Sources that could not be read (the verdict knows less). */
	uint32_t n_unavailable;
	const struct s_unavailable *unavailable;

	/* sockvet analyze: what was read, section by section; NULL live. */
	const struct capture_list *read;

	/* Every sample as a few numbers, for plots; NULL when not kept. */
	const struct trace *trace;

	/* The worst levels (report_gauges_build). */
	struct report_gauge gauges[GAUGE_MAX];
};

/*
 * Fill v from a series (n >= 1) and its findings. focus may be NULL (no
 * --peer); focus_text is what the user asked, shown in the header (NULL
 * or ""). 0, or negative with a message in err.
 */
int report_view_build(struct report_view *v, const struct series *ser,
		      const struct findings *fs, const struct focus *focus,
		      const char *focus_text, struct strbuf *err);

/*
 * After report_view_build: the samples were taken in the network
 * namespace `name` (-N NAME; NULL or "": this one). Every command the
 * report tells the user to run (verify commands, back-outs) is rewritten
 * to run there; the header names it. 0, or negative with a message in
 * err (a name too long to show).
 */
int report_view_set_netns(struct report_view *v, const char *name, struct strbuf *err);

/* After report_view_build: every sample taken, of which the series
 * holds the first and the newest (the header counts them all). */
void report_view_set_trace(struct report_view *v, const struct trace *trace);

/*
 * The verdict and the findings of fs alone, no samples (the host-wide
 * part of `sockvet --all-netns`); commands are left to run on the host.
 */
void report_view_build_findings(struct report_view *v, const struct findings *fs);

/*
 * After report_view_build: every listener of the last sample as rows,
 * fullest first (Recv-Q over Send-Q, then Recv-Q), at most max into
 * rows (owned by the caller, kept alive with the view); the rest are
 * summed into v->other_listeners (address "other"). For formats that
 * list every listener with bounded cardinality (Prometheus).
 */
void report_view_set_all_listeners(struct report_view *v, const struct series *ser,
				   struct report_listener *rows, unsigned max);

/* One listener row: listener idx of the series' last sample. */
void report_view_listener_row(struct report_listener *row, const struct series *ser, uint32_t idx);

/* Called by report_view_build: limits, usage and counter values now
 * (report_view_limits.c). */
void report_view_limits(struct report_view *v, const struct series *ser);

/* After report_view_build: the sample came from captures (analyze). */
void report_view_set_read(struct report_view *v, const struct capture_list *read);

/*
 * cmd as it must be run in namespace ns ("" or NULL: unchanged), into
 * out (size n, cut rather than overflowed). Each ';'-separated command
 * (quotes respected) that reads per-namespace state (ss, nstat, sysctl,
 * ip, tc, conntrack, cat /proc/net/...) gets "ip netns exec NS " (a path:
 * "nsenter --net=PATH "); sockvet
 * gets "-N NS"; the rest (ls /proc/PID/fd, sleep, dmesg) is left alone.
 */
void report_command_in_netns(char *out, size_t n, const char *cmd, const char *ns);

#endif
