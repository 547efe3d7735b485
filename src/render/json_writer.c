// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Streaming JSON writer; see json_writer.h for the escaping policy.
 *
 * Hot path notes: a listing writes about a dozen values per socket and
 * hundreds of thousands of sockets, so values are formatted straight
 * into the writer's own buffer (no printf, no per-value stdio call) and
 * strings are copied in runs of bytes that need no escaping.
 */
#include "json_writer.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/textesc.h"

enum json_error {
	JE_NONE,
	JE_DEPTH,
	JE_NO_KEY,
	JE_KEY_OUTSIDE,
	JE_KEY_TWICE,
	JE_UNBALANCED,
	JE_MISMATCH,
	JE_DANGLING_KEY,
	JE_WRITE,
};

static const char *const error_text[] = {
	[JE_NONE] = "no error",
	[JE_DEPTH] = "json nesting deeper than the maximum",
	[JE_NO_KEY] = "json value inside an object without a key",
	[JE_KEY_OUTSIDE] = "json key outside an object",
	[JE_KEY_TWICE] = "json key written twice without a value",
	[JE_UNBALANCED] = "json container closed but none is open",
	[JE_MISMATCH] = "json container closed with the wrong kind of end",
	[JE_DANGLING_KEY] = "json object closed after a key without a value",
	[JE_WRITE] = "cannot write json output",
};

/*
 * Byte classes for string escaping: C_PLAIN is copied, C_ESC needs an
 * escape, C_HIGH starts (or is a stray part of) a UTF-8 sequence.
 */
enum { C_PLAIN, C_ESC, C_HIGH };

/* 0: C_PLAIN, 1: C_ESC (controls, '"', '\\', DEL), 2: C_HIGH */
static const uint8_t byte_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static const char hex_digits[] = "0123456789abcdef";

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static int json_fail(struct json_writer *w, int code)
{
	if (!w->error) {
		w->error = code;
		if (code == JE_WRITE)
			w->write_errno = errno;
	}
	return -1;
}

int json_writer_flush(struct json_writer *w)
{
	if (w->len && !w->error) {
		if (fwrite(w->buf, 1, w->len, w->fp) != w->len) {
			w->len = 0;
			return json_fail(w, JE_WRITE);
		}
	}
	w->len = 0;
	if (w->error)
		return -1;
	return 0;
}

/* Room for n contiguous bytes (n <= JSON_OUTBUF), flushing if needed. */
static char *out_reserve(struct json_writer *w, size_t n)
{
	if (JSON_OUTBUF - w->len < n)
		json_writer_flush(w);
	return w->buf + w->len;
}

static void out_bytes(struct json_writer *w, const void *p, size_t n)
{
	if (JSON_OUTBUF - w->len < n) {
		json_writer_flush(w);
		if (n > JSON_OUTBUF) {
			if (!w->error && fwrite(p, 1, n, w->fp) != n)
				json_fail(w, JE_WRITE);
			return;
		}
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

static void out_ch(struct json_writer *w, char c)
{
	if (w->len == JSON_OUTBUF)
		json_writer_flush(w);
	w->buf[w->len++] = c;
}

static void out_indent(struct json_writer *w)
{
	int i;

	if (!(w->flags & JSON_PRETTY))
		return;
	out_ch(w, '\n');
	for (i = 0; i < w->depth; i++) {
		out_ch(w, ' ');
		out_ch(w, ' ');
	}
}

void json_writer_init(struct json_writer *w, FILE *fp, unsigned flags)
{
	memset(w, 0, offsetof(struct json_writer, buf));
	w->fp = fp;
	w->flags = flags;
}

int json_writer_check(const struct json_writer *w, struct strbuf *err)
{
	if (!w->error)
		return 0;
	if (w->error == JE_DEPTH)
		return error_set(err, "%s (%d)", error_text[w->error],
				 JSON_MAX_DEPTH);
	if (w->error == JE_WRITE && w->write_errno)
		return error_set(err, "%s: %s", error_text[w->error],
				 strerror(w->write_errno));
	return error_set(err, "%s", error_text[w->error]);
}

int json_writer_finish(struct json_writer *w, struct strbuf *err)
{
	json_writer_flush(w);
	if (!w->error && fflush(w->fp))
		json_fail(w, JE_WRITE);
	if (w->error)
		return json_writer_check(w, err);
	if (w->depth || w->key_pending)
		return error_set(err, "json document left incomplete (%d open "
				 "containers)", w->depth);
	return 0;
}

/* Separator and placement shared by every value, container or scalar. */
static int value_begin(struct json_writer *w)
{
	int d = w->depth;

	if (w->error)
		return -1;
	if (!d)
		return 0;
	if (w->is_obj[d - 1]) {
		if (!w->key_pending)
			return json_fail(w, JE_NO_KEY);
		w->key_pending = false;
		return 0;
	}
	if (w->count[d - 1]++)
		out_ch(w, ',');
	out_indent(w);
	return 0;
}

/* A complete top-level value ends its line and leaves the buffer. */
static int value_end(struct json_writer *w)
{
	if (w->depth)
		return w->error ? -1 : 0;
	out_ch(w, '\n');
	return json_writer_flush(w);
}

static int container_begin(struct json_writer *w, bool obj)
{
	if (value_begin(w))
		return -1;
	if (w->depth == JSON_MAX_DEPTH)
		return json_fail(w, JE_DEPTH);
	w->is_obj[w->depth] = obj;
	w->count[w->depth] = 0;
	w->depth++;
	out_ch(w, obj ? '{' : '[');
	return 0;
}

static int container_end(struct json_writer *w, bool obj)
{
	if (w->error)
		return -1;
	if (!w->depth)
		return json_fail(w, JE_UNBALANCED);
	if (w->is_obj[w->depth - 1] != obj)
		return json_fail(w, JE_MISMATCH);
	if (w->key_pending)
		return json_fail(w, JE_DANGLING_KEY);
	w->depth--;
	if (w->count[w->depth])
		out_indent(w);
	out_ch(w, obj ? '}' : ']');
	return value_end(w);
}

int json_obj_begin(struct json_writer *w)
{
	return container_begin(w, true);
}

int json_obj_end(struct json_writer *w)
{
	return container_end(w, true);
}

int json_arr_begin(struct json_writer *w)
{
	return container_begin(w, false);
}

int json_arr_end(struct json_writer *w)
{
	return container_end(w, false);
}

static void out_string(struct json_writer *w, const uint8_t *s, size_t len)
{
	size_t i = 0, run, n;
	char *p;

	out_ch(w, '"');
	while (i < len) {
		run = i;
		while (run < len && byte_class[s[run]] == C_PLAIN)
			run++;
		if (run > i) {
			out_bytes(w, s + i, run - i);
			i = run;
			if (i == len)
				break;
		}
		if (byte_class[s[i]] == C_ESC) {
			p = out_reserve(w, 6);
			p[0] = '\\';
			if (s[i] == '"' || s[i] == '\\') {
				p[1] = (char)s[i];
				w->len += 2;
			} else {
				memcpy(p + 1, "u00", 3);
				p[4] = hex_digits[s[i] >> 4];
				p[5] = hex_digits[s[i] & 0xf];
				w->len += 6;
			}
			i++;
			continue;
		}
		/* s[i] >= 0x80 here: 0 unless it starts a well-formed sequence. */
		n = text_utf8_len(s + i, len - i);
		if (n) {
			out_bytes(w, s + i, n);
			i += n;
		} else {
			out_bytes(w, "\\ufffd", 6);
			i++;
		}
	}
	out_ch(w, '"');
}

int json_key(struct json_writer *w, const char *key)
{
	int d = w->depth;

	if (w->error)
		return -1;
	if (!d || !w->is_obj[d - 1])
		return json_fail(w, JE_KEY_OUTSIDE);
	if (w->key_pending)
		return json_fail(w, JE_KEY_TWICE);
	if (w->count[d - 1]++)
		out_ch(w, ',');
	out_indent(w);
	out_string(w, (const uint8_t *)key, strlen(key));
	if (w->flags & JSON_PRETTY)
		out_bytes(w, ": ", 2);
	else
		out_ch(w, ':');
	w->key_pending = true;
	return w->error ? -1 : 0;
}

int json_str(struct json_writer *w, const void *s, size_t len)
{
	if (value_begin(w))
		return -1;
	out_string(w, s, len);
	return value_end(w);
}

int json_cstr(struct json_writer *w, const char *s)
{
	return json_str(w, s, strlen(s));
}

/* Writes v's digits ending just before `end`; returns the first digit. */
static char *fmt_u64(char *end, uint64_t v)
{
	char *p = end;
	unsigned k;

	while (v >= 100) {
		k = (unsigned)(v % 100) * 2;
		v /= 100;
		*--p = digit_pairs[k + 1];
		*--p = digit_pairs[k];
	}
	if (v >= 10) {
		k = (unsigned)v * 2;
		*--p = digit_pairs[k + 1];
		*--p = digit_pairs[k];
	} else {
		*--p = (char)('0' + v);
	}
	return p;
}

static int out_number(struct json_writer *w, uint64_t mag, bool neg)
{
	char tmp[24], *end = tmp + sizeof(tmp), *p;

	if (value_begin(w))
		return -1;
	p = fmt_u64(end, mag);
	if (neg)
		*--p = '-';
	out_bytes(w, p, (size_t)(end - p));
	return value_end(w);
}

int json_u64(struct json_writer *w, uint64_t v)
{
	return out_number(w, v, false);
}

int json_i64(struct json_writer *w, int64_t v)
{
	/* Negate in unsigned arithmetic: -INT64_MIN does not fit an int64. */
	if (v < 0)
		return out_number(w, 0 - (uint64_t)v, true);
	return out_number(w, (uint64_t)v, false);
}

int json_double(struct json_writer *w, double v)
{
	char tmp[40];
	int n, i;

	if (!isfinite(v))
		return json_null(w);
	if (value_begin(w))
		return -1;
	/* 15 digits reads back exactly for most values and looks tidy. */
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return json_fail(w, JE_WRITE);
	/* A locale with a decimal comma would make this invalid JSON. */
	for (i = 0; i < n; i++)
		if (tmp[i] == ',')
			tmp[i] = '.';
	out_bytes(w, tmp, (size_t)n);
	return value_end(w);
}

int json_bool(struct json_writer *w, bool v)
{
	if (value_begin(w))
		return -1;
	if (v)
		out_bytes(w, "true", 4);
	else
		out_bytes(w, "false", 5);
	return value_end(w);
}

int json_null(struct json_writer *w)
{
	if (value_begin(w))
		return -1;
	out_bytes(w, "null", 4);
	return value_end(w);
}

int json_kv_str(struct json_writer *w, const char *key, const void *s,
		size_t len)
{
	if (json_key(w, key))
		return -1;
	return json_str(w, s, len);
}

int json_kv_cstr(struct json_writer *w, const char *key, const char *s)
{
	if (json_key(w, key))
		return -1;
	return json_cstr(w, s);
}

int json_kv_u64(struct json_writer *w, const char *key, uint64_t v)
{
	if (json_key(w, key))
		return -1;
	return json_u64(w, v);
}

int json_kv_i64(struct json_writer *w, const char *key, int64_t v)
{
	if (json_key(w, key))
		return -1;
	return json_i64(w, v);
}

int json_kv_double(struct json_writer *w, const char *key, double v)
{
	if (json_key(w, key))
		return -1;
	return json_double(w, v);
}

int json_kv_bool(struct json_writer *w, const char *key, bool v)
{
	if (json_key(w, key))
		return -1;
	return json_bool(w, v);
}

int json_kv_obj_begin(struct json_writer *w, const char *key)
{
	if (json_key(w, key))
		return -1;
	return json_obj_begin(w);
}

int json_kv_arr_begin(struct json_writer *w, const char *key)
{
	if (json_key(w, key))
		return -1;
	return json_arr_begin(w);
}
