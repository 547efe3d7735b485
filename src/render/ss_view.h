/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_SS_VIEW_H
#define SOCKVET_RENDER_SS_VIEW_H

/*
 * What a socket listing shows. src/cmd/cmd_ss.c fills it from the
 * command line (including the derived column suppression ss does) and
 * passes it, const, to the text or JSON renderer.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../model/owner.h"
#include "../model/sock.h"
#include "../util/strbuf.h"

struct ss_view {
	bool show_netid;      /* hidden when exactly one table is selected */
	bool show_state;      /* hidden when the state mask has one bit */
	bool show_header;     /* -H clears it */
	bool numeric;         /* -n: no service names */
	bool resolve;         /* -r: resolve host names */
	bool show_proc;       /* -p */
	bool show_threads;    /* -T (implies the process column) */
	bool extended;        /* -e */
	bool timers;          /* -o (and -e) */
	bool info;            /* -i */
	bool mem;             /* -m */
	bool oneline;         /* -O */
	bool tos;             /* --tos */
	bool tty;             /* stdout is a terminal: spread columns */
	int screen_width;     /* terminal columns when tty */
	bool json_pretty;     /* --pretty: indent JSON */
	/*
	 * Text renderer, service names: ss 6.1 never names a port inside
	 * the ephemeral range (net.ipv4.ip_local_port_range, read by the
	 * caller; ss falls back to 1024..4999 when it cannot read it), and
	 * picks the getservbyport() protocol of MPTCP rows from the tables
	 * it dumped before (TBL_BIT mask of the queried tables).
	 */
	int eph_lo, eph_hi;
	unsigned tables;
};

/* One row: the socket, and its owners when -p asked for them. */
struct ss_row {
	const struct sock_rec *sock;
	const struct sock_owner *owners;
	size_t n_owners;
	const char *cgroup_path; /* -e: what follows "cgroup:", NULL if none */
};

/*
 * The text renderer reproduces iproute2 6.1 ss byte for byte (with the
 * two documented exceptions: timers print "sec" for seconds, and no
 * RTNETLINK noise). Rows are buffered only as long as ss buffers them
 * (column widths are computed per batch, as ss does), then written.
 */
struct ss_text;

int ss_text_new(struct ss_text **out, const struct ss_view *v, FILE *fp,
		struct strbuf *err);
int ss_text_row(struct ss_text *t, const struct ss_row *row,
		struct strbuf *err);
/* Flushes what is buffered (the header alone if no row came). */
int ss_text_finish(struct ss_text *t, struct strbuf *err);
void ss_text_free(struct ss_text *t);

/*
 * The JSON renderer: one document, streamed, never a tree in memory.
 * Keys are documented in docs/sockvet.8.scd and stable.
 */
struct ss_json;

int ss_json_new(struct ss_json **out, const struct ss_view *v, FILE *fp,
		struct strbuf *err);
int ss_json_row(struct ss_json *j, const struct ss_row *row,
		struct strbuf *err);
/* --all-netns: every row from now on carries "netns":{"inode","owner"}. */
void ss_json_set_netns(struct ss_json *j, uint64_t inode, const char *owner);
int ss_json_finish(struct ss_json *j, struct strbuf *err);
void ss_json_free(struct ss_json *j);

#endif
