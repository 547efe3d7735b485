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
 * hand-rolled formatting, floating point included (ss_fmt_num.c): printf
 * only runs for rare values (busy-time percentages, out-of-range doubles).
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

/*
 * Small formatters, exposed for tests. buf must hold 64 bytes; the
 * return value is the length written (no NUL is counted).
 */
size_t ss_fmt_timer(char *buf, uint32_t ms);              /* "9min32sec" */
size_t ss_fmt_bw(char *buf, double bps, bool numeric);    /* "6.66M" */
size_t ss_fmt_usec_ms(char *buf, uint32_t usec);          /* %g of usec/1000 */
/* snprintf's "%.<prec>g" of x, the same bytes (ss_fmt_num.c). */
size_t ss_fmt_g(char *buf, double x, int prec);

/* -i (and -m after the continuation) text: ss_fmt_tcp.c. */
void ss_fmt_tcp_info(struct ss_fmt *fmt, struct ss_field *f,
		     const struct sock_rec *s);
void ss_fmt_skmem(struct ss_field *f, const struct sock_rec *s, bool meminfo);

/*
 * The appenders below run dozens of times per row; forced inline, a
 * literal key becomes a fixed-size copy and its strlen a constant.
 */
#define SS_INLINE static inline __attribute__((always_inline))

/* Appending to a field; text past SS_FIELD_MAX is dropped, as ss does. */
SS_INLINE void ss_put(struct ss_field *f, const char *s, size_t n)
{
	f->touched = true;
	/*
	 * The common case first, with n untouched: a constant n (a literal
	 * key) then becomes an inline copy instead of a call to memcpy.
	 */
	if (n <= SS_FIELD_MAX - f->len) {
		memcpy(f->buf + f->len, s, n);
		f->len += (uint32_t)n;
		return;
	}
	n = SS_FIELD_MAX - f->len;
	memcpy(f->buf + f->len, s, n);
	f->len += (uint32_t)n;
}

SS_INLINE void ss_puts(struct ss_field *f, const char *s)
{
	ss_put(f, s, strlen(s));
}

/* Writes v in decimal ending at end; returns the first digit. */
static inline char *ss_u64_rev(char *end, uint64_t v)
{
	/* two digits per step: half the divisions of the naive loop */
	static const char d2[201] =
		"00010203040506070809101112131415161718192021222324"
		"25262728293031323334353637383940414243444546474849"
		"50515253545556575859606162636465666768697071727374"
		"75767778798081828384858687888990919293949596979899";
	uint32_t w;

	while (v > UINT32_MAX) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		end -= 2;
		memcpy(end, d2 + 2 * r, 2);
	}
	/* most values fit 32 bits, where division is cheaper */
	w = (uint32_t)v;
	while (w >= 100) {
		unsigned r = w % 100;

		w /= 100;
		end -= 2;
		memcpy(end, d2 + 2 * r, 2);
	}
	if (w >= 10) {
		end -= 2;
		memcpy(end, d2 + 2 * w, 2);
	} else {
		*--end = (char)('0' + w);
	}
	return end;
}

static inline unsigned ss_u64_digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 100000) {
		v /= 100000;
		n += 5;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000) + (v >= 10000);
}

/* Writes v's n decimal digits at p (n from ss_u64_digits). */
static inline void ss_u64_at(char *p, uint64_t v, unsigned n)
{
	ss_u64_rev(p + n, v);
}

/* Near the 16-bit cut: digits through ss_put, which trims (ss_fmt.c). */
void ss_put_u64_cut(struct ss_field *f, uint64_t v);

/*
 * Always inlined: it runs ~35 times per -i row, and inlined next to a
 * literal key the small-number cases reduce to a few stores.
 */
SS_INLINE void ss_put_u64(struct ss_field *f, uint64_t v)
{
	char *p;
	unsigned n;

	f->touched = true;
	if (SS_FIELD_MAX - f->len < 20) {
		ss_put_u64_cut(f, v);
		return;
	}
	p = f->buf + f->len;
	if (v < 10) {
		*p = (char)('0' + v);
		f->len++;
		return;
	}
	n = ss_u64_digits(v);
	ss_u64_at(p, v, n);
	f->len += n;
}

static inline void ss_put_i64(struct ss_field *f, int64_t v)
{
	char tmp[24], *p;

	if (v >= 0) {
		ss_put_u64(f, (uint64_t)v);
		return;
	}
	p = ss_u64_rev(tmp + sizeof(tmp), (uint64_t)0 - (uint64_t)v);
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

/*
 * Where a formatter may write up to `need` bytes (and a NUL) straight
 * into the field, or NULL near the cut, where ss_put must trim.
 */
static inline char *ss_room(struct ss_field *f, size_t need)
{
	f->touched = true;
	return SS_FIELD_MAX - f->len > need ? f->buf + f->len : NULL;
}

/* A literal token followed by an unsigned number: " ino:" 1234. */
SS_INLINE void ss_put_kv(struct ss_field *f, const char *key, uint64_t v)
{
	ss_puts(f, key);
	ss_put_u64(f, v);
}

#endif
