/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_SS_TEXT_H
#define SOCKVET_IMPORT_SS_TEXT_H

/* The ss importer's row reader (ss_text_row.c), for ss_text.c and, through
 * sock_text.h, netstat_text.c. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/sock.h"

#define SS_TOK_MAX 24

/* A whitespace-separated word of a line (not NUL-terminated). */
struct tok {
	const char *p;
	size_t n;
	size_t col;              /* 1-based column in the line */
};

/* What a row's extras said beyond the record's fields. */
struct ss_extra {
	bool sk;                 /* an sk: cookie */
	bool owned;              /* a users:(...) owner */
	uint32_t pid;            /* its first process (0: none given) */
	int32_t fd;              /* that process's fd (0 when not given) */
	char comm[16];
	bool ino;                /* an ino: */
};

/* An endpoint that cannot be given: a service name /etc/services does
 * not know, a host name (-r). */
enum ep_result { EP_OK = 0, EP_SVC = 1, EP_HOST = 2, EP_BAD = -1, EP_BIG = -2 };

/*
 * ADDR:PORT into the family, address and port: v4, v6 bare (split at the
 * last colon) or in brackets, * and %iface, a port number, * or a
 * service name (udp: looked up as UDP). EP_OK, EP_SVC, EP_HOST, EP_BAD,
 * EP_BIG (a port above 65535).
 */
int ss_ep_parse(const struct tok *t, bool udp, uint8_t *fam, uint8_t addr[16], uint16_t *port);
bool ss_tok_is(const struct tok *t, const char *s);
size_t ss_tokenize(const char *s, size_t len, struct tok *t, size_t max);
/* Decimal, all of it; -1 not a number, -2 larger than max. */
int ss_parse_u64(const char *p, size_t n, uint64_t max, uint64_t *out);
/* Where a row's numbers start, after Netid and State when there. */
size_t ss_row_lead(const struct tok *t, size_t n, int *netid, int *state);
/*
 * A row's columns into *r. one_state: the State when the column is
 * absent (0: the row needs one). 1: a row; 0: not one; 10 + EP_SVC or
 * 10 + EP_HOST: a row whose endpoints cannot be given; -1: a number out
 * of range at *col.
 */
int ss_row_read(struct sock_rec *r, const struct tok *t, size_t n, uint8_t one_state,
		bool udp_default, size_t *col);
/* timer:(), ino:, sk:, skmem:(), users:(( into r and x. */
void ss_row_extras(struct sock_rec *r, struct ss_extra *x, const struct tok *t, size_t n);

#endif
