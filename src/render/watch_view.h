/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_WATCH_VIEW_H
#define SOCKVET_RENDER_WATCH_VIEW_H

/*
 * What `sockvet watch` shows at one refresh, built once per interval
 * from the trace (every sample as a few numbers: queues, drop rates,
 * states, counter rates) and the report view (the verdict the rules gave
 * over the sliding window). The screen (watch_screen.c) and the batch
 * and NDJSON printers (watch_batch.c) read this and nothing else.
 *
 * The filter (the ss filter language, src/filter) runs here, in user
 * space, on the listener rows only: it decides which rows are shown and
 * counted. The state counts, counter rates and the verdict always
 * describe the whole namespace (the rules must see every socket), so
 * the filter is never sent to the kernel with the refresh's dump.
 *
 * The view borrows the report view (findings, host strings), which must
 * outlive it; everything else is copied, so its size is fixed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../filter/filter.h"
#include "../model/trace.h"
#include "report_view.h"

/* Points a sparkline shows (the newest ones). */
#define WATCH_SPARK_MAX 60
#define WATCH_ROWS_MAX (2 * TRACE_LISTENERS_MAX)
#define WATCH_NETNS_SHORT 32     /* the NETNS column: an owner label, shortened */
#define WATCH_COUNTERS_MAX 12

enum watch_sort {
	WATCH_SORT_FILL,         /* fullest accept queue first */
	WATCH_SORT_DROPS,        /* most drops per second first */
	WATCH_SORT_PORT,         /* by local port, then address */
	WATCH_SORT_PROC,         /* by owning process name */
	WATCH_SORT_MAX
};

/* "fill", "drops", "port", "process". */
const char *watch_sort_name(enum watch_sort s);

/* A sparkline: the newest n points; known[i] false where there was no value. */
struct watch_spark {
	unsigned n;
	bool known[WATCH_SPARK_MAX];
	double v[WATCH_SPARK_MAX];
};

struct watch_listener {
	unsigned slot;           /* trace listener slot */
	unsigned ns;             /* --all-netns: its namespace's index; 0 otherwise */
	char netns[WATCH_NETNS_SHORT];  /* --all-netns: the owner label, shortened */
	char endpoint[ADDR_STR_MAX];
	uint16_t port;
	char comm[16];           /* "" unknown */
	uint32_t pid;
	bool present;            /* in the newest sample */
	uint32_t rq, wq, syn_recv;
	double fill_pct;         /* rq / wq * 100; a full queue holds wq + 1 */
	double peak_fill_pct;    /* highest fill over the sparkline's points */
	bool has_drops;
	uint32_t drops;          /* skmem d: the socket's drops since it was created */
	bool drops_known;
	double drops_per_s;      /* skmem d, newest interval */
	struct watch_spark fill; /* fill % per point */
};

struct watch_state {
	const char *name;        /* "ESTAB" (SYN-RECV with NEW_SYN_RECV) */
	unsigned state;          /* SS_* */
	uint64_t n;
	bool delta_known;
	int64_t delta;           /* change since the previous point */
	struct watch_spark spark;
};

struct watch_counter {
	const char *name;        /* nstat's name */
	const char *label;       /* short: "ListenOverflows" */
	bool known;
	double per_s;            /* newest interval */
	struct watch_spark spark;
};

/*
 * Enter on a listener: its connections by state (one extra dump of the
 * TCP table, `sport = :P` compiled by the filter module and run by the
 * kernel) and its process's open fds against RLIMIT_NOFILE.
 */
struct watch_detail {
	char endpoint[ADDR_STR_MAX];
	uint16_t port;
	char comm[16];           /* "" unknown */
	uint32_t pid;
	bool have_states;
	uint64_t total;
	uint64_t states[SS_STATE_MAX];
	bool have_fds;
	uint32_t fds;
	bool has_limit;
	uint64_t nofile_soft, nofile_hard;
	char error[160];         /* why the dump failed, "" when it did not */
};

struct watch_view_opts {
	enum watch_sort sort;
	const struct filter *filter;  /* NULL: every listener row */
	int port;                /* --port: only its listeners; -1 every port */
	double interval_s;
	bool paused;
};

struct watch_view {
	/* header */
	const char *host, *kernel;
	const char *netns;       /* -N NAME, "" this namespace */
	int64_t time_unix;       /* the newest sample */
	double interval_s;
	double cost_s;           /* what the newest refresh's sample cost */
	uint64_t refreshes;      /* samples taken */
	unsigned judged;         /* samples the rules read (the window) */
	enum watch_sort sort;
	bool filtered;           /* a filter or --port narrows the rows */
	bool paused;

	/* listeners: rows that pass the filter, in sort order */
	unsigned n_tracked;      /* listeners with a trace slot */
	uint32_t untracked;      /* listeners past the trace's slots */
	unsigned n_rows;
	struct watch_listener rows[WATCH_ROWS_MAX];

	bool have_states;
	unsigned n_states;
	struct watch_state states[SS_STATE_MAX];

	unsigned n_counters;
	struct watch_counter counters[WATCH_COUNTERS_MAX];

	/* the verdict and findings: the report view's (same rules as triage) */
	const struct report_view *rv;

	/* --all-netns (watch_view_build_allns) */
	bool all_netns;
	unsigned n_netns;        /* namespaces in the view */
	unsigned netns_past;     /* namespaces past --max-netns, or not entered */
	uint32_t rows_folded;    /* listener rows past WATCH_ROWS_MAX, least full */
	char pane_netns[WATCH_NETNS_SHORT + 16];  /* what states and counters cover */
};

/* One namespace for watch_view_build_allns: its trace and owner label. */
struct watch_ns_src {
	const struct trace *t;
	const char *label;       /* "host", "named NAME", "pid PID COMM (...)" */
	uint64_t inode;          /* the namespace's nsfs inode */
	const char *run_in;      /* netns_run_name(): "", NAME or /proc/PID/ns/net */
};

/*
 * Fill w from the trace (at least one point; NULL: the header only) and
 * the report view of the same refresh. Never fails: every array is bounded by the trace's own.
 */
void watch_view_build(struct watch_view *w, const struct trace *t, const struct report_view *rv,
		      const struct watch_view_opts *o);

/*
 * --all-netns: one view across namespaces. Listener rows of every
 * namespace (each with its shortened owner label) sorted together by
 * o->sort; past WATCH_ROWS_MAX the least wanted rows are counted in
 * rows_folded. States and counters: namespace `pane` (an index into ns),
 * or their sum over every namespace when pane < 0 (sparklines aligned on
 * the newest point). rv: the merged verdict; scratch: a view to build
 * each namespace's into.
 */
void watch_view_build_allns(struct watch_view *w, struct watch_view *scratch,
			    const struct watch_ns_src *ns, unsigned n, int pane,
			    const struct report_view *rv, const struct watch_view_opts *o);

/* The listener row order of o->sort (qsort_r's shape, ctx: enum watch_sort *). */
int watch_view_row_cmp(const void *a, const void *b, void *ctx);

/* An owner label cut to the NETNS column: "named NAME" -> "NAME", "pid 42 x (..)" -> "pid 42 x". */
const char *watch_netns_short(const char *label, char *out, size_t n);

/* Whether a listener slot passes the filter (and --port) at point p. */
bool watch_view_listener_match(const struct trace *t, unsigned slot, const struct trace_point *p,
			       const struct watch_view_opts *o);

#endif
