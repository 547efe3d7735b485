/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_SS_FMT_H
#define SOCKVET_RENDER_SS_FMT_H

/*
 * Field formatting for the ss text renderer: one struct sock_rec in, the
 * text of each ss 6.1 column out, byte for byte what ss's out() calls
 * would have put into its tokens.
 *
 * ss 6.1 has ten columns (enum ss_col). Everything after the peer port
 * (users:, timer:, -e, --tos, -m, -i) goes into the column whose header
 * is "Process"; the last column has an empty header and never gets
 * text, but still takes part in the layout. Fields are written with
 * hand-rolled integer formatting: printf only runs for the floating
 * point values of -i.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>

#include "ss_view.h"
#include "services.h"

enum ss_col {
	SS_COL_NETID,
	SS_COL_STATE,
	SS_COL_RECVQ,
	SS_COL_SENDQ,
	SS_COL_ADDR,     /* "Local Address:", right-aligned, owns the ':' */
	SS_COL_SERV,
	SS_COL_RADDR,
	SS_COL_RSERV,
	SS_COL_PROC,     /* header "Process": users and all extended text */
	SS_COL_EXT,      /* header "", always empty in 6.1 */
	SS_COL_MAX,
};

/* ss keeps a token's length in 16 bits and cuts what does not fit. */
#define SS_FIELD_MAX 65535u

struct ss_field {
	char *buf;       /* SS_FIELD_MAX bytes, owned by struct ss_fmt */
	uint32_t len;
	bool touched;    /* ss called out() for it, even with "" */
};

#define SS_IFCACHE 64

struct ss_fmt {
	const struct ss_view *v;
	struct services *svc;
	struct ss_field f[SS_COL_MAX];
	char *mem;
	struct {
		uint32_t idx;
		char name[IF_NAMESIZE + 1];
	} ifc[SS_IFCACHE];
};

int ss_fmt_init(struct ss_fmt *fmt, const struct ss_view *v,
		struct strbuf *err);
void ss_fmt_release(struct ss_fmt *fmt);

/* Format one row into fmt->f[]; every field is reset first. */
void ss_fmt_row(struct ss_fmt *fmt, const struct ss_row *row);

/* Column names as the header prints them. */
const char *ss_fmt_header(enum ss_col c);
const char *ss_fmt_netid_name(unsigned netid);
const char *ss_fmt_state_name(unsigned state);

/*
 * Small formatters, exposed for tests. buf must hold 64 bytes; the
 * return value is the length written (no NUL is counted).
 */
size_t ss_fmt_timer(char *buf, uint32_t ms);              /* "9min32sec" */
size_t ss_fmt_bw(char *buf, double bps, bool numeric);    /* "6.66M" */
size_t ss_fmt_usec_ms(char *buf, uint32_t usec);          /* %g of usec/1000 */

/* -i (and -m after the continuation) text: ss_fmt_tcp.c. */
void ss_fmt_tcp_info(struct ss_fmt *fmt, struct ss_field *f,
		     const struct sock_rec *s);
void ss_fmt_skmem(struct ss_field *f, const struct sock_rec *s, bool meminfo);

/* Appending to a field; text past SS_FIELD_MAX is dropped, as ss does. */
static inline void ss_put(struct ss_field *f, const char *s, size_t n)
{
	f->touched = true;
	if (n > SS_FIELD_MAX - f->len)
		n = SS_FIELD_MAX - f->len;
	memcpy(f->buf + f->len, s, n);
	f->len += (uint32_t)n;
}

static inline void ss_puts(struct ss_field *f, const char *s)
{
	ss_put(f, s, strlen(s));
}

/* Writes v in decimal ending at end; returns the first digit. */
static inline char *ss_u64_rev(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static inline void ss_put_u64(struct ss_field *f, uint64_t v)
{
	char tmp[24], *p = ss_u64_rev(tmp + sizeof(tmp), v);

	ss_put(f, p, (size_t)(tmp + sizeof(tmp) - p));
}

static inline void ss_put_i64(struct ss_field *f, int64_t v)
{
	char tmp[24], *p;

	p = ss_u64_rev(tmp + sizeof(tmp),
		       v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (v < 0)
		*--p = '-';
	ss_put(f, p, (size_t)(tmp + sizeof(tmp) - p));
}

static inline void ss_put_hex(struct ss_field *f, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[20], *p = tmp + sizeof(tmp);

	do {
		*--p = hex[v & 15];
		v >>= 4;
	} while (v);
	ss_put(f, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* A literal token followed by an unsigned number: " ino:" 1234. */
static inline void ss_put_kv(struct ss_field *f, const char *key, uint64_t v)
{
	ss_puts(f, key);
	ss_put_u64(f, v);
}

#endif
