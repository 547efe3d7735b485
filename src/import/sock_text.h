/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_SOCK_TEXT_H
#define SOCKVET_IMPORT_SOCK_TEXT_H

/*
 * What the socket-table importers (ss_text.c, netstat_text.c) share: a
 * TCP row into the builder, and what a table covers once it ended. The
 * row reading itself (tokens, numbers, endpoints) is ss_text_row.c's.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../model/sample_build.h"
#include "ss_text.h"

/* Sockets whose owner the text names (ss -p users:, netstat -p), for
 * the builder's attribution at the end; past this, counted. */
#define SOCK_TEXT_OWNERS_MAX 2048

struct sock_text_owner {
	uint32_t inode;
	uint32_t pid;
	char comm[16];
};

/* The TCP rows given so far. */
struct sock_text {
	struct sample_builder *b;
	uint32_t prior;          /* HAVE_* from earlier sections */
	bool socks;              /* sample_build_socks_begin was called */
	uint64_t tcp, listeners, listen_drops, cw_guess, no_cookie;
	uint64_t listen_seen;    /* LISTEN rows read, given or not (netstat's are not) */
	uint32_t n_owners, owners_dropped;
	struct sock_text_owner owners[SOCK_TEXT_OWNERS_MAX];
};

/* What the command line said about the table. */
struct sock_cover {
	bool seen;               /* there was a command line for this tool */
	bool all;                /* -a: every state */
	bool listening;          /* -l: listeners only */
	bool subset;             /* a filter, | grep, | head */
	int port_only;           /* ss `sport = :P`: P; else -1 */
	bool no_backlog;         /* listeners' limits unknown: never HAVE_SOCKETS */
};

void sock_text_init(struct sock_text *k, struct sample_builder *b, uint32_t prior);
/* A TCP row (x: what its extras said) into the builder. False: a LISTEN
 * row an earlier section already gave, not added. */
bool sock_text_tcp(struct sock_text *k, struct sock_rec *r, const struct ss_extra *x);
/*
 * The table ended: its coverage marked (see sock_text.c), the CLOSE-WAIT
 * set withdrawn without cookies, listen drops marked when every listener
 * had skmem. empty_full: an empty table the command line says is whole
 * still says "no sockets". Returns the HAVE_* bits marked.
 */
uint32_t sock_text_end(struct sock_text *k, const struct sock_cover *c, bool empty_full);

#endif
