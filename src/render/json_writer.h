/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_JSON_WRITER_H
#define SOCKVET_RENDER_JSON_WRITER_H

/*
 * json_writer: a streaming JSON (RFC 8259) writer over a FILE*.
 *
 * Nothing is kept but a fixed stack of open containers and a fixed
 * output buffer, so a document of 200k sockets costs the same memory as
 * one of ten. The writer places commas, colons and (in pretty mode)
 * newlines and indentation itself; callers only say what comes next.
 *
 * Errors are sticky, like ferror() on a FILE: the first misuse (a value
 * in an object without a key, nesting past JSON_MAX_DEPTH, an end that
 * does not match its begin) or write failure is remembered, every later
 * call does nothing and returns -1, and json_writer_finish() reports it
 * through `err`. So a renderer can emit a whole record and check once.
 *
 * Strings are taken as pointer + length and may hold any byte:
 *  - `"` and `\` are escaped as \" and \\;
 *  - bytes 0x00-0x1f and 0x7f are written as \u00XX (lower-case hex),
 *    NUL included, so abstract UNIX names survive intact;
 *  - well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 *    nothing above U+10FFFF) is copied as is;
 *  - every byte that is not part of a well-formed UTF-8 sequence is
 *    replaced by U+FFFD, written as the escape \ufffd. One replacement
 *    per byte: "\xe2\x82A" becomes "\ufffd\ufffdA". The output is then
 *    always valid UTF-8 and valid JSON, at the cost of losing the
 *    original byte (a consumer that needs it must identify the socket
 *    by another key, such as its inode).
 *
 * Output goes through an internal buffer that is flushed to the FILE
 * when it fills, when a top-level value is complete (each one is
 * followed by '\n', so a sequence of top-level values is NDJSON) and by
 * json_writer_flush()/json_writer_finish().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/strbuf.h"

#define JSON_MAX_DEPTH 32
#define JSON_OUTBUF 4096

enum json_flags {
	JSON_PRETTY = 1 << 0,    /* newlines, two-space indent, ": " */
};

/* Fields are private; the struct is public so it can live on the stack. */
struct json_writer {
	FILE *fp;
	unsigned flags;
	int depth;               /* open containers */
	int error;               /* enum in json_writer.c, 0 = none */
	int write_errno;         /* errno of the first failed write, 0 if none */
	bool key_pending;        /* a key was written, its value not yet */
	uint8_t is_obj[JSON_MAX_DEPTH];
	uint32_t count[JSON_MAX_DEPTH];  /* members written so far */
	size_t len;              /* bytes used in buf */
	char buf[JSON_OUTBUF];
};

void json_writer_init(struct json_writer *w, FILE *fp, unsigned flags);

/*
 * Flushes, then returns 0, or -1 with a message in err when a call
 * failed or a container is still open. The writer can be reused for
 * another top-level value only if this returned 0.
 */
int json_writer_finish(struct json_writer *w, struct strbuf *err);

/* Returns -1 (and appends the message) if an error is pending. */
int json_writer_check(const struct json_writer *w, struct strbuf *err);

int json_writer_flush(struct json_writer *w);

int json_obj_begin(struct json_writer *w);
int json_obj_end(struct json_writer *w);
int json_arr_begin(struct json_writer *w);
int json_arr_end(struct json_writer *w);

/* A member name; must be followed by exactly one value. */
int json_key(struct json_writer *w, const char *key);

int json_str(struct json_writer *w, const void *s, size_t len);
int json_cstr(struct json_writer *w, const char *s);
int json_u64(struct json_writer *w, uint64_t v);
int json_i64(struct json_writer *w, int64_t v);
/* Shortest form that reads back to the same double; NaN/inf as null. */
int json_double(struct json_writer *w, double v);
int json_bool(struct json_writer *w, bool v);
int json_null(struct json_writer *w);

/* key + value in one call, for the common case. */
int json_kv_str(struct json_writer *w, const char *key, const void *s,
		size_t len);
int json_kv_cstr(struct json_writer *w, const char *key, const char *s);
int json_kv_u64(struct json_writer *w, const char *key, uint64_t v);
int json_kv_i64(struct json_writer *w, const char *key, int64_t v);
int json_kv_double(struct json_writer *w, const char *key, double v);
int json_kv_bool(struct json_writer *w, const char *key, bool v);
int json_kv_obj_begin(struct json_writer *w, const char *key);
int json_kv_arr_begin(struct json_writer *w, const char *key);

#endif
