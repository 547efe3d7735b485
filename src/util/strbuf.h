/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_STRBUF_H
#define SOCKVET_STRBUF_H

/*
 * strbuf: a growable NUL-terminated byte buffer with a hard maximum.
 *
 * Invariants (as in git's strbuf.h):
 *  - buf is never NULL; an empty strbuf points at a shared "" until the
 *    first append, so it must be initialised with STRBUF_INIT or
 *    strbuf_init() before use.
 *  - len never exceeds max; an append that would go past max fails with
 *    -1, leaves the content as it was before the call and sets
 *    truncated, so a caller can say "output too large" instead of
 *    passing off a cut buffer as whole.
 *
 * Error convention used across sockvet: functions below src/cmd take a
 * `struct strbuf *err`, return 0 on success or a negative value on
 * failure, and on failure append one complete lower-case message with
 * no trailing period ("cannot open '/proc/net/snmp': No such file").
 * On success err is left untouched.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define STRBUF_DEFAULT_MAX (64u << 20)

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t max;
	bool truncated;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0, STRBUF_DEFAULT_MAX, false }

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_release(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
int strbuf_grow(struct strbuf *sb, size_t extra);
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Appends the message to err (if err is non-NULL) and returns -1. */
int error_set(struct strbuf *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
